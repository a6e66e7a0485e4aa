import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { assertAdminToken, operatorRoutes } from './admin.js';
import { isAllowedTarget, type RelayConfig } from './config.js';
import { RelayCounters } from './counters.js';
import { Deliverer } from './deliver.js';
import { LocationClocks } from './fairness.js';
import { checkSubscribeSecret, TokenChecks } from './guard.js';
import { bearer, HttpFailure, parseObject, readBody, Refusal, refuseDeclaredSize } from './http.js';
import { createLog, type RelayLog } from './log.js';
import { RelayMetrics } from './metrics.js';
import { openStore } from './open-store.js';
import { ecwidSource } from './sources/ecwid.js';
import { ghlSource } from './sources/ghl.js';
import type { WebhookSource } from './sources/source.js';
import type { RelayStore } from './store.js';

/**
 * The relay's HTTP API (relay/README.md):
 * - `POST /webhooks/ghl`: GHL's app-level webhooks; verified, de-duplicated, stored, then 200;
 * - `POST /subscriptions`, `DELETE /subscriptions/:id`: Zapier's REST-hook subscribe/unsubscribe,
 *   authorised by the connection's GHL access token (checked against GHL, never stored);
 * - `GET /healthz`: the store's numbers and every counter (relay/counters.ts);
 * - the operator's `GET /metrics` (relay/metrics.ts) and console `/admin` (relay/admin.ts).
 * What is specific to GHL (signature, body, appId, token check) is in sources/ghl.ts.
 */

export interface Relay {
  url: string;
  port: number;
  store: RelayStore;
  deliverer: Deliverer;
  counters: RelayCounters;
  close(): Promise<void>;
}

export interface RelayOptions {
  store?: RelayStore;
  /** The clock for ages, delivery times and pruning (tests move it; timers stay real). */
  now?: () => number;
  log?: RelayLog;
  counters?: RelayCounters;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;

const checkedEqual = (a: string, b: string): boolean => {
  const x = createHash('sha256').update(a).digest();
  return timingSafeEqual(x, createHash('sha256').update(b).digest());
};

/** The type and location a refused body claims, for the log line only (maybe forged: clipped, never trusted). */
const claimedBy = (raw: Buffer): { type: string; locationId: string } => {
  let v: unknown;
  try {
    v = JSON.parse(raw.toString('utf8'));
  } catch {
    return { type: '', locationId: '' };
  }
  const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
  const text = (x: unknown) => (typeof x === 'string' ? x.slice(0, 64) : '');
  return { type: text(o.type), locationId: text(o.locationId) };
};

export async function startRelay(cfg: RelayConfig, opts: RelayOptions = {}): Promise<Relay> {
  assertAdminToken(cfg.adminToken);
  const now = opts.now ?? Date.now;
  const log = opts.log ?? createLog({ quiet: cfg.quiet });
  const store = opts.store ?? (await openStore(cfg, log));
  const counters = opts.counters ?? new RelayCounters();
  const ghl = ghlSource(cfg);
  const sources = new Map<string, WebhookSource>([[ghl.name, ghl]]);
  if (cfg.ecwidClientSecret) sources.set('ecwid', ecwidSource(cfg));
  /** The source of a subscription's key: GHL's location ids have no prefix. */
  const sourceOfKey = (key: string) => [...sources.values()].find((s) => s.ownsKey?.(key)) ?? ghl;
  if (!cfg.ghlAppIds.length) {
    log.warn({ setting: 'RELAY_GHL_APP_ID' }, 'no app id configured: webhooks of every GHL marketplace app are accepted');
  }

  // Deliveries waiting, for back-pressure: counted here as events are queued and settled, and
  // re-read from the store every RELAY_BACKLOG_REFRESH_MS (other relays on the same Postgres
  // change it too). Never counted per webhook: that count grows with the backlog.
  const backlog = await store.backlog();
  const clocks = new LocationClocks(cfg.fairSpacingMs);
  let storing = 0;
  const deliverer = new Deliverer(store, cfg, log, counters, now, () => {
    backlog.total = Math.max(0, backlog.total - 1);
  });
  const refreshBacklog = setInterval(() => {
    store.backlog().then(
      (b) => {
        backlog.total = b.total;
        backlog.byLocation = b.byLocation;
      },
      () => undefined,
    );
  }, cfg.backlogRefreshMs);
  const metrics = new RelayMetrics(counters, store, now);
  const operator = operatorRoutes({ ...cfg, store, metrics, log, kick: () => deliverer.kick() });
  const pruner = setInterval(() => {
    const t = now();
    void store
      .prune({
        events: t - cfg.retentionMs,
        dead: t - cfg.deadRetentionMs,
        tags: t - cfg.tagsRetentionMs,
        disabled: t - cfg.disabledRetentionMs,
      })
      .then((n) => {
        if (n.events + n.dead + n.tags + n.disabled) log.info({ ...n }, 'pruned');
      })
      .catch(() => undefined);
  }, 60_000);

  const receive = async (source: WebhookSource, req: http.IncomingMessage): Promise<[number, unknown]> => {
    let type = '';
    let locationId = '';
    let raw: Buffer | undefined;
    try {
      // Cheap refusals first, from the headers alone: a declared size over the limit (413) and a
      // signature header that is missing or cannot be one (401). The body is then counted as it
      // comes (413 at the limit) and fed to the signature check; nothing is parsed or stored before
      // the check passes.
      refuseDeclaredSize(req, cfg.maxBodyBytes);
      const verifier = source.startVerify(req.headers);
      raw = await readBody(req, cfg.maxBodyBytes, (chunk) => verifier.update(chunk));
      verifier.finish(raw);
      const parsed = source.parse(raw, parseObject(raw), now());
      if ('ignore' in parsed) {
        ({ type, locationId } = parsed);
        counters.webhooks[parsed.ignore] += 1;
        log.info({ source: source.name, reason: parsed.ignore, type, locationId }, 'webhook ignored');
        return [200, { ok: true, ignored: parsed.why }];
      }
      const e = parsed.event;
      ({ type, locationId } = e);
      const t = now();
      if (t - e.at > cfg.maxAgeSeconds * 1000) {
        throw new Refusal(
          400,
          'too_old',
          `Webhook timestamp ${new Date(e.at).toISOString()} is older than ${cfg.maxAgeSeconds} s (RELAY_MAX_AGE_SECONDS, the window in which webhookIds are remembered): refused, it could be a replay`,
        );
      }
      if (e.at - t > cfg.maxFutureSeconds * 1000) {
        throw new Refusal(
          400,
          'in_future',
          `Webhook timestamp ${new Date(e.at).toISOString()} is more than ${cfg.maxFutureSeconds} s ahead`,
        );
      }
      const retryLater = { 'retry-after': String(cfg.retryAfterSeconds) };
      // Webhooks being stored count too: concurrent ones (Postgres stores them in parallel) would
      // all pass a check of the backlog alone.
      if (backlog.total + storing >= cfg.maxPending) {
        throw new Refusal(429, 'backlog_full', `Relay backlog full (${backlog.total} undelivered events)`, retryLater);
      }
      // One location's backlog does not hold up the others: only its own webhooks wait.
      const mine = backlog.byLocation.get(locationId) ?? 0;
      if (locationId && mine >= cfg.maxPendingPerLocation) {
        throw new Refusal(429, 'backlog_full', `Backlog of location ${locationId} full (${mine} undelivered events)`, retryLater);
      }
      let result;
      const order = clocks.orderFor(locationId, t);
      storing += 1;
      try {
        result = await store.recordEvent({ id: e.id, type, locationId, body: raw.toString('utf8'), receivedAt: t }, { ...e.record, order });
      } catch (err) {
        log.error({ source: source.name, type, locationId, error: (err as Error).message }, 'could not store the event');
        // A retryable answer: GHL retries any non-2xx (and, under its older policy, only a 429).
        throw new Refusal(429, 'store_failed', 'Relay could not store the event; retry later', retryLater);
      } finally {
        storing -= 1;
      }
      if (result.duplicate) {
        counters.webhooks.duplicate += 1;
        // A sender's redelivery after a lost answer, or a replay: acknowledged, not delivered again.
        log.info({ source: source.name, type, locationId, eventId: e.id }, 'duplicate webhook: not delivered again');
        return [200, { ok: true, duplicate: true }];
      }
      if (result.removed !== undefined) {
        counters.uninstallRemoved += result.removed;
        log.info({ source: source.name, type, locationId, removed: result.removed }, 'uninstall: subscriptions removed');
      }
      counters.webhooks[result.queued ? 'queued' : 'unrouted'] += 1;
      backlog.total += result.queued;
      clocks.queued(locationId, order, result.queued, t);
      if (result.queued) backlog.byLocation.set(locationId, (backlog.byLocation.get(locationId) ?? 0) + result.queued);
      if (result.queued) deliverer.kick();
      return [200, { ok: true, queued: result.queued }];
    } catch (e) {
      if (e instanceof Refusal) {
        counters.refused[e.reason] += 1;
        // Refused before the body was trusted (signature): log what it claims, clipped.
        if (!type && raw) ({ type, locationId } = claimedBy(raw));
        log.warn({ source: source.name, reason: e.reason, status: e.status, type, locationId, detail: e.message }, 'webhook refused');
      }
      throw e;
    }
  };

  const tokenChecks = new TokenChecks(cfg.tokenCacheMs, cfg.tokenChecksPerMinute, now);
  const checkAccess = (req: http.IncomingMessage, token: string, locationId: string, source: WebhookSource) =>
    tokenChecks.check(token, locationId, req.socket.remoteAddress ?? '', (t, l) => source.checkAccess(t, l));
  if (!cfg.subscribeSecret) {
    log.warn({ setting: 'RELAY_SUBSCRIBE_SECRET' }, 'no subscribe secret configured: any caller with a GHL token may subscribe');
  }

  const subscribe = async (req: http.IncomingMessage): Promise<[number, unknown]> => {
    checkSubscribeSecret(cfg.subscribeSecret, req.headers['x-relay-subscribe-secret']);
    const body = parseObject(await readBody(req, 16 * 1024));
    // `"source": "ecwid"` (relay/sources/ecwid.ts) names its key its own way; no source = GHL.
    const source = body.source === undefined ? ghl : sources.get(String(body.source));
    if (!source || (source !== ghl && !source.subscriptionKey)) throw new HttpFailure(400, `Unknown "source" ${String(body.source)}`);
    const token = bearer(req.headers, source.tokenName);
    const { event, targetUrl } = body;
    const locationId = source.subscriptionKey ? source.subscriptionKey(body) : body.locationId;
    if (typeof locationId !== 'string' || !(source.subscriptionKey || ID.test(locationId))) {
      throw new HttpFailure(400, '"locationId" must be a GHL location id');
    }
    if (typeof event !== 'string' || !source.subscribableEvents.includes(event)) {
      throw new HttpFailure(400, `"event" must be one of ${source.subscribableEvents.join(', ')}`);
    }
    if (typeof targetUrl !== 'string' || !isAllowedTarget(targetUrl, cfg.allowedTargets)) {
      throw new HttpFailure(400, `"targetUrl" must be a URL under ${cfg.allowedTargets.join(' or ')}`);
    }
    const { companyId } = await checkAccess(req, token, locationId, source);
    if ((await store.countSubscriptions(locationId)) >= cfg.maxSubscriptionsPerLocation) {
      throw new HttpFailure(
        429,
        `Location ${locationId} has ${cfg.maxSubscriptionsPerLocation} subscriptions already (the relay's limit per location)`,
      );
    }
    const sub = { id: randomUUID(), locationId, event, targetUrl, createdAt: now(), companyId };
    await store.addSubscription(sub);
    log.info({ source: source.name, subscriptionId: sub.id, type: event, locationId }, 'subscribed');
    const key = source.describeKey ? source.describeKey(locationId) : { locationId };
    return [201, { id: sub.id, ...key, event, targetUrl }];
  };

  const unsubscribe = async (req: http.IncomingMessage, id: string): Promise<[number, unknown]> => {
    checkSubscribeSecret(cfg.subscribeSecret, req.headers['x-relay-subscribe-secret']);
    const sub = await store.getSubscription(id);
    const source = sub ? sourceOfKey(sub.locationId) : ghl;
    const token = bearer(req.headers, source.tokenName);
    if (!sub) throw new HttpFailure(404, `No subscription ${id} (already removed)`);
    await checkAccess(req, token, sub.locationId, source);
    await store.removeSubscription(id);
    log.info({ subscriptionId: id, type: sub.event, locationId: sub.locationId }, 'unsubscribed');
    return [200, { id, removed: true }];
  };

  const isAdmin = (req: http.IncomingMessage): boolean => {
    if (!cfg.adminToken) return false;
    const h = req.headers.authorization;
    return typeof h === 'string' && checkedEqual(h, `Bearer ${cfg.adminToken}`);
  };

  const route = async (req: http.IncomingMessage): Promise<[number, unknown]> => {
    const url = new URL(req.url ?? '/', 'http://relay');
    const method = req.method ?? 'GET';
    const hook = /^\/webhooks\/([a-z0-9-]+)$/.exec(url.pathname);
    const source = hook ? sources.get(hook[1] as string) : undefined;
    if (source && method === 'POST') {
      // Every answer to GHL counts for its circuit breaker (2xx = success), refusals included.
      if (source !== ghl) return receive(source, req);
      return receive(source, req).then(
        (answer) => {
          counters.answers.record(now(), true);
          return answer;
        },
        (e: unknown) => {
          counters.answers.record(now(), false);
          throw e;
        },
      );
    }
    if (url.pathname === '/subscriptions' && method === 'POST') return subscribe(req);
    const m = /^\/subscriptions\/([^/]+)$/.exec(url.pathname);
    if (m && method === 'DELETE') {
      let id: string;
      try {
        id = decodeURIComponent(m[1] as string);
      } catch {
        throw new HttpFailure(400, 'Malformed percent-encoding in the subscription id');
      }
      return unsubscribe(req, id);
    }
    if (url.pathname === '/healthz' && method === 'GET') {
      // Anonymous callers learn ok / not ok only; the numbers are for the operator (RELAY_ADMIN_TOKEN).
      const up = await store.backlog().then(
        () => true,
        () => false,
      );
      if (!isAdmin(req)) return [up ? 200 : 503, { ok: up }];
      return [up ? 200 : 503, { ok: up, store: store.kind, ...(await store.stats()), ...counters.snapshot(now()) }];
    }
    throw new HttpFailure(404, `No route ${method} ${url.pathname}`);
  };

  // Request deadlines are checked every quarter of RELAY_REQUEST_TIMEOUT_MS (Node's default: 30 s).
  const server = http.createServer(
    { connectionsCheckingInterval: Math.max(250, Math.min(30_000, cfg.requestTimeoutMs / 4)) },
    (req, res) => {
      if (operator.handles(req, res)) return;
      route(req).then(
        ([status, body]) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        },
        (e: unknown) => {
          const f = e instanceof HttpFailure ? e : new HttpFailure(500, 'Relay error');
          if (!(e instanceof HttpFailure)) log.error({ error: (e as Error).stack ?? String(e) }, 'unexpected error');
          if (res.headersSent) return void res.destroy();
          // A refusal before the body was read: the rest of it is not read (nor waited for).
          const unread = !req.complete;
          res.writeHead(f.status, {
            'content-type': 'application/json',
            connection: f.status === 413 || unread ? 'close' : 'keep-alive',
            ...f.headers,
          });
          res.end(JSON.stringify({ error: f.message }), () => {
            if (unread) req.socket.destroy();
          });
        },
      );
    },
  );
  // A slow sender (headers or body) is cut off after RELAY_REQUEST_TIMEOUT_MS (408), and open
  // connections are capped (RELAY_MAX_CONNECTIONS; more are closed at once).
  server.requestTimeout = cfg.requestTimeoutMs;
  if (cfg.maxConnections) server.maxConnections = cfg.maxConnections;
  // Idle keep-alive connections stay open longer than a load balancer's or GHL's client keeps them
  // (ALB: 60 s), so the relay is never the side that closes one as a request is being sent on it.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = Math.min(cfg.requestTimeoutMs, 66_000);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.port, cfg.host, () => resolve());
  });
  deliverer.start();
  const port = (server.address() as AddressInfo).port;
  const host = cfg.host === '0.0.0.0' ? '127.0.0.1' : cfg.host;
  return {
    url: `http://${host}:${port}`,
    port,
    store,
    deliverer,
    counters,
    close: async () => {
      clearInterval(refreshBacklog);
      clearInterval(pruner);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await deliverer.stop();
      await store.close();
    },
  };
}
