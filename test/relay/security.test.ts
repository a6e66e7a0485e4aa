import net from 'node:net';
import nock from 'nock';
import { loadConfig } from '../../relay/config.js';
import { memoryLog, type RelayLog } from '../../relay/log.js';
import { startRelay, type Relay } from '../../relay/server.js';
import { startSandbox, type Sandbox } from '../../sandbox/server.js';
import { ghlEvent, hookReceiver, postWebhook, relayConfig, testKeys, waitFor } from './helpers.js';

/** The relay shared by every sub-account: each point of its security review, over real HTTP on 127.0.0.1 (relay/README.md, "Security"). */

const keys = testKeys();
let sb: Sandbox;
let token: string;
let loc: string;
const SECRET = 'zapier-app-secret-0123456789';
const ADMIN = 'operator-token-0123456789abcdef';

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

const relayWith = async (env: Record<string, string> = {}, log?: RelayLog): Promise<Relay> => {
  nock.enableNetConnect('127.0.0.1');
  const relay = await startRelay(
    relayConfig(keys, { RELAY_GHL_API_BASE_URL: sb.url, RELAY_SUBSCRIBE_SECRET: SECRET, ...env }),
    log ? { log } : {},
  );
  open.push(relay);
  return relay;
};

const call = async (url: string, init: RequestInit & { headers?: Record<string, string> } = {}) => {
  const res = await fetch(url, init);
  return { status: res.status, body: (await res.json().catch(() => undefined)) as any, headers: res.headers };
};
const subscribeWith = (relay: Relay, headers: Record<string, string>, body: Record<string, unknown>) =>
  call(`${relay.url}/subscriptions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
const sub = (targetUrl = 'http://127.0.0.1:9/x', event = 'ContactCreate') => ({ locationId: loc, event, targetUrl });

/** A raw connection: sends `head` and resolves with what the relay answered before it closed the connection. */
const rawExchange = (url: string, head: string) =>
  new Promise<string>((resolve, reject) => {
    const { port } = new URL(url);
    const s = net.connect(Number(port), '127.0.0.1', () => s.write(head));
    let got = '';
    s.on('data', (d) => (got += d.toString()));
    s.on('close', () => resolve(got));
    s.on('error', reject);
  });

describe('subscriptions come from our Zapier app only', () => {
  test('without or with a wrong X-Relay-Subscribe-Secret → 403 before GHL is asked; with it → 201; DELETE too', async () => {
    const relay = await relayWith();
    sb.requests.length = 0;
    const none = await subscribeWith(relay, {}, sub());
    const wrong = await subscribeWith(relay, { 'x-relay-subscribe-secret': 'guess' }, sub());
    const forbidden = { error: 'Subscriptions are accepted from this relay’s Zapier app only (X-Relay-Subscribe-Secret)' };
    expect([none.status, none.body, wrong.status, wrong.body]).toEqual([403, forbidden, 403, forbidden]);
    expect(sb.requests).toHaveLength(0);
    const ok = await subscribeWith(relay, { 'x-relay-subscribe-secret': SECRET }, sub());
    expect(ok.status).toBe(201);
    const del = (headers: Record<string, string>) =>
      call(`${relay.url}/subscriptions/${ok.body.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}`, ...headers } });
    expect((await del({})).status).toBe(403);
    expect(await del({ 'x-relay-subscribe-secret': SECRET })).toMatchObject({ status: 200, body: { id: ok.body.id, removed: true } });
  });
});

describe('one tenant cannot starve another', () => {
  test('subscriptions per location are capped (RELAY_MAX_SUBSCRIPTIONS_PER_LOCATION)', async () => {
    const relay = await relayWith({ RELAY_MAX_SUBSCRIPTIONS_PER_LOCATION: '2' });
    const h = { 'x-relay-subscribe-secret': SECRET };
    expect((await subscribeWith(relay, h, sub())).status).toBe(201);
    expect((await subscribeWith(relay, h, sub())).status).toBe(201);
    expect(await subscribeWith(relay, h, sub())).toMatchObject({
      status: 429,
      body: { error: `Location ${loc} has 2 subscriptions already (the relay's limit per location)` },
    });
    expect((await relay.store.stats()).subscriptions).toBe(2);
  });

  test("a location's full backlog refuses its own webhooks (429) only; another location's are taken", async () => {
    const relay = await relayWith({ RELAY_MAX_PENDING_PER_LOCATION: '2', RELAY_RETRY_BASE_MS: '600000' });
    const down = await hookReceiver(() => 503);
    open.push(down);
    const other = sb.state.otherLocationId;
    await relay.store.addSubscription({ id: 'a', locationId: loc, event: 'ContactCreate', targetUrl: down.url, createdAt: 1 });
    await relay.store.addSubscription({ id: 'b', locationId: other, event: 'ContactCreate', targetUrl: down.url, createdAt: 1 });
    const post = (l: string) => postWebhook(relay.url, ghlEvent('ContactCreate', l), { key: keys.ed25519 });
    expect((await post(loc)).status).toBe(200);
    expect((await post(loc)).status).toBe(200);
    const refused = await post(loc);
    expect([refused.status, refused.headers.get('retry-after'), refused.body]).toEqual([
      429,
      '60',
      { error: `Backlog of location ${loc} full (2 undelivered events)` },
    ]);
    expect((await post(other)).body).toEqual({ ok: true, queued: 1 });
  });
});

describe('token checks are rate-limited', () => {
  test('a verdict is reused (one GHL call per token and location); junk tokens from one address are cut off after RELAY_TOKEN_CHECKS_PER_MINUTE', async () => {
    const relay = await relayWith({ RELAY_TOKEN_CHECKS_PER_MINUTE: '3' });
    const h = { 'x-relay-subscribe-secret': SECRET };
    sb.requests.length = 0;
    expect((await subscribeWith(relay, h, sub())).status).toBe(201);
    expect((await subscribeWith(relay, h, sub())).status).toBe(201);
    expect(sb.requests.map((r) => [r.method, r.path])).toEqual([['GET', `/locations/${loc}`]]);
    const junk = async (t: string) =>
      (
        await call(`${relay.url}/subscriptions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json', ...h },
          body: JSON.stringify(sub()),
        })
      ).status;
    expect([await junk('junk1'), await junk('junk2'), await junk('junk1'), await junk('junk3')]).toEqual([401, 401, 401, 429]);
    expect(sb.requests).toHaveLength(3);
  });
});

describe('slow, oversized and malformed requests', () => {
  test('a declared body over the limit, or any refusal before the body is read, is answered and the connection closed without reading it', async () => {
    const relay = await relayWith({ RELAY_MAX_BODY_BYTES: '1024' });
    const big = await rawExchange(
      relay.url,
      'POST /webhooks/ghl HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50000000\r\n\r\n{',
    );
    expect(big).toMatch(/^HTTP\/1\.1 413 /);
    expect(big).toMatch(/\r\nConnection: close\r\n/i);
    const nowhere = await rawExchange(relay.url, 'POST /nowhere HTTP/1.1\r\nHost: x\r\nContent-Length: 50000000\r\n\r\n{');
    expect(nowhere).toMatch(/^HTTP\/1\.1 404 /);
  });

  // A well-formed Ed25519 value (64 bytes) that signs nothing: the relay cannot tell before the body is read.
  const someSignature = Buffer.alloc(64, 7).toString('base64');
  const refusals = (lines: Array<Record<string, unknown>>) =>
    lines.filter((l) => l.msg === 'webhook refused').map(({ reason, status, detail }) => ({ reason, status, detail }));

  test('no signature header, or one that cannot be a signature → 401 before a byte of the body is read; one log line each', async () => {
    const { lines, log } = memoryLog();
    // Were the body awaited, the request timeout (408) would answer instead.
    const relay = await relayWith({ RELAY_REQUEST_TIMEOUT_MS: '1000' }, log);
    const head = (sig: string) =>
      `POST /webhooks/ghl HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200000\r\n${sig}\r\n{"type":"ContactCreate","secret-body`;
    const none = await rawExchange(relay.url, head(''));
    const notEd25519 = await rawExchange(relay.url, head(`X-GHL-Signature: ${Buffer.from('short').toString('base64')}\r\n`));
    const strict = await relayWith({ RELAY_REQUEST_TIMEOUT_MS: '1000', RELAY_ACCEPT_LEGACY_SIGNATURE: 'false' }, log);
    const legacyOff = await rawExchange(strict.url, head(`X-WH-Signature: ${someSignature}\r\n`));
    for (const answer of [none, notEd25519, legacyOff]) {
      expect(answer).toMatch(/^HTTP\/1\.1 401 /);
      expect(answer).toMatch(/\r\nConnection: close\r\n/i);
    }
    expect(none).toContain('{"error":"Signature check failed: no x-ghl-signature header"}');
    expect(refusals(lines)).toEqual([
      { reason: 'bad_signature', status: 401, detail: 'Signature check failed: no x-ghl-signature header' },
      { reason: 'bad_signature', status: 401, detail: 'Signature check failed: x-ghl-signature is not an Ed25519 signature' },
      {
        reason: 'bad_signature',
        status: 401,
        detail: 'Signature check failed: x-wh-signature (legacy RSA) is not accepted; GHL signs with x-ghl-signature',
      },
    ]);
    expect(JSON.stringify(lines)).not.toContain('secret-body');
    expect((await relay.store.stats()).events).toBe(0);
  });

  test('a body streamed past RELAY_MAX_BODY_BYTES (chunked, no Content-Length) → 413 as soon as it crosses the limit; one log line', async () => {
    const { lines, log } = memoryLog();
    const relay = await relayWith({ RELAY_MAX_BODY_BYTES: '1024', RELAY_REQUEST_TIMEOUT_MS: '1000' }, log);
    const chunk = `258\r\n${'x'.repeat(600)}\r\n`; // 0x258 = 600 bytes; the last chunk is never sent
    const answer = await rawExchange(
      relay.url,
      `POST /webhooks/ghl HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nX-GHL-Signature: ${someSignature}\r\n\r\n${chunk}${chunk}`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toMatch(/\r\nConnection: close\r\n/i);
    expect(answer).toContain('{"error":"Body larger than 1024 bytes"}');
    expect(refusals(lines)).toEqual([{ reason: 'too_large', status: 413, detail: 'Body larger than 1024 bytes' }]);
    expect(relay.counters.snapshot(Date.now()).refused).toMatchObject({ too_large: 1 });
  });

  test('a sender too slow with its headers is cut off (RELAY_REQUEST_TIMEOUT_MS); connections over RELAY_MAX_CONNECTIONS are closed', async () => {
    const relay = await relayWith({ RELAY_REQUEST_TIMEOUT_MS: '1000', RELAY_MAX_CONNECTIONS: '1' });
    const slow = await rawExchange(relay.url, 'GET /healthz HTTP/1.1\r\nHost: x\r\n');
    expect(slow).toMatch(/^HTTP\/1\.1 408 /);
    // One connection held open (headers unfinished); a second one is closed with nothing answered.
    const held = net.connect(Number(new URL(relay.url).port), '127.0.0.1');
    await new Promise((r) => held.once('connect', r));
    held.write('GET /healthz HTTP/1.1\r\n');
    await waitFor('the held connection counted', async () => {
      const second = await rawExchange(relay.url, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      return second === '';
    });
    held.destroy();
  });

  test('a malformed percent-encoding in DELETE /subscriptions/… → 400', async () => {
    const relay = await relayWith();
    const res = await call(`${relay.url}/subscriptions/%E0%A4%A`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}`, 'x-relay-subscribe-secret': SECRET },
    });
    expect(res).toMatchObject({ status: 400, body: { error: 'Malformed percent-encoding in the subscription id' } });
  });
});

describe('what is shown, and where tokens may go', () => {
  test('/healthz: ok / not ok for anyone, the numbers with the admin token only', async () => {
    const relay = await relayWith({ RELAY_ADMIN_TOKEN: ADMIN });
    expect(await call(`${relay.url}/healthz`)).toMatchObject({ status: 200, body: { ok: true } });
    expect(Object.keys((await call(`${relay.url}/healthz`)).body)).toEqual(['ok']);
    const wrong = await call(`${relay.url}/healthz`, { headers: { authorization: 'Bearer nope' } });
    expect(Object.keys(wrong.body)).toEqual(['ok']);
    const admin = await call(`${relay.url}/healthz`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(admin.body).toMatchObject({ ok: true, store: 'sqlite', pending: 0, dead: 0, subscriptions: 0, events: 0 });
  });

  test('RELAY_GHL_API_BASE_URL (where tokens are sent) must be https unless it is this machine', () => {
    expect(() => loadConfig({ RELAY_GHL_API_BASE_URL: 'http://services.leadconnectorhq.com' })).toThrow(
      'RELAY_GHL_API_BASE_URL must use https (tokens are sent there); http is allowed for 127.0.0.1/localhost only, got "http://services.leadconnectorhq.com"',
    );
    expect(loadConfig({ RELAY_GHL_API_BASE_URL: 'http://127.0.0.1:4010' }).ghlApiBaseUrl).toBe('http://127.0.0.1:4010');
    expect(loadConfig({}).ghlApiBaseUrl).toBe('https://services.leadconnectorhq.com');
  });
});
