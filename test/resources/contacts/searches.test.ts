import { LOCATION_ID, ghlApi, perform, rejectsWith, search } from '../../helpers.js';
import { rosaGhl, rosa, jamalGhl, jamal, rosaByName, settled, CF_ECWID } from './fixtures.js';

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
