import type { RelayConfig } from './config.js';
import type { DeliveryCounts, RelayCounters } from './counters.js';
import type { RelayLog } from './log.js';
import type { Delivery, RelayStore } from './store.js';

/**
 * Delivers stored events to Zapier hook URLs, at least once: a delivery row is removed only after
 * a 2xx. 410 Gone (Zapier's "this Zap is off / deleted") drops the subscription; anything else
 * (other status, timeout, refused connection) is retried with exponential backoff and jitter,
 * honouring Retry-After, until the next try would fall after the retry horizon (or `maxAttempts`,
 * when set), then the row is kept as dead; `disableAfterDead` give-ups in a row disable the
 * subscription. Per hook URL: at most `targetRatePerSecond`, and nothing before a 429's Retry-After.
 */

export type DeliveryLog = DeliveryCounts;

/** The counter key of a failed attempt: its status class, or why there was none. */
const failureKey = (status: number, error: string): string =>
  status ? `http_${Math.floor(status / 100)}xx` : /^timeout/.test(error) ? 'timeout' : 'network';

/** The hook's host only: a Zapier hook URL's path is its secret. */
const hostOf = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
};

export const backoffMs = (attempt: number, cfg: Pick<RelayConfig, 'retryBaseMs' | 'retryMaxMs'>, random = Math.random): number => {
  const exp = Math.min(cfg.retryMaxMs, cfg.retryBaseMs * 2 ** Math.max(0, attempt - 1));
  // Full jitter on the upper half: spreads a burst of retries without ever retrying at once.
  return Math.round(exp / 2 + (random() * exp) / 2);
};

const retryAfterMs = (value: string | null): number | undefined => {
  if (!value) return undefined;
  const s = Number(value);
  if (Number.isFinite(s) && s >= 0) return s * 1000;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined; // an HTTP date is real time
};

export class Deliverer {
  /** The delivery counters (the same object as `counters.deliveries`). */
  readonly log: DeliveryLog;
  private inFlight = new Set<Promise<void>>();
  /**
   * Ids of the deliveries this process is sending. A claim whose lease ended while its attempt is
   * still running (a hook slower than the lease, or a test clock moved on) can be claimed again:
   * it is skipped here, so one process never sends the same delivery twice at once.
   */
  private sending = new Set<string>();
  /**
   * Slots taken by claimed deliveries (at most `concurrency`). A slot is given back as soon as the
   * hook has answered, before the outcome is written (complete, retryAt …): the next claim overlaps
   * that round trip instead of following it. The delivery stays in `sending` and `inFlight` until
   * its outcome is written, and its lease keeps other relays off it.
   */
  private busy = 0;
  private running = false;
  private runDone: Promise<void> = Promise.resolve();
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private store: RelayStore,
    private cfg: RelayConfig,
    private logger: RelayLog,
    private counters: RelayCounters,
    private now: () => number = Date.now,
    /** Told each time a delivery leaves the pending set (delivered, gone, dead). */
    private onSettled: () => void = () => undefined,
  ) {
    this.log = counters.deliveries;
  }

  start(): void {
    this.schedule(0);
  }

  /** New events were stored: look for due deliveries now rather than at the next poll. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (!this.running) this.runDone = this.run();
    }, ms);
  }

  private async run(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    try {
      do {
        this.again = false;
        const free = this.cfg.concurrency - this.busy;
        if (free <= 0) break;
        // The lease outlives one attempt, so no other relay takes the row while it is in flight.
        const t = this.now();
        // Hook URLs throttled (rate limit, 429) for longer than a poll are not claimed at all.
        const skip = [...this.targets].filter(([, s]) => Math.max(s.next, s.blockedUntil) > t + this.cfg.pollMs).map(([url]) => url);
        const batch = await this.store.claimDue(t, free, this.cfg.deliveryTimeoutMs * 2 + 5000, skip);
        for (const d of batch) {
          if (this.sending.has(d.id)) continue;
          this.sending.add(d.id);
          this.busy += 1;
          let released = false;
          const release = () => {
            if (released) return;
            released = true;
            this.busy -= 1;
            this.kick();
          };
          const p = this.sendWhenAllowed(d, release)
            .catch((e: unknown) => this.logger.error({ deliveryId: d.id, error: (e as Error).message }, 'delivery bookkeeping failed'))
            .finally(() => {
              this.sending.delete(d.id);
              this.inFlight.delete(p);
              release();
              this.kick();
            });
          this.inFlight.add(p);
        }
        if (batch.length === free) this.again = true;
      } while (this.again && !this.stopped);
    } catch (e) {
      this.logger.error({ error: (e as Error).message }, 'claiming deliveries failed');
    } finally {
      this.running = false;
      this.schedule(this.cfg.pollMs);
    }
  }

  /** Per hook URL: the earliest time of its next delivery (rate limit) and a 429's Retry-After. */
  private targets = new Map<string, { next: number; blockedUntil: number }>();
  /** Deliveries given up in a row per subscription (a success resets it). */
  private deadInARow = new Map<string, number>();

  private async sendWhenAllowed(d: Delivery, release: () => void): Promise<void> {
    const t = this.now();
    const s = this.targets.get(d.targetUrl) ?? { next: 0, blockedUntil: 0 };
    const at = Math.max(t, s.next, s.blockedUntil);
    if (at > t + this.cfg.pollMs) {
      // Its slot is later than the next poll: back in the store, the attempt not counted.
      await this.store.defer(d.id, at);
      return;
    }
    if (this.cfg.targetRatePerSecond) s.next = at + 1000 / this.cfg.targetRatePerSecond;
    this.targets.delete(d.targetUrl);
    this.targets.set(d.targetUrl, s);
    if (this.targets.size > 10_000) this.targets.delete(this.targets.keys().next().value as string);
    if (at > t) await new Promise((r) => setTimeout(r, at - t));
    await this.send(d, release);
  }

  /** `release` gives the slot back once the hook has answered; what follows it up to the first `await` (the 429 pause) is in place before the next claim. */
  private async send(d: Delivery, release: () => void): Promise<void> {
    let status = 0;
    let retryAfter: number | undefined;
    let error = '';
    try {
      const res = await fetch(d.targetUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-relay-event-id': d.eventId,
          'x-relay-attempt': String(d.attempts),
        },
        body: d.body,
        signal: AbortSignal.timeout(this.cfg.deliveryTimeoutMs),
        redirect: 'manual',
      });
      status = res.status;
      retryAfter = retryAfterMs(res.headers.get('retry-after'));
      await res.arrayBuffer().catch(() => undefined);
      error = `HTTP ${status}`;
    } catch (e) {
      error = (e as Error).name === 'TimeoutError' ? `timeout after ${this.cfg.deliveryTimeoutMs} ms` : (e as Error).message;
    }
    release();
    if (status >= 200 && status < 300) {
      await this.store.complete(d.id);
      this.deadInARow.delete(d.subscriptionId);
      this.log.delivered += 1;
      this.counters.observeLatency(Math.max(0, this.now() - d.receivedAt));
      this.onSettled();
      return;
    }
    // One line per failed attempt: what failed and where, never the body or the hook URL's secret path.
    const fields = {
      reason: error,
      status,
      targetHost: hostOf(d.targetUrl),
      type: d.type,
      locationId: d.locationId,
      subscriptionId: d.subscriptionId,
      deliveryId: d.id,
      attempt: d.attempts,
    };
    const key = failureKey(status, error);
    this.counters.deliveryFailures[key] = (this.counters.deliveryFailures[key] ?? 0) + 1;
    if (status === 410) {
      await this.store.removeSubscription(d.subscriptionId);
      this.log.gone += 1;
      this.onSettled();
      this.logger.warn(fields, 'subscriber answered 410 Gone: subscription removed');
      return;
    }
    const wait = Math.max(backoffMs(d.attempts, this.cfg), Math.min(retryAfter ?? 0, this.cfg.retryMaxMs));
    const nextAt = this.now() + wait;
    if (status === 429) {
      // Zapier's per-hook limit: nothing goes to this hook URL before the wait is over.
      const s = this.targets.get(d.targetUrl) ?? { next: 0, blockedUntil: 0 };
      s.blockedUntil = Math.max(s.blockedUntil, nextAt);
      this.targets.set(d.targetUrl, s);
    }
    if ((this.cfg.maxAttempts && d.attempts >= this.cfg.maxAttempts) || nextAt > d.receivedAt + this.cfg.retryHorizonMs) {
      await this.store.bury(d.id, error, this.now());
      this.log.dead += 1;
      this.onSettled();
      this.logger.error(fields, 'delivery given up (kept as dead)');
      const dead = (this.deadInARow.get(d.subscriptionId) ?? 0) + 1;
      this.deadInARow.set(d.subscriptionId, dead);
      if (dead >= this.cfg.disableAfterDead && (await this.store.disableSubscription(d.subscriptionId, this.now(), error))) {
        this.deadInARow.delete(d.subscriptionId);
        this.logger.error({ ...fields, deadInARow: dead }, 'subscription disabled: its deliveries keep failing');
      }
      return;
    }
    // Logged before the store is told, so the line's time and nextTryAt agree.
    this.logger.warn({ ...fields, retryInMs: wait, nextTryAt: new Date(nextAt).toISOString() }, 'delivery attempt failed');
    await this.store.retryAt(d.id, nextAt, error);
    this.log.retried += 1;
  }

  /**
   * Stops claiming and waits until every claimed delivery is sent and recorded, so that a clean
   * shutdown leaves no delivery that was sent but not marked done (it would be sent again).
   */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.runDone;
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }
}
