/**
 * The fixes the reliability matrix led to in src/http, pinned at unit level: Retry-After as an HTTP
 * date, the daily limit, an empty or unreadable success body, and the duplicate-contact 400 that names
 * the contact holding the value.
 */
import { DAILY_LIMIT_DELAY_SECONDS, DEFAULT_THROTTLE_DELAY_SECONDS, throttleDelaySeconds } from '../../src/http/errors.js';
import { ghl, path } from '../../src/http/ghl.js';
import { appTester, authData, ghlApi, rejectsWith } from '../helpers.js';

const response = (headers: Record<string, string>) =>
  ({ status: 429, getHeader: (name: string) => headers[name.toLowerCase()] ?? null }) as never;

describe('throttleDelaySeconds', () => {
  it.each([
    [{ 'retry-after': '7' }, 7],
    [{ 'retry-after': '2.2' }, 3],
    [{ 'retry-after': new Date(Date.now() + 30_500).toUTCString() }, 31],
    [{ 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }, 1],
    [{ 'retry-after': '0', 'x-ratelimit-interval-milliseconds': '2500' }, 3],
    [{ 'retry-after': 'soon' }, DEFAULT_THROTTLE_DELAY_SECONDS],
    [{ 'x-ratelimit-daily-remaining': '0', 'x-ratelimit-interval-milliseconds': '10000' }, DAILY_LIMIT_DELAY_SECONDS],
    [{ 'x-ratelimit-daily-remaining': '12', 'x-ratelimit-interval-milliseconds': '10000' }, 10],
    [{}, DEFAULT_THROTTLE_DELAY_SECONDS],
  ])('%j → %i s', (headers, delay) => {
    const got = throttleDelaySeconds(response(headers));
    // An HTTP date is rounded up from "now"; allow the second it may take to get here.
    expect(got === delay || got === delay - 1).toBe(true);
  });
});

const run = (fn: (z: any, b: any) => Promise<unknown>) => appTester(fn as never, { authData } as never);

describe('GHL answers the matrix found unclear', () => {
  it('a daily-limit 429 says so and waits an hour', async () => {
    ghlApi()
      .get('/contacts/c1')
      .reply(429, { statusCode: 429 }, { 'X-RateLimit-Daily-Remaining': '0', 'X-RateLimit-Limit-Daily': '200000' });
    const e = await rejectsWith(
      run((z, b) => ghl(z, b).get(path`/contacts/c1`)),
      'ThrottledError',
      "GHL's daily request limit for this sub-account was reached (200000 requests per day). Zapier will retry in 60 min.",
    );
    expect(e.delay).toBe(3600);
  });

  it('an empty 200 to a write is an error that says GHL may have applied it, not a success', async () => {
    ghlApi().post('/contacts/c1/notes').reply(200, '');
    const e = await rejectsWith(
      run((z, b) => ghl(z, b).post(path`/contacts/c1/notes`, { body: 'x' })),
      'AppError',
      /^GHL answered POST \/contacts\/c1\/notes with an empty body \(HTTP 200, 0 bytes\)\. This is usually temporary; retrying the step may help\. GHL may or may not have applied the change/,
    );
    expect(e.code).toBe('ghl_unreadable_response');
  });

  it('an empty 200 to a read is read again, not taken for an empty list', async () => {
    const scope = ghlApi()
      .get('/contacts/c1/tasks')
      .reply(200, '')
      .get('/contacts/c1/tasks')
      .reply(200, { tasks: [{ id: 't1' }] });
    await expect(
      run((z, b) =>
        ghl(z, b)
          .get(path`/contacts/c1/tasks`)
          .then((r) => r.data),
      ),
    ).resolves.toEqual({ tasks: [{ id: 't1' }] });
    scope.done();
  });

  it('a 204 stays a success', async () => {
    ghlApi().delete('/contacts/c1/notes/n1').reply(204);
    await expect(
      run((z, b) =>
        ghl(z, b)
          .delete(path`/contacts/c1/notes/n1`)
          .then((r) => r.status),
      ),
    ).resolves.toBe(204);
  });

  it('the duplicate-contact 400 names the contact that already has the email', async () => {
    ghlApi()
      .put('/contacts/c2')
      .reply(400, {
        statusCode: 400,
        message: 'This location does not allow duplicated contacts.',
        meta: { contactId: 'c1', contactName: 'Olivia Bennett', matchingField: 'email' },
      });
    const e = await rejectsWith(
      run((z, b) => ghl(z, b).put(path`/contacts/c2`, { email: 'olivia@example.com' })),
      'AppError',
      'GHL rejected the request: This location does not allow duplicated contacts. The contact already in GHL is "Olivia Bennett" (ID c1), same email.',
    );
    expect([e.code, e.status]).toEqual(['ghl_bad_request', 400]);
  });
});
