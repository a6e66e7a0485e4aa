import { createHash } from 'node:crypto';
import { SUBSCRIBABLE_EVENTS, type RelayConfig } from '../config.js';
import { HttpFailure, Refusal, type Headers } from '../http.js';
import { startSignatureCheck } from '../signature.js';
import { contactTagsUpdate } from '../tags.js';
import type { BodyVerifier, ParseResult, WebhookSource } from './source.js';

/**
 * GHL's marketplace-app webhooks (docs/ghl-webhooks.md): signed with `x-ghl-signature` (Ed25519;
 * legacy `x-wh-signature`), `type`, `locationId` (`companyId` on agency-level events), `appId`,
 * `timestamp` (ISO, when GHL created the delivery: re-sends keep it) and `webhookId` (kept too).
 */

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

export const ghlSource = (cfg: RelayConfig): WebhookSource => ({
  name: 'ghl',
  subscribableEvents: SUBSCRIBABLE_EVENTS,

  startVerify(headers: Headers): BodyVerifier {
    const refuse = (reason: string) => new Refusal(401, 'bad_signature', `Signature check failed: ${reason}`);
    const check = startSignatureCheck(headers, cfg.keys);
    if (!check.ok) throw refuse(check.reason);
    return {
      update: (chunk) => check.update(chunk),
      finish: (raw) => {
        const sig = check.finish(raw);
        if (!sig.ok) throw refuse(sig.reason);
      },
    };
  },

  parse(raw: Buffer, body: Record<string, unknown>, now: number): ParseResult {
    const type = str(body.type);
    if (!type) throw new Refusal(400, 'no_type', 'Webhook has no "type"');
    const locationId = str(body.locationId) ?? '';
    const appId = str(body.appId);
    // One GHL key signs every marketplace app's webhooks: another app's are not ours to forward
    // (nor its UNINSTALL ours to obey). A body without appId (none seen from GHL) is taken.
    if (appId && cfg.ghlAppIds.length && !cfg.ghlAppIds.includes(appId)) {
      return { ignore: 'other_app', type, locationId, why: `appId ${appId} is not this app's` };
    }
    const ts = body.timestamp;
    let at = now;
    if (ts !== undefined || cfg.requireTimestamp) {
      at = typeof ts === 'string' || typeof ts === 'number' ? new Date(ts).getTime() : NaN;
      if (!Number.isFinite(at)) throw new Refusal(400, 'no_timestamp', 'Webhook has no valid "timestamp"');
    }
    const webhookId = str(body.webhookId);
    const id = webhookId ? `wh:${webhookId}` : `sha256:${createHash('sha256').update(raw).digest('hex')}`;
    const companyId = str(body.companyId);
    const uninstall = type === 'UNINSTALL';
    return {
      event: {
        id,
        type,
        locationId,
        at,
        record: {
          // A location-level UNINSTALL names the location; an agency-level one only the company.
          removeLocation: uninstall && !!locationId,
          removeCompany: uninstall && !locationId ? companyId : undefined,
          contact: contactTagsUpdate(body, at),
        },
      },
    };
  },

  /** Asks GHL whether the token may read the location; the token is used for this call only. */
  async checkAccess(token: string, locationId: string): Promise<{ companyId?: string }> {
    let res: Response;
    try {
      res = await fetch(`${cfg.ghlApiBaseUrl}/locations/${encodeURIComponent(locationId)}`, {
        headers: { authorization: `Bearer ${token}`, version: '2021-07-28', accept: 'application/json' },
        signal: AbortSignal.timeout(10_000),
      });
    } catch (e) {
      throw new HttpFailure(502, `Could not reach GHL to check the token: ${(e as Error).message}`);
    }
    const body = (await res.json().catch(() => ({}))) as {
      location?: { id?: string; companyId?: string };
      id?: string;
      companyId?: string;
    };
    if (res.status === 401) throw new HttpFailure(401, 'GHL rejected the access token (expired or revoked); reconnect the GHL account');
    if (res.status === 403 || res.status === 400 || res.status === 404 || res.status === 422) {
      throw new HttpFailure(403, `The GHL token has no access to location ${locationId}`);
    }
    if (!res.ok) throw new HttpFailure(502, `GHL answered ${res.status} while checking the token; try again`);
    const id = body.location?.id ?? body.id;
    if (id !== locationId) throw new HttpFailure(403, `The GHL token has no access to location ${locationId}`);
    return { companyId: str(body.location?.companyId ?? body.companyId) };
  },
});
