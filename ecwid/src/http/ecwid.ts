import type { Bundle, HttpRequestOptions, HttpResponse, ZObject } from 'zapier-platform-core';
import { apiBaseUrl, requestTimeoutMs } from '../config.js';
import { ecwidCode, ecwidErrorFor } from './errors.js';

/**
 * The request helper every operation uses: `ecwid(z, bundle).get(path`/customers/${id}`)`.
 * It prefixes the store id of the connection, encodes every value placed in a path, sends through
 * `z.request` (Zapier's logging and censoring, our middleware) and turns transport failures and
 * unreadable bodies into errors a user can act on. Every Ecwid call of this app is a read, so
 * each may be sent twice: after a 5xx, a dropped connection or an unreadable body it is sent once
 * more, and whatever that ends in is final (no retry loop).
 */

export interface EcwidPath {
  readonly value: string;
}

export class UnsafePathSegmentError extends Error {}

const encodeSegment = (raw: unknown): string => {
  if (typeof raw !== 'string' && typeof raw !== 'number') throw new UnsafePathSegmentError(`expected an id, got ${typeof raw}`);
  const value = String(raw).trim();
  if (value === '' || value === '.' || value === '..') throw new UnsafePathSegmentError(`"${value}" is not a valid id`);
  return encodeURIComponent(value);
};

/** Tagged template for store-relative paths: `path`/customers/${id}``. Each value is one encoded segment. */
export const path = (strings: TemplateStringsArray, ...values: unknown[]): EcwidPath => ({
  value: strings.reduce((out, literal, i) => out + literal + (i < values.length ? encodeSegment(values[i]) : ''), ''),
});

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_SOCKET']);

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

export class MissingStoreError extends Error {}

export type Params = Record<string, string | number | boolean | undefined>;

export const ecwid = (z: ZObject, bundle: Bundle) => {
  const storeId = String(bundle.authData?.store_id ?? '').trim();
  if (!/^\d+$/.test(storeId)) throw new MissingStoreError('no store id');

  /** One attempt; `retryable` says whether a second one may help. */
  const once = async <T>(
    p: EcwidPath,
    params: Params | undefined,
    extra: Pick<HttpRequestOptions, 'redirect'> = {},
  ): Promise<{ response?: HttpResponse<T>; error?: Error; retryable: boolean }> => {
    const options: HttpRequestOptions & { url: string } = {
      url: `${apiBaseUrl()}/${storeId}${p.value}`,
      method: 'GET',
      timeout: requestTimeoutMs(),
      skipThrowForStatus: true,
      ...extra,
    };
    if (params) {
      const q: Record<string, string> = {};
      for (const [k, v] of Object.entries(params)) if (v !== undefined) q[k] = String(v);
      options.params = q;
    }
    let response: HttpResponse<T>;
    try {
      response = (await z.request(options)) as HttpResponse<T>;
    } catch (error) {
      if (!isTransportError(error)) throw error;
      const reason = String((error as Error).message ?? 'network error')
        .split('\n')[0]!
        .replace(/https?:\/\/\S+/g, '<Ecwid>');
      return {
        error: new z.errors.Error(
          `Could not reach Ecwid for GET ${p.value} (${reason}). This is usually temporary; Zapier will try again on the next poll.`,
          'ecwid_unreachable',
          502,
        ),
        retryable: true,
      };
    }
    if (response.status >= 500) return { error: ecwidErrorFor(z, response), retryable: true };
    if (response.status >= 300 && response.status < 400) {
      const error = new z.errors.Error(
        `Ecwid answered GET ${p.value} with HTTP ${response.status} (a redirect), which is not followed: nothing is sent to another address. Check the path.`,
        'ecwid_redirect',
        502,
      );
      return { error, retryable: false };
    }
    const failure = ecwidErrorFor(z, response);
    if (failure) return { response, error: failure, retryable: false };
    // An empty or non-JSON success is never read as "no customers": that would hide a fault.
    if (response.data === undefined || response.data === null || typeof response.data !== 'object') {
      const what = response.content.trim() === '' ? 'an empty body' : 'a body that is not JSON';
      return {
        error: new z.errors.Error(
          `Ecwid answered GET ${p.value} with ${what} (HTTP ${response.status}). This is usually temporary; Zapier will try again on the next poll.`,
          'ecwid_unreadable_response',
          502,
        ),
        retryable: true,
      };
    }
    return { response, retryable: false };
  };

  /** GET a store-relative path. `allow404` hands a 404 back (as `undefined`) instead of throwing. */
  const get = async <T = any>(p: EcwidPath, params?: Params, opts: { allow404?: boolean } = {}): Promise<T | undefined> => {
    let result = await once<T>(p, params);
    if (result.error && result.retryable) result = await once<T>(p, params);
    // A missing store is not a missing record: that one stays an error ("reconnect").
    if (opts.allow404 && result.response?.status === 404 && ecwidCode(result.response.data) !== 'STORE_NOT_FOUND') return undefined;
    if (result.error) throw result.error;
    return result.response!.data;
  };

  /**
   * API Request's GET: the whole answer (status, headers, text), with the same one retry. Redirects
   * are not followed (nothing may go to another address). `errorsAsData` hands a 4xx back instead
   * of throwing, except a refused token and throttling, which stay Zapier's to handle.
   */
  const getResponse = async (p: EcwidPath, params: Params | undefined, opts: { errorsAsData?: boolean } = {}): Promise<HttpResponse> => {
    let result = await once(p, params, { redirect: 'manual' });
    if (result.error && result.retryable) result = await once(p, params, { redirect: 'manual' });
    const kept = result.error?.name === 'ExpiredAuthError' || result.error?.name === 'ThrottledError';
    if (result.error && !(opts.errorsAsData && result.response && !kept)) throw result.error;
    return result.response!;
  };

  return { storeId, get, getResponse };
};

export type EcwidClient = ReturnType<typeof ecwid>;
