/**
 * Issue 11's steps end to end: the app's real operations against the sandbox over real HTTP,
 * with the GHL behaviours the sandbox imitates (upsert drops, re-entry, drafts, tag polling).
 */
import { SEED_CAMPAIGNS, SEED_WORKFLOWS, automationOf } from '../../sandbox/state/automation.js';
import { startSandbox, type Sandbox } from '../../sandbox/server.js';
import { loadEcwidEvent } from '../../recipes/ecwid.js';
import { startWelcomeWorkflow, stopAutomations } from '../../recipes/ecwid-automation.js';
import { removeCustomer, settingsFor, syncCustomer } from '../../recipes/flows.js';
import { ZapRunner } from '../../recipes/zap-runner.js';
import { zapierError } from '../helpers.js';

const savedEnv = { ...process.env };
let sb: Sandbox;
let zap: ZapRunner;

beforeAll(async () => {
  sb = await startSandbox();
  zap = new ZapRunner(sb);
  await zap.connect();
});
afterAll(async () => {
  await sb.close();
  process.env = { ...savedEnv };
});
beforeEach(() => sb.reset());

const contact = (first: string) => [...sb.state.contacts.values()].find((c) => c.firstName === first)!;
const apiCalls = (from: number) =>
  sb.requests
    .slice(from)
    .filter((r) => r.path !== '/oauth/token')
    .map((r) => `${r.method} ${r.path}`);
const failure = async (p: Promise<unknown>) =>
  zapierError(
    await p.then(
      () => new Error('expected a failure'),
      (e: unknown) => e,
    ),
  );

describe('Create or Update Contact against the sandbox', () => {
  it('updates by email and says so; a replay leaves one contact', async () => {
    const olivia = contact('Olivia');
    const count = sb.state.contacts.size;
    for (let i = 0; i < 2; i++) {
      const out = await zap.perform('creates', 'create_or_update_contact', { email: olivia.email, city: 'Shelburne' });
      expect([out.id, out.created, out.result, out.city, out.ignoredFields]).toEqual([olivia.id, false, 'updated', 'Shelburne', []]);
    }
    expect(sb.state.contacts.size).toBe(count);
  });

  it('creates a new contact with its tag added separately, and says created', async () => {
    const from = sb.requests.length;
    const out = await zap.perform('creates', 'create_or_update_contact', {
      email: 'nadia.okafor@example.com',
      firstName: 'Nadia',
      tags: ['customer'],
    });
    expect([out.created, out.result, out.tags]).toEqual([true, 'created', ['customer']]);
    expect(apiCalls(from)).toEqual(['POST /contacts/upsert', `POST /contacts/${out.id}/tags`]);
  });

  it('detects the phone GHL ignores when it belongs to another contact (#37) and names that contact', async () => {
    const olivia = contact('Olivia');
    const jamal = contact('Jamal');
    const e = await failure(zap.perform('creates', 'create_or_update_contact', { email: olivia.email, phone: jamal.phone }));
    expect(e.message).toContain(`phone "${jamal.phone}" not saved (kept "${olivia.phone}")`);
    expect(e.message).toContain(`which belongs to contact ${jamal.id}`);
    expect(sb.state.contacts.get(olivia.id)!.phone).toBe(olivia.phone);
  });

  it('detects a gender GHL discards on an existing contact (#313) and can continue', async () => {
    const olivia = contact('Olivia');
    const out = await zap.perform('creates', 'create_or_update_contact', {
      email: olivia.email,
      gender: 'female',
      stopOnDroppedData: 'false',
    });
    expect(out.ignoredFields).toEqual(['gender']);
  });
});

describe('Create or Update Contact: what it cannot see (#337)', () => {
  it('an email that is another contact’s additional email: GHL answers as for any update, so the step cannot report the lost primary', async () => {
    const olivia = contact('Olivia');
    olivia.additionalEmails = ['olivia.shop@example.com'];
    const out = await zap.perform('creates', 'create_or_update_contact', { email: 'olivia.shop@example.com' });
    expect([out.id, out.result, out.email, out.ignoredFields]).toEqual([olivia.id, 'updated', 'olivia.shop@example.com', []]);
    expect(sb.state.contacts.get(olivia.id)!.email).toBe('olivia.shop@example.com');
  });
});

describe('workflows and campaigns against the sandbox', () => {
  it('adds to a published workflow once, even when the step is replayed (re-entry off)', async () => {
    const olivia = contact('Olivia').id;
    for (let i = 0; i < 3; i++)
      await zap.perform('creates', 'add_contact_to_workflow', { contactId: olivia, workflowId: SEED_WORKFLOWS.welcome });
    expect(automationOf(sb.state).enrolments.map((e) => e.workflowId)).toEqual([SEED_WORKFLOWS.welcome]);
  });

  it('refuses a draft workflow and a removed campaign with only the list read', async () => {
    const olivia = contact('Olivia').id;
    let from = sb.requests.length;
    const draft = await failure(
      zap.perform('creates', 'add_contact_to_workflow', { contactId: olivia, workflowId: SEED_WORKFLOWS.winback }),
    );
    expect(draft.message).toMatch(/^The workflow "Win-back \(not finished\)" is draft in GHL/);
    expect(apiCalls(from)).toEqual(['GET /workflows/']);
    automationOf(sb.state).campaigns.delete(SEED_CAMPAIGNS.newsletter);
    from = sb.requests.length;
    const gone = await failure(
      zap.perform('creates', 'add_contact_to_campaign', { contactId: olivia, campaignId: SEED_CAMPAIGNS.newsletter }),
    );
    expect(gone.message).toMatch(/^This sub-account has no campaign with id "cmpNewsletterWinter1"/);
    expect(apiCalls(from)).toEqual(['GET /campaigns/']);
    expect(automationOf(sb.state).enrolments).toEqual([]);
  });

  it('removes from all campaigns in one request', async () => {
    const olivia = contact('Olivia').id;
    await zap.perform('creates', 'add_contact_to_campaign', { contactId: olivia, campaignId: SEED_CAMPAIGNS.newsletter });
    const from = sb.requests.length;
    await zap.perform('creates', 'remove_contact_from_all_campaigns', { contactId: olivia });
    expect(apiCalls(from)).toEqual([`DELETE /contacts/${olivia}/campaigns/removeAll`]);
    expect(automationOf(sb.state).inCampaigns.get(olivia)).toBeUndefined();
  });
});

describe('Contact Tag Added against the sandbox', () => {
  it('lists a contact that just gained the tag first, with one request; other changes keep its id', async () => {
    const ethan = contact('Ethan');
    sb.state.setNow('2027-01-05T10:00:00.000Z');
    await zap.perform('creates', 'update_tags_on_contacts', { action: 'add', contactIds: [ethan.id], tags: ['spring-2026'] });
    const from = sb.requests.length;
    const first = await zap.perform('triggers', 'contact_tag_added', { tag: 'spring-2026' });
    expect(apiCalls(from)).toEqual(['POST /contacts/search']);
    expect(first.map((c: { id: string }) => c.id)).toEqual([`${ethan.id}:spring-2026`]);
    sb.state.setNow('2027-01-06T10:00:00.000Z');
    await zap.perform('creates', 'update_contact', { contactId: ethan.id, city: 'Winooski' });
    const again = await zap.perform('triggers', 'contact_tag_added', { tag: 'spring-2026' });
    expect(again.map((c: { id: string }) => c.id)).toEqual([`${ethan.id}:spring-2026`]);
  });
});

describe('the optional automation steps of the Ecwid recipes (recipes/ecwid-automation.ts)', () => {
  it('flow 2 + welcome workflow: the new customer is enrolled once, also when the event comes twice', async () => {
    const event = loadEcwidEvent('customer-created');
    for (let i = 0; i < 2; i++) {
      const synced = await syncCustomer(zap, event, settingsFor(sb.state));
      const out = await startWelcomeWorkflow(zap, { contact: synced.contact.record }, { welcomeWorkflowId: SEED_WORKFLOWS.welcome });
      expect(out?.workflowName).toBe('Welcome new Ecwid customers');
    }
    const jules = [...sb.state.contacts.values()].find((c) => c.email === 'jules.okafor@example.com')!;
    expect(automationOf(sb.state).enrolments.map((e) => [e.contactId, e.workflowId])).toEqual([[jules.id, SEED_WORKFLOWS.welcome]]);
  });

  it('flow 3 (soft): campaigns and the welcome workflow are stopped before the archive', async () => {
    const synced = await syncCustomer(zap, loadEcwidEvent('customer-created'), settingsFor(sb.state));
    const data = { contact: synced.contact.record };
    await startWelcomeWorkflow(zap, data, { welcomeWorkflowId: SEED_WORKFLOWS.welcome });
    await zap.perform('creates', 'add_contact_to_campaign', { contactId: data.contact.id, campaignId: SEED_CAMPAIGNS.newsletter });
    await stopAutomations(zap, data, { stopWorkflowIds: [SEED_WORKFLOWS.welcome] });
    const archived = await removeCustomer(zap, loadEcwidEvent('customer-deleted'), settingsFor(sb.state), 'archive');
    expect(archived.reason).toBe('exactly one contact matches');
    const d = automationOf(sb.state);
    expect([d.inCampaigns.get(String(data.contact.id)), [...(d.inWorkflows.get(String(data.contact.id)) ?? [])]]).toEqual([undefined, []]);
  });
});
