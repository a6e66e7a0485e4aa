import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig, type RelayConfig } from '../../relay/config.js';

/** A stand-in for GHL's signing key (the relay is told its public half). */
export const testKeys = () => {
  const ed = generateKeyPairSync('ed25519');
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    ed25519: ed.privateKey,
    rsa: rsa.privateKey,
    ed25519Public: (ed.publicKey.export({ format: 'der', type: 'spki' }) as Buffer).toString('base64'),
    rsaPublicPem: rsa.publicKey.export({ format: 'pem', type: 'spki' }) as string,
  };
};
export type TestKeys = ReturnType<typeof testKeys>;

export const relayConfig = (keys: TestKeys, env: Record<string, string> = {}): RelayConfig =>
  loadConfig({
    RELAY_PORT: '0',
    RELAY_GHL_PUBLIC_KEY: keys.ed25519Public,
    RELAY_GHL_LEGACY_PUBLIC_KEY: keys.rsaPublicPem,
    RELAY_ALLOWED_TARGETS: 'http://127.0.0.1:*',
    RELAY_SQLITE_PATH: ':memory:',
    RELAY_RETRY_BASE_MS: '50',
    RELAY_POLL_MS: '50',
    RELAY_TARGET_RATE_PER_SECOND: '0',
    RELAY_QUIET: '1',
    ...env,
  });

export const ghlEvent = (type: string, locationId: string, extra: Record<string, unknown> = {}) => ({
  type,
  locationId,
  id: randomUUID().replace(/-/g, '').slice(0, 20),
  timestamp: new Date().toISOString(),
  webhookId: randomUUID(),
  ...extra,
});

/** POSTs a body to the relay's webhook endpoint, signed the way GHL signs (or as told). */
export const postWebhook = async (
  relayUrl: string,
  body: unknown,
  opts: { key?: KeyObject; legacyKey?: KeyObject; headers?: Record<string, string>; raw?: Buffer | string } = {},
) => {
  const raw = opts.raw !== undefined ? Buffer.from(opts.raw) : Buffer.from(JSON.stringify(body));
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.key) headers['x-ghl-signature'] = sign(null, raw, opts.key).toString('base64');
  if (opts.legacyKey) headers['x-wh-signature'] = sign('sha256', raw, opts.legacyKey).toString('base64');
  Object.assign(headers, opts.headers ?? {});
  const res = await fetch(`${relayUrl}/webhooks/ghl`, { method: 'POST', headers, body: raw });
  return { status: res.status, body: (await res.json().catch(() => undefined)) as any, headers: res.headers };
};

export interface Received {
  path: string;
  body: any;
  headers: http.IncomingHttpHeaders;
  at: number;
}

/** What a hook receiver answers: a status, or a status with headers (e.g. a 429's Retry-After). */
export type HookAnswer = number | { status: number; headers: Record<string, string> };

/** A Zapier hook receiver: records every POST and answers with `respond(n)` (default 200). */
export const hookReceiver = async (respond: (n: number, r: Received) => HookAnswer | Promise<HookAnswer> = () => 200) => {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = {
        path: req.url ?? '',
        body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null'),
        headers: req.headers,
        at: performance.timeOrigin + performance.now(),
      };
      received.push(r);
      void Promise.resolve(respond(received.length, r)).then((answer) => {
        const { status, headers } = typeof answer === 'number' ? { status: answer, headers: {} } : answer;
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify({ status: status < 300 ? 'success' : 'error' }));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};

export const waitFor = async (what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> => {
  const until = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const subscribe = async (relayUrl: string, token: string, body: Record<string, unknown>) => {
  const res = await fetch(`${relayUrl}/subscriptions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
};

/** Why the Postgres tests cannot run (undefined when RELAY_TEST_DATABASE_URL names a reachable database); probed synchronously so jest can skip. */
export const postgresUnavailable = (url: string | undefined): string | undefined => {
  if (!url) return 'RELAY_TEST_DATABASE_URL is not set';
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      `const pg=require('pg');const c=new pg.Client(${JSON.stringify(url)});c.connect().then(()=>c.end()).then(()=>process.exit(0),()=>process.exit(1))`,
    ],
    { timeout: 10_000 },
  );
  return probe.status === 0 ? undefined : 'no Postgres reachable at RELAY_TEST_DATABASE_URL';
};
