/**
 * The three flows of the brief, end to end: the app's real operations (through Zapier's app
 * tester) against the sandbox over real HTTP on 127.0.0.1, connected through the app's own OAuth
 * code. Assertions are on what GHL (the sandbox state) holds afterwards.
 */
import { readFileSync } from 'node:fs';
import { runDemo } from '../../recipes/demo/story.js';
import { loadEcwidEvent } from '../../recipes/ecwid.js';
import { profilePull, removeCustomer, settingsFor, syncCustomer } from '../../recipes/flows.js';
import { ZapRunner } from '../../recipes/zap-runner.js';
import { startSandbox, type Sandbox } from '../../sandbox/server.js';

const savedEnv = { ...process.env };
let sandbox: Sandbox;
let zap: ZapRunner;

beforeEach(async () => {
  sandbox = await startSandbox();
  zap = new ZapRunner(sandbox);
  await zap.connect();
});
afterEach(async () => {
  await sandbox.close();
  process.env = { ...savedEnv };
});

const created = loadEcwidEvent('customer-created');
const updated = loadEcwidEvent('customer-updated');
const deleted = loadEcwidEvent('customer-deleted');

describe('flow 2: Ecwid customer created/updated → GHL contact + tasks', () => {
  const businessesNamed = (name: string) => [...sandbox.state.businesses.values()].filter((b) => b.name === name);

  it("creates the contact with the mapped fields, the Ecwid id, the group tag, its group's business and one welcome task", async () => {
    const settings = settingsFor(sandbox.state);
    const result = await syncCustomer(zap, created, settings);
    const contact = sandbox.state.contacts.get(String(result.contact.record.id))!;
    expect(result.contact.outcome).toBe('created');
    expect(result.business.outcome).toBe('created');
    const [general, ...others] = businessesNamed('General');
    expect(others).toEqual([]);
    expect(general).toMatchObject({ name: 'General', description: 'Ecwid customer group: General', locationId: sandbox.state.locationId });
    expect({
      firstName: contact.firstName,
      lastName: contact.lastName,
      email: contact.email,
      phone: contact.phone,
      address1: contact.address1,
      city: contact.city,
      state: contact.state,
      postalCode: contact.postalCode,
      country: contact.country,
      source: contact.source,
      tags: contact.tags,
      businessId: contact.businessId,
      customFields: contact.customFields,
    }).toEqual({
      firstName: 'Jules',
      lastName: 'Okafor',
      email: 'jules.okafor@example.com',
      phone: '+15035550187',
      address1: '42 Harbour Road',
      city: 'Portland',
      state: 'OR',
      postalCode: '97209',
      country: 'US',
      source: 'Ecwid',
      tags: ['ecwid-customer', 'ecwid-group:General'],
      businessId: general!.id,
      customFields: [{ id: settings.ecwidIdFieldId, value: '177737165' }],
    });
    const tasks = [...sandbox.state.tasks.values()].filter((t) => t.contactId === contact.id);
    expect(tasks.map((t) => [t.title, t.dueDate, t.completed])).toEqual([
      ['Welcome call for new Ecwid customer', '2026-11-22T09:40:00.000Z', false],
    ]);
  });

  it('replaying the same event three times creates nothing and changes nothing', async () => {
    const settings = settingsFor(sandbox.state);
    const first = await syncCustomer(zap, created, settings);
    const contactsAfterFirst = sandbox.state.contacts.size;
    const tasksAfterFirst = sandbox.state.tasks.size;
    const businessesAfterFirst = sandbox.state.businesses.size;
    const snapshot = JSON.stringify(sandbox.state.contacts.get(String(first.contact.record.id)), (k, v) =>
      k === 'dateUpdated' ? undefined : v,
    );
    for (let i = 0; i < 3; i++) {
      const again = await syncCustomer(zap, created, settings);
      expect([again.business.outcome, again.contact.outcome, again.task.outcome]).toEqual(['found', 'updated', 'found']);
    }
    expect([sandbox.state.contacts.size, sandbox.state.tasks.size, sandbox.state.businesses.size]).toEqual([
      contactsAfterFirst,
      tasksAfterFirst,
      businessesAfterFirst,
    ]);
    expect(
      JSON.stringify(sandbox.state.contacts.get(String(first.contact.record.id)), (k, v) => (k === 'dateUpdated' ? undefined : v)),
    ).toBe(snapshot);
  });

  it("an update changes the address, moves the contact to its new group's business and swaps the group tag: the old ecwid-group tag goes, other tags stay", async () => {
    const settings = settingsFor(sandbox.state);
    const first = await syncCustomer(zap, created, settings);
    const id = String(first.contact.record.id);
    sandbox.state.contacts.get(id)!.tags.push('vip-newsletter');
    const before = zap.steps.length;
    const second = await syncCustomer(zap, updated, settings);
    expect(second.contact.outcome).toBe('updated');
    const contact = sandbox.state.contacts.get(id)!;
    expect([contact.address1, contact.postalCode]).toEqual(['7 Pier Street', '97210']);
    expect(contact.tags.map((t) => t.toLowerCase()).sort()).toEqual(['ecwid-customer', 'ecwid-group:wholesale', 'vip-newsletter']);
    expect(second.groupTagRemoved.map((t) => t.toLowerCase())).toEqual(['ecwid-group:general']);
    const [wholesale, ...more] = businessesNamed('Wholesale');
    expect(more).toEqual([]);
    expect(second.business.outcome).toBe('created');
    expect(contact.businessId).toBe(wholesale!.id);
    expect(zap.steps.slice(before).map((st) => [st.kind, st.key, st.input.tags])).toEqual([
      ['searches', 'find_business', undefined],
      ['creates', 'create_business', undefined],
      ['searches', 'find_contact', undefined],
      ['creates', 'update_contact', undefined],
      ['searches', 'find_task', undefined],
      ['filter', 'filter', undefined],
      ['creates', 'remove_tags_from_contact', ['ecwid-group:General', 'ecwid-group:Retail', 'ecwid-group:Wholesale', 'ecwid-group:VIP']],
      ['creates', 'add_tags_to_contact', ['ecwid-group:Wholesale']],
    ]);
    expect(zap.steps.slice(before).find((st) => st.key === 'update_contact')?.input.businessId).toBe(wholesale!.id);

    // Zapier replays the move: the business and the contact are found, the filter stops the swap, nothing changes.
    const data = () =>
      JSON.stringify(
        [[...sandbox.state.contacts.values()], [...sandbox.state.businesses.values()], [...sandbox.state.tasks.values()]],
        (k, v) => (k === 'dateUpdated' || k === 'updatedAt' ? undefined : v),
      );
    const snapshot = data();
    const replay = await syncCustomer(zap, updated, settings);
    expect([replay.business.outcome, replay.contact.outcome, replay.groupTagRemoved]).toEqual(['found', 'updated', []]);
    expect(data()).toBe(snapshot);
  });

  it('an update that keeps the group stops at the filter: no tag is removed or added again', async () => {
    const settings = settingsFor(sandbox.state);
    const first = await syncCustomer(zap, created, settings);
    const tagRequests = () => sandbox.requests.filter((r) => r.path.endsWith('/tags')).length;
    const before = tagRequests();
    const again = await syncCustomer(zap, created, settings);
    expect(again.groupTagRemoved).toEqual([]);
    expect(zap.steps.at(-1)).toMatchObject({
      kind: 'filter',
      output: { pass: false, reason: 'the contact already has ecwid-group:General: nothing to swap' },
    });
    expect(tagRequests()).toBe(before);
    expect(sandbox.state.contacts.get(String(first.contact.record.id))!.tags).toEqual(['ecwid-customer', 'ecwid-group:General']);
  });
});

describe('flow 1: profile pull', () => {
  it('returns contactId, name, email, phone and the most recent task, fetched with 4 parallel requests', async () => {
    const settings = settingsFor(sandbox.state);
    const synced = await syncCustomer(zap, created, settings);
    const id = String(synced.contact.record.id);
    const profile = await profilePull(zap, id);
    expect(profile.found && profile.keyFields).toEqual({
      contactId: id,
      name: 'Jules Okafor',
      email: 'jules.okafor@example.com',
      phone: '+15035550187',
      mostRecentTask: { title: 'Welcome call for new Ecwid customer', dueDate: '2026-11-22T09:40:00.000Z', completed: false },
    });
    expect(zap.steps.at(-1)?.requests).toBe(4);
  });

  it("appointment times (sent by GHL without a zone) come out as the same instants, read in the sub-account's timezone", async () => {
    const appointment = [...sandbox.state.appointments.values()][0]!;
    const profile = await profilePull(zap, appointment.contactId);
    const out =
      profile.found &&
      (profile.profile.appointments as Array<{ id: string; startTime: string; endTime: string }>).find((a) => a.id === appointment.id);
    expect(out && [Date.parse(out.startTime), Date.parse(out.endTime)]).toEqual([
      Date.parse(appointment.startTime),
      Date.parse(appointment.endTime),
    ]);
    expect(zap.authData.locationTimezone).toBe(sandbox.state.location.timezone);
  });

  it('an unknown contact id finds nothing instead of failing', async () => {
    await expect(profilePull(zap, 'zzzzzzzzzzzzzzzzzzzz')).resolves.toEqual({ found: false, contactId: 'zzzzzzzzzzzzzzzzzzzz' });
  });
});

describe('flow 3: Ecwid customer deleted → GHL contact removed', () => {
  it('deletes the tasks, then the contact, and the output keeps the record', async () => {
    const settings = settingsFor(sandbox.state);
    const synced = await syncCustomer(zap, created, settings);
    const id = String(synced.contact.record.id);
    const taskIds = [...sandbox.state.tasks.values()].filter((t) => t.contactId === id).map((t) => t.id);
    const others = sandbox.state.contacts.size - 1;
    const afterSync = sandbox.requests.length;
    const result = await removeCustomer(zap, deleted, settings, 'delete');
    expect(result.removed).toBe(true);
    expect(result.removed && { ...result.deleted, deletedAt: 'x' }).toEqual({
      id,
      contactId: id,
      deleted: true,
      name: 'Jules Okafor',
      email: 'jules.okafor@example.com',
      phone: '+15035550187',
      taskCount: 1,
      tasksDeleted: [
        { id: taskIds[0], title: 'Welcome call for new Ecwid customer', dueDate: '2026-11-22T09:40:00.000Z', completed: false },
      ],
      deletedAt: 'x',
    });
    expect(sandbox.state.contacts.has(id)).toBe(false);
    expect(taskIds.filter((t) => sandbox.state.tasks.has(t))).toEqual([]);
    expect(sandbox.state.contacts.size).toBe(others);
    const deletes = sandbox.requests
      .slice(afterSync)
      .filter((r) => r.method === 'DELETE')
      .map((r) => r.path);
    expect(deletes).toEqual([`/contacts/${id}/tasks/${taskIds[0]}`, `/contacts/${id}`]);
  });

  it('an ambiguous match deletes nothing', async () => {
    const settings = settingsFor(sandbox.state);
    for (const email of ['a.twin@example.com', 'b.twin@example.com']) {
      await zap.perform('creates', 'create_contact', {
        firstName: 'Twin',
        email,
        [`customField__${settings.ecwidIdFieldId}`]: '177737165',
      });
    }
    const size = sandbox.state.contacts.size;
    const result = await removeCustomer(zap, deleted, settings, 'delete');
    expect(result).toEqual({ removed: false, reason: '2 contacts match; refusing to guess' });
    expect(sandbox.state.contacts.size).toBe(size);
    expect(sandbox.requests.filter((r) => r.method === 'DELETE')).toEqual([]);
  });

  it('the soft variant tags the contact and completes its open tasks without deleting', async () => {
    const settings = settingsFor(sandbox.state);
    const synced = await syncCustomer(zap, created, settings);
    const id = String(synced.contact.record.id);
    const before = sandbox.requests.length;
    const result = await removeCustomer(zap, deleted, settings, 'archive');
    expect(result.removed).toBe(false);
    const contact = sandbox.state.contacts.get(id)!;
    expect(contact.tags).toContain('ecwid-deleted');
    expect([...sandbox.state.tasks.values()].filter((t) => t.contactId === id).map((t) => t.completed)).toEqual([true]);
    expect(sandbox.requests.slice(before).filter((r) => r.method === 'DELETE')).toEqual([]);
  });
});

describe('npm run demo', () => {
  it('passes every check, refreshing the expired token once', async () => {
    await sandbox.close();
    const lines: string[] = [];
    const result = await runDemo((l = '') => lines.push(l));
    expect(result.checks.filter((c) => !c.ok)).toEqual([]);
    expect(result.checks.length).toBeGreaterThanOrEqual(20);
    expect(result.refreshes).toBe(1);
    expect(lines.join('\n')).toContain('checks passed');
    // The transcript shows what each step was given; an empty mapped value is never sent, so it is not shown (issue 10).
    expect(lines.join('\n')).not.toMatch(/":""/);
    // Flows 2 and 3 also ran from Ecwid's webhooks through the relay, each event timed (issue 18).
    expect(result.checks.filter((c) => c.flow === 'ecwid-instant').map((c) => c.ok)).toEqual([true, true, true, true, true, true, true]);
    expect(lines.filter((l) => /⏱ Ecwid change → GHL write done in \d+ ms/.test(l))).toHaveLength(4);
    // Each step is named once (no "[key]" beside its name), and docs/recipes.md's tables list it by that name (issue 22).
    expect(lines.filter((l) => /^ {3}• .*\[\w+\]/.test(l))).toEqual([]);
    const stepNames = new Set(
      lines.flatMap((l) => {
        const m = /^ {3}• (.*?)(?: \(\d+ requests?, \d+ ms\).*| — .*)?$/.exec(l);
        return m
          ? [
              m[1]!
                .replace(/: (search|create|update)$/, '')
                .replace(/ \(poll\)$/, '')
                .replace(/ecwid-group:\w+$/, 'ecwid-group:{{Customer Group}}'),
            ]
          : [];
      }),
    );
    const recipes = readFileSync('docs/recipes.md', 'utf8');
    expect([...stepNames].filter((n) => !recipes.includes(`**${n}**`))).toEqual([]);
    expect(stepNames.size).toBe(23);
    sandbox = await startSandbox();
    // The whole demo (polling flows, GHL's and Ecwid's instant flows) on a loaded 2-core machine.
  }, 180_000);
});
