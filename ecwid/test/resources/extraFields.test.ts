/**
 * The extra-field outputs' labels in the Zap editor (dynamic output fields): from the store's list
 * when the connection holds read_customers_extrafields, else from recent customers. Never on a poll.
 */
import App from '../../index.js';
import live2025 from '../fixtures/recordings/live-2025-get-customer.json' with { type: 'json' };
import { api, appTester, authData, ecwidApi } from '../helpers.js';

type Fields = Array<unknown>;
const outputFieldsOf = (kind: 'triggers' | 'searches', key: string) =>
  ((App[kind] as Record<string, { operation: { outputFields: Fields } }>)[key]!.operation.outputFields ?? []).find(
    (f) => typeof f === 'function',
  ) as (z: unknown, bundle: unknown) => Promise<unknown>;
const dynamic = (auth: Record<string, unknown> = authData) =>
  appTester(outputFieldsOf('triggers', 'new_or_updated_customer') as never, { authData: auth, inputData: {} } as never);

const dana = live2025.exchanges[0]!.response;

describe('extra field outputs (labels)', () => {
  it('every customer operation has them', () => {
    for (const [kind, key] of [
      ['triggers', 'new_customer'],
      ['triggers', 'new_or_updated_customer'],
      ['searches', 'find_customer'],
    ] as const)
      expect(typeof outputFieldsOf(kind, key)).toBe('function');
  });

  it('without read_customers_extrafields: one request for recent customers, one field per key, labelled with the title', async () => {
    const scope = ecwidApi()
      .get(api('/customers'))
      .query({ sortBy: 'UPDATED_DATE_DESC', limit: '100' })
      .reply(200, {
        items: [
          dana,
          {
            id: 5,
            extrafields: [{ key: 'HSdoOLH', title: 'How did you hear about us?', value: 'Radio', orderBy: 1 }, { title: 'no key' }],
          },
          { id: 6, extrafields: [{ key: 'a-b c', title: ' Loyalty card ', value: '7', orderBy: 5 }] },
        ],
      });
    await expect(dynamic()).resolves.toEqual([
      { key: 'extraFields__HWVrQNC', label: 'Tax ID (extra field)' },
      { key: 'extraFields__HSdoOLH', label: 'How did you hear about us? (extra field)' },
      { key: 'extraFields__a_b_c', label: 'Loyalty card (extra field)' },
    ]);
    scope.done();
  });

  it('with read_customers_extrafields: the store’s own list (fields nobody answered yet included)', async () => {
    const scope = ecwidApi()
      .get(api('/store_extrafields/customers'))
      .reply(200, {
        items: [
          { key: '6r0fUGw', title: 'Offline card ID', entityTypes: ['CUSTOMERS'], type: 'TEXT', createdDate: '2025-03-26 10:24:22 +0000' },
        ],
      });
    await expect(dynamic({ ...authData, scope: 'read_store_profile read_customers read_customers_extrafields' })).resolves.toEqual([
      { key: 'extraFields__6r0fUGw', label: 'Offline card ID (extra field)' },
    ]);
    scope.done();
  });

  it('an empty store list falls back to the customers', async () => {
    const list = ecwidApi().get(api('/store_extrafields/customers')).reply(200, { items: [] });
    const customers = ecwidApi()
      .get(api('/customers'))
      .query({ sortBy: 'UPDATED_DATE_DESC', limit: '100' })
      .reply(200, { items: [dana] });
    await expect(dynamic({ ...authData, scope: 'read_customers read_customers_extrafields' })).resolves.toHaveLength(2);
    list.done();
    customers.done();
  });

  it('a connection without a store id gets no fields and sends nothing', async () => {
    await expect(dynamic({ access_token: 'x' })).resolves.toEqual([]);
  });
});
