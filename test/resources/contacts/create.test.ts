import { LOCATION_ID, create, ghlApi, perform, rejectsWith } from '../../helpers.js';
import { rosaGhl, rosa, jamalGhl, jamal, CF_ECWID, definitions } from './fixtures.js';

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
