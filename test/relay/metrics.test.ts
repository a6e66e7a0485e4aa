/**
 * The relay's log lines and Prometheus metrics (relay/metrics.ts, issue 19): a refusal, a failed
 * attempt and a give-up each leave one structured line with the fields an operator needs and no
 * token or body; /metrics counts webhooks and attempts by outcome and reads backlog, oldest
 * pending age and dead count from the store. Real HTTP on 127.0.0.1; waits are for deliveries.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { memoryLog } from '../../relay/log.js';
import { startRelay, type Relay } from '../../relay/server.js';
import { ghlEvent, hookReceiver, postWebhook, relayConfig, testKeys, waitFor } from './helpers.js';

const keys = testKeys();
let relay: Relay | undefined;
let hook: Awaited<ReturnType<typeof hookReceiver>> | undefined;
afterEach(async () => {
  await relay?.close();
  await hook?.close();
  relay = hook = undefined;
});

/** A relay whose log lines are collected (parsed) instead of printed. */
const relayLogging = async (env: Record<string, string> = {}) => {
  const { lines, log } = memoryLog();
  relay = await startRelay(relayConfig(keys, env), { log });
  return { relay, lines };
};

const scrape = async (url: string, headers: Record<string, string> = {}) => {
  const res = await fetch(`${url}/metrics`, { headers });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
};
/** The value of one sample line, e.g. `relay_webhooks_total{source="ghl",outcome="accepted"}`. */
const sample = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

it('starts with every series at zero and a success ratio of 1', async () => {
  const { relay } = await relayLogging();
  const m = await scrape(relay.url);
  expect(m.status).toBe(200);
  expect(m.type).toBe('text/plain; version=0.0.4; charset=utf-8');
  for (const outcome of ['queued', 'unrouted', 'duplicate', 'other_app', 'bad_signature', 'too_large', 'bad_json', 'no_type']) {
    expect(sample(m.text, `relay_webhooks_total{outcome="${outcome}"}`)).toBe(0);
  }
  for (const outcome of ['no_timestamp', 'too_old', 'in_future', 'backlog_full', 'store_failed']) {
    expect(sample(m.text, `relay_webhooks_total{outcome="${outcome}"}`)).toBe(0);
  }
  for (const outcome of ['delivered', 'retried', 'gone', 'dead'])
    expect(sample(m.text, `relay_delivery_attempts_total{outcome="${outcome}"}`)).toBe(0);
  for (const reason of ['http_4xx', 'http_5xx', 'timeout', 'network'])
    expect(sample(m.text, `relay_delivery_failures_total{reason="${reason}"}`)).toBe(0);
  expect(sample(m.text, 'relay_ghl_webhooks_72h')).toBe(0);
  expect(sample(m.text, 'relay_ghl_breaker_at_risk')).toBe(0);
  expect(sample(m.text, 'relay_backlog_deliveries')).toBe(0);
  expect(sample(m.text, 'relay_oldest_pending_age_seconds')).toBe(0);
  expect(sample(m.text, 'relay_dead_deliveries')).toBe(0);
  expect(sample(m.text, 'relay_ghl_webhook_success_ratio')).toBe(1);
  expect(sample(m.text, 'relay_delivery_latency_seconds_count')).toBe(0);
  expect(m.text).toContain('# TYPE relay_process_cpu_seconds_total counter');
});

it('counts webhooks by outcome, logs each refusal with reason, source, type and location (as claimed when unsigned), and never a body', async () => {
  const { relay, lines } = await relayLogging();
  hook = await hookReceiver();
  await relay.store.addSubscription({
    id: 'sub-a',
    locationId: 'locA',
    event: 'ContactCreate',
    targetUrl: `${hook.url}/a`,
    createdAt: Date.now(),
  });
  const event = ghlEvent('ContactCreate', 'locA', { email: 'jane.secret@example.com' });
  expect((await postWebhook(relay.url, event, { key: keys.ed25519 })).status).toBe(200);
  expect((await postWebhook(relay.url, event, { key: keys.ed25519 })).body).toEqual({ ok: true, duplicate: true });
  const other = testKeys();
  expect(
    (await postWebhook(relay.url, ghlEvent('ContactUpdate', 'locB', { email: 'jane.secret@example.com' }), { key: other.ed25519 })).status,
  ).toBe(401);
  const stale = ghlEvent('NoteCreate', 'locC', { timestamp: new Date(Date.now() - 8 * 86_400_000).toISOString() });
  expect((await postWebhook(relay.url, stale, { key: keys.ed25519 })).status).toBe(400);
  await waitFor('the delivery to be booked', () => relay.counters.deliveries.delivered === 1);

  const refusals = lines.filter((l) => l.msg === 'webhook refused');
  expect(refusals).toEqual([
    expect.objectContaining({
      level: 40,
      source: 'ghl',
      reason: 'bad_signature',
      status: 401,
      detail: 'Signature check failed: x-ghl-signature does not match the body',
      type: 'ContactUpdate',
      locationId: 'locB',
    }),
    expect.objectContaining({
      level: 40,
      source: 'ghl',
      reason: 'too_old',
      status: 400,
      detail: expect.stringMatching(/^Webhook timestamp \S+ is older than 604800 s/),
      type: 'NoteCreate',
      locationId: 'locC',
    }),
  ]);
  expect(JSON.stringify(lines)).not.toContain('jane.secret');

  const m = await scrape(relay.url);
  expect(sample(m.text, 'relay_webhooks_total{outcome="queued"}')).toBe(1);
  expect(sample(m.text, 'relay_webhooks_total{outcome="duplicate"}')).toBe(1);
  expect(sample(m.text, 'relay_webhooks_total{outcome="bad_signature"}')).toBe(1);
  expect(sample(m.text, 'relay_webhooks_total{outcome="too_old"}')).toBe(1);
  expect(sample(m.text, 'relay_ghl_webhooks_72h')).toBe(4);
  expect(sample(m.text, 'relay_ghl_webhook_success_ratio')).toBe(0.5);
  expect(sample(m.text, 'relay_delivery_attempts_total{outcome="delivered"}')).toBe(1);
  expect(sample(m.text, 'relay_delivery_latency_seconds_count')).toBe(1);
  expect(sample(m.text, 'relay_delivery_latency_seconds_bucket{le="+Inf"}')).toBe(1);
});

it('logs each failed attempt (host, status, attempt, next try) and the give-up; backlog, oldest age and dead count come from the store', async () => {
  const { relay, lines } = await relayLogging({ RELAY_MAX_ATTEMPTS: '2' });
  hook = await hookReceiver(() => 500);
  // A hook that asks for an hour's patience: its delivery stays pending.
  let asked!: () => void;
  const askedOnce = new Promise<void>((r) => (asked = r));
  const later = http.createServer((req, res) => {
    req.resume();
    res.writeHead(503, { 'retry-after': '3600' });
    res.end();
    asked();
  });
  await new Promise<void>((r) => later.listen(0, '127.0.0.1', () => r()));
  const laterUrl = `http://127.0.0.1:${(later.address() as AddressInfo).port}/later`;
  await relay.store.addSubscription({
    id: 'sub-f',
    locationId: 'locA',
    event: 'ContactCreate',
    targetUrl: `${hook.url}/fail`,
    createdAt: Date.now(),
  });
  await relay.store.addSubscription({ id: 'sub-l', locationId: 'locA', event: 'TaskCreate', targetUrl: laterUrl, createdAt: Date.now() });
  const failing = ghlEvent('ContactCreate', 'locA');
  await postWebhook(relay.url, failing, { key: keys.ed25519 });
  await waitFor('the give-up', () => lines.some((l) => l.msg === 'delivery given up (kept as dead)'));

  const host = new URL(hook.url).host;
  const attempts = lines.filter((l) => l.msg === 'delivery attempt failed' || l.msg === 'delivery given up (kept as dead)');
  const common = {
    service: 'relay',
    time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    reason: 'HTTP 500',
    status: 500,
    targetHost: host,
    type: 'ContactCreate',
    locationId: 'locA',
    subscriptionId: 'sub-f',
  };
  expect(attempts).toEqual([
    {
      ...common,
      level: 40,
      msg: 'delivery attempt failed',
      deliveryId: expect.any(String),
      attempt: 1,
      retryInMs: expect.any(Number),
      nextTryAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    },
    { ...common, level: 50, msg: 'delivery given up (kept as dead)', deliveryId: attempts[0]!.deliveryId, attempt: 2 },
  ]);

  // A delivery that waits (the hook asks for an hour) is the backlog, and its event the oldest pending one.
  const before = Date.now();
  await postWebhook(relay.url, ghlEvent('TaskCreate', 'locA'), { key: keys.ed25519 });
  await askedOnce;
  await waitFor('the retry to be booked', () => lines.some((l) => l.msg === 'delivery attempt failed' && l.subscriptionId === 'sub-l'));
  const m = await scrape(relay.url);
  expect(sample(m.text, 'relay_delivery_attempts_total{outcome="retried"}')).toBe(2);
  expect(sample(m.text, 'relay_delivery_attempts_total{outcome="dead"}')).toBe(1);
  expect(sample(m.text, 'relay_delivery_failures_total{reason="http_5xx"}')).toBe(3);
  expect(sample(m.text, 'relay_dead_deliveries')).toBe(1);
  expect(sample(m.text, 'relay_backlog_deliveries')).toBe(1);
  const age = sample(m.text, 'relay_oldest_pending_age_seconds')!;
  expect(age).toBeGreaterThan(0);
  expect(age).toBeLessThanOrEqual((Date.now() - before) / 1000 + 1);
  later.closeAllConnections();
  await new Promise<void>((r) => later.close(() => r()));
});

it('asks for RELAY_METRICS_TOKEN when it is set', async () => {
  const secret = 'metrics-secret-0123456789';
  const { relay } = await relayLogging({ RELAY_METRICS_TOKEN: secret });
  expect((await scrape(relay.url)).status).toBe(401);
  expect((await scrape(relay.url, { authorization: 'Bearer wrong' })).status).toBe(401);
  expect((await scrape(relay.url, { authorization: `Bearer ${secret}` })).status).toBe(200);
});
