import type nock from 'nock';
import App from '../../index.js';
import { LOCATION_ID, appTester, authData, create, freezeClock, ghlApi, perform, rejectsWith, search, trigger } from '../helpers.js';

/** GHL contact records as `POST /contacts/search` and `GET /contacts/:id` return them. */
const rosaGhl = {
  id: 'nmFmQEsNgz6AVpgLVUJ0',
  locationId: LOCATION_ID,
  firstName: 'Rosa',
  lastName: 'Delgado',
  firstNameLowerCase: 'rosa',
  email: 'rosa.delgado@example.com',
  phone: '+14155550123',
  companyName: 'Delgado Ceramics',
  city: 'San Francisco',
  country: 'US',
  source: 'Ecwid',
  type: 'customer',
  dnd: false,
  tags: ['ecwid-customer'],
  dateAdded: '2026-10-02T14:31:08.000Z',
  dateUpdated: '2026-11-20T09:12:44.000Z',
  customFields: [{ id: 'cfEcwid0000000000001', value: '274839105' }],
  searchAfter: [1795690268000, 'nmFmQEsNgz6AVpgLVUJ0'],
};
const rosa = {
  id: 'nmFmQEsNgz6AVpgLVUJ0',
  contactId: 'nmFmQEsNgz6AVpgLVUJ0',
  locationId: LOCATION_ID,
  name: 'Rosa Delgado',
  firstName: 'Rosa',
  lastName: 'Delgado',
  email: 'rosa.delgado@example.com',
  phone: '+14155550123',
  companyName: 'Delgado Ceramics',
  city: 'San Francisco',
  country: 'US',
  source: 'Ecwid',
  type: 'customer',
  dnd: false,
  tags: ['ecwid-customer'],
  dateAdded: '2026-10-02T14:31:08.000Z',
  dateUpdated: '2026-11-20T09:12:44.000Z',
  customFields: [{ id: 'cfEcwid0000000000001', value: '274839105' }],
};
const jamalGhl = {
  id: 'pOC0uJ97VYOKH2m3fkMD',
  locationId: LOCATION_ID,
  firstName: 'Jamal',
  lastName: 'Carter',
  email: 'jamal.carter@example.net',
  tags: [],
  dateAdded: '2026-09-21T18:45:00.000Z',
  dateUpdated: '2026-09-28T09:10:00.000Z',
};
const jamal = {
  id: 'pOC0uJ97VYOKH2m3fkMD',
  contactId: 'pOC0uJ97VYOKH2m3fkMD',
  locationId: LOCATION_ID,
  name: 'Jamal Carter',
  firstName: 'Jamal',
  lastName: 'Carter',
  email: 'jamal.carter@example.net',
  tags: [],
  dateAdded: '2026-09-21T18:45:00.000Z',
  dateUpdated: '2026-09-28T09:10:00.000Z',
  customFields: [],
};

/** What `z.dehydrate(hydrateCustomFieldsByName, { values })` adds to a trigger or search item that has custom field values. */
const rosaByName = {
  customFieldsByName: `hydrate|||${JSON.stringify({ type: 'method', method: 'hydrators.customFieldsByName', bundle: { values: [{ id: 'cfEcwid0000000000001', value: '274839105' }] } })}|||hydrate`,
};

/** What `z.dehydrate(hydrateContactProfile, { contactId })` puts in a trigger item. */
const profilePointer = (contactId: string) =>
  `hydrate|||{"type":"method","method":"hydrators.contactProfile","bundle":{"contactId":"${contactId}"}}|||hydrate`;

const countRequests = (scope: nock.Scope) => {
  const counter = { n: 0 };
  scope.on('request', () => counter.n++);
  return counter;
};

/**
 * Parallel requests may still be in flight when a failed Promise.all settles; wait for them before
 * `scope.done()` (the bound, 10 s, only turns a missing request into scope.done()'s clear message).
 */
const settled = async (scope: nock.Scope) => {
  for (let i = 0; i < 1000 && !scope.isDone(); i++) await new Promise((r) => setTimeout(r, 10));
  scope.done();
};

const CF_ECWID = 'cfEcwid0000000000001';

describe('New Contact (new_contact)', () => {
  it('asks for the newest contacts in one request and offers the profile lazily', async () => {
    const scope = ghlApi()
      .post('/contacts/search', { locationId: LOCATION_ID, pageLimit: 100, sort: [{ field: 'dateAdded', direction: 'desc' }] })
      .reply(200, { contacts: [rosaGhl, jamalGhl], total: 2, traceId: 't1' });
    const requests = countRequests(scope);
    const out = await perform(trigger('new_contact'));
    expect(out).toEqual([
      { ...rosa, ...rosaByName, profile: profilePointer(rosa.id) },
      { ...jamal, profile: profilePointer(jamal.id) },
    ]);
    expect(requests.n).toBe(1);
    scope.done();
  });

  it('returns [] when the sub-account has no contacts', async () => {
    const scope = ghlApi().post('/contacts/search').reply(200, { contacts: [], total: 0 });
    await expect(perform(trigger('new_contact'))).resolves.toEqual([]);
    scope.done();
  });

  it('reports a GHL refusal with GHL’s own words', async () => {
    const scope = ghlApi()
      .post('/contacts/search')
      .reply(403, { statusCode: 403, message: 'The token does not have access to this location.' });
    await rejectsWith(
      perform(trigger('new_contact')),
      'AppError',
      /^GHL denied access: The token does not have access to this location\. Check that/,
    );
    scope.done();
  });
});

describe('New or Updated Contact (new_or_updated_contact)', () => {
  it('asks for the most recently updated contacts in one request; each change has its own id', async () => {
    const scope = ghlApi()
      .post('/contacts/search', { locationId: LOCATION_ID, pageLimit: 100, sort: [{ field: 'dateUpdated', direction: 'desc' }] })
      .reply(200, { contacts: [rosaGhl, jamalGhl], total: 2 });
    const requests = countRequests(scope);
    const out = await perform(trigger('new_or_updated_contact'));
    expect(out).toEqual([
      { ...rosa, ...rosaByName, id: 'nmFmQEsNgz6AVpgLVUJ0:2026-11-20T09:12:44.000Z', profile: profilePointer(rosa.id) },
      { ...jamal, id: 'pOC0uJ97VYOKH2m3fkMD:2026-09-28T09:10:00.000Z', profile: profilePointer(jamal.id) },
    ]);
    expect(requests.n).toBe(1);
    scope.done();
  });

  it('a later update of the same contact gets a new id (so it triggers again) and keeps the contact id', async () => {
    const later = { ...rosaGhl, city: 'Oakland', dateUpdated: '2026-11-22T08:00:00.000Z' };
    const scope = ghlApi()
      .post('/contacts/search')
      .reply(200, { contacts: [rosaGhl], total: 1 })
      .post('/contacts/search')
      .reply(200, { contacts: [later], total: 1 });
    const [first] = await perform(trigger('new_or_updated_contact'));
    const [second] = await perform(trigger('new_or_updated_contact'));
    expect([first.id, first.contactId, second.id, second.contactId, second.city]).toEqual([
      'nmFmQEsNgz6AVpgLVUJ0:2026-11-20T09:12:44.000Z',
      'nmFmQEsNgz6AVpgLVUJ0',
      'nmFmQEsNgz6AVpgLVUJ0:2026-11-22T08:00:00.000Z',
      'nmFmQEsNgz6AVpgLVUJ0',
      'Oakland',
    ]);
    scope.done();
  });

  it('returns [] when there are no contacts', async () => {
    const scope = ghlApi().post('/contacts/search').reply(200, { contacts: [], total: 0 });
    await expect(perform(trigger('new_or_updated_contact'))).resolves.toEqual([]);
    scope.done();
  });
});

describe('contact profile hydrator (contactProfile)', () => {
  it('fetches the contact, its tasks, notes and appointments when a later step maps the profile', async () => {
    const id = rosa.id;
    const scope = ghlApi()
      .get(`/contacts/${id}`)
      .reply(200, { contact: rosaGhl })
      .get(`/contacts/${id}/tasks`)
      .reply(200, { tasks: [{ id: 'task1', title: 'Call back', dueDate: '2026-12-01T15:00:00.000Z', completed: false, contactId: id }] })
      .get(`/contacts/${id}/notes`)
      .reply(200, { notes: [{ id: 'note1', body: 'Likes mugs.', dateAdded: '2026-11-18T16:05:00.000Z', contactId: id }] })
      .get(`/contacts/${id}/appointments`)
      .reply(200, { events: [] });
    const hydrator = (App.hydrators as Record<string, unknown>).contactProfile;
    const out = await appTester(hydrator as never, { authData, inputData: { contactId: id } } as never);
    const task = { id: 'task1', taskId: 'task1', contactId: id, title: 'Call back', dueDate: '2026-12-01T15:00:00.000Z', completed: false };
    const note = { id: 'note1', noteId: 'note1', contactId: id, body: 'Likes mugs.', dateAdded: '2026-11-18T16:05:00.000Z' };
    expect(out).toEqual({
      ...rosa,
      mostRecentTask: task,
      nextOpenTask: task,
      latestNote: note,
      taskCount: 1,
      openTaskCount: 1,
      noteCount: 1,
      appointmentCount: 0,
      tasks: [task],
      notes: [note],
      appointments: [],
    });
    scope.done();
  });
});

describe('contact_list (hidden dropdown)', () => {
  it('pages through contacts by name, one page per Zapier page', async () => {
    const nameless = { id: 'x9Q2LmNb8VcXz7Wq1Rt5', email: 'orders@example.org', tags: [] };
    const scope = ghlApi()
      .post('/contacts/search', {
        locationId: LOCATION_ID,
        pageLimit: 100,
        page: 3,
        sort: [{ field: 'firstNameLowerCase', direction: 'asc' }],
      })
      .reply(200, { contacts: [nameless, rosaGhl], total: 202 });
    const out = await perform(trigger('contact_list'), {}, { page: 2 });
    expect(out).toEqual([
      { id: nameless.id, contactId: nameless.id, name: 'orders@example.org', email: 'orders@example.org', tags: [], customFields: [] },
      rosa,
    ]);
    scope.done();
  });

  it('returns [] past the last page', async () => {
    const scope = ghlApi().post('/contacts/search').reply(200, { contacts: [], total: 0 });
    await expect(perform(trigger('contact_list'))).resolves.toEqual([]);
    scope.done();
  });
});

describe('Find Contact (find_contact)', () => {
  const byCustomField = {
    locationId: LOCATION_ID,
    pageLimit: 10,
    filters: [{ field: `customFields.${CF_ECWID}`, operator: 'eq', value: '274839105' }],
    sort: [{ field: 'dateAdded', direction: 'asc' }],
  };

  it('finds by custom field value (e.g. the Ecwid customer id)', async () => {
    const scope = ghlApi()
      .post('/contacts/search', byCustomField)
      .reply(200, { contacts: [rosaGhl], total: 1 });
    const out = await perform(search('find_contact'), { customFieldId: CF_ECWID, customFieldValue: '274839105' });
    expect(out).toEqual([{ ...rosa, ...rosaByName, matchedBy: 'customField', matchCount: 1, ambiguous: false }]);
    scope.done();
  });

  it('flags several matches as ambiguous and returns the first', async () => {
    const scope = ghlApi()
      .post('/contacts/search', byCustomField)
      .reply(200, { contacts: [rosaGhl, jamalGhl], total: 2 });
    const out = await perform(search('find_contact'), {
      customFieldId: CF_ECWID,
      customFieldValue: '274839105',
      email: 'rosa.delgado@example.com',
    });
    expect(out).toEqual([{ ...rosa, ...rosaByName, matchedBy: 'customField', matchCount: 2, ambiguous: true }]);
    scope.done();
  });

  it('tries email when the custom field finds nothing, and stops there', async () => {
    const scope = ghlApi()
      .post('/contacts/search', byCustomField)
      .reply(200, { contacts: [], total: 0 })
      .get('/contacts/search/duplicate')
      .query({ locationId: LOCATION_ID, email: 'rosa.delgado@example.com' })
      .reply(200, { contact: rosaGhl });
    const out = await perform(search('find_contact'), {
      customFieldId: CF_ECWID,
      customFieldValue: '274839105',
      email: 'Rosa.Delgado@Example.com',
      phone: '+1 (415) 555-0123',
      query: 'Rosa',
    });
    expect(out).toEqual([{ ...rosa, ...rosaByName, matchedBy: 'email', matchCount: 1, ambiguous: false }]);
    scope.done();
  });

  it('finds by phone, sending the + encoded as %2B', async () => {
    const scope = ghlApi()
      .get(`/contacts/search/duplicate?locationId=${LOCATION_ID}&number=%2B14155550123`)
      .reply(200, { contact: rosaGhl });
    const out = await perform(search('find_contact'), { phone: '+1 415-555-0123' });
    expect(out).toEqual([{ ...rosa, ...rosaByName, matchedBy: 'phone', matchCount: 1, ambiguous: false }]);
    scope.done();
  });

  it('finds by search text', async () => {
    const scope = ghlApi()
      .post('/contacts/search', { locationId: LOCATION_ID, pageLimit: 10, query: 'Delgado Ceramics' })
      .reply(200, { contacts: [rosaGhl], total: 1 });
    const out = await perform(search('find_contact'), { query: 'Delgado Ceramics' });
    expect(out).toEqual([{ ...rosa, ...rosaByName, matchedBy: 'query', matchCount: 1, ambiguous: false }]);
    scope.done();
  });

  it('returns [] (not an error) after trying every lookup in order', async () => {
    const scope = ghlApi()
      .post('/contacts/search', byCustomField)
      .reply(200, { contacts: [], total: 0 })
      .get('/contacts/search/duplicate')
      .query({ locationId: LOCATION_ID, email: 'nobody@example.com' })
      .reply(200, { contact: null })
      .get('/contacts/search/duplicate')
      .query({ locationId: LOCATION_ID, number: '+14155550100' })
      .reply(200, { contact: null })
      .post('/contacts/search', { locationId: LOCATION_ID, pageLimit: 10, query: 'nobody' })
      .reply(200, { contacts: [], total: 0 });
    const out = await perform(search('find_contact'), {
      customFieldId: CF_ECWID,
      customFieldValue: '274839105',
      email: 'nobody@example.com',
      phone: '+14155550100',
      query: 'nobody',
    });
    expect(out).toEqual([]);
    scope.done();
  });

  it('skips the custom field lookup when its value is empty this time', async () => {
    const scope = ghlApi()
      .get('/contacts/search/duplicate')
      .query({ locationId: LOCATION_ID, email: 'rosa.delgado@example.com' })
      .reply(200, { contact: rosaGhl });
    const out = await perform(search('find_contact'), { customFieldId: CF_ECWID, customFieldValue: '', email: 'rosa.delgado@example.com' });
    expect(out).toEqual([{ ...rosa, ...rosaByName, matchedBy: 'email', matchCount: 1, ambiguous: false }]);
    scope.done();
  });

  it('refuses an empty search before any request', async () => {
    await rejectsWith(
      perform(search('find_contact'), { customFieldId: CF_ECWID, email: ' ' }),
      'AppError',
      'Nothing to search by: fill in at least one of "Custom Field Value" (with a "Custom Field" picked), "Email", "Phone" or "Search Text".',
    );
  });

  it('refuses a custom field value without a custom field before any request', async () => {
    await rejectsWith(
      perform(search('find_contact'), { customFieldValue: '274839105' }),
      'AppError',
      '"Custom Field Value" is filled in but no "Custom Field" is picked. Pick the custom field to search in (e.g. Ecwid Customer ID), or clear "Custom Field Value".',
    );
  });

  it('refuses a malformed email before any request', async () => {
    await rejectsWith(
      perform(search('find_contact'), { email: 'rosa at example.com' }),
      'AppError',
      '"Email" is not a valid email address: "rosa at example.com".',
    );
  });

  it('passes GHL validation errors on', async () => {
    const scope = ghlApi()
      .post('/contacts/search')
      .reply(422, { statusCode: 422, message: ['filters.0.field customFields.x is not a valid field'], error: 'Unprocessable Entity' });
    await rejectsWith(
      perform(search('find_contact'), { customFieldId: 'x', customFieldValue: '1' }),
      'AppError',
      'GHL rejected the request: filters.0.field customFields.x is not a valid field',
    );
    scope.done();
  });
});

describe('Find Contact by ID (find_contact_by_id)', () => {
  it('returns the full profile', async () => {
    const id = jamal.id;
    const scope = ghlApi()
      .get(`/contacts/${id}`)
      .reply(200, { contact: jamalGhl })
      .get(`/contacts/${id}/tasks`)
      .reply(200, { tasks: [] })
      .get(`/contacts/${id}/notes`)
      .reply(200, { notes: [] })
      .get(`/contacts/${id}/appointments`)
      .reply(200, { events: [] });
    const out = await perform(search('find_contact_by_id'), { contactId: id });
    expect(out).toEqual([
      {
        ...jamal,
        mostRecentTask: null,
        nextOpenTask: null,
        latestNote: null,
        taskCount: 0,
        openTaskCount: 0,
        noteCount: 0,
        appointmentCount: 0,
        tasks: [],
        notes: [],
        appointments: [],
      },
    ]);
    scope.done();
  });

  it('returns [] for a contact GHL does not know (400 "not found")', async () => {
    const id = 'gone000000000000000A';
    const notFound = { statusCode: 400, message: `Contact with id ${id} not found` };
    const scope = ghlApi()
      .get(`/contacts/${id}`)
      .reply(400, notFound)
      .get(`/contacts/${id}/tasks`)
      .reply(400, notFound)
      .get(`/contacts/${id}/notes`)
      .reply(400, notFound)
      .get(`/contacts/${id}/appointments`)
      .reply(400, notFound);
    await expect(perform(search('find_contact_by_id'), { contactId: id })).resolves.toEqual([]);
    await settled(scope);
  });

  it('refuses something that is not an id before any request', async () => {
    await rejectsWith(
      perform(search('find_contact_by_id'), { contactId: 'Rosa Delgado' }),
      'AppError',
      '"Contact" must be a GHL id (letters and digits, like "nmFmQEsNgz6AVpgLVUJ0"), but got "Rosa Delgado". Pick a value from the dropdown or map the id field of an earlier step.',
    );
  });
});

const definitions = {
  customFields: [
    { id: CF_ECWID, name: 'Ecwid Customer ID', fieldKey: 'contact.ecwid_customer_id', dataType: 'TEXT', position: 0, model: 'contact' },
    {
      id: 'cfLtv000000000000001',
      name: 'Lifetime Value',
      fieldKey: 'contact.lifetime_value',
      dataType: 'MONETORY',
      position: 100,
      model: 'contact',
    },
    {
      id: 'cfFirst0000000000001',
      name: 'First Order Date',
      fieldKey: 'contact.first_order_date',
      dataType: 'DATE',
      position: 200,
      model: 'contact',
    },
    {
      id: 'cfOptIn000000000001',
      name: 'Marketing Opt-in',
      fieldKey: 'contact.marketing_optin',
      dataType: 'CHECKBOX',
      position: 150,
      picklistOptions: ['Yes'],
      model: 'contact',
    },
    {
      id: 'cfGroup000000000001',
      name: 'Customer Group',
      fieldKey: 'contact.customer_group',
      dataType: 'SINGLE_OPTIONS',
      position: 50,
      picklistOptions: ['General', 'Wholesale', 'VIP'],
      model: 'contact',
    },
  ],
};

describe('Create Contact (create_contact)', () => {
  const fullInput = {
    firstName: ' Rosa ',
    lastName: 'Delgado',
    email: 'Rosa.Delgado@Example.com',
    phone: '+1 (415) 555-0123',
    companyName: 'Delgado Ceramics',
    address1: '118 Market Street',
    city: 'San Francisco',
    state: 'CA',
    postalCode: '94105',
    country: 'us',
    website: 'https://delgadoceramics.example.com',
    timezone: 'America/Los_Angeles',
    source: 'Ecwid',
    tags: ['ecwid-customer', 'wholesale', 'ecwid-customer'],
    assignedTo: 'Hk3gp0uYXhRr4xXjT2bV',
    dateOfBirth: '1988-04-23T00:00:00-07:00',
    dnd: 'false',
  };
  const fullBody = {
    locationId: LOCATION_ID,
    firstName: 'Rosa',
    lastName: 'Delgado',
    email: 'rosa.delgado@example.com',
    phone: '+14155550123',
    companyName: 'Delgado Ceramics',
    address1: '118 Market Street',
    city: 'San Francisco',
    state: 'CA',
    postalCode: '94105',
    country: 'US',
    website: 'https://delgadoceramics.example.com',
    timezone: 'America/Los_Angeles',
    source: 'Ecwid',
    tags: ['ecwid-customer', 'wholesale'],
    assignedTo: 'Hk3gp0uYXhRr4xXjT2bV',
    dateOfBirth: '1988-04-23',
    dnd: false,
  };

  it('creates the contact with every field normalised', async () => {
    const scope = ghlApi().post('/contacts/', fullBody).reply(201, { contact: rosaGhl });
    const out = await perform(create('create_contact'), fullInput);
    expect(out).toEqual({ ...rosa, existing: false });
    scope.done();
  });

  it('sends custom field values typed from their GHL definitions', async () => {
    const scope = ghlApi()
      .get(`/locations/${LOCATION_ID}/customFields`)
      .query({ model: 'contact' })
      .reply(200, definitions)
      .post('/contacts/', {
        locationId: LOCATION_ID,
        email: 'rosa.delgado@example.com',
        customFields: [
          { id: CF_ECWID, fieldValue: '274839105' },
          { id: 'cfLtv000000000000001', fieldValue: 1840.5 },
          { id: 'cfFirst0000000000001', fieldValue: '2026-01-09' },
          { id: 'cfOptIn000000000001', fieldValue: ['Yes'] },
          { id: 'cfGroup000000000001', fieldValue: 'VIP' },
        ],
      })
      .reply(201, { contact: rosaGhl });
    const out = await perform(create('create_contact'), {
      email: 'rosa.delgado@example.com',
      [`customField__${CF_ECWID}`]: '274839105',
      customField__cfLtv000000000000001: '1840.50',
      customField__cfFirst0000000000001: '2026-01-09T10:00:00-05:00',
      customField__cfOptIn000000000001: ['yes'],
      customField__cfGroup000000000001: 'vip',
      customField__cfUnusedEmpty00000001: '',
    });
    // The definitions read for the body also give the values by name: no second request.
    expect(out).toEqual({ ...rosa, customFieldsByName: { ecwid_customer_id: '274839105' }, existing: false });
    scope.done();
  });

  it('GHL bug #64: a 422 whose contact was created anyway returns that contact instead of failing', async () => {
    const scope = ghlApi()
      .post('/contacts/', { locationId: LOCATION_ID, email: 'rosa.delgado@example.com' })
      .reply(422, { statusCode: 422, message: ['Unprocessable Entity'] })
      .get('/contacts/search/duplicate')
      .query({ locationId: LOCATION_ID, email: 'rosa.delgado@example.com' })
      .reply(200, { contact: { id: rosa.id } })
      .get(`/contacts/${rosa.id}`)
      .reply(200, { contact: rosaGhl });
    expect(await perform(create('create_contact'), { email: 'rosa.delgado@example.com' })).toEqual({ ...rosa, existing: true });
    scope.done();
  });

  it('a 422 with no contact behind it is reported with GHL’s words', async () => {
    const scope = ghlApi()
      .post('/contacts/', { locationId: LOCATION_ID, email: 'new.person@example.com' })
      .reply(422, { statusCode: 422, message: ['country must be a valid ISO 3166-1 alpha-2 code'] })
      .get('/contacts/search/duplicate')
      .query({ locationId: LOCATION_ID, email: 'new.person@example.com' })
      .reply(200, { contact: null });
    await rejectsWith(
      perform(create('create_contact'), { email: 'new.person@example.com' }),
      'AppError',
      'GHL rejected the request: country must be a valid ISO 3166-1 alpha-2 code',
    );
    scope.done();
  });

  it('refuses a business that does not exist before creating anything', async () => {
    const scope = ghlApi().get('/businesses/nope0000000000000001').reply(400, { statusCode: 400, message: 'Business not found' });
    const e = await rejectsWith(
      perform(create('create_contact'), { firstName: 'Jamal', businessId: 'nope0000000000000001' }),
      'AppError',
      'No business with ID nope0000000000000001 in this sub-account; nothing was created. Pick the business from the dropdown.',
    );
    expect([e.code, e.status]).toEqual(['business_not_found', 400]);
    scope.done();
  });

  it('adds the new contact to the chosen business', async () => {
    const scope = ghlApi()
      .get('/businesses/63f0a1e2b4c5d6e7f8091a2b')
      .reply(200, { business: { id: '63f0a1e2b4c5d6e7f8091a2b', name: 'Maple & Rye Wholesale' } })
      .post('/contacts/', { locationId: LOCATION_ID, firstName: 'Jamal' })
      .reply(201, { contact: jamalGhl })
      .post('/contacts/bulk/business', { locationId: LOCATION_ID, ids: [jamal.id], businessId: '63f0a1e2b4c5d6e7f8091a2b' })
      .reply(200, { success: true, ids: [jamal.id] });
    const out = await perform(create('create_contact'), { firstName: 'Jamal', businessId: '63f0a1e2b4c5d6e7f8091a2b' });
    expect(out).toEqual({ ...jamal, businessId: '63f0a1e2b4c5d6e7f8091a2b', existing: false });
    scope.done();
  });

  it('returns the existing contact instead of failing when GHL refuses a duplicate', async () => {
    const scope = ghlApi()
      .post('/contacts/', { locationId: LOCATION_ID, email: 'rosa.delgado@example.com' })
      .reply(400, {
        statusCode: 400,
        message: 'This location does not allow duplicated contacts.',
        meta: { contactId: rosa.id, contactName: 'Rosa Delgado', matchingField: 'email' },
      })
      .get(`/contacts/${rosa.id}`)
      .reply(200, { contact: rosaGhl });
    const out = await perform(create('create_contact'), { email: 'rosa.delgado@example.com' });
    expect(out).toEqual({ ...rosa, existing: true });
    scope.done();
  });

  it('puts an existing contact without a business into the chosen business (a replay ends where the first run meant to)', async () => {
    const scope = ghlApi()
      .get('/businesses/63f0a1e2b4c5d6e7f8091a2b')
      .reply(200, { business: { id: '63f0a1e2b4c5d6e7f8091a2b', name: 'Maple & Rye Wholesale' } })
      .post('/contacts/', { locationId: LOCATION_ID, email: 'rosa.delgado@example.com' })
      .reply(400, {
        statusCode: 400,
        message: 'This location does not allow duplicated contacts.',
        meta: { contactId: rosa.id, matchingField: 'email' },
      })
      .get(`/contacts/${rosa.id}`)
      .reply(200, { contact: rosaGhl })
      .post('/contacts/bulk/business', { locationId: LOCATION_ID, ids: [rosa.id], businessId: '63f0a1e2b4c5d6e7f8091a2b' })
      .reply(200, { success: true, ids: [rosa.id] });
    const out = await perform(create('create_contact'), { email: 'rosa.delgado@example.com', businessId: '63f0a1e2b4c5d6e7f8091a2b' });
    expect(out).toEqual({ ...rosa, businessId: '63f0a1e2b4c5d6e7f8091a2b', existing: true });
    scope.done();
  });

  it('does not move an existing contact that is already in another business', async () => {
    const scope = ghlApi()
      .get('/businesses/63f0a1e2b4c5d6e7f8091a2b')
      .reply(200, { business: { id: '63f0a1e2b4c5d6e7f8091a2b', name: 'Maple & Rye Wholesale' } })
      .post('/contacts/', { locationId: LOCATION_ID, email: 'rosa.delgado@example.com' })
      .reply(400, {
        statusCode: 400,
        message: 'This location does not allow duplicated contacts.',
        meta: { contactId: rosa.id, matchingField: 'email' },
      })
      .get(`/contacts/${rosa.id}`)
      .reply(200, { contact: { ...rosaGhl, businessId: 'bizOther0000000000001' } });
    const out = await perform(create('create_contact'), { email: 'rosa.delgado@example.com', businessId: '63f0a1e2b4c5d6e7f8091a2b' });
    expect(out).toEqual({ ...rosa, businessId: 'bizOther0000000000001', existing: true });
    scope.done();
  });

  it('requires an email, a phone or a name before any request', async () => {
    await rejectsWith(
      perform(create('create_contact'), { city: 'Boston', tags: ['vip'] }),
      'AppError',
      'To create a contact, fill in at least one of "Email", "Phone", "First Name", "Last Name" or "Full Name".',
    );
  });

  it.each([
    [
      { firstName: 'Rosa', country: 'United States' },
      '"Country" must be a two-letter ISO country code like US, GB or DE, but got "United States".',
    ],
    [
      { firstName: 'Rosa', timezone: 'Pacific Time' },
      '"Timezone" must be a time zone name like America/New_York or Europe/Berlin, but got "Pacific Time".',
    ],
    [{ phone: '555' }, '"Phone" is not a valid phone number: "555". Use international format, e.g. +14155550123.'],
    [{ firstName: 'Rosa', dateOfBirth: 'next spring' }, '"Date of Birth" is not a date: "next spring". Use YYYY-MM-DD, e.g. 1990-04-23.'],
  ])('refuses %p before any request', async (input, message) => {
    await rejectsWith(perform(create('create_contact'), input), 'AppError', message);
  });

  it('refuses a custom field value of the wrong type before creating anything', async () => {
    const scope = ghlApi().get(`/locations/${LOCATION_ID}/customFields`).query({ model: 'contact' }).reply(200, definitions);
    await rejectsWith(
      perform(create('create_contact'), { firstName: 'Rosa', customField__cfLtv000000000000001: '1,840.50' }),
      'AppError',
      '"Lifetime Value" must be a number like 1840.50 (digits, with a dot for decimals), but got "1,840.50".',
    );
    scope.done();
  });

  it('refuses an option the custom field does not have', async () => {
    const scope = ghlApi().get(`/locations/${LOCATION_ID}/customFields`).query({ model: 'contact' }).reply(200, definitions);
    await rejectsWith(
      perform(create('create_contact'), { firstName: 'Rosa', customField__cfGroup000000000001: 'Gold' }),
      'AppError',
      '"Customer Group" must be one of General, Wholesale, VIP, but got "Gold". Pick an option from the dropdown.',
    );
    scope.done();
  });

  it('passes other GHL errors on', async () => {
    const scope = ghlApi()
      .post('/contacts/')
      .reply(422, {
        statusCode: 422,
        message: ['customFields.0.id cfGone does not exist'],
        error: 'Unprocessable Entity',
        traceId: 'tr-9',
      });
    await rejectsWith(
      perform(create('create_contact'), { firstName: 'Rosa' }),
      'AppError',
      'GHL rejected the request: customFields.0.id cfGone does not exist (GHL traceId: tr-9)',
    );
    scope.done();
  });
});

describe('Update Contact (update_contact)', () => {
  it('sends only the fields filled in, never tags or locationId', async () => {
    const scope = ghlApi()
      .put(`/contacts/${rosa.id}`, { city: 'Oakland', postalCode: '94607', email: 'rosa@delgado.example.com', dnd: true })
      .reply(200, { succeded: true, contact: { ...rosaGhl, city: 'Oakland' } });
    const out = await perform(create('update_contact'), {
      contactId: rosa.id,
      firstName: '',
      city: 'Oakland',
      postalCode: '94607',
      email: 'rosa@delgado.example.com',
      dnd: 'yes',
      replaceTags: 'false',
    });
    expect(out).toEqual({ ...rosa, city: 'Oakland' });
    scope.done();
  });

  it('offers no input GHL’s update refuses (gender, locationId; #313, #314)', () => {
    const keys = ((create('update_contact').operation as unknown as { inputFields: Array<{ key?: string }> }).inputFields ?? []).map(
      (f) => f.key,
    );
    expect(keys.filter((k) => ['gender', 'locationId'].includes(String(k)) || /LowerCase$/.test(String(k)))).toEqual([]);
  });

  it('sets the business through the bulk endpoint, after the update, never in the PUT body', async () => {
    const scope = ghlApi()
      .put(`/contacts/${rosa.id}`, { city: 'Oakland' })
      .reply(200, { succeded: true, contact: { ...rosaGhl, city: 'Oakland' } })
      .post('/contacts/bulk/business', { locationId: LOCATION_ID, ids: [rosa.id], businessId: 'biz00000000000000001' })
      .reply(200, { success: true, ids: [rosa.id] });
    const out = await perform(create('update_contact'), { contactId: rosa.id, city: 'Oakland', businessId: 'biz00000000000000001' });
    expect(out).toEqual({ ...rosa, city: 'Oakland', businessId: 'biz00000000000000001' });
    scope.done();
  });

  it('with only a business to set, reads the contact instead of sending an empty PUT', async () => {
    const scope = ghlApi()
      .get(`/contacts/${rosa.id}`)
      .reply(200, { contact: rosaGhl })
      .post('/contacts/bulk/business', { locationId: LOCATION_ID, ids: [rosa.id], businessId: 'biz00000000000000001' })
      .reply(200, { success: true, ids: [rosa.id] });
    const out = await perform(create('update_contact'), { contactId: rosa.id, businessId: 'biz00000000000000001' });
    expect(out).toEqual({ ...rosa, businessId: 'biz00000000000000001' });
    scope.done();
  });

  it('replaces all tags only when "Replace All Tags" is Yes', async () => {
    const scope = ghlApi()
      .put(`/contacts/${rosa.id}`, { tags: ['vip', 'wholesale'] })
      .reply(200, { succeded: true, contact: { ...rosaGhl, tags: ['vip', 'wholesale'] } });
    const out = await perform(create('update_contact'), { contactId: rosa.id, replaceTags: 'true', tags: ['vip', 'wholesale'] });
    expect(out).toEqual({ ...rosa, tags: ['vip', 'wholesale'] });
    scope.done();
  });

  it('sends only the custom fields given', async () => {
    const scope = ghlApi()
      .get(`/locations/${LOCATION_ID}/customFields`)
      .query({ model: 'contact' })
      .reply(200, definitions)
      .put(`/contacts/${rosa.id}`, { customFields: [{ id: CF_ECWID, fieldValue: '999' }] })
      .reply(200, { succeded: true, contact: rosaGhl });
    const out = await perform(create('update_contact'), {
      contactId: rosa.id,
      [`customField__${CF_ECWID}`]: '999',
      customField__cfLtv000000000000001: '',
    });
    expect(out).toEqual({ ...rosa, customFieldsByName: { ecwid_customer_id: '274839105' } });
    scope.done();
  });

  it('with nothing to change, reports the contact as it is without writing', async () => {
    const scope = ghlApi().get(`/contacts/${rosa.id}`).reply(200, { contact: rosaGhl });
    const out = await perform(create('update_contact'), { contactId: rosa.id, city: ' ', tags: [] });
    expect(out).toEqual(rosa);
    scope.done();
  });

  it('refuses tags without "Replace All Tags" before any request', async () => {
    await rejectsWith(
      perform(create('update_contact'), { contactId: rosa.id, tags: ['vip'] }),
      'AppError',
      '"Tags" is filled in but "Replace All Tags" is No, so the tags would not be changed. Set "Replace All Tags" to Yes to replace every tag, or use the Add Tags to Contact action to add these tags.',
    );
  });

  it('refuses "Replace All Tags" with no tags (it would wipe them) before any request', async () => {
    await rejectsWith(
      perform(create('update_contact'), { contactId: rosa.id, replaceTags: true, tags: [''] }),
      'AppError',
      '"Replace All Tags" is Yes but "Tags" is empty; this would remove every tag from the contact. Fill in the tags to keep, or use the Remove Tags from Contact action.',
    );
  });

  it('refuses a missing contact id before any request', async () => {
    await rejectsWith(
      perform(create('update_contact'), { city: 'Oakland' }),
      'AppError',
      '"Contact" is required but was empty. Map a value to it in the Zap editor.',
    );
  });

  it('reports a contact GHL does not know', async () => {
    const scope = ghlApi()
      .put('/contacts/gone000000000000000A', { city: 'Oakland' })
      .reply(400, { statusCode: 400, message: 'Contact with id gone000000000000000A not found' });
    await rejectsWith(
      perform(create('update_contact'), { contactId: 'gone000000000000000A', city: 'Oakland' }),
      'AppError',
      'GHL rejected the request: Contact with id gone000000000000000A not found',
    );
    scope.done();
  });
});

describe('Delete Contact (delete_contact)', () => {
  afterEach(() => jest.useRealTimers());

  it('looks the contact and its tasks up first, deletes each task, then the contact, and returns a record of it', async () => {
    freezeClock('2026-11-21T10:15:00.000Z');
    const scope = ghlApi()
      .get(`/contacts/${rosa.id}`)
      .reply(200, { contact: rosaGhl })
      .get(`/contacts/${rosa.id}/tasks`)
      .reply(200, {
        tasks: [
          { id: 't1', title: 'A' },
          { id: 't2', title: 'B' },
        ],
      })
      .delete(`/contacts/${rosa.id}/tasks/t1`)
      .reply(200, { succeded: true })
      .delete(`/contacts/${rosa.id}/tasks/t2`)
      .reply(200, { succeded: true })
      .delete(`/contacts/${rosa.id}`)
      .reply(200, { succeded: true });
    const out = await perform(create('delete_contact'), { contactId: rosa.id });
    expect(out).toEqual({
      id: rosa.id,
      contactId: rosa.id,
      deleted: true,
      name: 'Rosa Delgado',
      email: 'rosa.delgado@example.com',
      phone: '+14155550123',
      taskCount: 2,
      tasksDeleted: [
        { id: 't1', title: 'A', completed: false },
        { id: 't2', title: 'B', completed: false },
      ],
      deletedAt: '2026-11-21T10:15:00.000Z',
    });
    scope.done();
  });

  it('with Delete Its Tasks First = No, deletes only the contact (GHL removes the tasks) and still lists them', async () => {
    freezeClock('2026-11-21T10:15:00.000Z');
    const scope = ghlApi()
      .get(`/contacts/${rosa.id}`)
      .reply(200, { contact: rosaGhl })
      .get(`/contacts/${rosa.id}/tasks`)
      .reply(200, {
        tasks: [
          { id: 't1', title: 'A' },
          { id: 't2', title: 'B' },
        ],
      })
      .delete(`/contacts/${rosa.id}`)
      .reply(200, { succeded: true });
    const out = await perform(create('delete_contact'), { contactId: rosa.id, deleteTasks: 'false' });
    expect(out).toEqual({
      id: rosa.id,
      contactId: rosa.id,
      deleted: true,
      name: 'Rosa Delgado',
      email: 'rosa.delgado@example.com',
      phone: '+14155550123',
      taskCount: 2,
      tasksDeleted: [
        { id: 't1', title: 'A', completed: false },
        { id: 't2', title: 'B', completed: false },
      ],
      deletedAt: '2026-11-21T10:15:00.000Z',
    });
    scope.done();
  });

  it('says clearly that nothing was deleted when the contact does not exist', async () => {
    const id = 'gone000000000000000A';
    const scope = ghlApi()
      .get(`/contacts/${id}`)
      .reply(400, { statusCode: 400, message: `Contact with id ${id} not found` })
      .get(`/contacts/${id}/tasks`)
      .reply(400, { statusCode: 400, message: `Contact with id ${id} not found` });
    await rejectsWith(
      perform(create('delete_contact'), { contactId: id }),
      'AppError',
      `No contact with ID ${id} in this sub-account; nothing was deleted.`,
    );
    scope.done();
  });

  it('refuses something that is not an id before any request', async () => {
    await rejectsWith(
      perform(create('delete_contact'), { contactId: 'rosa@example.com' }),
      'AppError',
      '"Contact" must be a GHL id (letters and digits, like "nmFmQEsNgz6AVpgLVUJ0"), but got "rosa@example.com". Pick a value from the dropdown or map the id field of an earlier step.',
    );
  });

  it('does not delete when GHL fails to return the contact', async () => {
    const scope = ghlApi()
      .get(`/contacts/${rosa.id}`)
      .reply(403, { statusCode: 403, message: 'The token does not have access to this location.' })
      .get(`/contacts/${rosa.id}/tasks`)
      .reply(200, { tasks: [] });
    await rejectsWith(
      perform(create('delete_contact'), { contactId: rosa.id }),
      'AppError',
      /^GHL denied access: The token does not have access to this location\./,
    );
    scope.done();
  });
});

describe('Find or Create Contact (searchOrCreates)', () => {
  it('pairs Find Contact with Create Contact, and Update Contact when found', () => {
    expect({ find_contact: (App.searchOrCreates as Record<string, unknown>).find_contact }).toEqual({
      find_contact: {
        key: 'find_contact',
        display: {
          label: 'Find or Create Contact',
          description: 'Finds a contact by email, phone or custom field, or creates one if none exists.',
        },
        search: 'find_contact',
        create: 'create_contact',
        update: 'update_contact',
        updateInputFromSearchOutput: { contactId: 'id' },
      },
    });
  });
});

describe('Archive Contact (archive_contact)', () => {
  const fakeNow = () => freezeClock('2026-11-21T10:15:00.000Z');
  afterEach(() => jest.useRealTimers());

  it('tags the contact and completes only its open tasks; deletes nothing', async () => {
    fakeNow();
    const scope = ghlApi()
      .get(`/contacts/${rosa.id}`)
      .reply(200, { contact: rosaGhl })
      .get(`/contacts/${rosa.id}/tasks`)
      .reply(200, {
        tasks: [
          { id: 't1', title: 'Open one', dueDate: '2026-12-01T15:00:00.000Z', completed: false },
          { id: 't2', title: 'Done already', dueDate: '2026-11-01T15:00:00.000Z', completed: true },
        ],
      })
      .post(`/contacts/${rosa.id}/tags`, { tags: ['ecwid-deleted'] })
      .reply(201, { tags: ['ecwid-customer', 'ecwid-deleted'] })
      .put(`/contacts/${rosa.id}/tasks/t1/completed`, { completed: true })
      .reply(200, { task: { id: 't1', completed: true } });
    const out = await perform(create('archive_contact'), { contactId: rosa.id, tag: 'ecwid-deleted' });
    expect(out).toEqual({
      id: rosa.id,
      contactId: rosa.id,
      archived: true,
      name: 'Rosa Delgado',
      email: 'rosa.delgado@example.com',
      tags: ['ecwid-customer', 'ecwid-deleted'],
      tasksCompleted: [{ id: 't1', title: 'Open one', dueDate: '2026-12-01T15:00:00.000Z', completed: true }],
      archivedAt: '2026-11-21T10:15:00.000Z',
    });
    scope.done();
  });

  it('with Complete Open Tasks = No only adds the tag', async () => {
    fakeNow();
    const scope = ghlApi()
      .get(`/contacts/${rosa.id}`)
      .reply(200, { contact: rosaGhl })
      .get(`/contacts/${rosa.id}/tasks`)
      .reply(200, { tasks: [{ id: 't1', title: 'Open one', completed: false }] })
      .post(`/contacts/${rosa.id}/tags`, { tags: ['archived'] })
      .reply(201, { tags: ['ecwid-customer', 'archived'] });
    const out = await perform(create('archive_contact'), { contactId: rosa.id, tag: 'archived', completeTasks: 'no' });
    expect(out).toEqual(expect.objectContaining({ archived: true, tags: ['ecwid-customer', 'archived'], tasksCompleted: [] }));
    scope.done();
  });

  it('a missing contact: clear error, nothing changed', async () => {
    const scope = ghlApi()
      .get('/contacts/gone0000000000000001')
      .reply(400, { statusCode: 400, message: 'Contact with id gone0000000000000001 not found' })
      .get('/contacts/gone0000000000000001/tasks')
      .reply(400, { statusCode: 400, message: 'Contact with id gone0000000000000001 not found' });
    const e = await rejectsWith(
      perform(create('archive_contact'), { contactId: 'gone0000000000000001', tag: 'archived' }),
      'AppError',
      'No contact with ID gone0000000000000001 in this sub-account; nothing was archived.',
    );
    expect([e.code, e.status]).toEqual(['contact_not_found', 404]);
    scope.done();
  });

  it('an empty tag is refused before any request', async () => {
    await rejectsWith(
      perform(create('archive_contact'), { contactId: rosa.id, tag: '  ' }),
      'AppError',
      '"Archive Tag" is required but was empty. Map a value to it in the Zap editor.',
    );
  });
});

describe('Delete Contact when a task delete fails', () => {
  it('leaves the contact in place and says which tasks are already gone', async () => {
    const scope = ghlApi()
      .get(`/contacts/${rosa.id}`)
      .reply(200, { contact: rosaGhl })
      .get(`/contacts/${rosa.id}/tasks`)
      .reply(200, {
        tasks: [
          { id: 't1', title: 'A' },
          { id: 't2', title: 'B' },
        ],
      })
      .delete(`/contacts/${rosa.id}/tasks/t1`)
      .reply(200, { succeded: true })
      .delete(`/contacts/${rosa.id}/tasks/t2`)
      .reply(422, { statusCode: 422, message: ['task is locked'] });
    const e = await rejectsWith(
      perform(create('delete_contact'), { contactId: rosa.id }),
      'AppError',
      `Deleting the contact's tasks failed, so the contact was NOT deleted. Tasks already deleted: "A". First failure: GHL rejected the request: task is locked`,
    );
    expect([e.code, e.status]).toEqual(['partial_task_delete', 502]);
    scope.done();
  });

  it('an access token that expires part-way ends in RefreshAuthError (Zapier refreshes and retries), not in a failed step', async () => {
    const scope = ghlApi()
      .get(`/contacts/${rosa.id}`)
      .reply(200, { contact: rosaGhl })
      .get(`/contacts/${rosa.id}/tasks`)
      .reply(200, { tasks: [{ id: 't1', title: 'A' }] })
      .delete(`/contacts/${rosa.id}/tasks/t1`)
      .reply(401, { statusCode: 401, message: 'Invalid JWT' });
    await rejectsWith(perform(create('delete_contact'), { contactId: rosa.id }), 'RefreshAuthError', /.*/);
    scope.done();
  });

  it('lists the deleted tasks with ISO-8601 due dates (a zone-less GHL date is read as UTC)', async () => {
    const scope = ghlApi()
      .get(`/contacts/${rosa.id}`)
      .reply(200, { contact: rosaGhl })
      .get(`/contacts/${rosa.id}/tasks`)
      .reply(200, { tasks: [{ id: 't1', title: 'A', dueDate: '2026-12-01 15:00:00' }] })
      .delete(`/contacts/${rosa.id}/tasks/t1`)
      .reply(200, { succeded: true })
      .delete(`/contacts/${rosa.id}`)
      .reply(200, { succeded: true });
    const out = (await perform(create('delete_contact'), { contactId: rosa.id })) as { tasksDeleted: unknown[] };
    expect(out.tasksDeleted).toEqual([{ id: 't1', title: 'A', dueDate: '2026-12-01T15:00:00.000Z', completed: false }]);
    scope.done();
  });
});

describe('Delete Contact on a contact with many tasks', () => {
  const tasks = Array.from({ length: 12 }, (_, i) => ({ id: `task${String(i).padStart(16, '0')}`, title: `T${i}` }));

  it('deletes the tasks in batches of 10, then the contact', async () => {
    let scope = ghlApi()
      .get(`/contacts/${rosa.id}`)
      .reply(200, { contact: rosaGhl })
      .get(`/contacts/${rosa.id}/tasks`)
      .reply(200, { tasks });
    for (const t of tasks) scope = scope.delete(`/contacts/${rosa.id}/tasks/${t.id}`).reply(200, { succeded: true });
    scope = scope.delete(`/contacts/${rosa.id}`).reply(200, { succeded: true });
    const out = (await perform(create('delete_contact'), { contactId: rosa.id })) as { tasksDeleted: unknown[]; taskCount: number };
    expect([out.taskCount, out.tasksDeleted.length]).toEqual([12, 12]);
    scope.done();
  });

  it('a 429 on a task delete keeps Zapier’s retry-later with the delay and leaves the contact', async () => {
    let scope = ghlApi()
      .get(`/contacts/${rosa.id}`)
      .reply(200, { contact: rosaGhl })
      .get(`/contacts/${rosa.id}/tasks`)
      .reply(200, { tasks: tasks.slice(0, 2) });
    scope = scope.delete(`/contacts/${rosa.id}/tasks/${tasks[0]!.id}`).reply(200, { succeded: true });
    scope = scope
      .delete(`/contacts/${rosa.id}/tasks/${tasks[1]!.id}`)
      .reply(429, { statusCode: 429 }, { 'X-RateLimit-Interval-Milliseconds': '10000' });
    const e = await rejectsWith(
      perform(create('delete_contact'), { contactId: rosa.id }),
      'ThrottledError',
      `GHL's rate limit was reached while deleting the contact's tasks, so the contact was NOT deleted yet. Tasks already deleted: "T0". Zapier will retry in 10 s.`,
    );
    expect(e.delay).toBe(10);
    scope.done();
  });
});
