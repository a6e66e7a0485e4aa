/**
 * The demo's GHL instant Zaps (issue 13), in the demo's one world (recipes/demo/world.ts): GHL (the
 * sandbox, sending signed app-level webhooks since the start) → the relay → Zapier's stand-in,
 * which runs the app's New Contact (Instant) trigger, then a GHL step (Create Task on the contact
 * the trigger gave). Also Contact Deleted (Instant), which polling cannot do, Contact Tag Added
 * (Instant), and turning the Zaps off. The changes are a GHL user's, in GHL itself.
 */
import App from '../../index.js';
import type { DemoWorld } from './world.js';

type Op = { operation: Record<string, (z: unknown, b: unknown) => unknown> };
type Item = Record<string, unknown>;
const trigger = (key: string) => (App.triggers as unknown as Record<string, Op>)[key]!.operation;
const preciseNow = () => performance.timeOrigin + performance.now();

export const runGhlInstant = async (w: DemoWorld, duplicateEmail: string) => {
  const { ghl, zap, zapier, check: checkIn, section, log } = w;
  const check = (what: string, ok: boolean, detail?: string) => checkIn('instant', what, ok, detail);
  const inputs: Record<string, Item> = { contact_tag_added_instant: { tag: 'vip' } };
  const subscriptions = new Map<string, unknown>();
  const turnOn = async (key: string, steps?: (item: Item) => Promise<void>) => {
    const sub = (await zap.appTester(
      trigger(key).performSubscribe as never,
      { authData: zap.authData, inputData: inputs[key] ?? {}, targetUrl: zapier.hookUrl(key) } as never,
    )) as { id: string };
    subscriptions.set(key, sub);
    zapier.on(key, {
      trigger: trigger(key).perform!,
      tester: zap.appTester as never,
      authData: () => zap.authData,
      inputData: inputs[key],
      steps,
    });
    return sub;
  };
  /** The GHL user's change, then the run of the Zap `key` it started (or none, once the deliveries are done). */
  const runOf = async (key: string, change: () => Promise<unknown>) => {
    const from = zapier.runs.length;
    const changedAt = preciseNow();
    await change();
    await zapier.until(`the ${key} Zap`, () => zapier.runs.slice(from).some((r) => r.zap === key && r.doneAt !== undefined));
    const run = zapier.runs.slice(from).find((r) => r.zap === key)!;
    return { run, item: run.items?.[0], firedAfter: Math.round(run.receivedAt - changedAt) };
  };

  section('Instant Zap — GHL webhook → relay → Zapier REST hook (New Contact (Instant) → Create Task)');
  // The webhooks of the story so far have reached the relay before any GHL Zap subscribes: no Zap starts for them.
  await ghl.webhooks.flush();
  const sub = await turnOn('new_contact_instant', async (item) => {
    // Contact ← the trigger's Contact ID.
    await zap.step('Create Task (welcome call)', 'creates', 'create_task', {
      contactId: item.contactId,
      title: 'Welcome call (instant Zap)',
      dueDate: '2026-12-10T15:00:00Z',
    });
  });
  check(
    'turning the Zap on subscribes at the relay (token checked against GHL, not stored)',
    typeof sub.id === 'string',
    `subscription ${sub.id}`,
  );
  const stepsBefore = zap.steps.length;
  const runsBefore = zapier.runs.length;
  let contactId = '';
  const created = await runOf('new_contact_instant', async () => {
    const res = await w.inGhl('POST', '/contacts/', {
      locationId: ghl.locationId,
      firstName: 'Ines',
      lastName: 'Moreau',
      email: 'ines.moreau@example.com',
    });
    contactId = res.body.contact?.id as string;
  });
  log(`   • GHL Contacts: New Contact (Instant) — fired ${created.firedAfter} ms after the contact was created in GHL`);
  log(`       got:  ${JSON.stringify({ id: created.item?.id, name: created.item?.name, email: created.item?.email })}`);
  w.printSteps();
  check(
    'the Zap ran for the new contact, shaped like New Contact',
    !created.run.error && created.item?.contactId === contactId && created.item?.email === 'ines.moreau@example.com',
    created.run.error,
  );
  const tasks = [...ghl.state.tasks.values()].filter((t) => t.contactId === contactId);
  check(
    'its GHL step created the task on that contact',
    tasks.length === 1 && tasks[0]!.title === 'Welcome call (instant Zap)',
    tasks[0]?.title,
  );
  check(
    'no polling: the trigger sent no request to GHL',
    zap.steps.length === stepsBefore + 1 && zapier.runs.slice(runsBefore).filter((r) => r.zap === 'new_contact_instant').length === 1,
  );

  section(`Instant Zap — Contact Deleted (Instant): what polling cannot see; the GHL user deletes the duplicate import ${duplicateEmail}`);
  await turnOn('contact_deleted_instant');
  const gone = [...ghl.state.contacts.values()].find((c) => c.email === duplicateEmail)!;
  const deletion = await runOf('contact_deleted_instant', () => w.inGhl('DELETE', `/contacts/${gone.id}`));
  const deleted = deletion.item;
  log(`   • GHL Contacts: Contact Deleted (Instant) — fired ${deletion.firedAfter} ms after the deletion in GHL`);
  log(`       got:  ${JSON.stringify({ id: deleted?.id, name: deleted?.name, email: deleted?.email, deletedAt: deleted?.deletedAt })}`);
  check(
    'a deletion in GHL starts the Zap with the details the contact had',
    deleted?.contactId === gone.id && deleted?.email === gone.email,
    gone.email ?? '',
  );

  section('Instant Zap — Contact Tag Added (Instant), tag "vip"');
  await turnOn('contact_tag_added_instant');
  const tagged = await runOf('contact_tag_added_instant', () => w.inGhl('POST', `/contacts/${contactId}/tags`, { tags: ['vip'] }));
  log(`   • GHL Contacts: Contact Tag Added (Instant) — fired ${tagged.firedAfter} ms after the tag was added in GHL`);
  log(`       got:  ${JSON.stringify({ id: tagged.item?.id, name: tagged.item?.name, tag: tagged.item?.tag })}`);
  const other = await runOf('contact_tag_added_instant', () => w.inGhl('POST', `/contacts/${contactId}/tags`, { tags: ['newsletter'] }));
  check(
    'adding "vip" starts the Zap; adding another tag to the same contact does not',
    tagged.item?.tag === 'vip' && tagged.item?.contactId === contactId && (other.run.items ?? []).length === 0,
    `then "newsletter": ${(other.run.items ?? []).length} item(s)`,
  );

  section('Turning the three GHL Zaps off');
  for (const [key, subscribeData] of subscriptions) {
    await zap.appTester(trigger(key).performUnsubscribe as never, { authData: zap.authData, subscribeData } as never);
    zapier.off(key);
  }
  const beforeOff = zapier.runs.length;
  await w.inGhl('POST', '/contacts/', { locationId: ghl.locationId, firstName: 'Noah', email: 'noah.after-off@example.com' });
  await ghl.webhooks.flush();
  await new Promise((r) => setTimeout(r, 300));
  check(
    'after unsubscribing, a new contact starts no Zap',
    zapier.runs.slice(beforeOff).every((r) => r.zap !== 'new_contact_instant'),
    `${(await w.relay.store.stats()).subscriptions} subscription(s) left`,
  );
};
