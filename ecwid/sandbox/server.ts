/**
 * A local Ecwid REST API v3 sandbox (the customers subset the Ecwid Customers app uses), on
 * 127.0.0.1 only. Requests are routed and validated with openapi-backend against
 * ecwid/sandbox/openapi.json, a schema written from Ecwid's docs (sources in its `info`).
 * See ecwid/sandbox/README.md.
 */
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { OpenAPIBackend } from 'openapi-backend';
import { handleOAuth, readBody } from './oauth.js';
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  EcwidSandboxState,
  GROUPS,
  asSearchItem,
  ecwidDate,
  parseEcwidDate,
  type DeletedOrder,
  type SandboxCustomer,
} from './state.js';
import { EcwidWebhookSender, type EcwidWebhookOptions } from './webhooks.js';

export { EcwidSandboxState } from './state.js';

export interface EcwidSandboxOptions {
  port?: number;
  /** default 600 requests per minute per token (Ecwid's documented limit); false = off */
  rateLimit?: { max: number; windowMs: number } | false;
  latencyMs?: number;
  /** The order of /customers/deleted items (Ecwid does not document it). Default oldest-first. */
  deletedOrder?: DeletedOrder;
  /** Signed customer webhooks (ecwid/sandbox/webhooks.ts); off until a URL is set. */
  webhooks?: EcwidWebhookOptions;
}

export interface EcwidRequestLogEntry {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  operationId?: string;
  fault?: string;
  at: string;
}

interface Fault {
  kind: 'fail' | 'reset' | 'empty';
  remaining: number;
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  match?: RegExp;
}

export interface EcwidSandbox {
  url: string;
  /** What the app's ECWID_API_BASE_URL / ECWID_OAUTH_BASE_URL are set to. */
  apiBaseUrl: string;
  oauthBaseUrl: string;
  clientId: string;
  clientSecret: string;
  state: EcwidSandboxState;
  webhooks: EcwidWebhookSender;
  requests: EcwidRequestLogEntry[];
  faults: {
    failNext(n: number, opts: { status: number; body?: unknown; headers?: Record<string, string>; match?: RegExp | string }): void;
    resetConnectionNext(n: number, opts?: { match?: RegExp | string }): void;
    emptyBodyNext(n: number, opts?: { match?: RegExp | string }): void;
    clear(): void;
  };
  /** A token as the OAuth flow would issue it (both scopes unless told otherwise). */
  issueToken(scopes?: string[]): { access_token: string; store_id: number; scope: string };
  setLatency(ms: number): void;
  close(): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const SPEC_PATH = path.join(here, 'openapi.json');

type Json = Record<string, unknown>;

let backend: Promise<OpenAPIBackend> | undefined;
const loadBackend = (): Promise<OpenAPIBackend> => {
  backend ??= (async () => {
    const definition = JSON.parse(fs.readFileSync(SPEC_PATH, 'utf8')) as Json;
    delete definition['servers'];
    const api = new OpenAPIBackend({
      definition: definition as never,
      quick: true,
      validate: true,
      ajvOpts: { allErrors: true, strict: false },
    });
    await api.init();
    return api;
  })();
  return backend;
};

const matches = (re: RegExp | undefined, p: string) => !re || re.test(p);
const toRegExp = (m: RegExp | string | undefined) => (typeof m === 'string' ? new RegExp(m) : m);

export async function startEcwidSandbox(opts: EcwidSandboxOptions = {}): Promise<EcwidSandbox> {
  const api = await loadBackend();
  const state = new EcwidSandboxState(opts.deletedOrder);
  const webhooks = new EcwidWebhookSender(state, DEMO_CLIENT_SECRET, opts.webhooks);
  const requests: EcwidRequestLogEntry[] = [];
  let faults: Fault[] = [];
  let latencyMs = opts.latencyMs ?? 0;
  const rate = opts.rateLimit === undefined ? { max: 600, windowMs: 60_000 } : opts.rateLimit;
  const windows = new Map<string, { start: number; count: number }>();

  const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': typeof body === 'string' ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8',
      ...headers,
    });
    res.end(text);
    return status;
  };
  const error = (res: http.ServerResponse, status: number, errorCode: string, errorMessage: string, headers: Record<string, string> = {}) =>
    send(res, status, { errorMessage, errorCode }, headers);

  /** Search answers carry full customers plus `name` and `totalOrderCount`, and `allCustomerCount` (docs 2025). */
  const customerPage = (all: SandboxCustomer[], q: Record<string, string>) => {
    const offset = Number(q['offset'] ?? 0);
    const limit = Number(q['limit'] ?? 100);
    const items = all.slice(offset, offset + limit).map(asSearchItem);
    return { total: all.length, count: items.length, offset, limit, items, allCustomerCount: state.customers.size };
  };

  const SORTS: Record<string, (a: SandboxCustomer, b: SandboxCustomer) => number> = {
    NAME_ASC: (a, b) => (a.billingPerson?.name ?? '').localeCompare(b.billingPerson?.name ?? ''),
    NAME_DESC: (a, b) => (b.billingPerson?.name ?? '').localeCompare(a.billingPerson?.name ?? ''),
    EMAIL_ASC: (a, b) => a.email.localeCompare(b.email),
    EMAIL_DESC: (a, b) => b.email.localeCompare(a.email),
    ORDER_COUNT_ASC: (a, b) => a.stats.numberOfOrders - b.stats.numberOfOrders,
    ORDER_COUNT_DESC: (a, b) => b.stats.numberOfOrders - a.stats.numberOfOrders,
    REGISTERED_DATE_ASC: (a, b) => a.registered.localeCompare(b.registered) || a.id - b.id,
    REGISTERED_DATE_DESC: (a, b) => b.registered.localeCompare(a.registered) || b.id - a.id,
    UPDATED_DATE_ASC: (a, b) => a.updated.localeCompare(b.updated) || a.id - b.id,
    UPDATED_DATE_DESC: (a, b) => b.updated.localeCompare(a.updated) || b.id - a.id,
  };

  const handlers: Record<string, (q: Record<string, string>, params: Record<string, string>) => [number, unknown]> = {
    'get-store-profile': () => [
      200,
      {
        generalInfo: { storeId: state.store.id, storeUrl: state.store.url, starterSite: { ecwidSubdomain: 'maple-rye-goods' } },
        account: { accountName: 'Dana Whitfield', accountNickName: 'dana', accountEmail: 'dana@example.com' },
        settings: { storeName: state.store.name, closed: false },
      },
    ],
    'search-customers': (q) => {
      let all = [...state.customers.values()];
      const inRange = (v: string, from?: string, to?: string) => {
        const t = parseEcwidDate(v.replace(' +0000', '')) ?? 0;
        const f = from ? parseEcwidDate(from) : undefined;
        const u = to ? parseEcwidDate(to) : undefined;
        return (f === undefined || t >= f) && (u === undefined || t <= u);
      };
      if (q['email']) all = all.filter((c) => c.email.toLowerCase().includes(q['email']!.toLowerCase()));
      if (q['keyword']) {
        const k = q['keyword'].toLowerCase();
        all = all.filter((c) => c.email.toLowerCase().includes(k) || (c.billingPerson?.name ?? '').toLowerCase().includes(k));
      }
      if (q['name']) all = all.filter((c) => (c.billingPerson?.name ?? '').toLowerCase().includes(q['name']!.toLowerCase()));
      if (q['customerGroup'] !== undefined) all = all.filter((c) => c.customerGroupId === Number(q['customerGroup']));
      if (q['createdFrom'] || q['createdTo']) all = all.filter((c) => inRange(c.registered, q['createdFrom'], q['createdTo']));
      if (q['updatedFrom'] || q['updatedTo']) all = all.filter((c) => inRange(c.updated, q['updatedFrom'], q['updatedTo']));
      all.sort(SORTS[q['sortBy'] ?? 'NAME_ASC']);
      return [200, customerPage(all, q)];
    },
    'search-customer-extra-fields': () => [200, { items: state.extraFieldDefinitions }],
    'get-customer': (_q, p) => {
      const c = state.customers.get(Number(p['customerId']));
      return c ? [200, c] : [404, { errorMessage: `Customer #${p['customerId']} not found`, errorCode: 'CUSTOMER_NOT_FOUND' }];
    },
    'get-deleted-customers': (q) => {
      const from = q['from_date'] ? parseEcwidDate(q['from_date']) : undefined;
      const to = q['to_date'] ? parseEcwidDate(q['to_date']) : undefined;
      const sixMonths = state.now() - 183 * 86_400_000;
      const all = state
        .deletedList()
        .filter((d) => d.at >= sixMonths && (from === undefined || d.at >= from) && (to === undefined || d.at <= to));
      const offset = Number(q['offset'] ?? 0);
      const limit = Number(q['limit'] ?? 100);
      const items = all.slice(offset, offset + limit).map((d) => ({ id: d.id, date: ecwidDate(d.at) }));
      return [200, { total: all.length, count: items.length, offset, limit, items }];
    },
    // Ecwid counts the default group ("General", id 0) in `total` and `items` but not in `count` (its docs' example).
    'search-customer-groups': (q) => {
      const ids = q['customerGroupId']?.split(',').map((s) => Number(s.trim()));
      const keyword = q['keyword']?.toLowerCase();
      const all = Object.entries(GROUPS)
        .map(([id, name]) => ({ id: Number(id), name }))
        .filter((g) => (!ids || ids.includes(g.id)) && (!keyword || g.name.toLowerCase().includes(keyword)));
      const offset = Number(q['offset'] ?? 0);
      const limit = Math.min(100, Number(q['limit'] ?? 100));
      const items = all.slice(offset, offset + limit);
      return [200, { total: all.length, count: items.filter((g) => g.id !== 0).length, offset, limit, items }];
    },
    'get-customer-group': (_q, p) => {
      const name = GROUPS[Number(p['groupId'])];
      return name
        ? [200, { id: Number(p['groupId']), name }]
        : [404, { errorMessage: `Customer group #${p['groupId']} not found`, errorCode: 'CUSTOMER_GROUP_NOT_FOUND' }];
    },
  };

  const control = async (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => {
    const body = req.method === 'POST' ? ((JSON.parse((await readBody(req)) || '{}') as Json) ?? {}) : {};
    switch (url.pathname) {
      case '/_sandbox/requests':
        return send(res, 200, requests);
      case '/_sandbox/state':
        return send(res, 200, { store: state.store, customers: [...state.customers.values()], deleted: state.deletedList() });
      case '/_sandbox/reset':
        state.reset();
        requests.length = 0;
        faults = [];
        windows.clear();
        return send(res, 200, { ok: true });
      case '/_sandbox/register':
        return send(res, 200, state.register(body as never));
      case '/_sandbox/edit':
        return send(res, 200, state.edit(Number(body['id']), body as never));
      case '/_sandbox/delete':
        state.remove(Number(body['id']));
        return send(res, 200, { ok: true });
      case '/_sandbox/webhooks':
        webhooks.setUrl(typeof body['url'] === 'string' ? body['url'] : undefined);
        return send(res, 200, { url: webhooks.url ?? null });
      case '/_sandbox/uninstall':
        state.uninstallApp();
        return send(res, 200, { ok: true });
      case '/_sandbox/advance':
        state.advance(Number(body['ms'] ?? 0));
        return send(res, 200, { now: ecwidDate(state.now()) });
      case '/_sandbox/faults':
        if (body['clear']) faults = [];
        else
          faults.push({
            kind: (body['kind'] as Fault['kind']) ?? 'fail',
            remaining: Number(body['n'] ?? 1),
            status: Number(body['status'] ?? 500),
            body: body['body'],
            match: toRegExp(body['match'] as string | undefined),
          });
        return send(res, 200, { ok: true });
      default:
        return send(res, 404, { errorMessage: 'Unknown control endpoint' });
    }
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname.startsWith('/_sandbox/')) return control(req, res, url);
      const entry: EcwidRequestLogEntry = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        status: 0,
        at: new Date().toISOString(),
      };
      requests.push(entry);
      if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
      const viaOauth = await handleOAuth(state, send, req, res, url);
      if (viaOauth !== undefined) return (entry.status = viaOauth);
      if (!url.pathname.startsWith('/api/v3/'))
        return (entry.status = error(res, 404, 'NOT_FOUND', `Cannot ${req.method} ${url.pathname}`));

      const fault = faults.find((f) => f.remaining > 0 && matches(f.match, url.pathname));
      if (fault) {
        fault.remaining -= 1;
        entry.fault = fault.kind;
        if (fault.kind === 'reset') {
          req.socket.destroy();
          return;
        }
        if (fault.kind === 'fail')
          return (entry.status = send(
            res,
            fault.status ?? 500,
            fault.body ?? { errorMessage: 'Internal error', errorCode: 'INTERNAL_ERROR' },
            fault.headers,
          ));
      }

      const apiPath = url.pathname.slice('/api/v3'.length);
      const operation = api.router.matchOperation({ method: (req.method ?? 'get').toLowerCase(), path: apiPath, headers: {} });
      if (!operation?.operationId) return (entry.status = error(res, 404, 'NOT_FOUND', `Cannot ${req.method} ${url.pathname}`));
      entry.operationId = operation.operationId;
      const params = api.router.parseRequest({ method: (req.method ?? 'get').toLowerCase(), path: apiPath, headers: {} }, operation)
        .params as Record<string, string>;

      const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
      const token = bearer ? state.tokens.get(bearer) : undefined;
      if (!token || token.revoked || String(token.storeId) !== params['storeId'])
        return (entry.status = error(res, 403, 'INVALID_API_TOKEN', 'Invalid access token in the request'));

      if (rate) {
        const now = Date.now();
        let w = windows.get(bearer!);
        if (!w || now - w.start >= rate.windowMs) windows.set(bearer!, (w = { start: now, count: 0 }));
        if (w.count >= rate.max) {
          const retry = Math.max(1, Math.ceil((w.start + rate.windowMs - now) / 1000));
          return (entry.status = error(res, 429, 'RATE_LIMITED', 'Too many requests, rate limit exceeded', {
            'Retry-After': String(retry),
          }));
        }
        w.count += 1;
      }

      const needed = (operation as { 'x-scopes'?: string[] })['x-scopes'] ?? [];
      if (!needed.some((s) => token.scopes.includes(s)))
        return (entry.status = error(
          res,
          403,
          'INSUFFICIENT_APP_SCOPE',
          `Application doesn't have a required scope for the request: ${needed.join(' or ')}`,
        ));

      const query = Object.fromEntries(url.searchParams);
      const declared = new Set(
        (operation.parameters as Array<{ name: string; in: string }>).filter((p) => p.in === 'query').map((p) => p.name),
      );
      const unknown = Object.keys(query).filter((k) => !declared.has(k));
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k.toLowerCase()] = v;
      const result = api.validator.validateRequest(
        { method: (req.method ?? 'get').toLowerCase(), path: apiPath, headers, query },
        operation,
      );
      const problems = [
        ...unknown.map((k) => `Unknown parameter '${k}'`),
        ...(result.errors ?? []).map(
          (e: { instancePath: string; message?: string }) =>
            `Wrong parameter '${String(e.instancePath).split('/').pop()}' value: ${e.message ?? 'invalid'}`,
        ),
      ];
      if (problems.length) return (entry.status = error(res, 400, 'WRONG_PARAMETER', problems.join('; ')));

      const handler = handlers[operation.operationId];
      if (!handler) return (entry.status = error(res, 501, 'NOT_IMPLEMENTED', 'Not implemented in the sandbox'));
      const [status, body] = handler(query, params);
      if (fault?.kind === 'empty') return (entry.status = send(res, status, ''));
      entry.status = send(res, status, body);
      return;
    })().catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, { errorMessage: String((e as Error).message), errorCode: 'INTERNAL_ERROR' });
    });
  });

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const addFault = (f: Omit<Fault, 'match'> & { match?: RegExp | string }) => faults.push({ ...f, match: toRegExp(f.match) });
  return {
    url,
    apiBaseUrl: `${url}/api/v3`,
    oauthBaseUrl: `${url}/api/oauth`,
    clientId: DEMO_CLIENT_ID,
    clientSecret: DEMO_CLIENT_SECRET,
    state,
    webhooks,
    requests,
    faults: {
      failNext: (n, o) => addFault({ kind: 'fail', remaining: n, status: o.status, body: o.body, headers: o.headers, match: o.match }),
      resetConnectionNext: (n, o = {}) => addFault({ kind: 'reset', remaining: n, match: o.match }),
      emptyBodyNext: (n, o = {}) => addFault({ kind: 'empty', remaining: n, match: o.match }),
      clear: () => (faults = []),
    },
    issueToken: (scopes = ['read_store_profile', 'read_customers']) => ({
      access_token: state.issueToken(state.store.id, scopes),
      store_id: state.store.id,
      scope: scopes.join(' '),
    }),
    setLatency: (ms) => (latencyMs = ms),
    close: async () => {
      await webhooks.close();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
