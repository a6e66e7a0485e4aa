#!/usr/bin/env node
/**
 * The test suite on a busy machine: jest runs the timing-sensitive test files (or the whole suite)
 * beside busy CPU loops, one per core, and must pass several times in a row. CI runs the short
 * form; docs/testing.md says which files are here and why.
 *
 *   npm run test:stress                  # the timing-sensitive files, 3 runs in a row
 *   npm run test:stress -- --all         # the whole suite, 3 runs in a row
 *   npm run test:stress -- --short       # CI: one run of the short list (well under a minute)
 *   npm run test:stress -- --runs 5 --loops 4 [jest args…]
 *
 * Plain JavaScript (run through scripts/run.mjs, which picks Node 22); the loops are child
 * processes of this one and are stopped when it ends, however it ends.
 */
import { spawn, spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Tests that wait for an event (a held answer, a log, a counter) where a fixed wait once raced the clock. */
export const TIMING_FILES = [
  'test/sandbox/limits-faults.test.ts',
  'test/sandbox/webhooks.test.ts',
  'test/sandbox/oauth.test.ts',
  'test/sandbox/handlers/search.test.ts',
  'test/relay/crash.test.ts',
  'test/relay/relay.test.ts',
  'test/reliability/transport.test.ts',
  'test/reliability/scenarios.test.ts',
  'test/reliability/secrets.test.ts',
  'test/resources/contacts/',
  'ecwid/test/e2e/sandbox.test.ts',
];
/** CI's short form: without the harness-based files, which take minutes (the full form covers them). */
export const SHORT_FILES = TIMING_FILES.filter((f) => !f.startsWith('test/reliability/') && f !== 'test/resources/contacts/');

const args = process.argv.slice(2);
const take = (flag, fallback) => {
  const i = args.indexOf(flag);
  if (i < 0) return fallback;
  const [, value] = args.splice(i, 2);
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`test:stress: ${flag} takes a whole number, got "${value}"`);
    process.exit(2);
  }
  return n;
};
const flag = (name) => {
  const i = args.indexOf(name);
  if (i >= 0) args.splice(i, 1);
  return i >= 0;
};
const all = flag('--all');
const short = flag('--short');
const runs = take('--runs', short ? 1 : 3);
const loops = take('--loops', os.availableParallelism?.() ?? os.cpus().length);
const files = all ? [] : short ? SHORT_FILES : TIMING_FILES;

// ---- the busy loops
const busy = [];
const stopLoops = () => {
  for (const child of busy.splice(0)) child.kill('SIGKILL');
};
process.on('exit', stopLoops);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopLoops();
    process.exit(130);
  });
}
for (let i = 0; i < loops; i++) busy.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));

// ---- the runs
const what = all ? 'the whole suite' : `${files.length} timing-sensitive test files${short ? ' (short list)' : ''}`;
console.log(`test:stress: ${what}, ${runs} run(s) in a row, beside ${loops} busy loop(s) on ${os.cpus().length} core(s)`);
const jest = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
let failed = 0;
for (let run = 1; run <= runs; run++) {
  const started = Date.now();
  const res = spawnSync(process.execPath, [jest, ...files, ...args], { cwd: ROOT, stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  const ok = res.status === 0;
  console.log(`test:stress: run ${run}/${runs} ${ok ? 'passed' : 'FAILED'} in ${seconds} s`);
  if (!ok) {
    failed = run;
    break;
  }
}
stopLoops();
if (failed) {
  console.error(`test:stress: run ${failed} failed; every run must pass.`);
  process.exit(1);
}
console.log(`test:stress: ${runs} of ${runs} runs passed beside ${loops} busy loop(s).`);
