/**
 * Runs app operations against the local sandbox over real HTTP on 127.0.0.1, the way Zapier runs
 * them (through {@link ZapRunner}: real appTester, middleware, OAuth refresh-and-retry-once), and
 * records everything a reliability check needs: the outcome (decoded Zapier error), the requests
 * the sandbox saw, the sandbox data before and after, and the refresh tokens presented.
 *
 * Plain TypeScript (no jest): `npm run matrix` runs it under tsx, test/reliability/*.test.ts under jest.
 */
import App from '../../index.js';
import { automationSnapshot } from '../../sandbox/state/automation.js';
import { ZapRunner } from '../../recipes/zap-runner.js';
import { issueTokenPair } from '../../sandbox/oauth.js';
import { startSandbox, type RequestLogEntry, type Sandbox, type SandboxOptions } from '../../sandbox/server.js';
import type { RefreshTokenRecord } from '../../sandbox/state/records.js';
import { allOperations, seedIds, withRefs, type OpSpec, type SeedIds } from './ops.js';

/** Marks the requests a timeout case shortened (lower case: as the sandbox logs headers). */
const SHORT_TIMEOUT_HEADER = 'x-harness-short-timeout';

/** The sandbox clock for data timestamps, fixed so that two runs of the same step leave identical data. */
export const FIXED_NOW = '2026-11-28T12:00:00.000Z';

const ENV_KEYS = ['GHL_API_BASE_URL', 'GHL_AUTH_BASE_URL', 'CLIENT_ID', 'CLIENT_SECRET', 'GHL_REQUEST_TIMEOUT_MS'] as const;

/** Search endpoints only read, even though they are POSTs. */
const READ_OPERATIONS = new Set(['search-contacts-advanced', 'task-search']);
/** Writes the app may send twice safely (setting the same business again changes nothing). */
const IDEMPOTENT_WRITES = new Set(['add-remove-contact-from-business']);

export interface DecodedError {
  name: string;
  message: string;
  code?: string;
  status?: number;
  delay?: number;
}

/** Zapier's errors: `z.errors.Error` (AppError) and ThrottledError JSON-encode `{ message, code, status | delay }`. */
export const decodeError = (error: unknown): DecodedError => {
  const e = error as Error | undefined;
  const name = e?.name ?? typeof error;
  const message = String(e?.message ?? error);
  if (name === 'AppError' || name === 'ThrottledError') {
    try {
      // Outside tests, core appends "\n\nConsole logs: …" to the JSON.
      return { name, ...(JSON.parse(message.split('\n\nConsole logs:')[0]!) as Omit<DecodedError, 'name'>) };
    } catch {
      return { name, message };
    }
  }
  // Core prepends a "What happened:" block to some errors; the app's own words are the last line.
  const lines = message
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return { name, message: message.includes('What happened:') ? (lines[lines.length - 1] ?? '') : message };
};

export interface RequestInfo {
  index: number;
  method: string;
  path: string;
  operationId?: string;
  read: boolean;
  idempotent: boolean;
  /** True when the request carries the connection's locationId (query, body or path). */
  hasLocation: boolean;
}

export interface RunRecord {
  ok: boolean;
  output?: unknown;
  error?: DecodedError;
  /** Every request the sandbox logged during the run, token requests included. */
  requests: RequestLogEntry[];
  api: RequestLogEntry[];
  token: RequestLogEntry[];
  stateBefore: string;
  stateAfter: string;
  /** Refresh tokens GHL (the sandbox) was asked to redeem during the run. */
  presentedRefreshTokens: string[];
  refreshTokenBefore: string;
  refreshTokenAfter: string;
  ms: number;
}

export interface Baseline {
  run: RunRecord;
  requests: RequestInfo[];
  /** Data after one fault-free run: what every replay must converge to. */
  state: string;
}

export interface HarnessOptions {
  sandbox?: SandboxOptions;
  /** Register and use this OAuth client instead of the sandbox's demo client. */
  client?: { id: string; secret: string };
}

/**
 * zapier-platform-core's Lambda safeguard (src/tools/memory-checker.js) exits the process once it
 * has served 250 invocations while its RSS is above 450 MB. A matrix makes about a thousand
 * invocations, and a jest worker that already ran the rest of the suite is above 450 MB (jest and
 * swc alone take ~300 MB), so while a harness runs, core is shown an RSS just under its limit.
 */
const realMemoryUsage = process.memoryUsage;
const RSS_SHOWN_TO_CORE = 440 * 1000 * 1000;
const capRssSeenByCore = (): void => {
  const capped = (() => {
    const usage = realMemoryUsage.call(process);
    return { ...usage, rss: Math.min(usage.rss, RSS_SHOWN_TO_CORE) };
  }) as typeof process.memoryUsage;
  capped.rss = () => Math.min(realMemoryUsage.rss(), RSS_SHOWN_TO_CORE);
  process.memoryUsage = capped;
};

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
export const exactPath = (p: string) => new RegExp(`^${escapeRe(p)}$`);

const sortById = <T extends { id: string }>(items: Iterable<T>) => [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

export class Harness {
  readonly ops: OpSpec[];
  private readonly baselines = new Map<string, Promise<Baseline>>();
  private readonly savedEnv: Record<string, string | undefined>;
  /** Every refresh token presented to the sandbox since the harness started, in order. */
  readonly presented: string[] = [];
  private hooks: Array<(n: number, entry: RequestLogEntry) => void> = [];
  /** While set, the sandbox's rate-limit clock stands still: a burst lands in one window however long a busy machine takes. */
  rateLimitClockStoppedAt: number | undefined;
  private requestsSinceFresh = 0;

  private constructor(
    readonly sb: Sandbox,
    readonly runner: ZapRunner,
    readonly ids: SeedIds,
    savedEnv: Record<string, string | undefined>,
  ) {
    this.savedEnv = savedEnv;
    this.ops = withRefs(allOperations(), ids);
  }

  static async start(opts: HarnessOptions = {}): Promise<Harness> {
    capRssSeenByCore();
    const savedEnv: Record<string, string | undefined> = {};
    for (const k of ENV_KEYS) savedEnv[k] = process.env[k];
    const made: { harness?: Harness } = {};
    const sb = await startSandbox({ rateLimitClock: () => made.harness?.rateLimitClockStoppedAt ?? Date.now(), ...opts.sandbox });
    let view: Sandbox = sb;
    if (opts.client) {
      sb.state.apps.set(opts.client.id, { clientId: opts.client.id, clientSecret: opts.client.secret, name: 'Reliability run' });
      // ZapRunner.useSandbox copies the client from the sandbox object: give it ours.
      view = Object.create(sb, { clientId: { value: opts.client.id }, clientSecret: { value: opts.client.secret } }) as Sandbox;
    }
    const runner = new ZapRunner(view);
    await runner.connect();
    const h = new Harness(sb, runner, seedIds(sb.state), savedEnv);
    made.harness = h;
    h.instrument();
    return h;
  }

  /** Spies the sandbox (test-side only): refresh tokens presented, and a hook per logged request. */
  private instrument(): void {
    const map = this.sb.state.refreshTokens;
    const get = map.get.bind(map);
    map.get = (token: string) => {
      this.presented.push(token);
      return get(token);
    };
    const requests = this.sb.requests;
    const push = requests.push.bind(requests);
    requests.push = (...entries: RequestLogEntry[]) => {
      const n = push(...entries);
      for (const entry of entries) {
        this.requestsSinceFresh += 1;
        for (const hook of this.hooks) hook(this.requestsSinceFresh, entry);
      }
      return n;
    };
  }

  /** The refresh token record without going through the spy. */
  refreshRecord(token: string): RefreshTokenRecord | undefined {
    return Map.prototype.get.call(this.sb.state.refreshTokens, token) as RefreshTokenRecord | undefined;
  }

  /**
   * The user reconnects (after a case broke the connection's refresh token on purpose): a new token
   * pair for the same grant, stored as Zapier would. No refresh token is ever made valid again.
   */
  reconnect(grantOf: RefreshTokenRecord): void {
    const { token: _token, used: _used, ...grant } = grantOf;
    const pair = issueTokenPair(this.sb.state, grant, 86_399);
    this.runner.authData = { ...this.runner.authData, access_token: pair.access_token, refresh_token: pair.refresh_token };
    this.runner.refreshTokens.push(pair.refresh_token);
  }

  /** Refresh tokens GHL was asked to redeem more than once (must stay empty: a rotated token is never reused). */
  redeemedTwice(): string[] {
    const seen = new Set<string>();
    return this.presented.filter((t) => (seen.has(t) ? true : (seen.add(t), false)));
  }

  /**
   * Gives the first `count` requests the app builds for `target` (method and path, as the fault that
   * holds them matches) a timeout of `ms`, through a beforeRequest middleware added to the app for
   * the step: the held requests time out, and every other request keeps the app's own timeout,
   * however loaded the machine is (a fixed GHL_REQUEST_TIMEOUT_MS would apply to all of them). Each
   * carries `X-Harness-Short-Timeout: <n>` so that {@link shortTimeoutsHeld} can tell whether they
   * reached the sandbox before they timed out.
   */
  shortTimeoutFor(ms: number, target: { match: RegExp; method: string }, count: number): void {
    this.restoreTimeout();
    let built = 0;
    const shorten = (request: { url?: string; method?: string; timeout?: number; headers?: Record<string, string> }) => {
      if (
        built < count &&
        (request.method ?? 'GET').toUpperCase() === target.method &&
        target.match.test(new URL(request.url ?? '').pathname)
      ) {
        built += 1;
        request.timeout = ms;
        request.headers = { ...request.headers, [SHORT_TIMEOUT_HEADER]: String(built) };
      }
      return request;
    };
    (App.beforeRequest as unknown[]).push(shorten);
    this.removeShorten = () => {
      const list = App.beforeRequest as unknown[];
      list.splice(list.indexOf(shorten), 1);
    };
  }

  /**
   * True when the sandbox held exactly the requests {@link shortTimeoutFor} shortened, in order. On a
   * busy machine a short timeout can fire before its request even reaches the sandbox: the fault
   * then never happened (or met the retry instead), and the run says nothing about the app.
   */
  shortTimeoutsHeld(run: RunRecord, count: number): boolean {
    const held = run.api.filter((r) => r.fault === 'hold');
    const marked = run.api.filter((r) => r.headers[SHORT_TIMEOUT_HEADER] !== undefined);
    return held.length === count && marked.length === count && held.every((r, i) => r.headers[SHORT_TIMEOUT_HEADER] === String(i + 1));
  }

  private removeShorten: (() => void) | undefined;

  private restoreTimeout(): void {
    this.removeShorten?.();
    this.removeShorten = undefined;
  }

  /** Back to the seed, a fixed clock, no faults, no hooks, and a valid access token for the runner. */
  fresh(): void {
    this.restoreTimeout();
    this.sb.reset();
    this.sb.state.setNow(FIXED_NOW);
    this.hooks = [];
    this.requestsSinceFresh = 0;
    this.runner.steps.length = 0;
    const access = this.sb.state.accessTokens.get(this.runner.authData.access_token ?? '');
    if (access) access.expiresAt = Date.now() + 3_600_000;
  }

  /** Before a replay: the fault and hooks gone, a valid access token; the data stays as the first try left it. */
  prepareReplay(): void {
    this.restoreTimeout();
    this.sb.faults.clear();
    this.hooks = [];
    this.runner.steps.length = 0;
    const access = this.sb.state.accessTokens.get(this.runner.authData.access_token ?? '');
    if (access) access.expiresAt = Date.now() + 3_600_000;
  }

  /** {@link fresh}, then the data the operation expects (its `prepare`, made through the app), not counted as the step's. */
  async freshFor(op: OpSpec): Promise<void> {
    this.fresh();
    if (!op.prepare) return;
    await op.prepare({ sb: this.sb, runner: this.runner });
    this.requestsSinceFresh = 0;
    this.runner.steps.length = 0;
  }

  /** Runs `fn` when the sandbox logs its n-th request after {@link fresh} (before that request is answered). */
  onRequest(n: number, fn: () => void): void {
    this.hooks.push((count) => {
      if (count === n) fn();
    });
  }

  /** Makes the connection's access token expire when the n-th request arrives (that request gets GHL's 401). */
  expireAccessTokenAt(n: number): void {
    const token = this.runner.authData.access_token ?? '';
    this.onRequest(n, () => {
      const rec = this.sb.state.accessTokens.get(token);
      if (rec) rec.expiresAt = 0;
    });
  }

  snapshot(): string {
    const s = this.sb.state;
    return JSON.stringify({
      contacts: sortById(s.contacts.values()),
      tasks: sortById(s.tasks.values()),
      notes: sortById(s.notes.values()),
      appointments: sortById(s.appointments.values()),
      businesses: sortById(s.businesses.values()),
      tags: sortById(s.tags.values()),
      customFields: sortById(s.customFields.values()),
      ...automationSnapshot(s),
    });
  }

  /** Runs one step (or flow) and records what happened. Never throws for the step's own errors. */
  async exec(op: OpSpec, overrides?: Record<string, unknown>): Promise<RunRecord> {
    const started = Date.now();
    const firstRequest = this.sb.requests.length;
    const firstPresented = this.presented.length;
    const stateBefore = this.snapshot();
    const refreshTokenBefore = this.runner.authData.refresh_token ?? '';
    let ok = true;
    let output: unknown;
    let error: DecodedError | undefined;
    try {
      output = await op.run({ sb: this.sb, runner: this.runner }, this.ids, overrides);
    } catch (e) {
      ok = false;
      error = decodeError(e);
    }
    // The step is over: answers held for a timeout case go out now (their client gave up long ago).
    this.sb.releaseHeld();
    await this.settle();
    const requests = this.sb.requests.slice(firstRequest);
    return {
      ok,
      output,
      error,
      requests,
      api: requests.filter((r) => r.path !== '/oauth/token'),
      token: requests.filter((r) => r.path === '/oauth/token'),
      stateBefore,
      stateAfter: this.snapshot(),
      presentedRefreshTokens: this.presented.slice(firstPresented),
      refreshTokenBefore,
      refreshTokenAfter: this.runner.authData.refresh_token ?? '',
      ms: Date.now() - started,
    };
  }

  /**
   * A step may end while requests it sent in parallel are still on their way (Promise.all settles at
   * the first error, and a search turns "not found" into []): wait until the sandbox has seen and
   * answered them, so they do not meet the next run's faults.
   */
  private async settle(): Promise<void> {
    // Done when the log shows nothing in flight and no new request over two checks in a row (a
    // busy machine only makes this take longer); the bound only stops a hung request from hanging the suite.
    let quiet = 0;
    for (let i = 0; i < 2000 && quiet < 2; i++) {
      const n = this.sb.requests.length;
      await new Promise((r) => setTimeout(r, 3));
      const inFlight = this.sb.requests.some((r) => r.endMs === undefined && r.fault !== 'slow');
      quiet = this.sb.requests.length === n && !inFlight ? quiet + 1 : 0;
    }
  }

  /** One fault-free run of the operation (cached): its requests and the data it leaves. */
  baseline(op: OpSpec): Promise<Baseline> {
    let p = this.baselines.get(op.id);
    if (!p) {
      p = (async () => {
        await this.freshFor(op);
        const run = await this.exec(op);
        const baseline: Baseline = { run, requests: run.api.map((r, index) => this.describe(r, index)), state: run.stateAfter };
        this.fresh();
        return baseline;
      })();
      this.baselines.set(op.id, p);
    }
    return p;
  }

  describe(r: RequestLogEntry, index: number): RequestInfo {
    const loc = this.ids.locationId;
    const body = r.body as Record<string, unknown> | undefined;
    return {
      index,
      method: r.method,
      path: r.path,
      operationId: r.operationId,
      read: r.method === 'GET' || READ_OPERATIONS.has(r.operationId ?? ''),
      idempotent: r.method === 'GET' || READ_OPERATIONS.has(r.operationId ?? '') || IDEMPOTENT_WRITES.has(r.operationId ?? ''),
      hasLocation:
        r.query['locationId'] === loc || (typeof body === 'object' && body !== null && body['locationId'] === loc) || r.path.includes(loc),
    };
  }

  /** The fault's target: exactly this request's method and path. */
  target(req: RequestInfo): { match: RegExp; method: string } {
    return { match: exactPath(req.path), method: req.method };
  }

  /** Sets an environment variable for the duration of `fn`. */
  async withEnv<T>(key: string, value: string | undefined, fn: () => Promise<T>): Promise<T> {
    const saved = process.env[key];
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
    try {
      return await fn();
    } finally {
      if (saved === undefined) delete process.env[key];
      else process.env[key] = saved;
    }
  }

  async close(): Promise<void> {
    this.restoreTimeout();
    await this.sb.close();
    process.memoryUsage = realMemoryUsage;
    for (const k of ENV_KEYS) {
      if (this.savedEnv[k] === undefined) delete process.env[k];
      else process.env[k] = this.savedEnv[k];
    }
  }
}
