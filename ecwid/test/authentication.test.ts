import nock from 'nock';
import App from '../index.js';
import { ACCESS_TOKEN, api, appTester, authData, ecwidApi, rejectsWith } from './helpers.js';

const oauth = App.authentication!.oauth2Config!;
const REDIRECT = 'https://zapier.com/dashboard/auth/oauth/return/App123CLIAPI/';
const tokenForm = {
  client_id: 'test-ecwid-client-id',
  client_secret: 'test-ecwid-secret',
  code: 'the-code',
  redirect_uri: REDIRECT,
  grant_type: 'authorization_code',
};

describe('Ecwid OAuth2', () => {
  it('sends the user to Ecwid with the two scopes the app needs', async () => {
    const url = new URL(await appTester(oauth.authorizeUrl as never, { inputData: { redirect_uri: REDIRECT, state: 's 1' } } as never));
    expect(`${url.origin}${url.pathname}`).toBe('https://my.ecwid.com/api/oauth/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'test-ecwid-client-id',
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: 'read_store_profile read_customers',
      state: 's 1',
    });
  });

  it('asks for read_customers_extrafields only when ECWID_OPTIONAL_SCOPES names it (Ecwid refuses scopes beyond the registration)', async () => {
    process.env.ECWID_OPTIONAL_SCOPES = 'read_customers_extrafields write_everything';
    try {
      const url = new URL(await appTester(oauth.authorizeUrl as never, { inputData: { redirect_uri: REDIRECT, state: 's' } } as never));
      expect(url.searchParams.get('scope')).toBe('read_store_profile read_customers read_customers_extrafields');
    } finally {
      delete process.env.ECWID_OPTIONAL_SCOPES;
    }
  });

  it('falls back to CLIENT_ID when ECWID_CLIENT_ID is unset (zapier-platform invoke needs CLIENT_ID)', async () => {
    const saved = process.env.ECWID_CLIENT_ID;
    delete process.env.ECWID_CLIENT_ID;
    process.env.CLIENT_ID = 'plain-client-id';
    try {
      const url = new URL(await appTester(oauth.authorizeUrl as never, { inputData: { redirect_uri: REDIRECT, state: 's' } } as never));
      expect(url.searchParams.get('client_id')).toBe('plain-client-id');
    } finally {
      process.env.ECWID_CLIENT_ID = saved;
      process.env.CLIENT_ID = 'test-client-id';
    }
  });

  it('exchanges the code (form-encoded) at …/token/{store_id of the redirect} and keeps the token, the store id and the scope', async () => {
    const scope = nock('https://my.ecwid.com')
      .post('/api/oauth/token/1003', tokenForm)
      .matchHeader('content-type', 'application/x-www-form-urlencoded')
      .reply(200, { access_token: ACCESS_TOKEN, token_type: 'bearer', scope: 'read_store_profile read_customers', store_id: 1003 });
    await expect(
      appTester(oauth.getAccessToken as never, { inputData: { code: 'the-code', redirect_uri: REDIRECT, store_id: '1003' } } as never),
    ).resolves.toEqual(authData);
    scope.done();
  });

  it('reads store_id from bundle.cleanedRequest.querystring when inputData lacks it (the CLI templates’ way)', async () => {
    const scope = nock('https://my.ecwid.com')
      .post('/api/oauth/token/121843055', { ...tokenForm })
      .reply(200, { access_token: ACCESS_TOKEN, token_type: 'Bearer', scope: 'read_store_profile read_customers', store_id: 121843055 });
    await expect(
      appTester(
        oauth.getAccessToken as never,
        {
          inputData: { code: 'the-code', redirect_uri: REDIRECT },
          cleanedRequest: { querystring: { code: 'the-code', store_id: '121843055' } },
        } as never,
      ),
    ).resolves.toEqual({ ...authData, store_id: '121843055' });
    scope.done();
  });

  it('a redirect without store_id is refused before any request (never the retired …/token)', async () => {
    const info = await rejectsWith(
      appTester(oauth.getAccessToken as never, { inputData: { code: 'the-code', redirect_uri: REDIRECT } } as never),
      'AppError',
      "Ecwid's redirect back to Zapier carried no store_id. Ecwid has required it since September 2025 to exchange the sign-in code (at …/api/oauth/token/{store_id}; the old …/api/oauth/token is retired), so the code was not sent anywhere. Try connecting again; if this repeats, the Ecwid app's redirect URL may not point at Zapier.",
    );
    expect(info.code).toBe('oauth_store_id_missing');
    expect(nock.pendingMocks()).toEqual([]);
  });

  it.each([['../profile'], ['12a'], ['0'], [' ']])('a store_id of %j is refused before any request', async (storeId) => {
    const info = await rejectsWith(
      appTester(oauth.getAccessToken as never, { inputData: { code: 'the-code', redirect_uri: REDIRECT, store_id: storeId } } as never),
      'AppError',
      /^Ecwid's redirect back to Zapier carried (no store_id|store_id ".*", which is not an Ecwid store id)/,
    );
    expect(info.code).toMatch(/^oauth_store_id_(missing|invalid)$/);
  });

  it('refuses a token answer for another store than the redirect named', async () => {
    const scope = nock('https://my.ecwid.com')
      .post('/api/oauth/token/1003')
      .reply(200, { access_token: ACCESS_TOKEN, token_type: 'Bearer', scope: 'read_store_profile read_customers', store_id: 2004 });
    await rejectsWith(
      appTester(oauth.getAccessToken as never, { inputData: { code: 'the-code', redirect_uri: REDIRECT, store_id: '1003' } } as never),
      'AppError',
      'Ecwid answered the sign-in for store 2004, but the redirect named store 1003; please try connecting again.',
    );
    scope.done();
  });

  it.each([301, 302, 303, 307, 308])(
    'a %s redirect on the code exchange is an error naming the host; nothing is sent to the other host',
    async (status) => {
      const scope = nock('https://my.ecwid.com')
        .post('/api/oauth/token/1003', tokenForm)
        .reply(status, '', { Location: 'https://collector.example.net/steal' });
      const elsewhere = nock('https://collector.example.net').post('/steal').reply(200, { access_token: 'theirs', store_id: 1003 });
      elsewhere.get('/steal').reply(200, { access_token: 'theirs', store_id: 1003 });
      const info = await rejectsWith(
        appTester(oauth.getAccessToken as never, { inputData: { code: 'the-code', redirect_uri: REDIRECT, store_id: '1003' } } as never),
        'AppError',
        `Ecwid's sign-in service (my.ecwid.com) answered the code exchange with a redirect (HTTP ${status}) to collector.example.net. The app does not follow redirects on token requests, so the client secret and the code were not sent there. Check ECWID_OAUTH_BASE_URL, then connect again.`,
      );
      expect(info.code).toBe('oauth_token_redirect');
      scope.done();
      expect(elsewhere.pendingMocks()).toHaveLength(2);
      nock.cleanAll();
    },
  );

  it('the authorize step sends no request at all (it only builds the URL)', async () => {
    const anything = nock('https://my.ecwid.com').get(/.*/).reply(200, {}).post(/.*/).reply(200, {});
    await appTester(oauth.authorizeUrl as never, { inputData: { redirect_uri: REDIRECT, state: 's' } } as never);
    expect(anything.pendingMocks()).toHaveLength(2);
  });

  it('refuses a connection granted without read_customers', async () => {
    const scope = nock('https://my.ecwid.com')
      .post('/api/oauth/token/1003')
      .reply(200, { access_token: ACCESS_TOKEN, token_type: 'bearer', scope: 'read_store_profile', store_id: 1003 });
    const info = await rejectsWith(
      appTester(oauth.getAccessToken as never, { inputData: { code: 'the-code', redirect_uri: REDIRECT, store_id: '1003' } } as never),
      'AppError',
      'Ecwid granted this connection without read_customers, which the Ecwid Customers app needs to read customers. Connect again and approve every permission the app asks for.',
    );
    expect(info.code).toBe('oauth_scope_missing');
    scope.done();
  });

  it('reports a used code in Ecwid’s words', async () => {
    const scope = nock('https://my.ecwid.com')
      .post('/api/oauth/token/1003')
      .reply(400, { error: 'invalid_grant', error_description: 'Authorization code is invalid or expired' });
    await rejectsWith(
      appTester(oauth.getAccessToken as never, { inputData: { code: 'the-code', redirect_uri: REDIRECT, store_id: '1003' } } as never),
      'AppError',
      'Ecwid refused the sign-in (Authorization code is invalid or expired). Try connecting again; a code can be used only once and lives a few minutes.',
    );
    scope.done();
  });

  it('has no refresh: Ecwid tokens do not expire', () => {
    expect(oauth.refreshAccessToken).toBeUndefined();
    expect(oauth.autoRefresh).toBe(false);
  });

  it('tests with one GET /profile and labels the connection with the store name', async () => {
    const scope = ecwidApi()
      .get(api('/profile'))
      .reply(200, { generalInfo: { storeId: 1003 }, settings: { storeName: ' Maple & Rye Goods ' } });
    const tested = await appTester(App.authentication!.test as never, { authData } as never);
    expect(tested).toEqual({ storeId: '1003', storeName: 'Maple & Rye Goods' });
    await expect(appTester(App.authentication!.connectionLabel as never, { authData, inputData: tested } as never)).resolves.toBe(
      'Maple & Rye Goods',
    );
    scope.done();
  });

  it('labels a store without a name by its id', async () => {
    await expect(
      appTester(App.authentication!.connectionLabel as never, { authData, inputData: { storeId: '1003', storeName: '' } } as never),
    ).resolves.toBe('Ecwid store 1003');
  });

  it.each([
    [403, { errorMessage: 'Invalid access token in the request', errorCode: 'INVALID_API_TOKEN' }],
    [401, { errorMessage: 'Unauthorized' }],
    [403, ''],
  ])('a revoked token or uninstalled app (%s) asks for a reconnect, once', async (status, body) => {
    const scope = ecwidApi().get(api('/profile')).once().reply(status, body);
    await rejectsWith(
      appTester(App.authentication!.test as never, { authData } as never),
      'ExpiredAuthError',
      /^Ecwid no longer accepts this connection \(.+\): the app was uninstalled from the store or its access was revoked\. Reconnect Ecwid in Zapier/,
    );
    scope.done();
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('a connection without a store id asks for a reconnect before any request', async () => {
    await rejectsWith(
      appTester(App.authentication!.test as never, { authData: { access_token: ACCESS_TOKEN } } as never),
      'ExpiredAuthError',
      'This Ecwid connection has no store id. Reconnect Ecwid in Zapier.',
    );
  });
});
