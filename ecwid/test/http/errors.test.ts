import zapier, { type HttpResponse, type ZObject } from 'zapier-platform-core';
import {
  DEFAULT_THROTTLE_DELAY_SECONDS,
  RECONNECT,
  ecwidCode,
  ecwidErrorFor,
  ecwidMessage,
  throttleDelaySeconds,
} from '../../src/http/errors.js';

/**
 * The error map at unit level, with each answer as Zapier hands it over (the same answers through
 * real requests: ecwid/test/http/ecwid.test.ts). It loads no app: mutation testing runs this file
 * once per mutant.
 */

const API = 'https://app.ecwid.com';
const api = (p: string) => `/api/v3/1003${p}`;

/** What Zapier shows: AppError and ThrottledError carry `{ message, code, status | delay }` as JSON. */
const zapierError = (error: unknown): { name: string; message: string; code?: string; status?: number; delay?: number } => {
  const e = error as Error;
  return e.name === 'AppError' || e.name === 'ThrottledError'
    ? { name: e.name, ...JSON.parse(e.message) }
    : { name: e.name, message: e.message };
};

describe('ecwidErrorFor', () => {
  const z = { errors: zapier.errors } as unknown as ZObject;
  const answer = (
    status: number,
    data: unknown = {},
    headers: Record<string, string> = {},
    url: string | null = `${API}${api('/customers')}?email=secret@example.com`,
  ) =>
    ({
      status,
      data,
      request: url === null ? undefined : { method: 'get', url },
      getHeader: (n: string) => headers[n.toLowerCase()] ?? null,
    }) as unknown as HttpResponse;
  const mapped = (response: HttpResponse) => {
    const e = ecwidErrorFor(z, response);
    expect(e).toBeInstanceOf(Error);
    return zapierError(e);
  };

  it('a success is no error', () => {
    expect(ecwidErrorFor(z, answer(200))).toBeUndefined();
    expect(ecwidErrorFor(z, answer(399))).toBeUndefined();
  });

  it('Ecwid’s words: errorMessage, else errorCode, else the status; blanks and non-strings do not count', () => {
    expect(ecwidMessage({ errorMessage: '  Store is closed  ' })).toBe('Store is closed');
    expect(ecwidMessage({ errorMessage: '  ' })).toBeUndefined();
    expect(ecwidMessage({ errorMessage: 5 })).toBeUndefined();
    expect(ecwidMessage(['errorMessage'])).toBeUndefined();
    expect(ecwidMessage(null)).toBeUndefined();
    expect(ecwidCode({ errorCode: ' WRONG_PARAMETER ' })).toBe('WRONG_PARAMETER');
    expect(ecwidCode({ errorCode: '' })).toBeUndefined();
    expect(ecwidCode({ errorCode: 403 })).toBeUndefined();
    expect(mapped(answer(400, { errorCode: 'WRONG_PARAMETER' })).message).toBe('Ecwid rejected GET /1003/customers: WRONG_PARAMETER');
    expect(mapped(answer(400, { errorMessage: ' ', errorCode: ' ' })).message).toBe('Ecwid rejected GET /1003/customers: HTTP 400');
  });

  it.each([
    ['7', 7],
    ['120', 120],
    [' 1.2 ', 2],
    ['1.25', 2],
    // Not seconds: read as a date (a past one) or not at all.
    ['2015-10-21 07:28:00', 1],
    ['7x', DEFAULT_THROTTLE_DELAY_SECONDS],
    ['soon', DEFAULT_THROTTLE_DELAY_SECONDS],
    ['', DEFAULT_THROTTLE_DELAY_SECONDS],
    ['  ', DEFAULT_THROTTLE_DELAY_SECONDS],
    ['Wed, 21 Oct 2015 07:28:00 GMT', 1],
  ])('429 with Retry-After %j → %i s', (retryAfter, delay) => {
    expect(throttleDelaySeconds(answer(429, '', { 'retry-after': retryAfter }))).toBe(delay);
    expect(DEFAULT_THROTTLE_DELAY_SECONDS).toBe(60);
  });

  it('429 with a Retry-After date: the seconds until then', () => {
    const at = new Date(Date.now() + 90_000).toUTCString();
    const e = mapped(answer(429, {}, { 'retry-after': at }));
    // toUTCString drops the milliseconds: the date may be up to a second early.
    expect([89, 90]).toContain(e.delay);
    expect(e).toEqual({
      name: 'ThrottledError',
      message: `Ecwid's rate limit was reached (600 requests per minute per token). Zapier will retry in ${e.delay} s.`,
      delay: e.delay,
    });
  });

  it('429 with Retry-After 0 waits a second, never zero', () => {
    expect(throttleDelaySeconds(answer(429, '', { 'retry-after': '0' }))).toBe(1);
  });

  it('5xx: the request without the query, Ecwid’s words as a sentence', () => {
    expect(mapped(answer(500, { errorMessage: 'Internal error...' }))).toEqual({
      name: 'AppError',
      message:
        'Ecwid failed to process GET /1003/customers: Internal error. This is usually temporary; Zapier will try again on the next poll, or retry the step.',
      code: 'ecwid_server_error',
      status: 500,
    });
    expect(mapped(answer(503, '', {}, null)).message).toMatch(/^Ecwid failed to process GET: HTTP 503\. /);
    expect(mapped(answer(504, '', {}, 'not a url')).message).toMatch(/^Ecwid failed to process GET: HTTP 504\. /);
  });

  it.each([
    [401, {}, 'HTTP 401'],
    [403, {}, 'HTTP 403'],
    [403, { errorCode: 'INVALID_API_TOKEN' }, 'INVALID_API_TOKEN'],
    [403, { errorMessage: 'Store not found', errorCode: 'STORE_NOT_FOUND' }, 'Store not found'],
    [404, { errorCode: 'STORE_NOT_FOUND' }, 'STORE_NOT_FOUND'],
  ])('%i %j: the connection is gone → reconnect', (status, data, what) => {
    expect(mapped(answer(status, data))).toEqual({
      name: 'ExpiredAuthError',
      message: `Ecwid no longer accepts this connection (${what}): the app was uninstalled from the store or its access was revoked. ${RECONNECT}`,
    });
  });

  it('403 INSUFFICIENT_APP_SCOPE: reconnect and grant the scopes', () => {
    expect(mapped(answer(403, { errorMessage: 'Missing scope', errorCode: 'INSUFFICIENT_APP_SCOPE' }))).toEqual({
      name: 'ExpiredAuthError',
      message: `Ecwid says this connection lacks a permission (Missing scope). ${RECONNECT} The app asks for read_store_profile and read_customers.`,
    });
  });

  it('403 with any other code: access denied, not a broken connection', () => {
    expect(mapped(answer(403, { errorMessage: 'IP address is blocked', errorCode: 'IP_BLOCKED' }))).toEqual({
      name: 'AppError',
      message: 'Ecwid denied access: IP address is blocked.',
      code: 'ecwid_forbidden',
      status: 403,
    });
    expect(mapped(answer(403, { errorCode: 'SOMETHING_ELSE' })).message).toBe('Ecwid denied access: SOMETHING_ELSE.');
  });

  it('the reconnect codes count only with their status', () => {
    expect(mapped(answer(400, { errorCode: 'STORE_NOT_FOUND' }))).toMatchObject({ name: 'AppError', code: 'ecwid_bad_request' });
    expect(mapped(answer(402, { errorCode: 'INSUFFICIENT_APP_SCOPE' }))).toMatchObject({ name: 'AppError', code: 'ecwid_plan_required' });
    expect(mapped(answer(401, { errorCode: 'INVALID_API_TOKEN' })).message).toBe(
      'Ecwid no longer accepts this connection (INVALID_API_TOKEN): the app was uninstalled from the store or its access was revoked. Reconnect Ecwid in Zapier (My Apps → Ecwid Customers → Reconnect) and approve the app again.',
    );
  });

  it('402: the plan', () => {
    expect(mapped(answer(402, {}))).toEqual({
      name: 'AppError',
      message:
        "Ecwid refused: HTTP 402. Ecwid's API is available on paid plans only, and a suspended store cannot be read; check the store's plan in the Ecwid admin.",
      code: 'ecwid_plan_required',
      status: 402,
    });
  });

  it('404 for a record: not found; other 4xx: bad request', () => {
    expect(mapped(answer(404, { errorMessage: 'Customer not found', errorCode: 'NOT_FOUND' }))).toEqual({
      name: 'AppError',
      message: 'Ecwid rejected GET /1003/customers: Customer not found',
      code: 'ecwid_not_found',
      status: 404,
    });
    expect(mapped(answer(404, ''))).toMatchObject({ code: 'ecwid_not_found', message: 'Ecwid rejected GET /1003/customers: HTTP 404' });
    expect(mapped(answer(409, '', {}, `${API}/api/v3/1003/customers/5`))).toMatchObject({
      code: 'ecwid_bad_request',
      status: 409,
      message: 'Ecwid rejected GET /1003/customers/5: HTTP 409',
    });
  });
});
