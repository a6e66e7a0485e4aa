/**
 * Every counter of the relay in one place: `/healthz` shows `snapshot()`, and a metrics exporter
 * can read the same object. Counters live in the process (a restart starts them at 0); the store's
 * own numbers (pending, dead, subscriptions, events) come from the database.
 */

/** Why a webhook was answered without being stored. Keys are stable (logs, metrics, docs). */
export type RefusalReason =
  | 'bad_signature'
  | 'too_large'
  | 'bad_json'
  | 'no_type'
  | 'bad_event'
  | 'no_timestamp'
  | 'too_old'
  | 'in_future'
  | 'backlog_full'
  | 'store_failed';

/** What happened to a webhook that was answered 2xx. */
export type WebhookOutcome = 'queued' | 'unrouted' | 'duplicate' | 'other_app';

export interface DeliveryCounts {
  delivered: number;
  retried: number;
  gone: number;
  dead: number;
}

/**
 * GHL's circuit breaker (Webhook Integration Guide): a URL that got more than 10,000 webhooks in 3
 * days with under 90 % of them answered 2xx is warned, then paused. GHL counts every delivery
 * attempt (retries included) by its answer; the relay counts every request it answered at
 * `POST /webhooks/<source>` the same way, in hourly buckets over the last 72 hours. It cannot count
 * the attempts that never reached it (relay down, network), which GHL counts as failures.
 */
export const GHL_BREAKER = { windowMs: 72 * 3_600_000, minWebhooks: 10_000, minSuccessRatio: 0.9 } as const;
const BUCKET_MS = 3_600_000;

export class AnswerWindow {
  private buckets = new Map<number, { total: number; ok: number }>();

  record(now: number, ok: boolean): void {
    const key = Math.floor(now / BUCKET_MS);
    const b = this.buckets.get(key) ?? { total: 0, ok: 0 };
    b.total += 1;
    if (ok) b.ok += 1;
    this.buckets.set(key, b);
    const oldest = Math.floor((now - GHL_BREAKER.windowMs) / BUCKET_MS);
    for (const k of this.buckets.keys()) if (k <= oldest) this.buckets.delete(k);
  }

  /** Answers in the last 72 hours (to the hour) and the share that were 2xx. */
  read(now: number) {
    const oldest = Math.floor((now - GHL_BREAKER.windowMs) / BUCKET_MS);
    let total = 0;
    let ok = 0;
    for (const [k, b] of this.buckets) {
      if (k <= oldest) continue;
      total += b.total;
      ok += b.ok;
    }
    const successRatio = total ? ok / total : 1;
    return {
      windowHours: GHL_BREAKER.windowMs / 3_600_000,
      webhooks: total,
      succeeded: ok,
      successRatio: Math.round(successRatio * 10_000) / 10_000,
      /** True when GHL's rule would flag the URL now (warning, then webhooks paused). */
      breakerAtRisk: total > GHL_BREAKER.minWebhooks && successRatio < GHL_BREAKER.minSuccessRatio,
    };
  }
}

export class RelayCounters {
  /** 2xx answers by outcome. */
  readonly webhooks: Record<WebhookOutcome, number> = { queued: 0, unrouted: 0, duplicate: 0, other_app: 0 };
  /** Non-2xx answers by reason. */
  readonly refused: Record<RefusalReason, number> = {
    bad_signature: 0,
    too_large: 0,
    bad_json: 0,
    no_type: 0,
    bad_event: 0,
    no_timestamp: 0,
    too_old: 0,
    in_future: 0,
    backlog_full: 0,
    store_failed: 0,
  };
  /** Outcomes of delivery attempts to subscribers (Zapier). */
  readonly deliveries: DeliveryCounts = { delivered: 0, retried: 0, gone: 0, dead: 0 };
  /** Failed delivery attempts by reason (`http_5xx`, `http_4xx`, `timeout`, `network`). */
  readonly deliveryFailures: Record<string, number> = {};
  /** Subscriptions removed by an UNINSTALL (location- or agency-level). */
  uninstallRemoved = 0;
  /** Answers to GHL, for its circuit breaker. */
  readonly answers = new AnswerWindow();
  private latencyListeners: Array<(ms: number) => void> = [];

  /** A delivered event's end to end latency (arrival at the relay → the hook's 2xx), for the metrics' histogram. */
  observeLatency(ms: number): void {
    for (const listen of this.latencyListeners) listen(ms);
  }

  onLatency(listen: (ms: number) => void): void {
    this.latencyListeners.push(listen);
  }

  snapshot(now: number) {
    return {
      webhooks: { ...this.webhooks },
      refused: { ...this.refused },
      deliveries: { ...this.deliveries },
      deliveryFailures: { ...this.deliveryFailures },
      uninstallRemoved: this.uninstallRemoved,
      ghlSuccess: this.answers.read(now),
    };
  }
}
