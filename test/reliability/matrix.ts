/**
 * The fault matrix, as data. Each case names the fault, the operations it runs on, and the
 * expected result in words (printed by `npm run matrix`) and as an {@link Expected} that
 * test/reliability/runner.ts checks for every operation it selects.
 *
 * Words used below:
 * - "read": a GET or a search POST (`/contacts/search`, `/locations/:id/tasks/search`); the app may
 *   send a read twice. "write": any other POST/PUT/DELETE.
 * - "retryable error": `z.errors.Error` (AppError) whose message tells the user that retrying may
 *   help, so Zapier's replay (or autoreplay) can run the step again; or a ThrottledError with a delay.
 * - "replay converges": after the faulty run, the same step run again without the fault leaves
 *   exactly the data one fault-free run leaves (nothing lost, nothing duplicated).
 */
import { DAILY_LIMIT_DELAY_SECONDS, DEFAULT_THROTTLE_DELAY_SECONDS } from '../../src/http/errors.js';
import type { RefreshTokenRecord } from '../../sandbox/state/records.js';
import type { Baseline, Harness, RequestInfo, RunRecord } from './harness.js';
import { MISSING_ID, type OpSpec } from './ops.js';

/**
 * Defects found by the matrix that are outside the files this suite may fix. A run listed here is
 * reported as "known issue" (not passed); when it starts passing the matrix says so, and the entry
 * must be removed.
 */
/**
 * Bugs this suite found that are not fixed yet, by name; a case lists the runs they affect in
 * `knownIssues`, which then pass as "known issue" (and fail as "fixed?" once they pass). All seven
 * found so far are fixed (token endpoint 5xx and transport errors, Create Task / Create Note replays,
 * the business lost by a flow replay, the throttle lost in Delete Contact, the missing business on
 * Create Contact).
 */
export const KNOWN_ISSUES: Record<string, string> = {};

export interface Expected {
  outcome: 'success' | 'error' | 'empty' | 'success-or-error';
  error?: {
    name: string;
    code?: string[];
    status?: number[];
    /** Inclusive bounds of a ThrottledError's delay, seconds. */
    delay?: [number, number];
    /** Every pattern must match the decoded message. */
    message?: RegExp[];
  };
  /** Reads: the same output as a fault-free run. Writes: the same record (id) as a fault-free run. */
  output?: 'baseline' | 'same-record';
  /**
   * unchanged: the data is exactly as before the step. baseline: as after a fault-free run.
   * not-applied: unchanged when the fault hit the step's first write (later writes may have happened).
   */
  state?: 'unchanged' | 'baseline' | 'not-applied' | 'any';
  apiRequests?: 'baseline' | 'baseline+1' | 'at-most-baseline';
  /** Requests sent to the faulted method + path (1 = never retried in-process). */
  targetAttempts?: number;
  tokenRequests?: number;
  /** Run the step again without the fault: the data must end as after one fault-free run. */
  replay?: boolean;
}

/** One operation (and, for targeted faults, one of its requests) a case runs on. */
export interface Variant {
  op: OpSpec;
  target?: RequestInfo;
}

export interface FaultCase {
  id: string;
  group: 'auth' | 'throttle' | 'server' | 'transport' | 'quirk';
  fault: string;
  operations: string;
  expected: string;
  /** Request timeout of the requests the case holds (holdBodyNext), and only of those: the others keep the app's own. */
  timeoutMs?: number;
  /** The requests of a fault-free run this case targets; [] = the case does not apply to the operation. */
  select(op: OpSpec, baseline: Baseline): Array<RequestInfo | undefined>;
  arrange(h: Harness, v: Variant, baseline: Baseline): void;
  /** Input values that replace the operation's usual ones for this case. */
  overrides?(v: Variant, h: Harness): Record<string, unknown>;
  /** Undo what `arrange` changed outside the sandbox's data (runs even when the step failed). */
  cleanup?(h: Harness): void;
  expect(v: Variant, baseline: Baseline): Expected;
  /** Checks beyond {@link Expected}. */
  verify?(h: Harness, v: Variant, run: RunRecord, baseline: Baseline): string[];
  /** Known defects: operation id (or '*') → where and why. Reported, not counted as passed. */
  knownIssues?: Record<string, string>;
}

export interface ScenarioResult {
  label: string;
  problems: string[];
}

export interface ScenarioCase {
  id: string;
  group: 'throttle' | 'quirk' | 'data';
  fault: string;
  operations: string;
  expected: string;
  run(h: Harness): Promise<ScenarioResult[]>;
  knownIssues?: Record<string, string>;
}

export type MatrixCase = FaultCase | ScenarioCase;
export const isScenario = (c: MatrixCase): c is ScenarioCase => 'run' in c;

// ---------------------------------------------------------------- selectors

const first = (b: Baseline): RequestInfo | undefined => b.requests[0];
const firstRequest = (_op: OpSpec, b: Baseline) => (first(b) ? [first(b)] : []);
const firstRead = (_op: OpSpec, b: Baseline) => (first(b)?.read ? [first(b)] : []);
const eachWrite = (_op: OpSpec, b: Baseline) => {
  // One variant per distinct write (method + path) of a fault-free run.
  const seen = new Set<string>();
  return b.requests.filter((r) => !r.read && !seen.has(`${r.method} ${r.path}`) && seen.add(`${r.method} ${r.path}`));
};
const whole = (_op: OpSpec, b: Baseline) => (b.requests.length ? [undefined] : []);
const RETRYABLE = /retrying the step may help|temporar/i;
const MAY_HAVE_APPLIED = /may or may not have applied|may have applied|may already have/i;
const RECONNECT = /reconnect/i;

/** The same rule for every transport fault on a read: the app sends the read once more, and the step succeeds. */
const recovered = (v: Variant): Expected => ({
  outcome: 'success',
  output: v.op.writes ? 'same-record' : 'baseline',
  state: 'baseline',
  apiRequests: 'baseline+1',
  targetAttempts: 2,
});

/**
 * A write that failed: a retryable AppError. Delete Contact deletes the contact's tasks first and
 * reports a failed task delete as `partial_task_delete` (502), quoting the cause; that counts too.
 */
const writeFailure = (code: string, status: number | undefined, target: RequestInfo | undefined, extra: RegExp[] = []): Expected => ({
  outcome: 'error',
  error: {
    name: 'AppError',
    code: [code, 'partial_task_delete'],
    ...(status ? { status: [status, 502] } : {}),
    message: [RETRYABLE, ...extra],
  },
  state: 'not-applied',
  targetAttempts: target?.idempotent ? 2 : 1,
  replay: true,
});

// ---------------------------------------------------------------- auth

const expireAndBreakRefresh = (how: 'used' | 'revoked') => (h: Harness) => {
  h.expireAccessTokenAt(1);
  const token = h.runner.authData.refresh_token ?? '';
  const rec = h.refreshRecord(token);
  if (!rec) throw new Error('the stored refresh token is unknown to the sandbox');
  broken = { ...rec };
  if (how === 'used') rec.used = true;
  else h.sb.state.refreshTokens.delete(token);
};
let broken: RefreshTokenRecord | undefined;
/** After the case: the user reconnects (a new token pair; the broken refresh token stays dead). */
const reconnect = (h: Harness) => {
  if (broken) h.reconnect(broken);
  broken = undefined;
};

const rotationChecks = (h: Harness, _v: Variant, run: RunRecord): string[] => {
  const problems: string[] = [];
  if (run.presentedRefreshTokens.length !== 1)
    problems.push(`expected 1 refresh-token redemption, saw ${run.presentedRefreshTokens.length}`);
  if (run.presentedRefreshTokens[0] !== run.refreshTokenBefore)
    problems.push('the refresh token sent was not the one stored before the step');
  if (run.refreshTokenAfter === run.refreshTokenBefore) problems.push('the rotated refresh token was not stored');
  if (h.refreshRecord(run.refreshTokenAfter)?.used !== false) problems.push('the stored refresh token is not a fresh, unused one');
  if (h.refreshRecord(run.refreshTokenBefore)?.used !== true) problems.push('the old refresh token was not redeemed');
  return problems;
};

const noApiAfterTokenRequest = (_h: Harness, _v: Variant, run: RunRecord): string[] => {
  const i = run.requests.findIndex((r) => r.path === '/oauth/token');
  const after = i < 0 ? [] : run.requests.slice(i + 1);
  return after.length ? [`${after.length} request(s) after GHL refused the refresh (a loop?)`] : [];
};

/** The refresh was not performed: the connection's refresh token is unchanged and still redeemable. */
const refreshTokenIntact = (h: Harness, _v: Variant, run: RunRecord): string[] => {
  const problems: string[] = [];
  if (run.refreshTokenAfter !== run.refreshTokenBefore) problems.push('the stored refresh token changed although no refresh succeeded');
  if (h.refreshRecord(run.refreshTokenBefore)?.used !== false)
    problems.push('the stored refresh token can no longer be redeemed: the user would have to reconnect');
  return problems;
};

const AUTH: FaultCase[] = [
  {
    id: 'token-expired',
    group: 'auth',
    fault: "The access token expires before the step's first request (GHL: 401 Invalid JWT).",
    operations: 'every operation and flow',
    expected:
      'Refresh once, retry the step, success with the same result; the rotated refresh token is stored; the old one is never sent again.',
    select: whole,
    arrange: (h) => h.expireAccessTokenAt(1),
    expect: (v) => ({
      outcome: 'success',
      output: v.op.writes ? 'same-record' : 'baseline',
      state: 'baseline',
      tokenRequests: 1,
    }),
    verify: rotationChecks,
  },
  {
    id: 'token-expired-mid-zap',
    group: 'auth',
    fault: "The access token expires at the step's (or flow's) last request, after earlier requests succeeded.",
    operations: 'every operation and flow that sends more than one request',
    expected: 'Refresh once, the step is retried from the start, success; writes done before the 401 are not duplicated.',
    select: (_op, b) => (b.requests.length > 1 ? [b.requests[b.requests.length - 1]] : []),
    arrange: (h, v, b) => h.expireAccessTokenAt(b.run.requests.length),
    expect: (v) => ({ outcome: 'success', output: v.op.writes ? 'same-record' : 'baseline', state: 'baseline', tokenRequests: 1 }),
    verify: rotationChecks,
  },
  {
    id: 'refresh-token-used',
    group: 'auth',
    fault: 'The access token expired and the stored refresh token was already used (rotated elsewhere): GHL answers 400 invalid_grant.',
    operations: 'every operation and flow',
    expected: 'ExpiredAuthError asking the user to reconnect; exactly one refresh attempt, no request after it; data unchanged.',
    select: whole,
    arrange: expireAndBreakRefresh('used'),
    cleanup: reconnect,
    expect: () => ({ outcome: 'error', error: { name: 'ExpiredAuthError', message: [RECONNECT] }, state: 'unchanged', tokenRequests: 1 }),
    verify: noApiAfterTokenRequest,
  },
  {
    id: 'refresh-token-revoked',
    group: 'auth',
    fault: 'The access token expired and the refresh token was revoked (app uninstalled): GHL answers 400 invalid_grant.',
    operations: 'every operation and flow',
    expected: 'ExpiredAuthError asking the user to reconnect; exactly one refresh attempt, no request after it; data unchanged.',
    select: whole,
    arrange: expireAndBreakRefresh('revoked'),
    cleanup: reconnect,
    expect: () => ({ outcome: 'error', error: { name: 'ExpiredAuthError', message: [RECONNECT] }, state: 'unchanged', tokenRequests: 1 }),
    verify: noApiAfterTokenRequest,
  },
  {
    id: 'token-endpoint-429',
    group: 'auth',
    fault: "The access token expired and GHL's token endpoint answers 429 to the refresh.",
    operations: 'every operation and flow',
    expected: 'ThrottledError (Zapier retries later); the stored refresh token stays valid; data unchanged; replay converges.',
    select: whole,
    arrange: (h) => {
      h.expireAccessTokenAt(1);
      h.sb.faults.failNext(1, { status: 429, match: /^\/oauth\/token$/ });
    },
    expect: () => ({
      outcome: 'error',
      error: { name: 'ThrottledError', delay: [DEFAULT_THROTTLE_DELAY_SECONDS, DEFAULT_THROTTLE_DELAY_SECONDS] },
      state: 'unchanged',
      tokenRequests: 1,
      replay: true,
    }),
    verify: refreshTokenIntact,
  },
  {
    id: 'token-endpoint-503',
    group: 'auth',
    fault: "The access token expired and GHL's token endpoint answers 503 to the refresh.",
    operations: 'every operation and flow',
    expected: 'A retryable AppError (not a request to reconnect: the connection is fine); the refresh token stays valid; replay converges.',
    select: whole,
    arrange: (h) => {
      h.expireAccessTokenAt(1);
      h.sb.faults.failNext(1, { status: 503, match: /^\/oauth\/token$/ });
    },
    expect: () => ({
      outcome: 'error',
      error: { name: 'AppError', message: [RETRYABLE] },
      state: 'unchanged',
      tokenRequests: 1,
      replay: true,
    }),
    verify: refreshTokenIntact,
  },
  {
    id: 'token-endpoint-reset',
    group: 'auth',
    fault: 'The access token expired and the connection to the token endpoint is reset (no answer, refresh not performed).',
    operations: 'every operation and flow',
    expected: 'A retryable AppError; the refresh token stays valid; replay converges.',
    select: whole,
    arrange: (h) => {
      h.expireAccessTokenAt(1);
      h.sb.faults.resetConnectionNext(1, { match: /^\/oauth\/token$/ });
    },
    expect: () => ({
      outcome: 'error',
      error: { name: 'AppError', message: [RETRYABLE] },
      state: 'unchanged',
      tokenRequests: 1,
      replay: true,
    }),
    verify: refreshTokenIntact,
  },
];

// ---------------------------------------------------------------- throttling

const throttled = (delay: [number, number]): Expected => ({
  outcome: 'error',
  error: { name: 'ThrottledError', delay },
  state: 'not-applied',
  apiRequests: 'at-most-baseline',
  targetAttempts: 1,
  replay: true,
});

/** An HTTP-date `seconds` from now (Retry-After may be a date, RFC 9110 §10.2.3). */
const httpDateIn = (seconds: number) => new Date(Date.now() + seconds * 1000).toUTCString();

const THROTTLE: FaultCase[] = [
  {
    id: '429-no-headers',
    group: 'throttle',
    fault: "429 on the step's first request, with neither Retry-After nor X-RateLimit-* headers.",
    operations: 'every operation and flow',
    expected: `ThrottledError with GHL's burst window as delay (${DEFAULT_THROTTLE_DELAY_SECONDS} s); not retried in-process; data unchanged; replay converges.`,
    select: firstRequest,
    arrange: (h, v) => h.sb.faults.failNext(1, { status: 429, ...h.target(v.target!) }),
    expect: () => throttled([DEFAULT_THROTTLE_DELAY_SECONDS, DEFAULT_THROTTLE_DELAY_SECONDS]),
  },
  {
    id: '429-retry-after-seconds',
    group: 'throttle',
    fault: "429 with Retry-After: 7 on the step's first request.",
    operations: 'every operation and flow',
    expected: 'ThrottledError, delay 7 s; not retried in-process; data unchanged; replay converges.',
    select: firstRequest,
    arrange: (h, v) => h.sb.faults.failNext(1, { status: 429, headers: { 'Retry-After': '7' }, ...h.target(v.target!) }),
    expect: () => throttled([7, 7]),
  },
  {
    id: '429-retry-after-date',
    group: 'throttle',
    fault: "429 with Retry-After as an HTTP date 30 s ahead on the step's first request.",
    operations: 'every operation and flow',
    expected: 'ThrottledError, delay ≈ 30 s (28–31); not retried in-process; data unchanged; replay converges.',
    select: firstRequest,
    arrange: (h, v) => h.sb.faults.failNext(1, { status: 429, headers: { 'Retry-After': httpDateIn(30) }, ...h.target(v.target!) }),
    expect: () => throttled([28, 31]),
  },
  {
    id: '429-x-ratelimit',
    group: 'throttle',
    fault: "429 with GHL's X-RateLimit-Max: 100, X-RateLimit-Remaining: 0, X-RateLimit-Interval-Milliseconds: 2500 and no Retry-After.",
    operations: 'every operation and flow',
    expected: 'ThrottledError, delay 3 s (the interval, rounded up); not retried in-process; data unchanged; replay converges.',
    select: firstRequest,
    arrange: (h, v) =>
      h.sb.faults.failNext(1, {
        status: 429,
        headers: { 'X-RateLimit-Max': '100', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Interval-Milliseconds': '2500' },
        ...h.target(v.target!),
      }),
    expect: () => throttled([3, 3]),
  },
  {
    id: '429-daily-limit',
    group: 'throttle',
    fault: "429 with X-RateLimit-Daily-Remaining: 0 (GHL's 200,000 requests per day used up) and the 10 s burst interval.",
    operations: 'every operation and flow',
    expected: `ThrottledError saying the daily limit was reached, delay ${DAILY_LIMIT_DELAY_SECONDS / 60} min (not the 10 s burst window); not retried in-process; data unchanged.`,
    select: firstRequest,
    arrange: (h, v) =>
      h.sb.faults.failNext(1, {
        status: 429,
        headers: {
          'X-RateLimit-Limit-Daily': '200000',
          'X-RateLimit-Daily-Remaining': '0',
          'X-RateLimit-Interval-Milliseconds': '10000',
          'X-RateLimit-Max': '100',
          'X-RateLimit-Remaining': '57',
        },
        ...h.target(v.target!),
      }),
    expect: () => {
      const e = throttled([DAILY_LIMIT_DELAY_SECONDS, DAILY_LIMIT_DELAY_SECONDS]);
      return { ...e, error: { ...e.error!, message: [/daily request limit/] } };
    },
  },
  {
    id: '429-on-write',
    group: 'throttle',
    fault: 'Bare 429 on each write of the step (after its reads succeeded).',
    operations: 'every operation and flow that writes (one run per write)',
    expected: 'ThrottledError; the write is not retried in-process; nothing half-done is reported as done; replay converges.',
    select: eachWrite,
    arrange: (h, v) => h.sb.faults.failNext(1, { status: 429, ...h.target(v.target!) }),
    expect: () => throttled([DEFAULT_THROTTLE_DELAY_SECONDS, DEFAULT_THROTTLE_DELAY_SECONDS]),
  },
];

// ---------------------------------------------------------------- server errors

const SERVER: FaultCase[] = [
  {
    id: '503-read-once',
    group: 'server',
    fault: "503 once on the step's first request, a read.",
    operations: 'every operation and flow whose first request is a read',
    expected: 'The read is sent once more; success with the same result.',
    select: firstRead,
    arrange: (h, v) => h.sb.faults.failNext(1, { status: 503, ...h.target(v.target!) }),
    expect: recovered,
  },
  ...[500, 502, 503].map((status): FaultCase => ({
    id: `${status}-read-persistent`,
    group: 'server',
    fault: `${status} on the step's first request, a read, and again on its retry.`,
    operations: 'every operation and flow whose first request is a read',
    expected: `AppError ghl_server_error (${status}) saying retrying may help; the read was tried twice; data unchanged; replay converges.`,
    select: firstRead,
    arrange: (h, v) => h.sb.faults.failNext(2, { status, ...h.target(v.target!) }),
    expect: (v) => ({ ...writeFailure('ghl_server_error', status, v.target), targetAttempts: 2, state: 'unchanged' }),
  })),
  ...[500, 502, 503].map((status): FaultCase => ({
    id: `${status}-write`,
    group: 'server',
    fault: `${status} on each write of the step (request not performed by GHL).`,
    operations: 'every operation and flow that writes (one run per write)',
    expected: `AppError ghl_server_error (${status}) saying retrying may help; a write is never re-sent in-process (except setting a contact's business, which is idempotent); replay converges.`,
    select: eachWrite,
    arrange: (h, v) => h.sb.faults.failNext(2, { status, ...h.target(v.target!) }),
    expect: (v) => writeFailure('ghl_server_error', status, v.target),
  })),
];

// ---------------------------------------------------------------- transport and bodies

const HTML_200 = '<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>Checking your browser</body></html>';

const TRANSPORT: FaultCase[] = [
  {
    id: 'html-502-read-once',
    group: 'transport',
    fault: "A proxy's HTML 502 page once on the step's first request, a read.",
    operations: 'every operation and flow whose first request is a read',
    expected: 'The read is sent once more; success with the same result.',
    select: firstRead,
    arrange: (h, v) => h.sb.faults.htmlBodyNext(1, { status: 502, ...h.target(v.target!) }),
    expect: recovered,
  },
  {
    id: 'html-502-write',
    group: 'transport',
    fault: "A proxy's HTML 502 page on each write (request not performed).",
    operations: 'every operation and flow that writes (one run per write)',
    expected: 'AppError ghl_server_error (502) saying retrying may help; no HTML in the message; replay converges.',
    select: eachWrite,
    arrange: (h, v) => h.sb.faults.htmlBodyNext(2, { status: 502, ...h.target(v.target!) }),
    expect: (v) => writeFailure('ghl_server_error', 502, v.target),
    verify: (_h, _v, run) => (/<html|<!DOCTYPE/i.test(run.error?.message ?? '') ? ['the message contains the HTML page'] : []),
  },
  {
    id: 'reset-read-once',
    group: 'transport',
    fault: "Connection reset once on the step's first request, a read.",
    operations: 'every operation and flow whose first request is a read',
    expected: 'The read is sent once more; success with the same result.',
    select: firstRead,
    arrange: (h, v) => h.sb.faults.resetConnectionNext(1, h.target(v.target!)),
    expect: recovered,
  },
  {
    id: 'reset-read-persistent',
    group: 'transport',
    fault: "Connection reset on the step's first request, a read, and on its retry.",
    operations: 'every operation and flow whose first request is a read',
    expected: 'AppError ghl_unreachable (502) saying retrying may help; data unchanged; replay converges.',
    select: firstRead,
    arrange: (h, v) => h.sb.faults.resetConnectionNext(2, h.target(v.target!)),
    expect: (v) => ({ ...writeFailure('ghl_unreachable', 502, v.target), targetAttempts: 2, state: 'unchanged' }),
  },
  {
    id: 'reset-write',
    group: 'transport',
    fault: 'Connection reset on each write (no answer; GHL did not perform it).',
    operations: 'every operation and flow that writes (one run per write)',
    expected:
      'AppError ghl_unreachable (502): retrying may help, GHL may or may not have applied the change; not re-sent in-process; replay converges.',
    select: eachWrite,
    arrange: (h, v) => h.sb.faults.resetConnectionNext(2, h.target(v.target!)),
    expect: (v) => writeFailure('ghl_unreachable', 502, v.target, v.target?.idempotent ? [] : [MAY_HAVE_APPLIED]),
  },
  {
    id: 'timeout-read-once',
    group: 'transport',
    fault: "The answer to the step's first request, a read, stalls past the request timeout once.",
    operations: 'every operation and flow whose first request is a read',
    expected: 'The read is sent once more; success with the same result.',
    timeoutMs: 100,
    select: firstRead,
    arrange: (h, v) => h.sb.faults.holdBodyNext(1, h.target(v.target!)),
    expect: recovered,
  },
  {
    id: 'timeout-write',
    group: 'transport',
    fault: 'Each write is performed by GHL but its answer stalls past the request timeout.',
    operations: 'every operation and flow that writes (one run per write)',
    expected:
      'AppError ghl_unreachable (502): retrying may help, GHL may or may not have applied the change; replay converges (exactly one record, no duplicate).',
    timeoutMs: 100,
    select: eachWrite,
    arrange: (h, v) => h.sb.faults.holdBodyNext(v.target?.idempotent ? 2 : 1, h.target(v.target!)),
    expect: (v) => ({ ...writeFailure('ghl_unreachable', 502, v.target, v.target?.idempotent ? [] : [MAY_HAVE_APPLIED]), state: 'any' }),
  },
  {
    id: 'truncated-read-once',
    group: 'transport',
    fault: "The step's first request, a read, gets a 200 whose JSON body is cut in half, once.",
    operations: 'every operation and flow whose first request is a read',
    expected: 'The read is sent once more; success with the same result.',
    select: firstRead,
    arrange: (h, v) => h.sb.faults.malformedBodyNext(1, h.target(v.target!)),
    expect: recovered,
  },
  {
    id: 'truncated-read-persistent',
    group: 'transport',
    fault: "The step's first request, a read, gets a truncated JSON body twice.",
    operations: 'every operation and flow whose first request is a read',
    expected: 'AppError ghl_unreadable_response (502) saying retrying may help; data unchanged; replay converges.',
    select: firstRead,
    arrange: (h, v) => h.sb.faults.malformedBodyNext(2, h.target(v.target!)),
    expect: (v) => ({ ...writeFailure('ghl_unreadable_response', 502, v.target), targetAttempts: 2, state: 'unchanged' }),
  },
  {
    id: 'truncated-write',
    group: 'transport',
    fault: 'Each write is performed by GHL but its 200 answer is truncated JSON.',
    operations: 'every operation and flow that writes (one run per write)',
    expected:
      'AppError ghl_unreadable_response (502): never reported as success; says GHL may have applied the change; replay converges (exactly one record).',
    select: eachWrite,
    arrange: (h, v) => h.sb.faults.malformedBodyNext(v.target?.idempotent ? 2 : 1, h.target(v.target!)),
    expect: (v) => ({
      ...writeFailure('ghl_unreadable_response', 502, v.target, v.target?.idempotent ? [] : [MAY_HAVE_APPLIED]),
      state: 'any',
    }),
  },
  {
    id: 'html-200-read-once',
    group: 'transport',
    fault: "The step's first request, a read, gets a 200 HTML page (a proxy's challenge) once.",
    operations: 'every operation and flow whose first request is a read',
    expected: 'The read is sent once more; success with the same result.',
    select: firstRead,
    arrange: (h, v) => h.sb.faults.failNext(1, { status: 200, body: HTML_200, ...h.target(v.target!) }),
    expect: recovered,
  },
  {
    id: 'html-200-write',
    group: 'transport',
    fault: 'Each write gets a 200 HTML page instead of JSON (request not performed).',
    operations: 'every operation and flow that writes (one run per write)',
    expected: 'AppError ghl_unreadable_response (502), never reported as success; replay converges.',
    select: eachWrite,
    arrange: (h, v) => h.sb.faults.failNext(2, { status: 200, body: HTML_200, ...h.target(v.target!) }),
    expect: (v) => writeFailure('ghl_unreadable_response', 502, v.target),
  },
  {
    id: 'empty-200-read-once',
    group: 'transport',
    fault: "The step's first request, a read, gets a 200 with an empty body once.",
    operations: 'every operation and flow whose first request is a read',
    expected: 'The read is sent once more; success with the same result (an empty body is not an empty list).',
    select: firstRead,
    arrange: (h, v) => h.sb.faults.failNext(1, { status: 200, body: '', ...h.target(v.target!) }),
    expect: recovered,
  },
  {
    id: 'empty-200-write',
    group: 'transport',
    fault: 'Each write gets a 200 with an empty body (request not performed).',
    operations: 'every operation and flow that writes (one run per write)',
    expected: 'AppError ghl_unreadable_response (502), never reported as success; replay converges.',
    select: eachWrite,
    arrange: (h, v) => h.sb.faults.failNext(2, { status: 200, body: '', ...h.target(v.target!) }),
    expect: (v) => writeFailure('ghl_unreadable_response', 502, v.target),
  },
];

// ---------------------------------------------------------------- GHL quirks

const withRef = (ref: string) => (op: OpSpec, b: Baseline) => (op.refs.includes(ref) && b.requests.length ? [undefined] : []);

const missing = (ref: string, what: string, words: RegExp): FaultCase => ({
  id: `missing-${what}`,
  group: 'quirk',
  fault: `The ${what} id is well-formed but names no ${what} (GHL answers 400 "… with id … not found").`,
  operations: `every operation with a ${what} input`,
  expected: 'Searches: no result ([]), not an error. Triggers and actions: AppError naming what is missing; never retried; data unchanged.',
  select: withRef(ref),
  arrange: () => undefined,
  overrides: () => ({ [ref]: MISSING_ID }),
  expect: (v) =>
    v.op.kind === 'searches'
      ? { outcome: 'empty', state: 'unchanged', apiRequests: 'at-most-baseline' }
      : {
          outcome: 'error',
          error: { name: 'AppError', status: [400, 404], message: [words] },
          state: 'unchanged',
          apiRequests: 'at-most-baseline',
        },
});

const missingRun = (ref: string): Pick<FaultCase, 'verify'> => ({
  verify: (_h, _v, run) => {
    const sent = run.api.filter((r) => JSON.stringify([r.path, r.query, r.body]).includes(MISSING_ID));
    return sent.length || run.api.length === 0 ? [] : [`the missing ${ref} was never sent to GHL`];
  },
});

const FORBIDDEN_MESSAGE = 'The token does not have access to this location.';

const QUIRKS: FaultCase[] = [
  { ...missing('contactId', 'contact', /not found|no contact/i), ...missingRun('contactId') },
  { ...missing('taskId', 'task', /not found|no task/i), ...missingRun('taskId') },
  { ...missing('noteId', 'note', /not found|no note/i), ...missingRun('noteId') },
  {
    ...missing('businessId', 'business', /not found|no business/i),
    ...missingRun('businessId'),
  },
  {
    id: 'forbidden-403',
    group: 'quirk',
    fault: `403 "${FORBIDDEN_MESSAGE}" on the step's first request.`,
    operations: 'every operation and flow',
    expected:
      'AppError ghl_forbidden (403) with GHL\'s words and what to check (the connected sub-account, the scopes); not retried; a search does not turn it into "nothing found"; data unchanged.',
    select: firstRequest,
    arrange: (h, v) =>
      h.sb.faults.failNext(1, { status: 403, body: { statusCode: 403, message: FORBIDDEN_MESSAGE }, ...h.target(v.target!) }),
    expect: () => ({
      outcome: 'error',
      error: {
        name: 'AppError',
        code: ['ghl_forbidden'],
        status: [403],
        message: [/does not have access to this location/, /sub-account/],
      },
      state: 'unchanged',
      targetAttempts: 1,
    }),
  },
  {
    id: 'wrong-location',
    group: 'quirk',
    fault: "The connection's stored locationId is another sub-account of the company than the token's (GHL answers 403 for it).",
    operations: 'every operation and flow that sends the locationId',
    expected: 'AppError ghl_forbidden (403) telling the user to check the connected sub-account; data unchanged.',
    select: (_op, b) => (b.requests.some((r) => r.hasLocation) ? [undefined] : []),
    arrange: (h) => {
      savedLocation = h.runner.authData.locationId;
      h.runner.authData = { ...h.runner.authData, locationId: h.ids.otherLocationId };
    },
    cleanup: (h) => {
      if (savedLocation !== undefined) h.runner.authData = { ...h.runner.authData, locationId: savedLocation };
      savedLocation = undefined;
    },
    expect: () => ({
      outcome: 'error',
      error: { name: 'AppError', code: ['ghl_forbidden'], status: [403], message: [/sub-account/] },
      state: 'unchanged',
    }),
  },
  {
    id: 'create-422-but-created',
    group: 'quirk',
    fault: 'GHL bug #64: POST /contacts/ creates the contact but answers 422 "Unprocessable Entity".',
    operations: 'every operation and flow that creates a contact',
    expected:
      "First try: the created contact, or an AppError in GHL's words; never a second contact. Replay: the contact GHL created (found, not created again); exactly one contact with that email.",
    select: (_op, b) => b.requests.filter((r) => r.method === 'POST' && /^\/contacts\/?$/.test(r.path)).slice(0, 1),
    arrange: (h, v) => h.sb.faults.createThenFailNext(1, h.target(v.target!)),
    expect: () => ({ outcome: 'success-or-error', state: 'any', replay: true }),
  },
];

let savedLocation: string | undefined;

export const FAULT_CASES: FaultCase[] = [...AUTH, ...THROTTLE, ...SERVER, ...TRANSPORT, ...QUIRKS];
