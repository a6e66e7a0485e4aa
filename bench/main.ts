/**
 * `npm run bench`: how many requests and round trips each operation costs, what a poll costs on a
 * small and a large location, how long the app takes to load cold, and how big its bundle is —
 * each beside its goal. Prints the tables and writes bench/results/latest.{json,md}.
 *
 * Exits non-zero only when a request-count goal (tables 1 and 2) is missed: those counts are
 * deterministic. Timings and ratios are reported, never asserted.
 *
 * Options: --runs N (default 5), --cold-runs N (default 15), --skip-build (reuse dist/ and
 * build/build.zip), --strict (operations over their floor by an accepted design choice fail too),
 * --skip-relay (leave out table 6, the webhook relay's latency and throughput, ~2 minutes, and table 8,
 * Ecwid webhooks through the relay to GHL, ~2 minutes).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BundleResults } from './bundle.js';
import type { ColdStartResults } from './coldstart.js';
import type { Goal, Results } from './report.js';
import type { RequestResults } from './requests.js';

// Before zapier-platform-core loads (it is imported dynamically below): silences its per-call
// memory log line and makes its output checks strict, as in the tests.
process.env.NODE_ENV ??= 'test';
process.env.DISABLE_ZAPIER_ANALYTICS = '1';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LATENCY_MS = 50;
const SIZES: [number, number] = [100, 10_000];

const args = process.argv.slice(2);
const numArg = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : dflt;
  return Number.isInteger(v) && v > 0 ? v : dflt;
};
const runs = numArg('--runs', 5);
const coldRuns = numArg('--cold-runs', 15);
const pollRuns = runs + 6;
const skipBuild = args.includes('--skip-build');
const strict = args.includes('--strict');

const started = performance.now();
const log = (line: string) => console.log(line);
const elapsed = () => `${Math.round((performance.now() - started) / 1000)} s`;
const errors: Record<string, string> = {};

// PATH with node_modules/.bin first, so child processes get Node 22 and the Zapier CLI.
const env = { ...process.env, PATH: `${path.join(ROOT, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH ?? ''}`, CI: 'true' };

// ---- build (tables 3 and 4 need dist/ and build/build.zip)
let built = true;
if (!skipBuild) {
  log(`Building: npm run zip (tsc + zapier-platform build) …`);
  const res = spawnSync('npm', ['run', '--silent', 'zip'], { cwd: ROOT, env, encoding: 'utf8' });
  if (res.status !== 0) {
    built = false;
    const msg = `npm run zip failed (exit ${res.status}): ${`${res.stdout}\n${res.stderr}`.trim().split('\n').slice(-15).join('\n')}`;
    errors['Cold start and bundle (tables 3 and 4)'] = msg;
    log(msg);
  } else log(`  built (${elapsed()})`);
}

let coldStart: ColdStartResults | undefined;
let bundle: BundleResults | undefined;
if (built) {
  log(`Table 3: cold start (${coldRuns} fresh processes each) …`);
  try {
    const { runColdStart } = await import('./coldstart.js');
    coldStart = runColdStart(ROOT, coldRuns, log);
  } catch (e) {
    errors['Cold start (table 3)'] = (e as Error).message;
    log(`  failed: ${(e as Error).message}`);
  }
  log(`Table 4: bundle (building the core-only app for comparison) … (${elapsed()})`);
  try {
    const { runBundle } = await import('./bundle.js');
    bundle = runBundle(ROOT, env, log);
  } catch (e) {
    errors['Bundle (table 4)'] = (e as Error).message;
    log(`  failed: ${(e as Error).message}`);
  }
}

log(`(${elapsed()})`);
let requests: RequestResults | undefined;
try {
  const { runRequestBenchmarks } = await import('./requests.js');
  requests = await runRequestBenchmarks({
    latencyMs: LATENCY_MS,
    runs,
    pollRuns,
    sizes: SIZES,
    log: (line) => log(line.startsWith('Table') ? `${line} (${elapsed()})` : line),
  });
} catch (e) {
  errors['Requests (tables 1, 2 and 5)'] = (e as Error).stack ?? (e as Error).message;
  log(`  failed: ${(e as Error).stack}`);
}

// ---- goals
const goals: Goal[] = [];
if (requests) {
  const ops = requests.operations;
  const over = ops.filter((o) => o.status !== 'met');
  const failing = ops.filter(
    (o) => o.status === 'missed' || o.status === 'error' || o.status === 'not covered' || (strict && o.status === 'accepted'),
  );
  const worst = Math.max(...ops.filter((o) => Number.isFinite(o.ratio)).map((o) => o.ratio));
  goals.push({
    id: 1,
    measure: 'Round trips (and requests) per operation, measured/floor',
    goal: '≤ 1.1 everywhere',
    result: `${ops.length - over.length} of ${ops.length} rows at their floor; worst ${worst.toFixed(2)}`,
    met: over.length === 0,
    gating: failing.length > 0,
    ...(over.length
      ? {
          why: `over the floor: ${over.map((o) => `${o.label} (${o.case}) ${o.requests} req / ${o.roundTrips} RT vs ${o.floor.requests} / ${o.floor.roundTrips}${o.status === 'accepted' ? ', accepted design choice' : `, ${o.status.toUpperCase()}`}`).join('; ')}.${failing.length ? ' Failing the benchmark.' : ' None exceeds its accepted count, so the benchmark passes (use --strict to fail on these too).'}`,
        }
      : {}),
  });
  const polls = requests.polls;
  const pollMissed = polls.filter((p) => p.status !== 'met');
  const notFlat = polls.filter((p) => !p.timeFlat);
  const maxTime = Math.max(...polls.map((p) => p.timeRatio).filter(Number.isFinite));
  const maxAppDelta = Math.max(...polls.map((p) => (p.sizes[1]?.appMs ?? 0) - (p.sizes[0]?.appMs ?? 0)));
  const whyPoll: string[] = [];
  if (pollMissed.length) whyPoll.push(`more than one request per poll: ${pollMissed.map((p) => `${p.label} (${p.case})`).join(', ')}.`);
  if (notFlat.length)
    whyPoll.push(`the app's own time per poll grows with the location for ${notFlat.map((p) => `${p.label} (${p.case})`).join(', ')}.`);
  whyPoll.push(
    `Time flat is judged on the app's own time per poll (wall time minus the time the request spent in the sandbox, latency included): at most ×1.25 or 5 ms more, scaled by the items returned where the small location cannot fill a 100-item page; wall time grows up to ×${maxTime.toFixed(2)} because the sandbox's in-memory search over all contacts takes longer (sandbox ms column), which is GHL's side in production.`,
  );
  goals.push({
    id: 2,
    measure: `Requests per poll at ${SIZES.map((s) => s.toLocaleString('en-US')).join(' and ')} contacts; time large/small`,
    goal: '1 request per poll at both sizes; time flat',
    result: `${polls.length - pollMissed.length} of ${polls.length} triggers at 1 request at both sizes; app time flat for ${polls.length - notFlat.length} of ${polls.length} (largest change ${maxAppDelta >= 0 ? '+' : ''}${maxAppDelta.toFixed(0)} ms); wall time ratio ≤ ${maxTime.toFixed(2)}`,
    met: pollMissed.length === 0 && notFlat.length === 0,
    gating: pollMissed.length > 0,
    why: whyPoll.join(' '),
  });
}
if (coldStart) {
  const { ratio } = coldStart;
  goals.push({
    id: 3,
    measure: 'Cold start: time to loaded and RSS, built app / bare zapier-platform-core',
    goal: '≤ 1.15',
    result: `time ${ratio.loaded.toFixed(2)} (import alone ${ratio.import.toFixed(2)}), RSS ${ratio.rss.toFixed(2)}; ${coldStart.app.loadedMs} vs ${coldStart.core.loadedMs} ms`,
    met: ratio.loaded <= 1.15 && ratio.rss <= 1.15,
    gating: false,
    why: `the app loads ${Math.round(coldStart.app.loadedMs - coldStart.core.loadedMs)} ms after bare core; core + luxon alone takes ${Math.round(coldStart.coreLuxon.loadedMs - coldStart.core.loadedMs)} ms of that, the app's own code the rest. Cold-start timings on a busy machine vary by several percent between runs.`,
  });
}
if (bundle) {
  const { ratio } = bundle;
  goals.push({
    id: 4,
    measure: 'Bundle: build.zip size and files, app / core-only app',
    goal: '≤ 1.1',
    result: `size ${ratio.bytes.toFixed(2)}, files ${ratio.files.toFixed(2)}; ${bundle.app.bytes.toLocaleString('en-US')} vs ${bundle.core.bytes.toLocaleString('en-US')} bytes, ${bundle.app.files} vs ${bundle.core.files} files; ${bundle.app.devOnly.files} dev-only entries`,
    met: ratio.bytes <= 1.1 && ratio.files <= 1.1 && bundle.app.devOnly.files === 0,
    gating: false,
    ...(bundle.app.devOnly.files
      ? {
          why: `build.zip carries ${bundle.app.devOnly.files} entries (${bundle.app.devOnly.packageJsonFiles} package.json files, ${Math.round(bundle.app.devOnly.bytes / 1024)} KB) from packages a production install does not have.`,
        }
      : {}),
  });
}
if (requests) {
  const large = requests.large;
  const over = large.filter((l) => (l.error ? !/every page/.test(l.what) : l.requests > l.expected.requests));
  goals.push({
    id: 5,
    measure: `Dropdowns and searches on ${requests.largeLocation.contacts.toLocaleString('en-US')} contacts`,
    goal: 'one request per dropdown page or search (4 together for a profile)',
    result: over.length ? `${over.length} over: ${over.map((l) => l.what).join(', ')}` : `all ${large.length} as expected`,
    met: over.length === 0,
    gating: false,
  });
}

let failed = goals.some((g) => g.gating) || Boolean(errors['Requests (tables 1, 2 and 5)']);
const cpu = os.cpus();
const { renderMarkdown, withGoalsTable } = await import('./report.js');
const results: Results = {
  generatedAt: new Date().toISOString(),
  environment: {
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpus: cpu.length,
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
  },
  settings: {
    latencyMs: LATENCY_MS,
    runs,
    pollRuns,
    coldStartRuns: coldRuns,
    sizes: SIZES,
    rateLimit: 'off (counts are compared with GHL’s 100 requests / 10 s instead)',
  },
  durationSeconds: Math.round((performance.now() - started) / 100) / 10,
  ...(requests ? { requests } : {}),
  ...(coldStart ? { coldStart } : {}),
  ...(bundle ? { bundle } : {}),
  errors,
  goals,
  failed,
};
// Table 6: the webhook relay of the instant triggers (relay/bench.ts, its own process: it starts a
// relay process, a sandbox and a hook receiver; ~2 minutes). Its tables are copied into latest.md.
let relayMd = '';
if (!args.includes('--skip-relay')) {
  log(`Table 6: webhook relay (relay/bench.ts) … (${elapsed()})`);
  const relay = spawnSync(process.execPath, ['--disable-warning=ExperimentalWarning', '--import', 'tsx', 'relay/bench.ts'], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
  });
  const relayPath = path.join(ROOT, 'bench', 'results', 'relay.md');
  if (relay.status === 0 && fs.existsSync(relayPath)) {
    relayMd = fs
      .readFileSync(relayPath, 'utf8')
      .replace(/^# Relay benchmark\n/, '')
      .replace(/^## /gm, '### ');
  } else
    errors['Webhook relay (table 6)'] =
      `relay/bench.ts failed (exit ${relay.status}): ${`${relay.stdout}\n${relay.stderr}`.trim().split('\n').slice(-10).join('\n')}`;
}
// Table 8: flows 2 and 3's instant path, Ecwid change → GHL write done through the relay, and no
// loss across a relay kill -9 and a 2-hour outage (bench/ecwid-instant.ts, its own process, ~2 minutes).
let ecwidInstantMd = '';
if (!args.includes('--skip-relay')) {
  log(`Table 8: Ecwid webhooks → relay → GHL (bench/ecwid-instant.ts) … (${elapsed()})`);
  const run = spawnSync(process.execPath, ['--disable-warning=ExperimentalWarning', '--import', 'tsx', 'bench/ecwid-instant.ts'], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
  });
  const mdPath = path.join(ROOT, 'bench', 'results', 'ecwid-instant.md');
  if (run.status === 0 && fs.existsSync(mdPath)) ecwidInstantMd = fs.readFileSync(mdPath, 'utf8');
  else
    errors['Ecwid instant (table 8)'] =
      `bench/ecwid-instant.ts failed (exit ${run.status}): ${`${run.stdout}\n${run.stderr}`.trim().split('\n').slice(-10).join('\n')}`;
}
// Table 7: requests per poll of the Ecwid Customers app's triggers (ecwid/bench.ts; deterministic,
// so a missed goal fails the benchmark like tables 1 and 2).
log(`Table 7: Ecwid app, requests per poll (ecwid/bench.ts) … (${elapsed()})`);
const ecwidBench = spawnSync(process.execPath, ['--import', 'tsx', 'ecwid/bench.ts'], { cwd: ROOT, env, encoding: 'utf8' });
const ecwidMd = ecwidBench.stdout.trim();
if (ecwidBench.status !== 0) {
  errors['Ecwid app (table 7)'] =
    `ecwid/bench.ts exit ${ecwidBench.status}: ${`${ecwidBench.stdout}\n${ecwidBench.stderr}`.trim().split('\n').slice(-10).join('\n')}`;
  failed = true;
}
results.failed = failed;
const md = [
  renderMarkdown(results),
  relayMd ? `\n## 6. Webhook relay (instant triggers)\n${relayMd}` : '',
  ecwidMd
    ? `\n## 7. Ecwid Customers app: requests per poll at 100 and 10,000 customers\n\nGoal: 1 request per poll, at most 2 for Deleted Customer with thousands of deletions in the window (either list order).\n\n${ecwidMd}\n`
    : '',
  ecwidInstantMd ? `\n## 8. Ecwid webhooks → relay → GHL: flows 2 and 3 in seconds (docs/ecwid-instant.md)\n\n${ecwidInstantMd}\n` : '',
].join('');
const dir = path.join(ROOT, 'bench', 'results');
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
fs.writeFileSync(path.join(dir, 'latest.md'), md);
// docs/performance.md quotes the goals table.
const performanceDocPath = path.join(ROOT, 'docs', 'performance.md');
const performanceDoc = withGoalsTable(fs.readFileSync(performanceDocPath, 'utf8'), results);
if (performanceDoc !== undefined) fs.writeFileSync(performanceDocPath, performanceDoc);
log('');
log(md);
log(
  `Wrote bench/results/latest.json and latest.md${performanceDoc !== undefined ? ' and the goals table in docs/performance.md' : ''} in ${elapsed()}.${failed ? ' A request-count goal was missed: exit 1.' : ''}`,
);
process.exitCode = failed ? 1 : 0;
