import nock from 'nock';
import { memoryLog } from '../../relay/log.js';
import { startRelay, type Relay } from '../../relay/server.js';
import { ManualClock } from './clock.js';
import { ghlEvent, hookReceiver, postWebhook, relayConfig, testKeys, waitFor, type HookAnswer } from './helpers.js';

/**
 * Fair delivery over real HTTP (docs/relay-shared.md): one location's burst does not hold another's
 * event back; each hook URL is paced (RELAY_TARGET_RATE_PER_SECOND) and a 429 pauses that hook URL
 * only; a subscription that keeps failing is disabled. The relay's clock is a ManualClock: pacing
 * and Retry-After are read off it, so the tests move time instead of waiting for it.
 */

const keys = testKeys();
const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});
const relayWith = async (env: Record<string, string>, log?: ReturnType<typeof memoryLog>['log'], now?: () => number): Promise<Relay> => {
  nock.enableNetConnect('127.0.0.1');
  const relay = await startRelay(relayConfig(keys, env), { ...(log ? { log } : {}), ...(now ? { now } : {}) });
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

describe('per hook URL: pacing and 429 (relay/deliver.ts)', () => {
  /**
   * One delivery at a time (RELAY_CONCURRENCY=1) and no spreading between locations, so deliveries
   * are claimed strictly in the order their webhooks arrived: a delivery to hook B, posted after
   * one to hook A, is sent before it only if hook A is being held back. That is what the tests
   * wait for (B's arrival), instead of waiting for A's delivery not to happen.
   */
  const setup = async (env: Record<string, string>, respond: (path: string) => HookAnswer) => {
    const clock = new ManualClock();
    const seen: string[] = [];
    const hooks = await hookReceiver((_n, r) => {
      seen.push(`${r.path} ${String(r.body.n)}`);
      return respond(r.path);
    });
    open.push(hooks);
    const relay = await relayWith({ RELAY_CONCURRENCY: '1', RELAY_FAIR_SPACING_MS: '0', ...env }, undefined, clock.now);
    await relay.store.addSubscription({ id: 'a', locationId: 'locA', event: 'ContactCreate', targetUrl: `${hooks.url}/a`, createdAt: 1 });
    await relay.store.addSubscription({ id: 'b', locationId: 'locB', event: 'ContactCreate', targetUrl: `${hooks.url}/b`, createdAt: 1 });
    const post = async (loc: 'locA' | 'locB', n: number) => {
      await clock.advance(1); // arrival order = claim order
      expect((await postWebhook(relay.url, ghlEvent('ContactCreate', loc, { n }), { key: keys.ed25519 })).body).toEqual({
        ok: true,
        queued: 1,
      });
    };
    const arrived = (what: string) => waitFor(what, () => seen.includes(what));
    return { clock, seen, relay, post, arrived };
  };

  test('RELAY_TARGET_RATE_PER_SECOND=1: one delivery per hook URL per second of the clock; another hook URL is not held by it', async () => {
    const { clock, seen, relay, post, arrived } = await setup({ RELAY_TARGET_RATE_PER_SECOND: '1' }, () => 200);
    await post('locA', 1);
    await post('locA', 2);
    await post('locA', 3);
    await post('locB', 1);
    await arrived('/b 1');
    expect(seen).toEqual(['/a 1', '/b 1']);
    await clock.advance(1000);
    await arrived('/a 2');
    await post('locB', 2);
    await arrived('/b 2');
    // /a 3 was claimable before /b 2 (it arrived first): its hook URL's next slot is a second on.
    expect(seen).toEqual(['/a 1', '/b 1', '/a 2', '/b 2']);
    await clock.advance(1000);
    await arrived('/a 3');
    expect(seen).toEqual(['/a 1', '/b 1', '/a 2', '/b 2', '/a 3']);
    // Counted once the hook's 200 is read and the delivery completed, a moment after its arrival.
    await waitFor('five deliveries counted', () => relay.deliverer.log.delivered === 5);
    expect(relay.deliverer.log).toEqual({ delivered: 5, retried: 0, gone: 0, dead: 0 });
  });

  test("a 429 with Retry-After pauses that hook URL only, for the time it asks; the other hook URL's deliveries go on", async () => {
    let aDown = true;
    const { clock, seen, relay, post, arrived } = await setup({ RELAY_RETRY_BASE_MS: '50' }, (path) =>
      path === '/a' && aDown ? { status: 429, headers: { 'retry-after': '120' } } : 200,
    );
    await post('locA', 1);
    await waitFor('the 429 recorded as a retry', () => relay.deliverer.log.retried === 1);
    // A new delivery to the paused hook URL (due at once in the store) and one to the other hook URL.
    await post('locA', 2);
    await post('locB', 1);
    await arrived('/b 1');
    await clock.advance(119_000);
    await post('locB', 2);
    await arrived('/b 2');
    expect(seen).toEqual(['/a 1', '/b 1', '/b 2']);
    aDown = false;
    await clock.advance(1_000);
    await waitFor('both deliveries to /a', () => seen.length === 5);
    expect(seen.slice(3).sort()).toEqual(['/a 1', '/a 2']);
    await waitFor('four deliveries counted', () => relay.deliverer.log.delivered === 4);
    expect(relay.deliverer.log).toEqual({ delivered: 4, retried: 1, gone: 0, dead: 0 });
    expect(relay.counters.deliveryFailures).toEqual({ http_4xx: 1 });
  });
});
