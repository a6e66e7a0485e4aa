import { LOCATION_ID, ghlApi, perform, trigger } from '../../helpers.js';

describe('tag_list (hidden dropdown)', () => {
  it('lists the sub-account tags by name; the value is the name, which the tag endpoints take', async () => {
    const scope = ghlApi()
      .get(`/locations/${LOCATION_ID}/tags`)
      .reply(200, {
        tags: [
          { id: 'tag00000000000000002', name: 'wholesale', locationId: LOCATION_ID },
          { id: 'tag00000000000000001', name: 'ecwid-customer', locationId: LOCATION_ID },
          { id: 'tag00000000000000003', name: ' ', locationId: LOCATION_ID },
          { id: 'tag00000000000000004', name: 'wholesale', locationId: LOCATION_ID },
        ],
      });
    const out = await perform(trigger('tag_list'));
    expect(out).toEqual([
      { id: 'ecwid-customer', name: 'ecwid-customer', tagId: 'tag00000000000000001' },
      { id: 'wholesale', name: 'wholesale', tagId: 'tag00000000000000002' },
    ]);
    scope.done();
  });

  it('returns [] when the sub-account has no tags', async () => {
    const scope = ghlApi().get(`/locations/${LOCATION_ID}/tags`).reply(200, { tags: [] });
    await expect(perform(trigger('tag_list'))).resolves.toEqual([]);
    scope.done();
  });
});
