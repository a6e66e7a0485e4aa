import { createHmac, timingSafeEqual } from 'node:crypto';
import type { RelayConfig } from '../config.js';
import { HttpFailure, Refusal, type Headers } from '../http.js';
import type { BodyVerifier, ParseResult, WebhookSource } from './source.js';

/**
 * Ecwid's webhooks (docs/ecwid-instant.md): one URL per app, set by Ecwid on the app owner's
 * request. Body `{eventId, eventCreated (UNIX s), storeId, entityId, eventType, data}`.
 *
 * `X-Ecwid-Webhook-Signature` = Base64(HMAC-SHA256(key = the app's client secret,
 * message = "{eventCreated}.{eventId}")) — https://api-docs.ecwid.com/reference/authenticate-webhooks-with-signature.
 * Only the event id and time are signed, not `storeId`, `entityId`, `eventType` or `data`: the
 * relay routes by them (an altered copy of a delivered event is a duplicate of it), and the app's
 * instant triggers trust only the event id and time: they re-read the customer with the
 * connection's own token (ecwid/src/resources/instantCustomers.ts).
 *
 * Ecwid retries an unanswered webhook for up to 24 h (docs.ecwid.com "How to process webhooks");
 * the shared age window (RELAY_MAX_AGE_SECONDS, 7 days) and id memory cover that, measured from
 * the signed `eventCreated`.
 */

export const ECWID_EVENTS = ['customer.created', 'customer.updated', 'customer.deleted'] as const;

/** The signature Ecwid sends for an event (also used by the Ecwid sandbox and the tests). */
export const ecwidSignature = (clientSecret: string, eventCreated: number | string, eventId: string): string =>
  createHmac('sha256', clientSecret).update(`${eventCreated}.${eventId}`).digest('base64');

const STORE_ID = /^\d{1,20}$/;
const EVENT_ID = /^[A-Za-z0-9_-]{1,100}$/;
/** Routing keys of Ecwid stores; GHL location ids never contain a colon. */
const KEY_PREFIX = 'ecwid:';

const header = (headers: Headers, name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};

const object = (raw: Buffer): Record<string, unknown> => {
  try {
    const v: unknown = JSON.parse(raw.toString('utf8'));
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new Refusal(400, 'bad_json', 'Body must be a JSON object');
};

const digits = (v: unknown): string => (typeof v === 'number' || typeof v === 'string' ? String(v) : '');

export const ecwidSource = (cfg: Pick<RelayConfig, 'ecwidClientSecret' | 'ecwidApiBaseUrl'>): WebhookSource => ({
  name: 'ecwid',
  subscribableEvents: ECWID_EVENTS,
  tokenName: 'Ecwid',

  /** The signature covers `eventCreated` and `eventId` only, so they are read from the body at `finish`. */
  startVerify(headers: Headers): BodyVerifier {
    const given = header(headers, 'x-ecwid-webhook-signature')?.trim();
    if (!given) throw new Refusal(401, 'bad_signature', 'No X-Ecwid-Webhook-Signature header');
    return {
      update: () => undefined,
      finish: (raw) => {
        const body = object(raw);
        const { eventId, eventCreated } = body;
        if (typeof eventId !== 'string' || !EVENT_ID.test(eventId) || typeof eventCreated !== 'number' || !Number.isInteger(eventCreated)) {
          throw new Refusal(401, 'bad_signature', 'No "eventId" and "eventCreated" to check X-Ecwid-Webhook-Signature against');
        }
        const expected = Buffer.from(ecwidSignature(cfg.ecwidClientSecret ?? '', eventCreated, eventId), 'base64');
        const actual = Buffer.from(given, 'base64');
        if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
          throw new Refusal(401, 'bad_signature', 'X-Ecwid-Webhook-Signature does not match eventCreated.eventId');
        }
      },
    };
  },

  parse(_raw: Buffer, body: Record<string, unknown>): ParseResult {
    const storeId = digits(body.storeId);
    if (!STORE_ID.test(storeId)) throw new Refusal(400, 'bad_event', 'Webhook has no valid "storeId"');
    if (typeof body.eventType !== 'string' || !body.eventType) throw new Refusal(400, 'no_type', 'Webhook has no "eventType"');
    if (!digits(body.entityId)) throw new Refusal(400, 'bad_event', 'Webhook has no "entityId"');
    return {
      event: {
        id: `ecwid:${String(body.eventId)}`,
        type: body.eventType,
        locationId: `${KEY_PREFIX}${storeId}`,
        at: (body.eventCreated as number) * 1000,
        record: {},
      },
    };
  },

  subscriptionKey(body: Record<string, unknown>): string {
    const storeId = digits(body.storeId);
    if (!STORE_ID.test(storeId)) throw new HttpFailure(400, '"storeId" must be an Ecwid store id (digits)');
    return `${KEY_PREFIX}${storeId}`;
  },

  ownsKey: (key: string) => key.startsWith(KEY_PREFIX),

  describeKey: (key: string) => ({ source: 'ecwid', storeId: key.slice(KEY_PREFIX.length) }),

  /** One `GET /{storeId}/profile` with the subscriber's token; its `generalInfo.storeId` must be the store. */
  async checkAccess(token: string, key: string): Promise<{ companyId?: string }> {
    const storeId = key.slice(KEY_PREFIX.length);
    let res: Response;
    try {
      res = await fetch(`${cfg.ecwidApiBaseUrl}/${encodeURIComponent(storeId)}/profile`, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(10_000),
      });
    } catch (e) {
      throw new HttpFailure(502, `Could not reach Ecwid to check the token: ${(e as Error).message}`);
    }
    const body = (await res.json().catch(() => ({}))) as { generalInfo?: { storeId?: unknown } };
    // Ecwid answers 403 for a wrong, revoked or other store's token (REST API error codes).
    if ([401, 402, 403, 404].includes(res.status)) throw new HttpFailure(403, `The Ecwid token has no access to store ${storeId}`);
    if (!res.ok) throw new HttpFailure(502, `Ecwid answered ${res.status} while checking the token; try again`);
    if (digits(body.generalInfo?.storeId) !== storeId) throw new HttpFailure(403, `The Ecwid token has no access to store ${storeId}`);
    return {};
  },
});
