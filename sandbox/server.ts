/**
 * Local GHL (HighLevel / LeadConnector) API v2 sandbox: `startSandbox()`, the entry point tests,
 * scripts and `npm run sandbox` (main.ts) use.
 *
 * One HTTP server on 127.0.0.1 serves the API (routed and validated with openapi-backend against
 * GHL's official OpenAPI files), the marketplace OAuth pages and `/_sandbox/*` control endpoints.
 * This file holds its life cycle (state, options, listen, reset, close); a request's path through
 * it is in http/request-handler.ts. See sandbox/README.md.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Faults } from './faults.js';
import { DEFAULT_RATE, RateLimiter } from './http/rate-limiter.js';
import type { RequestLogEntry } from './http/request-log.js';
import { createRequestHandler } from './http/request-handler.js';
import { defaultSpecDir, loadSpecs } from './http/spec.js';
import { issueTokenPair } from './oauth.js';
import type { TokenResponse } from './state/records.js';
import { ALL_SCOPES, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, SandboxState } from './state/sandbox-state.js';
import { WebhookEmitter, type WebhookOptions } from './webhooks.js';

export { implementedOperations } from './http/spec.js';
export type { RequestLogEntry } from './http/request-log.js';
export { SandboxState } from './state/sandbox-state.js';
export type { TokenResponse, Contact, Task, Note, Appointment, CustomFieldDef, User, Business, Location } from './state/records.js';
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

  const setLatency = (ms: number): void => {
    latencyMs = ms;
  };

  function reset(): void {
    releaseHeld();
    state.reset();
    requests.length = 0;
    faults.clear();
    limiter.reset();
    latencyMs = opts.latencyMs ?? 0;
  }

  const handle = createRequestHandler({
    specs,
    state,
    ttl,
    limiter,
    webhooks,
    requests,
    faults,
    held,
    timers,
    latencyMs: () => latencyMs,
    setLatency,
    issueTokens,
    releaseHeld,
    reset,
  });

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
    setLatency,
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
