/**
 * `npm run test:mutation [-- <module>… ] [-- --incremental]`: StrykerJS over the modules of
 * stryker.config.mjs, one run per module, then the score table (docs/testing.md "Mutation
 * testing"). Exits 1 when a run fails or a module scores below MIN_SCORE.
 *
 *   npm run test:mutation                              all modules (minutes)
 *   npm run test:mutation -- relay/config.ts           one module
 *   npm run test:mutation -- --incremental             reuse results of unchanged code and tests
 *   npm run test:mutation -- --table                   only print the table of the last reports
 *   npm run test:mutation -- --concurrency 1           any other argument goes to Stryker
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const MIN_SCORE = 90;

type Status = 'Killed' | 'Survived' | 'NoCoverage' | 'Timeout' | 'CompileError' | 'RuntimeError' | 'Ignored' | 'Pending';
interface Report {
  files: Record<string, { mutants: Array<{ status: Status }> }>;
}

export interface Row {
  module: string;
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  /** Named as equivalent in the source (`// Stryker disable …: reason`). */
  ignored: number;
  errors: number;
  /** Stryker's mutation score: detected / (detected + undetected), ignored and errors left out. */
  score: number;
}

export const reportDir = (module: string): string =>
  path.join(ROOT, 'reports', 'mutation', module.replace(/\.ts$/, '').replace(/\//g, '_'));

export const rowOf = (module: string, report: Report): Row => {
  const count = (s: Status) =>
    Object.values(report.files)
      .flatMap((f) => f.mutants)
      .filter((m) => m.status === s).length;
  const killed = count('Killed');
  const timeout = count('Timeout');
  const survived = count('Survived');
  const noCoverage = count('NoCoverage');
  const detected = killed + timeout;
  const valid = detected + survived + noCoverage;
  return {
    module,
    killed,
    timeout,
    survived,
    noCoverage,
    ignored: count('Ignored'),
    errors: count('CompileError') + count('RuntimeError'),
    score: valid ? (100 * detected) / valid : 100,
  };
};

export const table = (rows: Row[]): string =>
  [
    '| module | mutation score | killed | timed out | survived | no coverage | equivalent (ignored) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) => `| \`${r.module}\` | ${r.score.toFixed(2)} % | ${r.killed} | ${r.timeout} | ${r.survived} | ${r.noCoverage} | ${r.ignored} |`,
    ),
  ].join('\n');

const main = async () => {
  const { MODULES } = (await import(pathToConfig())) as { MODULES: Record<string, string[]> };
  const args = process.argv.slice(2);
  const tableOnly = args.includes('--table');
  // Module paths choose modules; everything else (--incremental, --concurrency 1, …) goes to Stryker.
  const chosen = args.filter((a) => a in MODULES);
  const strykerArgs = args.filter((a) => !(a in MODULES) && a !== '--table');
  const modules = chosen.length ? chosen : Object.keys(MODULES);
  // The package's `exports` hide its bin file; its folder is found through package.json.
  const core = path.dirname(createRequire(path.join(ROOT, 'package.json')).resolve('@stryker-mutator/core/package.json'));
  const stryker = path.join(core, 'bin', 'stryker.js');

  const failed: string[] = [];
  const started = Date.now();
  const took: string[] = [];
  if (!tableOnly) {
    for (const module of modules) {
      console.error(`\n== test:mutation: ${module} (tests: ${MODULES[module]!.join(', ')})`);
      const moduleStarted = Date.now();
      const res = spawnSync(process.execPath, [stryker, 'run', ...strykerArgs], {
        cwd: ROOT,
        stdio: 'inherit',
        env: { ...process.env, STRYKER_MODULE: module },
      });
      if (res.status !== 0) failed.push(`${module}: Stryker exited ${res.status ?? res.signal}`);
      took.push(`${module} ${Math.round((Date.now() - moduleStarted) / 1000)} s`);
    }
  }

  const rows: Row[] = [];
  for (const module of modules) {
    const file = path.join(reportDir(module), 'mutation.json');
    if (!fs.existsSync(file)) {
      failed.push(`${module}: no report (${path.relative(ROOT, file)})`);
      continue;
    }
    const row = rowOf(module, JSON.parse(fs.readFileSync(file, 'utf8')) as Report);
    rows.push(row);
    if (row.score < MIN_SCORE) failed.push(`${module}: ${row.score.toFixed(2)} % < ${MIN_SCORE} %`);
  }
  console.log(`\n${table(rows)}\n`);
  if (!tableOnly)
    console.log(`test:mutation: ${modules.length} module(s) in ${Math.round((Date.now() - started) / 1000)} s (${took.join(', ')})`);
  console.log(`HTML reports: ${path.relative(ROOT, path.join(ROOT, 'reports', 'mutation'))}/<module>/index.html`);
  if (failed.length) {
    console.error(`test:mutation failed:\n  ${failed.join('\n  ')}`);
    process.exit(1);
  }
};

function pathToConfig(): string {
  return new URL('../stryker.config.mjs', import.meta.url).href;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
