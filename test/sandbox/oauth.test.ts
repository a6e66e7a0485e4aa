import { startSandbox } from '../../sandbox/server.js';
import type { Sandbox } from '../../sandbox/server.js';
import { allowLocalhost, call } from './helpers.js';

allowLocalhost();

const REDIRECT = 'https://zapier.com/dashboard/auth/oauth/return/App123CLIAPI/';

describe('sandbox OAuth', () => {
  let sb: Sandbox;
  // Token lifetimes run on Date.now: frozen here and moved by the test, so a 1 s token outlives a busy machine.
  let now = Date.parse('2026-11-28T12:00:00.000Z');
  let clock: jest.SpiedFunction<typeof Date.now>;
  beforeAll(async () => {
    allowLocalhost();
    clock = jest.spyOn(Date, 'now').mockImplementation(() => now);
    sb = await startSandbox({ accessTokenTtlSeconds: 1 });
  });
  afterAll(async () => {
    clock.mockRestore();
    await sb.close();
  });
  beforeEach(() => {
    allowLocalhost();
    sb.reset();
  });

  async function authorize(extra: Record<string, string> = {}): Promise<{ code: string; state: string | null; location: string }> {
    const r = await call(sb, null, 'POST', '/v2/oauth/chooselocation/approve', {
      version: null,
      form: {
        client_id: sb.clientId,
        redirect_uri: REDIRECT,
        scope: 'contacts.readonly contacts.write locations.readonly',
        state: 'st&te/=+ 1',
        location_id: sb.locationId,
        ...extra,
      },
      redirect: 'manual',
    });
    expect(r.status).toBe(302);
    const location = r.headers.get('location') ?? '';
    const u = new URL(location);
    return { code: u.searchParams.get('code') ?? '', state: u.searchParams.get('state'), location };
  }

  function token(form: Record<string, string>) {
    return call(sb, null, 'POST', '/oauth/token', { version: null, form });
  }

  test('chooselocation page lists the demo location with an Approve form (both URL forms)', async () => {
    for (const p of ['/v2/oauth/chooselocation', '/oauth/chooselocation']) {
      const q = new URLSearchParams({
        response_type: 'code',
        client_id: sb.clientId,
        redirect_uri: REDIRECT,
        scope: 'contacts.readonly contacts.write',
        state: 'abc',
      });
      const r = await call(sb, null, 'GET', `${p}?${q.toString()}`, { version: null });
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(r.text).toContain('Choose a sub-account');
      expect(r.text).toContain('Maple &#38; Rye Goods (Demo)');
      expect(r.text).toContain('action="/v2/oauth/chooselocation/approve"');
      expect(r.text).toContain(`name="location_id" value="${sb.locationId}"`);
      expect(r.text).toContain('name="state" value="abc"');
      expect(r.text).toContain('>Approve</button>');
    }
  });

  test('unknown client_id → 400 "No integration found with the ID"', async () => {
    const r = await call(
      sb,
      null,
      'GET',
      `/v2/oauth/chooselocation?response_type=code&client_id=nope&redirect_uri=${encodeURIComponent(REDIRECT)}`,
      {
        version: null,
      },
    );
    expect(r.status).toBe(400);
    expect(r.text).toContain('No integration found with the ID nope');
  });

  test('full dance: approve → 302 code+state → token → refresh rotates → old refresh rejected → expiry', async () => {
    const { code, state, location } = await authorize();
    expect(location.startsWith(`${REDIRECT}?code=`)).toBe(true);
    expect(location.endsWith(`&state=${encodeURIComponent('st&te/=+ 1')}`)).toBe(true);
    expect(state).toBe('st&te/=+ 1');

    const t1 = await token({
      client_id: sb.clientId,
      client_secret: sb.clientSecret,
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      user_type: 'Location',
    });
    expect(t1.status).toBe(200);
    expect(t1.body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 1,
      scope: 'contacts.readonly contacts.write locations.readonly',
      userType: 'Location',
      locationId: sb.locationId,
      companyId: sb.state.companyId,
      approvedLocations: [sb.locationId],
      planId: 'sandbox-plan',
      isBulkInstallation: false,
    });
    expect(typeof t1.body.access_token).toBe('string');
    expect(typeof t1.body.refresh_token).toBe('string');
    expect(typeof t1.body.userId).toBe('string');

    // code is single-use
    const again = await token({ client_id: sb.clientId, client_secret: sb.clientSecret, grant_type: 'authorization_code', code });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({
      error: 'invalid_grant',
      error_description: 'Invalid grant: authorization code is invalid',
      statusCode: 400,
      message: 'Invalid grant: authorization code is invalid',
    });

    const ok = await call(sb, t1.body.access_token, 'GET', `/locations/${sb.locationId}`);
    expect(ok.status).toBe(200);
    expect(ok.body.location.name).toBe('Maple & Rye Goods (Demo)');

    const t2 = await token({
      client_id: sb.clientId,
      client_secret: sb.clientSecret,
      grant_type: 'refresh_token',
      refresh_token: t1.body.refresh_token,
      user_type: 'Location',
    });
    expect(t2.status).toBe(200);
    expect(t2.body.refresh_token).not.toBe(t1.body.refresh_token);
    expect(t2.body.access_token).not.toBe(t1.body.access_token);
    expect(t2.body.locationId).toBe(sb.locationId);

    // old access token still valid until it expires
    expect((await call(sb, t1.body.access_token, 'GET', `/locations/${sb.locationId}`)).status).toBe(200);

    const reuse = await token({
      client_id: sb.clientId,
      client_secret: sb.clientSecret,
      grant_type: 'refresh_token',
      refresh_token: t1.body.refresh_token,
    });
    expect(reuse.status).toBe(400);
    expect(reuse.body).toEqual({
      error: 'invalid_grant',
      error_description: 'Invalid grant: refresh token is invalid',
      statusCode: 400,
      message: 'Invalid grant: refresh token is invalid',
      traceId: expect.any(String),
    });

    now += 1000; // the access token's second is over
    const expired = await call(sb, t2.body.access_token, 'GET', `/locations/${sb.locationId}`);
    expect(expired.status).toBe(401);
    expect(expired.body).toMatchObject({ statusCode: 401, message: 'Invalid JWT', error: 'Unauthorized' });

    // the rotated refresh token still works after the access token expired
    const t3 = await token({
      client_id: sb.clientId,
      client_secret: sb.clientSecret,
      grant_type: 'refresh_token',
      refresh_token: t2.body.refresh_token,
    });
    expect(t3.status).toBe(200);
    expect((await call(sb, t3.body.access_token, 'GET', `/locations/${sb.locationId}`)).status).toBe(200);
  });

  test('wrong client secret → 401 invalid_client', async () => {
    const { code } = await authorize();
    const r = await token({ client_id: sb.clientId, client_secret: 'wrong', grant_type: 'authorization_code', code });
    expect(r.status).toBe(401);
    expect(r.body.error).toBe('invalid_client');
    expect(r.body.statusCode).toBe(401);
  });

  test('token endpoint accepts only form bodies: JSON → 422; missing fields → 422', async () => {
    const json = await call(sb, null, 'POST', '/oauth/token', {
      version: null,
      body: { client_id: sb.clientId, client_secret: sb.clientSecret, grant_type: 'refresh_token', refresh_token: 'x' },
    });
    expect(json.status).toBe(422);
    expect(json.body.statusCode).toBe(422);
    expect(json.body.error).toBe('Unprocessable Entity');
    expect(json.body.message).toEqual(['Content-Type application/json is not supported; use application/x-www-form-urlencoded']);

    const missing = await token({ client_id: sb.clientId, grant_type: 'refresh_token' });
    expect(missing.status).toBe(422);
    expect(missing.body.message).toEqual(['client_secret should not be empty']);
  });

  test('Company install: Company tokens have no locationId and are refused on contacts endpoints', async () => {
    const { code } = await authorize({ user_type: 'Company' });
    const t = await token({ client_id: sb.clientId, client_secret: sb.clientSecret, grant_type: 'authorization_code', code });
    expect(t.status).toBe(200);
    expect(t.body.userType).toBe('Company');
    expect(t.body.locationId).toBeUndefined();
    expect(t.body.approvedLocations).toEqual([sb.locationId, sb.state.otherLocationId]);

    const r = await call(sb, t.body.access_token, 'POST', '/contacts/search', { body: { locationId: sb.locationId, pageLimit: 1 } });
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({
      statusCode: 403,
      message: 'This token is a Company (agency) token; this endpoint needs a Location (sub-account) token.',
    });
    // agency-access operations (spec security "Agency-Access") work
    const loc = await call(sb, t.body.access_token, 'GET', `/locations/${sb.locationId}`);
    expect(loc.status).toBe(200);

    const issued = sb.issueTokens({ userType: 'Company' });
    expect(issued.userType).toBe('Company');
    const r2 = await call(sb, issued.access_token, 'GET', `/contacts/${'x'.repeat(20)}`);
    expect(r2.status).toBe(403);
  });

  test('request log redacts secrets, codes and tokens', async () => {
    const { code } = await authorize();
    const t = await token({ client_id: sb.clientId, client_secret: sb.clientSecret, grant_type: 'authorization_code', code });
    await token({
      client_id: sb.clientId,
      client_secret: sb.clientSecret,
      grant_type: 'refresh_token',
      refresh_token: t.body.refresh_token,
    });
    await call(sb, t.body.access_token, 'GET', `/locations/${sb.locationId}`);
    const log = JSON.stringify(sb.requests);
    expect(log).not.toContain(sb.clientSecret);
    expect(log).not.toContain(code);
    expect(log).not.toContain(t.body.refresh_token);
    expect(log).not.toContain(t.body.access_token);
    const tokenCalls = sb.requests.filter((r) => r.path === '/oauth/token');
    expect(tokenCalls).toHaveLength(2);
    expect(tokenCalls[0]!.body).toEqual({ client_id: sb.clientId, client_secret: '***', grant_type: 'authorization_code', code: '***' });
    expect(tokenCalls[0]!.operationId).toBe('get-access-token');
    expect(tokenCalls[1]!.body).toMatchObject({ refresh_token: '***', client_secret: '***' });
    const apiCall = sb.requests[sb.requests.length - 1]!;
    expect(apiCall.headers['authorization']).toBe('Bearer ***');
    expect(apiCall.status).toBe(200);
    expect(apiCall.operationId).toBe('get-location');
  });
});
