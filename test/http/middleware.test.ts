import nock from 'nock';
import type { Bundle, ZObject } from 'zapier-platform-core';
import { ghl, path } from '../../src/http/ghl.js';
import { appTester, authData, ghlApi, rejectsWith } from '../helpers.js';

const getContact = (z: ZObject, bundle: Bundle) =>
  ghl(z, bundle)
    .get(path`/contacts/abc123`)
    .then((r) => r.data);
const createContact = (z: ZObject, bundle: Bundle) =>
  ghl(z, bundle)
    .post(path`/contacts/`, { firstName: 'Ann' })
    .then((r) => r.data);
const run = (fn: (z: ZObject, b: Bundle) => Promise<unknown>) => appTester(fn, { authData } as never);

describe('beforeRequest: GHL headers', () => {
  it('sends Bearer, Version 2021-07-28 and Accept to the GHL API', async () => {
    const scope = ghlApi()
      .get('/contacts/abc123')
      .reply(200, { contact: { id: 'abc123' } });
    await expect(run(getContact)).resolves.toEqual({ contact: { id: 'abc123' } });
    scope.done();
  });

  it('sends Version 2021-04-15 to calendar endpoints (calendars.json declares it)', async () => {
    const scope = ghlApi('2021-04-15')
      .get('/calendars/events/appointments/ev1')
      .reply(200, { event: { id: 'ev1' } });
    await run((z, b) => ghl(z, b).get(path`/calendars/events/appointments/${'ev1'}`));
    scope.done();
  });

  it('never sends the token to another host', async () => {
    const scope = nock('https://hooks.example.com', { badheaders: ['authorization', 'version'] })
      .get('/x')
      .reply(200, {});
    await run((z) => z.request({ url: 'https://hooks.example.com/x' }));
    scope.done();
  });

  it('follows GHL_API_BASE_URL (sandbox, white-label) and sends the token there', async () => {
    process.env.GHL_API_BASE_URL = 'http://127.0.0.1:4999';
    try {
      const scope = nock('http://127.0.0.1:4999', { reqheaders: { authorization: 'Bearer test-access-token', version: '2021-07-28' } })
        .get('/contacts/abc123')
        .reply(200, { contact: { id: 'abc123' } });
      await run(getContact);
      scope.done();
    } finally {
      delete process.env.GHL_API_BASE_URL;
    }
  });
});

describe('afterResponse: GHL errors → Zapier errors', () => {
  it('400 with a string message → Error with GHL words and traceId', async () => {
    ghlApi().post('/contacts/').reply(400, { statusCode: 400, message: 'Contact with id abc123 not found', traceId: 'tr-1' });
    const e = await rejectsWith(
      run(createContact),
      'AppError',
      'GHL rejected the request: Contact with id abc123 not found (GHL traceId: tr-1)',
    );
    expect([e.code, e.status]).toEqual(['ghl_bad_request', 400]);
  });

  it('422 with an array message → all messages joined', async () => {
    ghlApi()
      .post('/contacts/')
      .reply(422, {
        statusCode: 422,
        message: ['property gender should not exist', 'email must be an email'],
        error: 'Unprocessable Entity',
      });
    const e = await rejectsWith(
      run(createContact),
      'AppError',
      'GHL rejected the request: property gender should not exist; email must be an email',
    );
    expect([e.code, e.status]).toEqual(['ghl_invalid_input', 422]);
  });

  it('403 wrong location → explains the sub-account mismatch', async () => {
    ghlApi().post('/contacts/').reply(403, { statusCode: 403, message: 'The token does not have access to this location.' });
    await rejectsWith(
      run(createContact),
      'AppError',
      /^GHL denied access: The token does not have access to this location\. Check that the connected sub-account/,
    );
  });

  it('404 without a body → "not found"', async () => {
    ghlApi().post('/contacts/').reply(404, '');
    await rejectsWith(run(createContact), 'AppError', 'GHL rejected the request: not found');
  });

  it('429 with Retry-After → ThrottledError with that delay', async () => {
    ghlApi().post('/contacts/').reply(429, { statusCode: 429, message: 'Too many requests' }, { 'Retry-After': '7' });
    const e = await rejectsWith(run(createContact), 'ThrottledError', /rate limit was reached .* retry in 7 s\./);
    expect(e.delay).toBe(7);
  });

  it("429 with GHL's X-RateLimit-Interval-Milliseconds → delay of one window", async () => {
    ghlApi()
      .post('/contacts/')
      .reply(429, { statusCode: 429 }, { 'X-RateLimit-Interval-Milliseconds': '10000', 'X-RateLimit-Remaining': '0' });
    const e = await rejectsWith(run(createContact), 'ThrottledError', /retry in 10 s\./);
    expect(e.delay).toBe(10);
  });

  it('429 with no timing header → 10 s default', async () => {
    ghlApi().post('/contacts/').reply(429, 'Too Many Requests');
    expect((await rejectsWith(run(createContact), 'ThrottledError', /retry in 10 s\./)).delay).toBe(10);
  });

  it('500 → says GHL failed and a retry may help', async () => {
    ghlApi().post('/contacts/').reply(500, { statusCode: 500, message: 'Internal server error', traceId: 'tr-9' });
    const e = await rejectsWith(
      run(createContact),
      'AppError',
      'GHL failed to process POST /contacts/: Internal server error. This is usually temporary; retrying the step may help. (GHL traceId: tr-9)',
    );
    expect([e.code, e.status]).toEqual(['ghl_server_error', 500]);
  });

  it('502 with an HTML body from a proxy → no crash, clear message', async () => {
    ghlApi().post('/contacts/').reply(502, '<html><body><h1>502 Bad Gateway</h1></body></html>', { 'Content-Type': 'text/html' });
    await rejectsWith(
      run(createContact),
      'AppError',
      'GHL failed to process POST /contacts/: HTTP 502. This is usually temporary; retrying the step may help.',
    );
  });

  it('401 → RefreshAuthError so Zapier refreshes and retries', async () => {
    ghlApi().get('/contacts/abc123').reply(401, { statusCode: 401, message: 'Invalid JWT' });
    await rejectsWith(run(getContact), 'RefreshAuthError', /.*/);
  });
});
