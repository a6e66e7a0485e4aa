import nock from 'nock';
import { ACCESS_TOKEN, API, api, ecwidApi, perform, rejectsWith } from '../helpers.js';
import App from '../../index.js';

const apiRequest = (App.creates as Record<string, { operation: { perform: unknown } }>).api_request!;

const invalid = async (input: Record<string, unknown>, message: string) => {
  const info = await rejectsWith(perform(apiRequest, input), 'AppError', message);
  expect(info.code).toBe('invalid_input');
};

describe('Ecwid API Request (api_request)', () => {
  it('GETs a store-relative path with the store id filled in, the query, the bearer token; returns status, flattened data and raw text', async () => {
    const answer = {
      total: 2,
      count: 1,
      offset: 0,
      limit: 100,
      items: [
        { id: 0, name: 'General' },
        { id: 9367001, name: 'Wholesale' },
      ],
    };
    const scope = ecwidApi().get(api('/customer_groups')).query({ keyword: 'sale', limit: '10' }).reply(200, answer);
    await expect(perform(apiRequest, { path: '/customer_groups', query: { keyword: 'sale', limit: 10 } })).resolves.toEqual({
      status: 200,
      ok: true,
      method: 'GET',
      path: '/api/v3/1003/customer_groups',
      data: {
        total: 2,
        count: 1,
        offset: 0,
        limit: 100,
        items__0__id: 0,
        items__0__name: 'General',
        items__1__id: 9367001,
        items__1__name: 'Wholesale',
      },
      dataTruncated: false,
      body: JSON.stringify(answer),
      bodyTruncated: false,
    });
    scope.done();
  });

  it('accepts the documented prefix /api/v3/{storeId} (placeholder or this store id)', async () => {
    const scope = ecwidApi()
      .get(api('/customers/177737165'))
      .reply(200, { id: 177737165, email: 'jules.okafor@example.com' })
      .get(api('/profile'))
      .reply(200, { generalInfo: { storeId: 1003 } });
    await expect(perform(apiRequest, { path: '/api/v3/{storeId}/customers/177737165' })).resolves.toMatchObject({
      data: { id: 177737165, email: 'jules.okafor@example.com' },
    });
    await expect(perform(apiRequest, { path: '/api/v3/1003/profile' })).resolves.toMatchObject({ data: { generalInfo__storeId: 1003 } });
    scope.done();
  });

  it("an error answer stops the step with Ecwid's message, or becomes the output when asked", async () => {
    const scope = ecwidApi()
      .get(api('/customers/5'))
      .reply(404, { errorMessage: 'Customer #5 not found', errorCode: 'CUSTOMER_NOT_FOUND' })
      .get(api('/customers/5'))
      .reply(404, { errorMessage: 'Customer #5 not found', errorCode: 'CUSTOMER_NOT_FOUND' });
    const info = await rejectsWith(
      perform(apiRequest, { path: '/customers/5' }),
      'AppError',
      'Ecwid rejected GET /1003/customers/5: Customer #5 not found',
    );
    expect(info.code).toBe('ecwid_not_found');
    await expect(perform(apiRequest, { path: '/customers/5', errorsAsData: 'true' })).resolves.toMatchObject({
      status: 404,
      ok: false,
      data: { errorMessage: 'Customer #5 not found', errorCode: 'CUSTOMER_NOT_FOUND' },
    });
    scope.done();
  });

  it('a refused token and a 429 stay errors even with "Return Error Responses as Data"; a 503 is retried once', async () => {
    const scope = ecwidApi()
      .get(api('/profile'))
      .reply(403, { errorMessage: 'Invalid access token', errorCode: 'INVALID_API_TOKEN' })
      .get(api('/customers'))
      .reply(429, { errorMessage: 'Too many requests' }, { 'Retry-After': '12' })
      .get(api('/customer_groups'))
      .reply(503, 'busy')
      .get(api('/customer_groups'))
      .reply(200, { total: 0, items: [] });
    await rejectsWith(
      perform(apiRequest, { path: '/profile', errorsAsData: true }),
      'ExpiredAuthError',
      /no longer accepts this connection/,
    );
    const throttled = await rejectsWith(perform(apiRequest, { path: '/customers', errorsAsData: true }), 'ThrottledError', /rate limit/);
    expect(throttled.delay).toBe(12);
    await expect(perform(apiRequest, { path: '/customer_groups' })).resolves.toMatchObject({ status: 200, data: { total: 0, items: [] } });
    scope.done();
  });

  it('does not follow a redirect', async () => {
    const scope = ecwidApi().get(api('/profile')).reply(301, '', { Location: 'https://evil.example.com/' });
    const info = await rejectsWith(
      perform(apiRequest, { path: '/profile' }),
      'AppError',
      'Ecwid answered GET /profile with HTTP 301 (a redirect), which is not followed: nothing is sent to another address. Check the path.',
    );
    expect(info.code).toBe('ecwid_redirect');
    scope.done();
  });

  it('never returns the token, even if Ecwid echoes it', async () => {
    const scope = ecwidApi()
      .get(api('/profile'))
      .reply(200, { echo: `Bearer ${ACCESS_TOKEN}` })
      .get(api('/customers'))
      .reply(400, { errorMessage: `bad ${ACCESS_TOKEN}`, errorCode: 'WRONG_PARAMETER' });
    const out = await perform(apiRequest, { path: '/profile' });
    expect(out.data).toEqual({ echo: 'Bearer [hidden]' });
    expect(JSON.stringify(out)).not.toContain(ACCESS_TOKEN);
    await rejectsWith(perform(apiRequest, { path: '/customers' }), 'AppError', 'Ecwid rejected GET /1003/customers: bad [hidden]');
    scope.done();
  });

  it.each([
    [{}, '"Path" is required: enter a path like /customers/177737165.'],
    [
      { path: 'https://app.ecwid.com/api/v3/1003/customers' },
      `"Path" must be a path in your store's API, like /customers/177737165; a full URL or another host is not allowed ("https://app.ecwid.com/api/v3/1003/customers").`,
    ],
    [
      { path: '//evil.example.com/x' },
      `"Path" must be a path in your store's API, like /customers/177737165; a full URL or another host is not allowed ("//evil.example.com/x").`,
    ],
    [{ path: 'customers' }, '"Path" must start with "/", like /customers/177737165, but got "customers".'],
    [{ path: '/api/v3/2004/customers' }, '"Path" names store "2004", but this connection is for store 1003; leave out /api/v3/{storeId}.'],
    [{ path: '/customers/../../2004/customers' }, '"Path" must not contain "." or ".." segments: "/customers/../../2004/customers".'],
    [{ path: '/customers/%2e%2e/%2e%2e/2004' }, '"Path" must not contain "." or ".." segments: "/customers/%2e%2e/%2e%2e/2004".'],
    [
      { path: '/customers%2F..%2F..%2F2004' },
      '"Path" must not contain an encoded slash or a backslash (%2F, %5C, \\): "/customers%2F..%2F..%2F2004".',
    ],
    [{ path: '/customers\\x' }, '"Path" contains a backslash, which a path cannot hold; percent-encode it (e.g. %20 for a space).'],
    [
      { path: '/orders' },
      '"Path": /orders needs the Ecwid scope read_orders, which this app does not ask for (it asks for read_store_profile and read_customers). It can read /profile, /customers, /customer_groups.',
    ],
    [
      { path: '/products/1' },
      '"Path": /products needs the Ecwid scope read_catalog, which this app does not ask for (it asks for read_store_profile and read_customers). It can read /profile, /customers, /customer_groups.',
    ],
    [
      { path: '/webhooks' },
      '"Path": "/webhooks" is not an Ecwid endpoint this app may read. It can read /profile, /customers, /customer_groups (its scopes: read_store_profile, read_customers).',
    ],
    [{ path: '/customers?token=x' }, '"Path" must not contain "?": put query parameters in "Query Parameters".'],
    [{ path: '/customers', query: { token: 'other' } }, `"Query Parameters" must not set token: the connection's token is sent for you.`],
    [{ path: '/customers/{customerId}' }, '"Path" still holds a placeholder ({…}): replace it with the id.'],
    [{ path: '/customers', errorsAsData: 'maybe' }, '"Return Error Responses as Data" must be yes or no (true/false).'],
  ])('refuses %j before any request', async (input, message) => {
    await invalid(input, message);
  });

  it('only ever calls the Ecwid API host', async () => {
    // nock.disableNetConnect: a request anywhere else would fail with a NetConnectNotAllowedError, not succeed.
    const scope = nock(API).get(api('/profile')).reply(200, { ok: true });
    await perform(apiRequest, { path: '/profile' });
    scope.done();
  });
});
