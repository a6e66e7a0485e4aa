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

  it('exchanges the code (form-encoded) and keeps the token, the store id and the scope', async () => {
    const scope = nock('https://my.ecwid.com')
      .post('/api/oauth/token', tokenForm)
      .matchHeader('content-type', 'application/x-www-form-urlencoded')
      .reply(200, { access_token: ACCESS_TOKEN, token_type: 'bearer', scope: 'read_store_profile read_customers', store_id: 1003 });
    await expect(
      appTester(oauth.getAccessToken as never, { inputData: { code: 'the-code', redirect_uri: REDIRECT } } as never),
    ).resolves.toEqual(authData);
    scope.done();
  });

  it('refuses a connection granted without read_customers', async () => {
    const scope = nock('https://my.ecwid.com')
      .post('/api/oauth/token')
      .reply(200, { access_token: ACCESS_TOKEN, token_type: 'bearer', scope: 'read_store_profile', store_id: 1003 });
    const info = await rejectsWith(
      appTester(oauth.getAccessToken as never, { inputData: { code: 'the-code', redirect_uri: REDIRECT } } as never),
      'AppError',
      'Ecwid granted this connection without read_customers, which the Ecwid Customers app needs to read customers. Connect again and approve every permission the app asks for.',
    );
    expect(info.code).toBe('oauth_scope_missing');
    scope.done();
  });

  it('reports a used code in Ecwid’s words', async () => {
    const scope = nock('https://my.ecwid.com')
      .post('/api/oauth/token')
      .reply(400, { error: 'invalid_grant', error_description: 'Authorization code is invalid or expired' });
    await rejectsWith(
      appTester(oauth.getAccessToken as never, { inputData: { code: 'the-code', redirect_uri: REDIRECT } } as never),
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
