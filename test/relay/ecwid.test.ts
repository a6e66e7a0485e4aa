import { randomUUID } from 'node:crypto';
import nock from 'nock';
import zapier from 'zapier-platform-core';
import EcwidApp from '../../ecwid/index.js';
import { startEcwidSandbox, type EcwidSandbox } from '../../ecwid/sandbox/server.js';
import { droppedEvents } from '../../ecwid/src/resources/instantCustomers.js';
import { memoryLog } from '../../relay/log.js';
import { startRelay, type Relay } from '../../relay/server.js';
import { ecwidSignature } from '../../relay/sources/ecwid.js';
import { startZapHost, type AppTester, type ZapHost } from '../../recipes/zap-host.js';
import { relayConfig, testKeys } from './helpers.js';

/** /healthz shows the counters to the operator only (docs/relay-shared.md). */
const ADMIN_TOKEN = 'ecwid-test-admin-token-0123456789';

/**
 * Ecwid as the relay's second source, over real HTTP on 127.0.0.1: the Ecwid sandbox sends signed
 * customer webhooks to the relay, which forwards them to a local stand-in for Zapier that runs the
 * Ecwid app's instant triggers against the sandbox with the connection's token (issue 18, items 1,
 * 2, 3 and 7). Forged, altered and replayed webhooks never start a Zap; each is logged and counted.
 */

const keys = testKeys();
let sb: EcwidSandbox;
let relay: Relay;
let zaps: ZapHost;
let authData: Record<string, unknown>;
const { lines: relayLog, log } = memoryLog();
const logged = (msg: string, reason?: string) =>
  relayLog.filter((l) => l.msg === msg && (reason === undefined || l.reason === reason) && l.source === 'ecwid').length;
const appTester = zapier.createAppTester(EcwidApp) as unknown as AppTester;
type Op = { operation: Record<string, (z: unknown, b: unknown) => unknown> };
const op = (key: string) => (EcwidApp.triggers as unknown as Record<string, Op>)[key]!.operation;

const SECRET = 'ecwid-sandbox-client-secret';
const countOf = (key: string) => droppedEvents[key] ?? 0;

beforeAll(async () => {
  nock.enableNetConnect('127.0.0.1');
  sb = await startEcwidSandbox({ rateLimit: false });
  relay = await startRelay(
    relayConfig(keys, { RELAY_ECWID_CLIENT_SECRET: SECRET, RELAY_ECWID_API_BASE_URL: sb.apiBaseUrl, RELAY_ADMIN_TOKEN: ADMIN_TOKEN }),
    { log },
  );
  zaps = await startZapHost(appTester);
  process.env.ECWID_API_BASE_URL = sb.apiBaseUrl;
  process.env.RELAY_URL = relay.url;
  authData = { ...sb.issueToken(), store_id: '1003' };
  sb.webhooks.setUrl(`${relay.url}/webhooks/ecwid`);
});
afterAll(async () => {
  await sb.close();
  await relay.close();
  await zaps.close();
  delete process.env.ECWID_API_BASE_URL;
  delete process.env.RELAY_URL;
});
beforeEach(() => {
  relayLog.length = 0;
});

const subscribeZap = async (key: string) => {
  const sub = (await appTester(op(key).performSubscribe!, { authData, inputData: {}, targetUrl: zaps.hookUrl(key) })) as { id: string };
  zaps.on(key, { trigger: op(key).perform!, authData: () => authData });
  return sub;
};

const postEcwid = async (body: Record<string, unknown>, signature?: string) => {
  const res = await fetch(`${relay.url}/webhooks/ecwid?eventtype=${String(body.eventType)}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(signature === undefined ? {} : { 'x-ecwid-webhook-signature': signature }),
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const signed = (body: Record<string, unknown>) =>
  postEcwid(body, ecwidSignature(SECRET, body.eventCreated as number, body.eventId as string));
const event = (eventType: string, entityId: number, extra: Record<string, unknown> = {}) => ({
  eventId: randomUUID(),
  eventCreated: Math.floor(Date.now() / 1000),
  storeId: 1003,
  entityId,
  eventType,
  data: {},
  ...extra,
});
const counters = async () =>
  (await (await fetch(`${relay.url}/healthz`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as {
    webhooks: Record<string, number>;
    refused: Record<string, number>;
  };
const OLIVIA = 274839105; // seeded 30 days ago, never edited since
const runsOf = (zap: string) => zaps.runs.filter((r) => r.zap === zap);

describe('subscriptions (item 2)', () => {
  test('the connection token proves access with one GET /1003/profile; the relay answers without the token', async () => {
    const before = sb.requests.length;
    const sub = await subscribeZap('new_customer_instant');
    expect(sub).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      source: 'ecwid',
      storeId: '1003',
      event: 'customer.created',
      targetUrl: zaps.hookUrl('new_customer_instant'),
    });
    expect(sb.requests.slice(before).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['GET /api/v3/1003/profile 200']);
    expect(JSON.stringify(relayLog)).not.toContain(String(authData.access_token));
  });

  test('a token of another store, a revoked token and no token are refused; nothing is subscribed', async () => {
    const other = await fetch(`${relay.url}/subscriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${String(authData.access_token)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ source: 'ecwid', storeId: '2004', event: 'customer.created', targetUrl: zaps.hookUrl('x') }),
    });
    expect([other.status, await other.json()]).toEqual([403, { error: 'The Ecwid token has no access to store 2004' }]);
    const revoked = sb.issueToken();
    sb.state.tokens.get(revoked.access_token)!.revoked = true;
    await expect(
      appTester(op('customer_updated_instant').performSubscribe!, {
        authData: { ...revoked, store_id: '1003' },
        inputData: {},
        targetUrl: zaps.hookUrl('customer_updated_instant'),
      }),
    ).rejects.toThrow('The Ecwid token has no access to store 1003. Reconnect Ecwid in Zapier');
    const none = await fetch(`${relay.url}/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ source: 'ecwid', storeId: '1003', event: 'customer.created', targetUrl: zaps.hookUrl('x') }),
    });
    expect([none.status, await none.json()]).toEqual([
      401,
      { error: 'Send the Ecwid access token of the connection as "Authorization: Bearer <token>"' },
    ]);
    expect((await relay.store.stats()).subscriptions).toBe(1);
    expect(JSON.stringify(relayLog)).not.toContain(revoked.access_token);
  });
});

describe('Ecwid webhooks through the relay to the instant triggers (items 1 and 3)', () => {
  test('registration, edit and deletion in the sandbox each start their Zap once, shaped like the polling twins', async () => {
    await subscribeZap('customer_updated_instant');
    await subscribeZap('customer_deleted_instant');
    const jules = sb.state.register({ email: 'jules.okafor@example.com', firstName: 'Jules', lastName: 'Okafor', city: 'Portland' });
    await sb.webhooks.flush();
    await zaps.until('the registration Zap', () => runsOf('new_customer_instant').some((r) => r.doneAt));
    sb.state.edit(jules.id, { billingPerson: { city: 'Beaverton' } });
    await zaps.until('the edit Zap', () => runsOf('customer_updated_instant').some((r) => r.doneAt));
    sb.state.remove(jules.id);
    await zaps.until('the deletion Zap', () => runsOf('customer_deleted_instant').some((r) => r.doneAt));
    await sb.webhooks.flush();

    const [created] = runsOf('new_customer_instant');
    expect(created!.items).toHaveLength(1);
    expect(created!.items![0]).toMatchObject({
      id: String(jules.id),
      customerId: String(jules.id),
      email: 'jules.okafor@example.com',
      billingCity: 'Portland',
    });
    // The same shape as the polling twin's item for this customer (performList = the twin).
    const [updated] = runsOf('customer_updated_instant');
    expect(updated!.items![0]).toMatchObject({ customerId: String(jules.id), billingCity: 'Beaverton' });
    expect(updated!.items![0]!.id).toBe(`${jules.id}:${String(updated!.items![0]!.updatedAt)}`);
    const [deleted] = runsOf('customer_deleted_instant');
    expect(deleted!.items).toEqual([
      {
        id: String(jules.id),
        customerId: String(jules.id),
        deletedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        storeId: '1003',
      },
    ]);
    expect(sb.webhooks.log.map((e) => [e.eventType, e.statuses, e.outcome])).toEqual([
      ['customer.created', [200], 'delivered'],
      ['customer.updated', [200], 'delivered'],
      ['customer.deleted', [200], 'delivered'],
    ]);
    expect(zaps.runs.map((r) => r.error)).toEqual([undefined, undefined, undefined]);
    expect((await counters()).webhooks).toMatchObject({ queued: 3, duplicate: 0 });
  });

  test('performList is the polling twin (the editor samples look like the live items)', async () => {
    const list = (await appTester(op('customer_updated_instant').performList!, { authData, inputData: {}, meta: {} })) as Array<
      Record<string, unknown>
    >;
    const twin = (await appTester((EcwidApp.triggers as unknown as Record<string, Op>).new_or_updated_customer!.operation.perform!, {
      authData,
      inputData: {},
      meta: {},
    })) as unknown[];
    expect(list).toEqual(twin);
  });
});

describe('security over real HTTP (item 7): none of these reaches a Zap; each is logged and counted', () => {
  const deliveredSince = (n: number) => zaps.runs.slice(n).filter((r) => (r.items ?? []).length > 0);

  test('a bad or missing signature is refused with 401 and counted', async () => {
    const before = await counters();
    const e = event('customer.updated', OLIVIA);
    expect(await postEcwid(e, ecwidSignature('not-the-secret', e.eventCreated, e.eventId))).toEqual({
      status: 401,
      body: { error: 'X-Ecwid-Webhook-Signature does not match eventCreated.eventId' },
    });
    expect(await postEcwid(e)).toEqual({ status: 401, body: { error: 'No X-Ecwid-Webhook-Signature header' } });
    // A genuine signature of another event does not cover this one.
    const other = event('customer.updated', OLIVIA);
    expect((await postEcwid(e, ecwidSignature(SECRET, other.eventCreated, other.eventId))).status).toBe(401);
    expect((await counters()).refused.bad_signature).toBe(before.refused.bad_signature! + 3);
    expect(logged('webhook refused', 'bad_signature')).toBe(3);
    expect((await relay.store.stats()).events).toBe(3);
  });

  test('a replay of a delivered event is acknowledged but not delivered again; an old signed one is refused as stale', async () => {
    const n = zaps.runs.length;
    const jade = sb.state.register({ email: 'jade@example.com', firstName: 'Jade' });
    await zaps.until('the registration', () => runsOf('new_customer_instant').length > 1 && zaps.runs.every((r) => r.doneAt));
    await sb.webhooks.flush();
    const genuine = sb.webhooks.log.at(-1)!;
    expect(genuine.entityId).toBe(jade.id);
    const before = await counters();
    // The exact bytes and signature Ecwid sent, sent again (by Ecwid after a lost answer, or by anyone who saw them).
    const again = await fetch(`${relay.url}/webhooks/ecwid`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-ecwid-webhook-signature': genuine.signature },
      body: genuine.body,
    });
    expect([again.status, await again.json()]).toEqual([200, { ok: true, duplicate: true }]);
    // The same signed id and time with an altered body is the same event: a duplicate too.
    const altered = { ...(JSON.parse(genuine.body) as Record<string, unknown>), entityId: OLIVIA };
    expect(await postEcwid(altered, genuine.signature)).toEqual({ status: 200, body: { ok: true, duplicate: true } });
    expect((await counters()).webhooks.duplicate).toBe(before.webhooks.duplicate! + 2);
    expect(logged('duplicate webhook: not delivered again')).toBe(2);
    const stale = event('customer.created', jade.id, { eventCreated: Math.floor(Date.now() / 1000) - 8 * 86400 });
    expect(await signed(stale)).toEqual({
      status: 400,
      body: { error: expect.stringMatching(/^Webhook timestamp .* is older than 604800 s/) },
    });
    expect((await counters()).refused.too_old).toBe(before.refused.too_old! + 1);
    expect(logged('webhook refused', 'too_old')).toBe(1);
    expect(runsOf('new_customer_instant').length).toBe(2);
    expect(zaps.runs.length).toBe(n + 1);
  });

  test('a genuine signature with the body altered: other entityId, other eventType, other storeId', async () => {
    const n = zaps.runs.length;
    const dropped = {
      time: countOf('customer has not changed since before the event'),
      reg: countOf('customer was not registered at the event time'),
      exists: countOf('customer still exists in Ecwid'),
    };
    // entityId swapped for a customer who did not change at the event time.
    expect((await signed(event('customer.updated', OLIVIA))).status).toBe(200);
    // eventType swapped: an old customer "registered" now; an existing customer "deleted".
    expect((await signed(event('customer.created', OLIVIA))).status).toBe(200);
    expect((await signed(event('customer.deleted', OLIVIA))).status).toBe(200);
    // storeId swapped: routed to store 2004, where nobody subscribed.
    expect(await signed(event('customer.updated', OLIVIA, { storeId: 2004 }))).toEqual({ status: 200, body: { ok: true, queued: 0 } });
    await zaps.until('three dropped runs', () => zaps.runs.length === n + 3 && zaps.runs.every((r) => r.doneAt));
    expect(deliveredSince(n)).toEqual([]);
    expect(zaps.runs.slice(n).map((r) => r.error)).toEqual([undefined, undefined, undefined]);
    expect(countOf('customer has not changed since before the event')).toBe(dropped.time + 1);
    expect(countOf('customer was not registered at the event time')).toBe(dropped.reg + 1);
    expect(countOf('customer still exists in Ecwid')).toBe(dropped.exists + 1);
    expect(sb.state.customers.has(OLIVIA)).toBe(true);
  });

  test("another store's event handed to a Zap (e.g. by a compromised relay) and a deletion of a customer who never existed are dropped", async () => {
    const before = {
      store: countOf('event of another store'),
      history: countOf("customer is not in Ecwid's deleted history at the event time"),
    };
    const other = (await appTester(op('customer_updated_instant').perform!, {
      authData,
      inputData: {},
      cleanedRequest: event('customer.updated', OLIVIA, { storeId: 2004 }),
    })) as unknown[];
    const ghost = (await appTester(op('customer_deleted_instant').perform!, {
      authData,
      inputData: {},
      cleanedRequest: event('customer.deleted', 999_000_001),
    })) as unknown[];
    expect([other, ghost]).toEqual([[], []]);
    expect(countOf('event of another store')).toBe(before.store + 1);
    expect(countOf("customer is not in Ecwid's deleted history at the event time")).toBe(before.history + 1);
  });
});

describe('unsubscribing and configuration', () => {
  test('turning a Zap off is checked with the same store token; the subscription is gone after', async () => {
    const sub = await subscribeZap('customer_deleted_instant');
    const before = (await relay.store.stats()).subscriptions;
    const other = sb.issueToken();
    sb.state.tokens.get(other.access_token)!.revoked = true;
    await expect(
      appTester(op('customer_deleted_instant').performUnsubscribe!, { authData: { ...other, store_id: '1003' }, subscribeData: sub }),
    ).rejects.toThrow('The Ecwid token has no access to store 1003');
    await expect(appTester(op('customer_deleted_instant').performUnsubscribe!, { authData, subscribeData: sub })).resolves.toEqual({
      id: sub.id,
      removed: true,
    });
    expect((await relay.store.stats()).subscriptions).toBe(before - 1);
    expect(await relay.store.getSubscription(sub.id)).toBeUndefined();
  });

  test('the Ecwid source needs event ids remembered for Ecwid’s 24-hour retries', () => {
    expect(() => relayConfig(keys, { RELAY_ECWID_CLIENT_SECRET: SECRET, RELAY_MAX_AGE_SECONDS: '3600' })).toThrow(
      'RELAY_MAX_AGE_SECONDS must be at least 25 h (90000) with RELAY_ECWID_CLIENT_SECRET set: Ecwid retries a webhook for 24 h',
    );
    expect(relayConfig(keys, { RELAY_ECWID_CLIENT_SECRET: SECRET, RELAY_MAX_AGE_SECONDS: '90000' }).ecwidClientSecret).toBe(SECRET);
  });

  test('without RELAY_ECWID_CLIENT_SECRET there is no Ecwid endpoint and no Ecwid subscription', async () => {
    const plain = await startRelay(relayConfig(keys), { log: memoryLog().log });
    try {
      const hook = await fetch(`${plain.url}/webhooks/ecwid`, { method: 'POST', body: '{}' });
      expect([hook.status, await hook.json()]).toEqual([404, { error: 'No route POST /webhooks/ecwid' }]);
      const sub = await fetch(`${plain.url}/subscriptions`, {
        method: 'POST',
        headers: { authorization: 'Bearer x', 'content-type': 'application/json' },
        body: JSON.stringify({ source: 'ecwid', storeId: '1003', event: 'customer.created', targetUrl: zaps.hookUrl('x') }),
      });
      expect([sub.status, await sub.json()]).toEqual([400, { error: 'Unknown "source" ecwid' }]);
    } finally {
      await plain.close();
    }
  });
});
