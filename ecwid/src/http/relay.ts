import type { Bundle, HttpResponse, ZObject } from 'zapier-platform-core';
import { RECONNECT } from './errors.js';

/**
 * The client of our webhook relay (relay/README.md, docs/ecwid-instant.md) for the Ecwid app's
 * instant triggers. Ecwid sends webhooks to one URL per app, not per Zap, so the triggers
 * subscribe at the relay: it checks the connection's Ecwid token with one `GET /{storeId}/profile`
 * (and keeps no copy) and forwards that store's events to Zapier's `targetUrl`.
 * `RELAY_URL` is set per app version (`zapier-platform env:set 1.0.0 RELAY_URL=https://…`).
 */

export const relayUrl = (z: ZObject): string => {
  const url = (process.env.RELAY_URL ?? '').trim().replace(/\/+$/, '');
  if (!/^https?:\/\//.test(url)) {
    throw new z.errors.Error(
      'Instant triggers need the webhook relay, and this app has no RELAY_URL set. Use the polling trigger of the same name (it needs no setup), or ask the app owner to deploy the relay.',
      'relay_not_configured',
      500,
    );
  }
  return url;
};

const relayMessage = (res: HttpResponse): string => {
  const data = (res.data ?? {}) as { error?: unknown };
  return typeof data.error === 'string' ? data.error : `HTTP ${res.status}`;
};

const relayError = (z: ZObject, res: HttpResponse, doing: string): Error => {
  // Ecwid tokens do not expire and cannot be refreshed: a refused token means reconnecting.
  if (res.status === 401 || res.status === 403) return new z.errors.ExpiredAuthError(`${relayMessage(res)}. ${RECONNECT}`);
  if (res.status >= 400 && res.status < 500)
    return new z.errors.Error(`The webhook relay refused ${doing}: ${relayMessage(res)}`, 'relay_refused', res.status);
  return new z.errors.Error(
    `The webhook relay is unavailable (${relayMessage(res)}) while ${doing}; turn the Zap on again in a few minutes.`,
    'relay_unavailable',
    res.status || 502,
  );
};

/** `RELAY_SUBSCRIBE_SECRET` (set with `zapier-platform env:set`, the same value as the relay's) proves the call comes from this app. */
const secretHeader = (): Record<string, string> => {
  const secret = process.env.RELAY_SUBSCRIBE_SECRET;
  return secret ? { 'X-Relay-Subscribe-Secret': secret } : {};
};

const bearer = (bundle: Bundle) => ({ Authorization: `Bearer ${String(bundle.authData?.access_token ?? '')}` });

export const subscribeToRelay = async (z: ZObject, bundle: Bundle, event: string): Promise<Record<string, unknown>> => {
  const res = await z.request({
    method: 'POST',
    url: `${relayUrl(z)}/subscriptions`,
    headers: { ...bearer(bundle), ...secretHeader(), 'Content-Type': 'application/json', Accept: 'application/json' },
    body: { source: 'ecwid', storeId: String(bundle.authData?.store_id ?? ''), event, targetUrl: bundle.targetUrl },
    skipThrowForStatus: true,
  });
  if (res.status !== 201) throw relayError(z, res, `subscribing to ${event}`);
  return res.data as Record<string, unknown>;
};

export const unsubscribeFromRelay = async (z: ZObject, bundle: Bundle): Promise<Record<string, unknown>> => {
  const id = (bundle.subscribeData as { id?: unknown } | undefined)?.id;
  if (typeof id !== 'string' || !id) return { removed: false };
  const res = await z.request({
    method: 'DELETE',
    url: `${relayUrl(z)}/subscriptions/${encodeURIComponent(id)}`,
    headers: { ...bearer(bundle), ...secretHeader(), Accept: 'application/json' },
    skipThrowForStatus: true,
  });
  // 404: already gone (e.g. removed after Zapier answered 410).
  if (res.status === 200 || res.status === 404) return { id, removed: res.status === 200 };
  throw relayError(z, res, 'unsubscribing');
};
