import type { Bundle, ZObject } from 'zapier-platform-core';
import { ghl, path, UnsafePathSegmentError } from '../../src/http/ghl.js';
import { appTester, authData, ghlApi, rejectsWith } from '../helpers.js';

const run = (fn: (z: ZObject, b: Bundle) => Promise<unknown>) => appTester(fn, { authData } as never);

describe('path: ids in URL paths', () => {
  it('percent-encodes each interpolated value as one segment', () => {
    expect(path`/contacts/${'a/b?c#d'}/tasks/${'t 1'}`.value).toBe('/contacts/a%2Fb%3Fc%23d/tasks/t%201');
  });

  it.each([[''], ['  '], ['.'], ['..'], [undefined], [null], [{}]])('refuses %p as an id', (bad) => {
    expect(() => path`/contacts/${bad}`).toThrow(UnsafePathSegmentError);
  });
});

describe('ghl client', () => {
  it('sends JSON bodies with Content-Type and drops undefined query values', async () => {
    const scope = ghlApi()
      .matchHeader('content-type', 'application/json')
      .post('/contacts/search', { locationId: 'L1', pageLimit: 1 })
      .query({ a: '1' })
      .reply(200, { contacts: [], total: 0 });
    await run((z, b) =>
      ghl(z, b).request({
        method: 'POST',
        path: path`/contacts/search`,
        body: { locationId: 'L1', pageLimit: 1 },
        params: { a: 1, b: undefined },
      }),
    );
    scope.done();
  });

  it('retries a read once after a 5xx and returns the second answer', async () => {
    const scope = ghlApi()
      .get('/contacts/c1')
      .reply(503, 'busy')
      .get('/contacts/c1')
      .reply(200, { contact: { id: 'c1' } });
    await expect(
      run((z, b) =>
        ghl(z, b)
          .get(path`/contacts/c1`)
          .then((r) => r.data),
      ),
    ).resolves.toEqual({ contact: { id: 'c1' } });
    scope.done();
  });

  it('retries a read at most once', async () => {
    const scope = ghlApi().get('/contacts/c1').times(2).reply(503, { message: 'down' });
    await rejectsWith(
      run((z, b) => ghl(z, b).get(path`/contacts/c1`)),
      'AppError',
      /GHL failed to process GET \/contacts\/c1: down/,
    );
    scope.done();
  });

  it('retries a read at most once, also when the retry after a 5xx loses its connection', async () => {
    const scope = ghlApi().get('/contacts/c1').reply(503, { message: 'down' }).get('/contacts/c1').replyWithError('socket hang up');
    // A third request must not be sent (it would succeed here and hide the failure).
    const third = ghlApi()
      .get('/contacts/c1')
      .reply(200, { contact: { id: 'c1' } });
    const e = await rejectsWith(
      run((z, b) => ghl(z, b).get(path`/contacts/c1`)),
      'AppError',
      /^Could not reach GHL for GET \/contacts\/c1 \(.*socket hang up\)\. This is usually temporary; retrying the step may help\.$/,
    );
    expect(e.code).toBe('ghl_unreachable');
    scope.done();
    expect(third.isDone()).toBe(false);
  });

  it('never retries a write (a retried create could duplicate the contact)', async () => {
    const scope = ghlApi().post('/contacts/').once().reply(503, { message: 'down' });
    await rejectsWith(
      run((z, b) => ghl(z, b).post(path`/contacts/`, { firstName: 'A' })),
      'AppError',
      /GHL failed to process POST \/contacts\//,
    );
    scope.done();
  });

  it('a dropped connection becomes a clear, retryable error', async () => {
    ghlApi().post('/contacts/').replyWithError('socket hang up');
    const e = await rejectsWith(
      run((z, b) => ghl(z, b).post(path`/contacts/`, {})),
      'AppError',
      /^Could not reach GHL for POST \/contacts\/ \(.*socket hang up\)\. This is usually temporary; retrying the step may help\. GHL may or may not have applied the change/,
    );
    expect(e.code).toBe('ghl_unreachable');
  });

  it('a truncated JSON body is an error, not a success', async () => {
    ghlApi().post('/contacts/').reply(201, '{"contact": {"id":', { 'Content-Type': 'application/json' });
    const e = await rejectsWith(
      run((z, b) => ghl(z, b).post(path`/contacts/`, {})),
      'AppError',
      'GHL answered POST /contacts/ with a body that is not valid JSON (HTTP 201, 18 bytes). This is usually temporary; retrying the step may help. GHL may or may not have applied the change; a Zapier retry of this step is safe only for steps that look the record up first (the Find or Create steps).',
    );
    expect(e.code).toBe('ghl_unreadable_response');
  });

  it('a truncated body on a read is retried once', async () => {
    const scope = ghlApi()
      .get('/contacts/c1')
      .reply(200, '{"contact"')
      .get('/contacts/c1')
      .reply(200, { contact: { id: 'c1' } });
    await expect(
      run((z, b) =>
        ghl(z, b)
          .get(path`/contacts/c1`)
          .then((r) => r.data),
      ),
    ).resolves.toEqual({ contact: { id: 'c1' } });
    scope.done();
  });

  it('hands error answers to callers that ask for them', async () => {
    ghlApi()
      .post('/contacts/')
      .reply(400, { statusCode: 400, message: 'This location does not allow duplicated contacts.', meta: { contactId: 'dup1' } });
    const res = await run((z, b) =>
      ghl(z, b)
        .post(path`/contacts/`, {}, { skipThrowForStatus: true })
        .then((r) => [r.status, r.data.meta]),
    );
    expect(res).toEqual([400, { contactId: 'dup1' }]);
  });
});
