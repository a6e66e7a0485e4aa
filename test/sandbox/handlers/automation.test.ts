import { SEED_CAMPAIGNS, SEED_WORKFLOWS, automationOf } from '../../../sandbox/state/automation.js';
import { implementedOperations, startSandbox, type Sandbox } from '../../../sandbox/server.js';
import { allowLocalhost, call } from '../helpers.js';

allowLocalhost();

describe('sandbox workflows, campaigns, followers and bulk tags', () => {
  let sb: Sandbox;
  let token: string;
  let loc: string;
  const contact = (first: string) => [...sb.state.contacts.values()].find((c) => c.firstName === first)!;

  beforeAll(async () => {
    sb = await startSandbox();
    token = sb.issueTokens().access_token;
    loc = sb.locationId;
  });
  afterAll(async () => {
    await sb.close();
  });
  beforeEach(() => {
    allowLocalhost();
    sb.reset();
    sb.state.setNow('2026-04-01T12:00:00.000Z');
  });

  test('the new operations are implemented (not 501)', () => {
    expect(implementedOperations()).toEqual(
      expect.arrayContaining([
        'workflows:get-workflow',
        'campaigns:get-campaigns',
        'contacts:add-contact-to-workflow',
        'contacts:delete-contact-from-workflow',
        'contacts:add-contact-to-campaign',
        'contacts:remove-contact-from-campaign',
        'contacts:remove-contact-from-every-campaign',
        'contacts:add-followers-contact',
        'contacts:remove-followers-contact',
        'contacts:create-association',
      ]),
    );
  });

  test('GET /workflows/ lists the location’s workflows; locationId is required and checked', async () => {
    const res = await call(sb, token, 'GET', `/workflows/?locationId=${loc}`);
    expect(res.status).toBe(200);
    expect(res.body.workflows.map((w: { name: string; status: string }) => [w.name, w.status])).toEqual([
      ['Welcome new Ecwid customers', 'published'],
      ['Post-purchase review request', 'published'],
      ['Win-back (not finished)', 'draft'],
    ]);
    expect(Object.keys(res.body.workflows[0]).sort()).toEqual(['createdAt', 'id', 'locationId', 'name', 'status', 'updatedAt', 'version']);
    expect((await call(sb, token, 'GET', '/workflows/')).status).toBe(422);
    expect((await call(sb, token, 'GET', `/workflows/?locationId=${sb.state.otherLocationId}`)).status).toBe(403);
  });

  test('GET /campaigns/ lists campaigns, optionally by status', async () => {
    const all = await call(sb, token, 'GET', `/campaigns/?locationId=${loc}`);
    expect(all.body.campaigns.map((c: { id: string }) => c.id)).toEqual([SEED_CAMPAIGNS.newsletter, SEED_CAMPAIGNS.spring]);
    const drafts = await call(sb, token, 'GET', `/campaigns/?locationId=${loc}&status=draft`);
    expect(drafts.body.campaigns).toEqual([{ id: SEED_CAMPAIGNS.spring, name: 'Spring promo', status: 'draft', locationId: loc }]);
  });

  test('workflow add is an enrolment once (re-entry off), every time with re-entry on; remove leaves it', async () => {
    const olivia = contact('Olivia').id;
    const add = (wf: string, body: object = {}) => call(sb, token, 'POST', `/contacts/${olivia}/workflow/${wf}`, { body });
    expect((await add(SEED_WORKFLOWS.welcome, { eventStartTime: '2026-04-02T09:00:00-04:00' })).body).toMatchObject({ succeded: true });
    expect((await add(SEED_WORKFLOWS.welcome)).status).toBe(200);
    await add(SEED_WORKFLOWS.review);
    await add(SEED_WORKFLOWS.review);
    const d = automationOf(sb.state);
    expect(d.enrolments.map((e) => [e.workflowId, e.eventStartTime])).toEqual([
      [SEED_WORKFLOWS.welcome, '2026-04-02T09:00:00-04:00'],
      [SEED_WORKFLOWS.review, undefined],
      [SEED_WORKFLOWS.review, undefined],
    ]);
    const removed = await call(sb, token, 'DELETE', `/contacts/${olivia}/workflow/${SEED_WORKFLOWS.welcome}`, { body: {} });
    expect([removed.status, removed.body.succeded]).toEqual([200, true]);
    expect([...d.inWorkflows.get(olivia)!]).toEqual([SEED_WORKFLOWS.review]);
  });

  test('unknown workflow, campaign or contact → 400 with GHL-style words; a body field outside the DTO → 422', async () => {
    const olivia = contact('Olivia').id;
    const wf = await call(sb, token, 'POST', `/contacts/${olivia}/workflow/00000000-0000-4000-8000-000000000000`, { body: {} });
    expect([wf.status, wf.body.message]).toEqual([400, 'Workflow with id 00000000-0000-4000-8000-000000000000 not found']);
    const cp = await call(sb, token, 'POST', `/contacts/${olivia}/campaigns/cmpGone0000000000000`, { body: {} });
    expect([cp.status, cp.body.message]).toEqual([400, 'Campaign with id cmpGone0000000000000 not found']);
    const who = await call(sb, token, 'POST', `/contacts/Zz9MissingRecord0001/workflow/${SEED_WORKFLOWS.welcome}`, { body: {} });
    expect([who.status, who.body.message]).toEqual([400, 'Contact with id Zz9MissingRecord0001 not found']);
    const extra = await call(sb, token, 'POST', `/contacts/${olivia}/workflow/${SEED_WORKFLOWS.welcome}`, { body: { startNow: true } });
    expect([extra.status, extra.body.message]).toEqual([422, ['property startNow should not exist']]);
  });

  test('campaigns: add (201), remove one, remove all (the static removeAll route wins over :campaignId)', async () => {
    const olivia = contact('Olivia').id;
    const added = await call(sb, token, 'POST', `/contacts/${olivia}/campaigns/${SEED_CAMPAIGNS.newsletter}`, { body: {} });
    expect([added.status, added.body.succeded]).toEqual([201, true]);
    await call(sb, token, 'POST', `/contacts/${olivia}/campaigns/${SEED_CAMPAIGNS.spring}`, { body: {} });
    const d = automationOf(sb.state);
    expect([...d.inCampaigns.get(olivia)!]).toEqual([SEED_CAMPAIGNS.newsletter, SEED_CAMPAIGNS.spring]);
    await call(sb, token, 'DELETE', `/contacts/${olivia}/campaigns/${SEED_CAMPAIGNS.spring}`);
    expect([...d.inCampaigns.get(olivia)!]).toEqual([SEED_CAMPAIGNS.newsletter]);
    const all = await call(sb, token, 'DELETE', `/contacts/${olivia}/campaigns/removeAll`);
    expect([all.status, all.body.succeded, sb.requests.at(-1)?.operationId]).toEqual([200, true, 'remove-contact-from-every-campaign']);
    expect(d.inCampaigns.get(olivia)).toBeUndefined();
  });

  test('reset() restores workflows, campaigns and enrolments', async () => {
    const olivia = contact('Olivia').id;
    await call(sb, token, 'POST', `/contacts/${olivia}/workflow/${SEED_WORKFLOWS.welcome}`, { body: {} });
    automationOf(sb.state).workflows.get(SEED_WORKFLOWS.welcome)!.status = 'draft';
    sb.reset();
    expect(automationOf(sb.state).enrolments).toEqual([]);
    expect(automationOf(sb.state).workflows.get(SEED_WORKFLOWS.welcome)!.status).toBe('published');
  });

  test('followers: add is a set union (followersAdded only new ones), remove a set difference; both update the contact', async () => {
    const olivia = contact('Olivia');
    const [u1, u2] = [...sb.state.users.keys()];
    const a = await call(sb, token, 'POST', `/contacts/${olivia.id}/followers`, { body: { followers: [u1, u2] } });
    expect([a.status, a.body.followers, a.body.followersAdded]).toEqual([201, [u1, u2], [u1, u2]]);
    const again = await call(sb, token, 'POST', `/contacts/${olivia.id}/followers`, { body: { followers: [u1] } });
    expect([again.body.followers, again.body.followersAdded]).toEqual([[u1, u2], []]);
    const r = await call(sb, token, 'DELETE', `/contacts/${olivia.id}/followers`, { body: { followers: [u2, 'notAFollower'] } });
    expect([r.status, r.body.followers, r.body.followersRemoved]).toEqual([200, [u1], [u2]]);
    expect(sb.state.contacts.get(olivia.id)!.dateUpdated).toBe('2026-04-01T12:00:00.000Z');
    expect((await call(sb, token, 'POST', `/contacts/${olivia.id}/followers`, { body: {} })).status).toBe(422);
  });

  test('bulk tags: per-contact answers, errors for bad, missing and foreign ids; add is additive, remove selective', async () => {
    const olivia = contact('Olivia');
    const jamal = contact('Jamal');
    const before = [...olivia.tags];
    const res = await call(sb, token, 'POST', '/contacts/bulk/tags/update/add', {
      body: { locationId: loc, contacts: [olivia.id, jamal.id, 'abcdef', 'Zz9MissingRecord0001'], tags: ['vip-2026', before[0]] },
    });
    expect(res.status).toBe(201);
    expect(res.body.errorCount).toBe(2);
    expect(res.body.responses).toEqual([
      { contactId: olivia.id, message: 'Tags updated', type: 'success', oldTags: before, tagsAdded: ['vip-2026'], tagsRemoved: [] },
      expect.objectContaining({ contactId: jamal.id, type: 'success' }),
      { contactId: 'abcdef', message: 'contact id is not a valid firebase id', type: 'error' },
      { contactId: 'Zz9MissingRecord0001', message: 'contact is deleted', type: 'error' },
    ]);
    expect(sb.state.contacts.get(olivia.id)!.tags).toEqual([...before, 'vip-2026']);
    const removed = await call(sb, token, 'POST', '/contacts/bulk/tags/update/remove', {
      body: { locationId: loc, contacts: [olivia.id], tags: ['VIP-2026'] },
    });
    expect(removed.body.responses[0].tagsRemoved).toEqual(['vip-2026']);
    expect(sb.state.contacts.get(olivia.id)!.tags).toEqual(before);
    const all = await call(sb, token, 'POST', '/contacts/bulk/tags/update/remove', {
      body: { locationId: loc, contacts: [olivia.id], tags: [], removeAllTags: true },
    });
    expect([all.status, sb.state.contacts.get(olivia.id)!.tags]).toEqual([201, []]);
  });

  test('bulk tags: bad type, removeAllTags with add, missing locationId', async () => {
    const id = contact('Olivia').id;
    const bad = await call(sb, token, 'POST', '/contacts/bulk/tags/update/toggle', {
      body: { locationId: loc, contacts: [id], tags: ['x'] },
    });
    expect([bad.status, bad.body.message]).toEqual([422, ['type must be one of the following values: add, remove']]);
    const both = await call(sb, token, 'POST', '/contacts/bulk/tags/update/add', {
      body: { locationId: loc, contacts: [id], tags: ['x'], removeAllTags: true },
    });
    expect(both.status).toBe(422);
    const noLoc = await call(sb, token, 'POST', '/contacts/bulk/tags/update/add', { body: { contacts: [id], tags: ['x'] } });
    expect(noLoc.status).toBe(422);
  });

  test('upsert with an email that is another contact’s additional email: it becomes the primary and the old primary is lost (#337)', async () => {
    const olivia = contact('Olivia');
    const oldPrimary = olivia.email;
    olivia.additionalEmails = ['olivia.shop@example.com'];
    const res = await call(sb, token, 'POST', '/contacts/upsert', {
      body: { locationId: loc, email: 'olivia.shop@example.com', city: 'Stowe' },
    });
    expect([res.status, res.body.new, res.body.contact.id, res.body.contact.email]).toEqual([
      200,
      false,
      olivia.id,
      'olivia.shop@example.com',
    ]);
    const after = sb.state.contacts.get(olivia.id)!;
    expect([after.email, after.additionalEmails, after.city]).toEqual(['olivia.shop@example.com', [], 'Stowe']);
    expect([...sb.state.contacts.values()].some((c) => c.email === oldPrimary)).toBe(false);
  });
});
