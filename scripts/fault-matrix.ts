/**
 * Prints the fault matrix: case, operations covered, passed.
 *
 *   npm run matrix                    runs every case against an in-process sandbox (real HTTP on
 *                                     127.0.0.1), writes test/reliability/.results/matrix.json, prints the table
 *   npm run matrix -- --from-results  prints the results the jest files wrote (test/reliability/.results/jest-*.json)
 *   npm run matrix -- --expected      prints every case's fault, operations and expected result in words
 *   npm run matrix -- --only=<id,id>  runs only these cases
 *
 * Exits 1 when a case fails (known issues, listed under the table, do not fail the run).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Harness } from '../test/reliability/harness.js';
import {
  MATRIX,
  RESULTS_DIR,
  RESULTS_FILE,
  formatExpectations,
  formatTable,
  readResults,
  runCase,
  writeResults,
  type CaseResult,
  type MatrixFile,
} from '../test/reliability/runner.js';

const args = process.argv.slice(2);
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');

const failuresIn = (m: MatrixFile) =>
  m.cases.flatMap((c) => c.results.filter((r) => r.status === 'failed' || r.status === 'fixed?')).length;

const main = async (): Promise<number> => {
  if (args.includes('--expected')) {
    console.log(formatExpectations());
    return 0;
  }
  if (args.includes('--from-results')) {
    const files = fs.existsSync(RESULTS_DIR) ? fs.readdirSync(RESULTS_DIR).filter((f) => /^jest-.*\.json$/.test(f)) : [];
    if (!files.length) {
      console.error(`No jest results in ${RESULTS_DIR}: run \`npx jest test/reliability\` first.`);
      return 1;
    }
    const merged = readResults(files.map((f) => path.join(RESULTS_DIR, f)));
    console.log(`Fault matrix (jest run of ${merged.generatedAt})\n`);
    console.log(formatTable(merged));
    return failuresIn(merged) ? 1 : 0;
  }
  const cases = only ? MATRIX.filter((c) => only.includes(c.id)) : MATRIX;
  const started = Date.now();
  const h = await Harness.start();
  const results: CaseResult[] = [];
  try {
    for (const c of cases) {
      const r = await runCase(h, c);
      results.push(r);
      const bad = r.results.filter((x) => x.status === 'failed' || x.status === 'fixed?').length;
      process.stderr.write(`${bad ? '✗' : '✓'} ${c.id} (${r.results.length} runs, ${r.ms} ms)\n`);
    }
    const twice = h.redeemedTwice();
    if (twice.length) {
      console.error(`A refresh token was redeemed twice (${twice.length}): a rotated refresh token was reused.`);
      process.exitCode = 1;
    }
  } finally {
    await h.close();
  }
  const file = writeResults(
    results,
    h.ops.map((o) => o.id),
  );
  console.log(
    `\nFault matrix (${Math.round((Date.now() - started) / 1000)} s; results in ${path.relative(process.cwd(), RESULTS_FILE)})\n`,
  );
  console.log(formatTable(file));
  return failuresIn(file) ? 1 : 0;
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
