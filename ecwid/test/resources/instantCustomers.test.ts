import nock from 'nock';
import fixture from '../fixtures/customer.json' with { type: 'json' };
import { toCustomer } from '../../src/resources/shape.js';
import { droppedEvents } from '../../src/resources/instantCustomers.js';
import { ACCESS_TOKEN, api, appTester, authData, ecwidApi, rejectsWith, trigger } from '../helpers.js';

/**
 * The instant triggers (src/resources/instantCustomers.ts) with Ecwid and the relay mocked: the
 * exact requests they send, their items, and every webhook they drop (the body is not signed).
 */

const RELAY = 'https://relay.example.com';
const TARGET = 'https://hooks.zapier.com/hooks/standard/1/abc';
const REGISTERED_S = Date.parse('2026-11-20T09:40:00Z') / 1000;
const UPDATED_S = Date.parse('2026-11-21T09:00:00Z') / 1000;
type Op = { operation: Record<string, unknown> };
const op = (key: string) => (trigger(key) as unknown as Op).operation as Record<string, (z: unknown, b: unknown) => unknown>;
const run = (key: string, fn: string, bundle: Record<string, unknown>) =>
  appTester(op(key)[fn] as never, { authData, inputData: {}, meta: {}, ...bundle } as never) as Promise<any>;
const hook = (key: string, body: unknown) => run(key, 'perform', { cleanedRequest: body });
const webhook = (eventType: string, eventCreated: number, extra: Record<string, unknown> = {}) => ({
  eventId: '2f0e8f4c-6a57-4f2e-9d43-0a4b4b7d2c11',
  eventCreated,
  storeId: 1003,
  entityId: 177737165,
  eventType,
  data: { customerEmail: 'jules.okafor@example.com' },
  ...extra,
});
const drops = () => ({ ...droppedEvents });

beforeEach(() => {
  process.env.RELAY_URL = `${RELAY}/`;
});
afterEach(() => {
  delete process.env.RELAY_URL;
});

describe('subscribing at the relay', () => {
  it.each([
    ['new_customer_instant', 'customer.created'],
    ['customer_updated_instant', 'customer.updated'],
    ['customer_deleted_instant', 'customer.deleted'],
  ])('%s subscribes to %s for the connection’s store with its token', async (key, event) => {
    const relay = nock(RELAY, { reqheaders: { authorization: `Bearer ${ACCESS_TOKEN}`, 'content-type': 'application/json' } })
      .post('/subscriptions', { source: 'ecwid', storeId: '1003', event, targetUrl: TARGET })
      .reply(201, { id: 'sub-1', source: 'ecwid', storeId: '1003', event, targetUrl: TARGET });
    await expect(run(key, 'performSubscribe', { targetUrl: TARGET })).resolves.toEqual({
      id: 'sub-1',
      source: 'ecwid',
      storeId: '1003',
      event,
      targetUrl: TARGET,
    });
    relay.done();
  });

  it('a token the relay (Ecwid) refuses asks for a reconnect; no RELAY_URL names the polling twin', async () => {
    nock(RELAY).post('/subscriptions').reply(403, { error: 'The Ecwid token has no access to store 1003' });
    await rejectsWith(
      run('new_customer_instant', 'performSubscribe', { targetUrl: TARGET }),
      'ExpiredAuthError',
      'The Ecwid token has no access to store 1003. Reconnect Ecwid in Zapier (My Apps → Ecwid Customers → Reconnect) and approve the app again.',
    );
    delete process.env.RELAY_URL;
    await rejectsWith(
      run('new_customer_instant', 'performSubscribe', { targetUrl: TARGET }),
      'AppError',
      'Instant triggers need the webhook relay, and this app has no RELAY_URL set. Use the polling trigger of the same name (it needs no setup), or ask the app owner to deploy the relay.',
    );
  });

  it('unsubscribes with the same token; a subscription already gone (404) is fine', async () => {
    const relay = nock(RELAY, { reqheaders: { authorization: `Bearer ${ACCESS_TOKEN}` } })
      .delete('/subscriptions/sub-1')
      .reply(200, { id: 'sub-1', removed: true })
      .delete('/subscriptions/sub-2')
      .reply(404, { error: 'No subscription sub-2 (already removed)' });
    await expect(run('customer_updated_instant', 'performUnsubscribe', { subscribeData: { id: 'sub-1' } })).resolves.toEqual({
      id: 'sub-1',
      removed: true,
    });
    await expect(run('customer_updated_instant', 'performUnsubscribe', { subscribeData: { id: 'sub-2' } })).resolves.toEqual({
      id: 'sub-2',
      removed: false,
    });
    relay.done();
  });
});

describe('a delivered webhook is a hint: the customer is read with the connection’s token', () => {
  it('New Customer (Instant): one GET /customers/{id}; the item is New Customer’s', async () => {
    const scope = ecwidApi().get(api('/customers/177737165')).reply(200, fixture);
    await expect(hook('new_customer_instant', webhook('customer.created', REGISTERED_S + 1))).resolves.toEqual([
      toCustomer(fixture as never),
    ]);
    scope.done();
  });

  it('Customer Updated (Instant): the current customer, with New or Updated Customer’s change id', async () => {
    const scope = ecwidApi().get(api('/customers/177737165')).reply(200, fixture);
    const [item] = await hook('customer_updated_instant', webhook('customer.updated', UPDATED_S));
    expect(item).toEqual({ ...toCustomer(fixture as never), id: '177737165:2026-11-21T09:00:00Z' });
    scope.done();
  });

  it('Customer Deleted (Instant): 404 for the customer, then its entry in the deleted history around the event time', async () => {
    const at = Date.parse('2026-12-01T08:00:05Z') / 1000;
    const scope = ecwidApi()
      .get(api('/customers/177737165'))
      .reply(404, { errorMessage: 'Customer #177737165 not found', errorCode: 'CUSTOMER_NOT_FOUND' })
      .get(api('/customers/deleted'))
      .query({ from_date: String(at - 600), to_date: String(at + 600), limit: '100' })
      .reply(200, {
        total: 2,
        count: 2,
        offset: 0,
        limit: 100,
        items: [
          { id: 5, date: '2026-12-01 07:59:00 +0000' },
          { id: 177737165, date: '2026-12-01 08:00:04 +0000' },
        ],
      });
    await expect(hook('customer_deleted_instant', webhook('customer.deleted', at))).resolves.toEqual([
      { id: '177737165', customerId: '177737165', deletedAt: '2026-12-01T08:00:04Z', storeId: '1003' },
    ]);
    scope.done();
  });
});

describe('dropped, logged and counted: nothing reaches the Zap', () => {
  it.each([
    ['another store', webhook('customer.updated', UPDATED_S, { storeId: 2004 }), 'event of another store'],
    ['another event type', webhook('customer.deleted', UPDATED_S), 'other event type'],
    ['no customer id', webhook('customer.updated', UPDATED_S, { entityId: 'x/../1' }), 'no valid customer id'],
    ['no event time', webhook('customer.updated', undefined as never), 'no event time'],
  ])('%s: no request at all', async (_what, body, reason) => {
    const before = drops();
    await expect(hook('customer_updated_instant', body)).resolves.toEqual([]);
    expect(droppedEvents[reason]).toBe((before[reason] ?? 0) + 1);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('updated: a customer who has not changed since 10 minutes before the event (entityId swapped)', async () => {
    const before = drops();
    ecwidApi().get(api('/customers/177737165')).reply(200, fixture);
    await expect(hook('customer_updated_instant', webhook('customer.updated', UPDATED_S + 601))).resolves.toEqual([]);
    expect(droppedEvents['customer has not changed since before the event']).toBe(
      (before['customer has not changed since before the event'] ?? 0) + 1,
    );
  });

  it('created: a customer registered long before the event (eventType or entityId swapped), or not found', async () => {
    const before = drops();
    ecwidApi()
      .get(api('/customers/177737165'))
      .reply(200, fixture)
      .get(api('/customers/177737165'))
      .reply(404, { errorMessage: 'Customer #177737165 not found', errorCode: 'CUSTOMER_NOT_FOUND' });
    await expect(hook('new_customer_instant', webhook('customer.created', REGISTERED_S + 86_400))).resolves.toEqual([]);
    await expect(hook('new_customer_instant', webhook('customer.created', REGISTERED_S))).resolves.toEqual([]);
    expect(droppedEvents['customer was not registered at the event time']).toBe(
      (before['customer was not registered at the event time'] ?? 0) + 1,
    );
    expect(droppedEvents['customer not found in Ecwid']).toBe((before['customer not found in Ecwid'] ?? 0) + 1);
  });

  it('deleted: a customer who still exists (one request), or who is not in the deleted history', async () => {
    const before = drops();
    const at = Date.parse('2026-12-01T08:00:05Z') / 1000;
    ecwidApi()
      .get(api('/customers/177737165'))
      .reply(200, fixture)
      .get(api('/customers/177737165'))
      .reply(404, { errorMessage: 'Customer #177737165 not found', errorCode: 'CUSTOMER_NOT_FOUND' })
      .get(api('/customers/deleted'))
      .query({ from_date: String(at - 600), to_date: String(at + 600), limit: '100' })
      .reply(200, { total: 0, count: 0, offset: 0, limit: 100, items: [] });
    await expect(hook('customer_deleted_instant', webhook('customer.deleted', at))).resolves.toEqual([]);
    await expect(hook('customer_deleted_instant', webhook('customer.deleted', at))).resolves.toEqual([]);
    expect(droppedEvents['customer still exists in Ecwid']).toBe((before['customer still exists in Ecwid'] ?? 0) + 1);
    const history = "customer is not in Ecwid's deleted history at the event time";
    expect(droppedEvents[history]).toBe((before[history] ?? 0) + 1);
    expect(nock.pendingMocks()).toEqual([]);
  });
});
