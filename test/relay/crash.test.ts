import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { startSandbox, type Sandbox } from '../../sandbox/server.js';
import pg from 'pg';
import { hookReceiver, postgresUnavailable, sleep, subscribe, waitFor } from './helpers.js';

/**
 * The relay as its own process (`node --import tsx relay/main.ts`, as `npm run relay`), killed
 * with SIGKILL in the middle of a stream of GHL webhooks while deliveries are backed up, then
 * restarted on the same SQLite file: every webhook it had acknowledged is delivered.
 */

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

const startRelayProcess = (env: Record<string, string>): Promise<ChildProcess> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--no-warnings=ExperimentalWarning', '--import', 'tsx', 'relay/main.ts'], {
      cwd: join(__dirname, '..', '..'),
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`relay did not start: ${out}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('listening on')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.stderr!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.once('exit', (code) => reject(new Error(`relay exited (${code}): ${out}`)));
  });

const killed = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

const PG_URL = process.env.RELAY_TEST_DATABASE_URL;
const pgMissing = postgresUnavailable(PG_URL);
if (pgMissing) console.warn(`kill -9 test on Postgres skipped: ${pgMissing}.`);
const stores: Array<[string, boolean]> = [
  ['SQLite', true],
  ['Postgres', !pgMissing],
];

describe.each(stores.filter(([, on]) => on).map(([name]) => name))('relay on %s killed with SIGKILL mid-stream', (storeName) => {
  let sb: Sandbox;
  let dir: string;
  let child: ChildProcess | undefined;
  let hooks: Awaited<ReturnType<typeof hookReceiver>>;
  let pgSchema: string | undefined;
  // At the kill the hook holds its answers, so the deliveries in flight are exactly the ones it holds.
  let holding = false;
  const held: Array<{ id: string; release: () => void }> = [];

  beforeAll(async () => {
    nock.enableNetConnect('127.0.0.1');
    dir = mkdtempSync(join(tmpdir(), 'relay-crash-'));
    // No retries: this test counts what GHL's first attempts met while the relay was down
    // (retries are test/relay/ghl-delivery.test.ts's subject).
    sb = await startSandbox({ seed: 'demo', webhooks: { maxRetries: 0 } });
    // A slow Zapier: 2 deliveries at a time, 20 ms each, so events queue up in the relay.
    hooks = await hookReceiver(async (_n, r) => {
      if (holding) await new Promise<void>((release) => held.push({ id: r.body.webhookId as string, release }));
      else await sleep(20);
      return 200;
    });
  });
  afterAll(async () => {
    if (child && child.exitCode === null) await killed(child);
    await hooks.close();
    await sb.close();
    rmSync(dir, { recursive: true, force: true });
    if (pgSchema) {
      const admin = new pg.Client(PG_URL);
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${pgSchema} CASCADE`);
      await admin.end();
    }
  });

  test('every acknowledged webhook is delivered after the restart; nothing is invented', async () => {
    const port = await freePort();
    const env: Record<string, string> = {
      RELAY_PORT: String(port),
      RELAY_SQLITE_PATH: join(dir, 'relay.sqlite'),
      // Long enough that no delivery times out on a busy machine (its resend would be a duplicate the
      // kill did not cause); a crashed relay's claims on Postgres wait for their lease (2 × timeout + 5 s) to end.
      RELAY_DELIVERY_TIMEOUT_MS: '10000',
      RELAY_GHL_PUBLIC_KEY: sb.webhooks.publicKey,
      RELAY_GHL_API_BASE_URL: sb.url,
      RELAY_ALLOWED_TARGETS: 'http://127.0.0.1:*',
      RELAY_CONCURRENCY: '2',
      RELAY_POLL_MS: '50',
      RELAY_RETRY_BASE_MS: '100',
      RELAY_QUIET: '1',
    };
    if (storeName === 'Postgres') {
      const schema = `relay_crash_${port}`;
      pgSchema = schema;
      const admin = new pg.Client(PG_URL);
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
      await admin.end();
      const u = new URL(PG_URL as string);
      u.searchParams.set('options', `-c search_path=${schema}`);
      env.RELAY_DATABASE_URL = u.toString();
    }
    const relayUrl = `http://127.0.0.1:${port}`;
    child = await startRelayProcess(env);
    const token = sb.issueTokens().access_token;
    expect((await subscribe(relayUrl, token, { locationId: sb.locationId, event: 'ContactCreate', targetUrl: hooks.url })).status).toBe(
      201,
    );
    sb.webhooks.setUrl(`${relayUrl}/webhooks/ghl`);

    const TOTAL = 240;
    const concurrency = Number(env.RELAY_CONCURRENCY);
    let backlogAtKill = 0;
    let inFlightAtKill = new Set<string>();
    let receivedBeforeKill = 0;
    for (let i = 0; i < TOTAL; i++) {
      sb.webhooks.emit('ContactCreate', sb.locationId, { id: `contact${String(i).padStart(4, '0')}` });
      await sleep(4);
      if (i === 120) {
        await sb.webhooks.flush();
        holding = true;
        await waitFor('every delivery slot of the relay held at the hook', () => held.length >= concurrency);
        const accepted = sb.webhooks.log.filter((e) => e.outcome === 'accepted').length;
        backlogAtKill = accepted - new Set(hooks.received.map((r) => r.body.webhookId)).size;
        inFlightAtKill = new Set(held.map((h) => h.id));
        await killed(child);
        receivedBeforeKill = hooks.received.length;
        holding = false;
        for (const h of held.splice(0)) h.release();
      }
      if (i === 160) child = await startRelayProcess(env);
    }
    await sb.webhooks.flush();

    const log = sb.webhooks.log;
    const accepted = log.filter((e) => e.outcome === 'accepted').map((e) => e.webhookId);
    const refused = log.filter((e) => e.outcome === 'failed');
    const received = () => new Set(hooks.received.map((r) => r.body.webhookId as string));
    await waitFor('every acknowledged webhook at the hook', () => accepted.every((id) => received().has(id)), 60_000);
    const afterRestart = () => new Set(hooks.received.slice(receivedBeforeKill).map((r) => r.body.webhookId as string));
    // On Postgres they come back when the dead relay's lease ends (2 × the delivery timeout + 5 s = 25 s).
    await waitFor(
      'the deliveries in flight at the kill again at the hook',
      () => [...inFlightAtKill].every((id) => afterRestart().has(id)),
      2 * Number(env.RELAY_DELIVERY_TIMEOUT_MS) + 5_000 + 60_000,
    );
    const emitted = new Set(log.map((e) => e.webhookId));
    const deliveredIds = hooks.received.map((r) => r.body.webhookId as string);
    const duplicates = deliveredIds.length - received().size;
    const before = new Set(deliveredIds.slice(0, receivedBeforeKill));
    const redelivered = deliveredIds.slice(receivedBeforeKill).filter((id) => before.has(id));
    const attempts = new Map<string, number[]>();
    for (const r of hooks.received) {
      const id = r.body.webhookId as string;
      attempts.set(id, [...(attempts.get(id) ?? []), Number(r.headers['x-relay-attempt'])]);
    }

    // The kill really hit a backlog: acknowledged events were still waiting for delivery.
    expect(backlogAtKill).toBeGreaterThan(20);
    // While the relay was down GHL's first attempts failed (GHL retries them: ghl-delivery.test.ts).
    expect(refused.length).toBeGreaterThan(0);
    expect(accepted.length + refused.length).toBe(TOTAL);
    expect(accepted.every((id) => received().has(id))).toBe(true);
    expect([...received()].every((id) => emitted.has(id))).toBe(true);
    // At least once: what arrives again after the restart is exactly what was in flight at the kill
    // (at most RELAY_CONCURRENCY deliveries).
    expect(inFlightAtKill.size).toBeGreaterThan(0);
    expect(inFlightAtKill.size).toBeLessThanOrEqual(concurrency);
    expect(new Set(redelivered)).toEqual(inFlightAtKill);
    // Any other repeat is the relay's own retry after a delivery timeout (a busy machine), never a
    // resend of a delivery it had completed: each arrival of an event carries a later attempt number.
    for (const [id, n] of attempts) expect([id, n]).toEqual([id, [...n].sort((a, b) => a - b).filter((a, k, all) => all.indexOf(a) === k)]);
    console.log(
      `kill -9 (${storeName}): ${accepted.length} acknowledged, ${backlogAtKill} undelivered at the kill, all delivered after restart; ` +
        `${duplicates} duplicate(s); ${refused.length} refused while down`,
    );
  }, 300_000);
});
