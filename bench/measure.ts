/**
 * Measuring one operation run against the sandbox: requests sent, sequential round trips (from the
 * sandbox's request log: each request's arrival and response time) and wall time.
 */
import type { RequestLogEntry, Sandbox } from '../sandbox/server.js';

export interface Interval {
  startMs: number;
  endMs?: number;
}

/**
 * Sequential round trips: the longest chain of requests in which each one arrived only after the
 * previous one had been answered. Requests sent together (Promise.all) overlap and count once;
 * a request that needed the previous answer starts after it and counts again.
 */
/**
 * Each request's position in the longest chain ending with it (1 = sent without waiting for
 * another answer). `requests` must be sorted by arrival.
 */
export const roundTripLevels = (requests: Interval[]): number[] => {
  const levels: number[] = [];
  requests.forEach((r, i) => {
    let best = 0;
    for (let j = 0; j < i; j++) {
      const prev = requests[j] as Interval;
      if (prev.endMs !== undefined && prev.endMs <= r.startMs) best = Math.max(best, levels[j] ?? 0);
    }
    levels[i] = best + 1;
  });
  return levels;
};

export const sequentialRoundTrips = (requests: Interval[]): number =>
  Math.max(0, ...roundTripLevels([...requests].sort((a, b) => a.startMs - b.startMs)));

export const median = (values: number[]): number => {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

export const round = (n: number, digits = 1): number => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

export interface RunMeasure {
  requests: number;
  roundTrips: number;
  wallMs: number;
  /** Time the sandbox spent answering (response time − arrival), summed along the requests, minus added latency. */
  sandboxMs: number;
  /** `METHOD /path` of each request (ids replaced by `:id`), grouped by round trip: `A + B → C`. */
  calls: string;
  /** Items returned (triggers and searches), or undefined for an action. */
  items?: number;
  error?: string;
}

const ID = /^[A-Za-z0-9]{20}$/;
export const describeCall = (r: RequestLogEntry): string =>
  `${r.method} ${r.path
    .split('/')
    .map((s) => (ID.test(s) ? ':id' : s))
    .join('/')}`;

/** Waits until every logged request since `from` has its response time (the response is already with the client). */
const settled = async (sb: Sandbox, from: number): Promise<RequestLogEntry[]> => {
  for (let i = 0; i < 50; i++) {
    const reqs = sb.requests.slice(from);
    if (reqs.every((r) => r.endMs !== undefined)) return reqs;
    await new Promise((r) => setTimeout(r, 2));
  }
  return sb.requests.slice(from);
};

/** Runs `fn` once and measures the requests it caused. Errors are recorded, not thrown. */
export const measure = async (sb: Sandbox, latencyMs: number, fn: () => Promise<unknown>): Promise<RunMeasure> => {
  const from = sb.requests.length;
  const t0 = performance.now();
  let out: unknown;
  let error: string | undefined;
  try {
    out = await fn();
  } catch (e) {
    error = (e as Error).message;
  }
  const wallMs = performance.now() - t0;
  const reqs = await settled(sb, from);
  const sorted = [...reqs].sort((a, b) => a.startMs - b.startMs);
  const levels = roundTripLevels(sorted);
  const sandboxMs = reqs.reduce((sum, r) => sum + Math.max(0, (r.endMs ?? r.startMs) - r.startMs - latencyMs), 0);
  return {
    requests: reqs.length,
    roundTrips: Math.max(0, ...levels),
    wallMs,
    sandboxMs,
    calls: [...new Set(levels)]
      .sort((a, b) => a - b)
      .map((level) =>
        sorted
          .filter((_, i) => levels[i] === level)
          .map(describeCall)
          .join(' + '),
      )
      .join(' → '),
    ...(Array.isArray(out) ? { items: out.length } : {}),
    ...(error !== undefined ? { error } : {}),
  };
};
