import type { WebhookOutcome } from '../counters.js';
import type { Headers } from '../http.js';
import type { RecordOptions } from '../store.js';

/**
 * What a webhook sender (GHL; later others) must tell the relay. Everything else — the age window,
 * de-duplication, storing, back-pressure, delivery, counters and log lines — is shared (server.ts).
 */

export interface ParsedWebhook {
  /** De-duplication id, namespaced by source (e.g. `wh:<GHL webhookId>`). */
  id: string;
  type: string;
  /** The routing key subscriptions are made for (GHL: the sub-account's `locationId`). */
  locationId: string;
  /** When the sender created the event (epoch ms): the age window is measured from it. */
  at: number;
  /** What storing it also does (UNINSTALL, remembered tags). */
  record: RecordOptions;
}

export type ParseResult =
  | { event: ParsedWebhook }
  | { ignore: Exclude<WebhookOutcome, 'queued' | 'unrouted' | 'duplicate'>; type: string; locationId: string; why: string };

export interface BodyVerifier {
  update(chunk: Buffer): void;
  finish(raw: Buffer): void;
}

export interface WebhookSource {
  /** `POST /webhooks/<name>`. */
  readonly name: string;
  /**
   * Starts the signature check from the headers alone, before the body is read: throws a Refusal
   * (401) at once when they cannot carry a valid signature. The body's chunks go to `update` as
   * they arrive; `finish` throws a Refusal (401) unless the whole raw body is signed by the sender.
   * Nothing is parsed or stored before `finish` returns.
   */
  startVerify(headers: Headers): BodyVerifier;
  /** Reads a verified body; throws a Refusal (400) for one the relay cannot use. */
  parse(raw: Buffer, body: Record<string, unknown>, now: number): ParseResult;
  /** Event types a subscription may ask for. */
  readonly subscribableEvents: readonly string[];
  /**
   * Proves that `token` may read `locationId` (throws an HttpFailure otherwise) and says which
   * company (GHL agency) it belongs to, so that an agency-level UNINSTALL can find it.
   */
  checkAccess(token: string, locationId: string): Promise<{ companyId?: string }>;
  /** Whose token a subscriber sends (GHL when unset). */
  readonly tokenName?: string;
  /**
   * A source other than GHL: the routing key a subscription body names (e.g. Ecwid's `storeId` →
   * `ecwid:<storeId>`; throws an HttpFailure 400), whether a stored key is this source's, and what
   * a subscription answer shows of the key.
   */
  subscriptionKey?(body: Record<string, unknown>): string;
  ownsKey?(locationId: string): boolean;
  describeKey?(locationId: string): Record<string, unknown>;
}
