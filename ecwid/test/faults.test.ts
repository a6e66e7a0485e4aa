/**
 * The fault matrix for the Ecwid operations, over real HTTP against the Ecwid sandbox: each
 * operation × each fault Ecwid or the network can produce. Asserted for every cell: the outcome
 * (the data, or the right Zapier error), that nothing is sent more than twice (one retry for a
 * read, never a loop), and that a fault never turns into a success with wrong data (an empty list
 * instead of customers).
 */
import App from '../index.js';
import { startEcwidSandbox, type EcwidSandbox } from '../sandbox/server.js';
import { appTester, zapierError } from './helpers.js';

type Op = { operation: { perform: unknown } };
const ops: Array<[string, 'triggers' | 'searches' | 'creates', Record<string, unknown>, RegExp]> = [
  ['new_customer', 'triggers', {}, /\/customers$/],
  ['new_or_updated_customer', 'triggers', {}, /\/customers$/],
  ['customer_list', 'triggers', {}, /\/customers$/],
  ['deleted_customer', 'triggers', {}, /\/customers\/deleted$/],
  ['find_customer', 'searches', { customerId: '274839105' }, /\/customers\/274839105$/],
  ['find_customer', 'searches', { email: 'olivia.bennett@example.com' }, /\/customers$/],
  ['api_request', 'creates', { path: '/customers/274839105' }, /\/customers\/274839105$/],
  ['api_request', 'creates', { path: '/customer_groups', query: { keyword: 'sale' } }, /\/customer_groups$/],
];

type Expect = { ok: true } | { error: string; code?: string };
const faults: Array<[string, (sb: EcwidSandbox, match: RegExp) => void, Expect, number]> = [
  ['none', () => undefined, { ok: true }, 1],
  ['503 once', (sb, match) => sb.faults.failNext(1, { status: 503, match }), { ok: true }, 2],
  ['503 twice', (sb, match) => sb.faults.failNext(2, { status: 503, match }), { error: 'AppError', code: 'ecwid_server_error' }, 2],
  [
    '500 HTML twice',
    (sb, match) => sb.faults.failNext(2, { status: 500, body: '<html>oops</html>', match }),
    { error: 'AppError', code: 'ecwid_server_error' },
    2,
  ],
  ['reset once', (sb, match) => sb.faults.resetConnectionNext(1, { match }), { ok: true }, 2],
  ['reset twice', (sb, match) => sb.faults.resetConnectionNext(2, { match }), { error: 'AppError', code: 'ecwid_unreachable' }, 2],
  ['empty 200 once', (sb, match) => sb.faults.emptyBodyNext(1, { match }), { ok: true }, 2],
  ['empty 200 twice', (sb, match) => sb.faults.emptyBodyNext(2, { match }), { error: 'AppError', code: 'ecwid_unreadable_response' }, 2],
  [
    '429',
    (sb, match) =>
      sb.faults.failNext(1, {
        status: 429,
        body: { errorMessage: 'Too many requests', errorCode: 'RATE_LIMITED' },
        headers: { 'Retry-After': '30' },
        match,
      }),
    { error: 'ThrottledError' },
    1,
  ],
  ['403 token', (sb) => sb.state.uninstallApp(), { error: 'ExpiredAuthError' }, 1],
  [
    '402 plan',
    (sb, match) =>
      sb.faults.failNext(1, { status: 402, body: { errorMessage: 'Store is suspended', errorCode: 'STORE_IS_SUSPENDED' }, match }),
    { error: 'AppError', code: 'ecwid_plan_required' },
    1,
  ],
  [
    '400',
    (sb, match) => sb.faults.failNext(1, { status: 400, body: { errorMessage: 'Wrong parameter', errorCode: 'WRONG_PARAMETER' }, match }),
    { error: 'AppError', code: 'ecwid_bad_request' },
    1,
  ],
];

let sb: EcwidSandbox;
const saved = { ...process.env };
beforeAll(async () => {
  sb = await startEcwidSandbox({ rateLimit: false });
  process.env.ECWID_API_BASE_URL = sb.apiBaseUrl;
});
afterAll(async () => {
  await sb.close();
  process.env = { ...saved };
});

const cells = ops.flatMap(([key, kind, input, match]) =>
  faults.map(([fault, apply, expected, maxRequests]) => ({ key, kind, input, match, fault, apply, expected, maxRequests })),
);

describe('Ecwid fault matrix (operation × fault)', () => {
  it.each(cells.map((c) => [`${c.key} ${JSON.stringify(c.input)} × ${c.fault}`, c] as const))('%s', async (_name, c) => {
    sb.state.reset();
    sb.faults.clear();
    const authData = { ...sb.issueToken(), store_id: '1003' };
    const clean = (await appTester(
      (App[c.kind] as Record<string, Op>)[c.key]!.operation.perform as never,
      { authData, inputData: c.input } as never,
    )) as unknown[];
    sb.requests.length = 0;
    c.apply(sb, c.match);
    const outcome = await (
      appTester(
        (App[c.kind] as Record<string, Op>)[c.key]!.operation.perform as never,
        { authData, inputData: c.input } as never,
      ) as Promise<unknown[]>
    ).then(
      (data) => ({ data }),
      (error: unknown) => ({ error: zapierError(error) }),
    );
    if ('ok' in c.expected) expect(outcome).toEqual({ data: clean });
    else {
      expect('error' in outcome && outcome.error.name).toBe(c.expected.error);
      if (c.expected.code) expect('error' in outcome && outcome.error.code).toBe(c.expected.code);
    }
    expect(sb.requests.length).toBeLessThanOrEqual(c.maxRequests);
    expect(sb.requests.length).toBe(c.maxRequests);
  });
});
