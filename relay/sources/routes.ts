import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { isAllowedTarget, type RelayConfig } from '../config.js';
import type { Deliverer } from '../deliver.js';
import { HttpFailure, readBody } from '../http.js';
import type { RelayStore, Subscription } from '../store.js';
import { SourceRefusal, type WebhookSource } from './source.js';

/**
 * The routes every webhook source shares (relay/sources/source.ts): `POST /webhooks/{source}`
 * (verify and parse by the source, then the shared store: de-duplicated by event id, one delivery
 * per matching subscription, committed before the 200), and the subscribe/unsubscribe of a
 * source's subscriptions (access proven by the source, the token used for that one call only).
 * Each refusal is logged (without body or token) and counted per source and reason (`/healthz`).
 */

export interface SourceCounters {
  accepted: number;
  duplicate: number;
  refused: Record<string, number>;
}

export interface SourceRoutes {
  sources: Map<string, WebhookSource>;
  counters: Record<string, SourceCounters>;
  /** The source whose scopes look like this subscription's, if it is not a GHL one. */
  sourceOfScope(scope: string): WebhookSource | undefined;
  receive(source: WebhookSource, req: http.IncomingMessage, url: URL): Promise<[number, unknown]>;
  subscribe(source: WebhookSource, token: string, body: Record<string, unknown>): Promise<[number, unknown]>;
  unsubscribe(source: WebhookSource, token: string, sub: Subscription): Promise<[number, unknown]>;
  /** How long event ids must be kept: the longest of the retention and every source's horizon. */
  retentionMs(): number;
}

export interface Backlog {
  pending(): number;
  add(n: number): void;
}

export const sourceRoutes = (
  list: WebhookSource[],
  deps: { store: RelayStore; deliverer: Deliverer; cfg: RelayConfig; say: (line: string) => void; backlog: Backlog; now?: () => number },
): SourceRoutes => {
  const { store, deliverer, cfg, say, backlog } = deps;
  const now = deps.now ?? Date.now;
  const sources = new Map(list.map((s) => [s.name, s]));
  const counters: Record<string, SourceCounters> = {};
  for (const s of list) counters[s.name] = { accepted: 0, duplicate: 0, refused: {} };
  const refused = (source: WebhookSource, reason: string, message: string) => {
    const c = counters[source.name]!;
    c.refused[reason] = (c.refused[reason] ?? 0) + 1;
    say(`${source.name}: refused a webhook (${reason}): ${message}`);
  };
  const asHttp = (e: unknown): never => {
    if (e instanceof SourceRefusal) throw new HttpFailure(e.status, e.message);
    throw e;
  };

  return {
    sources,
    counters,
    sourceOfScope: (scope) => sources.get(scope.split(':')[0] ?? ''),
    retentionMs: () => Math.max(cfg.retentionMs, ...list.map((s) => s.dedupeHorizonMs + 3_600_000)),

    async receive(source, req, url) {
      const raw = await readBody(req, cfg.maxBodyBytes);
      let event;
      try {
        event = source.accept(raw, req.headers, url.searchParams, now());
      } catch (e) {
        if (e instanceof SourceRefusal) refused(source, e.reason, e.message);
        return asHttp(e);
      }
      // Any answer but a few 2xx makes Ecwid (and most sources) send the event again later.
      if (backlog.pending() >= cfg.maxPending) {
        refused(source, 'backlog_full', `${backlog.pending()} undelivered events`);
        throw new HttpFailure(503, `Relay backlog full (${backlog.pending()} undelivered events)`, { 'retry-after': '600' });
      }
      let result;
      try {
        result = await store.recordEvent({ id: event.id, type: event.type, locationId: event.scope, body: event.body, receivedAt: now() });
      } catch (e) {
        refused(source, 'store_failed', (e as Error).message);
        throw new HttpFailure(503, 'Relay could not store the event; retry later', { 'retry-after': '600' });
      }
      if (result.duplicate) {
        counters[source.name]!.duplicate += 1;
        say(`${source.name}: event ${event.id} already received (redelivery or replay): not delivered again`);
        return [200, { ok: true, duplicate: true }];
      }
      counters[source.name]!.accepted += 1;
      backlog.add(result.queued);
      if (result.queued) deliverer.kick();
      return [200, { ok: true, queued: result.queued }];
    },

    async subscribe(source, token, body) {
      const { event, targetUrl } = body;
      let scope: string;
      try {
        scope = source.scopeOf(body);
      } catch (e) {
        return asHttp(e);
      }
      if (typeof event !== 'string' || !source.events.includes(event)) {
        throw new HttpFailure(400, `"event" must be one of ${source.events.join(', ')}`);
      }
      if (typeof targetUrl !== 'string' || !isAllowedTarget(targetUrl, cfg.allowedTargets)) {
        throw new HttpFailure(400, `"targetUrl" must be a URL under ${cfg.allowedTargets.join(' or ')}`);
      }
      try {
        await source.checkAccess(token, scope);
      } catch (e) {
        if (e instanceof SourceRefusal) say(`${source.name}: subscription refused (${e.reason}) for ${scope}`);
        return asHttp(e);
      }
      const sub = { id: randomUUID(), locationId: scope, event, targetUrl, createdAt: now() };
      await store.addSubscription(sub);
      say(`subscribed ${sub.id}: ${event} of ${scope}`);
      return [201, { id: sub.id, source: source.name, ...source.describeScope(scope), event, targetUrl }];
    },

    async unsubscribe(source, token, sub) {
      try {
        await source.checkAccess(token, sub.locationId);
      } catch (e) {
        return asHttp(e);
      }
      await store.removeSubscription(sub.id);
      say(`unsubscribed ${sub.id}`);
      return [200, { id: sub.id, removed: true }];
    },
  };
};
