/**
 * Fuzzing API Request (api_request), the one step whose path, method, body and headers are free
 * text: through Zapier's real app tester and the app's real middleware, with every answer GHL (or
 * something pretending to be it) might give, including answers that echo the request's
 * Authorization header back. For every generated input:
 * - nothing is sent anywhere but the GHL API host (nock's "no match" would catch it), and never
 *   to /oauth/…, a `.`/`..` segment or an encoded slash or backslash;
 * - each request carries the connection's bearer token, a Version GHL declares, and no header the
 *   step refuses; a body is exactly the JSON the user wrote ({locationId} filled in);
 * - a GET is sent at most twice (one retry), anything else once;
 * - an input refused before any request sends nothing; an error is a Zapier error;
 * - the access token and the refresh token never appear in the output or an error.
 * The generic fuzzing of every other step is test/reliability/fuzz.test.ts (which leaves this step
 * out: its harness requires a documented endpoint, and API Request may call any path).
 *
 * Two drivers share the inputs and the checks: GHL_API_FUZZ_RUNS (default 10,000) runs in-process,
 * the step's real perform and middleware with a stand-in `z.request` that answers from memory (fast);
 * GHL_API_FUZZ_HTTP_RUNS (default 200, at most 240) go through Zapier's app tester, node-fetch and nock (the real
 * transport: redirects, headers on the wire). Seeded: FUZZ_SEED=<n>.
 */
import fc from 'fast-check';
import nock from 'nock';
import zapier from 'zapier-platform-core';
import type { Bundle, HttpRequestOptions, HttpResponse, ZObject } from 'zapier-platform-core';
import { GHL_API_VERSIONS } from '../../src/config.js';
import { addGhlHeaders, mapGhlErrors } from '../../src/http/middleware.js';
import { API, LOCATION_ID, authData, create, perform, zapierError } from '../helpers.js';

/** In-process runs (the app's real middleware, a stand-in for z.request) and runs through Zapier's app tester and nock. */
const RUNS = Number(process.env.GHL_API_FUZZ_RUNS ?? 10_000);
/**
 * Zapier's app tester exits the process once it has run 250 times in a test file while the process
 * holds more than 450 MB (zapier-platform-core's memory checker, src/tools/memory-checker.js), so the
 * HTTP runs stay below 250.
 */
const RUNS_OVER_HTTP = Math.min(240, Number(process.env.GHL_API_FUZZ_HTTP_RUNS ?? 200));
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_205);
const apiRequest = create('api_request');
const SECRETS = [authData.access_token, authData.refresh_token];
const REFUSED_HEADERS =
  /^(authorization|proxy-.*|cookie|content-length|transfer-encoding|connection|keep-alive|te|trailer|upgrade|expect|forwarded|x-forwarded-.*)$/i;

const SEGMENTS = [
  'contacts',
  'locations',
  '{locationId}',
  'businesses',
  'calendars',
  'oauth',
  'OAuth',
  'token',
  'tags',
  'nmFmQEsNgz6AVpgLVUJ0',
  '..',
  '.',
  '%2e%2e',
  '%2E%2e',
  '%252e%252e',
  '%2F',
  '%2f%2fevil.example.com',
  '%5C',
  '%6fauth',
  '\\',
  'evil.example.com',
  '@evil.example.com',
  ':443',
  '{contactId}',
  'a b',
  '%00',
  '%0d%0aHost:%20evil',
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
  'https://evil.example.com',
  '//evil.example.com',
  'https://services.leadconnectorhq.com',
  'http://services.leadconnectorhq.com@evil.example.com',
  'services.leadconnectorhq.com',
  '\\\\evil.example.com',
  '/\\evil.example.com',
  'javascript:',
);
const validPath = fc
  .tuple(
    fc.constantFrom('contacts', 'locations/{locationId}', 'businesses', 'calendars/events', 'users', 'opportunities'),
    fc.array(
      fc.oneof(fc.constantFrom('nmFmQEsNgz6AVpgLVUJ0', 'search', 'tags', '{locationId}'), fc.stringMatching(/^[A-Za-z0-9_-]{1,10}$/)),
      {
        maxLength: 2,
      },
    ),
    fc.boolean(),
  )
  .map(([first, rest, slash]) => `/${[first, ...rest].join('/')}${slash ? '/' : ''}`);
const pathArb = fc.oneof(
  { arbitrary: validPath, weight: 6 },
  {
    arbitrary: fc
      .tuple(prefix, fc.array(segment, { maxLength: 4 }), fc.boolean())
      .map(([p, s, slash]) => `${p}/${s.join('/')}${slash ? '/' : ''}`),
    weight: 6,
  },
  { arbitrary: fc.string({ maxLength: 30 }), weight: 1 },
  { arbitrary: fc.constantFrom<unknown>(undefined, '', '  ', 42, ['/contacts/'], { path: '/contacts/' }), weight: 1 },
);
const methodArb = fc.oneof(
  { arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'get', ' post '), weight: 8 },
  { arbitrary: fc.constantFrom<unknown>('TRACE', 'CONNECT', '', undefined, 'GET\r\nX: y', 7), weight: 1 },
);
const bodyArb = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 4 },
  { arbitrary: fc.json({ maxDepth: 3 }), weight: 3 },
  {
    arbitrary: fc.constantFrom(
      '{"locationId": "{locationId}", "name": "Wholesale"}',
      '{"a":',
      'null',
      '"text"',
      '[1,2]',
      '{"token": "{{access_token}}"}',
      `{"x": "${'y'.repeat(200_001)}"}`,
    ),
    weight: 2,
  },
  { arbitrary: fc.string({ maxLength: 20 }), weight: 1 },
);
const headerName = fc.oneof(
  { arbitrary: fc.constantFrom('X-Request-Source', 'X-Custom', 'If-None-Match'), weight: 4 },
  {
    arbitrary: fc.constantFrom(
      'Authorization',
      'authorization',
      'Version',
      'Host',
      'Content-Type',
      'Accept',
      'Cookie',
      'X-Forwarded-Host',
      'Proxy-Authorization',
      'a b',
      'X:Y',
      '',
    ),
    weight: 2,
  },
  { arbitrary: fc.string({ maxLength: 8 }), weight: 1 },
);
const headersArb = fc.option(
  fc.dictionary(
    headerName,
    fc.oneof(
      { arbitrary: fc.string({ maxLength: 12 }), weight: 6 },
      { arbitrary: fc.constantFrom('a\r\nHost: evil', 'Bearer other', '\u0000'), weight: 1 },
    ),
    {
      maxKeys: 2,
    },
  ),
  { nil: undefined },
);
const queryArb = fc.option(
  fc.dictionary(
    fc.oneof(fc.constantFrom('locationId', 'limit', 'query', 'access_token'), fc.string({ maxLength: 5 })),
    fc.oneof(
      { arbitrary: fc.string({ maxLength: 10 }), weight: 6 },
      { arbitrary: fc.constantFrom<unknown>('{locationId}', 3, null, ['a']), weight: 2 },
    ),
    { maxKeys: 3 },
  ),
  { nil: undefined },
);
const versionArb = fc.option(fc.constantFrom('2021-07-28', '2021-04-15', '2099-01-01', 'x'), { nil: undefined });
const answerArb = fc.constantFrom(
  'echo-200',
  'echo-201',
  'echo-400',
  'echo-422',
  'html-503',
  '429',
  'scope-401',
  'redirect',
  'empty-200',
  'no-content-204',
);

const inputArb = fc.oneof(
  // Anything at all (mostly refused before any request)…
  fc.record(
    {
      method: methodArb,
      path: pathArb,
      query: queryArb,
      body: bodyArb,
      headers: headersArb,
      version: versionArb,
      errorsAsData: fc.option(fc.boolean(), { nil: undefined }),
    },
    { requiredKeys: [] },
  ),
  // …and well-formed requests, so that sending, retries and every answer are exercised as often.
  fc
    .record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
      path: validPath,
      query: fc.option(fc.dictionary(fc.constantFrom('locationId', 'limit', 'query'), fc.constantFrom('{locationId}', '10', 'olivia')), {
        nil: undefined,
      }),
      body: fc.oneof(
        fc.constant(undefined),
        fc.json({ maxDepth: 2 }).filter((j) => /^[[{]/.test(j)),
      ),
      headers: fc.option(fc.dictionary(fc.constantFrom('X-Request-Source', 'If-None-Match'), fc.stringMatching(/^[ -~]{0,12}$/)), {
        nil: undefined,
      }),
      version: fc.option(fc.constantFrom(...GHL_API_VERSIONS), { nil: undefined }),
      errorsAsData: fc.boolean(),
    })
    .map((r) => (r.method === 'GET' ? { ...r, body: undefined } : r)),
);

interface Seen {
  method: string;
  url: string;
  host: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  redirect?: string;
}

type Input = Record<string, unknown>;

/** GHL's answer for a variant: status, body (object or text) and headers; `authorization` is echoed back. */
const answerFor = (answer: string, uri: string, authorization: string): [number, unknown, Record<string, string>] => {
  const echo = { uri, authorization, message: `echo ${authorization}` };
  switch (answer) {
    case 'echo-200':
      return [200, echo, {}];
    case 'echo-201':
      return [201, echo, {}];
    case 'echo-400':
      return [400, echo, {}];
    case 'echo-422':
      return [422, { ...echo, message: [`bad ${authorization}`] }, {}];
    case 'html-503':
      return [503, `<html>${authorization}</html>`, {}];
    case '429':
      return [429, echo, { 'X-RateLimit-Interval-Milliseconds': '10000' }];
    case 'scope-401':
      return [401, { statusCode: 401, message: 'The token is not authorized for this scope.' }, {}];
    case 'redirect':
      return [302, '', { Location: `https://evil.example.com/?t=${authorization}` }];
    case 'no-content-204':
      return [204, '', {}];
    default:
      return [200, '', {}];
  }
};

interface Stats {
  runs: number;
  refused: number;
  sentOk: number;
  sentFailed: number;
  requests: number;
  get: number;
  writes: number;
}
const newStats = (): Stats => ({ runs: 0, refused: 0, sentOk: 0, sentFailed: 0, requests: 0, get: 0, writes: 0 });

/** Every property of one run (see the file's opening comment). */
const check = (
  input: Input,
  seen: Seen[],
  leaked: string[],
  result: { out: unknown } | { error: ReturnType<typeof zapierError>; name: string },
  stats: Stats,
) => {
  stats.runs += 1;
  stats.requests += seen.length;
  expect(leaked).toEqual([]);
  for (const r of seen) {
    expect(r.url.startsWith(`${API}/`)).toBe(true);
    expect(r.host).toBe('services.leadconnectorhq.com');
    const pathname = r.path.split('?')[0]!;
    const decoded = pathname.split('/').map((x) => {
      try {
        return decodeURIComponent(decodeURIComponent(x));
      } catch {
        return x;
      }
    });
    expect(decoded.some((x) => x === '.' || x === '..')).toBe(false);
    expect(/%2f|%5c|\\/i.test(pathname)).toBe(false);
    expect(decoded[1]?.toLowerCase()).not.toBe('oauth');
    expect(r.headers.authorization).toBe(`Bearer ${authData.access_token}`);
    expect(GHL_API_VERSIONS as readonly string[]).toContain(r.headers.version);
    expect(r.headers.accept).toBe('application/json');
    // node-fetch itself adds Connection and Content-Length on the wire; the user's headers cannot set them.
    for (const name of Object.keys(r.headers))
      if (!['authorization', 'connection', 'content-length'].includes(name))
        expect({ name, refused: REFUSED_HEADERS.test(name) }).toEqual({ name, refused: false });
    if (r.redirect !== undefined) expect(r.redirect).toBe('manual');
    if (r.method !== 'GET' && typeof input.body === 'string' && input.body.trim() !== '') {
      expect(JSON.parse(r.body)).toEqual(JSON.parse(input.body.trim().split('{locationId}').join(LOCATION_ID)));
    }
  }
  const method = seen[0]?.method;
  if (method === 'GET') {
    stats.get += 1;
    expect(seen.length).toBeLessThanOrEqual(2);
  } else if (method) {
    stats.writes += 1;
    expect(seen.length).toBe(1);
  }
  const shown = JSON.stringify(result);
  for (const secret of SECRETS) expect(shown).not.toContain(secret);
  if ('error' in result) {
    expect(['AppError', 'ThrottledError', 'RefreshAuthError', 'ExpiredAuthError']).toContain(result.name);
    if (result.error.code === 'invalid_input') {
      stats.refused += 1;
      expect(seen).toEqual([]);
    } else {
      stats.sentFailed += 1;
      expect(seen.length).toBeGreaterThan(0);
    }
  } else {
    stats.sentOk += 1;
    expect(seen.length).toBeGreaterThan(0);
  }
};

const report = (what: string, runs: number, stats: Stats) =>
  console.log(
    `ghl api_request fuzz (${what}): seed ${SEED}, ${stats.runs} inputs: ${stats.refused} refused before any request, ${stats.sentOk} succeeded, ${stats.sentFailed} failed with GHL's answer; ` +
      `${stats.requests} requests (${stats.get} GET steps, ${stats.writes} POST/PUT/PATCH/DELETE steps), all to ${API}, 0 leaks, the token in no output or error. ` +
      `Reproduce: FUZZ_SEED=${SEED} ${what === 'in-process' ? 'GHL_API_FUZZ_RUNS' : 'GHL_API_FUZZ_HTTP_RUNS'}=${runs} npm test -- test/reliability/fuzz-api-request.test.ts`,
  );

const perform_ = (apiRequest as unknown as { operation: { perform: (z: ZObject, bundle: Bundle) => Promise<unknown> } }).operation.perform;

/** A `z` whose request runs the app's real middleware and answers from memory (no network). */
const inProcessZ = (bundle: Bundle, answer: string, seen: Seen[]): ZObject => {
  const z = {
    errors: zapier.errors,
    console: { log: () => undefined, error: () => undefined, warn: () => undefined, info: () => undefined },
    JSON,
    request: async (options: HttpRequestOptions & { url: string }): Promise<HttpResponse> => {
      const prepared = addGhlHeaders({ ...options }, z as unknown as ZObject, bundle) as HttpRequestOptions & { url: string };
      const url = new URL(prepared.url);
      for (const [k, v] of Object.entries((prepared.params ?? {}) as Record<string, string>)) url.searchParams.append(k, String(v));
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries((prepared.headers ?? {}) as Record<string, string>)) headers[k.toLowerCase()] = v;
      const method = String(prepared.method ?? 'GET').toUpperCase();
      seen.push({
        method,
        url: prepared.url,
        host: url.host,
        path: url.pathname + url.search,
        headers,
        body: typeof prepared.body === 'string' ? prepared.body : '',
        redirect: String(prepared.redirect),
      });
      const [status, body, replyHeaders] = answerFor(answer, url.pathname + url.search, headers.authorization ?? '');
      const content = typeof body === 'string' ? body : JSON.stringify(body);
      const lower = Object.fromEntries(Object.entries(replyHeaders).map(([k, v]) => [k.toLowerCase(), v]));
      const response = {
        status,
        data: typeof body === 'string' ? undefined : body,
        content,
        getHeader: (name: string) => lower[name.toLowerCase()],
        headers: new Headers(replyHeaders),
        skipThrowForStatus: Boolean(prepared.skipThrowForStatus),
        request: { ...prepared, url: url.toString(), method },
      } as unknown as HttpResponse;
      return mapGhlErrors(response, z as unknown as ZObject);
    },
  };
  return z as unknown as ZObject;
};

const outcome = (p: Promise<unknown>) =>
  p.then(
    (out: unknown) => ({ out }),
    (e: unknown) => ({ error: zapierError(e), name: (e as Error).name }),
  );

describe('fuzzing API Request: nothing leaves the GHL API host, the token never shows', () => {
  it('in-process: the step and the middleware, every method, path, query, body, header and answer', async () => {
    const stats = newStats();
    const seen: Seen[] = [];
    try {
      await fc.assert(
        fc.asyncProperty(inputArb, answerArb, async (input, answer) => {
          seen.length = 0;
          const bundle = { authData, inputData: input, meta: {} } as unknown as Bundle;
          const result = await outcome(perform_(inProcessZ(bundle, answer, seen), bundle));
          check(input as Input, seen, [], result, stats);
        }),
        { numRuns: RUNS, seed: SEED },
      );
    } finally {
      report('in-process', RUNS, stats);
    }
  }, 300_000);

  it("over HTTP: Zapier's app tester, node-fetch and nock (redirects, headers on the wire)", async () => {
    const stats = newStats();
    let answer = 'echo-200';
    const seen: Seen[] = [];
    const leaked: string[] = [];
    const onNoMatch = (req: { hostname?: string; host?: string; path?: string; method?: string }) =>
      leaked.push(`${req.method ?? ''} ${req.hostname ?? req.host ?? ''}${req.path ?? ''}`);
    nock.emitter.on('no match', onNoMatch);
    try {
      await fc.assert(
        fc.asyncProperty(inputArb, answerArb, async (input, a) => {
          nock.cleanAll();
          seen.length = 0;
          leaked.length = 0;
          answer = a;
          for (const m of ['get', 'post', 'put', 'patch', 'delete'] as const) {
            nock(API)
              [m](/.*/)
              .query(true)
              .reply(function (uri, body) {
                const h = this.req.headers as Record<string, string | undefined>;
                seen.push({
                  method: m.toUpperCase(),
                  url: `${API}${uri}`,
                  host: String(h.host ?? ''),
                  path: uri,
                  headers: { ...h },
                  body: typeof body === 'string' ? body : JSON.stringify(body),
                });
                const [status, reply, headers] = answerFor(answer, uri, String(h.authorization ?? ''));
                return [status, reply as never, headers];
              })
              .persist();
          }
          const result = await outcome(perform(apiRequest, input as Input));
          check(input as Input, seen, leaked, result, stats);
        }),
        { numRuns: RUNS_OVER_HTTP, seed: SEED },
      );
    } finally {
      nock.emitter.removeListener('no match', onNoMatch);
      report('over HTTP', RUNS_OVER_HTTP, stats);
    }
  }, 300_000);
});
