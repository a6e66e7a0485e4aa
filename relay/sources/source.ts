import type { Headers } from '../http.js';

/**
 * What is specific to one webhook source (Ecwid today; GHL's own path predates this interface):
 * how a webhook is verified and parsed, which key it is routed by, and how a subscriber proves
 * access to that key. Storage, de-duplication, delivery, retries, logs and counters are shared
 * (relay/sources/routes.ts, store.ts, deliver.ts): a new source is one more module like ecwid.ts.
 */

/** One verified webhook, ready for the shared store. */
export interface SourceEvent {
  /** Unique per source and event (the source's event id), prefixed with the source name. */
  id: string;
  /** The source's event type; subscriptions name it. */
  type: string;
  /** What subscriptions are routed by, prefixed with the source name (e.g. `ecwid:1003`). */
  scope: string;
  /** The raw body, delivered as received. */
  body: string;
}

/** A webhook or subscription the source refuses: `reason` is the counter and log key. */
export class SourceRefusal extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

export interface WebhookSource {
  /** `POST /webhooks/{name}`; subscriptions say `"source": name`. */
  readonly name: string;
  /** The event types a subscription may name. */
  readonly events: readonly string[];
  /** Whose token a subscriber sends (for messages). */
  readonly tokenOf: string;
  /**
   * How long an event id must be remembered so that no redelivery by the source is taken twice
   * (the source's retry horizon, older events being refused by their signed time).
   */
  readonly dedupeHorizonMs: number;
  /** Verifies and parses one webhook; throws SourceRefusal. `now` is epoch ms. */
  accept(raw: Buffer, headers: Headers, query: URLSearchParams, now: number): SourceEvent;
  /** The routing scope a subscription body names (e.g. its `storeId`); throws SourceRefusal (400). */
  scopeOf(body: Record<string, unknown>): string;
  /** Proves that `token` may read `scope` (one call to the source's API; the token is used for nothing else). */
  checkAccess(token: string, scope: string): Promise<void>;
  /** What a subscription answer shows of its scope (e.g. `{ storeId }`). */
  describeScope(scope: string): Record<string, unknown>;
}
