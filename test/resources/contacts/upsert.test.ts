import { LOCATION_ID, create, ghlApi, perform, rejectsWith } from '../../helpers.js';

const ID = 'nmFmQEsNgz6AVpgLVUJ0';
const OTHER = 'qFSqySFkVvNzOSqgGqFi';
const stored = {
  id: ID,
  locationId: LOCATION_ID,
  firstName: 'Rosa',
  lastName: 'Delgado',
  email: 'rosa.delgado@example.com',
  phone: '+14155550123',
  tags: ['ecwid-customer'],
  dateAdded: '2026-10-02T14:31:08.000Z',
  dateUpdated: '2026-12-01T14:00:00.000Z',
};

const op = () => create('create_or_update_contact');

describe('Create or Update Contact (create_or_update_contact)', () => {
  it('upserts in one request and says it updated', async () => {
    const scope = ghlApi()
      .post('/contacts/upsert', { locationId: LOCATION_ID, firstName: 'Rosa', email: 'rosa.delgado@example.com', phone: '+14155550123' })
      .reply(200, { new: false, succeded: true, succeeded: true, contact: stored, traceId: 't' });
    const out = await perform(op(), { firstName: ' Rosa ', email: 'Rosa.Delgado@Example.com', phone: '+1 (415) 555-0123' });
    expect(out).toEqual({
      id: ID,
      contactId: ID,
      locationId: LOCATION_ID,
      name: 'Rosa Delgado',
      firstName: 'Rosa',
      lastName: 'Delgado',
      email: 'rosa.delgado@example.com',
      phone: '+14155550123',
      tags: ['ecwid-customer'],
      customFields: [],
      dateAdded: '2026-10-02T14:31:08.000Z',
      dateUpdated: '2026-12-01T14:00:00.000Z',
      created: false,
      result: 'updated',
      ignoredFields: [],
      ignoredValues: [],
    });
    scope.done();
  });

  it('says it created; a 10-digit phone stored with +1 is the same phone', async () => {
    const scope = ghlApi()
      .post('/contacts/upsert', { locationId: LOCATION_ID, phone: '4155550123', email: 'new@example.com' })
      .reply(200, { new: true, contact: { ...stored, email: 'new@example.com', phone: '+14155550123' } });
    const out = await perform(op(), { phone: '415-555-0123', email: 'new@example.com' });
    expect([out.created, out.result, out.ignoredFields]).toEqual([true, 'created', []]);
    scope.done();
  });

  it('adds tags afterwards with POST …/tags (tags in the upsert would replace the contact’s tags)', async () => {
    const scope = ghlApi()
      .post('/contacts/upsert', { locationId: LOCATION_ID, email: 'rosa.delgado@example.com' })
      .reply(200, { new: false, contact: stored })
      .post(`/contacts/${ID}/tags`, { tags: ['vip'] })
      .reply(201, { tags: ['ecwid-customer', 'vip'] });
    const out = await perform(op(), { email: 'rosa.delgado@example.com', tags: ['vip'] });
    expect(out.tags).toEqual(['ecwid-customer', 'vip']);
    scope.done();
  });

  it('reports a phone GHL ignored because another contact has it (#37), naming that contact, and stops', async () => {
    const scope = ghlApi()
      .post('/contacts/upsert', { locationId: LOCATION_ID, email: 'rosa.delgado@example.com', phone: '+14155550199' })
      .reply(200, { new: false, contact: stored })
      .get('/contacts/search/duplicate')
      .query({ locationId: LOCATION_ID, number: '+14155550199' })
      .reply(200, { contact: { id: OTHER, phone: '+14155550199' } });
    const e = await rejectsWith(
      perform(op(), { email: 'rosa.delgado@example.com', phone: '+14155550199' }),
      'AppError',
      `GHL updated contact ${ID} but ignored a value: phone "+14155550199" not saved (kept "+14155550123"): GHL matched the contact by email and did not save the phone, which belongs to contact ${OTHER} (highlevel-api-docs#37). Everything else was saved; a replay gives the same result. Fix the data in GHL, or set Stop If GHL Ignores a Value to No.`,
    );
    expect([e.code, e.status]).toEqual(['ghl_ignored_values', 409]);
    scope.done();
  });

  it('reports a gender GHL discarded on an existing contact (#313) and continues when asked to', async () => {
    const scope = ghlApi()
      .post('/contacts/upsert', { locationId: LOCATION_ID, email: 'rosa.delgado@example.com', gender: 'female' })
      .reply(200, { new: false, contact: { ...stored, gender: 'male' } });
    const out = await perform(op(), { email: 'rosa.delgado@example.com', gender: 'female', stopOnDroppedData: 'false' });
    expect([out.ignoredFields, out.ignoredValues]).toEqual([
      ['gender'],
      [
        'gender "female" not saved (kept "male"): GHL does not change the gender of an existing contact through the API (highlevel-api-docs#313); set it in GHL',
      ],
    ]);
    scope.done();
  });

  it('explains a 422 for a phone-only upsert (n8n#11353)', async () => {
    const scope = ghlApi()
      .post('/contacts/upsert', { locationId: LOCATION_ID, phone: '+14155550123' })
      .reply(422, { statusCode: 422, message: ['email must be an email'], error: 'Unprocessable Entity' });
    await rejectsWith(
      perform(op(), { phone: '+14155550123' }),
      'AppError',
      'GHL refused to create or update by phone alone: email must be an email. GHL has refused phone-only upserts before (n8n-io/n8n#11353); map the Email too, or use Find or Create Contact.',
    );
    scope.done();
  });

  it('passes other GHL errors on', async () => {
    const scope = ghlApi()
      .post('/contacts/upsert', { locationId: LOCATION_ID, email: 'rosa.delgado@example.com' })
      .reply(422, { statusCode: 422, message: ['property x should not exist'], error: 'Unprocessable Entity' });
    await rejectsWith(
      perform(op(), { email: 'rosa.delgado@example.com' }),
      'AppError',
      'GHL rejected the request: property x should not exist',
    );
    scope.done();
  });

  it('needs an email or a phone before any request', async () => {
    await rejectsWith(
      perform(op(), { firstName: 'Rosa' }),
      'AppError',
      'Create or Update Contact needs an Email or a Phone: GHL finds the existing contact by them. Map at least one.',
    );
    await rejectsWith(perform(op(), { email: 'not-an-email' }), 'AppError', '"Email" is not a valid email address: "not-an-email".');
  });
});

describe('Create or Update Contact with custom fields', () => {
  it('reads the definitions, converts the values and sends them in the upsert', async () => {
    const FIELD = 'fldEcwidCustomerId01';
    const scope = ghlApi()
      .get(`/locations/${LOCATION_ID}/customFields`)
      .query({ model: 'contact' })
      .reply(200, {
        customFields: [{ id: FIELD, name: 'Ecwid Customer ID', fieldKey: 'contact.ecwid_customer_id', dataType: 'TEXT', model: 'contact' }],
      })
      .post('/contacts/upsert', {
        locationId: LOCATION_ID,
        email: 'rosa.delgado@example.com',
        customFields: [{ id: FIELD, fieldValue: '177737165' }],
      })
      .reply(200, { new: false, contact: { ...stored, customFields: [{ id: FIELD, value: '177737165' }] } });
    const out = await perform(op(), { email: 'rosa.delgado@example.com', [`customField__${FIELD}`]: '177737165' });
    expect(out.customFields).toEqual([{ id: FIELD, value: '177737165' }]);
    scope.done();
  });
});
