/**
 * Local GHL (HighLevel / LeadConnector) API v2 sandbox.
 *
 * One HTTP server on 127.0.0.1 serves the API (routed and validated with openapi-backend against
 * GHL's official OpenAPI files), the marketplace OAuth pages and `/_sandbox/*` control endpoints.
 * See sandbox/README.md.
 */
import http from 'node:http';
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Faults } from './faults.js';
import type { Fault } from './faults.js';
import { HANDLERS, HttpError, unprocessable } from './handlers.js';
import type { HandlerResult } from './handlers.js';
import { approve, chooseLocationPage, issueTokenPair, tokenEndpoint } from './oauth.js';
import { defaultSpecDir, loadSpecs, matchRoute, operationBodyInfo, validateRequest } from './spec.js';
import type { MatchedOperation } from './spec.js';
import { ALL_SCOPES, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, SandboxState } from './state.js';
import type { AccessTokenRecord, TokenResponse } from './state.js';
import { WebhookEmitter, type WebhookOptions } from './webhooks.js';

export { implementedOperations } from './spec.js';
export { SandboxState } from './state.js';
export type { TokenResponse, Contact, Task, Note, Appointment, CustomFieldDef, User, Business, Location } from './state.js';
export { Faults } from './faults.js';

export interface SandboxOptions {
  /** 0 = random free port (default 0). */
  port?: number;
  /** default 'demo' */
  seed?: 'demo' | 'empty';
  /** default 86399 (GHL) */
  accessTokenTtlSeconds?: number;
  /** default { max: 100, windowMs: 10_000, daily: 200_000 } per location; false = off */
  rateLimit?: { max: number; windowMs: number; daily: number } | false;
  /** The clock of the rate-limit windows (epoch ms), default Date.now: a test passes its own to open a new window without waiting. */
  rateLimitClock?: () => number;
  /** added latency per request (ms), default 0 */
  latencyMs?: number;
  /** POST /contacts/search sees contacts only this long after create/update, default 0 */
  searchIndexDelayMs?: number;
  /** directory of the OpenAPI app specs, default `<cwd>/openapi/apps` */
  specDir?: string;
  /** signed app-level webhooks for every change (sandbox/webhooks.ts); off until a URL is set */
  webhooks?: WebhookOptions;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  /** request headers; Authorization redacted to 'Bearer ***' */
  headers: Record<string, string | string[] | undefined>;
  /** parsed body (JSON or form), secrets redacted to '***' */
  body: unknown;
  /** response status; 0 when the connection was reset by a fault */
  status: number;
  operationId?: string;
  /** fault applied to this request, if any */
  fault?: string;
  /** ISO timestamp (real clock) */
  at: string;
  /** when the request arrived, epoch ms with sub-millisecond precision (performance.timeOrigin + performance.now()) */
  startMs: number;
  /** when the response was sent or the connection reset, same clock as startMs; undefined while in flight */
  endMs?: number;
}

export interface Sandbox {
  url: string;
  clientId: string;
  clientSecret: string;
  locationId: string;
  state: SandboxState;
  requests: RequestLogEntry[];
  faults: Faults;
  webhooks: WebhookEmitter;
  /** `withoutScopes`: scopes the token lacks, to test GHL's 401 "The token is not authorized for this scope." */
  issueTokens(opts?: { userType?: 'Location' | 'Company'; withoutScopes?: string[] }): TokenResponse;
  seedBulk(opts: { contacts: number; tasksPerContact?: number }): void;
  setLatency(ms: number): void;
  /** Sends the bodies held by `faults.holdBodyNext`; returns how many were held. */
  releaseHeld(): number;
  reset(): void;
  close(): Promise<void>;
}

const DEFAULT_RATE = { max: 100, windowMs: 10_000, daily: 200_000 };
const REDACT_KEYS = ['client_secret', 'code', 'refresh_token', 'access_token'];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function redact<T>(v: T): T {
  if (!isObj(v)) return v;
  const out: Obj = {};
  for (const [k, val] of Object.entries(v)) out[k] = REDACT_KEYS.includes(k) && val !== undefined ? '***' : val;
  return out as T;
}

class RateLimiter {
  private buckets = new Map<string, { windowStart: number; count: number; dayStart: number; dayCount: number }>();
  constructor(
    private cfg: { max: number; windowMs: number; daily: number } | false,
    private clock: () => number = Date.now,
  ) {}
  reset(): void {
    this.buckets.clear();
  }
  hit(key: string): { limited: boolean; headers: Record<string, string> } {
    if (!this.cfg) return { limited: false, headers: {} };
    const now = this.clock();
    let b = this.buckets.get(key);
    if (!b) {
      b = { windowStart: now, count: 0, dayStart: now, dayCount: 0 };
      this.buckets.set(key, b);
    }
    if (now - b.windowStart >= this.cfg.windowMs) {
      b.windowStart = now;
      b.count = 0;
    }
    if (now - b.dayStart >= 24 * 3600 * 1000) {
      b.dayStart = now;
      b.dayCount = 0;
    }
    const limited = b.count >= this.cfg.max || b.dayCount >= this.cfg.daily;
    if (!limited) {
      b.count += 1;
      b.dayCount += 1;
    }
    return {
      limited,
      headers: {
        'X-RateLimit-Limit-Daily': String(this.cfg.daily),
        'X-RateLimit-Daily-Remaining': String(Math.max(0, this.cfg.daily - b.dayCount)),
        'X-RateLimit-Interval-Milliseconds': String(this.cfg.windowMs),
        'X-RateLimit-Max': String(this.cfg.max),
        'X-RateLimit-Remaining': String(Math.max(0, this.cfg.max - b.count)),
        // Not in GHL's header list but sent live: milliseconds until the daily quota resets (recorded).
        'X-RateLimit-Daily-Reset': String(Math.max(0, b.dayStart + 24 * 3600 * 1000 - now)),
      },
    };
  }
}

interface Out {
  status: number;
  headers: Record<string, string>;
  text: string;
}

function jsonOut(status: number, body: unknown, headers: Record<string, string> = {}): Out {
  let payload = body;
  if (isObj(body) && !('traceId' in body)) payload = { ...body, traceId: crypto.randomUUID() };
  return { status, headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers }, text: JSON.stringify(payload) };
}

function htmlOut(status: number, html: string, headers: Record<string, string> = {}): Out {
  return { status, headers: { 'Content-Type': 'text/html; charset=utf-8', ...headers }, text: html };
}

const PROXY_HTML = (status: number) =>
  `<html>\r\n<head><title>${status} ${http.STATUS_CODES[status] ?? 'Error'}</title></head>\r\n<body>\r\n<center><h1>${status} ${
    http.STATUS_CODES[status] ?? 'Error'
  }</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n`;

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function queryObject(sp: URLSearchParams): Record<string, string | string[]> {
  const q: Record<string, string | string[]> = {};
  for (const [k, v] of sp) {
    const cur = q[k];
    if (cur === undefined) q[k] = v;
    else q[k] = Array.isArray(cur) ? [...cur, v] : [cur, v];
  }
  return q;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** Epoch ms with sub-millisecond precision, for the request log's start/end times. */
const preciseNow = () => performance.timeOrigin + performance.now();

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const specs = await loadSpecs(opts.specDir ?? defaultSpecDir());
  const ttl = opts.accessTokenTtlSeconds ?? 86399;
  const state = new SandboxState(opts.seed ?? 'demo', opts.searchIndexDelayMs ?? 0);
  const faults = new Faults();
  const requests: RequestLogEntry[] = [];
  const limiter = new RateLimiter(opts.rateLimit === undefined ? DEFAULT_RATE : opts.rateLimit, opts.rateLimitClock);
  let latencyMs = opts.latencyMs ?? 0;
  const timers = new Set<NodeJS.Timeout>();
  /** Bodies held by holdBodyNext, each a function that sends it. */
  const held = new Set<() => void>();
  const releaseHeld = (): number => {
    const n = held.size;
    for (const send of [...held]) send();
    return n;
  };
  const webhooks = new WebhookEmitter(state, opts.webhooks);

  const installerId = (): string =>
    [...state.users.values()].find((u) => u.roles.role === 'admin' && u.roles.locationIds.includes(state.locationId))?.id ??
    'sbxInstallerUser0001';

  function issueTokens(o: { userType?: 'Location' | 'Company'; withoutScopes?: string[] } = {}): TokenResponse {
    const userType = o.userType ?? 'Location';
    return issueTokenPair(
      state,
      {
        clientId: DEMO_CLIENT_ID,
        userType,
        locationId: userType === 'Location' ? state.locationId : undefined,
        companyId: state.companyId,
        userId: installerId(),
        scopes: ALL_SCOPES.filter((scope) => !(o.withoutScopes ?? []).includes(scope)),
      },
      ttl,
    );
  }

  function reset(): void {
    releaseHeld();
    state.reset();
    requests.length = 0;
    faults.clear();
    limiter.reset();
    latencyMs = opts.latencyMs ?? 0;
  }

  function stateDump(): Obj {
    return {
      companyId: state.companyId,
      locationId: state.locationId,
      otherLocationId: state.otherLocationId,
      now: state.nowIso(),
      locations: [...state.locations.values()],
      users: [...state.users.values()],
      businesses: [...state.businesses.values()],
      tags: [...state.tags.values()],
      customFields: [...state.customFields.values()],
      contacts: [...state.contacts.values()],
      tasks: [...state.tasks.values()],
      notes: [...state.notes.values()],
      appointments: [...state.appointments.values()],
    };
  }

  async function control(method: string, path: string, raw: Buffer): Promise<Out> {
    let body: unknown;
    try {
      body = raw.length ? JSON.parse(raw.toString('utf8')) : undefined;
    } catch {
      return jsonOut(400, { statusCode: 400, message: 'Invalid JSON' });
    }
    const b = isObj(body) ? body : {};
    if (method === 'GET' && path === '/_sandbox/requests') return jsonOut(200, requests);
    if (method === 'GET' && path === '/_sandbox/state') return jsonOut(200, stateDump());
    if (method === 'POST' && path === '/_sandbox/reset') {
      reset();
      return jsonOut(200, { ok: true });
    }
    if (method === 'POST' && path === '/_sandbox/faults') {
      try {
        faults.applyJson(body ?? {});
      } catch (e) {
        return jsonOut(400, { statusCode: 400, message: (e as Error).message });
      }
      return jsonOut(200, { ok: true, faults: faults.queue.map((f) => ({ ...f, match: f.match?.source })) });
    }
    if (method === 'POST' && path === '/_sandbox/tokens') {
      return jsonOut(
        200,
        issueTokens({
          userType: b['userType'] === 'Company' ? 'Company' : 'Location',
          withoutScopes: Array.isArray(b['withoutScopes']) ? b['withoutScopes'].map(String) : undefined,
        }),
      );
    }
    if (method === 'POST' && path === '/_sandbox/release') {
      return jsonOut(200, { ok: true, released: releaseHeld() });
    }
    if (method === 'POST' && path === '/_sandbox/latency') {
      latencyMs = typeof b['ms'] === 'number' ? b['ms'] : 0;
      return jsonOut(200, { ok: true, latencyMs });
    }
    if (method === 'POST' && path === '/_sandbox/now') {
      state.setNow(typeof b['now'] === 'string' ? b['now'] : null);
      return jsonOut(200, { ok: true, now: state.nowIso() });
    }
    if (method === 'POST' && path === '/_sandbox/seed-bulk') {
      state.seedBulk({
        contacts: typeof b['contacts'] === 'number' ? b['contacts'] : 0,
        tasksPerContact: typeof b['tasksPerContact'] === 'number' ? b['tasksPerContact'] : 0,
      });
      return jsonOut(200, { ok: true, contacts: state.contacts.size });
    }
    if (method === 'POST' && path === '/_sandbox/webhooks') webhooks.setUrl(typeof b['url'] === 'string' ? b['url'] : undefined);
    if (path === '/_sandbox/webhooks' && (method === 'POST' || method === 'GET')) {
      return jsonOut(200, {
        url: webhooks.url ?? null,
        publicKey: webhooks.publicKey,
        log: webhooks.log.map(({ body: _body, ...e }) => e),
      });
    }
    // GHL's Webhook Logs "re-send": the original payload once more (sandbox/webhooks.ts `resend`).
    if (method === 'POST' && path === '/_sandbox/webhooks/resend' && typeof b['webhookId'] === 'string') {
      const known = webhooks.log.some((e) => e.webhookId === b['webhookId']);
      if (!known) return jsonOut(404, { message: `No webhook ${b['webhookId']}` });
      const { body: _body, ...entry } = webhooks.resend(b['webhookId']);
      return jsonOut(202, entry);
    }
    return jsonOut(404, { statusCode: 404, message: `Cannot ${method} ${path}`, error: 'Not Found' });
  }

  function authError(message = 'Invalid JWT'): HttpError {
    return new HttpError(401, { statusCode: 401, message, error: 'Unauthorized' });
  }

  /** The API pipeline after routing. Returns the response and the rate-limit headers to attach. */
  function api(
    m: MatchedOperation,
    req: {
      method: string;
      path: string;
      headers: http.IncomingHttpHeaders;
      query: Record<string, string | string[]>;
      body: unknown;
      contentType: string;
    },
    extraHeaders: Record<string, string>,
  ): HandlerResult {
    const specName = m.spec.name;
    const { contentTypes } = operationBodyInfo(m.operation);
    if (req.body !== undefined && contentTypes.length && req.contentType && !contentTypes.includes(req.contentType)) {
      throw unprocessable([`Content-Type ${req.contentType} is not supported; use ${contentTypes.join(' or ')}`]);
    }
    if (specName === 'oauth' && m.operationId === 'get-access-token') {
      if (req.body !== undefined && !contentTypes.includes(req.contentType)) {
        throw unprocessable([`Content-Type ${req.contentType || '(none)'} is not supported; use ${contentTypes.join(' or ')}`]);
      }
      const msgs = validateRequest(m, req);
      if (msgs.length) throw unprocessable(msgs);
      return { status: 200, body: tokenEndpoint(state, isObj(req.body) ? req.body : {}, ttl) };
    }

    // --- auth
    const authz = req.headers['authorization'];
    const mt = typeof authz === 'string' ? /^Bearer\s+(.+)$/i.exec(authz.trim()) : null;
    const token: AccessTokenRecord | undefined = mt ? state.accessTokens.get(mt[1]!.trim()) : undefined;
    if (!token || token.expiresAt <= Date.now()) throw authError();
    const security = (m.operation.security ?? []) as Record<string, string[]>[];
    const agencyOk = security.some((s) => 'Agency-Access' in s);
    if (token.userType === 'Company' && !agencyOk) {
      throw new HttpError(403, {
        statusCode: 403,
        message: 'This token is a Company (agency) token; this endpoint needs a Location (sub-account) token.',
      });
    }

    // --- rate limit (per location, or per company for Company tokens)
    const rl = limiter.hit(token.locationId ?? `company:${token.companyId}`);
    Object.assign(extraHeaders, rl.headers);
    if (rl.limited) throw new HttpError(429, { statusCode: 429, message: 'Too many requests' });

    // --- scopes
    const required = security.flatMap((s) => Object.values(s).flat());
    if (required.length && token.scopes.length && !required.some((s) => token.scopes.includes(s))) {
      throw authError('The token is not authorized for this scope.');
    }

    // --- location access (query, body, path)
    const locIds: string[] = [];
    const ql = req.query['locationId'];
    if (typeof ql === 'string') locIds.push(ql);
    if (isObj(req.body) && typeof req.body['locationId'] === 'string') locIds.push(req.body['locationId']);
    if (m.params['locationId'] !== undefined) locIds.push(m.params['locationId']);
    for (const id of locIds) {
      const ok = token.userType === 'Location' ? id === token.locationId : state.locations.get(id)?.companyId === token.companyId;
      if (!ok) throw new HttpError(403, { statusCode: 403, message: 'The token does not have access to this location.' });
    }

    // --- validation against the spec (+ DTO whitelist)
    const msgs = validateRequest(m, req);
    if (msgs.length) throw unprocessable(msgs);

    const handler = HANDLERS[`${specName}:${m.operationId}`];
    if (!handler) {
      throw new HttpError(501, {
        statusCode: 501,
        message: `Operation ${m.operationId} (${specName}) is not implemented by the sandbox`,
        error: 'Not Implemented',
      });
    }
    return webhooks.around(m.params, token.locationId ?? '', () =>
      handler({
        state,
        params: m.params,
        query: req.query,
        body: req.body,
        locationId: token.locationId ?? '',
        companyId: token.companyId,
      }),
    );
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const startMs = preciseNow();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const raw = await readBody(req);

    const write = (out: Out, slowMs?: number | 'hold') => {
      const headers = { ...out.headers, 'Content-Length': String(Buffer.byteLength(out.text)) };
      if (slowMs === 'hold') {
        res.writeHead(out.status, headers);
        res.flushHeaders();
        const send = () => {
          held.delete(send);
          res.end(out.text);
        };
        held.add(send);
      } else if (slowMs && slowMs > 0) {
        res.writeHead(out.status, headers);
        res.flushHeaders();
        const t = setTimeout(() => {
          timers.delete(t);
          res.end(out.text);
        }, slowMs);
        timers.add(t);
      } else {
        res.writeHead(out.status, headers);
        res.end(out.text);
      }
    };

    if (path.startsWith('/_sandbox/')) {
      write(await control(method, path, raw));
      return;
    }

    // --- parse body
    const contentType = String(req.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    let body: unknown;
    let bodyError: string | undefined;
    const text = raw.toString('utf8');
    if (raw.length) {
      if (contentType === 'application/x-www-form-urlencoded') body = Object.fromEntries(new URLSearchParams(text));
      else if (contentType === 'application/json' || contentType === '' || contentType === 'text/plain') {
        try {
          body = JSON.parse(text);
        } catch (e) {
          if (contentType === 'application/json') bodyError = (e as Error).message;
          else body = text;
        }
      } else body = text;
    }

    const query = queryObject(url.searchParams);
    const headersLogged: Record<string, string | string[] | undefined> = { ...req.headers };
    if (headersLogged['authorization'] !== undefined) headersLogged['authorization'] = 'Bearer ***';
    const entry: RequestLogEntry = {
      method,
      path,
      query: redact(query),
      headers: headersLogged,
      body: redact(body),
      status: 0,
      at: new Date().toISOString(),
      startMs,
    };
    requests.push(entry);
    const ended = () => {
      entry.endMs ??= preciseNow();
    };
    res.once('finish', ended);
    res.once('close', ended);
    const send = (out: Out, slowMs?: number | 'hold') => {
      entry.status = out.status;
      write(out, slowMs);
    };

    // --- OAuth pages (no faults, no latency)
    if (method === 'GET' && (path === '/oauth/chooselocation' || path === '/v2/oauth/chooselocation')) {
      const p = chooseLocationPage(state, url.searchParams);
      send(htmlOut(p.status, p.html));
      return;
    }
    if (method === 'POST' && (path === '/v2/oauth/chooselocation/approve' || path === '/oauth/chooselocation/approve')) {
      const r = approve(state, isObj(body) ? body : {});
      if (r.location)
        send({
          status: 302,
          headers: { Location: r.location, 'Content-Type': 'text/plain; charset=utf-8' },
          text: `Found. Redirecting to ${r.location}`,
        });
      else send(htmlOut(r.status, r.html ?? ''));
      return;
    }

    if (latencyMs > 0) await sleep(latencyMs);

    // --- faults that replace the request
    const fault: Fault | undefined = faults.take(method, path);
    if (fault) entry.fault = fault.kind;
    if (fault?.kind === 'reset') {
      entry.status = 0;
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'html') {
      send(htmlOut(fault.status ?? 502, PROXY_HTML(fault.status ?? 502)));
      return;
    }
    if (fault?.kind === 'fail') {
      const status = fault.status ?? 500;
      const headers = fault.headers ?? {};
      if (fault.body === undefined) {
        const message = status === 429 ? 'Too many requests' : (http.STATUS_CODES[status] ?? 'Error');
        send(jsonOut(status, { statusCode: status, message }, headers));
      } else if (typeof fault.body === 'string') {
        send({ status, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...headers }, text: fault.body });
      } else send(jsonOut(status, fault.body, headers));
      return;
    }

    // --- route
    const m = matchRoute(specs, method, path);
    if (!m) {
      send(jsonOut(404, { statusCode: 404, message: `Cannot ${method} ${path}`, error: 'Not Found' }));
      return;
    }
    entry.operationId = m.operationId;
    const extraHeaders: Record<string, string> = {};
    let out: Out;
    try {
      if (bodyError !== undefined) throw new HttpError(400, { statusCode: 400, message: bodyError, error: 'Bad Request' });
      const r = api(m, { method, path, headers: req.headers, query, body, contentType }, extraHeaders);
      out = jsonOut(r.status, r.body, { ...extraHeaders, ...(r.headers ?? {}) });
    } catch (e) {
      if (e instanceof HttpError) out = jsonOut(e.status, e.body, extraHeaders);
      else {
        out = jsonOut(
          500,
          { statusCode: 500, message: `Sandbox error: ${(e as Error).message}`, error: 'Internal Server Error' },
          extraHeaders,
        );
        console.error('[sandbox] handler error', e);
      }
    }

    // --- faults applied after the request was performed
    if (fault?.kind === 'createThenFail' && out.status >= 200 && out.status < 300) {
      const status = fault.status ?? 422;
      const b =
        fault.body ??
        (status === 422
          ? { statusCode: 422, message: ['Unprocessable Entity'], error: 'Unprocessable Entity' }
          : { statusCode: status, message: http.STATUS_CODES[status] ?? 'Error' });
      out = jsonOut(status, b, extraHeaders);
    } else if (fault?.kind === 'malformed') {
      out = { status: fault.status ?? 200, headers: out.headers, text: out.text.slice(0, Math.max(1, Math.floor(out.text.length / 2))) };
    }
    send(out, fault?.kind === 'slow' ? fault.ms : fault?.kind === 'hold' ? 'hold' : undefined);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      console.error('[sandbox] fatal', e);
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ statusCode: 500, message: 'Sandbox error' }));
      } else res.destroy();
    });
  });
  server.keepAliveTimeout = 1000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    clientId: DEMO_CLIENT_ID,
    clientSecret: DEMO_CLIENT_SECRET,
    get locationId() {
      return state.locationId;
    },
    state,
    requests,
    faults,
    webhooks,
    issueTokens,
    seedBulk: (o) => state.seedBulk(o),
    setLatency: (ms) => {
      latencyMs = ms;
    },
    releaseHeld,
    reset,
    close: async () => {
      await webhooks.close();
      releaseHeld();
      await new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
