import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { hookReceiver, subscribe, testKeys, waitFor } from './helpers.js';

/**
 * The bodies GHL really sends (fixtures/ghl-webhook-examples: captured deliveries and GHL's own
 * sample), signed as GHL signs them (Ed25519 over the exact compact JSON bytes, `x-ghl-signature`),
 * all taken by a relay started with `npm run relay`: each contact event reaches its subscriber once,
 * byte for byte; INSTALL is acknowledged; UNINSTALL removes its location's subscriptions.
 */

/** The relay's operator token for this test's relay (not a GHL or Ecwid token). */
const ADMIN_TOKEN = 'examples-admin-token-0123456789';
const ROOT = join(__dirname, '..', '..');
type Example = { id: string; type: string; body: Record<string, unknown> };
const examples = (JSON.parse(readFileSync(join(ROOT, 'fixtures/ghl-webhook-examples/bodies.json'), 'utf8')) as { bodies: Example[] })
  .bodies;
const TOKEN = 'stand-in-ghl-access-token';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** GHL's `GET /locations/{id}` for the subscribe check: every example's location, one token. */
const ghlApiStandIn = async (companies: Map<string, string>) => {
  const server = http.createServer((req, res) => {
    const id = decodeURIComponent(/^\/locations\/([^/]+)$/.exec(req.url ?? '')?.[1] ?? '');
    const ok = req.headers.authorization === `Bearer ${TOKEN}` && companies.has(id);
    res.writeHead(ok ? 200 : 403, { 'content-type': 'application/json' });
    res.end(JSON.stringify(ok ? { location: { id, companyId: companies.get(id) } } : { message: 'no access' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
};

describe('the bodies GHL really sends, through `npm run relay`', () => {
  const keys = testKeys();
  let dir: string;
  let relay: ChildProcess | undefined;
  let out = '';
  const closers: Array<() => Promise<void>> = [];

  beforeAll(() => {
    nock.enableNetConnect('127.0.0.1');
    dir = mkdtempSync(join(tmpdir(), 'relay-examples-'));
  });
  afterAll(async () => {
    if (relay && relay.exitCode === null) {
      const exited = new Promise((r) => relay!.once('exit', r));
      process.kill(-relay.pid!, 'SIGTERM');
      await exited;
    }
    for (const c of closers) await c();
    rmSync(dir, { recursive: true, force: true });
  });

  test('every example is taken; each contact event arrives once, byte for byte; UNINSTALL ends its location’s subscriptions', async () => {
    nock.enableNetConnect('127.0.0.1');
    const appIds = [...new Set(examples.map((e) => e.body.appId).filter((a): a is string => typeof a === 'string'))];
    const companyOf = new Map<string, string>();
    for (const e of examples)
      if (e.body.locationId) companyOf.set(String(e.body.locationId), String(e.body.companyId ?? 'unknown-company'));
    const ghlApi = await ghlApiStandIn(companyOf);
    closers.push(ghlApi.close);
    const hooks = await hookReceiver(() => 200);
    closers.push(hooks.close);

    const port = await freePort();
    const relayUrl = `http://127.0.0.1:${port}`;
    relay = spawn('npm', ['run', '--silent', 'relay'], {
      cwd: ROOT,
      detached: true, // its own process group: npm and the relay are stopped together
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        RELAY_PORT: String(port),
        RELAY_SQLITE_PATH: join(dir, 'relay.sqlite'),
        RELAY_GHL_PUBLIC_KEY: keys.ed25519Public,
        RELAY_GHL_API_BASE_URL: ghlApi.url,
        RELAY_ALLOWED_TARGETS: 'http://127.0.0.1:*',
        // The examples come from three marketplace apps; this relay serves all three.
        RELAY_GHL_APP_ID: appIds.join(','),
        RELAY_POLL_MS: '50',
        RELAY_ADMIN_TOKEN: ADMIN_TOKEN,
      },
    });
    relay.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    relay.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor('the relay to listen', () => out.includes('listening on'), 60_000);

    // One subscription per (location, contact event) the examples have.
    const routes = new Map<string, string>();
    for (const e of examples.filter((x) => x.type.startsWith('Contact'))) {
      const key = `${String(e.body.locationId)}/${e.type}`;
      if (routes.has(key)) continue;
      const target = `${hooks.url}/${encodeURIComponent(key)}`;
      const sub = await subscribe(relayUrl, TOKEN, { locationId: e.body.locationId, event: e.type, targetUrl: target });
      expect(sub.status).toBe(201);
      routes.set(key, sub.body.id);
    }

    // As GHL stamps a delivery: fresh timestamp and webhookId in their own places, nothing added.
    const sent = new Map<string, string>();
    const send = async (e: Example, body: Record<string, unknown>) => {
      const raw = JSON.stringify(body);
      sent.set(String(body.webhookId), raw);
      const res = await fetch(`${relayUrl}/webhooks/ghl`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-ghl-signature': sign(null, Buffer.from(raw), keys.ed25519).toString('base64') },
        body: raw,
      });
      return { id: e.id, status: res.status, answer: (await res.json()) as Record<string, unknown> };
    };
    const stamp = (e: Example, ageMs = 0) => ({
      ...e.body,
      timestamp: new Date(Date.now() - ageMs).toISOString(),
      webhookId: randomUUID(),
    });
    const order = [...examples.filter((e) => e.type !== 'UNINSTALL'), ...examples.filter((e) => e.type === 'UNINSTALL')];
    const answers = [];
    for (const e of order) answers.push(await send(e, stamp(e)));
    expect(answers.map((a) => [a.id, a.status, a.answer])).toEqual(
      order.map((e) => [e.id, 200, { ok: true, queued: e.type.startsWith('Contact') ? 1 : 0 }]),
    );

    // A retry GHL sends 10 minutes after its first attempt (the original timestamp): taken; the same bytes again: acknowledged, not re-delivered.
    const late = examples.find((e) => e.id === 'titanium-ContactUpdate')!;
    const lateBody = stamp(late, 10 * 60_000);
    expect((await send(late, lateBody)).answer).toEqual({ ok: true, queued: 1 });
    const again = sent.get(String(lateBody.webhookId))!;
    const dup = await fetch(`${relayUrl}/webhooks/ghl`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-ghl-signature': sign(null, Buffer.from(again), keys.ed25519).toString('base64') },
      body: again,
    });
    expect(await dup.json()).toEqual({ ok: true, duplicate: true });

    // Another app's body (the same GHL key signs every app's): acknowledged, ignored.
    const foreign = { ...stamp(late), appId: '000000000000000000000000' };
    expect((await send(late, foreign)).answer).toEqual({ ok: true, ignored: "appId 000000000000000000000000 is not this app's" });

    const contactIds = [...sent.keys()].filter((id) => {
      const b = JSON.parse(sent.get(id)!) as { type: string; appId?: string };
      return b.type.startsWith('Contact') && b.appId !== '000000000000000000000000';
    });
    await waitFor('every contact event at its hook', () => contactIds.every((id) => hooks.received.some((r) => r.body.webhookId === id)));
    const health = async () =>
      (await (await fetch(`${relayUrl}/healthz`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as Record<string, any>;
    await waitFor('nothing left to deliver', async () => (await health()).pending === 0);
    expect(hooks.received.map((r) => r.body.webhookId).sort()).toEqual(contactIds.sort());
    for (const r of hooks.received) {
      expect(JSON.stringify(r.body)).toBe(sent.get(r.body.webhookId));
      expect(decodeURIComponent(r.path.slice(1))).toBe(`${r.body.locationId}/${r.body.type}`);
    }
    // The UNINSTALL (jarlengit's location) removed that location's two subscriptions; the others stay.
    const h = await health();
    expect(h).toMatchObject({
      subscriptions: routes.size - 2,
      webhooks: { queued: contactIds.length, unrouted: 4, duplicate: 1, other_app: 1 },
      uninstallRemoved: 2,
      ghlSuccess: { webhooks: order.length + 3, succeeded: order.length + 3, successRatio: 1, breakerAtRisk: false },
    });
    // Log lines name what happened, never a body's contents or the token.
    expect(out).toContain('"msg":"subscribed"');
    expect(out).not.toContain('redacted@example.com');
    expect(out).not.toContain(TOKEN);
  }, 90_000);
});
