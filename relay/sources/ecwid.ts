import { createHmac, timingSafeEqual } from 'node:crypto';
import { header, type Headers } from '../http.js';
import { SourceRefusal, type SourceEvent, type WebhookSource } from './source.js';

/**
 * Ecwid's webhooks (docs/ecwid-instant.md): one URL per app, set by Ecwid on the app owner's
 * request. Body `{eventId, eventCreated (UNIX s), storeId, entityId, eventType, data}`.
 *
 * `X-Ecwid-Webhook-Signature` = Base64(HMAC-SHA256(key = the app's client secret,
 * message = "{eventCreated}.{eventId}")) — https://api-docs.ecwid.com/reference/authenticate-webhooks-with-signature.
 * Only the event id and time are signed, not `storeId`, `entityId`, `eventType` or `data`: the
 * relay routes by them, but the app's instant triggers trust only the event id and re-read the
 * customer with the connection's own token (ecwid/src/resources/instantCustomers.ts).
 *
 * Ecwid retries an unanswered webhook for up to 24 h (docs.ecwid.com "How to process webhooks"),
 * so event ids are remembered for `maxAgeMs` (26 h) and an event whose signed `eventCreated` is
 * older than that is refused as a replay.
 */

export const ECWID_EVENTS = ['customer.created', 'customer.updated', 'customer.deleted'] as const;

export interface EcwidSourceConfig {
  /** The Ecwid app's client secret (`RELAY_ECWID_CLIENT_SECRET`); unset = `/webhooks/ecwid` is off. */
  clientSecret?: string;
  /** Where a subscriber's Ecwid token is checked (`GET {apiBaseUrl}/{storeId}/profile`). */
  apiBaseUrl: string;
  /** Events older than this (by their signed `eventCreated`) are refused; ids are kept as long. */
  maxAgeMs: number;
  /** Events dated further than this in the future are refused (clock skew allowance). */
  maxFutureMs: number;
}

type Env = Record<string, string | undefined>;

export const loadEcwidConfig = (env: Env): EcwidSourceConfig => {
  const hours = Number(env.RELAY_ECWID_MAX_AGE_HOURS || 26);
  if (!Number.isFinite(hours) || hours <= 0)
    throw new Error(`RELAY_ECWID_MAX_AGE_HOURS must be a positive number, got "${env.RELAY_ECWID_MAX_AGE_HOURS}"`);
  return {
    clientSecret: env.RELAY_ECWID_CLIENT_SECRET || undefined,
    apiBaseUrl: (env.RELAY_ECWID_API_BASE_URL || 'https://app.ecwid.com/api/v3').replace(/\/+$/, ''),
    maxAgeMs: hours * 3_600_000,
    maxFutureMs: 5 * 60_000,
  };
};

/** The signature Ecwid sends for an event (also used by the Ecwid sandbox and the tests). */
export const ecwidSignature = (clientSecret: string, eventCreated: number | string, eventId: string): string =>
  createHmac('sha256', clientSecret).update(`${eventCreated}.${eventId}`).digest('base64');

const STORE_ID = /^\d{1,20}$/;
const EVENT_ID = /^[A-Za-z0-9_-]{1,100}$/;
const SCOPE_PREFIX = 'ecwid:';

const refuse = (status: number, reason: string, message: string) => new SourceRefusal(status, reason, message);

export const ecwidSource = (cfg: EcwidSourceConfig, fetchImpl: typeof fetch = fetch): WebhookSource => ({
  name: 'ecwid',
  events: ECWID_EVENTS,
  tokenOf: 'Ecwid',
  dedupeHorizonMs: cfg.maxAgeMs,

  accept(raw: Buffer, headers: Headers, _query: URLSearchParams, now: number): SourceEvent {
    if (!cfg.clientSecret)
      throw refuse(404, 'not_configured', 'Ecwid webhooks are not configured on this relay (RELAY_ECWID_CLIENT_SECRET)');
    let body: Record<string, unknown>;
    try {
      const v: unknown = JSON.parse(raw.toString('utf8'));
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
      body = v as Record<string, unknown>;
    } catch {
      throw refuse(400, 'malformed', 'Body is not a JSON object');
    }
    const { eventId, eventCreated, storeId, entityId, eventType } = body;
    if (typeof eventId !== 'string' || !EVENT_ID.test(eventId)) throw refuse(400, 'malformed', 'Webhook has no valid "eventId"');
    if (typeof eventCreated !== 'number' || !Number.isInteger(eventCreated))
      throw refuse(400, 'malformed', 'Webhook has no valid "eventCreated"');
    const given = header(headers, 'x-ecwid-webhook-signature')?.trim();
    if (!given) throw refuse(401, 'bad_signature', 'No X-Ecwid-Webhook-Signature header');
    const expected = Buffer.from(ecwidSignature(cfg.clientSecret, eventCreated, eventId), 'base64');
    const actual = Buffer.from(given, 'base64');
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
      throw refuse(401, 'bad_signature', 'X-Ecwid-Webhook-Signature does not match eventCreated.eventId');
    }
    // Signed from here on: the time and the id. A replay of an old delivery is refused by its time.
    const at = eventCreated * 1000;
    if (now - at > cfg.maxAgeMs || at - now > cfg.maxFutureMs) {
      throw refuse(400, 'stale', `Webhook eventCreated ${eventCreated} is outside the accepted window (replayed or clock skew)`);
    }
    const store = typeof storeId === 'number' || typeof storeId === 'string' ? String(storeId) : '';
    if (!STORE_ID.test(store)) throw refuse(400, 'malformed', 'Webhook has no valid "storeId"');
    if (typeof eventType !== 'string' || !eventType) throw refuse(400, 'malformed', 'Webhook has no "eventType"');
    if (!(typeof entityId === 'number' || typeof entityId === 'string')) throw refuse(400, 'malformed', 'Webhook has no "entityId"');
    return { id: `ecwid:${eventId}`, type: eventType, scope: `${SCOPE_PREFIX}${store}`, body: raw.toString('utf8') };
  },

  scopeOf(body: Record<string, unknown>): string {
    const storeId = typeof body.storeId === 'number' || typeof body.storeId === 'string' ? String(body.storeId) : '';
    if (!STORE_ID.test(storeId)) throw refuse(400, 'bad_subscription', '"storeId" must be an Ecwid store id (digits)');
    return `${SCOPE_PREFIX}${storeId}`;
  },

  describeScope: (scope: string) => ({ storeId: scope.slice(SCOPE_PREFIX.length) }),

  /** One `GET /{storeId}/profile` with the subscriber's token; its `generalInfo.storeId` must be the store. */
  async checkAccess(token: string, scope: string): Promise<void> {
    const storeId = scope.slice(SCOPE_PREFIX.length);
    let res: Response;
    try {
      res = await fetchImpl(`${cfg.apiBaseUrl}/${encodeURIComponent(storeId)}/profile`, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(10_000),
      });
    } catch (e) {
      throw refuse(502, 'source_unreachable', `Could not reach Ecwid to check the token: ${(e as Error).message}`);
    }
    const body = (await res.json().catch(() => ({}))) as { generalInfo?: { storeId?: unknown } };
    // Ecwid answers 403 for a wrong, revoked or other store's token (docs: REST API error codes).
    if (res.status === 401 || res.status === 403 || res.status === 404 || res.status === 402) {
      throw refuse(403, 'forbidden', `The Ecwid token has no access to store ${storeId}`);
    }
    if (!res.ok) throw refuse(502, 'source_error', `Ecwid answered ${res.status} while checking the token; try again`);
    if (String(body.generalInfo?.storeId ?? '') !== storeId)
      throw refuse(403, 'forbidden', `The Ecwid token has no access to store ${storeId}`);
  },
});
