import nock from 'nock';
import App from '../../index.js';
import { ACCESS_TOKEN, API, LOCATION_ID, appTester, authData, create, ghlApi, perform, rejectsWith } from '../helpers.js';
import { rejectsWithAppError } from './zapierErrors.js';

const apiRequest = create('api_request');
const CONTACT = 'nmFmQEsNgz6AVpgLVUJ0';
const RATE = {
  'X-RateLimit-Max': '100',
  'X-RateLimit-Remaining': '97',
  'X-RateLimit-Interval-Milliseconds': '10000',
  'X-RateLimit-Limit-Daily': '200000',
  'X-RateLimit-Daily-Remaining': '199990',
};

describe('API Request (api_request)', () => {
  it('GET: fills {locationId} in the path and query, sends GHL headers, returns status, rate-limit headers, flattened data and raw text', async () => {
    const answer = {
      tags: [
        { id: 't1', name: 'vip' },
        { id: 't2', name: 'wholesale' },
      ],
      meta: { total: 2, names: ['vip', 'wholesale'] },
    };
    const scope = ghlApi().get(`/locations/${LOCATION_ID}/tags`).query({ locationId: LOCATION_ID, limit: '10' }).reply(200, answer, RATE);
    const out = await perform(apiRequest, {
      method: 'GET',
      path: '/locations/{locationId}/tags',
      query: { locationId: '{locationId}', limit: '10' },
    });
    expect(out).toEqual({
      status: 200,
      ok: true,
      method: 'GET',
      path: `/locations/${LOCATION_ID}/tags`,
      headers: {
        'x-ratelimit-max': '100',
        'x-ratelimit-remaining': '97',
        'x-ratelimit-interval-milliseconds': '10000',
        'x-ratelimit-limit-daily': '200000',
        'x-ratelimit-daily-remaining': '199990',
      },
      data: {
        tags__0__id: 't1',
        tags__0__name: 'vip',
        tags__1__id: 't2',
        tags__1__name: 'wholesale',
        meta__total: 2,
        meta__names: ['vip', 'wholesale'],
      },
      dataTruncated: false,
      body: JSON.stringify(answer),
      bodyTruncated: false,
    });
    scope.done();
  });

  it('POST: sends the JSON body, the chosen Version and an extra header; a list answer starts at items', async () => {
    const scope = nock(API, {
      reqheaders: {
        authorization: `Bearer ${ACCESS_TOKEN}`,
        version: '2021-04-15',
        accept: 'application/json',
        'content-type': 'application/json',
        'x-request-source': 'zapier-test',
      },
    })
      .post('/calendars/events/appointments', { calendarId: 'cal1', contactId: CONTACT, tags: ['a'] })
      .reply(201, [{ id: 'apt1' }]);
    const out = await perform(apiRequest, {
      method: 'POST',
      path: '/calendars/events/appointments',
      body: JSON.stringify({ calendarId: 'cal1', contactId: CONTACT, tags: ['a'] }),
      headers: { 'X-Request-Source': 'zapier-test' },
      version: '2021-04-15',
    });
    expect(out).toMatchObject({
      status: 201,
      ok: true,
      method: 'POST',
      data: { items__0__id: 'apt1' },
      body: '[{"id":"apt1"}]',
      headers: {},
    });
    scope.done();
  });

  it('DELETE with a body (GHL has such endpoints) and PATCH are sent as chosen', async () => {
    const scope = ghlApi()
      .delete(`/contacts/${CONTACT}/tags`, { tags: ['vip'] })
      .reply(200, { tags: [] })
      .patch(`/contacts/${CONTACT}`, { city: 'Stowe' })
      .reply(200, { succeded: true });
    await expect(
      perform(apiRequest, { method: 'delete', path: `/contacts/${CONTACT}/tags`, body: '{"tags":["vip"]}' }),
    ).resolves.toMatchObject({
      status: 200,
      data: { tags: [] },
    });
    await expect(perform(apiRequest, { method: 'PATCH', path: `/contacts/${CONTACT}`, body: '{"city":"Stowe"}' })).resolves.toMatchObject({
      status: 200,
      data: { succeded: true },
    });
    scope.done();
  });

  it("an error answer stops the step with GHL's own message", async () => {
    const scope = ghlApi()
      .post('/contacts/', { email: 'x' })
      .reply(422, { statusCode: 422, message: ['email must be an email'], error: 'Unprocessable Entity' });
    await rejectsWithAppError(
      perform(apiRequest, { method: 'POST', path: '/contacts/', body: '{"email":"x"}' }),
      'GHL rejected the request: email must be an email',
      'ghl_invalid_input',
      422,
    );
    scope.done();
  });

  it('"Return Error Responses as Data": a 4xx becomes the output, and a 5xx GET is still retried once', async () => {
    const scope = ghlApi()
      .get('/contacts/missing0000000000000')
      .reply(400, { statusCode: 400, message: 'Contact not found' })
      .get('/users/abc')
      .reply(503, '<html>busy</html>')
      .get('/users/abc')
      .reply(503, '<html>still busy</html>');
    await expect(perform(apiRequest, { method: 'GET', path: '/contacts/missing0000000000000', errorsAsData: 'true' })).resolves.toEqual({
      status: 400,
      ok: false,
      method: 'GET',
      path: '/contacts/missing0000000000000',
      headers: {},
      data: { statusCode: 400, message: 'Contact not found' },
      dataTruncated: false,
      body: '{"statusCode":400,"message":"Contact not found"}',
      bodyTruncated: false,
    });
    await expect(perform(apiRequest, { method: 'GET', path: '/users/abc', errorsAsData: true })).resolves.toMatchObject({
      status: 503,
      ok: false,
      data: {},
      body: '<html>still busy</html>',
    });
    scope.done();
  });

  it('a GET is retried once after a 503; a POST never is', async () => {
    const scope = ghlApi()
      .get('/businesses/b1')
      .reply(503, { message: 'busy' })
      .get('/businesses/b1')
      .reply(200, { business: { id: 'b1' } })
      .post('/businesses/', { name: 'X' })
      .reply(503, { message: 'busy' });
    await expect(perform(apiRequest, { method: 'GET', path: '/businesses/b1' })).resolves.toMatchObject({ data: { business__id: 'b1' } });
    const info = await rejectsWith(perform(apiRequest, { method: 'POST', path: '/businesses/', body: '{"name":"X"}' }), 'AppError', /busy/);
    expect(info.code).toBe('ghl_server_error');
    scope.done();
  });

  it('a 429 is a ThrottledError with GHL’s window, whatever "Return Error Responses as Data" says', async () => {
    const scope = ghlApi()
      .get('/contacts/')
      .query(true)
      .reply(429, { message: 'Too many' }, { 'X-RateLimit-Interval-Milliseconds': '10000' });
    const info = await rejectsWith(
      perform(apiRequest, { method: 'GET', path: '/contacts/', query: { locationId: '{locationId}' }, errorsAsData: true }),
      'ThrottledError',
      /rate limit/,
    );
    expect(info.delay).toBe(10);
    scope.done();
  });

  it('a missing scope names the scope when the app knows the endpoint, and says what to do otherwise', async () => {
    const scope = ghlApi()
      .post('/businesses/', { name: 'X' })
      .reply(401, { statusCode: 401, message: 'The token is not authorized for this scope.' })
      .get('/opportunities/search')
      .query(true)
      .reply(401, { statusCode: 401, message: 'The token is not authorized for this scope.' });
    const known = await rejectsWith(
      perform(apiRequest, { method: 'POST', path: '/businesses/', body: '{"name":"X"}' }),
      'AppError',
      /businesses\.write/,
    );
    expect(known.code).toBe('ghl_missing_scope');
    const unknown = await rejectsWith(
      perform(apiRequest, { method: 'GET', path: '/opportunities/search', query: { location_id: '{locationId}' } }),
      'AppError',
      /needs a scope this connection was not granted/,
    );
    expect(unknown.code).toBe('ghl_missing_scope');
    scope.done();
  });

  it('does not follow a redirect (nothing goes to another address)', async () => {
    const scope = ghlApi().get('/contacts/abc').reply(302, '', { Location: 'https://evil.example.com/steal' });
    await rejectsWithAppError(
      perform(apiRequest, { method: 'GET', path: '/contacts/abc' }),
      'GHL answered GET /contacts/abc with HTTP 302 (a redirect). API Request does not follow redirects, so nothing was sent to another address; check the path.',
      'ghl_redirect',
      502,
    );
    scope.done();
  });

  it('never returns the token, even when GHL echoes it in an answer or an error', async () => {
    const scope = ghlApi()
      .get('/echo/ok')
      .reply(200, { seen: `Bearer ${ACCESS_TOKEN}`, [ACCESS_TOKEN]: authData.refresh_token })
      .get('/echo/bad')
      .reply(400, { message: `bad header Bearer ${ACCESS_TOKEN}` });
    const out = await perform(apiRequest, { method: 'GET', path: '/echo/ok' });
    expect(out.data).toEqual({ seen: 'Bearer [hidden]', '[hidden]': '[hidden]' });
    expect(JSON.stringify(out)).not.toContain(ACCESS_TOKEN);
    await rejectsWithAppError(
      perform(apiRequest, { method: 'GET', path: '/echo/bad' }),
      'GHL rejected the request: bad header Bearer [hidden]',
      'ghl_bad_request',
      400,
    );
    scope.done();
  });

  const pathError = (value: string, message: string): [string, string] => [value, `"Path" ${message}`];
  it.each([
    pathError(
      'https://evil.example.com/x',
      `must be a path on services.leadconnectorhq.com, like /contacts/abc123; a full URL or another host is not allowed ("https://evil.example.com/x").`,
    ),
    pathError(
      'https://services.leadconnectorhq.com/contacts/abc?x=1',
      'must be a path on services.leadconnectorhq.com, like /contacts/abc123; a full URL or another host is not allowed ("https://services.leadconnectorhq.com/contacts/abc?x=1"). Use the part after the host: "/contacts/abc", and put the query in "Query Parameters".',
    ),
    pathError(
      '//evil.example.com/x',
      'must be a path on services.leadconnectorhq.com, like /contacts/abc123; a full URL or another host is not allowed ("//evil.example.com/x").',
    ),
    pathError(
      '\\\\evil.example.com\\x',
      'must be a path on services.leadconnectorhq.com, like /contacts/abc123; a full URL or another host is not allowed ("\\\\evil.example.com\\x").',
    ),
    pathError(
      '/\\evil.example.com',
      'must be a path on services.leadconnectorhq.com, like /contacts/abc123; a full URL or another host is not allowed ("/\\evil.example.com").',
    ),
    pathError('@evil.example.com/x', 'must start with "/", like /contacts/abc123, but got "@evil.example.com/x".'),
    pathError('contacts/abc', 'must start with "/", like /contacts/abc123, but got "contacts/abc".'),
    pathError('/contacts/../oauth/token', 'must not contain "." or ".." segments: "/contacts/../oauth/token".'),
    pathError('/contacts/%2e%2e/x', 'must not contain "." or ".." segments: "/contacts/%2e%2e/x".'),
    pathError('/contacts/%252E%252E/x', 'must not contain "." or ".." segments: "/contacts/%252E%252E/x".'),
    pathError('/%2F%2Fevil.example.com', 'must not contain an encoded slash or a backslash (%2F, %5C, \\): "/%2F%2Fevil.example.com".'),
    pathError('/a%5cb', 'must not contain an encoded slash or a backslash (%2F, %5C, \\): "/a%5cb".'),
    pathError('/contacts//abc', 'must not contain "//" (an empty segment): "/contacts//abc".'),
    pathError('/a\\b', 'contains a backslash, which a path cannot hold; percent-encode it (e.g. %20 for a space).'),
    pathError('/a b', 'contains a space or control character, which a path cannot hold; percent-encode it (e.g. %20 for a space).'),
    pathError('/contacts/é', 'contains the character "é", which a path cannot hold; percent-encode it (e.g. %20 for a space).'),
    pathError('/contacts/%0d%0aHost:evil', 'must not contain control characters: "/contacts/%0d%0aHost:evil".'),
    pathError('/contacts/%zz', 'has a % that does not start a valid %XX escape: "/contacts/%zz".'),
    pathError('/contacts?locationId=x', 'must not contain "?": put query parameters in "Query Parameters".'),
    pathError('/contacts#x', 'must not contain "#".'),
    pathError(
      '/contacts/{contactId}',
      'still holds the placeholder "{contactId}": replace it with the id (only {locationId} is filled in).',
    ),
    pathError('/oauth/token', 'must not call /oauth/…: the connection handles tokens itself, and this step never returns one.'),
    pathError('/OAuth/locationToken', 'must not call /oauth/…: the connection handles tokens itself, and this step never returns one.'),
    pathError('/%6fauth/token', 'must not call /oauth/…: the connection handles tokens itself, and this step never returns one.'),
  ])('refuses the path %j before any request', async (value, message) => {
    await rejectsWithAppError(perform(apiRequest, { method: 'GET', path: value }), message, 'invalid_input', 400);
  });

  it.each([
    [{ method: 'TRACE', path: '/contacts/' }, '"HTTP Method" must be one of GET, POST, PUT, PATCH, DELETE, but got "TRACE".'],
    [{ method: 'GET', path: '' }, '"Path" is required but was empty. Map a value to it in the Zap editor.'],
    [
      { method: 'GET', path: '/contacts/', body: '{"a":1}' },
      '"Body (JSON)" must be empty for GET: a GET sends no body. Choose POST, PUT or PATCH to send one.',
    ],
    [
      { method: 'POST', path: '/contacts/', body: '{"a":' },
      /^"Body \(JSON\)" is not valid JSON \(.+\)\. Write it like \{"firstName": "Rosa"\}\.$/,
    ],
    [{ method: 'POST', path: '/contacts/', body: '"text"' }, '"Body (JSON)" must be a JSON object or list, like {"firstName": "Rosa"}.'],
    [
      { method: 'GET', path: '/contacts/', headers: { Authorization: 'Bearer other' } },
      '"Extra Headers" must not set Authorization: the step sets it itself (the connection\'s token).',
    ],
    [
      { method: 'GET', path: '/contacts/', headers: { version: '2099-01-01' } },
      '"Extra Headers" must not set Version: choose it in "API Version" (only GHL\'s versions are allowed).',
    ],
    [
      { method: 'GET', path: '/contacts/', headers: { Host: 'evil.example.com' } },
      '"Extra Headers" must not set Host: the step sets it itself.',
    ],
    [
      { method: 'GET', path: '/contacts/', headers: { 'X-Forwarded-Host': 'evil.example.com' } },
      '"Extra Headers" must not set X-Forwarded-Host: the step sets it itself.',
    ],
    [{ method: 'GET', path: '/contacts/', headers: { 'X-A': 'one\r\nHost: evil' } }, '"Extra Headers": the value of X-A must be one line.'],
    [
      { method: 'GET', path: '/contacts/', headers: { 'a b': 'x' } },
      '"Extra Headers": "a b" is not a valid header name (letters, digits and - only).',
    ],
    [
      { method: 'GET', path: '/contacts/', version: '2099-01-01' },
      '"API Version" must be one of GHL\'s versions (2021-07-28, 2021-04-15), but got "2099-01-01".',
    ],
    [{ method: 'GET', path: '/contacts/', query: 'locationId=x' }, '"Query Parameters" must be key-value pairs, but got "locationId=x".'],
    [
      { method: 'GET', path: '/contacts/', query: { a: ['x'] } },
      '"Query Parameters": the value of "a" must be text, but got a list or object.',
    ],
  ])('refuses %j before any request', async (input, message) => {
    const info = await rejectsWith(perform(apiRequest, input), 'AppError', message as string | RegExp);
    expect(info.code).toBe('invalid_input');
  });

  it("the opening note lists the connection's scopes", async () => {
    const fields = (App.creates as Record<string, { operation: { inputFields: unknown[] } }>).api_request!.operation.inputFields;
    const note = fields[0] as (z: unknown, bundle: unknown) => Promise<Array<{ helpText: string }>>;
    const [withScope] = (await appTester(
      note as never,
      { authData: { ...authData, scope: 'contacts.readonly businesses.write' } } as never,
    )) as Array<{
      helpText: string;
    }>;
    expect(withScope!.helpText).toContain('This connection holds the scopes `contacts.readonly`, `businesses.write`.');
    expect(withScope!.helpText).toContain('"The token is not authorized for this scope."');
    const [without] = (await appTester(note as never, { authData } as never)) as Array<{ helpText: string }>;
    expect(without!.helpText).toContain('This connection asks for the scopes `contacts.readonly`, `contacts.write`,');
  });
});
