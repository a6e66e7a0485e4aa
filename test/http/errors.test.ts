import zapier, { type HttpResponse, type ZObject } from 'zapier-platform-core';
import {
  DAILY_LIMIT_DELAY_SECONDS,
  duplicateContactId,
  ghlErrorFor,
  ghlMessage,
  isMissingScope,
  missingScopeError,
  throttleDelaySeconds,
  zapierMessage,
} from '../../src/http/errors.js';

/**
 * src/http/errors.ts at unit level: GHL answers as the afterResponse middleware hands them over
 * (the same mapping over real requests: test/http/middleware.test.ts; the scope table:
 * test/http/errors.scopes.test.ts).
 */

const z = { errors: zapier.errors } as unknown as ZObject;

/**
 * What Zapier shows: AppError and ThrottledError carry `{ message, code, status | delay }` as JSON
 * (the same decoding as test/helpers.ts's zapierError, without loading the whole app: mutation
 * testing runs this file once per mutant).
 */
const zapierError = (error: unknown): { name: string; message: string; code?: string; status?: number; delay?: number } => {
  const e = error as Error;
  return e.name === 'AppError' || e.name === 'ThrottledError'
    ? { name: e.name, ...JSON.parse(e.message) }
    : { name: e.name, message: e.message };
};

const answer = (
  status: number,
  data: unknown = {},
  headers: Record<string, string | number> = {},
  /** null: a response that carries no request. */
  request: { method?: string; url?: string } | null = { method: 'POST', url: 'https://services.leadconnectorhq.com/contacts/' },
): HttpResponse =>
  ({
    status,
    data,
    request: request ?? undefined,
    getHeader: (name: string) => headers[name.toLowerCase()] ?? null,
  }) as unknown as HttpResponse;

/** The error ghlErrorFor returns, as Zapier shows it. */
const mapped = (response: HttpResponse) => {
  const e = ghlErrorFor(z, response);
  expect(e).toBeInstanceOf(Error);
  return zapierError(e);
};

describe('ghlMessage: GHL’s own words, whatever shape they came in', () => {
  it.each([
    [{ message: '  Contact not found  ' }, 'Contact not found'],
    [{ message: ['email must be an email', '  ', 7, 'phone is invalid'] }, 'email must be an email; phone is invalid'],
    [{ message: ['', ' '], error: 'Unprocessable Entity' }, 'Unprocessable Entity'],
    [{ message: '   ', error_description: 'Invalid grant' }, 'Invalid grant'],
    [{ error_description: '', error: 'invalid_request' }, 'invalid_request'],
    [{ error_description: 'Invalid grant', error: 'invalid_grant' }, 'Invalid grant'],
    [{ message: 42, error: '' }, undefined],
    [{ error_description: 5, error: 5 }, undefined],
    [['not', 'an object'], undefined],
    ['<html>502 Bad Gateway</html>', undefined],
    [null, undefined],
  ])('%j → %j', (data, expected) => {
    expect(ghlMessage(data)).toBe(expected);
  });
});

describe('duplicateContactId', () => {
  it('only a 400 that names a contact id', () => {
    expect(duplicateContactId(answer(400, { meta: { contactId: 'c1' } }))).toBe('c1');
    expect(duplicateContactId(answer(422, { meta: { contactId: 'c1' } }))).toBeUndefined();
    expect(duplicateContactId(answer(400, { meta: { contactId: '' } }))).toBeUndefined();
    expect(duplicateContactId(answer(400, { meta: { contactId: 12 } }))).toBeUndefined();
    expect(duplicateContactId(answer(400, { meta: {} }))).toBeUndefined();
    expect(duplicateContactId(answer(400, {}))).toBeUndefined();
  });
});

describe('throttleDelaySeconds: the daily quota', () => {
  const daily = (reset?: string, extra: Record<string, string> = {}) =>
    throttleDelaySeconds(
      answer(
        429,
        {},
        { 'x-ratelimit-daily-remaining': '0', ...(reset === undefined ? {} : { 'x-ratelimit-daily-reset': reset }), ...extra },
      ),
    );

  it.each([
    ['83653000', 83_653],
    ['83653001', 83_654],
    [' 72750000 ', 72_750],
    ['1500.5', 2],
    ['1500.25', 2],
    ['86400000', 86_400],
    // The reset is due now (or within a second): one second, never zero.
    ['0', 1],
    ['400', 1],
  ])('X-RateLimit-Daily-Reset %j ms → %i s', (reset, seconds) => {
    expect(daily(reset)).toBe(seconds);
  });

  it.each([['86400001'], ['-5'], ['1e6'], ['soon'], [''], [undefined]])('an unknown reset (%j) → an hour', (reset) => {
    expect(daily(reset)).toBe(DAILY_LIMIT_DELAY_SECONDS);
    expect(DAILY_LIMIT_DELAY_SECONDS).toBe(3600);
  });

  it('the quota counts as used up only at exactly 0 remaining (spaces allowed)', () => {
    expect(throttleDelaySeconds(answer(429, {}, { 'x-ratelimit-daily-remaining': ' 0 ', 'x-ratelimit-daily-reset': '5000' }))).toBe(5);
    expect(throttleDelaySeconds(answer(429, {}, { 'x-ratelimit-daily-remaining': '10', 'x-ratelimit-daily-reset': '5000' }))).toBe(10);
    expect(throttleDelaySeconds(answer(429, {}, { 'x-ratelimit-daily-remaining': '00', 'x-ratelimit-daily-reset': '5000' }))).toBe(10);
  });

  it('Retry-After wins over the daily reset', () => {
    expect(daily('83653000', { 'retry-after': '30' })).toBe(30);
  });

  it('the burst window: X-RateLimit-Interval-Milliseconds rounded up, ignored when not a positive number', () => {
    const burst = (ms: string | number) => throttleDelaySeconds(answer(429, {}, { 'x-ratelimit-interval-milliseconds': ms }));
    expect(burst('10000')).toBe(10);
    expect(burst(2500)).toBe(3);
    expect(burst('1')).toBe(1);
    expect(burst('0')).toBe(10);
    expect(burst('-2000')).toBe(10);
    expect(burst('fast')).toBe(10);
    expect(burst('')).toBe(10);
  });

  it.each([
    ['7', 7],
    ['2.2', 3],
    ['2.25', 3],
    // 0 is no wait: the next header decides (here the burst window).
    ['0', 3],
    // A date that starts and ends with digits is still a date (a past one here).
    ['2015-10-21 07:28:00', 1],
    ['7x', 3],
  ])('Retry-After %j → %i s', (retryAfter, seconds) => {
    expect(throttleDelaySeconds(answer(429, {}, { 'retry-after': retryAfter, 'x-ratelimit-interval-milliseconds': '2500' }))).toBe(seconds);
  });

  it('a header the response does not have may read null or undefined (its declared type)', () => {
    const undefinedHeaders = { status: 500, data: {}, request: undefined, getHeader: () => undefined } as unknown as HttpResponse;
    expect(zapierError(ghlErrorFor(z, undefinedHeaders)).message).toBe(
      'GHL failed to process GET: HTTP 500. This is usually temporary; retrying the step may help.',
    );
    expect(throttleDelaySeconds({ ...undefinedHeaders, status: 429 } as HttpResponse)).toBe(10);
  });

  it('a Retry-After date: seconds from now, rounded up; a past date means one second', () => {
    const inOneMinute = new Date(Date.now() + 60_000).toUTCString();
    const got = throttleDelaySeconds(answer(429, {}, { 'retry-after': inOneMinute }));
    // toUTCString drops the milliseconds, so the date is up to a second early.
    expect(got === 59 || got === 60).toBe(true);
    expect(throttleDelaySeconds(answer(429, {}, { 'retry-after': ' Wed, 21 Oct 2015 07:28:00 GMT ' }))).toBe(1);
    expect(throttleDelaySeconds(answer(429, {}, { 'retry-after': ' 12 ' }))).toBe(12);
  });
});

describe('ghlErrorFor', () => {
  it('a success is no error', () => {
    expect(ghlErrorFor(z, answer(200))).toBeUndefined();
    expect(ghlErrorFor(z, answer(204, ''))).toBeUndefined();
    expect(ghlErrorFor(z, answer(399))).toBeUndefined();
  });

  it('429 in the burst window: ThrottledError with the delay, and GHL’s traceId', () => {
    const e = mapped(answer(429, { traceId: 'tr-1' }, { 'retry-after': '7' }));
    expect(e).toEqual({
      name: 'ThrottledError',
      message: "GHL's rate limit was reached (100 requests per 10 seconds per sub-account). Zapier will retry in 7 s. (GHL traceId: tr-1)",
      delay: 7,
    });
  });

  it('429 with the daily quota used up: says so, with GHL’s daily limit, in minutes from 2 minutes on', () => {
    const headers = { 'x-ratelimit-daily-remaining': '0', 'x-ratelimit-limit-daily': '50000' };
    expect(mapped(answer(429, {}, { ...headers, 'x-ratelimit-daily-reset': '119000' }))).toEqual({
      name: 'ThrottledError',
      message: "GHL's daily request limit for this sub-account was reached (50000 requests per day). Zapier will retry in 119 s.",
      delay: 119,
    });
    expect(mapped(answer(429, {}, { ...headers, 'x-ratelimit-daily-reset': '120000' })).message).toMatch(/ Zapier will retry in 2 min\.$/);
    expect(mapped(answer(429, {}, { ...headers, 'x-ratelimit-daily-reset': '149000' })).message).toMatch(/ Zapier will retry in 2 min\.$/);
    expect(mapped(answer(429, {}, { ...headers, 'x-ratelimit-daily-reset': '151000' })).message).toMatch(/ Zapier will retry in 3 min\.$/);
    expect(mapped(answer(429, {}, { 'x-ratelimit-daily-remaining': '0', 'x-ratelimit-limit-daily': '' })).message).toBe(
      "GHL's daily request limit for this sub-account was reached (200,000 requests per day). Zapier will retry in 60 min.",
    );
  });

  it('5xx: GHL’s words or the status, the request, and a traceId from the header', () => {
    expect(
      mapped(
        answer(
          503,
          { message: 'Service Unavailable' },
          { 'x-trace-id': 'hdr-9' },
          { method: 'put', url: 'https://x.test/contacts/c1?q=secret' },
        ),
      ),
    ).toEqual({
      name: 'AppError',
      message:
        'GHL failed to process PUT /contacts/c1: Service Unavailable. This is usually temporary; retrying the step may help. (GHL traceId: hdr-9)',
      code: 'ghl_server_error',
      status: 503,
    });
    expect(mapped(answer(500, '', {}, null)).message).toBe(
      'GHL failed to process GET: HTTP 500. This is usually temporary; retrying the step may help.',
    );
    expect(mapped(answer(502, '', {}, { url: 'not a url' })).message).toMatch(/^GHL failed to process GET: HTTP 502\./);
  });

  it('a traceId in the body wins over the header; an empty one does not count', () => {
    expect(mapped(answer(500, { traceId: 'body-1' }, { 'x-trace-id': 'hdr-1' })).message).toMatch(/ \(GHL traceId: body-1\)$/);
    expect(mapped(answer(500, { traceId: '' }, { 'x-trace-id': 'hdr-1' })).message).toMatch(/ \(GHL traceId: hdr-1\)$/);
    expect(mapped(answer(500, { traceId: 7 }, { 'x-trace-id': '' })).message).toMatch(/retrying the step may help\.$/);
  });

  it('401 without a scope problem: reconnect (ExpiredAuthError)', () => {
    expect(mapped(answer(401, { message: 'Invalid JWT' }))).toEqual({
      name: 'ExpiredAuthError',
      message: "GHL refused the connection's token: Invalid JWT. Please reconnect your GHL account.",
    });
    expect(mapped(answer(401, ''))).toEqual({
      name: 'ExpiredAuthError',
      message: "GHL refused the connection's token: unauthorized. Please reconnect your GHL account.",
    });
  });

  it('401 for a missing scope: the missing-scope error', () => {
    const e = mapped(answer(401, { message: 'The token is not authorized for this scope.' }));
    expect([e.name, e.code, e.status]).toEqual(['AppError', 'ghl_missing_scope', 401]);
  });

  it('403: GHL’s words as a sentence, or "forbidden"', () => {
    const advice = 'Check that the connected sub-account is the one that holds this record and that the app was granted the needed scope.';
    expect(mapped(answer(403, { message: 'The token does not have access to this location..  ' }))).toEqual({
      name: 'AppError',
      message: `GHL denied access: The token does not have access to this location. ${advice}`,
      code: 'ghl_forbidden',
      status: 403,
    });
    expect(mapped(answer(403, '')).message).toBe(`GHL denied access: forbidden. ${advice}`);
  });

  it('other 4xx: GHL’s words, "not found" for a bare 404, the status otherwise; 422 is invalid input', () => {
    expect(mapped(answer(404, ''))).toEqual({
      name: 'AppError',
      message: 'GHL rejected the request: not found',
      code: 'ghl_bad_request',
      status: 404,
    });
    expect(mapped(answer(400, ''))).toEqual({
      name: 'AppError',
      message: 'GHL rejected the request: HTTP 400',
      code: 'ghl_bad_request',
      status: 400,
    });
    expect(mapped(answer(422, { message: ['email must be an email'] }))).toEqual({
      name: 'AppError',
      message: 'GHL rejected the request: email must be an email',
      code: 'ghl_invalid_input',
      status: 422,
    });
    expect(mapped(answer(409, { message: 'Conflict.' })).message).toBe('GHL rejected the request: Conflict.');
  });

  it('the duplicate-contact 400 names the contact that holds the value, with what is known of it', () => {
    const dup = (meta: Record<string, unknown>, message: unknown = 'This location does not allow duplicated contacts') =>
      mapped(answer(400, { message, meta })).message;
    expect(dup({ contactId: 'c1', contactName: '  Olivia Bennett ', matchingField: 'phone' })).toBe(
      'GHL rejected the request: This location does not allow duplicated contacts. The contact already in GHL is "Olivia Bennett" (ID c1), same phone.',
    );
    expect(dup({ contactId: 'c1', contactName: '  ', matchingField: '' })).toBe(
      'GHL rejected the request: This location does not allow duplicated contacts. The contact already in GHL is (ID c1).',
    );
    expect(dup({ contactId: 'c1', contactName: 5, matchingField: 5 }, null)).toBe(
      'GHL rejected the request: HTTP 400. The contact already in GHL is (ID c1).',
    );
  });
});

describe('missing scope (401 "not authorized for this scope")', () => {
  it('isMissingScope: only a 401 whose message says so, in any case', () => {
    expect(isMissingScope(answer(401, { message: 'The token is NOT AUTHORIZED for this scope' }))).toBe(true);
    expect(isMissingScope(answer(401, { message: ['The token is not authorized for this scope'] }))).toBe(true);
    expect(isMissingScope(answer(403, { message: 'The token is not authorized for this scope' }))).toBe(false);
    expect(isMissingScope(answer(401, { message: 'Invalid JWT' }))).toBe(false);
    expect(isMissingScope(answer(401, ''))).toBe(false);
  });

  const scopeError = (
    method: string | undefined,
    url: string | undefined,
    data: unknown = { message: 'The token is not authorized for this scope.' },
  ) => zapierError(missingScopeError(z, answer(401, data, {}, method === undefined && url === undefined ? null : { method, url })));

  it('a write names the write scope', () => {
    expect(scopeError('post', 'https://services.leadconnectorhq.com/contacts/')).toEqual({
      name: 'AppError',
      message:
        'GHL refused POST /contacts/: the token is not authorized for this scope. This step needs the scope contacts.write, which this connection was not granted. Enable contacts.write in your GHL Marketplace app (My Apps → your app → Auth → Scopes), then reconnect your GHL account in Zapier so that the new token includes it.',
      code: 'ghl_missing_scope',
      status: 401,
    });
  });

  it('a read names the read scope, with the traceId', () => {
    expect(
      scopeError('GET', 'https://services.leadconnectorhq.com/contacts/c1/tasks', {
        message: 'Not authorized for this scope',
        traceId: 'tr-5',
      }).message,
    ).toBe(
      'GHL refused GET /contacts/c1/tasks: not authorized for this scope. This step needs the scope contacts.readonly, which this connection was not granted. Enable contacts.readonly in your GHL Marketplace app (My Apps → your app → Auth → Scopes), then reconnect your GHL account in Zapier so that the new token includes it. (GHL traceId: tr-5)',
    );
  });

  it('a request without a method is a GET', () => {
    expect(
      zapierError(
        missingScopeError(
          z,
          answer(401, { message: 'Not authorized for this scope' }, {}, { url: 'https://services.leadconnectorhq.com/contacts/c1' }),
        ),
      ).message,
    ).toMatch(/^GHL refused GET \/contacts\/c1: not authorized for this scope\. This step needs the scope contacts\.readonly,/);
  });

  it('a path outside the table, or no request at all: points to the README’s scope list', () => {
    const generic =
      "This step needs a scope this connection was not granted. Compare your GHL Marketplace app's scopes with the ones listed in this integration's README (My Apps → your app → Auth → Scopes), then reconnect your GHL account in Zapier so that the new token includes it.";
    expect(scopeError('GET', 'https://services.leadconnectorhq.com/opportunities/o1').message).toBe(
      `GHL refused GET /opportunities/o1: the token is not authorized for this scope. ${generic}`,
    );
    expect(scopeError(undefined, undefined, '').message).toBe(`GHL refused GET: unauthorized. ${generic}`);
    expect(scopeError('DELETE', 'nonsense').message).toBe(`GHL refused DELETE: the token is not authorized for this scope. ${generic}`);
  });
});

describe('zapierMessage: what the user sees', () => {
  it('AppError and ThrottledError: the message inside their JSON', () => {
    expect(zapierMessage(new zapier.errors.Error('Bad input', 'code', 400))).toBe('Bad input');
    expect(zapierMessage(new zapier.errors.ThrottledError('Slow down', 10))).toBe('Slow down');
  });

  it('an AppError whose message is not JSON, or JSON without a message: as it is', () => {
    expect(zapierMessage({ name: 'AppError', message: 'plain words' })).toBe('plain words');
    expect(zapierMessage({ name: 'AppError', message: 'two\nlines' })).toBe('two\nlines');
    expect(zapierMessage({ name: 'ThrottledError', message: '{"delay":5}' })).toBe('{"delay":5}');
  });

  it('other errors: the first line; other values as text', () => {
    expect(zapierMessage(new Error('first line\nstack-ish detail'))).toBe('first line');
    expect(zapierMessage({ name: 'Error', message: '{"message":"json but not an AppError"}' })).toBe(
      '{"message":"json but not an AppError"}',
    );
    expect(zapierMessage('a string')).toBe('a string');
    expect(zapierMessage(null)).toBe('null');
  });
});
