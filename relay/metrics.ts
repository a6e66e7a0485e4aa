import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RelayCounters } from './counters.js';
import type { RelayStore } from './store.js';

/**
 * Prometheus metrics at `/metrics` (prom-client, one registry per relay; docs/relay-operations.md).
 * The counts are relay/counters.ts's (the same numbers /healthz shows), read at each scrape; the
 * latency histogram listens to delivered events; backlog, oldest pending age and dead count are
 * read from the store. Labels hold outcomes and reasons, never ids: the number of series is fixed.
 */

/** Scrape-time counter: prom-client keeps no state of its own, the value is the relay's counter. */
const mirror = (counter: Counter<string>, values: Record<string, number>, label: string) => {
  counter.reset();
  for (const [key, value] of Object.entries(values)) counter.inc({ [label]: key }, value);
};

export class RelayMetrics {
  readonly registry = new Registry();

  constructor(counters: RelayCounters, store: RelayStore, now: () => number = Date.now) {
    const registers = [this.registry];
    new Counter({
      name: 'relay_webhooks_total',
      help: 'Webhooks answered, by outcome: 2xx queued, unrouted (no subscriber), duplicate, other_app; refused bad_signature, too_large, bad_json, no_type, bad_event, no_timestamp, too_old, in_future, backlog_full (429), store_failed (429)',
      labelNames: ['outcome'],
      registers,
      collect() {
        mirror(this, { ...counters.webhooks, ...counters.refused }, 'outcome');
      },
    });
    new Counter({
      name: 'relay_delivery_attempts_total',
      help: 'Delivery attempts to subscribers (Zapier hooks), by outcome: delivered, retried (failed, will retry), gone (410), dead (given up)',
      labelNames: ['outcome'],
      registers,
      collect() {
        mirror(this, { ...counters.deliveries }, 'outcome');
      },
    });
    new Counter({
      name: 'relay_delivery_failures_total',
      help: 'Failed delivery attempts by reason: http_4xx, http_5xx, timeout, network',
      labelNames: ['reason'],
      registers,
      collect() {
        mirror(this, { http_4xx: 0, http_5xx: 0, timeout: 0, network: 0, ...counters.deliveryFailures }, 'reason');
      },
    });
    new Counter({
      name: 'relay_uninstall_removed_subscriptions_total',
      help: 'Subscriptions removed by an UNINSTALL webhook',
      registers,
      collect() {
        this.reset();
        this.inc(counters.uninstallRemoved);
      },
    });
    const latency = new Histogram({
      name: 'relay_delivery_latency_seconds',
      help: 'End to end: from the webhook reaching the relay to the hook answering 2xx (retries included)',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 4 * 3600, 12 * 3600],
      registers,
    });
    counters.onLatency((ms) => latency.observe(ms / 1000));
    const ghl = () => counters.answers.read(now());
    new Gauge({
      name: 'relay_ghl_webhook_success_ratio',
      help: "Share of 2xx among the relay's answers to GHL's webhook POSTs over the last 72 hours (GHL's circuit breaker; 1 before the first)",
      registers,
      collect() {
        this.set(ghl().successRatio);
      },
    });
    new Gauge({
      name: 'relay_ghl_webhooks_72h',
      help: "Answers to GHL's webhook POSTs over the last 72 hours (GHL's breaker looks at URLs with more than 10,000)",
      registers,
      collect() {
        this.set(ghl().webhooks);
      },
    });
    new Gauge({
      name: 'relay_ghl_breaker_at_risk',
      help: "1 when GHL's circuit breaker rule (> 10,000 webhooks in 72 h, < 90 % answered 2xx) would flag the relay's URL now",
      registers,
      collect() {
        this.set(ghl().breakerAtRisk ? 1 : 0);
      },
    });
    // The store's numbers: one read per scrape, shared by the three gauges.
    let read: Promise<{ pending: number; dead: number; oldest: number | undefined }> | undefined;
    const fromStore = () =>
      (read ??= Promise.all([store.stats(), store.admin().oldestPendingAt()])
        .then(([s, oldest]) => ({ pending: s.pending, dead: s.dead, oldest }))
        .finally(() => setImmediate(() => (read = undefined))));
    new Gauge({
      name: 'relay_backlog_deliveries',
      help: 'Deliveries waiting to be sent (paused subscriptions included)',
      registers,
      async collect() {
        this.set((await fromStore()).pending);
      },
    });
    new Gauge({
      name: 'relay_oldest_pending_age_seconds',
      help: 'Age of the oldest event with a delivery still pending (0 when none waits)',
      registers,
      async collect() {
        const { oldest } = await fromStore();
        this.set(oldest === undefined ? 0 : Math.max(0, now() - oldest) / 1000);
      },
    });
    new Gauge({
      name: 'relay_dead_deliveries',
      help: 'Deliveries given up after the last attempt, kept for the console (re-send) until pruned',
      registers,
      async collect() {
        this.set((await fromStore()).dead);
      },
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'relay_' });
  }

  /** The Prometheus text exposition. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
