/**
 * The Ecwid app over real HTTP against the Ecwid sandbox (127.0.0.1): the OAuth connection through
 * the app's own code, each trigger and the search, and the answers a real store gives when the app
 * is uninstalled, a scope is missing or the rate limit is hit. Every request is also validated
 * by the sandbox against ecwid/sandbox/openapi.json (a wrong parameter would fail with 400).
 */
import App from '../../index.js';
import { startEcwidSandbox, type EcwidSandbox } from '../../sandbox/server.js';
import { appTester, rejectsWith } from '../helpers.js';
import { submitFirstForm } from '../../../recipes/zap-runner.js';

let sb: EcwidSandbox;
const saved = { ...process.env };

const use = (s: EcwidSandbox) => {
  process.env.ECWID_API_BASE_URL = s.apiBaseUrl;
  process.env.ECWID_OAUTH_BASE_URL = s.oauthBaseUrl;
  process.env.ECWID_CLIENT_ID = s.clientId;
  process.env.ECWID_CLIENT_SECRET = s.clientSecret;
};

beforeEach(async () => {
  sb = await startEcwidSandbox();
  use(sb);
});
afterEach(async () => {
  await sb.close();
  process.env = { ...saved };
});

type Op = { operation: { perform: unknown } };
const run = (kind: 'triggers' | 'searches', key: string, authData: object, inputData: object = {}) =>
  appTester((App[kind] as Record<string, Op>)[key]!.operation.perform as never, { authData, inputData } as never) as Promise<any[]>;

const connect = async () => {
  const oauth = App.authentication!.oauth2Config!;
  const redirect = 'https://zapier.com/dashboard/auth/oauth/return/App123CLIAPI/';
  const authorizeUrl = await appTester(oauth.authorizeUrl as never, { inputData: { redirect_uri: redirect, state: 'st-1' } } as never);
  const page = await fetch(authorizeUrl as string);
  const approved = await submitFirstForm(authorizeUrl as string, await page.text());
  const back = new URL(approved.headers.get('location')!);
  expect([...back.searchParams.keys()].sort()).toEqual(['code', 'state', 'store_id']);
  expect(back.searchParams.get('state')).toBe('st-1');
  expect(back.searchParams.get('store_id')).toBe('1003');
  // As Zapier does: every query parameter of the redirect, plus redirect_uri.
  const authData = await appTester(
    oauth.getAccessToken as never,
    { inputData: { ...Object.fromEntries(back.searchParams), redirect_uri: redirect } } as never,
  );
  const tested = await appTester(App.authentication!.test as never, { authData } as never);
  const label = await appTester(App.authentication!.connectionLabel as never, { authData, inputData: tested } as never);
  return { authData: authData as Record<string, string>, label };
};

describe('Ecwid app against the Ecwid sandbox', () => {
  it('connects through OAuth, labels the connection with the store name and uses one request per poll', async () => {
    const { authData, label } = await connect();
    expect(label).toBe('Maple & Rye Goods (Demo)');
    expect(authData).toEqual({
      access_token: expect.stringMatching(/^secret_/),
      store_id: '1003',
      scope: 'read_store_profile read_customers',
    });
    expect(sb.requests.filter((r) => r.path.startsWith('/api/oauth/token')).map((r) => [r.method, r.path, r.status])).toEqual([
      ['POST', '/api/oauth/token/1003', 200],
    ]);

    sb.state.advance(60_000);
    const jules = sb.state.register({
      email: 'jules@example.com',
      firstName: 'Jules',
      lastName: 'Okafor',
      city: 'Portland',
      countryCode: 'US',
    });
    const before = sb.requests.length;
    const created = await run('triggers', 'new_customer', authData);
    expect(sb.requests.length - before).toBe(1);
    expect(created[0]).toMatchObject({
      id: String(jules.id),
      email: 'jules@example.com',
      firstName: 'Jules',
      customerGroupName: 'General',
    });

    sb.state.advance(60_000);
    sb.state.edit(jules.id, { customerGroupId: 2, billingPerson: { street: '7 Pier Street' } });
    const [changed] = await run('triggers', 'new_or_updated_customer', authData);
    expect(changed).toMatchObject({ customerId: String(jules.id), customerGroupName: 'Wholesale', billingStreet: '7 Pier Street' });
    expect(changed.id).toBe(`${jules.id}:${changed.updatedAt}`);

    // Find Customer gives the customer as it is now: the edited one, with the customer id as id.
    await expect(run('searches', 'find_customer', authData, { email: 'JULES@example.com' })).resolves.toEqual([
      { ...changed, id: String(jules.id) },
    ]);
    await expect(run('searches', 'find_customer', authData, { customerId: String(jules.id) })).resolves.toEqual([
      { ...changed, id: String(jules.id) },
    ]);
    await expect(run('searches', 'find_customer', authData, { customerId: '999' })).resolves.toEqual([]);

    sb.state.advance(60_000);
    sb.state.remove(jules.id);
    const [gone] = await run('triggers', 'deleted_customer', authData);
    expect(gone).toEqual({ id: String(jules.id), customerId: String(jules.id), deletedAt: expect.stringMatching(/Z$/), storeId: '1003' });
    expect(sb.requests.filter((r) => r.status === 400)).toEqual([]);
  });

  it.each(['oldest-first', 'newest-first'] as const)('reaches the newest of 3,000 deletions (%s) in at most 2 requests', async (order) => {
    await sb.close();
    sb = await startEcwidSandbox({ deletedOrder: order });
    use(sb);
    sb.state.seedBulk({ deleted: 3000 });
    const authData = { ...sb.issueToken(), store_id: '1003' };
    const newest = sb.state.deleted[sb.state.deleted.length - 1]!;
    const before = sb.requests.length;
    const out = await run('triggers', 'deleted_customer', authData);
    expect(sb.requests.length - before).toBe(order === 'oldest-first' ? 2 : 1);
    expect(out).toHaveLength(100);
    expect(out[0].id).toBe(String(newest.id));
  });

  it('an uninstalled app ends in one "reconnect" error, with no retry', async () => {
    const { authData } = await connect();
    sb.state.uninstallApp();
    const before = sb.requests.length;
    await rejectsWith(
      run('triggers', 'new_customer', authData),
      'ExpiredAuthError',
      /the app was uninstalled from the store or its access was revoked\. Reconnect Ecwid/,
    );
    expect(sb.requests.length - before).toBe(1);
  });

  it('a code used twice disables the first token, as Ecwid documents', async () => {
    const oauth = App.authentication!.oauth2Config!;
    const redirect = 'https://zapier.com/x/';
    const url = (await appTester(oauth.authorizeUrl as never, { inputData: { redirect_uri: redirect, state: 's' } } as never)) as string;
    const approved = await submitFirstForm(url, await (await fetch(url)).text());
    const code = new URL(approved.headers.get('location')!).searchParams.get('code');
    const inputData = { code, redirect_uri: redirect, store_id: '1003' };
    const authData = await appTester(oauth.getAccessToken as never, { inputData } as never);
    await rejectsWith(appTester(oauth.getAccessToken as never, { inputData } as never), 'AppError', /already been used/);
    await rejectsWith(appTester(App.authentication!.test as never, { authData } as never), 'ExpiredAuthError', /Reconnect Ecwid/);
  });

  it('the retired …/api/oauth/token answers 404; a code exchanged for another store is refused', async () => {
    const oauth = App.authentication!.oauth2Config!;
    const redirect = 'https://zapier.com/x/';
    const url = (await appTester(oauth.authorizeUrl as never, { inputData: { redirect_uri: redirect, state: 's' } } as never)) as string;
    const approved = await submitFirstForm(url, await (await fetch(url)).text());
    const code = new URL(approved.headers.get('location')!).searchParams.get('code')!;
    const form = new URLSearchParams({
      client_id: sb.clientId,
      client_secret: sb.clientSecret,
      code,
      redirect_uri: redirect,
      grant_type: 'authorization_code',
    });
    const retired = await fetch(`${sb.oauthBaseUrl}/token`, { method: 'POST', body: form });
    expect([retired.status, await retired.json()]).toEqual([
      404,
      {
        error: 'invalid_request',
        error_description: 'This endpoint is no longer available. Exchange the code at /api/oauth/token/{store_id}.',
      },
    ]);
    await rejectsWith(
      appTester(oauth.getAccessToken as never, { inputData: { code, redirect_uri: redirect, store_id: '2004' } } as never),
      'AppError',
      'Ecwid refused the sign-in (Authorization code was not issued for this store). Try connecting again; a code can be used only once and lives a few minutes.',
    );
    // Neither answer used the code up: the right store still gets its token.
    await expect(
      appTester(oauth.getAccessToken as never, { inputData: { code, redirect_uri: redirect, store_id: '1003' } } as never),
    ).resolves.toMatchObject({ store_id: '1003' });
  });

  it('a token without read_customers gets a reconnect error naming the scopes', async () => {
    const authData = { ...sb.issueToken(['read_store_profile']), store_id: '1003' };
    await rejectsWith(run('triggers', 'new_customer', authData), 'ExpiredAuthError', /lacks a permission/);
  });

  it('the rate limit answers 429 with Retry-After, which becomes a ThrottledError', async () => {
    await sb.close();
    sb = await startEcwidSandbox({ rateLimit: { max: 2, windowMs: 60_000 } });
    use(sb);
    const authData = { ...sb.issueToken(), store_id: '1003' };
    // The window runs on Date.now: frozen, so the three polls share it however long a busy machine takes.
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now);
    try {
      await run('triggers', 'new_customer', authData);
      await run('triggers', 'new_customer', authData);
      const info = await rejectsWith(run('triggers', 'new_customer', authData), 'ThrottledError', /Ecwid's rate limit was reached/);
      expect(info.delay).toBe(60);
    } finally {
      clock.mockRestore();
    }
  });

  it('a 503 then a success is one poll with two requests; a reset connection is retried once', async () => {
    const authData = { ...sb.issueToken(), store_id: '1003' };
    sb.faults.failNext(1, { status: 503, body: { errorMessage: 'Service Unavailable' } });
    await expect(run('triggers', 'new_customer', authData)).resolves.toHaveLength(2);
    sb.faults.resetConnectionNext(1);
    await expect(run('triggers', 'new_customer', authData)).resolves.toHaveLength(2);
    expect(sb.requests.map((r) => r.fault ?? r.status)).toEqual(['fail', 200, 'reset', 200]);
  });

  it('the sandbox rejects parameters Ecwid does not document (the app sends none)', async () => {
    const { access_token } = sb.issueToken();
    const res = await fetch(`${sb.apiBaseUrl}/1003/customers?limit=500&colour=red`, {
      headers: { Authorization: `Bearer ${access_token}` },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ errorCode: 'WRONG_PARAMETER', errorMessage: expect.stringContaining("Unknown parameter 'colour'") });
  });
});
