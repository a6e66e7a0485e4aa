/**
 * The relay's benchmark (`npx tsx bench/relay.ts`, also run by `npm run bench`): on this machine,
 * loopback only, the relay in its own process as deployed (`relay/main.ts`):
 *
 * 1. end-to-end latency, sandbox change (a POST /contacts/ answered by the sandbox) → the Zapier
 *    hook receiver, p50/p99/max at 50 and at 500 changes per second (open loop: changes are sent on
 *    schedule whether or not earlier ones arrived);
 * 2. how many events per second one relay takes in (GHL → stored → 200) and delivers, with
 *    SQLite synchronous=FULL (the default) and NORMAL side by side, and Postgres when
 *    RELAY_BENCH_DATABASE_URL is set;
 * 3. delivery after `kill -9`: a backlog of acknowledged events, the relay killed and restarted:
 *    events lost, delivered twice, and the time to drain after the restart.
 *
 * Writes bench/results/relay.md (and relay.json). Timings are reported, never asserted; the run
 * exits 1 only if an acknowledged event was lost. Options: --quick (smaller counts).
 */
import { type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startSandbox } from '../sandbox/server.js';
import { freePort, kill, preciseNow, quantile, ROOT, startProcess } from './processes.js';

const startRelayProcess = (env: Record<string, string>) => startProcess('relay/main.ts', { RELAY_QUIET: '1', ...env });

const quick = process.argv.includes('--quick');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const ms = (n: number) => (Number.isFinite(n) ? `${n.toFixed(1)} ms` : '–');

/** Zapier's side: one hook URL; records when each webhookId arrived (all arrivals, for duplicates). */
const receiver = async () => {
  const arrivals = new Map<string, number[]>();
  let delayMs = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = preciseNow();
      const id = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { webhookId: string }).webhookId;
      const list = arrivals.get(id) ?? [];
      list.push(at);
      arrivals.set(id, list);
      const answer = () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"success"}');
      if (delayMs) setTimeout(answer, delayMs);
      else answer();
    });
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/standard/1/bench`,
    arrivals,
    setDelay: (d: number) => {
      delayMs = d;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};

/** Changes are sent over at most 32 kept-alive connections, as a GHL user base would; a change is timed from when the sandbox handles it. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
const postJson = (url: string, body: unknown, headers: Record<string, string>) =>
  new Promise<number>((resolve, reject) => {
    const data = typeof body === 'string' ? body : JSON.stringify(body);
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(data)) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(data);
  });

const waitUntil = async (ok: () => boolean, timeoutMs: number) => {
  const until = Date.now() + timeoutMs;
  while (!ok() && Date.now() < until) await sleep(10);
  return ok();
};

async function main() {
  const started = Date.now();
  const loadBefore = os.loadavg()[0]!;
  const sandbox = await startSandbox({ seed: 'empty', rateLimit: false, webhooks: { retryBaseMs: 1000 } });
  const token = sandbox.issueTokens().access_token;
  const hooks = await receiver();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-bench-'));
  const children: ChildProcess[] = [];
  const relayEnv = (name: string, extra: Record<string, string> = {}) => ({
    RELAY_SQLITE_PATH: path.join(dir, `${name}.sqlite`),
    RELAY_GHL_API_BASE_URL: sandbox.url,
    RELAY_ALLOWED_TARGETS: 'http://127.0.0.1:*',
    RELAY_CONCURRENCY: '32',
    ...extra,
  });
  const launch = async (env: Record<string, string>) => {
    const port = await freePort();
    const child = await startRelayProcess({ ...env, RELAY_PORT: String(port) });
    children.push(child);
    return { child, url: `http://127.0.0.1:${port}`, env: { ...env, RELAY_PORT: String(port) } };
  };
  const subscribeAt = async (url: string) => {
    const res = await fetch(`${url}/subscriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ locationId: sandbox.locationId, event: 'ContactCreate', targetUrl: hooks.url }),
    });
    if (res.status !== 201) throw new Error(`subscribe failed: ${res.status} ${await res.text()}`);
  };
  const results: Record<string, unknown> = {};
  const lines: string[] = [];
  let lostAny = false;

  try {
    // ---- 1. End-to-end latency: a change in the sandbox → the hook receiver.
    const e2e = await launch(relayEnv('latency', { RELAY_GHL_PUBLIC_KEY: sandbox.webhooks.publicKey }));
    await subscribeAt(e2e.url);
    sandbox.webhooks.setUrl(`${e2e.url}/webhooks/ghl`);
    const latencyRows: Array<Record<string, unknown>> = [];
    let n = 0;
    for (const rate of [50, 500]) {
      const seconds = quick ? 2 : rate === 50 ? 10 : 6;
      const total = rate * seconds;
      sandbox.webhooks.log.length = 0;
      hooks.arrivals.clear();
      const t0 = preciseNow();
      const posts: Array<Promise<unknown>> = [];
      // Open loop, paced by the clock: whatever is due is sent now, so coarse timers do not lower the rate.
      for (let sent = 0; sent < total;) {
        const due = Math.min(total, Math.floor(((preciseNow() - t0) * rate) / 1000) + 1);
        for (; sent < due; sent++) {
          n += 1;
          posts.push(
            postJson(
              `${sandbox.url}/contacts/`,
              { locationId: sandbox.locationId, firstName: `Bench${n}`, email: `bench.${n}@example.com` },
              {
                authorization: `Bearer ${token}`,
                version: '2021-07-28',
              },
            ),
          );
        }
        await sleep(1);
      }
      await Promise.all(posts);
      await sandbox.webhooks.flush();
      const log = sandbox.webhooks.log;
      const accepted = log.filter((e) => e.outcome === 'accepted');
      await waitUntil(() => accepted.every((e) => hooks.arrivals.has(e.webhookId)), 60_000);
      const lat = accepted
        .map((e) => (hooks.arrivals.get(e.webhookId)?.[0] ?? NaN) - e.changedAt)
        .filter(Number.isFinite)
        .sort((a, b) => a - b);
      const lost = accepted.filter((e) => !hooks.arrivals.has(e.webhookId)).length;
      lostAny ||= lost > 0;
      const toAck = accepted.map((e) => (e.answeredAt ?? NaN) - e.changedAt).sort((a, b) => a - b);
      latencyRows.push({
        rate,
        ackP50: quantile(toAck, 0.5),
        // The rate the sandbox really made changes at (a saturated machine makes fewer than asked).
        achievedRate: Math.round(((log.length - 1) * 1000) / Math.max(1, log[log.length - 1]!.changedAt - log[0]!.changedAt)),
        events: log.length,
        accepted: accepted.length,
        p50: quantile(lat, 0.5),
        p99: quantile(lat, 0.99),
        max: lat[lat.length - 1],
        lost,
      });
    }
    results.latency = latencyRows;
    sandbox.webhooks.setUrl(undefined);
    await kill(e2e.child, 'SIGTERM');

    // ---- 2. Throughput of one relay: GHL (this process) posts signed events, 32 at a time.
    const benchKey = generateKeyPairSync('ed25519');
    const benchPublic = (benchKey.publicKey.export({ format: 'der', type: 'spki' }) as Buffer).toString('base64');
    const signedEvent = () => {
      const body = JSON.stringify({
        type: 'ContactCreate',
        locationId: sandbox.locationId,
        id: randomUUID().slice(0, 20),
        email: 'x@example.com',
        timestamp: new Date().toISOString(),
        webhookId: randomUUID(),
      });
      return { body, signature: sign(null, Buffer.from(body), benchKey.privateKey).toString('base64') };
    };
    const blast = async (url: string, count: number, inFlight = 32) => {
      const events = Array.from({ length: count }, signedEvent);
      let next = 0;
      let acked = 0;
      const ackedIds: string[] = [];
      const t0 = preciseNow();
      await Promise.all(
        Array.from({ length: inFlight }, async () => {
          while (next < events.length) {
            const e = events[next++]!;
            const status = await postJson(`${url}/webhooks/ghl`, e.body, { 'x-ghl-signature': e.signature }).catch(() => 0);
            if (status === 200) {
              acked += 1;
              ackedIds.push((JSON.parse(e.body) as { webhookId: string }).webhookId);
            }
          }
        }),
      );
      return { acked, ackedIds, ingestMs: preciseNow() - t0, t0 };
    };
    const variants: Array<[string, Record<string, string>]> = [
      ['SQLite, synchronous=FULL (default)', {}],
      ['SQLite, synchronous=NORMAL', { RELAY_SQLITE_SYNCHRONOUS: 'NORMAL' }],
    ];
    if (process.env.RELAY_BENCH_DATABASE_URL) variants.push(['Postgres', { RELAY_DATABASE_URL: process.env.RELAY_BENCH_DATABASE_URL }]);
    const throughputRows: Array<Record<string, unknown>> = [];
    const COUNT = quick ? 1000 : 4000;
    for (const [name, extra] of variants) {
      const r = await launch(relayEnv(name.replace(/\W+/g, '-'), { RELAY_GHL_PUBLIC_KEY: benchPublic, ...extra }));
      await subscribeAt(r.url);
      hooks.arrivals.clear();
      const b = await blast(r.url, COUNT);
      await waitUntil(() => b.ackedIds.every((id) => hooks.arrivals.has(id)), 120_000);
      const lastArrival = Math.max(...b.ackedIds.map((id) => hooks.arrivals.get(id)?.[0] ?? NaN));
      const lost = b.ackedIds.filter((id) => !hooks.arrivals.has(id)).length;
      lostAny ||= lost > 0;
      throughputRows.push({
        store: name,
        events: COUNT,
        acked: b.acked,
        ingestPerSecond: Math.round(b.acked / (b.ingestMs / 1000)),
        deliveredPerSecond: Math.round(b.acked / ((lastArrival - b.t0) / 1000)),
        lost,
      });
      await kill(r.child, 'SIGTERM');
    }
    results.throughput = throughputRows;

    // ---- 1b. The relay alone at the same rates: GHL's POST (pre-signed) → the hook receiver.
    const alone = await launch(relayEnv('alone', { RELAY_GHL_PUBLIC_KEY: benchPublic }));
    await subscribeAt(alone.url);
    const aloneRows: Array<Record<string, unknown>> = [];
    for (const rate of [50, 500]) {
      const total = rate * (quick ? 2 : rate === 50 ? 10 : 6);
      const events = Array.from({ length: total }, signedEvent);
      hooks.arrivals.clear();
      const sentAt = new Map<string, number>();
      const acks: Array<Promise<number>> = [];
      const t0 = preciseNow();
      for (let sent = 0; sent < total;) {
        const due = Math.min(total, Math.floor(((preciseNow() - t0) * rate) / 1000) + 1);
        for (; sent < due; sent++) {
          const e = events[sent]!;
          sentAt.set((JSON.parse(e.body) as { webhookId: string }).webhookId, preciseNow());
          acks.push(postJson(`${alone.url}/webhooks/ghl`, e.body, { 'x-ghl-signature': e.signature }).catch(() => 0));
        }
        await sleep(1);
      }
      const statuses = await Promise.all(acks);
      const span = Math.max(...sentAt.values()) - Math.min(...sentAt.values());
      const ids = [...sentAt.keys()];
      await waitUntil(() => ids.every((id) => hooks.arrivals.has(id)), 60_000);
      const lat = ids
        .map((id) => (hooks.arrivals.get(id)?.[0] ?? NaN) - sentAt.get(id)!)
        .filter(Number.isFinite)
        .sort((a, b) => a - b);
      const lost = ids.filter((id, i) => statuses[i] === 200 && !hooks.arrivals.has(id)).length;
      lostAny ||= lost > 0;
      const other = statuses.filter((st) => st !== 200);
      if (other.length)
        console.log(
          `relay alone at ${rate}/s: ${other.length} answer(s) other than 200: ${[...new Set(other)].join(', ')} (0 = connection error)`,
        );
      aloneRows.push({
        rate,
        otherAnswers: other,
        achievedRate: Math.round(((total - 1) * 1000) / Math.max(1, span)),
        events: total,
        accepted: statuses.filter((st) => st === 200).length,
        p50: quantile(lat, 0.5),
        p99: quantile(lat, 0.99),
        max: lat[lat.length - 1],
        lost,
      });
    }
    results.relayLatency = aloneRows;
    await kill(alone.child, 'SIGTERM');

    // ---- 3. kill -9 with a backlog, restart, drain.
    hooks.setDelay(5); // a slower Zapier, so that acknowledged events wait in the relay
    const crash = await launch(relayEnv('crash', { RELAY_GHL_PUBLIC_KEY: benchPublic, RELAY_CONCURRENCY: '4' }));
    await subscribeAt(crash.url);
    hooks.arrivals.clear();
    const CRASH_COUNT = quick ? 500 : 2000;
    const b = await blast(crash.url, CRASH_COUNT);
    const deliveredBeforeKill = b.ackedIds.filter((id) => hooks.arrivals.has(id)).length;
    await kill(crash.child, 'SIGKILL');
    const restartAt = preciseNow();
    const again = await startRelayProcess(crash.env);
    children.push(again);
    const upAt = preciseNow();
    hooks.setDelay(0);
    await waitUntil(() => b.ackedIds.every((id) => hooks.arrivals.has(id)), 120_000);
    const drainedAt = Math.max(...b.ackedIds.map((id) => Math.max(...(hooks.arrivals.get(id) ?? [NaN]))));
    const lost = b.ackedIds.filter((id) => !hooks.arrivals.has(id)).length;
    const duplicates = b.ackedIds.reduce((s, id) => s + Math.max(0, (hooks.arrivals.get(id)?.length ?? 0) - 1), 0);
    lostAny ||= lost > 0;
    results.crash = {
      acked: b.acked,
      backlogAtKill: b.acked - deliveredBeforeKill,
      lost,
      duplicates,
      restartMs: upAt - restartAt,
      drainMs: drainedAt - upAt,
    };
    await kill(again, 'SIGTERM');

    // ---- Report
    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    lines.push(
      `# Relay benchmark`,
      '',
      `${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${cpu}, Node ${process.version}, ${Math.round((Date.now() - started) / 1000)} s${quick ? ' (--quick)' : ''}, ` +
        `load average ${loadBefore.toFixed(1)} before and ${os.loadavg()[0]!.toFixed(1)} after (other work shares the cores). ` +
        'Loopback only; the relay runs in its own process (`relay/main.ts`), the sandbox and the hook receiver in the benchmark process. ' +
        'Timings on a shared machine: compare rows of one run, not runs.',
      '',
      '## End-to-end latency: sandbox change → Zapier hook receiver',
      '',
      'A change = `POST /contacts/` answered by the sandbox; measured from the change to the hook receiving it (sandbox webhook → relay: verify, store, 200 → delivery).',
      '',
      '| changes/s asked | achieved | events | acknowledged | p50 | p99 | max | lost | p50 until the relay’s 200 |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...latencyRows.map(
        (r) =>
          `| ${String(r.rate)} | ${String(r.achievedRate)} | ${String(r.events)} | ${String(r.accepted)} | ${ms(r.p50 as number)} | ${ms(r.p99 as number)} | ${ms(r.max as number)} | ${String(r.lost)} | ${ms(r.ackP50 as number)} |`,
      ),
      '',
      'The relay alone at the same rates (this process posts pre-signed webhooks on schedule, as GHL would; from the POST to the hook receiving it):',
      '',
      '| webhooks/s asked | achieved | events | acknowledged | p50 | p99 | max | lost |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
      ...aloneRows.map(
        (r) =>
          `| ${String(r.rate)} | ${String(r.achievedRate)} | ${String(r.events)} | ${String(r.accepted)} | ${ms(r.p50 as number)} | ${ms(r.p99 as number)} | ${ms(r.max as number)} | ${String(r.lost)} |`,
      ),
      '',
      '## Events per second one relay sustains',
      '',
      `${COUNT} signed ContactCreate webhooks posted 32 at a time; one subscription; the hook answers at once. Ingest = acknowledged (stored) per second; delivered = until the last one reached the hook.`,
      '',
      '| store | events | acknowledged | ingest events/s | delivered events/s | lost |',
      '| --- | --- | --- | --- | --- | --- |',
      ...throughputRows.map(
        (r) =>
          `| ${String(r.store)} | ${String(r.events)} | ${String(r.acked)} | ${String(r.ingestPerSecond)} | ${String(r.deliveredPerSecond)} | ${String(r.lost)} |`,
      ),
      process.env.RELAY_BENCH_DATABASE_URL ? '' : '\nPostgres: not measured in this run (set RELAY_BENCH_DATABASE_URL).',
      '',
      '## Delivery after kill -9',
      '',
      `${CRASH_COUNT} webhooks acknowledged while the hook answered in 5 ms with 4 deliveries at a time, then SIGKILL and a restart on the same SQLite file.`,
      '',
      '| acknowledged | undelivered at the kill | lost | delivered twice | restart (process start) | drain after restart |',
      '| --- | --- | --- | --- | --- | --- |',
      (() => {
        const c = results.crash as Record<string, number>;
        return `| ${c.acked} | ${c.backlogAtKill} | ${c.lost} | ${c.duplicates} | ${ms(c.restartMs!)} | ${ms(c.drainMs!)} |`;
      })(),
      '',
    );
    fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
    fs.writeFileSync(path.join(ROOT, 'bench', 'results', 'relay.md'), lines.join('\n'));
    fs.writeFileSync(path.join(ROOT, 'bench', 'results', 'relay.json'), `${JSON.stringify(results, null, 2)}\n`);
    console.log(lines.join('\n'));
  } finally {
    for (const c of children) await kill(c);
    agent.destroy();
    await hooks.close();
    await sandbox.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  process.exitCode = lostAny ? 1 : 0;
}

await main();
