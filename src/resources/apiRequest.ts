import type { Bundle, HttpResponse, ZObject } from 'zapier-platform-core';
import { GHL_API_VERSIONS, OAUTH_SCOPES, apiBaseUrl } from '../config.js';
import type { HttpMethod } from '../http/ghl.js';
import { checkApiPath, checkHeaders, parseJsonBody, readDict } from '../lib/apiRequestInput.js';
import { MAX_RAW_BODY, flatten, scrub } from '../lib/apiResponse.js';
import { InvalidInputError, type InputReader } from '../lib/input.js';
import { action, type DynamicInputFields, type ResourceOperations } from '../operations/define.js';

/**
 * API Request: any GHL endpoint the app does not wrap, with the connection's auth, through the
 * same pipeline as every other step (src/http/ghl.ts: token refresh, Version, rate-limit and error
 * mapping, Zapier's censored logging). What it may reach: paths on the API host only
 * (src/lib/apiRequestInput.ts refuses anything else before a request is built, and the built URL
 * is checked again here), never GHL's OAuth endpoints; redirects are not followed. The token is
 * never in its output or errors (an answer that echoes it gets `[hidden]`).
 */

export const API_REQUEST_METHODS: HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
/** The headers of GHL's answer worth mapping: its rate limits (docs/ghl-api.md §1.4) and Retry-After. */
export const RESPONSE_HEADERS = [
  'x-ratelimit-limit-daily',
  'x-ratelimit-daily-remaining',
  'x-ratelimit-daily-reset',
  'x-ratelimit-interval-milliseconds',
  'x-ratelimit-max',
  'x-ratelimit-remaining',
  'retry-after',
];

const LABELS = {
  method: 'HTTP Method',
  path: 'Path',
  query: 'Query Parameters',
  body: 'Body (JSON)',
  headers: 'Extra Headers',
  version: 'API Version',
  errorsAsData: 'Return Error Responses as Data',
};

interface ApiRequestInput {
  method: HttpMethod;
  path: string;
  query: Record<string, string>;
  body?: unknown;
  headers: Record<string, string>;
  errorsAsData: boolean;
}

const apiHost = (): string => new URL(apiBaseUrl()).host;

/** The opening note, built when the editor loads: the scopes this connection holds. */
const scopesNote: DynamicInputFields = async (_z: ZObject, bundle: Bundle) => {
  const granted = String(bundle.authData?.scope ?? '')
    .split(/[\s,]+/)
    .filter(Boolean);
  const scopes = granted.length ? granted : [...OAUTH_SCOPES];
  return [
    {
      key: 'scopesNote',
      label: 'What This Step Can Call',
      type: 'copy',
      helpText:
        `Sends one request to GHL's API (${apiHost()}) with this connection, for endpoints the other steps do not cover. ` +
        `This connection ${granted.length ? 'holds' : 'asks for'} the scopes ${scopes.map((s) => `\`${s}\``).join(', ')}. ` +
        'An endpoint that needs another scope fails with GHL\'s 401 "The token is not authorized for this scope."; the error names the scope when the app knows it. ' +
        "Each endpoint's scope is in GHL's API documentation (marketplace.gohighlevel.com/docs); add it to your Marketplace app, then reconnect.",
    },
  ];
};

const parse = (read: InputReader, { bundle }: { bundle: Bundle }): ApiRequestInput => {
  const raw = bundle.inputData ?? {};
  const locationId = String(bundle.authData?.locationId ?? '');
  const methodText = (read.text('method', { max: 10 }) ?? 'GET').toUpperCase();
  if (!(API_REQUEST_METHODS as string[]).includes(methodText)) {
    throw new InvalidInputError(
      `"${LABELS.method}" must be one of ${API_REQUEST_METHODS.join(', ')}, but got "${methodText.slice(0, 20)}".`,
    );
  }
  const method = methodText as HttpMethod;
  const path = checkApiPath(read.requiredText('path', { max: 4000 }), {
    label: LABELS.path,
    host: apiHost(),
    locationId,
    refused: ['/oauth'],
  });
  const query = readDict(raw.query, { label: LABELS.query, max: 50, maxValue: 2000, locationId });
  const headers = checkHeaders(readDict(raw.headers, { label: LABELS.headers, max: 20, maxValue: 1000 }), {
    label: LABELS.headers,
    versionField: LABELS.version,
  });
  const version = read.text('version', { max: 20 });
  if (version !== undefined) {
    if (!(GHL_API_VERSIONS as readonly string[]).includes(version)) {
      throw new InvalidInputError(
        `"${LABELS.version}" must be one of GHL's versions (${GHL_API_VERSIONS.join(', ')}), but got "${version}".`,
      );
    }
    headers.Version = version;
  }
  // Replaced in the JSON text, escaped as inside a JSON string (a location id is letters and digits anyway).
  const inJson = JSON.stringify(locationId).slice(1, -1);
  const body = parseJsonBody(read.text('body', { max: 200_000 })?.split('{locationId}').join(inJson), LABELS.body);
  if (body !== undefined && method === 'GET') {
    throw new InvalidInputError(`"${LABELS.body}" must be empty for GET: a GET sends no body. Choose POST, PUT or PATCH to send one.`);
  }
  return { method, path, query, body, headers, errorsAsData: read.bool('errorsAsData') ?? false };
};

/** The URL the step will call: on the API host, with exactly the checked path (nothing normalised away). */
const assertOnApiHost = (path: string): void => {
  const base = new URL(apiBaseUrl());
  let url: URL;
  try {
    url = new URL(apiBaseUrl() + path);
  } catch {
    throw new InvalidInputError(`"${LABELS.path}" does not make a valid URL on ${base.host}.`);
  }
  if (url.origin !== base.origin || url.username || url.password || url.pathname !== base.pathname.replace(/\/$/, '') + path) {
    throw new InvalidInputError(`"${LABELS.path}" would leave ${base.host} or be rewritten; use a plain path like /contacts/abc123.`);
  }
};

const secretsOf = (bundle: Bundle): string[] =>
  [bundle.authData?.access_token, bundle.authData?.refresh_token].filter((s): s is string => typeof s === 'string');

/** An error whose message quotes a secret (an answer that echoed it) is rebuilt without it. */
const withoutSecrets = (z: ZObject, error: unknown, secrets: string[]): unknown => {
  const e = error as Error;
  if (!secrets.some((s) => s.length >= 8 && String(e?.message ?? '').includes(s))) return error;
  if (e.name === 'AppError' || e.name === 'ThrottledError') {
    const data = JSON.parse(e.message) as { message: string; code?: string; status?: number; delay?: number };
    const message = scrub(data.message, secrets);
    return e.name === 'ThrottledError'
      ? new z.errors.ThrottledError(message, data.delay)
      : new z.errors.Error(message, data.code, data.status);
  }
  return new z.errors.Error(scrub(e.message, secrets), 'ghl_error', 502);
};

const toOutput = (input: ApiRequestInput, res: HttpResponse) => {
  const headers: Record<string, string> = {};
  for (const name of RESPONSE_HEADERS) {
    const v = res.getHeader(name);
    if (v !== undefined && v !== null && v !== '') headers[name] = String(v);
  }
  const { fields, truncated } = flatten(res.data ?? {});
  const content = typeof res.content === 'string' ? res.content : '';
  return {
    status: res.status,
    ok: res.status >= 200 && res.status < 300,
    method: input.method,
    path: input.path,
    headers,
    data: fields,
    dataTruncated: truncated,
    body: content.length > MAX_RAW_BODY ? content.slice(0, MAX_RAW_BODY) : content,
    bodyTruncated: content.length > MAX_RAW_BODY,
  };
};

export const apiRequest = action({
  key: 'api_request',
  endpoints: [],
  anyEndpoint: 'any path on the GHL API host (the step refuses other hosts, `..`, `/oauth/…`)',
  noun: 'API Request',
  label: 'API Request',
  description:
    "Sends a request to any GHL API endpoint with this connection's authorization, for what the other steps do not cover (advanced).",
  inputFields: [
    scopesNote,
    {
      key: 'method',
      label: LABELS.method,
      required: true,
      default: 'GET',
      choices: API_REQUEST_METHODS,
      helpText: 'GET reads; POST, PUT, PATCH and DELETE change data in GHL (a replayed Zap sends them again).',
    },
    {
      key: 'path',
      label: LABELS.path,
      required: true,
      helpText:
        'The endpoint\'s path on GHL\'s API, starting with "/", e.g. `/contacts/nmFmQEsNgz6AVpgLVUJ0` or `/locations/{locationId}/tags`. `{locationId}` is replaced by the connected sub-account. A full URL, another host, `..` or `/oauth/…` is refused. Put query parameters in **Query Parameters**.',
    },
    {
      key: 'query',
      label: LABELS.query,
      required: false,
      dict: true,
      helpText: 'Sent as ?key=value. `{locationId}` in a value is replaced by the connected sub-account, e.g. locationId = {locationId}.',
    },
    {
      key: 'body',
      label: LABELS.body,
      required: false,
      type: 'text',
      helpText:
        'For POST, PUT, PATCH or DELETE: a JSON object or list, e.g. {"name": "Wholesale", "locationId": "{locationId}"}. Sent as application/json; `{locationId}` is replaced by the connected sub-account.',
    },
    {
      key: 'headers',
      label: LABELS.headers,
      required: false,
      dict: true,
      helpText:
        'Rarely needed. Authorization, Version, Accept, Content-Type, Host, Cookie and connection headers are refused: the step sets them itself.',
    },
    {
      key: 'version',
      label: LABELS.version,
      required: false,
      choices: [...GHL_API_VERSIONS],
      helpText:
        "GHL's `Version` header. Leave empty for the one GHL documents for the path (2021-04-15 for /calendars/…, else 2021-07-28).",
    },
    {
      key: 'errorsAsData',
      label: LABELS.errorsAsData,
      required: false,
      type: 'boolean',
      default: 'false',
      helpText:
        "No (default): an answer of HTTP 400 or more stops the step with GHL's message. Yes: it becomes the step's output (check **Status** in a Filter). Rate limits and an expired connection are always handled by Zapier.",
    },
  ],
  outputFields: [
    { key: 'status', label: 'Status', type: 'integer' },
    { key: 'ok', label: 'OK (Status 2xx)', type: 'boolean' },
    { key: 'method', label: 'Method' },
    { key: 'path', label: 'Path' },
    { key: 'headers__x-ratelimit-remaining', label: 'Rate Limit Remaining (10 s Window)' },
    { key: 'headers__x-ratelimit-daily-remaining', label: 'Rate Limit Remaining Today' },
    { key: 'data', label: 'Data (Parsed Body, Flattened)' },
    { key: 'dataTruncated', label: 'Data Truncated (Over 500 Fields)', type: 'boolean' },
    { key: 'body', label: 'Raw Body' },
    { key: 'bodyTruncated', label: 'Raw Body Truncated', type: 'boolean' },
  ],
  sample: {
    status: 200,
    ok: true,
    method: 'GET',
    path: '/contacts/nmFmQEsNgz6AVpgLVUJ0',
    headers: { 'x-ratelimit-remaining': '99', 'x-ratelimit-daily-remaining': '199998', 'x-ratelimit-max': '100' },
    data: {
      contact__id: 'nmFmQEsNgz6AVpgLVUJ0',
      contact__firstName: 'Rosa',
      contact__email: 'rosa@example.com',
      contact__tags: ['customer'],
    },
    dataTruncated: false,
    body: '{"contact":{"id":"nmFmQEsNgz6AVpgLVUJ0","firstName":"Rosa","email":"rosa@example.com","tags":["customer"]}}',
    bodyTruncated: false,
  },
  parse,
  perform: async ({ z, bundle, api, input }) => {
    assertOnApiHost(input.path);
    const secrets = secretsOf(bundle);
    let res: HttpResponse;
    try {
      res = await api.request({
        method: input.method,
        path: { value: input.path },
        params: Object.keys(input.query).length ? input.query : undefined,
        body: input.body,
        headers: Object.keys(input.headers).length ? input.headers : undefined,
        idempotent: input.method === 'GET',
        skipThrowForStatus: input.errorsAsData,
        redirect: 'manual',
      });
    } catch (error) {
      throw withoutSecrets(z, error, secrets);
    }
    if (res.status >= 300 && res.status < 400 && !input.errorsAsData) {
      throw new z.errors.Error(
        `GHL answered ${input.method} ${input.path} with HTTP ${res.status} (a redirect). API Request does not follow redirects, so nothing was sent to another address; check the path.`,
        'ghl_redirect',
        502,
      );
    }
    return scrub(toOutput(input, res), secrets);
  },
});

export const apiRequestOperations: ResourceOperations = { creates: [apiRequest] };
