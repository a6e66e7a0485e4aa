import type { AdminStore } from './admin-store.js';

/**
 * What the relay keeps: events received from GHL (for de-duplication and redelivery), the Zapier
 * subscriptions, and one delivery row per (event, subscription) until it is delivered. The HTTP
 * server only answers GHL once `recordEvent` has committed, so an acknowledged event survives a
 * crash. Two implementations: SQLite (embedded, one relay process) and Postgres (several relays).
 */

export interface RelayEvent {
  /** GHL's `webhookId`, or a hash of the raw body when GHL sent none. */
  id: string;
  type: string;
  locationId: string;
  /** The raw body GHL signed, delivered to Zapier as is. */
  body: string;
  receivedAt: number;
}

export interface Subscription {
  id: string;
  locationId: string;
  event: string;
  targetUrl: string;
  createdAt: number;
  /** The location's company (GHL agency), learnt when subscribing: an agency-level UNINSTALL names only it. */
  companyId?: string;
}

export interface Delivery {
  id: string;
  eventId: string;
  subscriptionId: string;
  targetUrl: string;
  body: string;
  /** Attempts made so far, including the one this claim is for. */
  attempts: number;
  receivedAt: number;
  /** The event's type and location, for log lines. */
  type: string;
  locationId: string;
}

/**
 * The relay remembers each contact's tags (from every contact event it receives) so that a
 * ContactTagUpdate, which carries only the tags after the change, can say which were added.
 */
export interface ContactTagsUpdate {
  contactId: string;
  /** The contact's tags after this event; undefined when the event carries none. */
  tags?: string[];
  deleted?: boolean;
  /** The event's time (GHL's `timestamp`): an older event does not overwrite newer tags. */
  at: number;
  /** Makes the body to store and deliver from the tags known before this event (undefined: never seen). */
  enrich?: (previousTags: string[] | undefined) => string;
}

export interface RecordOptions {
  /**
   * Where the event's deliveries go in the claim order (epoch ms; default its `receivedAt`): the
   * relay spaces one location's burst out (relay/fairness.ts) so that another location's event,
   * arriving meanwhile, is claimed before the rest of the burst. Not a due time: a delivery is due
   * at once whatever its order key.
   */
  order?: number;
  /** GHL's UNINSTALL: drop the location's subscriptions (and remembered tags) in the same transaction. */
  removeLocation?: boolean;
  /** GHL's agency-level UNINSTALL: the same for every location of this company. */
  removeCompany?: string;
  contact?: ContactTagsUpdate;
}

export interface RecordResult {
  duplicate: boolean;
  /** Deliveries queued for the event (0 for a duplicate or when nobody subscribed). */
  queued: number;
  /** Subscriptions an UNINSTALL removed. */
  removed?: number;
}

/** Undelivered (pending) deliveries, in total and per location: the back-pressure numbers. */
export interface Backlog {
  total: number;
  byLocation: Map<string, number>;
}

/** Cut-offs (epoch ms) of `prune`: what is older is forgotten. */
export interface PruneCutoffs {
  /** Events with nothing left to deliver (their webhookIds with them). */
  events: number;
  /** Dead deliveries (given up), kept until then for inspection. */
  dead: number;
  /** Remembered contact tags not refreshed by any contact event since. */
  tags: number;
  /** Disabled subscriptions (a delivery to them was given up). */
  disabled: number;
}

export type PruneCounts = Record<keyof PruneCutoffs, number>;

export interface StoreStats {
  pending: number;
  dead: number;
  subscriptions: number;
  events: number;
}

export interface RelayStore {
  readonly kind: 'sqlite' | 'postgres';
  /**
   * Atomically: store the event unless its id is known, and queue a delivery for every
   * subscription of its location and type. `removeLocation` also drops the location's
   * subscriptions in the same transaction (GHL's UNINSTALL).
   */
  recordEvent(event: RelayEvent, opts?: RecordOptions): Promise<RecordResult>;
  addSubscription(sub: Subscription): Promise<void>;
  getSubscription(id: string): Promise<Subscription | undefined>;
  /** Removes the subscription and its undelivered events. False if it did not exist. */
  removeSubscription(id: string): Promise<boolean>;
  /**
   * Claims up to `limit` due deliveries for `leaseMs` (another relay skips them meanwhile) and
   * counts the attempt. An unfinished claim (crash) becomes due again when its lease ends.
   */
  claimDue(now: number, limit: number, leaseMs: number, skipTargets?: readonly string[]): Promise<Delivery[]>;
  complete(deliveryId: string): Promise<void>;
  /** Puts a claimed delivery back, due at `at`, without counting the attempt (its target was throttled). */
  defer(deliveryId: string, at: number): Promise<void>;
  retryAt(deliveryId: string, at: number, error: string): Promise<void>;
  /** Gives up on a delivery (attempts exhausted); kept, marked dead, for inspection. */
  bury(deliveryId: string, error: string, at?: number): Promise<void>;
  /** When the next pending delivery is due (epoch ms), or undefined if none. */
  nextDueAt(): Promise<number | undefined>;
  /**
   * Stops routing events to a subscription (one of its deliveries was given up) and drops its
   * pending deliveries; false if it did not exist or was already disabled.
   */
  disableSubscription(id: string, at: number, reason: string): Promise<boolean>;
  /** Active (not disabled) subscriptions of a location, for the per-location limit. */
  countSubscriptions(locationId: string): Promise<number>;
  /**
   * Forgets what is older than each cut-off: delivered events (bodies that old are refused by their
   * timestamp), dead deliveries, remembered tags, disabled subscriptions.
   */
  prune(cutoffs: PruneCutoffs): Promise<PruneCounts>;
  /** Pending deliveries per location (read every few seconds, not per webhook). */
  backlog(): Promise<Backlog>;
  /** Every count (admin `/healthz`, tests): counts whole tables, so not for a hot path. */
  stats(): Promise<StoreStats>;
  /** The operator console's and the metrics' view (relay/admin-store.ts). */
  admin(): AdminStore;
  close(): Promise<void>;
}

/** Thrown by a store that refuses to take more (the relay then answers GHL 429 so that it retries). */
export class StoreFullError extends Error {}
