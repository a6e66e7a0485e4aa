/**
 * Flows 2 and 3 of the brief from Ecwid's webhooks (issue 18), for `npm run demo`, in the demo's one
 * world (recipes/demo/world.ts): the Ecwid sandbox's signed customer webhooks → the relay → Zapier's
 * stand-in (recipes/zap-host.ts), which runs the Ecwid app's instant triggers (New Customer /
 * Customer Updated / Customer Deleted (Instant)), then the GHL steps of flows 2 and 3
 * (recipes/flows.ts). Per event it prints the time from the change in Ecwid to the last GHL write of
 * the Zap being done. Zapier's own hop (its queue before a Zap runs) is not part of this; the polling
 * flows (recipes/demo/polling.ts, recipes/demo/removal.ts) stay the no-setup way.
 */
import EcwidApp from '../../ecwid/index.js';
import { droppedEvents } from '../../ecwid/src/resources/instantCustomers.js';
import { ecwidSignature } from '../../relay/sources/ecwid.js';
import { contactsWithEcwidId, tasksOf } from './helpers.js';
import type { DemoWorld } from './world.js';
import type { RecipeSettings } from '../ecwid.js';
import { removeDeletedCustomer, syncPolledCustomer } from '../flows.js';
import type { ZapRun } from '../zap-host.js';

type Op = { operation: Record<string, (z: unknown, b: unknown) => unknown> };
const op = (key: string) => (EcwidApp.triggers as unknown as Record<string, Op>)[key]!.operation;
const labelOf = (key: string) =>
  (EcwidApp.triggers as unknown as Record<string, { display?: { label?: string } }>)[key]?.display?.label ?? key;

/** The three Zaps: flow 2 twice (Zapier: one trigger per Zap; the same steps), flow 3 once. */
export const ECWID_INSTANT_ZAPS = {
  new_customer_instant: 'Flow 2 (registration)',
  customer_updated_instant: 'Flow 2 (edit)',
  customer_deleted_instant: 'Flow 3 (deletion)',
} as const;

/**
 * The shop moves flows 2 and 3 to Ecwid's webhooks: the three instant Zaps switched on in the demo's
 * world (its relay has had Ecwid's webhooks since the start; it hands them on once a Zap subscribes).
 */
const switchOnInstantZaps = async (w: DemoWorld, settings: RecipeSettings) => {
  const { zap, ecwidApp, zapier } = w;
  const sync = async (item: Record<string, any>) => void (await syncPolledCustomer(zap, item, settings));
  const steps: Record<keyof typeof ECWID_INSTANT_ZAPS, (item: Record<string, any>) => Promise<void>> = {
    new_customer_instant: sync,
    customer_updated_instant: sync,
    customer_deleted_instant: async (item) => void (await removeDeletedCustomer(zap, item, settings, 'delete')),
  };
  for (const key of Object.keys(ECWID_INSTANT_ZAPS) as Array<keyof typeof ECWID_INSTANT_ZAPS>) {
    // Turning the Zap on: Zapier calls performSubscribe with the Zap's hook URL.
    await ecwidApp.appTester(
      op(key).performSubscribe as never,
      {
        authData: ecwidApp.authData,
        inputData: {},
        targetUrl: zapier.hookUrl(key),
      } as never,
    );
    zapier.on(key, { trigger: op(key).perform!, authData: () => ecwidApp.authData, steps: steps[key] });
  }
};

/** The Ecwid change behind a Zap run (by the webhook's eventId) and the time to its last GHL write. */
export const latencyOf = (world: Pick<DemoWorld, 'ecwid'>, run: ZapRun): number | undefined => {
  const eventId = (run.body as { eventId?: string } | undefined)?.eventId;
  const sent = world.ecwid.webhooks.log.find((e) => e.eventId === eventId);
  return sent && run.doneAt !== undefined ? run.doneAt - sent.changedAt : undefined;
};

export const runEcwidInstant = async (w: DemoWorld, settings: RecipeSettings, stillThere: { id: number; email: string }) => {
  const check = (what: string, ok: boolean, detail?: string) => w.check('ecwid-instant', what, ok, detail);
  const contactsOf = (ecwidId: number) => contactsWithEcwidId(w.ghl, settings.ecwidIdFieldId, String(ecwidId));
  w.section('Flows 2 and 3 from Ecwid webhooks: Ecwid sandbox → relay (POST /webhooks/ecwid) → instant triggers → GHL');
  // The store's webhooks so far have reached the relay before any Ecwid Zap subscribes: no Zap starts for them.
  await w.ecwid.webhooks.flush();
  await switchOnInstantZaps(w, settings);
  w.log(
    `   the polling Zaps are off; 3 instant Zaps on (New Customer, Customer Updated, Customer Deleted (Instant)): ${(await w.relay.store.stats()).subscriptions} subscriptions at the relay, each token checked with one GET /${w.ecwid.state.store.id}/profile`,
  );
  const firstRun = w.zapier.runs.length;
  const firstEvent = w.ecwid.webhooks.log.length;
  w.printSteps();
  const change = async (title: string, zap: keyof typeof ECWID_INSTANT_ZAPS, act: () => void) => {
    const before = w.zapier.runs.length;
    w.section(`${ECWID_INSTANT_ZAPS[zap]} — ${title}`);
    act();
    await w.zapier.until(`the ${zap} Zap`, () => w.zapier.runs.slice(before).some((r) => r.zap === zap && r.doneAt !== undefined));
    await w.ecwid.webhooks.flush();
    await w.zapier.settled();
    const runs = w.zapier.runs.slice(before);
    for (const r of runs) w.log(`   • Ecwid Customers: ${labelOf(r.zap)} — ${r.items?.length ?? 0} item(s)`);
    w.printSteps(false);
    for (const r of runs) {
      const ms = latencyOf(w, r);
      w.log(
        `   ⏱ Ecwid change → GHL write done in ${ms === undefined ? '?' : `${Math.round(ms)} ms`}${r.error ? ` (error: ${r.error})` : ''}`,
      );
    }
    return runs;
  };

  const priya = { id: 0 };
  const registered = await change('Priya registers in the Ecwid store', 'new_customer_instant', () => {
    priya.id = w.ecwid.state.register({
      email: 'priya.shah@example.com',
      firstName: 'Priya',
      lastName: 'Shah',
      phone: '+1 503 555 0142',
      street: '7 Pier Street',
      city: 'Portland',
      postalCode: '97210',
      stateOrProvinceCode: 'OR',
      countryCode: 'US',
    }).id;
  });
  const created = contactsOf(priya.id);
  check(
    'the registration reaches GHL once: one contact with the Ecwid Customer ID, tagged, with its welcome task',
    registered.length === 1 &&
      created.length === 1 &&
      created[0]!.tags.includes('ecwid-customer') &&
      tasksOf(w.ghl, created[0]!.id).length === 1,
    created[0] ? `${created[0].email}, contact ${created[0].id}` : 'no contact',
  );
  const edit1 = await change('edit 1 in Ecwid: new address, group "Wholesale"', 'customer_updated_instant', () =>
    w.ecwid.state.edit(priya.id, { customerGroupId: 2, billingPerson: { street: '18 Alder Lane', city: 'Portland' } }),
  );
  const afterEdit1 = contactsOf(priya.id)[0];
  check(
    'edit 1 reaches GHL once: address and group tag follow Ecwid',
    edit1.length === 1 && afterEdit1?.address1 === '18 Alder Lane' && !!afterEdit1?.tags.includes('ecwid-group:Wholesale'),
    afterEdit1 ? `${afterEdit1.address1}; tags ${afterEdit1.tags.join(', ')}` : 'no contact',
  );
  const edit2 = await change('edit 2 in Ecwid: new phone and city', 'customer_updated_instant', () =>
    w.ecwid.state.edit(priya.id, { billingPerson: { phone: '+1 503 555 0199', city: 'Beaverton' } }),
  );
  const afterEdit2 = contactsOf(priya.id);
  check(
    'edit 2 reaches GHL once: phone and city follow Ecwid; still one contact',
    edit2.length === 1 && afterEdit2.length === 1 && afterEdit2[0]!.city === 'Beaverton' && afterEdit2[0]!.phone === '+15035550199',
    afterEdit2[0] ? `${afterEdit2[0].city}, ${afterEdit2[0].phone}` : 'no contact',
  );
  const removal = await change('the customer is deleted in Ecwid', 'customer_deleted_instant', () => w.ecwid.state.remove(priya.id));
  check(
    'the deletion reaches GHL once: the contact and its tasks are deleted',
    removal.length === 1 && contactsOf(priya.id).length === 0,
    `${contactsOf(priya.id).length} contact(s) left with Ecwid id ${priya.id}`,
  );
  const all = w.zapier.runs.slice(firstRun);
  const events = w.ecwid.webhooks.log.slice(firstEvent);
  const perEvent = new Map<string, number>();
  for (const r of all) perEvent.set(r.eventId, (perEvent.get(r.eventId) ?? 0) + 1);
  check(
    'each Ecwid webhook was delivered once (4 events, 4 Zap runs, every Ecwid attempt answered 200 the first time)',
    all.length === 4 &&
      events.length === 4 &&
      [...perEvent.values()].every((n) => n === 1) &&
      events.every((e) => e.statuses.join() === '200'),
    all.map((r) => `${labelOf(r.zap)} ${Math.round(latencyOf(w, r) ?? NaN)} ms`).join('; '),
  );

  w.section('A forged and an altered webhook (the body is not signed): neither starts a Zap');
  const before = w.zapier.runs.length;
  const refused = () => w.relay.counters.refused.bad_signature;
  const refusedBefore = refused();
  const storeId = w.ecwid.state.store.id;
  const forged = await fetch(`${w.relay.url}/webhooks/ecwid`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-ecwid-webhook-signature': 'bm90IGEgc2lnbmF0dXJl' },
    body: JSON.stringify({
      eventId: 'forged-1',
      eventCreated: Math.floor(Date.now() / 1000),
      storeId,
      entityId: stillThere.id,
      eventType: 'customer.deleted',
    }),
  });
  check(
    'a webhook without a valid X-Ecwid-Webhook-Signature is refused (401) and counted',
    forged.status === 401 && refused() === refusedBefore + 1,
  );
  const dropsBefore = droppedEvents['customer still exists in Ecwid'] ?? 0;
  const e = {
    eventId: `altered-${Date.now()}`,
    eventCreated: Math.floor(Date.now() / 1000),
    storeId,
    entityId: stillThere.id,
    eventType: 'customer.deleted',
    data: {},
  };
  await fetch(`${w.relay.url}/webhooks/ecwid`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-ecwid-webhook-signature': ecwidSignature(w.ecwid.clientSecret, e.eventCreated, e.eventId),
    },
    body: JSON.stringify(e),
  });
  await w.zapier.until(
    'the altered deletion run',
    () => w.zapier.runs.length === before + 1 && w.zapier.runs.every((r) => r.doneAt !== undefined),
  );
  w.printSteps(false);
  check(
    'a signed "deletion" of a customer who still exists is dropped by the trigger (it asks Ecwid): no GHL step',
    (w.zapier.runs.at(-1)?.items ?? []).length === 0 && (droppedEvents['customer still exists in Ecwid'] ?? 0) === dropsBefore + 1,
    `${stillThere.email} still in GHL: ${contactsOf(stillThere.id).length === 1}`,
  );
};
