import type { Authentication, Bundle, HttpResponse, ZObject } from 'zapier-platform-core';
import { OAUTH_SCOPES, clientId, clientSecret, oauthBaseUrl, requestTimeoutMs } from './config.js';
import type { EcwidProfile, EcwidTokenResponse } from './ecwid-types.js';
import { ecwid, isTransportError, path } from './http/ecwid.js';
import { ecwidMessage } from './http/errors.js';

/**
 * OAuth2 code flow with Ecwid (docs.ecwid.com "Get access token"; Ecwid/ecwid-api-docs
 * includes/_authentication.md): authorize at my.ecwid.com/api/oauth/authorize, exchange the code
 * at …/api/oauth/token. The answer carries `access_token`, `scope` and `store_id`. Ecwid tokens do
 * not expire and there is no refresh grant, so the app declares no refresh: a token Ecwid stops
 * accepting (app uninstalled, access revoked) ends in "reconnect" (src/http/errors.ts).
 */

export const authorizeUrl = async (_z: ZObject, bundle: Bundle): Promise<string> => {
  const url = new URL(`${oauthBaseUrl()}/authorize`);
  url.searchParams.set('client_id', clientId() ?? '');
  url.searchParams.set('redirect_uri', String(bundle.inputData.redirect_uri ?? ''));
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', OAUTH_SCOPES.join(' '));
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

export const getAccessToken = async (z: ZObject, bundle: Bundle): Promise<EcwidAuthData> => {
  const id = clientId();
  const secret = clientSecret();
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
      url: `${oauthBaseUrl()}/token`,
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
    });
  } catch (error) {
    if (!isTransportError(error)) throw error;
    throw new z.errors.Error(
      "Could not reach Ecwid's sign-in service. This is usually temporary; try connecting again.",
      'ecwid_unreachable',
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
  const storeId = token?.store_id;
  if (!token || typeof token.access_token !== 'string' || token.access_token === '' || !Number.isInteger(storeId)) {
    throw new z.errors.Error(
      'Ecwid answered the sign-in without a token or store id; please try connecting again.',
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
  return { access_token: token.access_token, store_id: String(storeId), scope: String(token.scope ?? '') };
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
