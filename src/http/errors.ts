import type { HttpResponse, ZObject } from 'zapier-platform-core';

/**
 * The one place where GHL answers become Zapier errors.
 *
 * GHL error bodies (docs/ghl-api.md §4.2): `{ statusCode, message, error?, traceId?, meta? }` where
 * `message` is a string (400/401/403) or an array of strings (422 validation). Proxies in front
 * of GHL answer 502/503 with HTML, and a dropped connection leaves a truncated body, so nothing
 * here assumes the body is JSON.
 */

export interface GhlErrorBody {
  statusCode?: number;
  message?: string | string[];
  error?: string;
  error_description?: string;
  traceId?: string;
  meta?: { contactId?: string; contactName?: string; matchingField?: string };
}

/** Fallback when a throttled answer carries no timing header: GHL's burst window is 10 s. */
export const DEFAULT_THROTTLE_DELAY_SECONDS = 10;

/** The body's fields; a text body (HTML from a proxy), a list or no body at all has none of them. */
const asObject = (data: unknown): GhlErrorBody => (data ?? {}) as GhlErrorBody;

/** GHL's own words for an error, whatever shape they came in. */
export const ghlMessage = (data: unknown): string | undefined => {
  const body = asObject(data);
  const message = body.message;
  if (Array.isArray(message)) {
    const parts = message.filter((m): m is string => typeof m === 'string' && m.trim() !== '');
    if (parts.length) return parts.join('; ');
  } else if (typeof message === 'string' && message.trim() !== '') {
    return message.trim();
  }
  if (typeof body.error_description === 'string' && body.error_description) return body.error_description;
  if (typeof body.error === 'string' && body.error) return body.error;
  return undefined;
};

/** The duplicate-contact 400 names the contact that already exists; callers can recover with it. */
export const duplicateContactId = (response: Pick<HttpResponse, 'status' | 'data'>): string | undefined => {
  if (response.status !== 400) return undefined;
  const id = asObject(response.data).meta?.contactId;
  return typeof id === 'string' && id !== '' ? id : undefined;
};

const header = (response: HttpResponse, name: string): string | undefined => {
  const value = response.getHeader(name);
  return value === null || value === undefined || value === '' ? undefined : String(value);
};

/**
 * GHL's daily quota (200,000 requests per sub-account) is used up (`X-RateLimit-Daily-Remaining: 0`):
 * retrying after the 10 s burst window would only fail again. GHL's live answers carry
 * `X-RateLimit-Daily-Reset`, the milliseconds until the quota resets (not in GHL's header list;
 * recorded July 2026, fixtures/ghl-recordings/rate-limit-headers.json: 83,653,000 at 10:19:43 and
 * 72,750,000 at 13:21:26 both point at 09:33:56 the next day); Zapier waits that long. Without it,
 * an hour.
 */
export const DAILY_LIMIT_DELAY_SECONDS = 3600;
const dailyResetSeconds = (response: HttpResponse): number | undefined => {
  const value = header(response, 'x-ratelimit-daily-reset')?.trim();
  // No header reads "undefined": not a number either.
  if (!/^\d+(\.\d+)?$/.test(String(value))) return undefined;
  const ms = Number(value);
  // More than a day cannot be "until the daily reset": not the format we know, so not trusted.
  // 0 means the reset is due now: one second, as for a Retry-After date in the past.
  return ms <= 86_400_000 ? Math.max(1, Math.ceil(ms / 1000)) : undefined;
};
const dailyLimitReached = (response: HttpResponse): boolean => header(response, 'x-ratelimit-daily-remaining')?.trim() === '0';

/** `Retry-After` is either delay-seconds or an HTTP-date (RFC 9110 §10.2.3); a date in the past means "now" (1 s). */
const retryAfterSeconds = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    const seconds = Number(trimmed);
    return seconds > 0 ? Math.ceil(seconds) : undefined;
  }
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(1, Math.ceil((at - Date.now()) / 1000));
};

/**
 * Seconds to wait before retrying a 429: `Retry-After` (seconds or an HTTP date) if GHL or a proxy sent it,
 * else, when the daily quota is used up, the time until its reset (else an hour), else GHL's burst window from `X-RateLimit-Interval-Milliseconds`, else 10 s.
 */
export const throttleDelaySeconds = (response: HttpResponse): number => {
  const retryAfter = retryAfterSeconds(header(response, 'retry-after'));
  if (retryAfter !== undefined) return retryAfter;
  if (dailyLimitReached(response)) return dailyResetSeconds(response) ?? DAILY_LIMIT_DELAY_SECONDS;
  const intervalMs = Number(header(response, 'x-ratelimit-interval-milliseconds'));
  if (Number.isFinite(intervalMs) && intervalMs > 0) return Math.ceil(intervalMs / 1000);
  return DEFAULT_THROTTLE_DELAY_SECONDS;
};

/** Ends a GHL message with exactly one period, so it can be followed by our advice. */
const sentence = (s: string): string => `${s.replace(/[.\s]+$/, '')}.`;

const traceIdOf = (response: HttpResponse): string | undefined => {
  const fromBody = asObject(response.data).traceId;
  return typeof fromBody === 'string' && fromBody ? fromBody : header(response, 'x-trace-id');
};

const withTrace = (message: string, response: HttpResponse): string => {
  const traceId = traceIdOf(response);
  return traceId ? `${message} (GHL traceId: ${traceId})` : message;
};

/** The request's path ('' when the response carries no readable URL; no URL reads "undefined", which does not parse). */
const pathOf = (response: HttpResponse): string => URL.parse(String(response.request?.url))?.pathname ?? '';

const describeRequest = (response: HttpResponse): string => {
  const method = (response.request?.method ?? 'GET').toUpperCase();
  const path = pathOf(response);
  return path ? `${method} ${path}` : method;
};

/** The duplicate-contact 400 (e.g. an update to another contact's email) names the contact that holds the value. */
const duplicateNote = (response: HttpResponse): string => {
  if (!duplicateContactId(response)) return '';
  const meta = asObject(response.data).meta ?? {};
  const name = typeof meta.contactName === 'string' && meta.contactName.trim() ? `"${meta.contactName.trim()}" ` : '';
  const by = typeof meta.matchingField === 'string' && meta.matchingField ? `, same ${meta.matchingField}` : '';
  return ` The contact already in GHL is ${name}(ID ${meta.contactId})${by}.`;
};

/**
 * The OAuth scope GHL checks for a request (each operation's `security` in openapi/apps/*.json;
 * test/http/errors.scopes.test.ts checks this table against every spec operation it covers,
 * test/config.test.ts that it covers every endpoint the app declares).
 */
const SCOPE_RULES: Array<[RegExp, string, string?]> = [
  // [path, scope for reads, scope for writes (when different)]
  [/^\/contacts\/search(\/duplicate)?$/, 'contacts.readonly'],
  [/^\/contacts(\/|$)/, 'contacts.readonly', 'contacts.write'],
  [/^\/locations\/[^/]+\/customFields(\/|$)/, 'locations/customFields.readonly', 'locations/customFields.write'],
  [/^\/custom-fields(\/|$)/, 'locations/customFields.readonly', 'locations/customFields.write'],
  [/^\/locations\/[^/]+\/customValues$/, 'locations/customValues.readonly', 'locations/customValues.write'],
  [/^\/locations\/[^/]+\/tags$/, 'locations/tags.readonly', 'locations/tags.write'],
  [/^\/locations\/[^/]+\/tasks\/search$/, 'locations/tasks.readonly'],
  [/^\/locations\/(search|[^/]+(\/timezones)?)$/, 'locations.readonly', 'locations.write'],
  [/^\/users\/search(\/|$)/, 'users.readonly'],
  [/^\/users(\/|$)/, 'users.readonly', 'users.write'],
  [/^\/businesses(\/|$)/, 'businesses.readonly', 'businesses.write'],
  [/^\/calendars\/(events|blocked-slots|appointments)(\/|$)/, 'calendars/events.readonly', 'calendars/events.write'],
  [/^\/campaigns(\/|$)/, 'campaigns.readonly'],
  [/^\/workflows(\/|$)/, 'workflows.readonly'],
];

export const scopeFor = (method: string, pathname: string): string | undefined => {
  const p = pathname.replace(/\/$/, '');
  for (const [pattern, read, write] of SCOPE_RULES) {
    if (!pattern.test(p)) continue;
    return method.toUpperCase() === 'GET' || !write ? read : write;
  }
  return undefined;
};

/** GHL's 401 for a token that lacks the operation's scope (the sandbox sends the same). */
export const isMissingScope = (response: Pick<HttpResponse, 'status' | 'data'>): boolean =>
  // Stryker disable next-line StringLiteral: equivalent, "" and any other text without the words fail the test alike
  response.status === 401 && /not authorized for this scope/i.test(ghlMessage(response.data) ?? '');

/**
 * A token without the scope: refreshing cannot help (a refreshed token has the scopes of the
 * install), so this is not a RefreshAuthError — core's autoRefresh would refresh and retry, and
 * the retried request would fail the same way. Nor an ExpiredAuthError: reconnecting helps only
 * after the marketplace app asks for the scope. The message says which scope and in what order.
 */
export const missingScopeError = (z: ZObject, response: HttpResponse): Error => {
  const scope = scopeFor(response.request?.method ?? 'GET', pathOf(response));
  const needs = scope
    ? `This step needs the scope ${scope}, which this connection was not granted. Enable ${scope} in your GHL Marketplace app`
    : "This step needs a scope this connection was not granted. Compare your GHL Marketplace app's scopes with the ones listed in this integration's README";
  return new z.errors.Error(
    withTrace(
      `GHL refused ${describeRequest(response)}: ${lowerFirst(sentence(ghlSays(response)))} ${needs} (My Apps → your app → Auth → Scopes), then reconnect your GHL account in Zapier so that the new token includes it.`,
      response,
    ),
    'ghl_missing_scope',
    401,
  );
};

const ghlSays = (response: HttpResponse): string => ghlMessage(response.data) ?? 'unauthorized';

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

/**
 * The Zapier error for a GHL answer, or undefined when the answer is a success.
 * A 401 normally never gets here: the afterResponse middleware (src/http/middleware.ts) turns it
 * into RefreshAuthError (refresh, then retry once), or, for a missing scope, {@link missingScopeError}.
 */
export const ghlErrorFor = (z: ZObject, response: HttpResponse): Error | undefined => {
  const { status } = response;
  if (status < 400) return undefined;
  const ghlSays = ghlMessage(response.data);

  if (status === 429) {
    const delay = throttleDelaySeconds(response);
    const daily = dailyLimitReached(response);
    const limit = daily
      ? `GHL's daily request limit for this sub-account was reached (${header(response, 'x-ratelimit-limit-daily') ?? '200,000'} requests per day)`
      : "GHL's rate limit was reached (100 requests per 10 seconds per sub-account)";
    const when = delay >= 120 ? `${Math.round(delay / 60)} min` : `${delay} s`;
    return new z.errors.ThrottledError(withTrace(`${limit}. Zapier will retry in ${when}.`, response), delay);
  }
  if (status >= 500) {
    const what = ghlSays ?? `HTTP ${status}`;
    return new z.errors.Error(
      withTrace(
        `GHL failed to process ${describeRequest(response)}: ${what}. This is usually temporary; retrying the step may help.`,
        response,
      ),
      'ghl_server_error',
      status,
    );
  }
  if (status === 401) {
    if (isMissingScope(response)) return missingScopeError(z, response);
    return new z.errors.ExpiredAuthError(
      withTrace(`GHL refused the connection's token: ${ghlSays ?? 'unauthorized'}. Please reconnect your GHL account.`, response),
    );
  }
  if (status === 403) {
    return new z.errors.Error(
      withTrace(
        `GHL denied access: ${sentence(ghlSays ?? 'forbidden')} Check that the connected sub-account is the one that holds this record and that the app was granted the needed scope.`,
        response,
      ),
      'ghl_forbidden',
      status,
    );
  }
  const fallback = status === 404 ? 'not found' : `HTTP ${status}`;
  const note = duplicateNote(response);
  return new z.errors.Error(
    withTrace(`GHL rejected the request: ${note ? `${sentence(ghlSays ?? fallback)}${note}` : (ghlSays ?? fallback)}`, response),
    status === 422 ? 'ghl_invalid_input' : 'ghl_bad_request',
    status,
  );
};

/** The message a user sees for an error: `z.errors.Error` (AppError) keeps it JSON-encoded with its code and status. */
export const zapierMessage = (error: unknown): string => {
  const e = error as { name?: string; message?: string } | null;
  const raw = String(e?.message ?? error);
  if (e?.name === 'AppError' || e?.name === 'ThrottledError') {
    try {
      return String((JSON.parse(raw) as { message?: unknown }).message ?? raw);
    } catch {
      return raw;
    }
  }
  return raw.split('\n')[0] ?? raw;
};
