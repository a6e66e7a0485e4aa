import { readFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { startRelay, type Relay } from '../../relay/server.js';
import { loadConfig } from '../../relay/config.js';
import { memoryLog } from '../../relay/log.js';
import { SqliteStore } from '../../relay/sqlite-store.js';
import type { RelayStore } from '../../relay/store.js';
import { startSandbox, type Sandbox } from '../../sandbox/server.js';
import { ghlEvent, hookReceiver, postWebhook, relayConfig, subscribe, testKeys, waitFor } from './helpers.js';

/** The relay over real HTTP on 127.0.0.1, with the sandbox as GHL (token checks) and a local hook receiver as Zapier. */

const keys = testKeys();
let sb: Sandbox;
let token: string;
let loc: string;

beforeAll(async () => {
  nock.enableNetConnect('127.0.0.1');
  sb = await startSandbox({ seed: 'demo' });
  token = sb.issueTokens().access_token;
  loc = sb.locationId;
});
afterAll(async () => {
  await sb.close();
});

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

const relayWith = async (env: Record<string, string> = {}, store?: RelayStore): Promise<Relay> => {
  nock.enableNetConnect('127.0.0.1');
  const relay = await startRelay(relayConfig(keys, { RELAY_GHL_API_BASE_URL: sb.url, ...env }), { store });
  open.push(relay);
  return relay;
};
const receiverWith = async (respond?: Parameters<typeof hookReceiver>[0]) => {
  const r = await hookReceiver(respond);
  open.push(r);
  return r;
};

describe('relay: receive, route and deliver', () => {
  test('a signed event reaches exactly the subscriptions of its location and type, body unchanged', async () => {
    const relay = await relayWith();
    const hooks = await receiverWith();
    const contactSub = await subscribe(relay.url, token, { locationId: loc, event: 'ContactCreate', targetUrl: `${hooks.url}/contact` });
    const taskSub = await subscribe(relay.url, token, { locationId: loc, event: 'TaskCreate', targetUrl: `${hooks.url}/task` });
    expect(contactSub).toEqual({
      status: 201,
      body: { id: expect.stringMatching(/^[0-9a-f-]{36}$/), locationId: loc, event: 'ContactCreate', targetUrl: `${hooks.url}/contact` },
    });
    expect(taskSub.status).toBe(201);

    const mine = ghlEvent('ContactCreate', loc, { email: 'rosa@example.com' });
    const otherLocation = ghlEvent('ContactCreate', sb.state.otherLocationId);
    const otherType = ghlEvent('ContactUpdate', loc);
    const raw = JSON.stringify(mine, null, 1); // GHL's exact bytes are kept, whitespace and all
    expect(await postWebhook(relay.url, undefined, { key: keys.ed25519, raw })).toMatchObject({
      status: 200,
      body: { ok: true, queued: 1 },
    });
    expect((await postWebhook(relay.url, otherLocation, { key: keys.ed25519 })).body).toEqual({ ok: true, queued: 0 });
    expect((await postWebhook(relay.url, otherType, { key: keys.ed25519 })).body).toEqual({ ok: true, queued: 0 });

    await waitFor('the delivery recorded', async () => (await relay.store.stats()).pending === 0);
    expect(hooks.received).toHaveLength(1);
    const [got] = hooks.received;
    expect(got!.path).toBe('/contact');
    expect(got!.body).toEqual(mine);
    expect(got!.headers['content-type']).toBe('application/json');
    expect(got!.headers['x-relay-event-id']).toBe(`wh:${mine.webhookId}`);
    expect(got!.headers['x-relay-attempt']).toBe('1');
    expect(got!.headers['authorization']).toBeUndefined();
    await waitFor('the delivery recorded', async () => (await relay.store.stats()).pending === 0);
    expect(await relay.store.stats()).toEqual({ pending: 0, dead: 0, subscriptions: 2, events: 3 });
  });

  test('a failing hook is retried with backoff until it answers 2xx; a 410 removes the subscription', async () => {
    const relay = await relayWith({ RELAY_RETRY_BASE_MS: '100' });
    const flaky = await receiverWith((n) => (n <= 2 ? 503 : 200));
    const gone = await receiverWith(() => 410);
    await subscribe(relay.url, token, { locationId: loc, event: 'NoteCreate', targetUrl: flaky.url });
    const goneSub = await subscribe(relay.url, token, { locationId: loc, event: 'NoteCreate', targetUrl: gone.url });

    const first = ghlEvent('NoteCreate', loc, { body: 'first', contactId: 'c1' });
    expect((await postWebhook(relay.url, first, { key: keys.ed25519 })).body).toEqual({ ok: true, queued: 2 });
    await waitFor('three attempts', () => flaky.received.length >= 3);
    expect(flaky.received.map((r) => r.headers['x-relay-attempt'])).toEqual(['1', '2', '3']);
    // Backoff: 100 ms × 2^(n-1), half of it jittered: at least 50 ms, then 100 ms.
    expect(flaky.received[1]!.at - flaky.received[0]!.at).toBeGreaterThanOrEqual(45);
    expect(flaky.received[2]!.at - flaky.received[1]!.at).toBeGreaterThanOrEqual(95);
    // The hook has answered; the relay records the outcome right after.
    await waitFor('the outcomes recorded', () => relay.deliverer.log.delivered === 1 && relay.deliverer.log.gone === 1);
    expect(gone.received).toHaveLength(1);
    expect(await relay.store.getSubscription(goneSub.body.id)).toBeUndefined();
    expect(relay.deliverer.log).toEqual({ delivered: 1, retried: 2, gone: 1, dead: 0 });

    const second = ghlEvent('NoteCreate', loc, { body: 'second', contactId: 'c1' });
    expect((await postWebhook(relay.url, second, { key: keys.ed25519 })).body).toEqual({ ok: true, queued: 1 });
    await waitFor('the second note recorded', async () => (await relay.store.stats()).pending === 0);
    expect(flaky.received).toHaveLength(4);
    expect(gone.received).toHaveLength(1);
    expect(flaky.received[3]!.body.body).toBe('second');
  });

  test('a delivery that never succeeds is kept as dead after RELAY_MAX_ATTEMPTS', async () => {
    const relay = await relayWith({ RELAY_RETRY_BASE_MS: '10', RELAY_MAX_ATTEMPTS: '3' });
    const down = await receiverWith(() => 500);
    await subscribe(relay.url, token, { locationId: loc, event: 'TaskCreate', targetUrl: down.url });
    await postWebhook(relay.url, ghlEvent('TaskCreate', loc), { key: keys.ed25519 });
    await waitFor('the dead letter', async () => (await relay.store.stats()).dead === 1);
    expect(down.received).toHaveLength(3);
    expect(await relay.store.stats()).toMatchObject({ pending: 0, dead: 1 });
  });

  test('a ContactTagUpdate is delivered with the tags added and removed since the relay last saw the contact', async () => {
    const relay = await relayWith();
    const hooks = await receiverWith();
    await subscribe(relay.url, token, { locationId: loc, event: 'ContactTagUpdate', targetUrl: hooks.url });
    const first = ghlEvent('ContactTagUpdate', loc, { id: 'contact1', tags: ['vip'] });
    await postWebhook(relay.url, first, { key: keys.ed25519 });
    await postWebhook(relay.url, ghlEvent('ContactUpdate', loc, { id: 'contact1', tags: ['vip', 'newsletter'] }), { key: keys.ed25519 });
    const second = ghlEvent('ContactTagUpdate', loc, { id: 'contact1', tags: ['newsletter', 'wholesale'] });
    await postWebhook(relay.url, second, { key: keys.ed25519 });
    await waitFor('two tag updates', () => hooks.received.length >= 2);
    const byId = (id: string) => hooks.received.find((r) => r.body.webhookId === id)!.body;
    expect(byId(first.webhookId)).toEqual({ ...first, relay: { previousTags: null } });
    expect(byId(second.webhookId)).toEqual({
      ...second,
      relay: { previousTags: ['vip', 'newsletter'], tagsAdded: ['wholesale'], tagsRemoved: ['vip'] },
    });
  });

  test('UNINSTALL of a location drops its subscriptions (and leaves other locations alone)', async () => {
    const relay = await relayWith();
    const hooks = await receiverWith();
    const sub = await subscribe(relay.url, token, { locationId: loc, event: 'ContactCreate', targetUrl: hooks.url });
    const store = relay.store as SqliteStore;
    await store.addSubscription({
      id: 'other',
      locationId: sb.state.otherLocationId,
      event: 'ContactCreate',
      targetUrl: hooks.url,
      createdAt: 1,
    });
    const un = await postWebhook(relay.url, ghlEvent('UNINSTALL', loc, { appId: 'app', companyId: sb.state.companyId }), {
      key: keys.ed25519,
    });
    expect(un.body).toEqual({ ok: true, queued: 0 });
    expect(await store.getSubscription(sub.body.id)).toBeUndefined();
    expect(await store.getSubscription('other')).toBeDefined();
  });
});

describe('relay: what it refuses from GHL', () => {
  test('forgeries: no signature, another key, a tampered body, a non-Ed25519 value → 401, nothing stored', async () => {
    const relay = await relayWith();
    const event = ghlEvent('ContactCreate', loc);
    const forger = testKeys();
    const signedRaw = Buffer.from(JSON.stringify(event));
    const tampered = Buffer.from(JSON.stringify({ ...event, email: 'attacker@example.com' }));
    const goodSig = (await import('node:crypto')).sign(null, signedRaw, keys.ed25519).toString('base64');
    const cases = [
      await postWebhook(relay.url, event),
      await postWebhook(relay.url, event, { key: forger.ed25519 }),
      await postWebhook(relay.url, undefined, { raw: tampered, headers: { 'x-ghl-signature': goodSig } }),
      await postWebhook(relay.url, event, { headers: { 'x-ghl-signature': 'not base64 !' } }),
      await postWebhook(relay.url, event, { headers: { 'x-ghl-signature': Buffer.from('short').toString('base64') } }),
      // A valid legacy signature does not rescue an invalid current one (GHL's SDK order).
      await postWebhook(relay.url, event, { key: forger.ed25519, legacyKey: keys.rsa }),
    ];
    expect(cases.map((c) => [c.status, c.body.error])).toEqual([
      [401, 'Signature check failed: no x-ghl-signature header'],
      [401, 'Signature check failed: x-ghl-signature does not match the body'],
      [401, 'Signature check failed: x-ghl-signature does not match the body'],
      [401, 'Signature check failed: x-ghl-signature is not base64'],
      [401, 'Signature check failed: x-ghl-signature is not an Ed25519 signature'],
      [401, 'Signature check failed: x-ghl-signature does not match the body'],
    ]);
    expect((await relay.store.stats()).events).toBe(0);
  });

  test('the legacy x-wh-signature (RSA-SHA256) is accepted alone, unless turned off', async () => {
    const relay = await relayWith();
    expect((await postWebhook(relay.url, ghlEvent('ContactCreate', loc), { legacyKey: keys.rsa })).status).toBe(200);
    expect((await postWebhook(relay.url, ghlEvent('ContactCreate', loc), { legacyKey: testKeys().rsa })).body).toEqual({
      error: 'Signature check failed: x-wh-signature does not match the body',
    });
    const strict = await relayWith({ RELAY_ACCEPT_LEGACY_SIGNATURE: 'false' });
    expect((await postWebhook(strict.url, ghlEvent('ContactCreate', loc), { legacyKey: keys.rsa })).body).toEqual({
      error: 'Signature check failed: x-wh-signature (legacy RSA) is not accepted; GHL signs with x-ghl-signature',
    });
  });

  test('a replayed webhookId is acknowledged but not delivered again', async () => {
    const relay = await relayWith();
    const hooks = await receiverWith();
    await subscribe(relay.url, token, { locationId: loc, event: 'ContactDelete', targetUrl: hooks.url });
    const event = ghlEvent('ContactDelete', loc);
    expect((await postWebhook(relay.url, event, { key: keys.ed25519 })).body).toEqual({ ok: true, queued: 1 });
    expect((await postWebhook(relay.url, event, { key: keys.ed25519 })).body).toEqual({ ok: true, duplicate: true });
    // Same webhookId, different (signed) body: still the same event.
    expect((await postWebhook(relay.url, { ...event, email: 'x@example.com' }, { key: keys.ed25519 })).body).toEqual({
      ok: true,
      duplicate: true,
    });
    await waitFor('the delivery recorded', async () => (await relay.store.stats()).pending === 0);
    expect(hooks.received).toHaveLength(1);
  });

  test('without a webhookId, the same bytes twice are one event', async () => {
    const relay = await relayWith();
    const { webhookId: _drop, ...event } = ghlEvent('ContactCreate', loc);
    expect((await postWebhook(relay.url, event, { key: keys.ed25519 })).body).toEqual({ ok: true, queued: 0 });
    expect((await postWebhook(relay.url, event, { key: keys.ed25519 })).body).toEqual({ ok: true, duplicate: true });
  });

  test('any age within RELAY_MAX_AGE_SECONDS is taken (GHL re-sends the original timestamp); older, future and missing → 400', async () => {
    const relay = await relayWith();
    const at = (ms: number) => new Date(Date.now() + ms).toISOString();
    const week = 7 * 86_400_000;
    const tooOld = ghlEvent('ContactCreate', loc, { timestamp: at(-week - 60_000) });
    const future = ghlEvent('ContactCreate', loc, { timestamp: at(301_000) });
    const { timestamp: _t, ...missing } = ghlEvent('ContactCreate', loc);
    const garbage = ghlEvent('ContactCreate', loc, { timestamp: 'yesterday' });
    const retried = ghlEvent('ContactCreate', loc, { timestamp: at(-40 * 60_000) });
    const resentDaysLater = ghlEvent('ContactCreate', loc, { timestamp: at(-week + 60_000) });
    const res = await Promise.all(
      [tooOld, future, missing, garbage, retried, resentDaysLater].map((e) => postWebhook(relay.url, e, { key: keys.ed25519 })),
    );
    expect(res.map((r) => r.status)).toEqual([400, 400, 400, 400, 200, 200]);
    expect(res[0]!.body.error).toBe(
      `Webhook timestamp ${tooOld.timestamp} is older than 604800 s (RELAY_MAX_AGE_SECONDS, the window in which webhookIds are remembered): refused, it could be a replay`,
    );
    expect(res[1]!.body.error).toBe(`Webhook timestamp ${future.timestamp} is more than 300 s ahead`);
    expect(res[2]!.body.error).toBe('Webhook has no valid "timestamp"');
    expect((await relay.store.stats()).events).toBe(2);
    expect(relay.counters.refused).toMatchObject({ too_old: 1, in_future: 1, no_timestamp: 2 });
    const shorter = await relayWith({ RELAY_MAX_AGE_SECONDS: '3600' });
    expect((await postWebhook(shorter.url, retried, { key: keys.ed25519 })).status).toBe(200);
    expect(
      (await postWebhook(shorter.url, ghlEvent('ContactCreate', loc, { timestamp: at(-3_700_000) }), { key: keys.ed25519 })).status,
    ).toBe(400);
  });

  test('oversized bodies → 413; malformed or non-object JSON and a missing type → 400 (even when signed)', async () => {
    const relay = await relayWith({ RELAY_MAX_BODY_BYTES: '2048' });
    const big = ghlEvent('ContactCreate', loc, { note: 'x'.repeat(3000) });
    const cases = [
      await postWebhook(relay.url, big, { key: keys.ed25519 }),
      await postWebhook(relay.url, undefined, { raw: '{"type":"ContactCreate",', key: keys.ed25519 }),
      await postWebhook(relay.url, undefined, { raw: '[1,2]', key: keys.ed25519 }),
      await postWebhook(relay.url, { locationId: loc, timestamp: new Date().toISOString() }, { key: keys.ed25519 }),
      await postWebhook(relay.url, undefined, { raw: '', key: keys.ed25519 }),
    ];
    expect(cases.map((c) => [c.status, c.body?.error])).toEqual([
      [413, 'Body larger than 2048 bytes'],
      [400, 'Body is not valid JSON'],
      [400, 'Body must be a JSON object'],
      [400, 'Webhook has no "type"'],
      [400, 'Body is not valid JSON'],
    ]);
    // A chunked body without Content-Length is cut off at the limit too (its signature header is
    // checked first, so it carries one; the exact answer on a raw socket: test/relay/security.test.ts).
    const chunked = await fetch(`${relay.url}/webhooks/ghl`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-ghl-signature': Buffer.alloc(64, 7).toString('base64') },
      body: new ReadableStream({
        start(c) {
          c.enqueue(new TextEncoder().encode('x'.repeat(1500)));
          c.enqueue(new TextEncoder().encode('x'.repeat(1500)));
          c.close();
        },
      }),
      duplex: 'half',
    } as RequestInit).then(
      (r) => r.status,
      () => 'connection closed',
    );
    expect([413, 'connection closed']).toContain(chunked);
    expect((await relay.store.stats()).events).toBe(0);
  });

  test("an event that cannot be stored is answered 429 (retried under GHL's current and older policy), and the sandbox retries it", async () => {
    const real = new SqliteStore(':memory:');
    let failures = 1;
    const failing: RelayStore = Object.assign(Object.create(real) as RelayStore, {
      recordEvent: (...args: Parameters<RelayStore['recordEvent']>) => {
        if (failures-- > 0) return Promise.reject(new Error('disk I/O error'));
        return real.recordEvent(...args);
      },
      close: () => real.close(),
    });
    const ghl = await startSandbox({ seed: 'empty', webhooks: { retryBaseMs: 100 } });
    open.push(ghl);
    // The relay trusts the sandbox's test key here (the sandbox signs as GHL would).
    const relay = await relayWith({ RELAY_GHL_PUBLIC_KEY: ghl.webhooks.publicKey }, failing);
    ghl.webhooks.setUrl(`${relay.url}/webhooks/ghl`);
    const entry = ghl.webhooks.emit('ContactCreate', ghl.locationId, { id: 'abc' })!;
    await waitFor('the retried webhook', () => entry.outcome !== 'pending');
    expect(entry).toMatchObject({ attempts: 2, status: 200, outcome: 'accepted' });
    expect((await real.stats()).events).toBe(1);
    failures = 1;
    const direct = await relayWith({}, failing);
    const refused = await postWebhook(direct.url, ghlEvent('ContactCreate', loc), { key: keys.ed25519 });
    expect([refused.status, refused.headers.get('retry-after'), refused.body]).toEqual([
      429,
      '60',
      { error: 'Relay could not store the event; retry later' },
    ]);
  });
});

describe('relay: configuration of the age window and the app', () => {
  test('webhookIds are remembered at least the age window + clock skew + 1 h; a shorter RELAY_RETENTION_HOURS is refused', () => {
    expect(loadConfig({}).retentionMs).toBe((604_800 + 300 + 3600) * 1000);
    expect(loadConfig({ RELAY_MAX_AGE_SECONDS: '3600', RELAY_MAX_FUTURE_SECONDS: '60' }).retentionMs).toBe((3600 + 60 + 3600) * 1000);
    expect(loadConfig({ RELAY_RETENTION_HOURS: '400' }).retentionMs).toBe(400 * 3_600_000);
    expect(() => loadConfig({ RELAY_RETENTION_HOURS: '24' })).toThrow(
      'RELAY_RETENTION_HOURS must be at least RELAY_MAX_AGE_SECONDS + RELAY_MAX_FUTURE_SECONDS + 1 h (169.08 h): a webhookId forgotten earlier could be delivered twice',
    );
  });

  test('RELAY_GHL_APP_ID takes app ids or client ids (the part before "-", as GHL’s SDKs compare), comma-separated', () => {
    expect(loadConfig({ RELAY_GHL_APP_ID: '69c53778c480e55ef298a2fe-mfk2c1, 665c6bb13d4e5364bdec0e2f' }).ghlAppIds).toEqual([
      '69c53778c480e55ef298a2fe',
      '665c6bb13d4e5364bdec0e2f',
    ]);
    expect(loadConfig({}).ghlAppIds).toEqual([]);
  });
});

const ADMIN_TOKEN = 'relay-test-admin-token-0123456789';

describe('relay: log lines and counters', () => {
  test('each refusal and each failed delivery attempt is one log line (reason, type, location; no token, no body) and a counter in /healthz', async () => {
    nock.enableNetConnect('127.0.0.1');
    const { lines, log } = memoryLog();
    const relay = await startRelay(
      relayConfig(keys, {
        RELAY_GHL_API_BASE_URL: sb.url,
        RELAY_GHL_APP_ID: 'ourApp-clientsecretpart',
        RELAY_RETRY_BASE_MS: '10',
        RELAY_ADMIN_TOKEN: ADMIN_TOKEN,
      }),
      {
        log,
      },
    );
    open.push(relay);
    const hooks = await receiverWith((n) => (n === 1 ? 503 : 200));
    await subscribe(relay.url, token, { locationId: loc, event: 'NoteCreate', targetUrl: hooks.url });
    const secret = 'secret-note-text';
    const note = ghlEvent('NoteCreate', loc, { appId: 'ourApp', body: secret });
    const answers = [
      await postWebhook(relay.url, note, { key: testKeys().ed25519 }), // forged
      await postWebhook(
        relay.url,
        { ...ghlEvent('NoteCreate', loc), timestamp: new Date(Date.now() - 8 * 86_400_000).toISOString() },
        { key: keys.ed25519 },
      ),
      await postWebhook(relay.url, ghlEvent('NoteCreate', loc, { appId: 'someOtherApp' }), { key: keys.ed25519 }),
      await postWebhook(relay.url, note, { key: keys.ed25519 }),
      await postWebhook(relay.url, note, { key: keys.ed25519 }),
    ];
    expect(answers.map((a) => a.status)).toEqual([401, 400, 200, 200, 200]);
    await waitFor('the retried delivery', () => relay.deliverer.log.delivered === 1);
    const health = (await (await fetch(`${relay.url}/healthz`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as Record<
      string,
      unknown
    >;
    expect(health).toEqual({
      ok: true,
      store: 'sqlite',
      pending: 0,
      dead: 0,
      subscriptions: 1,
      events: 1,
      webhooks: { queued: 1, unrouted: 0, duplicate: 1, other_app: 1 },
      refused: {
        bad_signature: 1,
        too_large: 0,
        bad_json: 0,
        no_type: 0,
        bad_event: 0,
        no_timestamp: 0,
        too_old: 1,
        in_future: 0,
        backlog_full: 0,
        store_failed: 0,
      },
      deliveries: { delivered: 1, retried: 1, gone: 0, dead: 0 },
      deliveryFailures: { http_5xx: 1 },
      uninstallRemoved: 0,
      ghlSuccess: { windowHours: 72, webhooks: 5, succeeded: 3, successRatio: 0.6, breakerAtRisk: false },
    });
    const about = (msg: string) =>
      lines
        .filter((l) => l.msg === msg)
        .map(({ level, source, reason, type, locationId, status, attempt }) => ({
          level,
          source,
          reason,
          type,
          locationId,
          status,
          attempt,
        }));
    expect(about('webhook refused')).toEqual([
      // Unsigned: what the body claims, clipped, for the operator (never trusted for anything else).
      { level: 40, source: 'ghl', reason: 'bad_signature', type: 'NoteCreate', locationId: loc, status: 401, attempt: undefined },
      { level: 40, source: 'ghl', reason: 'too_old', type: 'NoteCreate', locationId: loc, status: 400, attempt: undefined },
    ]);
    expect(about('webhook ignored')).toEqual([
      { level: 30, source: 'ghl', reason: 'other_app', type: 'NoteCreate', locationId: loc, status: undefined, attempt: undefined },
    ]);
    expect(about('delivery attempt failed')).toEqual([
      { level: 40, source: undefined, reason: 'HTTP 503', type: 'NoteCreate', locationId: loc, status: 503, attempt: 1 },
    ]);
    const all = JSON.stringify(lines);
    expect(all).not.toContain(secret);
    expect(all).not.toContain(token);
    expect(all).not.toContain(hooks.url);
  });

  test("GHL's circuit breaker: over 10,000 answers in 72 hours under 90 % 2xx is flagged; older answers leave the window", async () => {
    const { AnswerWindow } = await import('../../relay/counters.js');
    const w = new AnswerWindow();
    const t0 = Date.UTC(2026, 11, 1);
    for (let i = 0; i < 9000; i++) w.record(t0, true);
    for (let i = 0; i < 1001; i++) w.record(t0 + 3_600_000, false);
    expect(w.read(t0 + 3_600_000)).toEqual({
      windowHours: 72,
      webhooks: 10_001,
      succeeded: 9000,
      successRatio: 0.8999,
      breakerAtRisk: true,
    });
    // 72 hours after the first hour, its 9,000 successes are out of the window.
    expect(w.read(t0 + 72 * 3_600_000)).toEqual({ windowHours: 72, webhooks: 1001, succeeded: 0, successRatio: 0, breakerAtRisk: false });
    expect(w.read(t0 + 74 * 3_600_000)).toMatchObject({ webhooks: 0, successRatio: 1 });
  });
});

describe('relay: subscriptions', () => {
  test("a token can only subscribe to its own location: another location's id → 403, a bad token → 401", async () => {
    const relay = await relayWith();
    sb.requests.length = 0;
    const other = sb.state.otherLocationId;
    const wrong = await subscribe(relay.url, token, { locationId: other, event: 'ContactCreate', targetUrl: 'http://127.0.0.1:9/x' });
    expect(wrong).toEqual({ status: 403, body: { error: `The GHL token has no access to location ${other}` } });
    expect(sb.requests.map((r) => [r.method, r.path, r.headers['version'], r.status])).toEqual([
      ['GET', `/locations/${other}`, '2021-07-28', 403],
    ]);
    const bad = await subscribe(relay.url, 'not-a-token', { locationId: loc, event: 'ContactCreate', targetUrl: 'http://127.0.0.1:9/x' });
    expect(bad).toEqual({ status: 401, body: { error: 'GHL rejected the access token (expired or revoked); reconnect the GHL account' } });
    const none = await fetch(`${relay.url}/subscriptions`, { method: 'POST', body: '{}' });
    expect(none.status).toBe(401);
    expect((await relay.store.stats()).subscriptions).toBe(0);
  });

  test('a subscriber never receives another location’s events, even for the same hook URL', async () => {
    const relay = await relayWith();
    const hooks = await receiverWith();
    await subscribe(relay.url, token, { locationId: loc, event: 'ContactCreate', targetUrl: hooks.url });
    // The relay's own answer: nothing queued, so nothing can be delivered later.
    expect((await postWebhook(relay.url, ghlEvent('ContactCreate', sb.state.otherLocationId), { key: keys.ed25519 })).body).toEqual({
      ok: true,
      queued: 0,
    });
    expect((await postWebhook(relay.url, ghlEvent('ContactCreate', loc.toLowerCase()), { key: keys.ed25519 })).body).toEqual({
      ok: true,
      queued: 0,
    });
    expect(await relay.store.stats()).toMatchObject({ pending: 0, events: 2 });
    expect(hooks.received).toHaveLength(0);
  });

  test('target URLs outside the allowlist, unknown events and bad location ids are refused before GHL is asked', async () => {
    const relay = await relayWith({ RELAY_ALLOWED_TARGETS: 'https://hooks.zapier.com' });
    sb.requests.length = 0;
    const t = (targetUrl: string, event = 'ContactCreate', locationId = loc) =>
      subscribe(relay.url, token, { locationId, event, targetUrl });
    const results = [
      await t('http://127.0.0.1:9/x'),
      await t('https://hooks.zapier.com.evil.example/hooks/standard/1'),
      await t('http://hooks.zapier.com/hooks/standard/1'),
      await t('https://user:pw@hooks.zapier.com/hooks/standard/1'),
      await t('https://hooks.zapier.com/hooks/standard/1', 'OpportunityCreate'),
      await t('https://hooks.zapier.com/hooks/standard/1', 'ContactCreate', '../x'),
    ];
    expect(results.map((r) => r.status)).toEqual([400, 400, 400, 400, 400, 400]);
    expect(results[0]!.body.error).toBe('"targetUrl" must be a URL under https://hooks.zapier.com');
    expect(results[4]!.body.error).toMatch(/^"event" must be one of ContactCreate, ContactUpdate, ContactDelete, ContactTagUpdate/);
    expect(sb.requests).toHaveLength(0);
    const ok = await t('https://hooks.zapier.com/hooks/standard/123/abc/');
    expect(ok.status).toBe(201);
  });

  test('unsubscribe needs a token of the same location; a second unsubscribe is 404', async () => {
    const relay = await relayWith();
    const sub = await subscribe(relay.url, token, { locationId: loc, event: 'ContactUpdate', targetUrl: 'http://127.0.0.1:9/x' });
    const del = (tk: string) =>
      fetch(`${relay.url}/subscriptions/${sub.body.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${tk}` } }).then(
        async (r) => [r.status, await r.json()],
      );
    expect(await del('not-a-token')).toEqual([
      401,
      { error: 'GHL rejected the access token (expired or revoked); reconnect the GHL account' },
    ]);
    expect(await del(token)).toEqual([200, { id: sub.body.id, removed: true }]);
    expect(await del(token)).toEqual([404, { error: `No subscription ${sub.body.id} (already removed)` }]);
  });

  test('the access token is used for the check only: it is in no file of the store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relay-token-'));
    try {
      const relay = await relayWith({ RELAY_SQLITE_PATH: join(dir, 'relay.sqlite') });
      await subscribe(relay.url, token, { locationId: loc, event: 'ContactUpdate', targetUrl: 'http://127.0.0.1:9/x' });
      const files = readdirSync(dir);
      expect(files).toContain('relay.sqlite');
      for (const f of files) expect(readFileSync(join(dir, f)).includes(Buffer.from(token))).toBe(false);
      expect(files.some((f) => readFileSync(join(dir, f)).includes(Buffer.from(loc)))).toBe(true);
    } finally {
      while (open.length) await open.pop()!.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
