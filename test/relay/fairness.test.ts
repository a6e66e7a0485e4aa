import nock from 'nock';
import { memoryLog } from '../../relay/log.js';
import { startRelay, type Relay } from '../../relay/server.js';
import { ghlEvent, hookReceiver, postWebhook, relayConfig, testKeys, waitFor } from './helpers.js';

/** Fair delivery over real HTTP (docs/relay-shared.md): one location's burst does not hold another's event back; a subscription that keeps failing is disabled. */

const keys = testKeys();
const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});
const relayWith = async (env: Record<string, string>, log?: ReturnType<typeof memoryLog>['log']): Promise<Relay> => {
  nock.enableNetConnect('127.0.0.1');
  const relay = await startRelay(relayConfig(keys, env), log ? { log } : {});
  open.push(relay);
  return relay;
};

test("another location's event is delivered before the rest of one location's burst", async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  // The first delivery is held until every webhook is stored, so the order of the rest is the claim order.
  const hooks = await hookReceiver(async (n) => {
    if (n === 1) await gate;
    return 200;
  });
  open.push(hooks);
  const relay = await relayWith({ RELAY_CONCURRENCY: '1', RELAY_FAIR_SPACING_MS: '1000', RELAY_TARGET_RATE_PER_SECOND: '0' });
  await relay.store.addSubscription({ id: 'a', locationId: 'busyLoc', event: 'ContactCreate', targetUrl: `${hooks.url}/a`, createdAt: 1 });
  await relay.store.addSubscription({ id: 'b', locationId: 'quietLoc', event: 'ContactCreate', targetUrl: `${hooks.url}/b`, createdAt: 1 });
  for (let i = 0; i < 10; i++)
    expect((await postWebhook(relay.url, ghlEvent('ContactCreate', 'busyLoc'), { key: keys.ed25519 })).status).toBe(200);
  expect((await postWebhook(relay.url, ghlEvent('ContactCreate', 'quietLoc'), { key: keys.ed25519 })).body).toEqual({
    ok: true,
    queued: 1,
  });
  await waitFor('the first delivery held', () => hooks.received.length === 1);
  release();
  await waitFor('all 11 delivered', () => hooks.received.length === 11);
  // Strictly by arrival the quiet location's event would be the 11th.
  expect(hooks.received.map((r) => r.path).indexOf('/b')).toBe(1);
});

test('a subscription whose deliveries are given up RELAY_DISABLE_AFTER_DEAD times in a row is disabled and logged', async () => {
  const down = await hookReceiver(() => 500);
  open.push(down);
  const { lines, log } = memoryLog();
  const relay = await relayWith({ RELAY_MAX_ATTEMPTS: '1', RELAY_DISABLE_AFTER_DEAD: '2' }, log);
  await relay.store.addSubscription({ id: 'sub', locationId: 'locA', event: 'ContactCreate', targetUrl: down.url, createdAt: 1 });
  await postWebhook(relay.url, ghlEvent('ContactCreate', 'locA'), { key: keys.ed25519 });
  await waitFor('the first give-up', () => relay.deliverer.log.dead === 1);
  expect(await relay.store.getSubscription('sub')).toBeDefined();
  await postWebhook(relay.url, ghlEvent('ContactCreate', 'locA'), { key: keys.ed25519 });
  await waitFor('the subscription disabled', () => lines.some((l) => l.msg === 'subscription disabled: its deliveries keep failing'));
  expect(lines.find((l) => l.msg === 'subscription disabled: its deliveries keep failing')).toMatchObject({
    level: 50,
    subscriptionId: 'sub',
    locationId: 'locA',
    deadInARow: 2,
    reason: 'HTTP 500',
  });
  expect(await relay.store.getSubscription('sub')).toBeUndefined();
  expect((await postWebhook(relay.url, ghlEvent('ContactCreate', 'locA'), { key: keys.ed25519 })).body).toEqual({ ok: true, queued: 0 });
  expect(down.received).toHaveLength(2);
});
