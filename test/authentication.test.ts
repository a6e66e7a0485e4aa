import nock from 'nock';
import App from '../index.js';
import { API, LOCATION_ID, appTester, authData, ghlApi, rejectsWith } from './helpers.js';
import { OAUTH_SCOPES } from '../src/config.js';

const oauth = App.authentication!.oauth2Config!;
const run = (fn: unknown, bundle: Record<string, unknown>) => appTester(fn as never, bundle as never) as Promise<any>;

const tokenAnswer = {
  access_token: 'new-access-token',
  token_type: 'Bearer',
  expires_in: 86399,
  refresh_token: 'new-refresh-token',
  scope: 'contacts.readonly contacts.write',
  userType: 'Location',
  locationId: LOCATION_ID,
  companyId: 'cmp0000000000000001',
  userId: 'usr0000000000000001',
};

describe('authorize URL', () => {
  it('points at GHL chooselocation with client id, redirect, code flow, state and every scope', async () => {
    const url = await run(oauth.authorizeUrl, {
      inputData: { redirect_uri: 'https://zapier.com/dashboard/auth/oauth/return/App123CLIAPI/', state: 'st4te' },
    });
    expect(url).toBe(
      'https://marketplace.gohighlevel.com/v2/oauth/chooselocation?response_type=code&client_id=test-client-id' +
        '&redirect_uri=https%3A%2F%2Fzapier.com%2Fdashboard%2Fauth%2Foauth%2Freturn%2FApp123CLIAPI%2F&scope=' +
        OAUTH_SCOPES.map(encodeURIComponent).join('+') +
        '&state=st4te',
    );
    expect(new URL(url).searchParams.get('scope')).toBe(
      'contacts.readonly contacts.write locations.readonly locations/customFields.readonly locations/tags.readonly locations/tasks.readonly users.readonly businesses.readonly businesses.write workflows.readonly campaigns.readonly',
    );
  });

  it('uses the authorize host from GHL_AUTH_BASE_URL (white-label or sandbox)', async () => {
    process.env.GHL_AUTH_BASE_URL = 'https://marketplace.leadconnectorhq.com/';
    try {
      const url = await run(oauth.authorizeUrl, { inputData: { redirect_uri: 'https://x.test/cb', state: 's' } });
      expect(url.startsWith('https://marketplace.leadconnectorhq.com/v2/oauth/chooselocation?')).toBe(true);
    } finally {
      delete process.env.GHL_AUTH_BASE_URL;
    }
  });
});

describe('code exchange', () => {
  it('posts a form with the code, keeps the location, company, user and user type, and reads the sub-account timezone', async () => {
    const scope = nock(API, { badheaders: ['authorization', 'version'] })
      .post('/oauth/token', (body) => {
        expect(body).toEqual({
          client_id: 'test-client-id',
          client_secret: 'test-client-secret',
          grant_type: 'authorization_code',
          code: 'the-code',
          user_type: 'Location',
          redirect_uri: 'https://x.test/cb',
        });
        return true;
      })
      .matchHeader('content-type', 'application/x-www-form-urlencoded')
      .reply(200, tokenAnswer);
    const location = nock(API, { reqheaders: { authorization: 'Bearer new-access-token', version: '2021-07-28' } })
      .get(`/locations/${LOCATION_ID}`)
      .reply(200, { location: { id: LOCATION_ID, name: 'Maple & Rye Goods', timezone: 'America/New_York' } });
    const result = await run(oauth.getAccessToken, { inputData: { code: 'the-code', redirect_uri: 'https://x.test/cb' } });
    expect(result).toEqual({
      access_token: 'new-access-token',
      refresh_token: 'new-refresh-token',
      expires_in: 86399,
      locationId: LOCATION_ID,
      companyId: 'cmp0000000000000001',
      userId: 'usr0000000000000001',
      userType: 'Location',
      scope: 'contacts.readonly contacts.write',
      locationTimezone: 'America/New_York',
    });
    scope.done();
    location.done();
  });

  it('still connects when the sub-account cannot be read (appointment times then read as UTC)', async () => {
    nock(API).post('/oauth/token').reply(200, tokenAnswer);
    nock(API).get(`/locations/${LOCATION_ID}`).reply(403, { statusCode: 403, message: 'forbidden' });
    const result = await run(oauth.getAccessToken, { inputData: { code: 'the-code', redirect_uri: 'https://x.test/cb' } });
    expect([result.access_token, result.locationTimezone]).toEqual(['new-access-token', '']);
  });

  it('refuses an agency (Company) token with a message that says to pick a sub-account', async () => {
    nock(API)
      .post('/oauth/token')
      .reply(200, { ...tokenAnswer, userType: 'Company', locationId: undefined });
    await rejectsWith(
      run(oauth.getAccessToken, { inputData: { code: 'c', redirect_uri: 'https://x.test/cb' } }),
      'AppError',
      'This connection was made for an agency (Company) account, but contacts live in sub-accounts. Reconnect and choose a sub-account (location) on the GHL page.',
    );
  });

  it('says what GHL said when it refuses the code', async () => {
    nock(API)
      .post('/oauth/token')
      .reply(400, { error: 'invalid_grant', error_description: 'Invalid grant: authorization code is invalid' });
    await rejectsWith(
      run(oauth.getAccessToken, { inputData: { code: 'used' } }),
      'AppError',
      'GHL refused the sign-in (Invalid grant: authorization code is invalid).',
    );
  });

  it('fails clearly when CLIENT_ID/CLIENT_SECRET are missing, before any request', async () => {
    const saved = process.env.CLIENT_SECRET;
    delete process.env.CLIENT_SECRET;
    try {
      await rejectsWith(run(oauth.getAccessToken, { inputData: { code: 'c' } }), 'AppError', /CLIENT_ID and CLIENT_SECRET are not set/);
    } finally {
      process.env.CLIENT_SECRET = saved;
    }
  });
});

describe('refresh', () => {
  it('sends the stored refresh token and returns the rotated one', async () => {
    const scope = nock(API)
      .post('/oauth/token', {
        client_id: 'test-client-id',
        client_secret: 'test-client-secret',
        grant_type: 'refresh_token',
        refresh_token: 'test-refresh-token',
        user_type: 'Location',
      })
      .reply(200, { ...tokenAnswer, access_token: 'a2', refresh_token: 'r2' });
    const result = await run(oauth.refreshAccessToken, { authData });
    expect(result.access_token).toBe('a2');
    expect(result.refresh_token).toBe('r2');
    expect(result.locationId).toBe(LOCATION_ID);
    expect(result.locationTimezone).toBe('');
    scope.done();
  });

  it('asks the user to reconnect when the refresh token was already used (no refresh loop)', async () => {
    nock(API).post('/oauth/token').reply(400, { error: 'invalid_grant', error_description: 'Invalid grant: refresh token is invalid' });
    await rejectsWith(
      run(oauth.refreshAccessToken, { authData }),
      'ExpiredAuthError',
      'GHL refused to renew the connection (Invalid grant: refresh token is invalid). Please reconnect your GHL account.',
    );
  });
});

describe('connection test and label', () => {
  it('reads the location once and labels the connection with its name', async () => {
    const scope = ghlApi()
      .get(`/locations/${LOCATION_ID}`)
      .reply(200, { location: { id: LOCATION_ID, name: 'Maple & Rye Goods' } });
    const result = await run(App.authentication!.test, { authData });
    expect(result).toEqual({ id: LOCATION_ID, name: 'Maple & Rye Goods' });
    const label = await run(App.authentication!.connectionLabel, { authData, inputData: result });
    expect(label).toBe('Maple & Rye Goods');
    scope.done();
  });

  it('a 401 on the test asks Zapier to refresh the token', async () => {
    ghlApi().get(`/locations/${LOCATION_ID}`).reply(401, { statusCode: 401, message: 'Invalid JWT' });
    await rejectsWith(run(App.authentication!.test, { authData }), 'RefreshAuthError', /.*/);
  });
});

describe('token endpoint failures are temporary, not a reason to reconnect', () => {
  it('a 503 on refresh → retryable error, not ExpiredAuthError', async () => {
    nock(API).post('/oauth/token').reply(503, '<html>Service Unavailable</html>');
    const e = await rejectsWith(
      run(oauth.refreshAccessToken, { authData }),
      'AppError',
      "GHL's sign-in service failed (HTTP 503). The connection itself is fine; this is usually temporary and retrying the step may help.",
    );
    expect([e.code, e.status]).toEqual(['ghl_server_error', 503]);
  });

  it('a dropped connection on the code exchange → retryable error without the URL', async () => {
    nock(API).post('/oauth/token').replyWithError('socket hang up');
    const e = await rejectsWith(
      run(oauth.getAccessToken, { inputData: { code: 'c' } }),
      'AppError',
      /^Could not reach GHL's sign-in service \(.*socket hang up\)\. This is usually temporary; retrying the step may help\.$/,
    );
    expect(e.message).not.toContain('leadconnectorhq.com');
    expect(e.code).toBe('ghl_unreachable');
  });
});

describe('token requests never follow a redirect', () => {
  const ELSEWHERE = 'https://collector.example.net';
  /** Answers anything sent to the other host, so a followed redirect would be seen (and would succeed). */
  const collector = () =>
    nock(ELSEWHERE).post('/steal').reply(200, tokenAnswer).get('/steal').reply(200, tokenAnswer).get(/.*/).reply(200, { location: {} });

  it('authorize: building the authorize URL sends no request at all', async () => {
    const other = collector();
    await run(oauth.authorizeUrl, { inputData: { redirect_uri: 'https://x.test/cb', state: 's' } });
    expect(other.pendingMocks()).toHaveLength(3);
  });

  it.each([301, 302, 303, 307, 308])(
    'exchange: a %s from the token host is an error naming both hosts; nothing reaches the other host',
    async (status) => {
      const scope = nock(API)
        .post('/oauth/token')
        .reply(status, '', { Location: `${ELSEWHERE}/steal` });
      const other = collector();
      const e = await rejectsWith(
        run(oauth.getAccessToken, { inputData: { code: 'the-code', redirect_uri: 'https://x.test/cb' } }),
        'AppError',
        `GHL's sign-in service (services.leadconnectorhq.com) answered the code exchange with a redirect (HTTP ${status}) to collector.example.net. The app does not follow redirects on token requests, so the client secret and the code were not sent there and nothing was stored. Check GHL_API_BASE_URL; the connection itself is unchanged.`,
      );
      expect([e.code, e.status]).toEqual(['oauth_token_redirect', 502]);
      scope.done();
      expect(other.pendingMocks()).toHaveLength(3);
    },
  );

  it.each([307, 308])('refresh: a %s is an error (not a reconnect), the refresh token stays home and nothing is stored', async (status) => {
    const scope = nock(API)
      .post('/oauth/token')
      .reply(status, '', { Location: `${ELSEWHERE}/steal` });
    const other = collector();
    const e = await rejectsWith(
      run(oauth.refreshAccessToken, { authData }),
      'AppError',
      `GHL's sign-in service (services.leadconnectorhq.com) answered the token refresh with a redirect (HTTP ${status}) to collector.example.net. The app does not follow redirects on token requests, so the client secret and the refresh token were not sent there and nothing was stored. Check GHL_API_BASE_URL; the connection itself is unchanged.`,
    );
    expect(e.code).toBe('oauth_token_redirect');
    scope.done();
    expect(other.pendingMocks()).toHaveLength(3);
  });

  it('connect: the sub-account read with the new token does not follow a redirect either (timezone left empty)', async () => {
    nock(API).post('/oauth/token').reply(200, tokenAnswer);
    const read = nock(API)
      .get(`/locations/${LOCATION_ID}`)
      .reply(307, '', { Location: `${ELSEWHERE}/locations/${LOCATION_ID}` });
    const other = collector();
    const result = await run(oauth.getAccessToken, { inputData: { code: 'the-code', redirect_uri: 'https://x.test/cb' } });
    expect([result.access_token, result.locationTimezone]).toEqual(['new-access-token', '']);
    read.done();
    expect(other.pendingMocks()).toHaveLength(3);
  });
});
