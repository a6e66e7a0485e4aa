/**
 * GHL's API rate limit, per location (per company for Company tokens): a burst window and a daily
 * quota, with the X-RateLimit-* headers GHL sends on every API answer.
 */

export type RateLimit = { max: number; windowMs: number; daily: number };

export const DEFAULT_RATE: RateLimit = { max: 100, windowMs: 10_000, daily: 200_000 };

export class RateLimiter {
  private buckets = new Map<string, { windowStart: number; count: number; dayStart: number; dayCount: number }>();
  constructor(
    private cfg: RateLimit | false,
    private clock: () => number = Date.now,
  ) {}
  reset(): void {
    this.buckets.clear();
  }
  hit(key: string): { limited: boolean; headers: Record<string, string> } {
    if (!this.cfg) return { limited: false, headers: {} };
    const now = this.clock();
    let b = this.buckets.get(key);
    if (!b) {
      b = { windowStart: now, count: 0, dayStart: now, dayCount: 0 };
      this.buckets.set(key, b);
    }
    if (now - b.windowStart >= this.cfg.windowMs) {
      b.windowStart = now;
      b.count = 0;
    }
    if (now - b.dayStart >= 24 * 3600 * 1000) {
      b.dayStart = now;
      b.dayCount = 0;
    }
    const limited = b.count >= this.cfg.max || b.dayCount >= this.cfg.daily;
    if (!limited) {
      b.count += 1;
      b.dayCount += 1;
    }
    return {
      limited,
      headers: {
        'X-RateLimit-Limit-Daily': String(this.cfg.daily),
        'X-RateLimit-Daily-Remaining': String(Math.max(0, this.cfg.daily - b.dayCount)),
        'X-RateLimit-Interval-Milliseconds': String(this.cfg.windowMs),
        'X-RateLimit-Max': String(this.cfg.max),
        'X-RateLimit-Remaining': String(Math.max(0, this.cfg.max - b.count)),
        // Not in GHL's header list but sent live: milliseconds until the daily quota resets (recorded).
        'X-RateLimit-Daily-Reset': String(Math.max(0, b.dayStart + 24 * 3600 * 1000 - now)),
      },
    };
  }
}
