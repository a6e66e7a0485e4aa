import { startSandbox } from '../../../sandbox/server.js';
import type { Sandbox } from '../../../sandbox/server.js';
import { allowLocalhost, call } from '../helpers.js';

allowLocalhost();

describe('sandbox POST /contacts/search and tasks/notes', () => {
  let sb: Sandbox;
  let token: string;
  let loc: string;
  const search = (body: Record<string, unknown>) =>
    call(sb, token, 'POST', '/contacts/search', { body: { locationId: loc, pageLimit: 100, ...body } });
  const emails = (r: { body: { contacts: { email: string }[] } }) => r.body.contacts.map((c) => c.email);
  const id = (email: string) => [...sb.state.contacts.values()].find((c) => c.email === email)!.id;

  beforeAll(async () => {
    allowLocalhost();
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

  test('validation: locationId and pageLimit required, pageLimit ≤ 500, query ≤ 75, page XOR searchAfter', async () => {
    const r = await call(sb, token, 'POST', '/contacts/search', { body: {} });
    expect(r.status).toBe(422);
    expect(r.body.message).toEqual([
      'locationId should not be empty',
      'pageLimit must be a number conforming to the specified constraints',
    ]);
    expect((await search({ pageLimit: 501 })).body.message).toEqual(['pageLimit must not be greater than 500']);
    expect((await search({ query: 'x'.repeat(76) })).body.message).toEqual(['query must be shorter than or equal to 75 characters']);
    expect((await search({ page: 1, searchAfter: [1, 'a'] })).body.message).toEqual(['page and searchAfter cannot be used together']);
    expect((await search({ filters: [{ field: 'nope', operator: 'eq', value: 1 }] })).body.message).toEqual([
      'filters.0.field nope is not supported',
    ]);
    expect((await search({ sort: [{ field: 'email', direction: 'asc' }] })).status).toBe(422);
  });

  test('default sort dateAdded desc; searchAfter on every contact; dndSettings {} as recorded; total', async () => {
    const r = await search({});
    expect(r.status).toBe(200);
    expect(r.body.total).toBe(6);
    expect(emails(r)).toEqual([
      'henrik.larsen@example.dk',
      'grace.oneill@example.com',
      'ethan.nguyen@example.com',
      'sofia.marquez@example.org',
      'jamal.carter@example.net',
      'olivia.bennett@example.com',
    ]);
    expect(r.body.contacts[0].searchAfter).toEqual([Date.parse('2026-03-10T13:40:20.000Z'), id('henrik.larsen@example.dk')]);
    expect(r.body.contacts[0].dndSettings).toEqual({});
    expect(typeof r.body.traceId).toBe('string');
  });

  test('searchAfter paging and page paging', async () => {
    const p1 = await search({ pageLimit: 4, sort: [{ field: 'dateAdded', direction: 'asc' }] });
    expect(emails(p1)).toEqual([
      'olivia.bennett@example.com',
      'jamal.carter@example.net',
      'sofia.marquez@example.org',
      'ethan.nguyen@example.com',
    ]);
    const last = p1.body.contacts[3].searchAfter;
    const p2 = await search({ pageLimit: 4, sort: [{ field: 'dateAdded', direction: 'asc' }], searchAfter: last });
    expect(emails(p2)).toEqual(['grace.oneill@example.com', 'henrik.larsen@example.dk']);
    expect(p2.body.total).toBe(6);
    const pg2 = await search({ pageLimit: 4, page: 2 });
    expect(emails(pg2)).toEqual(['jamal.carter@example.net', 'olivia.bennett@example.com']);
    const byName = await search({ pageLimit: 2, sort: [{ field: 'firstNameLowerCase', direction: 'asc' }] });
    expect(emails(byName)).toEqual(['ethan.nguyen@example.com', 'grace.oneill@example.com']);
    expect(byName.body.contacts[1].searchAfter).toEqual(['grace', id('grace.oneill@example.com')]);
    const byName2 = await search({
      pageLimit: 2,
      sort: [{ field: 'firstNameLowerCase', direction: 'asc' }],
      searchAfter: byName.body.contacts[1].searchAfter,
    });
    expect(emails(byName2)).toEqual(['henrik.larsen@example.dk', 'jamal.carter@example.net']);
  });

  test('filters: eq, not_eq, contains, not_contains, exists, not_exists, range, custom fields, groups, query', async () => {
    expect(emails(await search({ filters: [{ field: 'email', operator: 'eq', value: 'OLIVIA.BENNETT@example.com' }] }))).toEqual([
      'olivia.bennett@example.com',
    ]);
    expect((await search({ filters: [{ field: 'email', operator: 'not_eq', value: 'olivia.bennett@example.com' }] })).body.total).toBe(5);
    expect(
      emails(
        await search({
          filters: [{ field: 'tags', operator: 'contains', value: 'wholesale' }],
          sort: [{ field: 'dateAdded', direction: 'asc' }],
        }),
      ),
    ).toEqual(['jamal.carter@example.net', 'ethan.nguyen@example.com']);
    expect((await search({ filters: [{ field: 'tags', operator: 'not_contains', value: 'customer' }] })).body.total).toBe(3);
    expect(
      emails(await search({ filters: [{ field: 'companyName', operator: 'exists' }], sort: [{ field: 'dateAdded', direction: 'asc' }] })),
    ).toEqual(['jamal.carter@example.net', 'ethan.nguyen@example.com']);
    expect((await search({ filters: [{ field: 'businessId', operator: 'not_exists' }] })).body.total).toBe(4);
    expect(
      emails(
        await search({
          filters: [{ field: 'dateAdded', operator: 'range', value: { gte: '2026-02-01T00:00:00Z', lt: '2026-03-01T00:00:00Z' } }],
          sort: [{ field: 'dateAdded', direction: 'asc' }],
        }),
      ),
    ).toEqual(['sofia.marquez@example.org', 'ethan.nguyen@example.com']);
    expect(
      emails(
        await search({ filters: [{ field: 'dateUpdated', operator: 'range', value: { gt: Date.parse('2026-03-02T20:15:00.000Z') } }] }),
      ),
    ).toEqual(['henrik.larsen@example.dk']);
    const ecwid = [...sb.state.customFields.values()].find((f) => f.fieldKey === 'contact.ecwid_customer_id')!.id;
    expect(emails(await search({ filters: [{ field: `customFields.${ecwid}`, operator: 'eq', value: '274839105' }] }))).toEqual([
      'olivia.bennett@example.com',
    ]);
    const or = await search({
      filters: [
        {
          group: 'OR',
          filters: [
            { field: 'firstNameLowerCase', operator: 'eq', value: 'sofia' },
            { field: 'lastNameLowerCase', operator: 'eq', value: 'larsen' },
          ],
        },
      ],
    });
    expect(emails(or)).toEqual(['henrik.larsen@example.dk', 'sofia.marquez@example.org']);
    expect(emails(await search({ query: 'CAFÉ' }))).toEqual(['jamal.carter@example.net']);
    expect(emails(await search({ query: '415555' }))).toEqual(['ethan.nguyen@example.com']);
  });

  test('eventual consistency: search sees creates/updates only after searchIndexDelayMs', async () => {
    // The index runs on Date.now: frozen here and moved by the test, so "not yet" holds on a busy machine too.
    let now = Date.parse('2026-11-28T12:00:00.000Z');
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => now);
    const slow = await startSandbox({ searchIndexDelayMs: 300 });
    try {
      const t = slow.issueTokens().access_token;
      const s = (body: Record<string, unknown>) =>
        call(slow, t, 'POST', '/contacts/search', { body: { locationId: slow.locationId, pageLimit: 10, ...body } });
      const c = await call(slow, t, 'POST', '/contacts/', {
        body: { locationId: slow.locationId, email: 'late@example.com', firstName: 'Late' },
      });
      expect(c.status).toBe(201);
      expect((await s({ query: 'late@example.com' })).body.total).toBe(0);
      // the duplicate lookup and GET are immediately consistent
      expect(
        (await call(slow, t, 'GET', `/contacts/search/duplicate?locationId=${slow.locationId}&email=late%40example.com`)).body.contact.id,
      ).toBe(c.body.contact.id);
      now += 299;
      expect((await s({ query: 'late@example.com' })).body.total).toBe(0);
      now += 1;
      expect((await s({ query: 'late@example.com' })).body.total).toBe(1);
      await call(slow, t, 'PUT', `/contacts/${c.body.contact.id}`, { body: { firstName: 'Later' } });
      const stale = await s({ query: 'late@example.com' });
      expect(stale.body.contacts[0].firstName).toBe('Late');
      now += 300;
      expect((await s({ query: 'late@example.com' })).body.contacts[0].firstName).toBe('Later');
    } finally {
      clock.mockRestore();
      await slow.close();
    }
  });

  test('tasks: create (required fields), get, update, complete, delete, missing task → 400', async () => {
    const grace = id('grace.oneill@example.com');
    const bad = await call(sb, token, 'POST', `/contacts/${grace}/tasks`, { body: { title: 'Call' } });
    expect(bad.status).toBe(422);
    expect(bad.body.message).toEqual(['dueDate should not be empty', 'completed should not be empty']);
    const c = await call(sb, token, 'POST', `/contacts/${grace}/tasks`, {
      body: { title: 'Call', dueDate: '2026-04-05T15:00:00Z', completed: false, body: 'About the order' },
    });
    expect(c.status).toBe(201);
    expect(c.body.task).toMatchObject({
      title: 'Call',
      body: 'About the order',
      dueDate: '2026-04-05T15:00:00.000Z',
      completed: false,
      contactId: grace,
    });
    // As recorded live: the contact task endpoints send no dateAdded/dateUpdated.
    expect(c.body.task).not.toHaveProperty('dateAdded');
    const tid = c.body.task.id;
    expect((await call(sb, token, 'GET', `/contacts/${grace}/tasks/${tid}`)).body.task.id).toBe(tid);
    const u = await call(sb, token, 'PUT', `/contacts/${grace}/tasks/${tid}`, { body: { title: 'Call back' } });
    expect(u.status).toBe(200);
    expect(u.body.task.title).toBe('Call back');
    const done = await call(sb, token, 'PUT', `/contacts/${grace}/tasks/${tid}/completed`, { body: { completed: true } });
    expect(done.status).toBe(200);
    expect(done.body.task.completed).toBe(true);
    expect((await call(sb, token, 'GET', `/contacts/${grace}/tasks`)).body.tasks).toHaveLength(1);
    const d = await call(sb, token, 'DELETE', `/contacts/${grace}/tasks/${tid}`);
    expect(d.body).toEqual({ succeded: true, succeeded: true, traceId: expect.any(String) });
    const missing = await call(sb, token, 'GET', `/contacts/${grace}/tasks/${tid}`);
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ statusCode: 400, message: `Task with id ${tid} not found`, traceId: expect.any(String) });
  });

  test('task search: newest first (dateAdded desc), filters, limit/skip', async () => {
    const all = await call(sb, token, 'POST', `/locations/${loc}/tasks/search`, { body: {} });
    expect(all.status).toBe(200);
    expect(all.body.tasks.map((t: { title: string }) => t.title)).toEqual([
      'Schedule tasting visit',
      'Ask for a product review',
      'Confirm wholesale price list',
      'Send VIP welcome box',
    ]);
    expect(Object.keys(all.body.tasks[0]).sort()).toEqual([
      'assignedTo',
      'body',
      'completed',
      'contactId',
      'dateAdded',
      'dateUpdated',
      'dueDate',
      'id',
      'title',
    ]);
    const open = await call(sb, token, 'POST', `/locations/${loc}/tasks/search`, { body: { completed: false } });
    expect(open.body.tasks.map((t: { title: string }) => t.title)).toEqual(['Schedule tasting visit', 'Ask for a product review']);
    const olivia = id('olivia.bennett@example.com');
    const mine = await call(sb, token, 'POST', `/locations/${loc}/tasks/search`, { body: { contactId: [olivia], limit: 1, skip: 1 } });
    expect(mine.body.tasks.map((t: { title: string }) => t.title)).toEqual(['Send VIP welcome box']);
    const created = await call(sb, token, 'POST', `/contacts/${olivia}/tasks`, {
      body: { title: 'Newest', dueDate: '2026-04-09T10:00:00Z', completed: false },
    });
    expect(created.status).toBe(201);
    const again = await call(sb, token, 'POST', `/locations/${loc}/tasks/search`, { body: { limit: 1 } });
    expect(again.body.tasks[0].title).toBe('Newest');
    const bad = await call(sb, token, 'POST', `/locations/${loc}/tasks/search`, { body: { limit: '1' } });
    expect(bad.status).toBe(422);
    expect(bad.body.message).toEqual(['limit must be a number conforming to the specified constraints']);
  });

  test('notes: create requires body, list newest first, update, delete, missing → 400; appointments', async () => {
    const olivia = id('olivia.bennett@example.com');
    expect((await call(sb, token, 'POST', `/contacts/${olivia}/notes`, { body: {} })).body.message).toEqual(['body should not be empty']);
    const n = await call(sb, token, 'POST', `/contacts/${olivia}/notes`, { body: { body: 'Called back', title: 'Call', pinned: false } });
    expect(n.status).toBe(201);
    expect(n.body.note).toMatchObject({
      body: 'Called back',
      title: 'Call',
      pinned: false,
      contactId: olivia,
      dateAdded: '2026-04-01T12:00:00.000Z',
    });
    const list = await call(sb, token, 'GET', `/contacts/${olivia}/notes`);
    expect(list.body.notes.map((x: { body: string }) => x.body)).toEqual([
      'Called back',
      'Asked about gift wrapping for the holidays.',
      'Prefers deliveries on Fridays.',
    ]);
    const u = await call(sb, token, 'PUT', `/contacts/${olivia}/notes/${n.body.note.id}`, { body: { body: 'Edited' } });
    expect(u.body.note.body).toBe('Edited');
    expect((await call(sb, token, 'DELETE', `/contacts/${olivia}/notes/${n.body.note.id}`)).body.succeded).toBe(true);
    const missing = await call(sb, token, 'GET', `/contacts/${olivia}/notes/${n.body.note.id}`);
    expect(missing.status).toBe(400);
    expect(missing.body.message).toBe(`Note with id ${n.body.note.id} not found`);
    const appts = await call(sb, token, 'GET', `/contacts/${olivia}/appointments`);
    expect(appts.status).toBe(200);
    expect(appts.body.events).toHaveLength(1);
    expect(appts.body.events[0]).toMatchObject({
      title: 'VIP tasting',
      startTime: '2026-03-12 10:00:00',
      endTime: '2026-03-12 10:30:00',
      appointmentStatus: 'confirmed',
    });
  });
});
