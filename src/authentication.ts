import type { Authentication, Bundle, HttpResponse, ZObject } from 'zapier-platform-core';
import { OAUTH_SCOPES, apiBaseUrl, authBaseUrl, requestTimeoutMs } from './config.js';
import { ghlMessage } from './http/errors.js';
import { ghl, isTransportError, path } from './http/ghl.js';
import type { LocationResponse, TokenResponse } from './ghl/types.js';

/**
 * OAuth2 against a GHL marketplace app (docs/ghl-api.md §3). The user picks one sub-account
 * (location) on GHL's chooselocation page; the token is bound to that location, and every
 * operation reads `locationId` from authData. Refresh tokens rotate: each refresh returns a new
 * one and the old one stops working, so both tokens are always returned to Zapier.
 */

export const authorizeUrl = async (_z: ZObject, bundle: Bundle): Promise<string> => {
  const url = new URL(`${authBaseUrl()}/v2/oauth/chooselocation`);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', process.env.CLIENT_ID ?? '');
  url.searchParams.set('redirect_uri', String(bundle.inputData.redirect_uri ?? ''));
  url.searchParams.set('scope', OAUTH_SCOPES.join(' '));
  url.searchParams.set('state', String(bundle.inputData.state ?? ''));
  // GHL's page takes `+` as a space in the scope list; URLSearchParams writes spaces as `+`.
  return url.toString();
};

const missingCredentials = (z: ZObject): Error =>
  new z.errors.Error(
    'CLIENT_ID and CLIENT_SECRET are not set for this integration. Set them with `zapier-platform env:set` (or in .env for local runs).',
    'missing_client_credentials',
    500,
  );

/** What Zapier stores in bundle.authData. Never log it: it holds the tokens. */
export interface GhlAuthData {
  access_token: string;
  refresh_token: string;
  expires_in?: number;
  locationId: string;
  companyId: string;
  userId: string;
  userType: string;
  scope: string;
  /** IANA timezone of the sub-account ('' if unknown): contact appointment times come without a zone. */
  locationTimezone?: string;
}

const hostOf = (url: string | null | undefined): string => {
  try {
    return url ? new URL(url).host : 'an unknown host';
  } catch {
    return 'an unknown host';
  }
};

const postToken = async (
  z: ZObject,
  form: Record<string, string>,
  purpose: 'connect' | 'refresh',
  /**
   * On a refresh: the connection as saved. A refresh answer may carry only the tokens; GHL's SDK
   * keeps the stored session under it (GoHighLevel/highlevel-api-sdk lib/HighLevel.ts,
   * refreshTokenIfNeeded: `{ ...sessionData, ...newTokenData }`).
   */
  saved: Partial<GhlAuthData> = {},
): Promise<GhlAuthData> => {
  const clientId = process.env.CLIENT_ID;
  const clientSecret = process.env.CLIENT_SECRET;
  if (!clientId || !clientSecret) throw missingCredentials(z);
  let response: HttpResponse<TokenResponse>;
  try {
    response = await z.request({
      url: `${apiBaseUrl()}/oauth/token`,
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({ client_id: clientId, client_secret: clientSecret, ...form }).toString(),
      timeout: requestTimeoutMs(),
      skipThrowForStatus: true,
      // Never followed: a 307/308 would re-send client_secret and the code or refresh token to
      // the host it names, and that host's answer would be stored as the connection's tokens.
      redirect: 'manual',
    });
  } catch (error) {
    if (!isTransportError(error)) throw error;
    // No answer: the refresh token was most likely not used, so the connection is still good.
    throw new z.errors.Error(
      `Could not reach GHL's sign-in service (${String((error as Error).message)
        .split('\n')[0]!
        .replace(/https?:\/\/\S+/g, '<GHL>')}). This is usually temporary; retrying the step may help.`,
      'ghl_unreachable',
      502,
    );
  }
  if (response.status >= 300 && response.status < 400) {
    throw new z.errors.Error(
      `GHL's sign-in service (${hostOf(apiBaseUrl())}) answered the ${purpose === 'refresh' ? 'token refresh' : 'code exchange'} with a redirect (HTTP ${response.status}) to ${hostOf(response.getHeader('location'))}. The app does not follow redirects on token requests, so the client secret and the ${purpose === 'refresh' ? 'refresh token' : 'code'} were not sent there and nothing was stored. Check GHL_API_BASE_URL; the connection itself is unchanged.`,
      'oauth_token_redirect',
      502,
    );
  }
  if (response.status >= 500) {
    throw new z.errors.Error(
      `GHL's sign-in service failed (HTTP ${response.status}${ghlMessage(response.data) ? `: ${ghlMessage(response.data)}` : ''}). The connection itself is fine; this is usually temporary and retrying the step may help.`,
      'ghl_server_error',
      response.status,
    );
  }
  if (response.status >= 400) {
    const says = ghlMessage(response.data) ?? `HTTP ${response.status}`;
    if (purpose === 'refresh') {
      // A rotated (already used) or revoked refresh token can never work again: ask for a reconnect
      // instead of letting Zapier refresh in a loop.
      throw new z.errors.ExpiredAuthError(`GHL refused to renew the connection (${says}). Please reconnect your GHL account.`);
    }
    throw new z.errors.Error(`GHL refused the sign-in (${says}).`, 'oauth_token_error', response.status);
  }
  const token = response.data;
  if (!token || typeof token.access_token !== 'string' || typeof token.refresh_token !== 'string') {
    throw new z.errors.Error('GHL answered the token request without tokens; please try connecting again.', 'oauth_token_error', 502);
  }
  // A refresh answer may leave out the location and user details: the connection keeps its own.
  const locationId = token.locationId ?? saved.locationId;
  const userType = token.userType ?? saved.userType;
  if (userType === 'Company' || !locationId) {
    throw new z.errors.Error(
      'This connection was made for an agency (Company) account, but contacts live in sub-accounts. Reconnect and choose a sub-account (location) on the GHL page.',
      'company_token_refused',
      400,
    );
  }
  return {
    access_token: token.access_token,
    refresh_token: token.refresh_token,
    expires_in: token.expires_in,
    locationId,
    companyId: token.companyId ?? saved.companyId ?? '',
    userId: token.userId ?? saved.userId ?? '',
    userType: userType ?? 'Location',
    scope: token.scope ?? saved.scope ?? '',
  };
};

/**
 * The sub-account's timezone, read once at connection time with the new token: GHL sends contact
 * appointment times without a zone, in the sub-account's local time. Best effort: if the read fails
 * the connection still succeeds and those times are read as UTC.
 */
const locationTimezone = async (z: ZObject, token: GhlAuthData): Promise<string> => {
  try {
    const res = await z.request({
      url: `${apiBaseUrl()}/locations/${encodeURIComponent(token.locationId)}`,
      headers: { Authorization: `Bearer ${token.access_token}` },
      timeout: requestTimeoutMs(),
      skipThrowForStatus: true,
      // It carries the new token: a redirect is not followed (the read then counts as failed).
      redirect: 'manual',
    });
    const tz = (res.data as LocationResponse | undefined)?.location?.timezone;
    return res.status < 300 && typeof tz === 'string' ? tz : '';
  } catch {
    return '';
  }
};

export const getAccessToken = async (z: ZObject, bundle: Bundle): Promise<GhlAuthData> => {
  const token = await postToken(
    z,
    {
      grant_type: 'authorization_code',
      code: String(bundle.inputData.code ?? ''),
      user_type: 'Location',
      redirect_uri: String(bundle.inputData.redirect_uri ?? ''),
    },
    'connect',
  );
  return { ...token, locationTimezone: await locationTimezone(z, token) };
};

export const refreshAccessToken = async (z: ZObject, bundle: Bundle): Promise<GhlAuthData> => {
  const token = await postToken(
    z,
    { grant_type: 'refresh_token', refresh_token: bundle.authData.refresh_token ?? '', user_type: 'Location' },
    'refresh',
    bundle.authData as Partial<GhlAuthData>,
  );
  // Kept as it was saved at connection time (a refresh does not change the sub-account).
  return { ...token, locationTimezone: bundle.authData.locationTimezone ?? '' };
};

/** One cheap call that proves the token works for its location; its answer feeds the connection label. */
export const testAuth = async (z: ZObject, bundle: Bundle): Promise<{ id: string; name: string }> => {
  const locationId = bundle.authData.locationId;
  if (!locationId) {
    throw new z.errors.Error(
      'This connection has no sub-account. Reconnect and choose a sub-account (location).',
      'company_token_refused',
      400,
    );
  }
  const response = await ghl(z, bundle).get<LocationResponse>(path`/locations/${locationId}`);
  const location = response.data.location;
  return { id: location?.id ?? locationId, name: location?.name ?? '' };
};

/** The location's name, as Zapier's publishing rules ask (no tokens, no long ids). */
export const connectionLabel = async (_z: ZObject, bundle: Bundle): Promise<string> => {
  const name = String((bundle.inputData as { name?: unknown }).name ?? '').trim();
  return name || 'GHL sub-account';
};

export default {
  type: 'oauth2',
  test: testAuth,
  connectionLabel,
  fields: [
    { key: 'locationId', type: 'string', required: false, computed: true },
    { key: 'userType', type: 'string', required: false, computed: true },
  ],
  oauth2Config: {
    authorizeUrl,
    getAccessToken,
    refreshAccessToken,
    scope: OAUTH_SCOPES.join(' '),
    // The afterResponse middleware asks for the refresh itself (RefreshAuthError on a 401), so that
    // GHL's 401 for a missing scope, which no refresh fixes, is reported instead (src/http/middleware.ts).
    autoRefresh: false,
  },
} satisfies Authentication;
