import { create, ghlApi, perform, rejectsWith } from '../../helpers.js';

const CONTACT = 'nmFmQEsNgz6AVpgLVUJ0';

describe('Add Tags to Contact (add_tags_to_contact)', () => {
  it('adds the tags and returns all of the contact’s tags', async () => {
    const scope = ghlApi()
      .post(`/contacts/${CONTACT}/tags`, { tags: ['vip', 'wholesale'] })
      .reply(201, { tags: ['ecwid-customer', 'vip', 'wholesale'] });
    const out = await perform(create('add_tags_to_contact'), { contactId: CONTACT, tags: [' vip ', 'wholesale', 'vip', ''] });
    expect(out).toEqual({ id: CONTACT, contactId: CONTACT, tags: ['ecwid-customer', 'vip', 'wholesale'], tagsAdded: ['vip', 'wholesale'] });
    scope.done();
  });

  it('splits a comma-separated text into tags', async () => {
    const scope = ghlApi()
      .post(`/contacts/${CONTACT}/tags`, { tags: ['vip', 'wholesale'] })
      .reply(201, { tags: ['vip', 'wholesale'] });
    const out = await perform(create('add_tags_to_contact'), { contactId: CONTACT, tags: 'vip, wholesale' });
    expect(out).toEqual({ id: CONTACT, contactId: CONTACT, tags: ['vip', 'wholesale'], tagsAdded: ['vip', 'wholesale'] });
    scope.done();
  });

  it('refuses an empty tag list before any request', async () => {
    await rejectsWith(
      perform(create('add_tags_to_contact'), { contactId: CONTACT, tags: ['', ' '] }),
      'AppError',
      '"Tags" is required but was empty. Map a value to it in the Zap editor.',
    );
  });

  it('reports a contact GHL does not know', async () => {
    const scope = ghlApi()
      .post('/contacts/gone000000000000000A/tags', { tags: ['vip'] })
      .reply(400, { statusCode: 400, message: 'Contact with id gone000000000000000A not found' });
    await rejectsWith(
      perform(create('add_tags_to_contact'), { contactId: 'gone000000000000000A', tags: ['vip'] }),
      'AppError',
      'GHL rejected the request: Contact with id gone000000000000000A not found',
    );
    scope.done();
  });
});

describe('Remove Tags from Contact (remove_tags_from_contact)', () => {
  it('sends a DELETE with a JSON body and returns the tags left', async () => {
    const scope = ghlApi()
      .matchHeader('content-type', 'application/json')
      .delete(`/contacts/${CONTACT}/tags`, { tags: ['wholesale'] })
      .reply(200, { tags: ['ecwid-customer'] });
    const out = await perform(create('remove_tags_from_contact'), { contactId: CONTACT, tags: ['wholesale'] });
    expect(out).toEqual({ id: CONTACT, contactId: CONTACT, tags: ['ecwid-customer'], tagsRemoved: ['wholesale'] });
    scope.done();
  });

  it('returns an empty list when the contact has no tags left', async () => {
    const scope = ghlApi()
      .delete(`/contacts/${CONTACT}/tags`, { tags: ['vip'] })
      .reply(200, {});
    const out = await perform(create('remove_tags_from_contact'), { contactId: CONTACT, tags: ['vip'] });
    expect(out).toEqual({ id: CONTACT, contactId: CONTACT, tags: [], tagsRemoved: ['vip'] });
    scope.done();
  });

  it('refuses a missing contact before any request', async () => {
    await rejectsWith(
      perform(create('remove_tags_from_contact'), { tags: ['vip'] }),
      'AppError',
      '"Contact" is required but was empty. Map a value to it in the Zap editor.',
    );
  });

  it('passes GHL validation errors on', async () => {
    const scope = ghlApi()
      .delete(`/contacts/${CONTACT}/tags`, { tags: ['vip'] })
      .reply(422, { statusCode: 422, message: ['tags must be an array'], error: 'Unprocessable Entity' });
    await rejectsWith(
      perform(create('remove_tags_from_contact'), { contactId: CONTACT, tags: ['vip'] }),
      'AppError',
      'GHL rejected the request: tags must be an array',
    );
    scope.done();
  });
});
