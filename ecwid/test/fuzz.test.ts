/**
 * Property tests: Find Customer either refuses an input before any request or sends exactly one
 * request whose path is one encoded segment; the output shape never throws on whatever Ecwid
 * sends and only ever emits ISO-8601 dates or null. API Request (GET): whatever path, query and
 * answer, nothing leaves the store's API on Ecwid's host, nothing outside the app's scopes is
 * read, and the token is never in an output or an error (even when Ecwid echoes it).
 */
import fc from 'fast-check';
import nock from 'nock';
import zapier from 'zapier-platform-core';
import type { Bundle, HttpRequestOptions, HttpResponse, ZObject } from 'zapier-platform-core';
import App from '../index.js';
import { addEcwidHeaders } from '../src/http/middleware.js';
import { isoDate, toCustomer } from '../src/resources/shape.js';
import { ACCESS_TOKEN, API, authData, perform, search, zapierError } from './helpers.js';

const findCustomer = search('find_customer');
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

describe('fuzz', () => {
  it('Find Customer: invalid input never sends a request; valid input sends exactly one', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            customerId: fc.oneof(fc.string(), fc.nat().map(String), fc.constant(''), fc.integer()),
            email: fc.oneof(fc.string(), fc.emailAddress(), fc.constant('')),
          },
          { requiredKeys: [] },
        ),
        async (input) => {
          nock.cleanAll();
          const sent: string[] = [];
          nock(API)
            .get(/.*/)
            .reply(function (uri) {
              sent.push(uri);
              return [200, uri.includes('/customers/') ? { id: 5, email: 'a@example.com' } : { items: [] }];
            })
            .persist();
          const result = await perform(findCustomer, input).then(
            () => 'ok' as const,
            (e: unknown) => zapierError(e),
          );
          if (result === 'ok') {
            expect(sent).toHaveLength(1);
            expect(sent[0]).toMatch(/^\/api\/v3\/1003\/customers(\/[1-9]\d*)?(\?|$)/);
          } else {
            expect(result.code).toBe('invalid_input');
            expect(sent).toEqual([]);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('toCustomer never throws and emits only ISO dates or null', () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            id: fc.integer({ min: 1 }),
            email: fc.oneof(fc.string(), fc.constant(undefined)),
            registered: fc.oneof(
              fc.string(),
              fc.date({ noInvalidDate: true }).map((d) =>
                d
                  .toISOString()
                  .replace('T', ' ')
                  .replace(/\.\d+Z$/, ' +0000'),
              ),
            ),
            updated: fc.anything(),
            billingPerson: fc.oneof(
              fc.constant(undefined),
              fc.dictionary(fc.constantFrom('name', 'firstName', 'phone', 'street'), fc.anything()),
            ),
            shippingAddresses: fc.oneof(fc.constant(undefined), fc.array(fc.record({ defaultAddress: fc.boolean(), street: fc.string() }))),
            contacts: fc.oneof(
              fc.constant(undefined),
              fc.array(fc.record({ type: fc.constantFrom('PHONE', 'EMAIL'), contact: fc.anything(), default: fc.boolean() })),
            ),
            stats: fc.oneof(fc.constant(undefined), fc.record({ firstOrderDate: fc.anything(), salesValue: fc.anything() })),
            name: fc.oneof(fc.constant(undefined), fc.string(), fc.anything()),
            extrafields: fc.oneof(
              fc.constant(undefined),
              fc.anything(),
              fc.array(fc.record({ key: fc.oneof(fc.string(), fc.anything()), title: fc.anything(), value: fc.anything() })),
            ),
          },
          { requiredKeys: ['id'] },
        ),
        (raw) => {
          const c = toCustomer(raw as never);
          for (const k of ['registeredAt', 'updatedAt', 'firstOrderDate', 'lastOrderDate'] as const) {
            const v = c[k];
            expect(v === null || ISO.test(v)).toBe(true);
          }
          expect(typeof c.phone).toBe('string');
          for (const k of ['name', 'firstName', 'lastName', 'allEmails', 'allPhones', 'extraFieldsSummary'] as const)
            expect(typeof c[k]).toBe('string');
          // First and last name hold every word of the name, in order.
          expect([c.firstName, c.lastName].filter(Boolean).join(' ')).toBe(c.name.split(/\s+/).filter(Boolean).join(' '));
          expect(Object.values(c.extraFields).every((v) => typeof v === 'string')).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('isoDate keeps the instant of an Ecwid date in any zone', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1971-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        fc.integer({ min: -12, max: 14 }),
        (d, h) => {
          const at = new Date(Math.floor(d.getTime() / 1000) * 1000);
          const local = new Date(at.getTime() + h * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
          const zone = `${h < 0 ? '-' : '+'}${String(Math.abs(h)).padStart(2, '0')}00`;
          expect(isoDate(`${local} ${zone}`)).toBe(at.toISOString().replace(/\.\d{3}Z$/, 'Z'));
        },
      ),
    );
  });

  it('API Request: nothing leaves the store’s API, nothing outside the app’s scopes is read, the token never shows', async () => {
    const apiRequest = (App.creates as Record<string, { operation: { perform: (z: ZObject, bundle: Bundle) => Promise<unknown> } }>)
      .api_request!;
    const SEGMENTS = [
      'customers',
      'customer_groups',
      'profile',
      'deleted',
      'orders',
      'products',
      '..',
      '.',
      '%2e%2e',
      '%2E%2e',
      '%252e%252e',
      '%2F',
      '%5C',
      '%5c..',
      '\\',
      'evil.example.com',
      '@evil.example.com',
      ':443',
      '177737165',
      '0',
      '{storeId}',
      'a b',
      '%00',
      '%0d%0a',
      'é',
      '%',
      '',
    ];
    const segment = fc.oneof(
      { arbitrary: fc.constantFrom(...SEGMENTS), weight: 4 },
      { arbitrary: fc.stringMatching(/^[A-Za-z0-9._~%-]{0,8}$/), weight: 2 },
      { arbitrary: fc.string({ maxLength: 6 }), weight: 1 },
    );
    const prefix = fc.constantFrom(
      '',
      '',
      '/api/v3/1003',
      '/api/v3/{storeId}',
      '/api/v3/2004',
      'https://evil.example.com',
      '//evil.example.com',
      'https://app.ecwid.com/api/v3/1003',
      'app.ecwid.com',
      '\\\\evil.example.com',
      '/\\evil.example.com',
    );
    // Paths the app should send (so the answers, retries and echoes are exercised too).
    const validPath = fc
      .tuple(
        fc.constantFrom('', '/api/v3/1003', '/api/v3/{storeId}'),
        fc.constantFrom('profile', 'customers', 'customer_groups'),
        fc.array(fc.oneof(fc.constantFrom('deleted', '177737165', '0', 'x'), fc.stringMatching(/^[A-Za-z0-9._~-]{1,8}$/)), {
          maxLength: 2,
        }),
      )
      .map(([p, r, rest]) => [p, r, ...rest].join('/'));
    const pathArb = fc.oneof(
      { arbitrary: validPath, weight: 6 },
      {
        arbitrary: fc
          .tuple(prefix, fc.array(segment, { maxLength: 4 }), fc.boolean())
          .map(([p, segs, slash]) => `${p}/${segs.join('/')}${slash ? '/' : ''}`),
        weight: 6,
      },
      { arbitrary: fc.string({ maxLength: 30 }), weight: 1 },
      { arbitrary: fc.constantFrom(undefined, '', '  ', 42, ['/customers'], { path: '/customers' }), weight: 1 },
    );
    const queryArb = fc.option(
      fc.dictionary(
        fc.oneof(
          { arbitrary: fc.constantFrom('keyword', 'limit', 'offset'), weight: 4 },
          { arbitrary: fc.constantFrom('token', 'TOKEN', 'access_token'), weight: 1 },
          { arbitrary: fc.string({ maxLength: 5 }), weight: 1 },
        ),
        fc.oneof(
          { arbitrary: fc.string({ maxLength: 10 }), weight: 6 },
          { arbitrary: fc.integer(), weight: 2 },
          { arbitrary: fc.constant(null), weight: 1 },
          { arbitrary: fc.constant(['a']), weight: 1 },
        ),
        { maxKeys: 3 },
      ),
      { nil: undefined },
    );
    const answerArb = fc.constantFrom('echo-200', 'echo-404', 'html-500', '429', 'redirect', 'empty-200');
    const READABLE = new Set(['profile', 'customers', 'customer_groups']);
    const stats = { runs: 0, overHttp: 0, refused: 0, sent: 0, requests: 0 };
    let answer = 'echo-200';
    /** Ecwid's answer for a variant; the Authorization header is echoed back. */
    const answerFor = (uri: string, auth: string | undefined): [number, unknown, Record<string, string>?] => {
      const echo = { uri, auth, errorMessage: `echo ${auth ?? ''}` };
      if (answer === 'echo-200') return [200, echo];
      if (answer === 'echo-404') return [404, echo];
      if (answer === 'html-500') return [500, `<html>${auth ?? ''}</html>`];
      if (answer === '429') return [429, echo, { 'Retry-After': '5' }];
      if (answer === 'redirect') return [302, '', { Location: `https://evil.example.com/?t=${auth ?? ''}` }];
      return [200, ''];
    };
    /**
     * In-process runs: the step's perform with a stand-in `z.request` that runs the app's real
     * beforeRequest middleware and answers from memory. Zapier's app tester exits the process after
     * 250 calls in a test file when its memory is over 450 MB (zapier-platform-core's memory
     * checker), so only a few runs go over HTTP through it.
     */
    const inProcessZ = (bundle: Bundle): ZObject => {
      const z = {
        errors: zapier.errors,
        console: { log: () => undefined, error: () => undefined, warn: () => undefined, info: () => undefined },
        JSON,
        request: async (options: HttpRequestOptions & { url: string }): Promise<HttpResponse> => {
          const prepared = addEcwidHeaders({ ...options }, z as unknown as ZObject, bundle) as HttpRequestOptions & { url: string };
          const url = new URL(prepared.url);
          for (const [k, v] of Object.entries((prepared.params ?? {}) as Record<string, string>)) url.searchParams.append(k, String(v));
          const headers = (prepared.headers ?? {}) as Record<string, string>;
          if (url.origin !== API || !prepared.url.startsWith(`${API}/`)) leaked.push(prepared.url);
          expect(prepared.redirect).toBe('manual');
          sent.push({ path: url.pathname, query: url.searchParams, auth: headers.Authorization });
          const [status, body, replyHeaders = {}] = answerFor(url.pathname + url.search, headers.Authorization);
          const lower = Object.fromEntries(Object.entries(replyHeaders).map(([k, v]) => [k.toLowerCase(), v]));
          return {
            status,
            data: typeof body === 'string' ? undefined : body,
            content: typeof body === 'string' ? body : JSON.stringify(body),
            getHeader: (name: string) => lower[name.toLowerCase()],
            headers: new Headers(replyHeaders),
            skipThrowForStatus: true,
            request: { ...prepared, url: url.toString(), method: 'GET' },
          } as unknown as HttpResponse;
        },
      };
      return z as unknown as ZObject;
    };
    const sent: Array<{ path: string; query: URLSearchParams; auth: string | undefined }> = [];
    const leaked: string[] = [];
    const onNoMatch = (req: { host?: string; hostname?: string; path?: string; method?: string }) =>
      leaked.push(`${req.method ?? ''} ${req.hostname ?? req.host ?? ''}${req.path ?? ''}`);
    nock.emitter.on('no match', onNoMatch);
    const property = (overHttp: boolean) =>
      fc.asyncProperty(
        pathArb,
        queryArb,
        fc.option(fc.constantFrom(true, false, 'true', 'no', 'x'), { nil: undefined }),
        answerArb,
        async (p, query, errorsAsData, a) => {
          sent.length = 0;
          leaked.length = 0;
          answer = a;
          const input: Record<string, unknown> = { path: p };
          if (query !== undefined) input.query = query;
          if (errorsAsData !== undefined) input.errorsAsData = errorsAsData;
          stats.runs += 1;
          let running: Promise<unknown>;
          if (overHttp) {
            stats.overHttp += 1;
            nock.cleanAll();
            nock(API)
              .get(/.*/)
              .reply(function (uri) {
                const url = new URL(uri, API);
                const auth = this.req.headers['authorization'] as string | undefined;
                sent.push({ path: url.pathname, query: url.searchParams, auth });
                const [status, body, headers] = answerFor(uri, auth);
                return [status, body as never, headers];
              })
              .persist();
            running = perform(apiRequest, input);
          } else {
            const bundle = { authData, inputData: input, meta: {} } as unknown as Bundle;
            running = apiRequest.operation.perform(inProcessZ(bundle), bundle);
          }
          const result = await running.then(
            (out: unknown) => ({ out }),
            (e: unknown) => ({ error: zapierError(e) }),
          );
          stats.requests += sent.length;
          expect(leaked).toEqual([]);
          for (const r of sent) {
            const segments = r.path.split('/');
            expect(r.path.startsWith('/api/v3/1003/')).toBe(true);
            expect(READABLE.has(decodeURIComponent(segments[4] ?? ''))).toBe(true);
            expect(segments.some((x) => ['.', '..'].includes(decodeURIComponent(x)))).toBe(false);
            expect(/%2f|%5c|\\/i.test(r.path)).toBe(false);
            expect([...r.query.keys()].some((k) => /^(access_)?token$/i.test(k))).toBe(false);
            expect(r.auth).toBe(`Bearer ${ACCESS_TOKEN}`);
          }
          if ('error' in result) {
            expect(['AppError', 'ThrottledError', 'ExpiredAuthError']).toContain(result.error.name);
            expect(result.error.message).not.toContain(ACCESS_TOKEN);
            if (result.error.code === 'invalid_input') {
              stats.refused += 1;
              expect(sent).toEqual([]);
            } else stats.sent += 1;
          } else {
            stats.sent += 1;
            expect(sent.length).toBeGreaterThan(0);
            expect(JSON.stringify(result.out)).not.toContain(ACCESS_TOKEN);
          }
        },
      );
    const seed = Number(process.env.FUZZ_SEED ?? 20_261_205);
    const inProcessRuns = Number(process.env.ECWID_API_FUZZ_RUNS ?? 3000);
    const httpRuns = Number(process.env.ECWID_API_FUZZ_HTTP_RUNS ?? 80);
    try {
      await fc.assert(property(false), { numRuns: inProcessRuns, seed });
      await fc.assert(property(true), { numRuns: httpRuns, seed });
    } finally {
      nock.emitter.removeListener('no match', onNoMatch);
      console.log(
        `ecwid api_request fuzz: seed ${seed}, ${stats.runs} inputs (${stats.runs - stats.overHttp} in-process, ${stats.overHttp} over HTTP through Zapier's app tester), ${stats.refused} refused before any request, ${stats.sent} sent (${stats.requests} requests, all to the store's API on ${API}), 0 leaks. ` +
          `Reproduce: FUZZ_SEED=${seed} ECWID_API_FUZZ_RUNS=${inProcessRuns} ECWID_API_FUZZ_HTTP_RUNS=${httpRuns} npm test -- ecwid/test/fuzz.test.ts`,
      );
    }
  }, 120_000);
});
