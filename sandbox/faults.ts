/**
 * Fault injection. Each fault applies to the next N matching requests (API and /oauth/token;
 * never /_sandbox/* nor the OAuth HTML pages). Faults are consumed in the order they were added;
 * at most one fault applies to a request.
 */

export interface FaultMatch {
  /** RegExp (or its source string) tested against the request path (without query). */
  match?: RegExp | string;
  /** HTTP method (case-insensitive). */
  method?: string;
}

export interface FailOptions extends FaultMatch {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type FaultKind = 'fail' | 'reset' | 'malformed' | 'html' | 'slow' | 'hold' | 'createThenFail';

export interface Fault {
  kind: FaultKind;
  remaining: number;
  match?: RegExp;
  method?: string;
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  ms?: number;
}

function toRegExp(m: RegExp | string | undefined): RegExp | undefined {
  if (m === undefined) return undefined;
  return m instanceof RegExp ? m : new RegExp(m);
}

export class Faults {
  readonly queue: Fault[] = [];

  private add(
    kind: FaultKind,
    n: number,
    opts: FaultMatch & { status?: number; body?: unknown; headers?: Record<string, string>; ms?: number },
  ): void {
    if (!Number.isInteger(n) || n < 1) throw new Error(`fault count must be a positive integer, got ${n}`);
    this.queue.push({
      kind,
      remaining: n,
      match: toRegExp(opts.match),
      method: opts.method?.toUpperCase(),
      status: opts.status,
      body: opts.body,
      headers: opts.headers,
      ms: opts.ms,
    });
  }

  /** Respond with `status` (and optional body/headers) without performing the request. */
  failNext(n: number, opts: FailOptions): void {
    this.add('fail', n, opts);
  }

  /** Destroy the socket without any response (the request is not performed). */
  resetConnectionNext(n: number, opts: FaultMatch = {}): void {
    this.add('reset', n, opts);
  }

  /** Perform the request, then answer `status` (default 200) with the real JSON body cut in half. */
  malformedBodyNext(n: number, opts: FaultMatch & { status?: number } = {}): void {
    this.add('malformed', n, opts);
  }

  /** Answer an HTML error page from a "proxy" (default 502); the request is not performed. */
  htmlBodyNext(n: number, opts: FaultMatch & { status?: number } = {}): void {
    this.add('html', n, opts);
  }

  /** Perform the request, send the headers at once and the body after `ms`. */
  slowBodyNext(n: number, ms: number, opts: FaultMatch = {}): void {
    this.add('slow', n, { ...opts, ms });
  }

  /**
   * Perform the request, send the headers at once and hold the body until the sandbox is told
   * (`sb.releaseHeld()`, `POST /_sandbox/release`, `reset()` or `close()`): a client timeout that
   * fires whatever the machine's load, because nothing but the test ends the wait.
   */
  holdBodyNext(n: number, opts: FaultMatch = {}): void {
    this.add('hold', n, opts);
  }

  /**
   * GHL bug #64: perform the request (e.g. the contact IS created) but answer an error
   * (default 422 `{ statusCode, message: ["Unprocessable Entity"], error }`).
   * Defaults to POST requests only.
   */
  createThenFailNext(n: number, opts: FaultMatch & { status?: number; body?: unknown } = {}): void {
    this.add('createThenFail', n, { method: 'POST', ...opts });
  }

  clear(): void {
    this.queue.length = 0;
  }

  /** Find and consume the fault for a request (if any). */
  take(method: string, path: string): Fault | undefined {
    const m = method.toUpperCase();
    const idx = this.queue.findIndex((f) => f.remaining > 0 && (!f.method || f.method === m) && (!f.match || f.match.test(path)));
    if (idx < 0) return undefined;
    const f = this.queue[idx]!;
    f.remaining -= 1;
    if (f.remaining <= 0) this.queue.splice(idx, 1);
    return f;
  }

  /** Apply a JSON description (POST /_sandbox/faults): `{ type, n, status?, body?, headers?, match?, method?, ms? }` or `{ clear: true }`. */
  applyJson(spec: unknown): void {
    const list = Array.isArray(spec) ? spec : [spec];
    for (const s of list) {
      if (typeof s !== 'object' || s === null) throw new Error('fault must be an object');
      const o = s as Record<string, unknown>;
      if (o['clear'] === true || o['type'] === 'clear') {
        this.clear();
        continue;
      }
      const n = typeof o['n'] === 'number' ? o['n'] : 1;
      const match = typeof o['match'] === 'string' ? o['match'] : undefined;
      const method = typeof o['method'] === 'string' ? o['method'] : undefined;
      const status = typeof o['status'] === 'number' ? o['status'] : undefined;
      const headers = (typeof o['headers'] === 'object' && o['headers'] !== null ? o['headers'] : undefined) as
        Record<string, string> | undefined;
      switch (o['type']) {
        case 'failNext':
          this.failNext(n, { status: status ?? 500, body: o['body'], headers, match, method });
          break;
        case 'resetConnectionNext':
          this.resetConnectionNext(n, { match, method });
          break;
        case 'malformedBodyNext':
          this.malformedBodyNext(n, { match, method, status });
          break;
        case 'htmlBodyNext':
          this.htmlBodyNext(n, { match, method, status });
          break;
        case 'slowBodyNext':
          this.slowBodyNext(n, typeof o['ms'] === 'number' ? o['ms'] : 1000, { match, method });
          break;
        case 'holdBodyNext':
          this.holdBodyNext(n, { match, method });
          break;
        case 'createThenFailNext':
          this.createThenFailNext(n, { match, ...(method ? { method } : {}), status, body: o['body'] });
          break;
        default:
          throw new Error(`unknown fault type ${String(o['type'])}`);
      }
    }
  }
}
