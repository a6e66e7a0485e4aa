import { LOCATION_ID, create, ghlApi, perform, rejectsWith } from '../../helpers.js';
import { rosaGhl, rosa, CF_ECWID, definitions } from './fixtures.js';

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
