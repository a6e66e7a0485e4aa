/**
 * Runs the fault matrix (test/reliability/matrix.ts and scenarios.ts) against a sandbox and checks
 * every expectation. Used by test/reliability/faults.test.ts (jest) and scripts/fault-matrix.ts
 * (`npm run matrix`), so both run exactly the same cases.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Baseline, Harness, RunRecord } from './harness.js';
import { FAULT_CASES, isScenario, type Expected, type FaultCase, type MatrixCase, type ScenarioCase, type Variant } from './matrix.js';
import { SCENARIOS } from './scenarios.js';

export const MATRIX: MatrixCase[] = [...FAULT_CASES, ...SCENARIOS];

export type Status = 'passed' | 'failed' | 'known-issue' | 'fixed?';

export interface OpResult {
  /** Operation id, with the targeted request when the case targets one. */
  op: string;
  status: Status;
  problems: string[];
  note?: string;
  ms: number;
}

export interface CaseResult {
  id: string;
  group: string;
  fault: string;
  operations: string;
  expected: string;
  results: OpResult[];
  ms: number;
}

/** Results of matrix runs (git-ignored): `matrix.json` from `npm run matrix`, `jest-<file>.json` from the jest files. */
export const RESULTS_DIR = path.join(process.cwd(), 'test', 'reliability', '.results');
export const RESULTS_FILE = path.join(RESULTS_DIR, 'matrix.json');

// ---------------------------------------------------------------- checks

const HYGIENE: Array<[RegExp, string]> = [
  [/TypeError|ReferenceError|SyntaxError|RangeError/, 'a JavaScript error name'],
  [/\bundefined\b/, '"undefined"'],
  [/\[object Object\]/, '"[object Object]"'],
  [/\bNaN\b/, '"NaN"'],
  [/\n\s+at .+\(.+:\d+:\d+\)/, 'a stack trace'],
];
const ERROR_NAMES = new Set(['AppError', 'ThrottledError', 'ExpiredAuthError']);

/** Every error a user can see: a known Zapier error, with a message that helps and leaks nothing. */
export const errorHygiene = (error: RunRecord['error'], secrets: string[], echo = ''): string[] => {
  if (!error) return [];
  const problems: string[] = [];
  if (!ERROR_NAMES.has(error.name)) problems.push(`error is a ${error.name}, not a Zapier error the user can act on: ${error.message}`);
  if (!error.message || error.message.trim().length < 10) problems.push(`error message is empty or too short: "${error.message}"`);
  // `echo`: the user's own input, which a message may quote (a value "NaN" the user mapped is not the app's NaN).
  for (const [re, what] of HYGIENE)
    if (re.test(error.message) && !re.test(echo)) problems.push(`error message contains ${what}: ${error.message}`);
  for (const s of secrets) if (s && error.message.includes(s)) problems.push('error message contains a token or the client secret');
  return problems;
};

/** Outputs compared without the moment of the run (`deletedAt`, `archivedAt`). */
const normalize = (v: unknown): string => JSON.stringify(v, (k, val) => (/^(deleted|archived)At$/.test(k) ? '<time>' : (val as unknown)));

/** The ids of the records a step reports (its own, and those of a flow's steps), not those inside lists. */
const idsOf = (v: unknown, depth = 0): string[] => {
  if (!v || typeof v !== 'object' || Array.isArray(v) || depth > 3) return [];
  return Object.entries(v as Record<string, unknown>).flatMap(([k, x]) =>
    k === 'id' && typeof x === 'string' ? [x] : idsOf(x, depth + 1),
  );
};
const recordIdOf = (output: unknown): string => JSON.stringify(idsOf(output).sort());

const isRead = (r: { method: string; operationId?: string }) =>
  r.method === 'GET' || ['search-contacts-advanced', 'task-search'].includes(r.operationId ?? '');

const describeError = (e: RunRecord['error']) =>
  e
    ? `${e.name}${e.code ? ` ${e.code}` : ''}${e.status ? ` ${e.status}` : ''}${e.delay !== undefined ? ` delay ${e.delay}` : ''}: ${e.message}`
    : '';

const dataDiff = (a: string, b: string): string => {
  const x = JSON.parse(a) as Record<string, Array<{ id: string }>>;
  const y = JSON.parse(b) as Record<string, Array<{ id: string }>>;
  const parts: string[] = [];
  for (const k of Object.keys(x)) {
    const xs = new Map(x[k]!.map((r) => [r.id, JSON.stringify(r)]));
    const ys = new Map((y[k] ?? []).map((r) => [r.id, JSON.stringify(r)]));
    const added = [...ys.keys()].filter((id) => !xs.has(id)).length;
    const removed = [...xs.keys()].filter((id) => !ys.has(id)).length;
    const changed = [...xs.keys()].filter((id) => ys.has(id) && ys.get(id) !== xs.get(id)).length;
    const firstChanged = [...xs.keys()].find((id) => ys.has(id) && ys.get(id) !== xs.get(id));
    let keys = '';
    if (firstChanged) {
      const a = JSON.parse(xs.get(firstChanged)!) as Record<string, unknown>;
      const b = JSON.parse(ys.get(firstChanged)!) as Record<string, unknown>;
      keys = ` [${[...new Set([...Object.keys(a), ...Object.keys(b)])].filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key])).join(', ')}]`;
    }
    if (added || removed || changed) parts.push(`${k}: +${added} -${removed} ~${changed}${keys}`);
  }
  return parts.join(', ') || 'no difference';
};

export const checkRun = (e: Expected, run: RunRecord, baseline: Baseline, v: Variant, secrets: string[]): string[] => {
  const p: string[] = [];
  if (e.outcome === 'success' || e.outcome === 'empty') {
    if (!run.ok) p.push(`expected success, got ${describeError(run.error)}`);
    else if (e.outcome === 'empty' && !(Array.isArray(run.output) && run.output.length === 0))
      p.push(`expected no result ([]), got ${normalize(run.output).slice(0, 200)}`);
  } else if (e.outcome === 'error') {
    if (run.ok) p.push(`expected ${e.error?.name ?? 'an error'}, but the step succeeded with ${normalize(run.output).slice(0, 200)}`);
  }
  if (!run.ok && run.error && e.error && e.outcome !== 'success') {
    const err = run.error;
    if (err.name !== e.error.name) p.push(`expected ${e.error.name}, got ${describeError(err)}`);
    if (e.error.code && !e.error.code.includes(err.code ?? ''))
      p.push(`expected code ${e.error.code.join('|')}, got ${describeError(err)}`);
    if (e.error.status && !e.error.status.includes(err.status ?? -1))
      p.push(`expected status ${e.error.status.join('|')}, got ${describeError(err)}`);
    if (e.error.delay && !(err.delay !== undefined && err.delay >= e.error.delay[0] && err.delay <= e.error.delay[1])) {
      p.push(`expected a delay of ${e.error.delay.join('–')} s, got ${describeError(err)}`);
    }
    for (const re of e.error.message ?? []) if (!re.test(err.message)) p.push(`message does not match ${re}: ${err.message}`);
  }
  p.push(...errorHygiene(run.error, secrets));
  if (run.ok && e.output === 'baseline' && normalize(run.output) !== normalize(baseline.run.output))
    p.push('output differs from a fault-free run');
  if (run.ok && e.output === 'same-record' && recordIdOf(run.output) !== recordIdOf(baseline.run.output)) {
    p.push(`reported record ${recordIdOf(run.output)} differs from a fault-free run's ${recordIdOf(baseline.run.output)}`);
  }
  // not-applied: the faulted request changed nothing, so the data may only change by the step's other writes that succeeded.
  const otherWritesDone = run.api.some(
    (r) => r.status >= 200 && r.status < 300 && !isRead(r) && !(v.target && r.method === v.target.method && r.path === v.target.path),
  );
  if (e.state === 'unchanged' || (e.state === 'not-applied' && !otherWritesDone)) {
    if (run.stateAfter !== run.stateBefore) p.push(`data changed (${dataDiff(run.stateBefore, run.stateAfter)})`);
  } else if (e.state === 'baseline' && run.stateAfter !== baseline.state) {
    p.push(`data differs from a fault-free run (${dataDiff(baseline.state, run.stateAfter)})`);
  }
  const n = run.api.length;
  const b = baseline.run.api.length;
  if (e.apiRequests === 'baseline' && n !== b) p.push(`expected ${b} API requests, saw ${n}`);
  if (e.apiRequests === 'baseline+1' && n !== b + 1) p.push(`expected ${b + 1} API requests (one retry), saw ${n}`);
  if (e.apiRequests === 'at-most-baseline' && n > b) p.push(`expected at most ${b} API requests, saw ${n}`);
  if (e.targetAttempts !== undefined && v.target) {
    const same = (r: { method: string; path: string }) => r.method === v.target!.method && r.path === v.target!.path;
    const attempts = run.api.filter(same).length;
    // A successful run also sends the request's later, unfaulted repeats (e.g. Find or Create Task reads
    // the task list in the search and again in the create's duplicate check).
    const expected = e.outcome === 'success' ? baseline.run.api.filter(same).length + e.targetAttempts - 1 : e.targetAttempts;
    if (attempts !== expected) p.push(`${v.target.method} ${v.target.path} was sent ${attempts} time(s), expected ${expected}`);
  }
  if (e.tokenRequests !== undefined && run.token.length !== e.tokenRequests)
    p.push(`expected ${e.tokenRequests} token request(s), saw ${run.token.length}`);
  return p;
};

// ---------------------------------------------------------------- running

/** A known issue is listed by run label (operation and faulted request), by operation id, or for every run ('*'). */
const knownIssue = (c: MatrixCase, label: string): string | undefined =>
  c.knownIssues?.[label] ?? c.knownIssues?.[label.split(' ')[0]!] ?? c.knownIssues?.['*'];

const finish = (c: MatrixCase, op: string, problems: string[], ms: number): OpResult => {
  const issue = knownIssue(c, op);
  if (issue) {
    return problems.length
      ? { op, status: 'known-issue', problems, note: issue, ms }
      : { op, status: 'fixed?', problems: [`listed as a known issue (${issue}) but passed: remove it from knownIssues`], ms };
  }
  return { op, status: problems.length ? 'failed' : 'passed', problems, ms };
};

/** Secrets of the harness's connection that must never reach a user-visible message. */
export const secretsOf = (h: Harness): string[] => [
  ...h.runner.refreshTokens,
  h.runner.authData.access_token ?? '',
  h.runner.authData.refresh_token ?? '',
  process.env.CLIENT_SECRET ?? '',
];

/** The longest timeout a timeout case tries when a shorter one fired before its request reached the sandbox. */
const MAX_CASE_TIMEOUT_MS = 20_000;

const runVariant = async (h: Harness, c: FaultCase, v: Variant, baseline: Baseline, timeoutMs = c.timeoutMs): Promise<string[]> => {
  await h.freshFor(v.op);
  const problems: string[] = [];
  let run: RunRecord;
  c.arrange(h, v, baseline);
  const held = h.sb.faults.queue.filter((f) => f.kind === 'hold').reduce((n, f) => n + f.remaining, 0);
  if (timeoutMs) h.shortTimeoutFor(timeoutMs, h.target(v.target!), held);
  try {
    run = await h.exec(v.op, c.overrides?.(v, h));
  } finally {
    c.cleanup?.(h);
  }
  // The fault did not happen as arranged (the machine was too busy for the timeout): again, with a longer one.
  if (timeoutMs && !h.shortTimeoutsHeld(run, held) && timeoutMs < MAX_CASE_TIMEOUT_MS)
    return runVariant(h, c, v, baseline, Math.min(timeoutMs * 4, MAX_CASE_TIMEOUT_MS));
  const expected = c.expect(v, baseline);
  problems.push(...checkRun(expected, run, baseline, v, secretsOf(h)));
  problems.push(...(c.verify?.(h, v, run, baseline) ?? []));
  // When the first try changed nothing, a replay is exactly the fault-free run already checked by the baseline.
  if (expected.replay && run.stateAfter !== run.stateBefore) {
    // Zapier's replay: the same step again, the fault gone, on the data the first try left.
    h.prepareReplay();
    const replay = await h.exec(v.op, c.overrides?.(v, h));
    const goneAlready = replay.error?.code?.endsWith('_not_found') ?? false;
    if (!replay.ok && !goneAlready) problems.push(`replay failed: ${describeError(replay.error)}`);
    problems.push(...errorHygiene(replay.error, secretsOf(h)));
    if (replay.stateAfter !== baseline.state)
      problems.push(`after a replay the data differs from one fault-free run (${dataDiff(baseline.state, replay.stateAfter)})`);
  }
  return problems;
};

const targetLabel = (v: Variant) =>
  v.target ? `${v.op.id} (${v.target.method} ${v.target.path.replace(/[A-Za-z0-9]{20}/g, ':id')})` : v.op.id;

export const runFaultCase = async (h: Harness, c: FaultCase): Promise<OpResult[]> => {
  const out: OpResult[] = [];
  const run = async () => {
    for (const op of h.ops) {
      const baseline = await h.baseline(op);
      if (!baseline.run.ok) {
        out.push({ op: op.id, status: 'failed', problems: [`a fault-free run fails: ${describeError(baseline.run.error)}`], ms: 0 });
        continue;
      }
      for (const target of c.select(op, baseline)) {
        const v: Variant = { op, target };
        const started = Date.now();
        let problems: string[];
        try {
          problems = await runVariant(h, c, v, baseline);
        } catch (e) {
          problems = [`the harness failed: ${(e as Error).stack ?? String(e)}`];
        }
        out.push(finish(c, targetLabel(v), problems, Date.now() - started));
      }
    }
  };
  await run();
  return out;
};

export const runScenario = async (h: Harness, c: ScenarioCase): Promise<OpResult[]> => {
  const started = Date.now();
  try {
    const results = await c.run(h);
    return results.map((r) => finish(c, r.label, r.problems, Date.now() - started));
  } catch (e) {
    return [finish(c, c.id, [`the scenario failed: ${(e as Error).stack ?? String(e)}`], Date.now() - started)];
  }
};

export const runCase = async (h: Harness, c: MatrixCase): Promise<CaseResult> => {
  const started = Date.now();
  const results = isScenario(c) ? await runScenario(h, c) : await runFaultCase(h, c);
  h.fresh();
  return { id: c.id, group: c.group, fault: c.fault, operations: c.operations, expected: c.expected, results, ms: Date.now() - started };
};

// ---------------------------------------------------------------- results

export interface MatrixFile {
  generatedAt: string;
  operations: string[];
  cases: CaseResult[];
}

export const sortCases = (cases: CaseResult[]): CaseResult[] => {
  const order = new Map(MATRIX.map((c, i) => [c.id, i]));
  return [...cases].sort((a, b) => (order.get(a.id) ?? 1e9) - (order.get(b.id) ?? 1e9));
};

export const writeResults = (cases: CaseResult[], operations: string[], file = RESULTS_FILE): MatrixFile => {
  const out: MatrixFile = { generatedAt: new Date().toISOString(), operations: [...operations].sort(), cases: sortCases(cases) };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
  return out;
};

/** Merges result files (e.g. the jest files' `jest-*.json`); a case found in several keeps its newest run. */
export const readResults = (files: string[]): MatrixFile => {
  const byId = new Map<string, { at: string; c: CaseResult }>();
  const operations = new Set<string>();
  let generatedAt = '';
  for (const file of files) {
    const m = JSON.parse(fs.readFileSync(file, 'utf8')) as MatrixFile;
    for (const o of m.operations) operations.add(o);
    if (m.generatedAt > generatedAt) generatedAt = m.generatedAt;
    for (const c of m.cases) if (!byId.has(c.id) || byId.get(c.id)!.at < m.generatedAt) byId.set(c.id, { at: m.generatedAt, c });
  }
  return { generatedAt, operations: [...operations].sort(), cases: sortCases([...byId.values()].map((x) => x.c)) };
};

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const count = (c: CaseResult, s: Status) => c.results.filter((r) => r.status === s).length;

/** The matrix as a table: case, operations covered, passed (+ known issues and failures, listed below it). */
export const formatTable = (file: MatrixFile): string => {
  const lines: string[] = [];
  const w = Math.max(...file.cases.map((c) => c.id.length), 4);
  lines.push(`${pad('case', w)}  ${pad('group', 9)}  ${pad('operations covered', 18)}  passed`);
  lines.push(`${'-'.repeat(w)}  ${'-'.repeat(9)}  ${'-'.repeat(18)}  ${'-'.repeat(24)}`);
  let runs = 0;
  let passed = 0;
  const ops = new Set<string>();
  for (const c of file.cases) {
    const covered = new Set(c.results.map((r) => r.op.split(' ')[0]));
    for (const o of covered) ops.add(o!);
    runs += c.results.length;
    passed += count(c, 'passed');
    const known = count(c, 'known-issue');
    const failed = count(c, 'failed') + count(c, 'fixed?');
    const verdict = `${count(c, 'passed')}/${c.results.length}${known ? ` (${known} known issue${known > 1 ? 's' : ''})` : ''}${failed ? ` FAILED ${failed}` : ''}`;
    lines.push(`${pad(c.id, w)}  ${pad(c.group, 9)}  ${pad(`${covered.size} ops, ${c.results.length} runs`, 18)}  ${verdict}`);
  }
  const known = file.cases.reduce((n, c) => n + count(c, 'known-issue'), 0);
  const failed = file.cases.reduce((n, c) => n + count(c, 'failed') + count(c, 'fixed?'), 0);
  lines.push('');
  lines.push(
    `${file.cases.length} cases, ${ops.size} operations/flows, ${runs} runs: ${passed} passed, ${known} known issues, ${failed} failures.`,
  );
  const failures = file.cases.flatMap((c) =>
    c.results.filter((r) => r.status === 'failed' || r.status === 'fixed?').map((r) => ({ c, r })),
  );
  if (failures.length) {
    lines.push('', 'Failures:');
    for (const { c, r } of failures) {
      lines.push(`  ${c.id}  ${r.op}`);
      for (const p of r.problems.slice(0, 4)) lines.push(`    - ${p.split('\n')[0]}`);
    }
  }
  const issues = new Map<string, Set<string>>();
  for (const c of file.cases) {
    for (const r of c.results.filter((x) => x.status === 'known-issue')) {
      const key = r.note ?? '';
      if (!issues.has(key)) issues.set(key, new Set());
      issues.get(key)!.add(`${c.id}: ${r.op.split(' ')[0]}`);
    }
  }
  if (issues.size) {
    lines.push('', 'Known issues (outside the files this suite may fix; each run listed is not counted as passed):');
    for (const [note, where] of issues) {
      const list = [...where];
      lines.push(`  - ${note}`);
      lines.push(`    runs: ${list.length > 6 ? `${list.slice(0, 6).join('; ')}; … (${list.length} runs)` : list.join('; ')}`);
    }
  }
  return lines.join('\n');
};

/** The expected result of every case, in words (docs/reliability.md's and the issue note's matrix). */
export const formatExpectations = (cases: MatrixCase[] = MATRIX): string =>
  cases.map((c) => `${c.id} [${c.group}]\n  fault:      ${c.fault}\n  operations: ${c.operations}\n  expected:   ${c.expected}`).join('\n');
