import { implementedOperations, startSandbox } from '../../sandbox/server.js';
import type { Sandbox } from '../../sandbox/server.js';
import { allowLocalhost, call } from './helpers.js';

allowLocalhost();

describe('sandbox rate limits', () => {
  let sb: Sandbox;
  let token: string;
  // The limiter's own clock, moved by the test: a new window opens when the test says so, not after a wait.
  let now = Date.parse('2026-11-28T12:00:00.000Z');

  beforeAll(async () => {
    allowLocalhost();
    sb = await startSandbox({ rateLimit: { max: 3, windowMs: 10_000, daily: 1000 }, rateLimitClock: () => now });
    token = sb.issueTokens().access_token;
  });
  afterAll(async () => {
    await sb.close();
  });

  test('rate limit headers on every API response and 429 beyond the window max', async () => {
    const locPath = `/locations/${sb.locationId}`;
    const r1 = await call(sb, token, 'GET', locPath);
    expect(r1.status).toBe(200);
    expect(r1.headers.get('x-ratelimit-limit-daily')).toBe('1000');
    expect(r1.headers.get('x-ratelimit-interval-milliseconds')).toBe('10000');
    expect(r1.headers.get('x-ratelimit-max')).toBe('3');
    expect(r1.headers.get('x-ratelimit-remaining')).toBe('2');
    expect(r1.headers.get('x-ratelimit-daily-remaining')).toBe('999');
    expect(r1.headers.get('x-ratelimit-daily-reset')).toBe(String(24 * 3600 * 1000));
    now += 9_999; // still the same window
    await call(sb, token, 'GET', locPath);
    const r3 = await call(sb, token, 'GET', `/contacts/nope0000000000000000`);
    expect(r3.status).toBe(400);
    expect(r3.headers.get('x-ratelimit-remaining')).toBe('0');
    const r4 = await call(sb, token, 'GET', locPath);
    expect(r4.status).toBe(429);
    expect(r4.body).toEqual({ statusCode: 429, message: 'Too many requests', traceId: expect.any(String) });
    expect(r4.headers.get('retry-after')).toBeNull();
    expect(r4.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(r4.headers.get('x-ratelimit-daily-remaining')).toBe('997');
    now += 1; // the window is over
    const r5 = await call(sb, token, 'GET', locPath);
    expect(r5.status).toBe(200);
    expect(r5.headers.get('x-ratelimit-remaining')).toBe('2');
    expect(r5.headers.get('x-ratelimit-daily-remaining')).toBe('996');
    expect(r5.headers.get('x-ratelimit-daily-reset')).toBe(String(24 * 3600 * 1000 - 10_000));
  });
});

describe('sandbox limits, faults and control', () => {
  let sb: Sandbox;
  let token: string;
  let loc: string;
  const locPath = () => `/locations/${loc}`;

  beforeAll(async () => {
    allowLocalhost();
    sb = await startSandbox();
    token = sb.issueTokens().access_token;
    loc = sb.locationId;
  });
  afterAll(async () => {
    await sb.close();
  });
  beforeEach(() => {
    allowLocalhost();
    sb.reset();
  });

  test('failNext: status, body, headers, match and method; consumed after n', async () => {
    sb.faults.failNext(2, { status: 503, match: /^\/locations\// });
    sb.faults.failNext(1, { status: 429, headers: { 'Retry-After': '2' }, method: 'POST' });
    const a = await call(sb, token, 'GET', locPath());
    expect(a.status).toBe(503);
    expect(a.body).toEqual({ statusCode: 503, message: 'Service Unavailable', traceId: expect.any(String) });
    const post = await call(sb, token, 'POST', '/contacts/search', { body: { locationId: loc, pageLimit: 1 } });
    expect(post.status).toBe(429);
    expect(post.headers.get('retry-after')).toBe('2');
    expect(post.body.message).toBe('Too many requests');
    expect((await call(sb, token, 'GET', locPath())).status).toBe(503);
    expect((await call(sb, token, 'GET', locPath())).status).toBe(200);
    sb.faults.failNext(1, { status: 500, body: { custom: true } });
    const c = await call(sb, token, 'GET', locPath());
    expect(c.status).toBe(500);
    expect(c.body).toEqual({ custom: true, traceId: expect.any(String) });
    expect(sb.requests.map((r) => r.fault ?? null)).toEqual(['fail', 'fail', 'fail', null, 'fail']);
  });

  test('resetConnectionNext destroys the socket', async () => {
    sb.faults.resetConnectionNext(1);
    await expect(call(sb, token, 'GET', locPath())).rejects.toThrow();
    expect((await call(sb, token, 'GET', locPath())).status).toBe(200);
    expect(sb.requests[0]!.status).toBe(0);
    expect(sb.requests[0]!.fault).toBe('reset');
  });

  test('malformedBodyNext: 200 with a truncated JSON body (request performed)', async () => {
    sb.faults.malformedBodyNext(1, { match: '^/contacts/?$' });
    const before = sb.state.contacts.size;
    const r = await call(sb, token, 'POST', '/contacts/', { body: { locationId: loc, email: 'trunc@example.com' } });
    expect(r.status).toBe(200);
    expect(r.text.startsWith('{"contact":{"id":"')).toBe(true);
    expect(() => JSON.parse(r.text)).toThrow();
    expect(sb.state.contacts.size).toBe(before + 1);
  });

  test('htmlBodyNext: proxy HTML page', async () => {
    sb.faults.htmlBodyNext(1);
    const r = await call(sb, token, 'GET', locPath());
    expect(r.status).toBe(502);
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(r.text).toContain('<h1>502 Bad Gateway</h1>');
    sb.faults.htmlBodyNext(1, { status: 504 });
    expect((await call(sb, token, 'GET', locPath())).status).toBe(504);
  });

  test('slowBodyNext: headers at once, body after ms', async () => {
    sb.faults.slowBodyNext(1, 400);
    const res = await fetch(sb.url + locPath(), { headers: { Authorization: `Bearer ${token}`, Version: '2021-07-28' } });
    expect(res.status).toBe(200);
    // The sandbox's own log: the headers are here, the body is not sent yet.
    expect(sb.requests[0]!.fault).toBe('slow');
    expect(sb.requests[0]!.endMs).toBeUndefined();
    const body = (await res.json()) as { location: { id: string } };
    expect(body.location.id).toBe(loc);
    expect(sb.requests[0]!.endMs! - sb.requests[0]!.startMs).toBeGreaterThanOrEqual(399);
  });

  test('holdBodyNext: headers at once, the body only when released', async () => {
    sb.faults.holdBodyNext(1, { match: /^\/locations\// });
    const res = await fetch(sb.url + locPath(), { headers: { Authorization: `Bearer ${token}`, Version: '2021-07-28' } });
    expect(res.status).toBe(200);
    const body = res.json() as Promise<{ location: { id: string } }>;
    // Other requests are answered while one is held.
    expect((await call(sb, token, 'GET', locPath())).status).toBe(200);
    expect(sb.requests.map((r) => [r.fault ?? null, r.endMs === undefined])).toEqual([
      ['hold', true],
      [null, false],
    ]);
    expect(sb.releaseHeld()).toBe(1);
    expect((await body).location.id).toBe(loc);
    expect(sb.releaseHeld()).toBe(0);
    // Over HTTP: POST /_sandbox/faults holds, POST /_sandbox/release sends.
    const f = await fetch(`${sb.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'holdBodyNext', n: 1 }),
    });
    expect(f.status).toBe(200);
    const res2 = await fetch(sb.url + locPath(), { headers: { Authorization: `Bearer ${token}`, Version: '2021-07-28' } });
    expect(res2.status).toBe(200);
    expect(sb.requests[2]!.endMs).toBeUndefined();
    const release = await fetch(`${sb.url}/_sandbox/release`, { method: 'POST' });
    expect(await release.json()).toEqual({ ok: true, released: 1, traceId: expect.any(String) });
    expect(((await res2.json()) as { location: { id: string } }).location.id).toBe(loc);
  });

  test('createThenFailNext: the contact is created but the response is 422 (GHL #64)', async () => {
    sb.faults.createThenFailNext(1, { status: 422 });
    const r = await call(sb, token, 'POST', '/contacts/', { body: { locationId: loc, email: 'ghost@example.com' } });
    expect(r.status).toBe(422);
    expect(r.body).toEqual({
      statusCode: 422,
      message: ['Unprocessable Entity'],
      error: 'Unprocessable Entity',
      traceId: expect.any(String),
    });
    expect([...sb.state.contacts.values()].some((c) => c.email === 'ghost@example.com')).toBe(true);
    const retry = await call(sb, token, 'POST', '/contacts/', { body: { locationId: loc, email: 'ghost@example.com' } });
    expect(retry.status).toBe(400);
    expect(retry.body.meta.matchingField).toBe('email');
  });

  test('faults.clear() and reset() clear pending faults', async () => {
    sb.faults.failNext(5, { status: 500 });
    sb.faults.clear();
    expect((await call(sb, token, 'GET', locPath())).status).toBe(200);
    sb.faults.failNext(5, { status: 500 });
    sb.reset();
    expect((await call(sb, token, 'GET', locPath())).status).toBe(200);
  });

  test('latency: setLatency delays API responses', async () => {
    sb.setLatency(250);
    expect((await call(sb, token, 'GET', locPath())).status).toBe(200);
    // A lower bound only: a busy machine makes the answer later, never earlier.
    expect(sb.requests[0]!.endMs! - sb.requests[0]!.startMs).toBeGreaterThanOrEqual(249);
    sb.setLatency(0);
  });

  test('control endpoints: faults, requests, state, reset, tokens', async () => {
    const f = await fetch(`${sb.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'failNext', n: 1, status: 502, match: '^/locations' }),
    });
    expect(f.status).toBe(200);
    expect((await call(sb, token, 'GET', locPath())).status).toBe(502);
    const reqs = (await (await fetch(`${sb.url}/_sandbox/requests`)).json()) as { path: string; status: number }[];
    expect(reqs.map((r) => [r.path, r.status])).toEqual([[locPath(), 502]]);
    const st = (await (await fetch(`${sb.url}/_sandbox/state`)).json()) as { locationId: string; contacts: unknown[] };
    expect(st.locationId).toBe(loc);
    expect(st.contacts).toHaveLength(6);
    const tk = (await (await fetch(`${sb.url}/_sandbox/tokens`, { method: 'POST' })).json()) as {
      access_token: string;
      locationId: string;
    };
    expect(tk.locationId).toBe(loc);
    expect((await call(sb, tk.access_token, 'GET', locPath())).status).toBe(200);
    expect((await fetch(`${sb.url}/_sandbox/reset`, { method: 'POST' })).status).toBe(200);
    expect(sb.requests).toHaveLength(0);
  });

  test('seedBulk(10000) is deterministic; search pages through it', async () => {
    sb.seedBulk({ contacts: 10_000, tasksPerContact: 1 });
    expect(sb.state.contacts.size).toBe(10_006);
    expect(sb.state.tasks.size).toBe(10_004);
    const ids = [...sb.state.contacts.keys()];
    sb.reset();
    sb.seedBulk({ contacts: 10_000, tasksPerContact: 1 });
    expect([...sb.state.contacts.keys()]).toEqual(ids);
    const bulk = new Set([...sb.state.contacts.values()].filter((c) => c.source === 'bulk').map((c) => c.id));
    const r = await call(sb, token, 'POST', '/contacts/search', {
      body: { locationId: loc, pageLimit: 500, filters: [{ field: 'source', operator: 'eq', value: 'bulk' }] },
    });
    expect(r.status).toBe(200);
    expect(r.body.total).toBe(10_000);
    expect(r.body.contacts).toHaveLength(500);
    expect(r.body.contacts.every((c: { id: string }) => bulk.has(c.id))).toBe(true);
  });

  test('implementedOperations lists spec operationIds', () => {
    const ops = implementedOperations();
    expect(ops).toContain('contacts:search-contacts-advanced');
    expect(ops).toContain('oauth:get-access-token');
    expect(ops).toContain('contacts:add-remove-contact-from-business');
    expect(ops).toContain('calendars:get-appointment');
    expect(ops).toContain('workflows:get-workflow');
    expect(ops).toContain('businesses:create-business');
    expect(ops).toHaveLength(47);
  });

  test('spec operations not implemented → 501 after auth and validation', async () => {
    const r = await call(sb, token, 'GET', `/users/${'a'.repeat(20)}`);
    expect(r.status).toBe(501);
    expect(r.body.error).toBe('Not Implemented');
  });
});
