import type { WebhookClock } from '../../sandbox/webhooks.js';

/**
 * A clock the test moves: the sandbox's (GHL's) retry timers and the relay's idea of "now" follow
 * it, so half an hour of GHL retries or a re-send a day later take no real time. Real I/O (HTTP,
 * the database) still runs in real time; `advance` waits for it after each timer it fires.
 */
export class ManualClock implements WebhookClock {
  private t: number;
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private seq = 0;

  constructor(start = Date.now()) {
    this.t = start;
  }

  now = (): number => this.t;

  setTimeout = (fn: () => void, ms: number): number => {
    const id = ++this.seq;
    this.timers.push({ at: this.t + Math.max(0, ms), fn, id });
    return id;
  };

  clearTimeout = (handle: unknown): void => {
    this.timers = this.timers.filter((x) => x.id !== handle);
  };

  /** Timers still waiting, with their due times (clock ms). */
  get scheduled(): number[] {
    return this.timers.map((x) => x.at).sort((a, b) => a - b);
  }

  /**
   * Moves time forward by `ms`, firing every timer due on the way in time order; after each one,
   * `settle()` (e.g. "the sender has no request in flight") is awaited, so that a timer it sets
   * within the span fires in this same call.
   */
  async advance(ms: number, settle: () => Promise<void> = async () => undefined): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t = Math.max(this.t, next.at);
      next.fn();
      await settle();
    }
    this.t = end;
  }
}
