import nock from 'nock';
import { api, ecwidApi, perform, rejectsWith, trigger } from '../helpers.js';

const newCustomer = trigger('new_customer');
const query = { sortBy: 'REGISTERED_DATE_DESC', limit: '100' };

describe('Ecwid answers → Zapier errors through the request pipeline (src/http/ecwid.ts, src/http/errors.ts)', () => {
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
