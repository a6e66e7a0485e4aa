/**
 * `npm run bench:pg`: the relay on Postgres beside graphile-worker doing the same job on the same
 * database in one run (bench/graphile-relay.ts: signature check, one durable insert before the
 * 200, a POST to the same 127.0.0.1 receiver, 32 in flight), and two relays on one database
 * against one, twice: CPU-bound (the receiver answers at once) and I/O-bound (the receiver answers
 * after SLOW_MS, like a Zapier hook, so one relay is held by its RELAY_CONCURRENCY, not by the CPU).
 * Loopback only; request loops are bounded. Writes bench/results/pg.md (and .json).
 *
 * Postgres: RELAY_BENCH_DATABASE_URL, else a throwaway one from relay/ci-postgres.sh (stopped at
 * the end). Options: --quick (smaller counts), --io-only (the I/O-bound scale-out rows alone),
 * --io-concurrency=N (each relay's RELAY_CONCURRENCY there, default 8), --relay-only (the one-relay
 * CPU-bound row alone, printed and not written: for profiling, or comparing two checkouts'
 * relays back to back). Timings are reported, never asserted.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort, preciseNow, quantile, ROOT, startProcess } from './processes.js';

const quick = process.argv.includes('--quick');
const COUNT = quick ? 1500 : 4000;
const RATE = 200;
const RATE_SECONDS = quick ? 5 : 10;
const IN_FLIGHT = 32;
/** The I/O-bound scale-out: the receiver's answer time and each relay's concurrency (so one relay tops out at IO_CONCURRENCY / SLOW_MS). */
const SLOW_MS = 100;
const ioOnly = process.argv.includes('--io-only');
const relayOnly = process.argv.includes('--relay-only');
const IO_CONCURRENCY = Number(/^--io-concurrency=(\d+)$/.exec(process.argv.find((a) => a.startsWith('--io-concurrency=')) ?? '')?.[1] ?? 8);
const IO_COUNT = quick ? 800 : 1600;
/** Open-loop rates for the I/O-bound rows: under one relay's ceiling, and between one's and two's. */
const IO_RATES = [Math.round((IO_CONCURRENCY * 1000 * 0.75) / SLOW_MS), Math.round((IO_CONCURRENCY * 1000 * 1.5) / SLOW_MS)];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const children: ChildProcess[] = [];
const startChild = async (script: string, env: Record<string, string>): Promise<ChildProcess> => {
  const child = await startProcess(script, { RELAY_QUIET: '1', ...env }, 90_000);
  children.push(child);
  return child;
};
const stopChild = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    child.kill('SIGTERM');
  });

/** The receiver (Zapier's side): when each webhookId first arrived, and how many arrived again. Under /hooks/slow/ it answers after SLOW_MS. */
const arrivals = new Map<string, number>();
let duplicates = 0;
const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const id = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { webhookId: string }).webhookId;
    if (arrivals.has(id)) duplicates += 1;
    else arrivals.set(id, preciseNow());
    const answer = () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"success"}');
    if (req.url?.startsWith('/hooks/slow/')) setTimeout(answer, SLOW_MS);
    else answer();
  });
});
receiver.keepAliveTimeout = 65_000;

const key = generateKeyPairSync('ed25519');
const publicKey = (key.publicKey.export({ format: 'der', type: 'spki' }) as Buffer).toString('base64');
const LOCATION = 'benchLocation0000001';
const signed = () => {
  const body = JSON.stringify({
    type: 'ContactCreate',
    locationId: LOCATION,
    id: randomUUID().slice(0, 20),
    email: 'x@example.com',
    timestamp: new Date().toISOString(),
    webhookId: randomUUID(),
  });
  return {
    id: (JSON.parse(body) as { webhookId: string }).webhookId,
    body,
    signature: sign(null, Buffer.from(body), key.privateKey).toString('base64'),
  };
};

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const post = (url: string, e: ReturnType<typeof signed>) =>
  new Promise<number>((resolve) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(e.body)),
          'x-ghl-signature': e.signature,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(e.body);
  });

const waitDelivered = async (ids: string[], timeoutMs = 180_000) => {
  const until = Date.now() + timeoutMs;
  while (ids.some((id) => !arrivals.has(id)) && Date.now() < until) await sleep(20);
  return ids.filter((id) => !arrivals.has(id)).length;
};

/** Closed loop: `count` webhooks, 32 in flight, spread over the given URLs; delivered/s until the last arrival. */
const throughput = async (urls: string[], count: number) => {
  const events = Array.from({ length: count }, signed);
  let next = 0;
  const acked: string[] = [];
  const t0 = preciseNow();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async (_, worker) => {
      while (next < events.length) {
        const e = events[next++]!;
        // A webhook refused (429) is sent again, as GHL would, so every one is eventually stored.
        for (let tries = 0; tries < 50; tries++) {
          if ((await post(urls[worker % urls.length]!, e)) === 200) {
            acked.push(e.id);
            break;
          }
          await sleep(20);
        }
      }
    }),
  );
  const ingestMs = preciseNow() - t0;
  const lost = await waitDelivered(acked);
  const last = Math.max(...acked.map((id) => arrivals.get(id) ?? 0));
  return {
    acked: acked.length,
    lost,
    ingestPerSecond: acked.length / (ingestMs / 1000),
    deliveredPerSecond: acked.length / ((last - t0) / 1000),
  };
};

/** Open loop at `rate`/s for `seconds`, spread over the URLs: from each POST to its arrival at the receiver. */
const latency = async (urls: string[], rate: number, seconds: number) => {
  const total = rate * seconds;
  const events = Array.from({ length: total }, signed);
  const sentAt = new Map<string, number>();
  const ackMs: number[] = [];
  const acks: Array<Promise<number>> = [];
  const t0 = preciseNow();
  for (let sent = 0; sent < total;) {
    const due = Math.min(total, Math.floor(((preciseNow() - t0) * rate) / 1000) + 1);
    for (; sent < due; sent++) {
      const e = events[sent]!;
      const at = preciseNow();
      sentAt.set(e.id, at);
      acks.push(
        post(urls[sent % urls.length]!, e).then((status) => {
          ackMs.push(preciseNow() - at);
          return status;
        }),
      );
    }
    await sleep(1);
  }
  const statuses = await Promise.all(acks);
  const ids = events.filter((_, i) => statuses[i] === 200).map((e) => e.id);
  const lost = await waitDelivered(ids);
  const lat = ids
    .map((id) => arrivals.get(id)! - sentAt.get(id)!)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  return {
    rate,
    accepted: ids.length,
    refused: total - ids.length,
    lost,
    p50: quantile(lat, 0.5),
    p99: quantile(lat, 0.99),
    /** From each POST to its 200 (the ingest part of the latency). */
    ackP99: quantile(
      ackMs.sort((a, b) => a - b),
      0.99,
    ),
    max: lat[lat.length - 1] ?? NaN,
  };
};

async function main() {
  const started = Date.now();
  const loadBefore = os.loadavg()[0]!;
  let url = process.env.RELAY_BENCH_DATABASE_URL;
  let ownPostgres = false;
  if (!url) {
    url = execFileSync('bash', [path.join(ROOT, 'relay/ci-postgres.sh'), 'start', '--install'], {
      encoding: 'utf8',
      env: { ...process.env, RELAY_CI_PG_NAME: 'bench' },
    }).trim();
    ownPostgres = true;
  }
  const admin = new pg.Client(url);
  await admin.connect();
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
  const target = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/standard/1/bench`;
  const slowTarget = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/slow/1/bench`;
  const rows: Array<Record<string, unknown>> = [];
  const inSchema = (schema: string) => {
    const u = new URL(url!);
    u.searchParams.set('options', `-c search_path=${schema}`);
    return u.toString();
  };

  const relays = async (n: number, schema: string, io = false) => {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
    const urls: string[] = [];
    for (let i = 0; i < n; i++) {
      const port = await freePort();
      await startChild('relay/main.ts', {
        RELAY_PORT: String(port),
        RELAY_DATABASE_URL: inSchema(schema),
        RELAY_GHL_PUBLIC_KEY: publicKey,
        RELAY_ALLOWED_TARGETS: 'http://127.0.0.1:*',
        RELAY_CONCURRENCY: String(io ? IO_CONCURRENCY : 32),
        RELAY_MAX_PENDING_PER_LOCATION: '1000000',
        RELAY_TARGET_RATE_PER_SECOND: '0',
      });
      urls.push(`http://127.0.0.1:${port}/webhooks/ghl`);
    }
    await admin.query(
      `INSERT INTO ${schema}.relay_subscriptions (id, location_id, event, target_url, created_at) VALUES ('bench', $1, 'ContactCreate', $2, 0)`,
      [LOCATION, io ? slowTarget : target],
    );
    return urls;
  };
  const graphile = async (mode: 'default' | 'local-queue') => {
    await admin.query(`DROP SCHEMA IF EXISTS graphile_worker CASCADE`);
    const port = await freePort();
    await startChild('bench/graphile-relay.ts', {
      GW_DATABASE_URL: url!,
      GW_PORT: String(port),
      GW_TARGET: target,
      GW_PUBLIC_KEY: publicKey,
      GW_MODE: mode,
    });
    return `http://127.0.0.1:${port}/webhooks/ghl`;
  };
  /** One row: load average when it started, throughput, then (when asked) open-loop latency at each rate. */
  const measure = async (name: string, urls: string[], opts: { count?: number; rates?: number[] } = {}) => {
    const load = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    const dupBefore = duplicates;
    await throughput(urls, 200); // warm-up: connections, plans, JIT
    const t = await throughput(urls, opts.count ?? COUNT);
    const lat = [];
    for (const rate of opts.rates ?? []) lat.push(await latency(urls, rate, RATE_SECONDS));
    // Arrivals of one id after the first, counted once every delivery of the row is in.
    const row = {
      name,
      load,
      ...t,
      duplicated: duplicates - dupBefore,
      ...(lat[0] ? { latency: lat[0] } : {}),
      ...(lat[1] ? { latency2: lat[1] } : {}),
    };
    rows.push(row);
    console.log(JSON.stringify(row));
    for (const c of children.splice(0)) await stopChild(c);
    return row;
  };

  try {
    const f = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : '–');
    type Lat = { rate: number; p50: number; p99: number; ackP99: number; max: number };
    const cell = (l: Lat | undefined) => (l ? `${f(l.p50, 1)} / ${f(l.p99, 1)} ms (200 p99 ${f(l.ackP99, 1)} ms)` : '–');
    const table = (rs: Array<Record<string, unknown>>) => [
      '| system | load average | acknowledged | ingest/s | delivered/s | p50 / p99 (open loop) | max | lost | duplicated |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...rs.map((r) => {
        const ls = [r.latency, r.latency2].filter(Boolean) as Lat[];
        const lat = ls.length ? ls.map((l) => `at ${l.rate}/s: ${cell(l)}`).join('; ') : '–';
        const max = ls.length ? ls.map((l) => `${f(l.max, 1)} ms`).join('; ') : '–';
        return `| ${String(r.name)} | ${String(r.load)} | ${String(r.acked)} | ${f(r.ingestPerSecond as number)} | ${f(r.deliveredPerSecond as number)} | ${lat} | ${max} | ${String(r.lost)} | ${String(r.duplicated)} |`;
      }),
    ];
    const ratio = (a: Record<string, unknown>, b: Record<string, unknown>) =>
      f((a.deliveredPerSecond as number) / (b.deliveredPerSecond as number), 2);
    const p99 = (r: Record<string, unknown>) => (r.latency as Lat).p99;
    const lines = [
      '# Relay on Postgres beside graphile-worker',
      '',
      `${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, Postgres ${(await admin.query('SHOW server_version')).rows[0].server_version}${quick ? ' (--quick)' : ''}, load average (1, 5, 15 min) at the start of each row in the tables (other work shares the cores: compare rows of one run).`,
      '',
    ];
    if (relayOnly) {
      await measure('relay, 1 process', await relays(1, 'bench_relay1'), { rates: [RATE] });
      return;
    }
    if (!ioOnly) {
      const relay1 = await measure('relay, 1 process', await relays(1, 'bench_relay1'), { rates: [RATE] });
      const gwDefault = await measure('graphile-worker 0.18.0, default', [await graphile('default')], { rates: [RATE] });
      const gwLocal = await measure('graphile-worker 0.18.0, localQueue 64 + batched completion', [await graphile('local-queue')], {
        rates: [RATE],
      });
      const relay2 = await measure('relay, 2 processes on one Postgres', await relays(2, 'bench_relay2'));
      lines.push(
        '## CPU-bound: beside graphile-worker, and two relays against one',
        '',
        `Same job for each: a signed ContactCreate POSTed to the process, Ed25519 signature checked, one durable insert before the 200, then a POST to one 127.0.0.1 receiver answering 200 at once; ${IN_FLIGHT} webhooks in flight and 32 deliveries at a time. Throughput: ${COUNT} webhooks (after 200 for warm-up), delivered/s until the last arrival. Latency: open loop at ${RATE}/s for ${RATE_SECONDS} s, from each POST to its arrival (in brackets: from each POST to its 200, the ingest part).`,
        '',
        ...table([relay1, gwDefault, gwLocal, relay2]),
        '',
        '| ratio | goal | measured |',
        '| --- | --- | --- |',
        `| relay delivered/s ÷ graphile-worker default | ≥ 1.5 | ${ratio(relay1, gwDefault)} |`,
        `| relay delivered/s ÷ graphile-worker localQueue | ≥ 1.5 | ${ratio(relay1, gwLocal)} |`,
        `| relay p99 at ${RATE}/s − graphile-worker default p99 | ≤ 0 ms | ${f(p99(relay1) - p99(gwDefault), 1)} ms |`,
        `| relay p99 at ${RATE}/s − graphile-worker localQueue p99 | ≤ 0 ms | ${f(p99(relay1) - p99(gwLocal), 1)} ms |`,
        `| two relays ÷ one, delivered/s (CPU-bound: both share the same cores) | ≥ 1.6 | ${ratio(relay2, relay1)} |`,
        '',
      );
    }
    const io1 = await measure(`relay, 1 process, RELAY_CONCURRENCY ${IO_CONCURRENCY}`, await relays(1, 'bench_io1', true), {
      count: IO_COUNT,
      rates: IO_RATES,
    });
    const io2 = await measure(
      `relay, 2 processes on one Postgres, RELAY_CONCURRENCY ${IO_CONCURRENCY} each`,
      await relays(2, 'bench_io2', true),
      {
        count: IO_COUNT,
        rates: IO_RATES,
      },
    );
    lines.push(
      '## I/O-bound scale-out: two relays against one',
      '',
      `As in production, where a delivery waits for Zapier: the receiver answers each POST after ${SLOW_MS} ms, and each relay sends at most RELAY_CONCURRENCY=${IO_CONCURRENCY} at a time, so one relay tops out near ${Math.round((IO_CONCURRENCY * 1000) / SLOW_MS)}/s whatever the CPU (production's 32 would top out near ${Math.round((32 * 1000) / SLOW_MS)}/s, more than this machine's CPU allows, hence the smaller concurrency). Throughput: ${IO_COUNT} webhooks (after 200 for warm-up), ${IN_FLIGHT} in flight spread over the relays, delivered/s until the last arrival. Latency: open loop at ${IO_RATES.join(' and ')}/s for ${RATE_SECONDS} s (under one relay's ceiling, and between one's and two's), spread over the relays, from each POST to its arrival.`,
      '',
      ...table([io1, io2]),
      '',
      '| ratio | goal | measured |',
      '| --- | --- | --- |',
      `| two relays ÷ one, delivered/s (I/O-bound) | ≥ 1.6 | ${ratio(io2, io1)} |`,
      '',
    );
    lines.push(
      `Run took ${Math.round((Date.now() - started) / 1000)} s; load average ${loadBefore.toFixed(1)} before and ${os.loadavg()[0]!.toFixed(1)} after.`,
      '',
    );
    fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
    fs.writeFileSync(path.join(ROOT, 'bench', 'results', 'pg.md'), lines.join('\n'));
    fs.writeFileSync(path.join(ROOT, 'bench', 'results', 'pg.json'), `${JSON.stringify(rows, null, 2)}\n`);
    console.log(lines.join('\n'));
  } finally {
    for (const c of children) await stopChild(c);
    agent.destroy();
    receiver.close();
    receiver.closeAllConnections();
    await admin.end();
    if (ownPostgres)
      execFileSync('bash', [path.join(ROOT, 'relay/ci-postgres.sh'), 'stop'], { env: { ...process.env, RELAY_CI_PG_NAME: 'bench' } });
  }
}

await main();
