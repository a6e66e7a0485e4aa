import { LOCATION_ID, ghlApi, perform, rejectsWith, trigger } from '../../helpers.js';

const contact = (id: string, tags: string[], dateUpdated: string) => ({
  id,
  locationId: LOCATION_ID,
  firstName: 'Rosa',
  lastName: 'Delgado',
  email: `${id.toLowerCase()}@example.com`,
  tags,
  dateAdded: '2026-01-10T10:00:00.000Z',
  dateUpdated,
});

describe('Contact Tag Added (contact_tag_added)', () => {
  it('sends one search with the tag filter, newest change first, and ids of contact + tag', async () => {
    const scope = ghlApi()
      .post('/contacts/search', {
        locationId: LOCATION_ID,
        pageLimit: 100,
        filters: [{ field: 'tags', operator: 'eq', value: 'VIP' }],
        sort: [{ field: 'dateUpdated', direction: 'desc' }],
      })
      .reply(200, {
        contacts: [
          contact('nmFmQEsNgz6AVpgLVUJ0', ['ecwid-customer', 'vip'], '2026-11-30T10:00:00.000Z'),
          contact('qFSqySFkVvNzOSqgGqFi', ['vipers'], '2026-11-29T10:00:00.000Z'),
          contact('3ualbhnV7j3n3a9r2moD', ['VIP'], '2026-11-28T10:00:00.000Z'),
        ],
        total: 3,
      });
    const out = await perform(trigger('contact_tag_added'), { tag: 'VIP' });
    expect(out.map((c: { id: string; contactId: string; tagAdded: string }) => [c.id, c.contactId, c.tagAdded])).toEqual([
      ['nmFmQEsNgz6AVpgLVUJ0:vip', 'nmFmQEsNgz6AVpgLVUJ0', 'VIP'],
      ['3ualbhnV7j3n3a9r2moD:vip', '3ualbhnV7j3n3a9r2moD', 'VIP'],
    ]);
    expect(out[0]).toMatchObject({ name: 'Rosa Delgado', tags: ['ecwid-customer', 'vip'], dateUpdated: '2026-11-30T10:00:00.000Z' });
    scope.done();
  });

  it('keeps the same id when a tagged contact changes otherwise, so Zapier does not trigger again', async () => {
    const body = (dateUpdated: string) => ({ contacts: [contact('nmFmQEsNgz6AVpgLVUJ0', ['vip'], dateUpdated)], total: 1 });
    const scope = ghlApi()
      .post('/contacts/search')
      .reply(200, body('2026-11-30T10:00:00.000Z'))
      .post('/contacts/search')
      .reply(200, body('2026-12-01T08:00:00.000Z'));
    const first = await perform(trigger('contact_tag_added'), { tag: 'vip' });
    const second = await perform(trigger('contact_tag_added'), { tag: 'vip' });
    expect(second[0].id).toBe(first[0].id);
    scope.done();
  });

  it('needs a tag before any request', async () => {
    await rejectsWith(
      perform(trigger('contact_tag_added'), {}),
      'AppError',
      '"Tag" is required but was empty. Map a value to it in the Zap editor.',
    );
  });
});
