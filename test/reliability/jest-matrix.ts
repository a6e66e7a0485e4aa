/**
 * Defines one jest test per matrix case (the same cases `npm run matrix` runs), against one
 * sandbox per test file, and writes the results to test/reliability/.results/jest-<name>.json.
 */
import nock from 'nock';
import path from 'node:path';
import App from '../../index.js';
import { Harness } from './harness.js';
import type { MatrixCase } from './matrix.js';
import { RESULTS_DIR, runCase, writeResults, type CaseResult } from './runner.js';

export const defineMatrixTests = (name: string, cases: MatrixCase[]): void => {
  let h: Harness;
  const results: CaseResult[] = [];

  beforeAll(async () => {
    nock.enableNetConnect('127.0.0.1');
    h = await Harness.start();
  }, 60_000);

  afterAll(async () => {
    if (results.length)
      writeResults(
        results,
        h.ops.map((o) => o.id),
        path.join(RESULTS_DIR, `jest-${name}.json`),
      );
    await h?.close();
  });

  test('the matrix runs every trigger, search, action and search-or-create the app has now', () => {
    const ids = new Set(h.ops.map((o) => o.id));
    for (const kind of ['triggers', 'searches', 'creates', 'searchOrCreates'] as const) {
      for (const key of Object.keys((App[kind] ?? {}) as object)) expect(ids).toContain(`${kind}/${key}`);
    }
  });

  test.each(cases.map((c) => [c.id, c] as const))(
    '%s',
    async (_id, c) => {
      const result = await runCase(h, c);
      results.push(result);
      const bad = result.results
        .filter((r) => r.status === 'failed' || r.status === 'fixed?')
        .map((r) => `${r.op}: ${r.problems.join(' | ')}`);
      expect(bad).toEqual([]);
      expect(result.results.length).toBeGreaterThan(0);
    },
    // A hang detector, not a speed check: a case takes a minute on a busy 2-core machine.
    600_000,
  );

  test('across every case above, no refresh token was ever redeemed twice (a rotated one is never sent again)', () => {
    expect(h.redeemedTwice()).toEqual([]);
  });
};
