import nock from 'nock';
import App from '../../index.js';
import { API, LOCATION_ID, appTester, authData, create, ghlApi, perform, rejectsWith, search, trigger } from '../helpers.js';
import { toContact } from '../../src/resources/common/outputs.js';
import { recorded, rateLimitHeaders, REC_CONTACT } from './recordings.js';
import { syncUpdateMapping } from '../../recipes/ecwid.js';

/**
 * Issue 10's ten numbered items, each pinned with GHL's recorded or reported answer
 * (fixtures/ghl-recordings/, SOURCE.md there; docs/ghl-recordings.md).
 */

const searchAnswer = (contacts: unknown[]) => ({ contacts, total: contacts.length, traceId: 'tr-1' });
/** A contact as POST /contacts/search returns it (recorded keys), with the street in `address`. */
const searchedContact = {
  ...(recorded('contacts').contacts[0] as Record<string, unknown>),
  id: 'C0oEKxTxx1bz7036v71B',
  address: '1 Test St',
};

describe('1. search results carry `address`, not `address1`', () => {
  it.each([
    ['new_contact', () => perform(trigger('new_contact'))],
    ['new_or_updated_contact', () => perform(trigger('new_or_updated_contact'))],
    ['contact_list', () => perform(trigger('contact_list'))],
    ['find_contact (search text)', () => perform(search('find_contact'), { query: 'Reynolds' })],
  ])('%s reads the street from `address`', async (_name, run) => {
    const scope = ghlApi()
      .post('/contacts/search')
      .reply(200, searchAnswer([searchedContact]));
    const [out] = (await run()) as Array<Record<string, unknown>>;
    expect(out?.address1).toBe('1 Test St');
    scope.done();
  });

  it('prefers `address1` when both are present (GET /contacts/:id sends address1)', () => {
    expect(toContact({ id: 'x', address1: 'A', address: 'B' } as never).address1).toBe('A');
  });
});

describe('2. dateOfBirth becomes YYYY-MM-DD from any documented format or an epoch number', () => {
  it.each([
    ['1990-09-25', '1990-09-25'],
    ['1990-09-25T00:00:00.000Z', '1990-09-25'],
    ['1990/09/25', '1990-09-25'],
    ['09/25/1990', '1990-09-25'],
    ['09-25-1990', '1990-09-25'],
    ['1990.09.25', '1990-09-25'],
    ['09.25.1990', '1990-09-25'],
    ['1990_09_25', '1990-09-25'],
    ['09_25_1990', '1990-09-25'],
    [654220800000, '1990-09-25'],
  ])('%j → %s', (input, expected) => {
    expect(toContact({ id: 'x', dateOfBirth: input } as never).dateOfBirth).toBe(expected);
  });

  it.each([['not a date at all'], ['13/45/1990'], ['1990-02-30'], [''], [null], [Number.NaN], [{}]])('%j is left out', (input) => {
    expect(toContact({ id: 'x', dateOfBirth: input } as never)).not.toHaveProperty('dateOfBirth');
  });
});

describe('3. Update Contact can set Company Name (#314: PUT accepts companyName)', () => {
  it('sends companyName in the PUT', async () => {
    const scope = ghlApi().put(`/contacts/${REC_CONTACT}`, { companyName: 'Delgado Ceramics' }).reply(200, recorded('update-contact'));
    const out = await perform(create('update_contact'), { contactId: REC_CONTACT, companyName: 'Delgado Ceramics' });
    expect(out.id).toBe(REC_CONTACT);
    scope.done();
  });

  it("the Ecwid recipe's update half maps Company Name too", () => {
    expect(syncUpdateMapping({ ecwidIdFieldId: 'cf1' })).toMatchObject({ companyName: '{{customer.billingPerson.companyName}}' });
    expect(syncUpdateMapping({ ecwidIdFieldId: 'cf1' })).not.toHaveProperty('tags');
  });

  it('offers a Company Name input', () => {
    const fields = (App.creates as any).update_contact.operation.inputFields.filter((f: unknown) => typeof f !== 'function');
    expect(fields.map((f: { key: string }) => f.key)).toContain('companyName');
  });
});

describe("4. Add / Remove Tags output GHL's tagsAdded / tagsRemoved", () => {
  it('adding a tag the contact already had: tagsAdded is [] as GHL says (recorded)', async () => {
    const scope = ghlApi()
      .post(`/contacts/${REC_CONTACT}/tags`, { tags: ['nango-test-tag'] })
      .reply(200, recorded('add-tags-to-contact'));
    const out = await perform(create('add_tags_to_contact'), { contactId: REC_CONTACT, tags: ['nango-test-tag'] });
    expect(out).toEqual({ id: REC_CONTACT, contactId: REC_CONTACT, tags: ['nango-test-tag'], tagsAdded: [] });
    scope.done();
  });

  it('removing a tag the contact did not have: tagsRemoved is [] (recorded)', async () => {
    const scope = ghlApi()
      .delete(`/contacts/${REC_CONTACT}/tags`, { tags: ['nango-test-tag'] })
      .reply(200, recorded('remove-tags-from-contact'));
    const out = await perform(create('remove_tags_from_contact'), { contactId: REC_CONTACT, tags: ['nango-test-tag'] });
    expect(out).toEqual({ id: REC_CONTACT, contactId: REC_CONTACT, tags: [], tagsRemoved: [] });
    scope.done();
  });
});

describe('5. a 401 for a missing scope is not an expired token', () => {
  it('names the missing scope and what to do, without asking Zapier to refresh', async () => {
    ghlApi()
      .get(`/locations/${LOCATION_ID}/customFields`)
      .query({ model: 'contact' })
      .reply(401, { statusCode: 401, message: 'The token is not authorized for this scope.', error: 'Unauthorized' });
    const e = await rejectsWith(
      perform(trigger('custom_field_list')),
      'AppError',
      'GHL refused GET /locations/ve9EPM428h8vShlRW1KT/customFields: the token is not authorized for this scope. This step needs the scope locations/customFields.readonly, which this connection was not granted. Enable locations/customFields.readonly in your GHL Marketplace app (My Apps → your app → Auth → Scopes), then reconnect your GHL account in Zapier so that the new token includes it.',
    );
    expect([e.code, e.status]).toEqual(['ghl_missing_scope', 401]);
  });

  it('any other 401 still asks Zapier to refresh the token', async () => {
    ghlApi()
      .get(`/locations/${LOCATION_ID}/customFields`)
      .query({ model: 'contact' })
      .reply(401, { statusCode: 401, message: 'Invalid JWT' });
    await rejectsWith(perform(trigger('custom_field_list')), 'RefreshAuthError', /.*/);
  });
});

describe('6. a refresh answer without locationId keeps the connection’s own', () => {
  it('keeps locationId, companyId, userId and userType of the connection', async () => {
    const scope = nock(API).post('/oauth/token').reply(200, { access_token: 'a2', refresh_token: 'r2', expires_in: 86399 });
    const oauth = App.authentication!.oauth2Config!;
    const out = (await appTester(
      oauth.refreshAccessToken as never,
      { authData: { ...authData, locationTimezone: 'America/New_York' } } as never,
    )) as any;
    expect(out).toMatchObject({
      access_token: 'a2',
      refresh_token: 'r2',
      locationId: LOCATION_ID,
      companyId: authData.companyId,
      userId: authData.userId,
      userType: 'Location',
      locationTimezone: 'America/New_York',
    });
    scope.done();
  });
});

describe('7. location task search drops items that are not objects or have no id', () => {
  it('keeps only items with an id or _id', async () => {
    const scope = ghlApi()
      .post(`/locations/${LOCATION_ID}/tasks/search`)
      .reply(200, {
        tasks: [
          null,
          'task',
          ['an', 'array'],
          { title: 'No id', completed: false },
          { _id: 'tsk00000000000000001', title: 'Call', completed: false, dateAdded: '2026-12-01T10:00:00.000Z' },
        ],
      });
    const out = await perform(trigger('new_task'));
    expect(out.map((t: { id: string }) => t.id)).toEqual(['tsk00000000000000001']);
    scope.done();
  });
});

describe('8. errors say what GHL said and what was applied', () => {
  it('Create Contact: when the #64 recovery lookup fails, the error keeps the 422 reason', async () => {
    const scope = ghlApi()
      .post('/contacts/')
      .reply(422, { statusCode: 422, message: ['email must be an email'], error: 'Unprocessable Entity' })
      .get('/contacts/search/duplicate')
      .query(true)
      .times(2)
      .reply(503, { statusCode: 503, message: 'Service Unavailable' });
    const e = await rejectsWith(
      perform(create('create_contact'), { email: 'rosa@example.com' }),
      'AppError',
      /^GHL rejected the request: email must be an email\. \(Checking whether GHL created the contact anyway failed: GHL failed to process GET \/contacts\/search\/duplicate: Service Unavailable\./,
    );
    expect([e.code, e.status]).toEqual(['ghl_invalid_input', 422]);
    scope.done();
  });

  it('Update Contact: the business move is not sent when the PUT fails', async () => {
    const put = ghlApi()
      .put(`/contacts/${REC_CONTACT}`, { lastName: 'X' })
      .reply(422, { statusCode: 422, message: ['property x should not exist'], error: 'Unprocessable Entity' });
    const move = ghlApi()
      .post('/contacts/bulk/business')
      .reply(200, { success: true, ids: [REC_CONTACT] });
    await rejectsWith(
      perform(create('update_contact'), { contactId: REC_CONTACT, lastName: 'X', businessId: 'biz00000000000000001' }),
      'AppError',
      'GHL rejected the request: property x should not exist',
    );
    put.done();
    expect(move.isDone()).toBe(false);
    nock.cleanAll();
  });

  it('Update Contact: a failed business move after a successful PUT says the details were saved', async () => {
    const scope = ghlApi()
      .put(`/contacts/${REC_CONTACT}`, { lastName: 'TestOneUpdated' })
      .reply(200, recorded('update-contact'))
      .post('/contacts/bulk/business', { locationId: LOCATION_ID, ids: [REC_CONTACT], businessId: 'biz00000000000000001' })
      .reply(400, { statusCode: 400, message: 'Business with id biz00000000000000001 not found' });
    const e = await rejectsWith(
      perform(create('update_contact'), { contactId: REC_CONTACT, lastName: 'TestOneUpdated', businessId: 'biz00000000000000001' }),
      'AppError',
      "The contact's details were updated, but moving it to the business failed (it is not in that business yet): GHL rejected the request: Business with id biz00000000000000001 not found",
    );
    expect([e.code, e.status]).toEqual(['ghl_bad_request', 400]);
    scope.done();
  });
});

describe('9. the daily limit waits until X-RateLimit-Daily-Reset', () => {
  it('uses the recorded header format (milliseconds until the reset)', async () => {
    const { headers } = rateLimitHeaders()[1]!;
    ghlApi()
      .get(`/locations/${LOCATION_ID}/customFields`)
      .query({ model: 'contact' })
      .reply(429, { statusCode: 429, message: 'Too many requests' }, { ...headers, 'x-ratelimit-daily-remaining': '0' });
    const e = await rejectsWith(
      perform(trigger('custom_field_list')),
      'ThrottledError',
      "GHL's daily request limit for this sub-account was reached (200000 requests per day). Zapier will retry in 1213 min.",
    );
    expect(e.delay).toBe(72750);
  });
});

describe('10. custom field values are sent as `fieldValue`', () => {
  it('Create Contact sends { id, fieldValue }', async () => {
    const definitions = recorded('list-custom-fields');
    const scope = ghlApi()
      .get(`/locations/${LOCATION_ID}/customFields`)
      .query({ model: 'contact' })
      .reply(200, definitions)
      .post('/contacts/', {
        locationId: LOCATION_ID,
        email: 'rosa@example.com',
        customFields: [{ id: 'IIaGLFlqcxMhFsnmVKkt', fieldValue: 'x1' }],
      })
      .reply(200, recorded('create-contact'));
    await perform(create('create_contact'), { email: 'rosa@example.com', customField__IIaGLFlqcxMhFsnmVKkt: 'x1' });
    scope.done();
  });
});
