import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SUBSCRIBABLE_EVENTS, isAllowedTarget, type RelayConfig } from './config.js';
import { Deliverer } from './deliver.js';
import { checkSignature } from './signature.js';
import { HttpFailure, bearer, parseObject, readBody } from './http.js';
import { openStore } from './open-store.js';
import type { RelayStore } from './store.js';
import { contactTagsUpdate } from './tags.js';
import { ecwidSource } from './sources/ecwid.js';
import { sourceRoutes } from './sources/routes.js';

/**
 * The relay's HTTP API (relay/README.md):
 * - `POST /webhooks/ghl`: GHL's app-level webhooks; verified, de-duplicated, stored, then 200;
 * - `POST /subscriptions`, `DELETE /subscriptions/:id`: Zapier's REST-hook subscribe/unsubscribe,
 *   authorised by the connection's GHL access token (checked against GHL, never stored);
 * - `GET /healthz`.
 */

export interface Relay {
  url: string;
  port: number;
  store: RelayStore;
  deliverer: Deliverer;
  close(): Promise<void>;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** GHL events name the sub-account `locationId`; an appointment's sits at the top level too. */
const locationOf = (body: Record<string, unknown>): string => (typeof body.locationId === 'string' ? body.locationId : '');

export async function startRelay(cfg: RelayConfig, opts: { store?: RelayStore } = {}): Promise<Relay> {
  const store = opts.store ?? (await openStore(cfg));
  const say = (line: string) => {
    if (!cfg.quiet) console.log(`[relay] ${line}`);
  };
  const deliverer = new Deliverer(store, cfg, say);
  let pending = (await store.stats()).pending;
  const refreshPending = setInterval(() => {
    store.stats().then(
      (s) => {
        pending = s.pending;
      },
      () => undefined,
    );
  }, 1000);
  // Webhook sources beside GHL (relay/sources/): their own verify/parse/route/access, the shared store and delivery.
  const sources = sourceRoutes([ecwidSource(cfg.ecwid)], {
    store,
    deliverer,
    cfg,
    say,
    backlog: { pending: () => pending, add: (n) => (pending += n) },
  });
  const pruner = setInterval(() => void store.prune(Date.now() - sources.retentionMs()).catch(() => undefined), 60_000);

  /** Asks GHL whether the token may read the location; the token is used for this call only. */
  const checkToken = async (token: string, locationId: string): Promise<void> => {
    let res: Response;
    try {
      res = await fetch(`${cfg.ghlApiBaseUrl}/locations/${encodeURIComponent(locationId)}`, {
        headers: { authorization: `Bearer ${token}`, version: '2021-07-28', accept: 'application/json' },
        signal: AbortSignal.timeout(10_000),
      });
    } catch (e) {
      throw new HttpFailure(502, `Could not reach GHL to check the token: ${(e as Error).message}`);
    }
    const body = (await res.json().catch(() => ({}))) as { location?: { id?: string }; id?: string };
    if (res.status === 401) throw new HttpFailure(401, 'GHL rejected the access token (expired or revoked); reconnect the GHL account');
    if (res.status === 403 || res.status === 400 || res.status === 404 || res.status === 422) {
      throw new HttpFailure(403, `The GHL token has no access to location ${locationId}`);
    }
    if (!res.ok) throw new HttpFailure(502, `GHL answered ${res.status} while checking the token; try again`);
    const id = body.location?.id ?? body.id;
    if (id !== locationId) throw new HttpFailure(403, `The GHL token has no access to location ${locationId}`);
  };

  const receive = async (req: http.IncomingMessage): Promise<[number, unknown]> => {
    const raw = await readBody(req, cfg.maxBodyBytes);
    const sig = checkSignature(raw, req.headers, cfg.keys);
    if (!sig.ok) throw new HttpFailure(401, `Signature check failed: ${sig.reason}`);
    const body = parseObject(raw);
    const type = typeof body.type === 'string' ? body.type : '';
    if (!type) throw new HttpFailure(400, 'Webhook has no "type"');
    const ts = body.timestamp;
    const receivedAt = Date.now();
    let at = receivedAt;
    if (ts !== undefined || cfg.requireTimestamp) {
      at = typeof ts === 'string' || typeof ts === 'number' ? new Date(ts).getTime() : NaN;
      if (!Number.isFinite(at)) throw new HttpFailure(400, 'Webhook has no valid "timestamp"');
      if (Math.abs(Date.now() - at) > cfg.maxAgeSeconds * 1000) {
        throw new HttpFailure(400, `Webhook timestamp ${String(ts)} is more than ${cfg.maxAgeSeconds} s from now (stale or replayed)`);
      }
    }
    const id =
      typeof body.webhookId === 'string' && body.webhookId
        ? `wh:${body.webhookId}`
        : `sha256:${createHash('sha256').update(raw).digest('hex')}`;
    if (pending >= cfg.maxPending) {
      throw new HttpFailure(429, `Relay backlog full (${pending} undelivered events)`, { 'retry-after': '600' });
    }
    let result;
    try {
      result = await store.recordEvent(
        { id, type, locationId: locationOf(body), body: raw.toString('utf8'), receivedAt },
        { removeLocation: type === 'UNINSTALL' && !!locationOf(body), contact: contactTagsUpdate(body, at) },
      );
    } catch (e) {
      say(`could not store event ${id}: ${(e as Error).message}`);
      // GHL retries a webhook only after a 429 (ghl-api.md §5.1): an event we could not store is asked again.
      throw new HttpFailure(429, 'Relay could not store the event; retry later', { 'retry-after': '600' });
    }
    if (result.duplicate) return [200, { ok: true, duplicate: true }];
    pending += result.queued;
    if (result.queued) deliverer.kick();
    return [200, { ok: true, queued: result.queued }];
  };

  const subscribe = async (req: http.IncomingMessage): Promise<[number, unknown]> => {
    const body = parseObject(await readBody(req, 16 * 1024));
    const source = typeof body.source === 'string' && body.source !== 'ghl' ? sources.sources.get(body.source) : undefined;
    if (typeof body.source === 'string' && body.source !== 'ghl' && !source) throw new HttpFailure(400, `Unknown "source" ${body.source}`);
    if (source) return sources.subscribe(source, bearer(req.headers, source.tokenOf), body);
    const token = bearer(req.headers);
    const { locationId, event, targetUrl } = body;
    if (typeof locationId !== 'string' || !ID.test(locationId)) throw new HttpFailure(400, '"locationId" must be a GHL location id');
    if (typeof event !== 'string' || !(SUBSCRIBABLE_EVENTS as readonly string[]).includes(event)) {
      throw new HttpFailure(400, `"event" must be one of ${SUBSCRIBABLE_EVENTS.join(', ')}`);
    }
    if (typeof targetUrl !== 'string' || !isAllowedTarget(targetUrl, cfg.allowedTargets)) {
      throw new HttpFailure(400, `"targetUrl" must be a URL under ${cfg.allowedTargets.join(' or ')}`);
    }
    await checkToken(token, locationId);
    const sub = { id: randomUUID(), locationId, event, targetUrl, createdAt: Date.now() };
    await store.addSubscription(sub);
    say(`subscribed ${sub.id}: ${event} of ${locationId}`);
    return [201, { id: sub.id, locationId, event, targetUrl }];
  };

  const unsubscribe = async (req: http.IncomingMessage, id: string): Promise<[number, unknown]> => {
    const sub = await store.getSubscription(id);
    const source = sub && sources.sourceOfScope(sub.locationId);
    const token = bearer(req.headers, source ? source.tokenOf : 'GHL');
    if (!sub) throw new HttpFailure(404, `No subscription ${id} (already removed)`);
    if (source) return sources.unsubscribe(source, token, sub);
    await checkToken(token, sub.locationId);
    await store.removeSubscription(id);
    say(`unsubscribed ${id}`);
    return [200, { id, removed: true }];
  };

  const route = async (req: http.IncomingMessage): Promise<[number, unknown]> => {
    const url = new URL(req.url ?? '/', 'http://relay');
    const method = req.method ?? 'GET';
    if (url.pathname === '/webhooks/ghl' && method === 'POST') return receive(req);
    const hook = /^\/webhooks\/([a-z0-9-]+)$/.exec(url.pathname);
    const source = hook && sources.sources.get(hook[1] as string);
    if (source && method === 'POST') return sources.receive(source, req, url);
    if (url.pathname === '/subscriptions' && method === 'POST') return subscribe(req);
    const m = /^\/subscriptions\/([^/]+)$/.exec(url.pathname);
    if (m && method === 'DELETE') return unsubscribe(req, decodeURIComponent(m[1] as string));
    if (url.pathname === '/healthz' && method === 'GET')
      return [200, { ok: true, store: store.kind, ...(await store.stats()), sources: sources.counters }];
    throw new HttpFailure(404, `No route ${method} ${url.pathname}`);
  };

  const server = http.createServer((req, res) => {
    route(req).then(
      ([status, body]) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      },
      (e: unknown) => {
        const f = e instanceof HttpFailure ? e : new HttpFailure(500, 'Relay error');
        if (!(e instanceof HttpFailure)) say(`error: ${(e as Error).stack ?? String(e)}`);
        if (res.headersSent) return void res.destroy();
        res.writeHead(f.status, {
          'content-type': 'application/json',
          connection: f.status === 413 ? 'close' : 'keep-alive',
          ...f.headers,
        });
        res.end(JSON.stringify({ error: f.message }));
      },
    );
  });
  server.requestTimeout = 30_000;
  // Idle keep-alive connections stay open longer than a load balancer's or GHL's client keeps them
  // (ALB: 60 s), so the relay is never the side that closes one as a request is being sent on it:
  // GHL does not retry a webhook whose connection was reset.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
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
    close: async () => {
      clearInterval(refreshPending);
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
