import type { Authentication, Bundle, HttpResponse, ZObject } from 'zapier-platform-core';
import { OAUTH_SCOPES, clientId, clientSecret, oauthBaseUrl, optionalScopes, requestTimeoutMs } from './config.js';
import type { EcwidProfile, EcwidTokenResponse } from './ecwid-types.js';
import { ecwid, isTransportError, path } from './http/ecwid.js';
import { ecwidMessage } from './http/errors.js';

/**
 * OAuth2 code flow with Ecwid (docs/ecwid-app.md "Connecting"): authorize at
 * my.ecwid.com/api/oauth/authorize; Ecwid redirects back with `code` and, since 2025-09-19,
 * `store_id`; the code is exchanged at `POST …/api/oauth/token/{store_id}` (the old `…/token`
 * path is retired). Zapier hands the redirect's query parameters to getAccessToken in
 * `bundle.inputData`. The answer carries `access_token`, `scope` and `store_id`. Ecwid tokens do
 * not expire and there is no refresh grant, so the app declares no refresh: a token Ecwid stops
 * accepting (app uninstalled, access revoked) ends in "reconnect" (src/http/errors.ts).
 */

export const authorizeUrl = async (_z: ZObject, bundle: Bundle): Promise<string> => {
  const url = new URL(`${oauthBaseUrl()}/authorize`);
  url.searchParams.set('client_id', clientId() ?? '');
  url.searchParams.set('redirect_uri', String(bundle.inputData.redirect_uri ?? ''));
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', [...OAUTH_SCOPES, ...optionalScopes()].join(' '));
  url.searchParams.set('state', String(bundle.inputData.state ?? ''));
  return url.toString();
};

/** What Zapier stores in bundle.authData. Never log it: it holds the token. */
export interface EcwidAuthData {
  access_token: string;
  store_id: string;
  scope: string;
}

const tokenError = (response: HttpResponse): string => {
  const data = response.data as { error?: unknown; error_description?: unknown } | undefined;
  const parts = [data?.error_description, data?.error, ecwidMessage(data)].filter((p): p is string => typeof p === 'string' && p !== '');
  return parts[0] ?? `HTTP ${response.status}`;
};

/** Ecwid store ids are positive integers (e.g. 1003, 121843055). */
const STORE_ID = /^[1-9][0-9]{0,17}$/;

/**
 * The `store_id` of Ecwid's redirect. Zapier puts the redirect's query parameters into
 * `bundle.inputData` (zapier-platform-core types/functions.d.ts, OAuth2GetAccessToken); the CLI's
 * own templates read extra ones from `bundle.cleanedRequest.querystring`, so that is the fallback.
 */
export const redirectStoreId = (bundle: Bundle): string | undefined => {
  const query = (bundle as { cleanedRequest?: { querystring?: Record<string, unknown> } }).cleanedRequest?.querystring;
  const raw = bundle.inputData?.store_id ?? query?.store_id;
  const value = typeof raw === 'number' || typeof raw === 'string' ? String(raw).trim() : '';
  return value === '' ? undefined : value;
};

const hostOf = (url: string | null | undefined): string => {
  try {
    return url ? new URL(url).host : 'an unknown host';
  } catch {
    return 'an unknown host';
  }
};

export const getAccessToken = async (z: ZObject, bundle: Bundle): Promise<EcwidAuthData> => {
  const id = clientId();
  const secret = clientSecret();
  const redirected = redirectStoreId(bundle);
  if (redirected === undefined) {
    throw new z.errors.Error(
      "Ecwid's redirect back to Zapier carried no store_id. Ecwid has required it since September 2025 to exchange the sign-in code (at …/api/oauth/token/{store_id}; the old …/api/oauth/token is retired), so the code was not sent anywhere. Try connecting again; if this repeats, the Ecwid app's redirect URL may not point at Zapier.",
      'oauth_store_id_missing',
      400,
    );
  }
  if (!STORE_ID.test(redirected)) {
    throw new z.errors.Error(
      `Ecwid's redirect back to Zapier carried store_id "${redirected.slice(0, 40)}", which is not an Ecwid store id (digits only). The sign-in code was not sent anywhere; try connecting again.`,
      'oauth_store_id_invalid',
      400,
    );
  }
  if (!id || !secret) {
    throw new z.errors.Error(
      'ECWID_CLIENT_ID and ECWID_CLIENT_SECRET (or CLIENT_ID and CLIENT_SECRET) are not set for this integration. Set them with `zapier-platform env:set` in ecwid/ (or in ecwid/.env for local runs).',
      'missing_client_credentials',
      500,
    );
  }
  let response: HttpResponse<EcwidTokenResponse>;
  try {
    response = await z.request({
      url: `${oauthBaseUrl()}/token/${encodeURIComponent(redirected)}`,
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({
        client_id: id,
        client_secret: secret,
        code: String(bundle.inputData.code ?? ''),
        redirect_uri: String(bundle.inputData.redirect_uri ?? ''),
        grant_type: 'authorization_code',
      }).toString(),
      timeout: requestTimeoutMs(),
      skipThrowForStatus: true,
      // A redirect would re-send client_secret and the code to wherever it points (307/308 keep
      // the body): it is an error, never followed.
      redirect: 'manual',
    });
  } catch (error) {
    if (!isTransportError(error)) throw error;
    throw new z.errors.Error(
      "Could not reach Ecwid's sign-in service. This is usually temporary; try connecting again.",
      'ecwid_unreachable',
      502,
    );
  }
  if (response.status >= 300 && response.status < 400) {
    throw new z.errors.Error(
      `Ecwid's sign-in service (${hostOf(oauthBaseUrl())}) answered the code exchange with a redirect (HTTP ${response.status}) to ${hostOf(response.getHeader('location'))}. The app does not follow redirects on token requests, so the client secret and the code were not sent there. Check ECWID_OAUTH_BASE_URL, then connect again.`,
      'oauth_token_redirect',
      502,
    );
  }
  if (response.status >= 400) {
    throw new z.errors.Error(
      `Ecwid refused the sign-in (${tokenError(response)}). Try connecting again; a code can be used only once and lives a few minutes.`,
      'oauth_token_error',
      response.status >= 500 ? 502 : 400,
    );
  }
  const token = response.data;
  if (!token || typeof token.access_token !== 'string' || token.access_token === '') {
    throw new z.errors.Error('Ecwid answered the sign-in without a token; please try connecting again.', 'oauth_token_error', 502);
  }
  // Ecwid documents `store_id` in the answer; it must be the store the code was exchanged for.
  const storeId = token.store_id === undefined || token.store_id === null ? redirected : String(token.store_id);
  if (storeId !== redirected) {
    throw new z.errors.Error(
      `Ecwid answered the sign-in for store ${storeId}, but the redirect named store ${redirected}; please try connecting again.`,
      'oauth_token_error',
      502,
    );
  }
  const granted = String(token.scope ?? '').split(/[\s,]+/);
  const missing = OAUTH_SCOPES.filter((s) => !granted.includes(s));
  if (missing.length) {
    throw new z.errors.Error(
      `Ecwid granted this connection without ${missing.join(', ')}, which the Ecwid Customers app needs to read customers. Connect again and approve every permission the app asks for.`,
      'oauth_scope_missing',
      400,
    );
  }
  return { access_token: token.access_token, store_id: storeId, scope: String(token.scope ?? '') };
};

/** One cheap call (the store profile) that proves the token works; its answer feeds the connection label. */
export const testAuth = async (z: ZObject, bundle: Bundle): Promise<{ storeId: string; storeName: string }> => {
  let api;
  try {
    api = ecwid(z, bundle);
  } catch {
    throw new z.errors.ExpiredAuthError('This Ecwid connection has no store id. Reconnect Ecwid in Zapier.');
  }
  const profile = await api.get<EcwidProfile>(path`/profile`);
  return { storeId: api.storeId, storeName: String(profile?.settings?.storeName ?? '').trim() };
};

/** The store's name (Zapier's publishing rules: no tokens, no long ids). */
export const connectionLabel = async (_z: ZObject, bundle: Bundle): Promise<string> => {
  const data = bundle.inputData as { storeName?: unknown; storeId?: unknown };
  const name = String(data.storeName ?? '').trim();
  return name || `Ecwid store ${String(data.storeId ?? bundle.authData?.store_id ?? '')}`.trim();
};

export default {
  type: 'oauth2',
  test: testAuth,
  connectionLabel,
  fields: [{ key: 'store_id', type: 'string', required: false, computed: true }],
  oauth2Config: {
    authorizeUrl,
    getAccessToken,
    scope: OAUTH_SCOPES.join(' '),
    autoRefresh: false,
  },
} satisfies Authentication;
