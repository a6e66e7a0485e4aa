/**
 * The sandbox's request log (`sandbox.requests`, `GET /_sandbox/requests`): one entry per API,
 * token or OAuth page request, secrets redacted.
 */

export interface RequestLogEntry {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  /** request headers; Authorization redacted to 'Bearer ***' */
  headers: Record<string, string | string[] | undefined>;
  /** parsed body (JSON or form), secrets redacted to '***' */
  body: unknown;
  /** response status; 0 when the connection was reset by a fault */
  status: number;
  operationId?: string;
  /** fault applied to this request, if any */
  fault?: string;
  /** ISO timestamp (real clock) */
  at: string;
  /** when the request arrived, epoch ms with sub-millisecond precision (performance.timeOrigin + performance.now()) */
  startMs: number;
  /** when the response was sent or the connection reset, same clock as startMs; undefined while in flight */
  endMs?: number;
}

const REDACT_KEYS = ['client_secret', 'code', 'refresh_token', 'access_token'];

/** A body or query as logged: the values of secret keys as '***'. */
export function redact<T>(v: T): T {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) out[k] = REDACT_KEYS.includes(k) && val !== undefined ? '***' : val;
  return out as T;
}

/** Request headers as logged: Authorization as 'Bearer ***'. */
export function redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[] | undefined> {
  const logged = { ...headers };
  if (logged['authorization'] !== undefined) logged['authorization'] = 'Bearer ***';
  return logged;
}

/** Epoch ms with sub-millisecond precision, for the request log's start/end times. */
export const preciseNow = () => performance.timeOrigin + performance.now();
