import type { Bundle, HttpRequestOptions, HttpResponse, ZObject } from 'zapier-platform-core';
import { apiBaseUrl, requestTimeoutMs } from '../config.js';
import { ghlErrorFor } from './errors.js';

/**
 * The request helper every operation uses: `ghl(z, bundle).get(path`/contacts/${id}`)`.
 * It builds the URL from the configured host, encodes every id placed in a path, sends through
 * `z.request` (so Zapier's logging, censoring, auth refresh and our middleware all apply) and
 * turns transport failures and unreadable bodies into errors a user can act on.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A path whose interpolated values were checked and percent-encoded by {@link path}. */
export interface GhlPath {
  readonly value: string;
}

export class UnsafePathSegmentError extends Error {}

const encodeSegment = (raw: unknown): string => {
  if (typeof raw !== 'string' && typeof raw !== 'number') {
    throw new UnsafePathSegmentError(`expected an id, got ${raw === null ? 'null' : typeof raw}`);
  }
  const value = String(raw).trim();
  if (value === '' || value === '.' || value === '..') {
    throw new UnsafePathSegmentError(`"${value}" is not a valid id`);
  }
  return encodeURIComponent(value);
};

/** Tagged template for API paths: `path`/contacts/${contactId}/tasks``. Each value is one encoded segment. */
export const path = (strings: TemplateStringsArray, ...values: unknown[]): GhlPath => ({
  value: strings.reduce((out, literal, i) => out + literal + (i < values.length ? encodeSegment(values[i]) : ''), ''),
});

export interface GhlRequest {
  method: HttpMethod;
  path: GhlPath;
  params?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Hand error answers back to the caller (it must call `ghlErrorFor` for those it does not handle). */
  skipThrowForStatus?: boolean;
  /** A read that may be sent twice safely: retried once after a 5xx, a dropped connection or an unreadable body. */
  idempotent?: boolean;
  /**
   * Extra headers (API Request's, checked by src/lib/apiRequestInput.ts). The middleware still sets
   * Accept and Authorization, and Version unless this names one of GHL's versions.
   */
  headers?: Record<string, string>;
  /** `manual`: a 3xx is handed back, not followed (API Request: nothing may go to another address). */
  redirect?: 'manual';
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_SOCKET']);

/** Errors thrown by node-fetch itself (not by our middleware): the request may or may not have reached GHL. */
export const isTransportError = (error: unknown): boolean => {
  const e = error as { name?: string; code?: string; type?: string; errno?: string } | null;
  if (!e) return false;
  return (
    e.name === 'FetchError' ||
    e.name === 'AbortError' ||
    e.type === 'request-timeout' ||
    e.type === 'body-timeout' ||
    NETWORK_CODES.has(String(e.code ?? e.errno ?? ''))
  );
};

const describe = (req: GhlRequest): string => `${req.method} ${req.path.value}`;

/** For a write whose answer was lost or unreadable: GHL may have done it, so a blind retry may do it twice. */
const mayHaveApplied = (req: GhlRequest): string =>
  req.idempotent
    ? ''
    : ' GHL may or may not have applied the change; a Zapier retry of this step is safe only for steps that look the record up first (the Find or Create steps).';

/** Errors after which a read may be sent once more (Zapier's AppError keeps its code inside a JSON message). */
const retryable = new WeakSet<object>();
const markRetryable = <E extends object>(error: E): E => {
  retryable.add(error);
  return error;
};

export const ghl = (z: ZObject, _bundle: Bundle) => {
  const sendOnce = async <T>(req: GhlRequest): Promise<HttpResponse<T>> => {
    const options: HttpRequestOptions & { url: string } = {
      url: apiBaseUrl() + req.path.value,
      method: req.method,
      timeout: requestTimeoutMs(),
      skipThrowForStatus: req.skipThrowForStatus ?? false,
    };
    if (req.params) {
      const params: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.params)) if (v !== undefined) params[k] = String(v);
      options.params = params;
    }
    if (req.headers) options.headers = { ...req.headers };
    if (req.redirect) options.redirect = req.redirect;
    if (req.body !== undefined) {
      options.body = JSON.stringify(req.body);
      options.headers = { ...options.headers, 'Content-Type': 'application/json' };
    }
    let response: HttpResponse<T>;
    try {
      response = (await z.request(options)) as HttpResponse<T>;
    } catch (error) {
      if (!isTransportError(error)) throw error;
      // First line only: core may append a context block; the URL is replaced because it can carry query values.
      const reason = String((error as Error).message ?? 'network error')
        .split('\n')[0]!
        .replace(/https?:\/\/[^\s]+/g, '<GHL>');
      const maybeApplied = mayHaveApplied(req);
      throw markRetryable(
        new z.errors.Error(
          `Could not reach GHL for ${describe(req)} (${reason}). This is usually temporary; retrying the step may help.${maybeApplied}`,
          'ghl_unreachable',
          502,
        ),
      );
    }
    // A success without a readable JSON body (truncated, an HTML page, or empty) is never reported as a success:
    // an empty body is not an empty list, and a write's answer is what proves it was done.
    const unreadable = response.status < 300 && response.status !== 204 && response.data === undefined;
    if (unreadable) {
      const what = response.content.trim() === '' ? 'an empty body' : 'a body that is not valid JSON';
      throw markRetryable(
        new z.errors.Error(
          `GHL answered ${describe(req)} with ${what} (HTTP ${response.status}, ${response.content.length} bytes). This is usually temporary; retrying the step may help.${mayHaveApplied(req)}`,
          'ghl_unreadable_response',
          502,
        ),
      );
    }
    return response;
  };

  const request = async <T = any>(req: GhlRequest): Promise<HttpResponse<T>> => {
    if (!req.idempotent) return sendOnce<T>(req);
    let response: HttpResponse<T>;
    try {
      response = await sendOnce<T>({ ...req, skipThrowForStatus: true });
    } catch (error) {
      if (error && typeof error === 'object' && retryable.has(error)) return sendOnce<T>(req);
      throw error;
    }
    // The one retry happens outside the try: whatever it ends in is final (a read is sent twice at most).
    if (response.status >= 500) return sendOnce<T>(req);
    if (!req.skipThrowForStatus) {
      const error = ghlErrorFor(z, response);
      if (error) throw error;
    }
    return response;
  };

  return {
    request,
    get: <T = any>(p: GhlPath, params?: GhlRequest['params']) => request<T>({ method: 'GET', path: p, params, idempotent: true }),
    post: <T = any>(p: GhlPath, body: unknown, extra: Partial<GhlRequest> = {}) => request<T>({ method: 'POST', path: p, body, ...extra }),
    put: <T = any>(p: GhlPath, body: unknown, extra: Partial<GhlRequest> = {}) => request<T>({ method: 'PUT', path: p, body, ...extra }),
    delete: <T = any>(p: GhlPath, body?: unknown, extra: Partial<GhlRequest> = {}) =>
      request<T>({ method: 'DELETE', path: p, body, ...extra }),
  };
};

export type GhlClient = ReturnType<typeof ghl>;
