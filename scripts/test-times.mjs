#!/usr/bin/env node
/**
 * Where the test suite's time goes: runs jest (with any jest arguments given) and prints the time
 * of each test file, slowest first, with the suite's wall time; or prints them from a result file
 * jest already wrote (`jest --json --outputFile=…`), e.g. to compare two runs side by side.
 *
 *   npm run test:times                          # the whole suite, then the table
 *   npm run test:times -- test/reliability      # chosen files
 *   npm run test:times -- --top 15 --from a.json [--from b.json]
 *
 * Plain JavaScript (run through scripts/run.mjs, which picks Node 22).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const from = [];
let top = Infinity;
for (let i = 0; i < args.length;) {
  if (args[i] === '--from') from.push(...args.splice(i, 2).slice(1));
  else if (args[i] === '--top') top = Number(args.splice(i, 2)[1]);
  else i += 1;
}

let wallSeconds;
if (!from.length) {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'test-times-')), 'results.json');
  const started = Date.now();
  const res = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--json', `--outputFile=${out}`, ...args],
    {
      cwd: ROOT,
      stdio: ['inherit', 'ignore', 'inherit'],
    },
  );
  wallSeconds = (Date.now() - started) / 1000;
  if (!fs.existsSync(out)) process.exit(res.status ?? 1);
  from.push(out);
  process.exitCode = res.status ?? 1;
}

/** Seconds per test file (path relative to the repository) of one jest result file. */
const timesOf = (file) => {
  const results = JSON.parse(fs.readFileSync(file, 'utf8'));
  const times = new Map();
  for (const r of results.testResults) {
    const rel = path.relative(ROOT, r.name).split(path.sep).join('/');
    // A result file from another checkout: keep the path from test/ or ecwid/ on.
    const name = rel.startsWith('..') ? r.name.replace(/^.*?\/((?:ecwid\/)?test\/)/, '$1') : rel;
    times.set(name, (r.endTime - r.startTime) / 1000);
  }
  const first = Math.min(...results.testResults.map((r) => r.startTime));
  const last = Math.max(...results.testResults.map((r) => r.endTime));
  return { times, tests: results.numTotalTests, failed: results.numFailedTests, span: (last - first) / 1000 };
};

const runs = from.map(timesOf);
const names = [...new Set(runs.flatMap((r) => [...r.times.keys()]))].sort(
  (a, b) => (runs[0].times.get(b) ?? 0) - (runs[0].times.get(a) ?? 0),
);
const width = Math.max(...names.map((n) => n.length), 9);
const cell = (s) => (s === undefined ? '—' : s.toFixed(1)).padStart(8);
console.log(`${'test file'.padEnd(width)}  ${from.map((_, i) => `run ${i + 1} s`.padStart(8)).join('  ')}`);
for (const n of names.slice(0, top)) console.log(`${n.padEnd(width)}  ${runs.map((r) => cell(r.times.get(n))).join('  ')}`);
if (names.length > top) console.log(`… ${names.length - top} more files`);
const sum = (r) => [...r.times.values()].reduce((a, b) => a + b, 0);
console.log(`${'sum of the files'.padEnd(width)}  ${runs.map((r) => cell(sum(r))).join('  ')}`);
console.log(`${'first start to last end'.padEnd(width)}  ${runs.map((r) => cell(r.span)).join('  ')}`);
for (const [i, r] of runs.entries()) console.log(`run ${i + 1}: ${from[i]}: ${r.tests} tests, ${r.failed} failed, ${r.times.size} files`);
if (wallSeconds !== undefined) console.log(`wall time of the jest run: ${wallSeconds.toFixed(0)} s on ${os.cpus().length} core(s)`);
