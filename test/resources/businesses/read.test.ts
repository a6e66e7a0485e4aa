import { LOCATION_ID, ghlApi, perform, rejectsWith, search, trigger } from '../../helpers.js';

const BIZ = '63f0a1e2b4c5d6e7f8091a2b';

describe('business_list (hidden dropdown)', () => {
  it('pages through the businesses with limit/skip', async () => {
    const scope = ghlApi()
      .get('/businesses/')
      .query({ locationId: LOCATION_ID, limit: '100', skip: '100' })
      .reply(200, {
        businesses: [
          {
            id: BIZ,
            name: 'Delgado Ceramics',
            email: 'hello@delgado.example.com',
            city: 'San Francisco',
            locationId: LOCATION_ID,
            createdAt: '2026-01-05T10:00:00.000Z',
          },
          { id: 'bizNoName0000000001', name: '', locationId: LOCATION_ID },
        ],
      });
    const out = await perform(trigger('business_list'), {}, { page: 1 });
    expect(out).toEqual([
      {
        id: BIZ,
        businessId: BIZ,
        name: 'Delgado Ceramics',
        email: 'hello@delgado.example.com',
        city: 'San Francisco',
        createdAt: '2026-01-05T10:00:00.000Z',
      },
      { id: 'bizNoName0000000001', businessId: 'bizNoName0000000001', name: 'bizNoName0000000001' },
    ]);
    scope.done();
  });

  it('returns [] when there are no businesses', async () => {
    const scope = ghlApi().get('/businesses/').query({ locationId: LOCATION_ID, limit: '100', skip: '0' }).reply(200, { businesses: [] });
    await expect(perform(trigger('business_list'))).resolves.toEqual([]);
    scope.done();
  });
});

describe('Find Contacts in Business (find_contacts_in_business)', () => {
  const jamalGhl = {
    id: 'pOC0uJ97VYOKH2m3fkMD',
    locationId: LOCATION_ID,
    firstName: 'Jamal',
    lastName: 'Carter',
    email: 'jamal.carter@example.net',
    tags: ['wholesale'],
    businessId: BIZ,
    dateAdded: '2026-01-21T18:45:00.000Z',
  };

  it('returns the business’s contacts matching the search text', async () => {
    const scope = ghlApi()
      .get(`/contacts/business/${BIZ}`)
      .query({ locationId: LOCATION_ID, limit: '10', skip: '0', query: 'jamal' })
      .reply(200, { contacts: [jamalGhl, { id: 'x9Q2LmNb8VcXz7Wq1Rt5', email: 'orders@example.org' }], count: 2 });
    const out = await perform(search('find_contacts_in_business'), { businessId: BIZ, query: 'jamal', limit: 10 });
    expect(out).toEqual([
      {
        id: 'pOC0uJ97VYOKH2m3fkMD',
        contactId: 'pOC0uJ97VYOKH2m3fkMD',
        locationId: LOCATION_ID,
        name: 'Jamal Carter',
        firstName: 'Jamal',
        lastName: 'Carter',
        email: 'jamal.carter@example.net',
        tags: ['wholesale'],
        businessId: BIZ,
        dateAdded: '2026-01-21T18:45:00.000Z',
        customFields: [],
      },
      {
        id: 'x9Q2LmNb8VcXz7Wq1Rt5',
        contactId: 'x9Q2LmNb8VcXz7Wq1Rt5',
        name: '',
        email: 'orders@example.org',
        tags: [],
        businessId: BIZ,
        customFields: [],
      },
    ]);
    scope.done();
  });

  it('asks for 25 contacts by default and returns [] when the business has none', async () => {
    const scope = ghlApi()
      .get(`/contacts/business/${BIZ}`)
      .query({ locationId: LOCATION_ID, limit: '25', skip: '0' })
      .reply(200, { contacts: [], count: 0 });
    await expect(perform(search('find_contacts_in_business'), { businessId: BIZ })).resolves.toEqual([]);
    scope.done();
  });

  it('returns [] for a business GHL does not know', async () => {
    const scope = ghlApi()
      .get('/contacts/business/bizGone000000000001')
      .query(true)
      .reply(400, { statusCode: 400, message: 'Business with id bizGone000000000001 not found' });
    await expect(perform(search('find_contacts_in_business'), { businessId: 'bizGone000000000001' })).resolves.toEqual([]);
    scope.done();
  });

  it('passes other GHL errors on', async () => {
    const scope = ghlApi()
      .get(`/contacts/business/${BIZ}`)
      .query(true)
      .reply(422, { statusCode: 422, message: ['limit must not be greater than 100'], error: 'Unprocessable Entity' });
    await rejectsWith(
      perform(search('find_contacts_in_business'), { businessId: BIZ }),
      'AppError',
      'GHL rejected the request: limit must not be greater than 100',
    );
    scope.done();
  });

  it.each([
    [{ query: 'jamal' }, '"Business" is required but was empty. Map a value to it in the Zap editor.'],
    [{ businessId: BIZ, limit: '500' }, '"Maximum Number of Contacts" must be a whole number from 1 to 100, but got "500".'],
  ])('refuses %p before any request', async (input, message) => {
    await rejectsWith(perform(search('find_contacts_in_business'), input), 'AppError', message);
  });
});
