import nock from 'nock';
import zapier, { type HttpResponse, type ZObject } from 'zapier-platform-core';
import {
  DEFAULT_THROTTLE_DELAY_SECONDS,
  RECONNECT,
  ecwidCode,
  ecwidErrorFor,
  ecwidMessage,
  throttleDelaySeconds,
} from '../../src/http/errors.js';
import { API, api, ecwidApi, perform, rejectsWith, trigger, zapierError } from '../helpers.js';

const newCustomer = trigger('new_customer');
const query = { sortBy: 'REGISTERED_DATE_DESC', limit: '100' };

describe('Ecwid answers → Zapier errors (src/http/errors.ts)', () => {
  it('429 → ThrottledError with Retry-After, not retried', async () => {
    const scope = ecwidApi()
      .get(api('/customers'))
      .query(query)
      .once()
      .reply(429, { errorMessage: 'Too many requests', errorCode: 'RATE_LIMITED' }, { 'Retry-After': '7' });
    const info = await rejectsWith(
      perform(newCustomer),
      'ThrottledError',
      "Ecwid's rate limit was reached (600 requests per minute per token). Zapier will retry in 7 s.",
    );
    expect(info.delay).toBe(7);
    scope.done();
  });

  it('429 without Retry-After waits Ecwid’s one-minute window', async () => {
    ecwidApi().get(api('/customers')).query(query).reply(429, '');
    const info = await rejectsWith(perform(newCustomer), 'ThrottledError', /retry in 60 s/);
    expect(info.delay).toBe(60);
  });

  it('5xx is sent once more; a second 5xx is final (two requests in all)', async () => {
    const scope = ecwidApi().get(api('/customers')).query(query).twice().reply(503, { errorMessage: 'Service unavailable' });
    const info = await rejectsWith(
      perform(newCustomer),
      'AppError',
      'Ecwid failed to process GET /1003/customers: Service unavailable. This is usually temporary; Zapier will try again on the next poll, or retry the step.',
    );
    expect({ code: info.code, status: info.status }).toEqual({ code: 'ecwid_server_error', status: 503 });
    scope.done();
  });

  it('a 5xx followed by a success is a success', async () => {
    const scope = ecwidApi()
      .get(api('/customers'))
      .query(query)
      .reply(502, '<html>Bad gateway</html>')
      .get(api('/customers'))
      .query(query)
      .reply(200, { items: [] });
    await expect(perform(newCustomer)).resolves.toEqual([]);
    scope.done();
  });

  it('a dropped connection is retried once, then reported', async () => {
    const scope = ecwidApi()
      .get(api('/customers'))
      .query(query)
      .replyWithError('socket hang up')
      .get(api('/customers'))
      .query(query)
      .replyWithError('socket hang up');
    // A third request must not be sent (it would succeed here and hide the failure).
    const third = ecwidApi().get(api('/customers')).query(query).reply(200, { items: [] });
    const info = await rejectsWith(
      perform(newCustomer),
      'AppError',
      /^Could not reach Ecwid for GET \/customers \(.*socket hang up\)\. This is usually temporary/,
    );
    expect(info.code).toBe('ecwid_unreachable');
    scope.done();
    expect(third.isDone()).toBe(false);
  });

  it('an empty 200 body is not "no customers"', async () => {
    const scope = ecwidApi().get(api('/customers')).query(query).twice().reply(200, '');
    const info = await rejectsWith(perform(newCustomer), 'AppError', /^Ecwid answered GET \/customers with an empty body \(HTTP 200\)/);
    expect(info.code).toBe('ecwid_unreadable_response');
    scope.done();
  });

  it('403 INSUFFICIENT_APP_SCOPE asks for a reconnect that grants the scope', async () => {
    ecwidApi()
      .get(api('/customers'))
      .query(query)
      .reply(403, { errorMessage: "Application doesn't have a required scope", errorCode: 'INSUFFICIENT_APP_SCOPE' });
    await rejectsWith(
      perform(newCustomer),
      'ExpiredAuthError',
      /lacks a permission .* The app asks for read_store_profile and read_customers\.$/,
    );
  });

  it('404 STORE_NOT_FOUND (store deleted) asks for a reconnect', async () => {
    ecwidApi().get(api('/customers')).query(query).reply(404, { errorMessage: 'Store not found', errorCode: 'STORE_NOT_FOUND' });
    await rejectsWith(perform(newCustomer), 'ExpiredAuthError', /^Ecwid no longer accepts this connection \(Store not found\)/);
  });

  it('402 says the plan is the problem', async () => {
    ecwidApi()
      .get(api('/customers'))
      .query(query)
      .reply(402, { errorMessage: 'Please upgrade your account to access API', errorCode: 'NOT_AVAILABLE_ON_CURRENT_PLAN' });
    const info = await rejectsWith(
      perform(newCustomer),
      'AppError',
      /^Ecwid refused: Please upgrade your account to access API\. Ecwid's API is available on paid plans only/,
    );
    expect(info.code).toBe('ecwid_plan_required');
  });

  it('400 passes Ecwid’s words on, without the query', async () => {
    ecwidApi().get(api('/customers')).query(query).reply(400, { errorMessage: "Wrong parameter 'limit'", errorCode: 'WRONG_PARAMETER' });
    const info = await rejectsWith(perform(newCustomer), 'AppError', "Ecwid rejected GET /1003/customers: Wrong parameter 'limit'");
    expect(info.code).toBe('ecwid_bad_request');
  });

  it('never sends the token to another host', async () => {
    process.env.ECWID_API_BASE_URL = 'https://ecwid-proxy.example.com/api/v3';
    try {
      const scope = nock('https://ecwid-proxy.example.com', { badheaders: [] })
        .get('/api/v3/1003/customers')
        .query(query)
        .matchHeader('authorization', 'Bearer secret_test-token')
        .reply(200, { items: [] });
      await expect(perform(newCustomer)).resolves.toEqual([]);
      scope.done();
    } finally {
      delete process.env.ECWID_API_BASE_URL;
    }
  });
});

describe('ecwidErrorFor at unit level (every branch, with the answer as Zapier hands it over)', () => {
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
    [' 1.2 ', 2],
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
