import { startSandbox } from '../../../sandbox/server.js';
import type { Sandbox } from '../../../sandbox/server.js';
import { allowLocalhost, call } from '../helpers.js';

allowLocalhost();

describe('sandbox contacts', () => {
  let sb: Sandbox;
  let token: string;
  let loc: string;
  const cf = (name: string) => [...sb.state.customFields.values()].find((f) => f.name === name)!.id;
  const contactByEmail = (email: string) => [...sb.state.contacts.values()].find((c) => c.email === email)!;

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

  test('bulk business: sets and removes the business of the listed contacts; unknown ids are refused', async () => {
    const biz = [...sb.state.businesses.keys()][0]!;
    const [a, b] = [...sb.state.contacts.keys()];
    const set = await call(sb, token, 'POST', '/contacts/bulk/business', { body: { locationId: loc, ids: [a, b], businessId: biz } });
    expect([set.status, set.body.success, set.body.ids]).toEqual([200, true, [a, b]]);
    expect([sb.state.contacts.get(a!)!.businessId, sb.state.contacts.get(b!)!.businessId]).toEqual([biz, biz]);
    const removed = await call(sb, token, 'POST', '/contacts/bulk/business', { body: { locationId: loc, ids: [a], businessId: null } });
    expect(removed.status).toBe(200);
    expect(sb.state.contacts.get(a!)!.businessId).toBeNull();
    const bad = await call(sb, token, 'POST', '/contacts/bulk/business', {
      body: { locationId: loc, ids: ['nope0000000000000000'], businessId: biz },
    });
    expect([bad.status, bad.body.message]).toEqual([400, 'Contact with id nope0000000000000000 not found']);
  });

  test('seed is deterministic: same ids in a fresh sandbox and after reset', async () => {
    const other = await startSandbox();
    try {
      expect(other.locationId).toBe(sb.locationId);
      expect([...other.state.contacts.keys()]).toEqual([...sb.state.contacts.keys()]);
      expect([...other.state.customFields.keys()]).toEqual([...sb.state.customFields.keys()]);
      expect(sb.locationId).toMatch(/^[A-Za-z0-9]{20}$/);
      const created = await call(sb, token, 'POST', '/contacts/', { body: { locationId: loc, email: 'det@example.com' } });
      const created2 = await call(other, other.issueTokens().access_token, 'POST', '/contacts/', {
        body: { locationId: loc, email: 'det@example.com' },
      });
      expect(created.body.contact.id).toBe(created2.body.contact.id);
    } finally {
      await other.close();
    }
    const before = [...sb.state.contacts.keys()];
    sb.reset();
    expect([...sb.state.contacts.keys()]).toEqual(before.slice(0, 6));
    const loc0 = sb.state.location;
    expect(loc0.name).toBe('Maple & Rye Goods (Demo)');
    expect(loc0.timezone).toBe('America/New_York');
    expect(loc0.settings.allowDuplicateContact).toBe(false);
    expect(sb.state.contacts.size).toBe(6);
    expect(sb.state.users.size).toBe(3);
    expect([...sb.state.businesses.values()].map((b) => b.name)).toEqual(['Maple & Rye Wholesale', 'Rye Street Café']);
  });

  test('401 without / with unknown token; 422 without Version; wrong Version', async () => {
    const path = `/contacts/${contactByEmail('olivia.bennett@example.com').id}`;
    const none = await call(sb, null, 'GET', path);
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ statusCode: 401, message: 'Invalid JWT', error: 'Unauthorized', traceId: expect.any(String) });
    expect((await call(sb, 'bogus', 'GET', path)).status).toBe(401);

    const noVersion = await call(sb, token, 'GET', path, { version: null });
    expect(noVersion.status).toBe(422);
    expect(noVersion.body).toEqual({
      statusCode: 422,
      message: ['Version header is required'],
      error: 'Unprocessable Entity',
      traceId: expect.any(String),
    });

    const wrong = await call(sb, token, 'GET', path, { version: '2021-04-15' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.message).toEqual(['Version header must be one of the following values: 2021-07-28']);

    // calendars use 2021-04-15
    const apptId = [...sb.state.appointments.keys()][0]!;
    const cal = await call(sb, token, 'GET', `/calendars/events/appointments/${apptId}`, { version: '2021-07-28' });
    expect(cal.status).toBe(422);
    expect(cal.body.message).toEqual(['Version header must be one of the following values: 2021-04-15']);
    const calOk = await call(sb, token, 'GET', `/calendars/events/appointments/${apptId}`);
    expect(calOk.status).toBe(200);
    expect(calOk.body.event.id).toBe(apptId);
  });

  test('403 when the locationId is another location', async () => {
    const other = sb.state.otherLocationId;
    const r = await call(sb, token, 'POST', '/contacts/', { body: { locationId: other, email: 'x@example.com' } });
    expect(r.status).toBe(403);
    expect(r.body).toEqual({ statusCode: 403, message: 'The token does not have access to this location.', traceId: expect.any(String) });
    expect((await call(sb, token, 'GET', `/locations/${other}`)).status).toBe(403);
    expect((await call(sb, token, 'GET', `/contacts/search/duplicate?locationId=${other}&email=a@b.c`)).status).toBe(403);
    expect((await call(sb, token, 'POST', '/contacts/search', { body: { locationId: other, pageLimit: 1 } })).status).toBe(403);
  });

  test('404 for unknown routes', async () => {
    const r = await call(sb, token, 'GET', '/x');
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ statusCode: 404, message: 'Cannot GET /x', error: 'Not Found', traceId: expect.any(String) });
  });

  test('create: 201, lower-cased fields, custom fields as {id,value}; both /contacts and /contacts/', async () => {
    const r = await call(sb, token, 'POST', '/contacts', {
      body: {
        locationId: loc,
        firstName: 'Zoë',
        lastName: 'Quinn',
        email: 'Zoe.Quinn@Example.com',
        phone: '+1 802-555-0999',
        tags: ['customer', 'Customer', 'new'],
        customFields: [
          { id: cf('Ecwid Customer ID'), value: '555' },
          { id: cf('Customer Group'), field_value: 'VIP' },
          { id: cf('Lifetime Value'), fieldValue: 12.5 },
          { key: 'contact.marketing_optin', field_value: ['Yes'] },
          { key: 'first_order_date', value: '2026-03-31' },
        ],
      },
    });
    expect(r.status).toBe(201);
    expect(r.body.contact).toMatchObject({
      locationId: loc,
      firstName: 'Zoë',
      lastName: 'Quinn',
      firstNameLowerCase: 'zoë',
      lastNameLowerCase: 'quinn',
      fullNameLowerCase: 'zoë quinn',
      email: 'Zoe.Quinn@Example.com',
      emailLowerCase: 'zoe.quinn@example.com',
      phone: '+18025550999',
      tags: ['customer', 'new'],
      dateAdded: '2026-04-01T12:00:00.000Z',
      dateUpdated: '2026-04-01T12:00:00.000Z',
      customFields: [
        { id: cf('Ecwid Customer ID'), value: '555' },
        { id: cf('Customer Group'), value: 'VIP' },
        { id: cf('Lifetime Value'), value: 12.5 },
        { id: cf('Marketing Opt-in'), value: ['Yes'] },
        { id: cf('First Order Date'), value: '2026-03-31' },
      ],
    });
    expect(r.body.contact.id).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(typeof r.body.traceId).toBe('string');
    const again = await call(sb, token, 'POST', '/contacts/', { body: { locationId: loc, email: 'other@example.com' } });
    expect(again.status).toBe(201);
  });

  test('unknown custom field id → 422', async () => {
    const r = await call(sb, token, 'POST', '/contacts/', {
      body: {
        locationId: loc,
        email: 'cf@example.com',
        customFields: [
          { id: cf('Customer Group'), value: 'VIP' },
          { id: 'nope', value: 1 },
        ],
      },
    });
    expect(r.status).toBe(422);
    expect(r.body.message).toEqual(['customFields.1.id nope does not exist']);
    expect(r.body.error).toBe('Unprocessable Entity');
  });

  test('missing required body field → 422', async () => {
    const r = await call(sb, token, 'POST', '/contacts/', { body: { email: 'a@example.com' } });
    expect(r.status).toBe(422);
    expect(r.body.message).toEqual(['locationId should not be empty']);
  });

  test('duplicate contact → 400 with meta (email case-insensitive, then phone)', async () => {
    const olivia = contactByEmail('olivia.bennett@example.com');
    const r = await call(sb, token, 'POST', '/contacts/', { body: { locationId: loc, email: 'OLIVIA.bennett@example.com' } });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      statusCode: 400,
      message: 'This location does not allow duplicated contacts.',
      meta: { contactId: olivia.id, contactName: 'Olivia Bennett', matchingField: 'email' },
      traceId: expect.any(String),
    });
    const p = await call(sb, token, 'POST', '/contacts/', { body: { locationId: loc, email: 'new@example.com', phone: '(802) 555-0123' } });
    expect(p.status).toBe(400);
    expect(p.body.meta).toEqual({ contactId: olivia.id, contactName: 'Olivia Bennett', matchingField: 'phone' });

    sb.state.location.settings.allowDuplicateContact = true;
    const ok = await call(sb, token, 'POST', '/contacts/', { body: { locationId: loc, email: 'olivia.bennett@example.com' } });
    expect(ok.status).toBe(201);
  });

  test('get contact: full schema; missing contact → 400 everywhere', async () => {
    const olivia = contactByEmail('olivia.bennett@example.com');
    const r = await call(sb, token, 'GET', `/contacts/${olivia.id}`);
    expect(r.status).toBe(200);
    expect(r.body.contact).toMatchObject({
      id: olivia.id,
      email: 'olivia.bennett@example.com',
      dateAdded: '2026-01-09T15:04:11.000Z',
      dateUpdated: '2026-02-14T10:22:45.000Z',
      tags: ['customer', 'ecwid', 'vip'],
      additionalEmails: [],
      additionalPhones: [],
    });
    // As recorded live: no empty dndSettings, no name, no followers on a GET (test/recordings/sandbox-conformance.test.ts)
    expect(Object.keys(r.body.contact)).not.toEqual(expect.arrayContaining(['dndSettings']));
    expect(r.body.contact.customFields).toContainEqual({ id: cf('Ecwid Customer ID'), value: '274839105' });
    for (const [method, path, body] of [
      ['GET', '/contacts/missing000000000000000', undefined],
      ['PUT', '/contacts/missing000000000000000', { firstName: 'x' }],
      ['DELETE', '/contacts/missing000000000000000', undefined],
      ['GET', '/contacts/missing000000000000000/tasks', undefined],
      ['POST', '/contacts/missing000000000000000/tags', { tags: ['a'] }],
    ] as const) {
      const m = await call(sb, token, method, path, { body });
      expect(m.status).toBe(400);
      expect(m.body).toEqual({ statusCode: 400, message: 'Contact with id missing000000000000000 not found', traceId: expect.any(String) });
    }
  });

  test('update: whitelist 422 (locationId, gender); companyName accepted (#314); merge custom fields; tags replace', async () => {
    const olivia = contactByEmail('olivia.bennett@example.com');
    const bad = await call(sb, token, 'PUT', `/contacts/${olivia.id}`, {
      body: { locationId: loc, gender: 'female', companyName: 'X', firstName: 'Liv' },
    });
    expect(bad.status).toBe(422);
    expect(bad.body).toEqual({
      statusCode: 422,
      message: ['property locationId should not exist', 'property gender should not exist'],
      error: 'Unprocessable Entity',
      traceId: expect.any(String),
    });
    sb.state.setNow('2026-04-02T08:00:00.000Z');
    const r = await call(sb, token, 'PUT', `/contacts/${olivia.id}`, {
      body: { firstName: 'Liv', tags: ['only-this'], customFields: [{ id: cf('Customer Group'), field_value: 'General' }] },
    });
    expect(r.status).toBe(200);
    expect(r.body.succeded).toBe(true);
    expect(r.body.contact).toMatchObject({
      firstName: 'Liv',
      firstNameLowerCase: 'liv',
      tags: ['only-this'],
      dateUpdated: '2026-04-02T08:00:00.000Z',
    });
    expect(r.body.contact.customFields).toEqual([
      { id: cf('Ecwid Customer ID'), value: '274839105' },
      { id: cf('Customer Group'), value: 'General' },
      { id: cf('Lifetime Value'), value: 1840.5 },
      { id: cf('Marketing Opt-in'), value: ['Yes'] },
      { id: cf('First Order Date'), value: '2026-01-09' },
    ]);
  });

  test('delete cascades tasks, notes and appointments', async () => {
    const olivia = contactByEmail('olivia.bennett@example.com');
    const count = () => ({
      tasks: [...sb.state.tasks.values()].filter((t) => t.contactId === olivia.id).length,
      notes: [...sb.state.notes.values()].filter((t) => t.contactId === olivia.id).length,
      appts: [...sb.state.appointments.values()].filter((t) => t.contactId === olivia.id).length,
    });
    expect(count()).toEqual({ tasks: 2, notes: 2, appts: 1 });
    const r = await call(sb, token, 'DELETE', `/contacts/${olivia.id}`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ succeded: true, succeeded: true, traceId: expect.any(String) });
    expect(count()).toEqual({ tasks: 0, notes: 0, appts: 0 });
    expect((await call(sb, token, 'GET', `/contacts/${olivia.id}`)).status).toBe(400);
  });

  test('duplicate search: email case-insensitive, number, null when not found', async () => {
    const olivia = contactByEmail('olivia.bennett@example.com');
    const e = await call(
      sb,
      token,
      'GET',
      `/contacts/search/duplicate?locationId=${loc}&email=${encodeURIComponent('Olivia.Bennett@EXAMPLE.com')}`,
    );
    expect(e.status).toBe(200);
    expect(e.body.contact.id).toBe(olivia.id);
    const n = await call(sb, token, 'GET', `/contacts/search/duplicate?locationId=${loc}&number=${encodeURIComponent('+18025550123')}`);
    expect(n.body.contact.id).toBe(olivia.id);
    const none = await call(sb, token, 'GET', `/contacts/search/duplicate?locationId=${loc}&email=nobody%40example.com`);
    expect(none.status).toBe(200);
    expect(none.body).toEqual({ contact: null, traceId: expect.any(String) });
  });

  test('upsert: updates by email (new:false), creates otherwise (new:true)', async () => {
    const olivia = contactByEmail('olivia.bennett@example.com');
    const u = await call(sb, token, 'POST', '/contacts/upsert', {
      body: { locationId: loc, email: 'olivia.bennett@example.com', city: 'Stowe', gender: 'female' },
    });
    expect(u.status).toBe(200);
    expect(u.body.new).toBe(false);
    expect(u.body.contact.id).toBe(olivia.id);
    expect(u.body.contact.city).toBe('Stowe');
    expect(typeof u.body.traceId).toBe('string');
    expect(sb.state.contacts.get(olivia.id)!.gender).toBeUndefined();
    const c = await call(sb, token, 'POST', '/contacts/upsert', {
      body: { locationId: loc, email: 'fresh@example.com', firstName: 'Fresh' },
    });
    expect(c.status).toBe(200);
    expect(c.body.new).toBe(true);
    expect(sb.state.contacts.get(c.body.contact.id)!.firstName).toBe('Fresh');
  });

  test('tags add (201, additive, dedup) and remove (200, DELETE with body)', async () => {
    const grace = contactByEmail('grace.oneill@example.com');
    const a = await call(sb, token, 'POST', `/contacts/${grace.id}/tags`, { body: { tags: ['vip', 'VIP', 'newsletter'] } });
    expect(a.status).toBe(201);
    expect(a.body.tags).toEqual(['vip', 'newsletter']);
    const a2 = await call(sb, token, 'POST', `/contacts/${grace.id}/tags`, { body: { tags: ['vip', 'brand-new'] } });
    expect(a2.body.tags).toEqual(['vip', 'newsletter', 'brand-new']);
    expect([...sb.state.tags.values()].some((t) => t.name === 'brand-new')).toBe(true);
    const d = await call(sb, token, 'DELETE', `/contacts/${grace.id}/tags`, { body: { tags: ['vip'] } });
    expect(d.status).toBe(200);
    expect(d.body.tags).toEqual(['newsletter', 'brand-new']);
    const missing = await call(sb, token, 'POST', `/contacts/${grace.id}/tags`, { body: {} });
    expect(missing.status).toBe(422);
    expect(missing.body.message).toEqual(['tags should not be empty']);
  });

  test('deprecated GET /contacts/ pages with startAfterId/startAfter; business contacts', async () => {
    const p1 = await call(sb, token, 'GET', `/contacts/?locationId=${loc}&limit=4`);
    expect(p1.status).toBe(200);
    expect(p1.body.contacts.map((c: { email: string }) => c.email)).toEqual([
      'olivia.bennett@example.com',
      'jamal.carter@example.net',
      'sofia.marquez@example.org',
      'ethan.nguyen@example.com',
    ]);
    expect(p1.body.count).toBe(6);
    const p2 = await call(
      sb,
      token,
      'GET',
      `/contacts?locationId=${loc}&limit=4&startAfterId=${p1.body.meta.startAfterId}&startAfter=${p1.body.meta.startAfter}`,
    );
    expect(p2.body.contacts.map((c: { email: string }) => c.email)).toEqual(['grace.oneill@example.com', 'henrik.larsen@example.dk']);
    const wholesale = [...sb.state.businesses.values()].find((b) => b.name === 'Maple & Rye Wholesale')!;
    const b = await call(sb, token, 'GET', `/contacts/business/${wholesale.id}?locationId=${loc}&limit=10&skip=0`);
    expect(b.status).toBe(200);
    expect(b.body.count).toBe(1);
    expect(b.body.contacts[0].email).toBe('ethan.nguyen@example.com');
    const noLoc = await call(sb, token, 'GET', `/contacts/business/${wholesale.id}`);
    expect(noLoc.status).toBe(422);
    expect(noLoc.body.message).toEqual(['locationId should not be empty']);
  });

  test('locations, tags, custom fields, users, businesses', async () => {
    const l = await call(sb, token, 'GET', `/locations/${loc}`);
    expect(l.body.location).toMatchObject({
      id: loc,
      name: 'Maple & Rye Goods (Demo)',
      timezone: 'America/New_York',
      settings: { allowDuplicateContact: false },
    });
    const tags = await call(sb, token, 'GET', `/locations/${loc}/tags`);
    expect(tags.body.tags.map((t: { name: string }) => t.name)).toEqual([
      'customer',
      'wholesale',
      'vip',
      'newsletter',
      'ecwid',
      'follow-up',
    ]);
    const fields = await call(sb, token, 'GET', `/locations/${loc}/customFields?model=contact`);
    expect(
      fields.body.customFields.map((f: { name: string; dataType: string; fieldKey: string }) => [f.name, f.dataType, f.fieldKey]),
    ).toEqual([
      ['Ecwid Customer ID', 'TEXT', 'contact.ecwid_customer_id'],
      ['Customer Group', 'SINGLE_OPTIONS', 'contact.customer_group'],
      ['Lifetime Value', 'MONETORY', 'contact.lifetime_value'],
      ['Marketing Opt-in', 'CHECKBOX', 'contact.marketing_optin'],
      ['First Order Date', 'DATE', 'contact.first_order_date'],
      ['Notes for Staff', 'LARGE_TEXT', 'contact.notes_for_staff'],
    ]);
    expect(fields.body.customFields[1].picklistOptions).toEqual(['General', 'Wholesale', 'VIP']);
    const users = await call(sb, token, 'GET', `/users/?locationId=${loc}`);
    expect(users.body.users.map((u: { name: string }) => u.name)).toEqual(['Dana Whitfield', 'Marcus Lee', 'Priya Natarajan']);
    const search = await call(sb, token, 'GET', `/users/search?companyId=${sb.state.companyId}&locationId=${loc}`);
    expect(search.body.count).toBe(3);
    const biz = await call(sb, token, 'GET', `/businesses/?locationId=${loc}`);
    expect(biz.body.businesses).toHaveLength(2);
    const one = await call(sb, token, 'GET', `/businesses/${biz.body.businesses[0].id}`);
    expect(one.body.business.name).toBe('Maple & Rye Wholesale');
  });
});
