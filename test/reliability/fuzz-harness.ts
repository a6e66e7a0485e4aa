/**
 * The fuzz run's stand-in for Zapier: a `z` whose `request` runs the app's real beforeRequest and
 * afterResponse middleware, checks every request it is given (a documented GHL endpoint, ids in the
 * path encoded and well-formed, a body valid against GHL's OpenAPI spec and made of validated values)
 * and answers it in-process with the sandbox's own handlers (so success paths run too). No network.
 */
import zapier from 'zapier-platform-core';
import type { Bundle, HttpRequestOptions, HttpResponse, ZObject } from 'zapier-platform-core';
import { addGhlHeaders, mapGhlErrors } from '../../src/http/middleware.js';
import { HANDLERS } from '../../sandbox/handlers/index.js';
import { HttpError } from '../../sandbox/http/errors.js';
import { loadSpecs, matchRoute, validateRequest, type LoadedSpec } from '../../sandbox/http/spec.js';
import { SandboxState } from '../../sandbox/state/sandbox-state.js';

/** What GHL ids look like (the app's own rule, src/lib/input.ts); the location id is one too. */
const ID = /^[A-Za-z0-9_-]{1,64}$/;
const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]{2,}$/;
const PHONE = /^\+?[0-9]{6,15}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ID_KEYS = new Set(['contactId', 'assignedTo', 'userId', 'businessId', 'locationId', 'id', 'ids']);
const READ_OPERATIONS = new Set(['search-contacts-advanced', 'task-search']);

export interface SentRequest {
  method: string;
  url: string;
  operationId?: string;
  read: boolean;
  problems: string[];
}

/** Problems of one value of a request body, by the key it sits under. */
const valueProblems = (key: string, value: unknown, where: string, echo: string): string[] => {
  const p: string[] = [];
  if (value === undefined) return [`${where} is undefined`];
  if (typeof value === 'number' && !Number.isFinite(value)) p.push(`${where} is ${value}`);
  if (Array.isArray(value)) return value.flatMap((v, i) => valueProblems(key, v, `${where}[${i}]`, echo));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => valueProblems(k, v, `${where}.${k}`, echo));
  }
  if (typeof value !== 'string') return p;
  if (value.trim() === '') p.push(`${where} is empty`);
  if (value !== value.trim()) p.push(`${where} has leading or trailing spaces`);
  // Text the user mapped is sent as it is; the same words made up by the app are a bug.
  if (/^(undefined|null|NaN|\[object Object\])$/.test(value) && !echo.includes(JSON.stringify(value))) p.push(`${where} is "${value}"`);
  if (value.length > 10_000) p.push(`${where} is ${value.length} characters long`);
  if (ID_KEYS.has(key) && !ID.test(value)) p.push(`${where} is not an id: ${JSON.stringify(value).slice(0, 60)}`);
  if (key === 'email' && !EMAIL.test(value)) p.push(`${where} is not an email: ${JSON.stringify(value).slice(0, 60)}`);
  if (key === 'phone' && !PHONE.test(value)) p.push(`${where} is not a phone number: ${JSON.stringify(value).slice(0, 60)}`);
  if (key === 'dueDate' && !ISO_DATE_TIME.test(value)) p.push(`${where} is not an ISO date-time: ${value}`);
  if (key === 'dateOfBirth' && !DATE.test(value)) p.push(`${where} is not a YYYY-MM-DD date: ${value}`);
  return p;
};

/** Every problem of a request the app is about to send. */
const requestProblems = (
  specs: Map<string, LoadedSpec>,
  locationId: string,
  method: string,
  url: URL,
  headers: Record<string, string>,
  body: unknown,
  echo: string,
): { problems: string[]; operationId?: string; params: Record<string, string> } => {
  const problems: string[] = [];
  const raw = url.pathname;
  const segments = raw.split('/').slice(1);
  segments.forEach((seg, i) => {
    if (seg === '' && i !== segments.length - 1) problems.push(`empty path segment in ${raw}`);
    if (seg === '.' || seg === '..') problems.push(`path segment "${seg}" in ${raw}`);
    if (!/^[A-Za-z0-9_\-.~%]*$/.test(seg)) problems.push(`unencoded character in path segment "${seg}"`);
    let decoded = seg;
    try {
      decoded = decodeURIComponent(seg);
    } catch {
      problems.push(`undecodable path segment "${seg}"`);
    }
    if (decoded !== seg && !ID.test(decoded))
      problems.push(`path segment "${seg}" names no valid id (decoded: ${JSON.stringify(decoded).slice(0, 60)})`);
  });
  const m = matchRoute(specs, method, raw);
  if (!m) return { problems: [...problems, `${method} ${raw} is not a documented GHL endpoint`], params: {} };
  for (const [k, v] of Object.entries(m.params))
    if (!ID.test(v)) problems.push(`path parameter ${k} = ${JSON.stringify(v).slice(0, 60)} is not an id`);
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) {
    const prev = query[k];
    query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  const lowerHeaders: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) lowerHeaders[k.toLowerCase()] = v;
  const spec = validateRequest(m, { method, path: raw, headers: lowerHeaders, query, body });
  problems.push(...spec.map((s) => `GHL's spec refuses ${method} ${m.operationId}: ${s}`));
  for (const [k, v] of Object.entries(query)) problems.push(...valueProblems(k, v, `query ${k}`, echo));
  if (body !== undefined) problems.push(...valueProblems('', body, 'body', echo));
  const locations = [query['locationId'], (body as Record<string, unknown> | undefined)?.['locationId'], m.params['locationId']].filter(
    (x) => x !== undefined,
  );
  for (const l of locations) if (l !== locationId) problems.push(`the request names location ${JSON.stringify(l)}, not the connection's`);
  return { problems, operationId: m.operationId, params: m.params };
};

export interface FuzzWorld {
  state: SandboxState;
  specs: Map<string, LoadedSpec>;
  authData: Record<string, string>;
}

export const createWorld = async (): Promise<FuzzWorld> => {
  const state = new SandboxState('demo');
  return {
    state,
    specs: await loadSpecs(),
    authData: {
      access_token: 'fuzz-access-token',
      refresh_token: 'fuzz-refresh-token',
      locationId: state.locationId,
      userType: 'Location',
    },
  };
};

/** A `z` for one run: records every request, answers from the in-process sandbox. */
export const createZ = (world: FuzzWorld, bundle: Bundle) => {
  const sent: SentRequest[] = [];
  const z = {
    errors: zapier.errors,
    console: { log: () => undefined, error: () => undefined, warn: () => undefined, info: () => undefined },
    JSON,
    dehydrate: (_fn: unknown, data: unknown) => `hydrate|||${JSON.stringify({ data })}|||hydrate`,
    cursor: { get: async () => undefined, set: async () => undefined },
    request: async (options: HttpRequestOptions & { url: string }): Promise<HttpResponse> => {
      const prepared = addGhlHeaders({ ...options }, z as unknown as ZObject, bundle) as HttpRequestOptions & { url: string };
      const url = new URL(prepared.url);
      for (const [k, v] of Object.entries((prepared.params ?? {}) as Record<string, string>)) url.searchParams.append(k, String(v));
      const method = String(prepared.method ?? 'GET').toUpperCase();
      let body: unknown;
      if (typeof prepared.body === 'string' && prepared.body !== '') {
        try {
          body = JSON.parse(prepared.body);
        } catch {
          body = prepared.body;
        }
      }
      const headers = (prepared.headers ?? {}) as Record<string, string>;
      const checked = requestProblems(
        world.specs,
        world.state.locationId,
        method,
        url,
        headers,
        body,
        JSON.stringify(bundle.inputData ?? {}),
      );
      const read = method === 'GET' || READ_OPERATIONS.has(checked.operationId ?? '');
      sent.push({ method, url: url.toString(), operationId: checked.operationId, read, problems: checked.problems });

      let status: number;
      let data: unknown;
      const handler = checked.operationId
        ? HANDLERS[`${matchRoute(world.specs, method, url.pathname)!.spec.name}:${checked.operationId}`]
        : undefined;
      if (checked.problems.length) {
        status = 422;
        data = { statusCode: 422, message: checked.problems, error: 'Unprocessable Entity' };
      } else if (!handler) {
        status = 501;
        data = { statusCode: 501, message: 'not implemented by the sandbox' };
      } else {
        const query: Record<string, string | string[]> = {};
        for (const [k, v] of url.searchParams) query[k] = v;
        try {
          const r = handler({
            state: world.state,
            params: checked.params,
            query,
            body,
            locationId: world.state.locationId,
            companyId: world.state.companyId,
          });
          status = r.status;
          data = r.body;
        } catch (e) {
          if (!(e instanceof HttpError)) throw e;
          status = e.status;
          data = e.body;
        }
      }
      const content = JSON.stringify(data);
      const response = {
        status,
        data,
        json: data,
        content,
        headers: new Headers({ 'content-type': 'application/json' }),
        getHeader: (name: string) => (name.toLowerCase() === 'content-type' ? 'application/json' : undefined),
        throwForStatus: () => undefined,
        skipThrowForStatus: Boolean(prepared.skipThrowForStatus),
        request: { ...prepared, url: url.toString(), method },
      } as unknown as HttpResponse;
      return mapGhlErrors(response, z as unknown as ZObject);
    },
  };
  return { z: z as unknown as ZObject, sent };
};
