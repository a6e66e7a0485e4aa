import type { Bundle, HttpResponse, ZObject } from 'zapier-platform-core';
import { OAUTH_SCOPES, apiBaseUrl } from '../config.js';
import { checkStorePath, readQuery, READABLE_RESOURCES } from '../lib/apiRequestInput.js';
import { MAX_RAW_BODY, flatten, scrub } from '../lib/apiResponse.js';
import { InvalidInputError, type InputReader } from '../lib/input.js';
import { action, type ResourceOperations } from '../operations/define.js';

/**
 * API Request (Ecwid): a GET of any endpoint of the store's API (`/api/v3/{storeId}/…`, the store
 * id filled in) that this app's scopes cover, with the connection's token, through the same
 * request helper as every other step (src/http/ecwid.ts: the bearer header, one retry, Ecwid's
 * error mapping). Paths outside the store's API or needing other scopes are refused before any
 * request (src/lib/apiRequestInput.ts); redirects are not followed; the token is never in the
 * output or an error.
 */

const LABELS = { path: 'Path', query: 'Query Parameters', errorsAsData: 'Return Error Responses as Data' };

interface EcwidApiRequestInput {
  path: string;
  query: Record<string, string>;
  errorsAsData: boolean;
}

const readBool = (value: unknown, label: string): boolean => {
  if (value === undefined || value === null || value === '') return false;
  if (typeof value === 'boolean') return value;
  const s = String(value).trim().toLowerCase();
  if (['true', 'yes', '1'].includes(s)) return true;
  if (['false', 'no', '0'].includes(s)) return false;
  throw new InvalidInputError(`"${label}" must be yes or no (true/false).`);
};

const parse = (read: InputReader, { bundle }: { bundle: Bundle }): EcwidApiRequestInput => {
  const raw = read.text('path', 4000);
  if (raw === undefined) throw new InvalidInputError(`"${LABELS.path}" is required: enter a path like /customers/177737165.`);
  const path = checkStorePath(raw, { storeId: String(bundle.authData?.store_id ?? ''), host: new URL(apiBaseUrl()).host });
  return {
    path,
    query: readQuery(bundle.inputData?.query, LABELS.query),
    errorsAsData: readBool(bundle.inputData?.errorsAsData, LABELS.errorsAsData),
  };
};

/** A secret quoted by an error (an answer that echoed it) is replaced, keeping the error's kind. */
const withoutSecret = (z: ZObject, error: unknown, secret: string | undefined): unknown => {
  const e = error as Error;
  if (!secret || secret.length < 8 || !String(e?.message ?? '').includes(secret)) return error;
  if (e.name === 'AppError' || e.name === 'ThrottledError') {
    const data = JSON.parse(e.message) as { message: string; code?: string; status?: number; delay?: number };
    const message = scrub(data.message, [secret]);
    return e.name === 'ThrottledError'
      ? new z.errors.ThrottledError(message, data.delay)
      : new z.errors.Error(message, data.code, data.status);
  }
  if (e.name === 'ExpiredAuthError') return new z.errors.ExpiredAuthError(scrub(e.message, [secret]));
  return new z.errors.Error(scrub(e.message, [secret]), 'ecwid_error', 502);
};

const toOutput = (input: EcwidApiRequestInput, storeId: string, res: HttpResponse) => {
  const { fields, truncated } = flatten(res.data ?? {});
  const content = typeof res.content === 'string' ? res.content : '';
  return {
    status: res.status,
    ok: res.status >= 200 && res.status < 300,
    method: 'GET',
    path: `/api/v3/${storeId}${input.path}`,
    data: fields,
    dataTruncated: truncated,
    body: content.length > MAX_RAW_BODY ? content.slice(0, MAX_RAW_BODY) : content,
    bodyTruncated: content.length > MAX_RAW_BODY,
  };
};

export const apiRequest = action({
  key: 'api_request',
  endpoints: [
    'GET /{storeId}/profile',
    'GET /{storeId}/customers',
    'GET /{storeId}/customers/{customerId}',
    'GET /{storeId}/customers/deleted',
    'GET /{storeId}/customer_groups',
    'GET /{storeId}/customer_groups/{groupId}',
  ],
  noun: 'API Request',
  label: 'API Request (GET)',
  description: "Reads any endpoint of your store's Ecwid API that this app may read (GET), e.g. customer groups (advanced).",
  inputFields: [
    {
      key: 'scopesNote',
      label: 'What This Step Can Read',
      type: 'copy',
      helpText:
        `Sends one GET to your store's Ecwid API (\`/api/v3/{storeId}/…\`, the store id filled in) with this connection. ` +
        `The app asks Ecwid for ${OAUTH_SCOPES.map((s) => `\`${s}\``).join(' and ')} only, so it can read ${READABLE_RESOURCES.map((r) => `\`/${r}\``).join(', ')} and what lies below them. ` +
        'Other endpoints (products, orders, …) need scopes this app does not ask for and are refused before anything is sent.',
    },
    {
      key: 'path',
      label: LABELS.path,
      required: true,
      type: 'string',
      helpText:
        'The path after `/api/v3/{storeId}`, starting with "/", e.g. `/customer_groups` or `/customers/177737165`. A full URL, another store, `..` or an encoded slash is refused.',
    },
    {
      key: 'query',
      label: LABELS.query,
      required: false,
      dict: true,
      helpText: 'Sent as ?key=value, e.g. keyword = Wholesale or limit = 10. The token is sent for you (never as ?token=).',
    },
    {
      key: 'errorsAsData',
      label: LABELS.errorsAsData,
      required: false,
      type: 'boolean',
      default: 'false',
      helpText:
        "No (default): an answer of HTTP 400 or more stops the step with Ecwid's message. Yes: a 4xx becomes the output (check **Status**). A refused connection and rate limits are always handled by Zapier.",
    },
  ],
  outputFields: [
    { key: 'status', label: 'Status', type: 'integer' },
    { key: 'ok', label: 'OK (Status 2xx)', type: 'boolean' },
    { key: 'method', label: 'Method' },
    { key: 'path', label: 'Path' },
    { key: 'data', label: 'Data (Parsed Body, Flattened)' },
    { key: 'dataTruncated', label: 'Data Truncated (Over 500 Fields)', type: 'boolean' },
    { key: 'body', label: 'Raw Body' },
    { key: 'bodyTruncated', label: 'Raw Body Truncated', type: 'boolean' },
  ],
  sample: {
    status: 200,
    ok: true,
    method: 'GET',
    path: '/api/v3/1003/customer_groups',
    data: {
      total: 2,
      count: 1,
      offset: 0,
      limit: 100,
      items__0__id: 0,
      items__0__name: 'General',
      items__1__id: 9367001,
      items__1__name: 'Wholesale',
    },
    dataTruncated: false,
    body: '{"total":2,"count":1,"offset":0,"limit":100,"items":[{"id":0,"name":"General"},{"id":9367001,"name":"Wholesale"}]}',
    bodyTruncated: false,
  },
  parse,
  perform: async ({ z, bundle, api, input }) => {
    const secret = typeof bundle.authData?.access_token === 'string' ? bundle.authData.access_token : undefined;
    let res: HttpResponse;
    try {
      res = await api.getResponse({ value: input.path }, Object.keys(input.query).length ? input.query : undefined, {
        errorsAsData: input.errorsAsData,
      });
    } catch (error) {
      throw withoutSecret(z, error, secret);
    }
    return scrub(toOutput(input, api.storeId, res), secret ? [secret] : []);
  },
});

export const apiRequestOperations: ResourceOperations = { creates: [apiRequest] };
