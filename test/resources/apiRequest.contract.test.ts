/**
 * API Request against GHL's spec: documented endpoints called through the step reach the sandbox
 * over real HTTP, which routes and validates every request against GHL's OpenAPI files
 * (openapi/apps/*.json: path, query, headers including Version, body) and answers 422 for any
 * mismatch. Each call must succeed, carry the Version the spec declares for its path, and never go
 * anywhere but the sandbox's API host.
 */
import { ZapRunner } from '../../recipes/zap-runner.js';
import { startSandbox, type Sandbox } from '../../sandbox/server.js';
import { seedIds, type SeedIds } from '../reliability/ops.js';

const savedEnv = { ...process.env };
let sb: Sandbox;
let zap: ZapRunner;
let ids: SeedIds;

beforeAll(async () => {
  sb = await startSandbox({ rateLimit: { max: 100, windowMs: 10_000, daily: 200_000 } });
  zap = new ZapRunner(sb);
  await zap.connect();
  ids = seedIds(sb.state);
});
afterAll(async () => {
  await sb.close();
  process.env = { ...savedEnv };
});
beforeEach(() => sb.reset());

const call = (input: Record<string, unknown>) => zap.perform('creates', 'api_request', input);
const last = () => sb.requests.filter((r) => r.path !== '/oauth/token').at(-1)!;

describe('API Request against GHL’s spec (sandbox-validated)', () => {
  it('GET /contacts/{contactId}: the contact, with GHL’s rate-limit headers', async () => {
    const out = await call({ method: 'GET', path: `/contacts/${ids.olivia}` });
    expect(out).toMatchObject({ status: 200, ok: true, data: { contact__id: ids.olivia, contact__firstName: 'Olivia' } });
    expect(Object.keys(out.headers).sort()).toEqual([
      'x-ratelimit-daily-remaining',
      'x-ratelimit-daily-reset',
      'x-ratelimit-interval-milliseconds',
      'x-ratelimit-limit-daily',
      'x-ratelimit-max',
      'x-ratelimit-remaining',
    ]);
    expect(last()).toMatchObject({ method: 'GET', path: `/contacts/${ids.olivia}`, operationId: 'get-contact', status: 200 });
    expect(last().headers).toMatchObject({ version: '2021-07-28', authorization: 'Bearer ***', accept: 'application/json' });
  });

  it('GET /locations/{locationId}/customFields with {locationId} and a query parameter', async () => {
    const out = await call({ method: 'GET', path: '/locations/{locationId}/customFields', query: { model: 'contact' } });
    expect(out.status).toBe(200);
    expect(out.data.customFields__0__id).toEqual(expect.any(String));
    expect(last()).toMatchObject({ path: `/locations/${ids.locationId}/customFields`, query: { model: 'contact' }, status: 200 });
  });

  it('POST /contacts/search with a JSON body', async () => {
    const out = await call({
      method: 'POST',
      path: '/contacts/search',
      body: JSON.stringify({ locationId: '{locationId}', pageLimit: 1, query: 'olivia' }),
    });
    expect(out).toMatchObject({ status: 200, data: { total: 1, contacts__0__id: ids.olivia } });
  });

  it('POST, PUT and DELETE /businesses/…: create, rename and delete a business', async () => {
    const created = await call({
      method: 'POST',
      path: '/businesses/',
      body: '{"name": "Retail", "locationId": "{locationId}", "city": "Stowe"}',
    });
    expect(created).toMatchObject({ status: 201, data: { success: true, buiseness__name: 'Retail', buiseness__city: 'Stowe' } });
    const id = created.data.buiseness__id as string;
    const renamed = await call({ method: 'PUT', path: `/businesses/${id}`, body: '{"name": "Retail EU"}' });
    expect(renamed).toMatchObject({ status: 200, data: { buiseness__name: 'Retail EU' } });
    expect(sb.state.businesses.get(id)?.name).toBe('Retail EU');
    const deleted = await call({ method: 'DELETE', path: `/businesses/${id}` });
    expect(deleted).toMatchObject({ status: 200, data: { success: true } });
    expect(sb.state.businesses.has(id)).toBe(false);
  });

  it('a calendars path gets Version 2021-04-15 by itself; a scope the app does not ask for is named in the error', async () => {
    const appointment = [...sb.state.appointments.values()][0]!;
    await expect(call({ method: 'GET', path: `/calendars/events/appointments/${appointment.id}` })).rejects.toThrow(
      /the token is not authorized for this scope\. This step needs the scope calendars\/events\.readonly, which this connection was not granted/,
    );
    expect(last()).toMatchObject({ operationId: 'get-appointment', status: 401 });
    expect(last().headers).toMatchObject({ version: '2021-04-15' });
  });

  it('a body GHL’s spec refuses fails with GHL’s 422 message (and nothing is written)', async () => {
    const before = sb.state.businesses.size;
    await expect(call({ method: 'POST', path: '/businesses/', body: '{"locationId": "{locationId}", "colour": "red"}' })).rejects.toThrow(
      /GHL rejected the request: .*name/,
    );
    expect(sb.state.businesses.size).toBe(before);
  });

  it('an undocumented path is sent too, and fails with GHL’s own answer', async () => {
    await expect(call({ method: 'GET', path: '/not/documented' })).rejects.toThrow(
      /GHL rejected the request: Cannot GET \/not\/documented/,
    );
    const out = await call({ method: 'GET', path: '/not/documented', errorsAsData: true });
    expect(out).toMatchObject({ status: 404, ok: false, data: { message: 'Cannot GET /not/documented' } });
  });
});
