import { businessNameKey } from '../../../src/resources/businesses/shape.js';
import { LOCATION_ID, ghlApi, perform, search } from '../../helpers.js';
import { rejectsWithAppError } from '../zapierErrors.js';

const findBusiness = search('find_business');

const biz = (id: string, name: string, createdAt: string, extra: Record<string, unknown> = {}) => ({
  id,
  name,
  locationId: LOCATION_ID,
  createdAt,
  updatedAt: createdAt,
  ...extra,
});

const page = (skip: number) =>
  ghlApi()
    .get('/businesses/')
    .query({ locationId: LOCATION_ID, limit: '100', skip: String(skip) });

describe('businessNameKey', () => {
  it.each([
    ['Wholesale', 'wholesale'],
    ['  Maple & Rye   Wholesale ', 'maple&ryewholesale'],
    ['WHOLE sale', 'wholesale'],
    ['Ｗｈｏｌｅｓａｌｅ', 'wholesale'],
    ['Wholesale EU', 'wholesaleeu'],
  ])('%j → %j', (name, key) => expect(businessNameKey(name)).toBe(key));
});

describe('Find Business (find_business)', () => {
  it('finds the business by name, letter case and spaces aside, with its details', async () => {
    const scope = page(0).reply(200, {
      businesses: [
        biz('b1', 'Retail', '2026-01-02T00:00:00.000Z'),
        biz('b2', 'Whole Sale', '2026-01-03T00:00:00.000Z', { email: 'orders@example.com', city: 'Burlington', postalCode: '05401' }),
        biz('b3', 'Wholesale EU', '2026-01-04T00:00:00.000Z'),
      ],
    });
    await expect(perform(findBusiness, { name: '  wholesale ' })).resolves.toEqual([
      {
        id: 'b2',
        businessId: 'b2',
        name: 'Whole Sale',
        email: 'orders@example.com',
        city: 'Burlington',
        postalCode: '05401',
        createdAt: '2026-01-03T00:00:00.000Z',
        updatedAt: '2026-01-03T00:00:00.000Z',
        matchCount: 1,
        ambiguous: false,
      },
    ]);
    scope.done();
  });

  it('reads every page, and flags several matches: the oldest first, Ambiguous = true', async () => {
    const first = Array.from({ length: 100 }, (_, i) => biz(`p${i}`, `Shop ${i}`, '2026-01-01T00:00:00.000Z'));
    first[40] = biz('newer', 'VIP', '2026-03-01T00:00:00.000Z');
    const scope = page(0)
      .reply(200, { businesses: first })
      .get('/businesses/')
      .query({ locationId: LOCATION_ID, limit: '100', skip: '100' })
      .reply(200, { businesses: [biz('older', 'vip', '2026-02-01T00:00:00.000Z')] });
    const [found] = await perform(findBusiness, { name: 'VIP' });
    expect(found).toMatchObject({ id: 'older', name: 'vip', matchCount: 2, ambiguous: true });
    scope.done();
  });

  it('returns [] when no business has the name', async () => {
    const scope = page(0).reply(200, { businesses: [biz('b1', 'Retail', '2026-01-02T00:00:00.000Z')] });
    await expect(perform(findBusiness, { name: 'Wholesale' })).resolves.toEqual([]);
    scope.done();
  });

  it('stops after 2,000 businesses with an error saying what to do instead', async () => {
    const full = Array.from({ length: 100 }, (_, i) => biz(`p${i}`, `Shop ${i}`, '2026-01-01T00:00:00.000Z'));
    const scope = ghlApi().get('/businesses/').query(true).times(20).reply(200, { businesses: full });
    await rejectsWithAppError(
      perform(findBusiness, { name: 'Wholesale' }),
      'The sub-account has more than 2000 businesses in GHL; finding one by name would read them all on every run. Pick the business from the dropdown (or map its ID) instead.',
      'too_many_businesses',
      400,
    );
    scope.done();
  });

  it('refuses an empty name before any request', async () => {
    await rejectsWithAppError(
      perform(findBusiness, { name: '  ' }),
      '"Business Name" is required but was empty. Map a value to it in the Zap editor.',
      'invalid_input',
      400,
    );
  });
});
