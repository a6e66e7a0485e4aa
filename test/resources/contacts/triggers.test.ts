import { LOCATION_ID, ghlApi, perform, rejectsWith, trigger } from '../../helpers.js';
import { rosaGhl, rosa, jamalGhl, jamal, rosaByName, profilePointer, countRequests } from './fixtures.js';

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
