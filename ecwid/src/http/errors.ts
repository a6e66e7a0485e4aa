import type { HttpResponse, ZObject } from 'zapier-platform-core';

/**
 * The one place where Ecwid answers become Zapier errors.
 *
 * Ecwid error bodies are `{ errorMessage, errorCode }` (docs.ecwid.com "REST API error codes"),
 * but the body is optional and a proxy may answer with HTML, so nothing here assumes JSON.
 * Ecwid tokens never expire and there is no refresh grant: a refused token means the app was
 * uninstalled or the token revoked, and only a new connection helps. Those answers become
 * ExpiredAuthError ("reconnect"), never RefreshAuthError (which would make Zapier retry a refresh
 * that cannot exist).
 */

export interface EcwidErrorBody {
  errorMessage?: string;
  errorCode?: string;
}

/** Fallback when a 429 has no Retry-After: Ecwid's limit is per minute (600 requests per token). */
export const DEFAULT_THROTTLE_DELAY_SECONDS = 60;

/** The body's fields; a text body (HTML from a proxy), a list or no body at all has none of them. */
const asObject = (data: unknown): EcwidErrorBody => (data ?? {}) as EcwidErrorBody;

export const ecwidMessage = (data: unknown): string | undefined => {
  const m = asObject(data).errorMessage;
  return typeof m === 'string' && m.trim() !== '' ? m.trim() : undefined;
};

export const ecwidCode = (data: unknown): string | undefined => {
  const c = asObject(data).errorCode;
  return typeof c === 'string' && c.trim() !== '' ? c.trim() : undefined;
};

/** `Retry-After` is delay-seconds or an HTTP-date (RFC 9110 §10.2.3); 0 or a date in the past means "now" (1 s). */
export const throttleDelaySeconds = (response: HttpResponse): number => {
  // No header reads "null" or "undefined": neither seconds nor a date.
  const value = String(response.getHeader('retry-after')).trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.max(1, Math.ceil(Number(value)));
  const at = Date.parse(value);
  return Number.isNaN(at) ? DEFAULT_THROTTLE_DELAY_SECONDS : Math.max(1, Math.ceil((at - Date.now()) / 1000));
};

const sentence = (s: string): string => `${s.replace(/[.\s]+$/, '')}.`;

const describeRequest = (response: HttpResponse): string => {
  const method = (response.request?.method ?? 'GET').toUpperCase();
  // No URL reads "undefined", which does not parse either.
  const url = URL.parse(String(response.request?.url));
  // The store id is in the path; the query can hold search values, so it is left out.
  return url ? `${method} ${url.pathname.replace(/.*\/api\/v3/, '')}` : method;
};

export const RECONNECT = 'Reconnect Ecwid in Zapier (My Apps → Ecwid Customers → Reconnect) and approve the app again.';

const TOKEN_CODES = new Set(['INVALID_API_TOKEN', 'STORE_NOT_FOUND']);

/** The Zapier error for an Ecwid answer, or undefined when the answer is a success. */
export const ecwidErrorFor = (z: ZObject, response: HttpResponse): Error | undefined => {
  const { status } = response;
  if (status < 400) return undefined;
  const says = ecwidMessage(response.data);
  const code = ecwidCode(response.data);
  const what = says ?? code ?? `HTTP ${status}`;

  if (status === 429) {
    const delay = throttleDelaySeconds(response);
    return new z.errors.ThrottledError(
      `Ecwid's rate limit was reached (600 requests per minute per token). Zapier will retry in ${delay} s.`,
      delay,
    );
  }
  if (status >= 500) {
    return new z.errors.Error(
      `Ecwid failed to process ${describeRequest(response)}: ${sentence(what)} This is usually temporary; Zapier will try again on the next poll, or retry the step.`,
      'ecwid_server_error',
      status,
    );
  }
  if (
    status === 401 ||
    (status === 403 && (code === undefined || TOKEN_CODES.has(code))) ||
    (status === 404 && code === 'STORE_NOT_FOUND')
  ) {
    return new z.errors.ExpiredAuthError(
      `Ecwid no longer accepts this connection (${what}): the app was uninstalled from the store or its access was revoked. ${RECONNECT}`,
    );
  }
  if (status === 403 && code === 'INSUFFICIENT_APP_SCOPE') {
    return new z.errors.ExpiredAuthError(
      `Ecwid says this connection lacks a permission (${what}). ${RECONNECT} The app asks for read_store_profile and read_customers.`,
    );
  }
  if (status === 402) {
    return new z.errors.Error(
      `Ecwid refused: ${sentence(what)} Ecwid's API is available on paid plans only, and a suspended store cannot be read; check the store's plan in the Ecwid admin.`,
      'ecwid_plan_required',
      status,
    );
  }
  if (status === 403) {
    return new z.errors.Error(`Ecwid denied access: ${sentence(what)}`, 'ecwid_forbidden', status);
  }
  return new z.errors.Error(
    `Ecwid rejected ${describeRequest(response)}: ${what}`,
    status === 404 ? 'ecwid_not_found' : 'ecwid_bad_request',
    status,
  );
};
