import { createHash, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { CONSOLE_CSP, CONSOLE_HTML } from './console.js';
import type { RelayLog } from './log.js';
import type { RelayMetrics } from './metrics.js';
import type { RelayStore } from './store.js';

/**
 * The operator's routes (docs/relay-operations.md), beside the relay's API:
 * - `GET /metrics`: Prometheus text (relay/metrics.ts); behind `RELAY_METRICS_TOKEN` when set;
 * - `GET /admin`: the console page (relay/console.ts), which holds no data itself;
 * - `/admin/api/…`: what the page reads and does, behind `Authorization: Bearer <RELAY_ADMIN_TOKEN>`,
 *   a token of the operator's own, never a GHL or Ecwid token. Without RELAY_ADMIN_TOKEN the console
 *   is off (404). Answers name ids, event types, attempts and errors, never an event's body.
 */

export const MIN_ADMIN_TOKEN_LENGTH = 16;

export interface OperatorOptions {
  adminToken?: string;
  metricsToken?: string;
  store: RelayStore;
  metrics: RelayMetrics;
  log: RelayLog;
  /** Deliveries became due (re-sent, resumed): look for them now. */
  kick: () => void;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Constant-time: the comparison takes as long whatever the guess. */
const tokenMatches = (header: string | undefined, expected: string): boolean => {
  const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return !!m && timingSafeEqual(digest(m[1] as string), digest(expected));
};

const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
};

/** Refuses a guessable admin token; startRelay calls it before it opens anything. */
export const assertAdminToken = (adminToken: string | undefined): void => {
  if (adminToken !== undefined && adminToken.length < MIN_ADMIN_TOKEN_LENGTH) {
    throw new Error(`RELAY_ADMIN_TOKEN must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters (a random string of the operator's own)`);
  }
};

export const operatorRoutes = (o: OperatorOptions) => {
  assertAdminToken(o.adminToken);
  const admin = o.store.admin();

  const api = async (method: string, url: URL): Promise<[number, unknown]> => {
    const path = url.pathname.slice('/admin/api'.length);
    if (method === 'GET' && path === '/subscriptions') return [200, { subscriptions: await admin.subscriptions() }];
    if (method === 'GET' && path === '/deliveries') {
      const state = url.searchParams.get('state');
      if (state !== 'pending' && state !== 'dead') return [400, { error: '"state" must be pending or dead' }];
      const limit = Math.min(500, Math.max(1, Number(url.searchParams.get('limit')) || 100));
      const subscriptionId = url.searchParams.get('subscription') || undefined;
      return [200, { deliveries: await admin.deliveries({ state, subscriptionId, limit }) }];
    }
    let m = /^\/deliveries\/([^/]+)\/resend$/.exec(path);
    if (method === 'POST' && m) {
      const deliveryId = decodeURIComponent(m[1] as string);
      const resent = await admin.resendDead({ deliveryId }, Date.now());
      if (!resent) return [404, { error: `No dead delivery ${deliveryId}` }];
      o.log.info({ action: 'resend', deliveryId }, 'console: dead delivery re-sent');
      o.kick();
      return [200, { resent }];
    }
    m = /^\/subscriptions\/([^/]+)\/(resend-dead|pause|resume)$/.exec(path);
    if (method === 'POST' && m) {
      const subscriptionId = decodeURIComponent(m[1] as string);
      const action = m[2] as string;
      if (action === 'resend-dead') {
        const resent = await admin.resendDead({ subscriptionId }, Date.now());
        o.log.info({ action, subscriptionId, count: resent }, 'console: dead deliveries of a subscription re-sent');
        if (resent) o.kick();
        return [200, { resent }];
      }
      const paused = action === 'pause';
      if (!(await admin.setPaused(subscriptionId, paused, Date.now()))) return [404, { error: `No subscription ${subscriptionId}` }];
      o.log.info({ action, subscriptionId }, paused ? 'console: subscription paused' : 'console: subscription resumed');
      if (!paused) o.kick();
      return [200, { id: subscriptionId, paused }];
    }
    return [404, { error: `No route ${method} ${url.pathname}` }];
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> => {
    const method = req.method ?? 'GET';
    if (url.pathname === '/metrics') {
      if (method !== 'GET') return send(res, 405, { error: 'GET /metrics' });
      if (o.metricsToken && !tokenMatches(req.headers.authorization, o.metricsToken)) {
        return send(res, 401, { error: 'Send "Authorization: Bearer <RELAY_METRICS_TOKEN>"' }, { 'www-authenticate': 'Bearer' });
      }
      const text = await o.metrics.text();
      res.writeHead(200, { 'content-type': o.metrics.contentType, 'cache-control': 'no-store' });
      return void res.end(text);
    }
    if (!o.adminToken) return send(res, 404, { error: 'The operator console is off: set RELAY_ADMIN_TOKEN to turn it on' });
    if (url.pathname === '/admin' || url.pathname === '/admin/') {
      if (method !== 'GET') return send(res, 405, { error: 'GET /admin' });
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': CONSOLE_CSP,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-store',
      });
      return void res.end(CONSOLE_HTML);
    }
    if (!url.pathname.startsWith('/admin/api/')) return send(res, 404, { error: `No route ${method} ${url.pathname}` });
    if (!tokenMatches(req.headers.authorization, o.adminToken)) {
      o.log.warn({ path: url.pathname }, 'console: request without the admin token refused');
      return send(res, 401, { error: 'Send "Authorization: Bearer <RELAY_ADMIN_TOKEN>"' }, { 'www-authenticate': 'Bearer' });
    }
    req.resume();
    const [status, body] = await api(method, url);
    send(res, status, body);
  };

  return {
    /** True (and answers) when the request is the operator's: `/metrics`, `/admin`, `/admin/…`. */
    handles(req: http.IncomingMessage, res: http.ServerResponse): boolean {
      const url = new URL(req.url ?? '/', 'http://relay');
      if (url.pathname !== '/metrics' && url.pathname !== '/admin' && !url.pathname.startsWith('/admin/')) return false;
      handle(req, res, url).catch((e: unknown) => {
        o.log.error({ path: url.pathname, err: (e as Error).message }, 'operator route failed');
        if (res.headersSent) res.destroy();
        else send(res, 500, { error: 'Relay error' });
      });
      return true;
    },
  };
};
