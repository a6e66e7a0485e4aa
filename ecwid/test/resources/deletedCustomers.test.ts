import { api, ecwidApi, perform, trigger } from '../helpers.js';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const FROM = String(Math.floor((NOW - 7 * 86_400_000) / 1000));

/** Deletions `n` minutes before NOW, as Ecwid writes them. */
const item = (id: number, minutesAgo: number) => ({
  id,
  date: new Date(NOW - minutesAgo * 60_000)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, ' +0000'),
});
const out = (id: number, minutesAgo: number) => ({
  id: String(id),
  customerId: String(id),
  deletedAt: new Date(NOW - minutesAgo * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  storeId: '1003',
});

beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(NOW));
afterEach(() => jest.restoreAllMocks());

describe('Deleted Customer (deleted_customer)', () => {
  it('reads the last 7 days in one request when they fit one page, newest first', async () => {
    const scope = ecwidApi()
      .get(api('/customers/deleted'))
      .query({ from_date: FROM, limit: '100' })
      .reply(200, { total: 2, count: 2, offset: 0, limit: 100, items: [item(11, 30), item(12, 5)] });
    await expect(perform(trigger('deleted_customer'))).resolves.toEqual([out(12, 5), out(11, 30)]);
    scope.done();
  });

  it('with thousands oldest-first in the window, fetches the last page as the second and final request', async () => {
    const firstPage = Array.from({ length: 100 }, (_, i) => item(1000 + i, 9000 - i));
    const lastPage = Array.from({ length: 100 }, (_, i) => item(5000 + i, 100 - i));
    const scope = ecwidApi()
      .get(api('/customers/deleted'))
      .query({ from_date: FROM, limit: '100' })
      .reply(200, { total: 4321, count: 100, offset: 0, limit: 100, items: firstPage })
      .get(api('/customers/deleted'))
      .query({ from_date: FROM, offset: '4221', limit: '100' })
      .reply(200, { total: 4321, count: 100, offset: 4221, limit: 100, items: lastPage });
    const result = await perform(trigger('deleted_customer'));
    expect(result).toHaveLength(100);
    expect(result[0]).toEqual(out(5099, 1));
    expect(result[99]).toEqual(out(5000, 100));
    scope.done();
  });

  it('with thousands newest-first in the window, stops after one request', async () => {
    const firstPage = Array.from({ length: 100 }, (_, i) => item(9000 - i, i + 1));
    const scope = ecwidApi()
      .get(api('/customers/deleted'))
      .query({ from_date: FROM, limit: '100' })
      .reply(200, { total: 4321, count: 100, offset: 0, limit: 100, items: firstPage });
    const result = await perform(trigger('deleted_customer'));
    expect(result.map((r: { id: string }) => r.id)).toEqual(firstPage.map((i) => String(i.id)));
    scope.done();
  });

  it('drops duplicates and items without a valid id; an unreadable date becomes null', async () => {
    const scope = ecwidApi()
      .get(api('/customers/deleted'))
      .query(true)
      .reply(200, { total: 4, count: 4, items: [item(7, 3), item(7, 3), { id: 0, date: 'x' }, { id: 8, date: 'yesterday' }] });
    await expect(perform(trigger('deleted_customer'))).resolves.toEqual([out(7, 3), { ...out(8, 0), deletedAt: null }]);
    scope.done();
  });
});
