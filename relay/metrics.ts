import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Log } from './log.js';
import type { Delivery, RelayStore } from './store.js';

/**
 * What the relay tells its operator (docs/relay-operations.md): a structured log line for every
 * refused webhook, failed delivery attempt and give-up, and Prometheus metrics at `/metrics`
 * (prom-client, one registry per relay). Log fields and metric labels carry ids, hosts, statuses
 * and reasons, never a token or a body; metric labels carry no ids at all (bounded series).
 */

export type WebhookOutcome = 'accepted' | 'duplicate' | 'bad_signature' | 'invalid' | 'too_large' | 'deferred' | 'error';
const WEBHOOK_OUTCOMES: WebhookOutcome[] = ['accepted', 'duplicate', 'bad_signature', 'invalid', 'too_large', 'deferred', 'error'];
export type AttemptOutcome = 'delivered' | 'failed' | 'gone' | 'dead';
const ATTEMPT_OUTCOMES: AttemptOutcome[] = ['delivered', 'failed', 'gone', 'dead'];

/** The HTTP status the relay answered a webhook with → its outcome. */
export const webhookOutcome = (status: number, duplicate = false): WebhookOutcome => {
  if (status >= 200 && status < 300) return duplicate ? 'duplicate' : 'accepted';
  if (status === 401) return 'bad_signature';
  if (status === 413) return 'too_large';
  if (status === 429) return 'deferred';
  if (status >= 400 && status < 500) return 'invalid';
  return 'error';
};

/** How many of the latest answers to GHL the success ratio is taken over. */
export const SUCCESS_WINDOW = 1000;

export interface WebhookInfo {
  source: string;
  status: number;
  duplicate?: boolean;
  /** Why it was refused (the answer's error message: no body, no token). */
  reason?: string;
  type?: string;
  locationId?: string;
}

export interface AttemptDetail {
  /** The hook's HTTP status; 0 when no answer came (timeout, refused connection). */
  status: number;
  error: string;
  /** When the next attempt is due (a failed attempt). */
  nextAt?: number;
}

export class RelayTelemetry {
  readonly registry = new Registry();
  private readonly webhooks = new Counter({
    name: 'relay_webhooks_total',
    help: 'Webhooks received, by source and outcome (accepted, duplicate, bad_signature, invalid, too_large, deferred = 429, error)',
    labelNames: ['source', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly attempts = new Counter({
    name: 'relay_delivery_attempts_total',
    help: 'Delivery attempts to Zapier hooks, by outcome (delivered, failed = will retry, gone = 410, dead = given up)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'relay_delivery_latency_seconds',
    help: 'End to end: from the webhook reaching the relay to the hook answering 2xx (retries included)',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 4 * 3600, 12 * 3600],
    registers: [this.registry],
  });
  private readonly backlog = new Gauge({
    name: 'relay_backlog_deliveries',
    help: 'Deliveries waiting to be sent (pending, paused subscriptions included)',
    registers: [this.registry],
  });
  private readonly oldestAge = new Gauge({
    name: 'relay_oldest_pending_age_seconds',
    help: 'Age of the oldest event with a pending delivery (0 when none waits)',
    registers: [this.registry],
  });
  private readonly dead = new Gauge({
    name: 'relay_dead_deliveries',
    help: 'Deliveries given up after the last attempt, kept for the console (re-send) until pruned',
    registers: [this.registry],
  });
  private readonly ghlSuccess = new Gauge({
    name: 'relay_ghl_webhook_success_ratio',
    help: `Share of 2xx answers among the relay's latest ${SUCCESS_WINDOW} answers to GHL's webhook POSTs (1 before the first)`,
    registers: [this.registry],
  });
  private readonly recent: boolean[] = [];
  private recentOk = 0;

  constructor(
    private readonly log: Log,
    private readonly store: RelayStore,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'relay_' });
    for (const outcome of WEBHOOK_OUTCOMES) this.webhooks.inc({ source: 'ghl', outcome }, 0);
    for (const outcome of ATTEMPT_OUTCOMES) this.attempts.inc({ outcome }, 0);
    this.ghlSuccess.set(1);
  }

  /** The relay answered a webhook: counts it, and logs a refusal (reason, source, type, location). */
  webhook(info: WebhookInfo): void {
    const outcome = webhookOutcome(info.status, info.duplicate);
    this.webhooks.inc({ source: info.source, outcome });
    if (info.source === 'ghl') this.track(info.status >= 200 && info.status < 300);
    if (outcome === 'accepted' || outcome === 'duplicate') return;
    const fields = {
      source: info.source,
      outcome,
      status: info.status,
      reason: info.reason,
      type: info.type || undefined,
      locationId: info.locationId || undefined,
    };
    if (outcome === 'error') this.log.error(fields, 'webhook failed');
    else this.log.warn(fields, 'webhook refused');
  }

  private track(ok: boolean): void {
    this.recent.push(ok);
    if (ok) this.recentOk += 1;
    if (this.recent.length > SUCCESS_WINDOW && this.recent.shift()) this.recentOk -= 1;
    this.ghlSuccess.set(this.recentOk / this.recent.length);
  }

  /** One delivery attempt ended: counts it, observes the latency of a delivered one, logs the others. */
  attempt(outcome: AttemptOutcome, d: Delivery, detail: AttemptDetail): void {
    this.attempts.inc({ outcome });
    if (outcome === 'delivered') {
      this.latency.observe(Math.max(0, Date.now() - d.receivedAt) / 1000);
      return;
    }
    let targetHost = '';
    try {
      targetHost = new URL(d.targetUrl).host;
    } catch {
      // an unparsable stored URL: logged without a host
    }
    const fields = {
      deliveryId: d.id,
      eventId: d.eventId,
      subscriptionId: d.subscriptionId,
      targetHost,
      status: detail.status,
      error: detail.error,
      attempt: d.attempts,
    };
    if (outcome === 'failed')
      this.log.warn({ ...fields, nextTryAt: new Date(detail.nextAt ?? Date.now()).toISOString() }, 'delivery attempt failed');
    else if (outcome === 'gone') this.log.info(fields, 'hook answered 410 Gone: subscription removed');
    else this.log.error(fields, 'delivery given up');
  }

  /** The Prometheus text exposition, with the store's gauges read now. */
  async metrics(): Promise<string> {
    const [stats, oldest] = await Promise.all([this.store.stats(), this.store.admin().oldestPendingAt()]);
    this.backlog.set(stats.pending);
    this.dead.set(stats.dead);
    this.oldestAge.set(oldest === undefined ? 0 : Math.max(0, Date.now() - oldest) / 1000);
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
