import { createHash, timingSafeEqual } from 'node:crypto';
import { HttpFailure } from './http.js';

/**
 * What keeps the relay's subscription API from being used by anyone but our Zapier app, or used to
 * make the relay call GHL without end (relay/README.md, "Security"):
 * - `RELAY_SUBSCRIBE_SECRET`: a secret our Zapier app sends as `X-Relay-Subscribe-Secret` (set on the
 *   app with `zapier-platform env:set <version> RELAY_SUBSCRIBE_SECRET=…`);
 * - token verdicts cached for a short time (by the token's SHA-256, never the token), so that one
 *   token asks GHL once per location per `ttlMs`;
 * - at most `perMinute` checks that do reach GHL per client address per minute.
 */

const sha = (s: string) => createHash('sha256').update(s).digest();

export const checkSubscribeSecret = (configured: string | undefined, sent: string | string[] | undefined): void => {
  if (!configured) return;
  const got = typeof sent === 'string' ? sent : '';
  // Compared as hashes: equal lengths for timingSafeEqual, and no early exit on the first differing byte.
  if (!timingSafeEqual(sha(configured), sha(got))) {
    throw new HttpFailure(403, 'Subscriptions are accepted from this relay’s Zapier app only (X-Relay-Subscribe-Secret)');
  }
};

type Verdict = { ok: true; companyId?: string } | { ok: false; failure: HttpFailure };

export class TokenChecks {
  private verdicts = new Map<string, { verdict: Verdict; until: number }>();
  private perIp = new Map<string, { minute: number; n: number }>();

  constructor(
    private ttlMs: number,
    private perMinute: number,
    private now: () => number,
    /** Bound on remembered verdicts and addresses: past it, the oldest half is dropped. */
    private maxEntries = 10_000,
  ) {}

  async check(
    token: string,
    locationId: string,
    ip: string,
    ask: (token: string, locationId: string) => Promise<{ companyId?: string }>,
  ): Promise<{ companyId?: string }> {
    const key = `${sha(token).toString('base64')}|${locationId}`;
    const t = this.now();
    const known = this.verdicts.get(key);
    if (known && known.until > t) {
      if (known.verdict.ok) return { companyId: known.verdict.companyId };
      throw known.verdict.failure;
    }
    const minute = Math.floor(t / 60_000);
    const seen = this.perIp.get(ip);
    const n = seen && seen.minute === minute ? seen.n + 1 : 1;
    if (this.perMinute && n > this.perMinute) {
      throw new HttpFailure(429, 'Too many token checks from this address; try again in a minute', {
        'retry-after': String(60 - Math.floor((t % 60_000) / 1000)),
      });
    }
    this.remember(this.perIp, ip, { minute, n });
    let verdict: Verdict;
    try {
      verdict = { ok: true, ...(await ask(token, locationId)) };
    } catch (e) {
      // Only GHL's "no" is remembered: an outage (502) is asked again next time.
      if (!(e instanceof HttpFailure) || (e.status !== 401 && e.status !== 403)) throw e;
      verdict = { ok: false, failure: e };
    }
    this.remember(this.verdicts, key, { verdict, until: t + this.ttlMs });
    if (verdict.ok) return { companyId: verdict.companyId };
    throw verdict.failure;
  }

  /** Insertion-ordered maps: re-inserting moves a key to the end, so the first keys are the oldest. */
  private remember<V>(map: Map<string, V>, key: string, value: V): void {
    map.delete(key);
    map.set(key, value);
    if (map.size > this.maxEntries) {
      let drop = Math.floor(map.size / 2);
      for (const k of map.keys()) {
        if (drop-- <= 0) break;
        map.delete(k);
      }
    }
  }
}
