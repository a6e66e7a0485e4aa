/**
 * The Ecwid sandbox's webhooks: every customer change of the store (registration, edit, deletion)
 * is sent to one configured URL as Ecwid sends an app's webhooks (docs/ecwid-instant.md):
 *
 * - body `{eventId, eventCreated (UNIX s), storeId, entityId, eventType, data: {customerEmail}}`,
 *   `?eventtype=…` in the query string;
 * - `X-Ecwid-Webhook-Signature` = Base64(HMAC-SHA256(client secret, "{eventCreated}.{eventId}"));
 * - delivered only by an answer of 200, 201, 202, 204 or 209 within 3 s to connect and 10 s to
 *   answer; anything else (other statuses, 203, 3xx, timeouts, refused connections) is retried
 *   after 15, 30, 45 minutes, 1, 2 and 3 hours, then every 3 hours, while within 24 hours of the
 *   event and at most 27 attempts (Ecwid's limits), then given up.
 *
 * Retries wait on a clock the caller may control (`ManualClock`): a bench or test moves it two
 * hours forward in no time. `eventCreated` is the store's time of the change (its `registered`
 * and `updated` dates use the same clock); the relay checks it against its own clock, so a demo
 * that moves the store's clock (`state.advance`) must not send webhooks meanwhile.
 */
import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { CustomerChange, EcwidSandboxState } from './state.js';

export const ECWID_ACCEPTED_STATUSES = [200, 201, 202, 204, 209] as const;
const MIN = 60_000;
export const ECWID_RETRY_DELAYS_MS = [15 * MIN, 30 * MIN, 45 * MIN, 60 * MIN, 120 * MIN, 180 * MIN] as const;
export const ECWID_MAX_ATTEMPTS = 27;
export const ECWID_RETRY_HORIZON_MS = 24 * 60 * MIN;

/** When retries happen. The real one by default; `ManualClock` for benches and tests. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** A clock that moves only when told: `advance(ms)` runs every timer that falls due, in order. */
export class ManualClock implements Clock {
  private t: number;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private next = 1;

  constructor(start = Date.now()) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.timers.set(id, { at: this.t + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** When the next timer falls due, if any. */
  nextAt(): number | undefined {
    let next: number | undefined;
    for (const x of this.timers.values()) if (next === undefined || x.at < next) next = x.at;
    return next;
  }

  /** Moves to `t`, running every timer due by then in order (synchronously). */
  advanceTo(t: number): void {
    for (;;) {
      const due = [...this.timers.entries()].filter(([, x]) => x.at <= t).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.t = Math.max(this.t, due[1].at);
      due[1].fn();
    }
    this.t = Math.max(this.t, t);
  }
}

export interface EcwidWebhookOptions {
  /** Where to send; unset = no webhooks. Changeable with `setUrl`. */
  url?: string;
  clock?: Clock;
  connectTimeoutMs?: number;
  responseTimeoutMs?: number;
}

export interface EcwidWebhookLogEntry {
  eventId: string;
  eventType: CustomerChange['type'];
  entityId: number;
  /** When the change happened (epoch ms, sub-millisecond, real clock), for latency measurements. */
  changedAt: number;
  /** Each attempt's answer: a status, or 0 for no answer (refused, reset, timed out). */
  statuses: number[];
  /** The controllable clock's time of each attempt. */
  attemptAt: number[];
  outcome: 'pending' | 'delivered' | 'given-up';
  /** What was sent, for replay tests: the exact body and X-Ecwid-Webhook-Signature. */
  body: string;
  signature: string;
}

export class EcwidWebhookSender {
  url: string | undefined;
  readonly log: EcwidWebhookLogEntry[] = [];
  readonly clock: Clock;
  private inFlight = new Set<Promise<void>>();
  private timers = new Set<unknown>();
  private closed = false;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  constructor(
    state: EcwidSandboxState,
    private readonly clientSecret: string,
    private readonly opts: EcwidWebhookOptions = {},
  ) {
    this.url = opts.url;
    this.clock = opts.clock ?? realClock;
    state.listeners.push((change) => this.emit(state.store.id, change));
  }

  setUrl(url: string | undefined): void {
    this.url = url || undefined;
  }

  /** Pending entries: those waiting for a retry. */
  pending(): EcwidWebhookLogEntry[] {
    return this.log.filter((e) => e.outcome === 'pending');
  }

  private emit(storeId: number, change: CustomerChange): void {
    const url = this.url;
    if (!url || this.closed) return;
    const eventId = randomUUID();
    const eventCreated = Math.floor(change.at / 1000);
    const body = JSON.stringify({
      eventId,
      eventCreated,
      storeId,
      entityId: change.customerId,
      eventType: change.type,
      data: { customerEmail: change.email },
    });
    const signature = createHmac('sha256', this.clientSecret).update(`${eventCreated}.${eventId}`).digest('base64');
    const entry: EcwidWebhookLogEntry = {
      eventId,
      eventType: change.type,
      entityId: change.customerId,
      changedAt: change.changedAt,
      statuses: [],
      attemptAt: [],
      outcome: 'pending',
      body,
      signature,
    };
    this.log.push(entry);
    const target = new URL(url);
    target.searchParams.set('eventtype', change.type);
    this.attempt(target.toString(), body, signature, entry, this.clock.now());
  }

  private send(url: string, body: string, signature: string): Promise<number> {
    return new Promise((resolve) => {
      let settled = false;
      const done = (status: number) => {
        if (settled) return;
        settled = true;
        clearTimeout(answerTimer);
        resolve(status);
      };
      // One options object (no URL argument): zapier-platform-core's http patch, active in the
      // demo's process, reads only the options.
      const u = new URL(url);
      const req = http.request({
        hostname: u.hostname,
        port: u.port,
        path: `${u.pathname}${u.search}`,
        method: 'POST',
        agent: this.agent,
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'x-ecwid-webhook-signature': signature,
        },
      });
      const answerTimer = setTimeout(() => {
        req.destroy();
        done(0);
      }, this.opts.responseTimeoutMs ?? 10_000);
      req.on('socket', (socket) => {
        if (!socket.connecting) return;
        const t = setTimeout(() => req.destroy(), this.opts.connectTimeoutMs ?? 3_000);
        socket.once('connect', () => clearTimeout(t));
        socket.once('close', () => clearTimeout(t));
      });
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => done(res.statusCode ?? 0));
        res.on('error', () => done(0));
      });
      req.on('error', () => done(0));
      req.end(body);
    });
  }

  private attempt(url: string, body: string, signature: string, entry: EcwidWebhookLogEntry, firstAt: number): void {
    entry.attemptAt.push(this.clock.now());
    const p = this.send(url, body, signature)
      .then((status) => {
        entry.statuses.push(status);
        if ((ECWID_ACCEPTED_STATUSES as readonly number[]).includes(status)) {
          entry.outcome = 'delivered';
          return;
        }
        const n = entry.statuses.length;
        const delay = ECWID_RETRY_DELAYS_MS[Math.min(n - 1, ECWID_RETRY_DELAYS_MS.length - 1)]!;
        if (this.closed || n >= ECWID_MAX_ATTEMPTS || this.clock.now() + delay - firstAt > ECWID_RETRY_HORIZON_MS) {
          entry.outcome = 'given-up';
          return;
        }
        const handle = this.clock.setTimeout(() => {
          this.timers.delete(handle);
          this.attempt(url, body, signature, entry, firstAt);
        }, delay);
        this.timers.add(handle);
      })
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /**
   * With a ManualClock: moves it `ms` forward, retry by retry, letting each retry's answer arrive
   * (and its next retry be scheduled) before going on — two hours of Ecwid's schedule in no time.
   */
  async advance(ms: number): Promise<void> {
    const clock = this.clock;
    if (!(clock instanceof ManualClock)) throw new Error('advance() needs the sandbox webhooks to run on a ManualClock');
    await this.flush();
    const until = clock.now() + ms;
    for (let next = clock.nextAt(); next !== undefined && next <= until; next = clock.nextAt()) {
      clock.advanceTo(next);
      await this.flush();
    }
    clock.advanceTo(until);
  }

  /** Resolves when no attempt is in flight (scheduled retries are not waited for). */
  async flush(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) this.clock.clearTimeout(t);
    this.timers.clear();
    await this.flush();
    this.agent.destroy();
  }
}
