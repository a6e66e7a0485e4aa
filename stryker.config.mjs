/**
 * Mutation testing (`npm run test:mutation`, docs/testing.md "Mutation testing"): StrykerJS changes
 * a module one small piece at a time ("mutants") and runs the tests that cover each change; a
 * mutant that no test notices ("survived") marks code whose tests pass whatever it does.
 *
 * scripts/mutation.ts runs Stryker once per module below (STRYKER_MODULE=<path>), each with the
 * test files that check that module, and prints the score table; it fails below 90 %. One run per
 * module keeps the "static" mutants (module-level tables such as the scope table of
 * src/http/errors.ts, which no per-test coverage can narrow) from re-running the whole suite.
 *
 * Jest's own `roots` (test/, ecwid/test/) hide the source folders from the dependency graph that
 * `--findRelatedTests` walks, so a mutant would only meet the test files that import its module
 * directly; here the root is the whole project and the test files are named instead.
 *
 * Equivalent mutants (no test can notice them: behaviour stays the same) are named in the source,
 * next to the code, as `// Stryker disable next-line <mutator>: <why>`.
 */
import fs from 'node:fs';

const { jest } = JSON.parse(fs.readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

/** The modules users depend on most (issue 23) → the test files that check them. */
export const MODULES = {
  // The unit files only: the pipeline files (test/http/ghl.test.ts, middleware.test.ts) load the whole
  // app, and every related file is loaded again for each mutant.
  'src/http/errors.ts': ['test/http/errors.test.ts', 'test/http/errors.scopes.test.ts'],
  'src/lib/input.ts': ['test/lib/input.test.ts'],
  'src/resources/common/outputs.ts': ['test/resources/common/outputs.test.ts'],
  'relay/signature.ts': ['test/relay/signature.test.ts'],
  'relay/config.ts': ['test/relay/config.test.ts'],
  'ecwid/src/http/errors.ts': ['ecwid/test/http/errors.test.ts'],
};

/**
 * STRYKER_MODULE=<path> (what scripts/mutation.ts sets): that module with its tests; unset (a bare
 * `stryker run`): all modules with all their tests in one run, much slower.
 */
const module = process.env.STRYKER_MODULE;
if (module !== undefined && !MODULES[module]) {
  throw new Error(`STRYKER_MODULE must be one of ${Object.keys(MODULES).join(', ')}, got "${module}"`);
}
const mutate = module ? [module] : Object.keys(MODULES);
const tests = [...new Set(mutate.flatMap((m) => MODULES[m]))];
/** reports/mutation/<module path with / as _> (or all). */
const out = `reports/mutation/${module ? module.replace(/\.ts$/, '').replace(/\//g, '_') : 'all'}`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate,
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    config: { ...jest, roots: ['<rootDir>'], testMatch: tests.map((t) => `<rootDir>/${t}`) },
    enableFindRelatedTests: true,
  },
  // Each mutant meets only the tests that ran its code in the first (unmutated) run.
  coverageAnalysis: 'perTest',
  // The machine is shared (2 cores); each runner is a whole jest process.
  concurrency: 2,
  // A loaded machine slows every run; a mutant counts as "timed out" (detected) only past this margin.
  timeoutMS: 15_000,
  reporters: ['clear-text', 'html', 'json'],
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true, reportMutants: true },
  htmlReporter: { fileName: `${out}/index.html` },
  jsonReporter: { fileName: `${out}/mutation.json` },
  // `npm run test:mutation -- --incremental` reuses the results for unchanged code and tests.
  incrementalFile: `${out}/incremental.json`,
  tempDirName: '.stryker-tmp',
  // .stryker-tmp*: the sandboxes of another run (a second run can use --tempDirName .stryker-tmp-2).
  ignorePatterns: ['reports', 'coverage', 'dist', 'bench/results', 'test/reliability/.results', '.stryker-tmp*'],
  cleanTempDir: true,
};
