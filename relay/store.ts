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
  claimDue(now: number, limit: number, leaseMs: number): Promise<Delivery[]>;
  complete(deliveryId: string): Promise<void>;
  retryAt(deliveryId: string, at: number, error: string): Promise<void>;
  /** Gives up on a delivery (attempts exhausted); kept, marked dead, for inspection. */
  bury(deliveryId: string, error: string): Promise<void>;
  /** When the next pending delivery is due (epoch ms), or undefined if none. */
  nextDueAt(): Promise<number | undefined>;
  /** Forgets events older than `before` that have nothing left to deliver (bodies that old are refused by their timestamp). */
  prune(before: number): Promise<number>;
  stats(): Promise<StoreStats>;
  /** The operator console's and the metrics' view (relay/admin-store.ts). */
  admin(): AdminStore;
  close(): Promise<void>;
}

/** Thrown by a store that refuses to take more (the relay then answers GHL 429 so that it retries). */
export class StoreFullError extends Error {}
