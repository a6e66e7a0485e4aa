/**
 * Secrets: the access tokens, refresh tokens, authorization codes and client secret of a full run
 * (OAuth connect, every operation and flow, a token refresh, error paths) never appear in what is
 * logged (console, Zapier's stdout logging, and the log stream Zapier ships to its log server), in
 * step outputs or error messages, in the matrix results, nor in any git-tracked file; the tracked files
 * hold no token-shaped strings; `.env` is ignored; the bearer token goes only to the GHL API host.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import util from 'node:util';
import nock from 'nock';
import App from '../../index.js';
import { ghl, path as ghlPath } from '../../src/http/ghl.js';
import { Harness } from './harness.js';
import { RESULTS_DIR } from './runner.js';

/** A local HTTP server recording every request (method, url, headers, body). */
const recorder = async (
  respond: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void = (_q, res) => res.end('{}'),
) => {
  const seen: Array<{ method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }> = [];
  let open = 0;
  const server = http.createServer((req, res) => {
    open += 1;
    // 'close' also comes when Zapier's logger aborts a stream it gave up waiting for.
    req.once('close', () => (open -= 1));
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      respond(req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  /** Resolves once every request that reached the server has ended (Zapier's log streams end late). */
  const drained = async () => {
    while (open > 0) await new Promise((r) => setTimeout(r, 10));
  };
  return { seen, port, drained, close: () => new Promise<void>((r) => server.close(() => r())) };
};

/** Token-shaped strings: JWTs (GHL's tokens), the sandbox's tokens, bearer headers, secrets in JSON, forms or env lines. */
const TOKEN_SHAPES: Array<[RegExp, string]> = [
  [/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/, 'a JWT'],
  [/sbx_(?:at|rt)_[0-9a-f]{16,}/, 'a sandbox token'],
  [/Bearer\s+(?!\*\*\*)[A-Za-z0-9._~+/-]{20,}/, 'a bearer token'],
  [/["']?(?:access_token|refresh_token|client_secret)["']?\s*[:=]\s*["'][A-Za-z0-9._~+/-]{20,}["']/, 'a token value'],
  [/(?:access_token|refresh_token|client_secret)=[A-Za-z0-9._~+/-]{20,}/, 'a token in a form or URL'],
  [/^\s*(?:CLIENT_SECRET|authData_access_token|authData_refresh_token)=(?!sandbox-client-secret\b)\S{12,}/m, 'a secret in an env file'],
];

const trackedFiles = (): string[] =>
  execFileSync('git', ['ls-files', '-z'], { encoding: 'utf8' })
    .split('\0')
    .filter(Boolean)
    .filter((f) => fs.existsSync(f) && fs.statSync(f).isFile());

describe('secrets', () => {
  const client = { id: 'reliability-client-id', secret: `rel-secret-${crypto.randomBytes(12).toString('hex')}` };
  const captured: string[] = [];
  const restores: Array<() => void> = [];
  const savedEnv: Record<string, string | undefined> = {};
  let logServer: Awaited<ReturnType<typeof recorder>>;
  let h: Harness;
  const outputs: unknown[] = [];

  const capture = () => {
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      const spy = jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        captured.push(util.format(...args));
      });
      restores.push(() => spy.mockRestore());
    }
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      stream.write = ((chunk: unknown, ...rest: unknown[]) => {
        captured.push(String(chunk));
        return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof stream.write;
      restores.push(() => {
        stream.write = write;
      });
    }
  };

  beforeAll(async () => {
    nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
    // Zapier's own logging, all of it: to stdout (with HTTP details) and to a log server standing in for Zapier's.
    logServer = await recorder((_req, res) => res.end('{}'));
    for (const [k, v] of Object.entries({
      LOG_TO_STDOUT: 'true',
      DETAILED_LOG_TO_STDOUT: 'true',
      LOGGING_ENDPOINT: `http://127.0.0.1:${logServer.port}/input`,
      LOGGING_TOKEN: 'reliability-log-stream',
    })) {
      savedEnv[k] = process.env[k];
      process.env[k] = v;
    }
    capture();
    h = await Harness.start({ client });
  }, 60_000);

  afterAll(async () => {
    for (const restore of restores.reverse()) restore();
    for (const [k, v] of Object.entries(savedEnv)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await h?.close();
    await logServer?.close();
  });

  /**
   * Every credential the run handled: the client secret and every token the sandbox issued (rotated ones
   * too). The OAuth authorization code is not one: Zapier's HTTP log of the code exchange shows the form
   * body, but a code is single-use and already redeemed when that line is written (checked below).
   */
  const runSecrets = () => [client.secret, ...h.sb.state.accessTokens.keys(), ...h.sb.state.refreshTokens.keys()];

  test('a full run (connect, every operation and flow, a refresh, errors) logs no secret', async () => {
    for (const op of h.ops) {
      await h.freshFor(op);
      const run = await h.exec(op);
      outputs.push(run.output ?? run.error);
    }
    // A refresh mid-Zap, and error paths whose messages quote GHL.
    const find = h.ops.find((o) => o.id === 'searches/find_contact')!;
    const create = h.ops.find((o) => o.id === 'creates/create_contact')!;
    await h.freshFor(find);
    h.expireAccessTokenAt(1);
    outputs.push((await h.exec(find)).output);
    await h.freshFor(create);
    h.sb.faults.failNext(1, { status: 503, method: 'POST' });
    outputs.push((await h.exec(create)).error);
    await h.freshFor(create);
    h.sb.faults.failNext(1, { status: 429, headers: { 'Retry-After': '3' } });
    outputs.push((await h.exec(create)).error);
    outputs.push((await h.exec(create, { email: 'not an email' })).error);
    await h.freshFor(find);
    h.expireAccessTokenAt(1);
    const token = h.runner.authData.refresh_token!;
    const rec = h.refreshRecord(token)!;
    rec.used = true;
    outputs.push((await h.exec(find)).error);
    rec.used = false;
    // Zapier's logger stops waiting for its stream after a timeout: wait for the log server to have all of it.
    await logServer.drained();

    const logs = captured.join('\n');
    const shipped = logServer.seen.map((r) => r.body).join('\n');
    // The capture is not empty: Zapier logged the HTTP calls, and shipped its log lines.
    expect(logs).toMatch(/POST http:\/\/127\.0\.0\.1:\d+\/oauth\/token/);
    expect(logs).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/contacts\//);
    expect(shipped).toMatch(/"log_type":"http"/);
    expect(logServer.seen.length).toBeGreaterThan(h.ops.length);
    expect(h.runner.refreshTokens.length).toBeGreaterThanOrEqual(2);
    expect([...h.sb.state.codes.values()].every((c) => c.used)).toBe(true);

    const corpus: Array<[string, string]> = [
      ['console and stdout', logs],
      ["Zapier's log stream", shipped],
      ['step outputs and errors', JSON.stringify(outputs)],
      ['Zap runner step records', JSON.stringify(h.runner.steps)],
      ["the sandbox's request log", JSON.stringify(h.sb.requests)],
    ];
    const leaks: string[] = [];
    for (const secret of runSecrets()) {
      for (const [where, text] of corpus) if (text.includes(secret)) leaks.push(`${secret.slice(0, 10)}… in ${where}`);
    }
    for (const [where, text] of corpus.slice(0, 4)) {
      for (const [re, what] of TOKEN_SHAPES) {
        const m = re.exec(text);
        if (m) leaks.push(`${what} in ${where}: ${m[0].slice(0, 24)}…`);
      }
    }
    expect(leaks).toEqual([]);
  }, 120_000);

  test('no git-tracked file (nor a matrix result) holds a secret of the run or a token-shaped string', () => {
    const files = [...trackedFiles()];
    if (fs.existsSync(RESULTS_DIR)) for (const f of fs.readdirSync(RESULTS_DIR)) files.push(path.join(RESULTS_DIR, f));
    expect(files.length).toBeGreaterThan(50);
    const secrets = runSecrets();
    const found: string[] = [];
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      for (const s of secrets) if (text.includes(s)) found.push(`${file}: a secret of this run`);
      for (const [re, what] of TOKEN_SHAPES) {
        const m = re.exec(text);
        if (m) found.push(`${file}: ${what} (${m[0].slice(0, 24)}…)`);
      }
    }
    expect(found).toEqual([]);
  });

  test('.env is git-ignored and not tracked', () => {
    expect(() => execFileSync('git', ['check-ignore', '-q', '.env'])).not.toThrow();
    expect(execFileSync('git', ['ls-files', '.env', '.environment'], { encoding: 'utf8' }).trim()).toBe('');
  });

  test('the bearer token goes only to the GHL API host: never to another host, another port, or through a redirect', async () => {
    h.fresh();
    const other = await recorder((_req, res) => res.end('{}'));
    // A "GHL" that redirects to another host (node-fetch follows redirects).
    const redirector = await recorder((_req, res) => {
      res.writeHead(302, { Location: `http://localhost:${other.port}/landing` });
      res.end();
    });
    try {
      const authData = { ...h.runner.authData };
      const call = (fn: (z: never, b: never) => Promise<unknown>) =>
        h.runner.appTester(fn as never, { authData } as never).catch((e: Error) => e);
      // A URL from user data (another host, or the same host on another port).
      await call((z: any) => z.request({ url: `http://localhost:${other.port}/hook`, method: 'POST', body: { a: 1 } }));
      await call((z: any) => z.request({ url: `http://127.0.0.1:${other.port}/hook` }));
      // The GHL host redirecting elsewhere.
      const base = process.env.GHL_API_BASE_URL;
      process.env.GHL_API_BASE_URL = `http://127.0.0.1:${redirector.port}`;
      try {
        await call((z: any, b: any) => ghl(z, b).get(ghlPath`/contacts/${'abc'}`));
      } finally {
        process.env.GHL_API_BASE_URL = base;
      }
      // The real GHL host does get it.
      await call((z: any, b: any) => ghl(z, b).get(ghlPath`/locations/${h.ids.locationId}`));
      expect(other.seen.length).toBe(3);
      for (const r of other.seen) {
        expect(r.headers.authorization).toBeUndefined();
        expect(JSON.stringify(r)).not.toContain(authData.access_token);
      }
      expect(redirector.seen[0]?.headers.authorization).toBe(`Bearer ${authData.access_token}`);
      expect(h.sb.requests.at(-1)?.headers['authorization']).toBe('Bearer ***');
    } finally {
      await other.close();
      await redirector.close();
    }
  });

  test('the app defines no operation that could send the token elsewhere: every request URL is built from the configured GHL host', () => {
    // Static guard for the runtime check above: src/ builds URLs only through src/http/ghl.ts and the OAuth helpers.
    const offenders = trackedFiles()
      .filter((f) => f.startsWith('src/') && f.endsWith('.ts'))
      .filter((f) => /z\.request\(|\bfetch\(/.test(fs.readFileSync(f, 'utf8')))
      .filter((f) => !['src/http/ghl.ts', 'src/authentication.ts', 'src/http/relay.ts'].includes(f));
    expect(offenders).toEqual([]);
    // The one other host that gets the token: our webhook relay, by design (it checks the token with
    // GHL for the instant triggers' subscriptions), at the URL the app owner configures (RELAY_URL), never from user data.
    const relayClient = fs.readFileSync('src/http/relay.ts', 'utf8');
    expect(relayClient.match(/url: `[^`]*`/g)).toEqual([
      'url: `${relayUrl(z)}/subscriptions`',
      'url: `${relayUrl(z)}/subscriptions/${encodeURIComponent(id)}`',
    ]);
    expect(Object.keys(App.triggers ?? {}).length).toBeGreaterThan(0);
  });
});
