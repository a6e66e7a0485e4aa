/**
 * OAuth 2.0 like GHL's marketplace (docs/ghl-api.md §3): chooselocation page, approve → 302 with code,
 * POST /oauth/token (form-encoded) for authorization_code and refresh_token grants with rotation.
 */
import crypto from 'node:crypto';
import type { AccessTokenRecord, AuthCodeRecord, RefreshTokenRecord, TokenGrant, TokenResponse } from './state/records.js';
import { ALL_SCOPES, type SandboxState } from './state/sandbox-state.js';
import { HttpError } from './http/errors.js';

const CODE_TTL_MS = 10 * 60 * 1000;

function randomToken(prefix: string): string {
  return `${prefix}${crypto.randomBytes(24).toString('hex')}`;
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:560px;margin:40px auto;color:#1f2937}
.card{border:1px solid #e5e7eb;border-radius:8px;padding:16px;margin:12px 0}
button{background:#155eef;color:#fff;border:0;border-radius:6px;padding:10px 18px;font-size:15px;cursor:pointer}
.muted{color:#6b7280;font-size:13px}</style></head>
<body><p class="muted">HighLevel Marketplace — local sandbox</p>${body}</body></html>`;
}

export function errorPage(message: string): string {
  return page('Error', `<h1>Something went wrong</h1><p id="error">${esc(message)}</p>`);
}

/** GET /oauth/chooselocation and /v2/oauth/chooselocation */
export function chooseLocationPage(state: SandboxState, q: URLSearchParams): { status: number; html: string } {
  const clientId = q.get('client_id') ?? '';
  const app = state.apps.get(clientId);
  if (!app) return { status: 400, html: errorPage(`No integration found with the ID ${clientId}`) };
  if (q.get('response_type') && q.get('response_type') !== 'code') {
    return { status: 400, html: errorPage('Unsupported response_type; only "code" is supported') };
  }
  const redirectUri = q.get('redirect_uri') ?? '';
  if (!redirectUri) return { status: 400, html: errorPage('redirect_uri is required') };
  const scope = q.get('scope') ?? '';
  const st = q.get('state');
  const userType = q.get('user_type') === 'Company' ? 'Company' : 'Location';
  const loc = state.location;
  const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${esc(value)}">`;
  const scopes = (scope || ALL_SCOPES.join(' ')).split(/[\s+]+/).filter(Boolean);
  const html = page(
    'Choose a sub-account',
    `<h1>Choose a sub-account</h1>
<p><strong>${esc(app.name)}</strong> wants access to:</p>
<ul>${scopes.map((s) => `<li><code>${esc(s)}</code></li>`).join('')}</ul>
<form method="POST" action="/v2/oauth/chooselocation/approve">
${hidden('client_id', clientId)}
${hidden('redirect_uri', redirectUri)}
${hidden('scope', scope)}
${st !== null ? hidden('state', st) : ''}
<div class="card"><label><input type="radio" name="location_id" value="${esc(loc.id)}" checked> ${esc(loc.name)}</label>
<div class="muted">${esc(loc.id)} · ${esc(loc.timezone)}</div></div>
<div class="card"><label><input type="radio" name="user_type" value="Location"${userType === 'Location' ? ' checked' : ''}> Sub-account (Location) install</label><br>
<label><input type="radio" name="user_type" value="Company"${userType === 'Company' ? ' checked' : ''}> Agency (Company) install</label></div>
<button type="submit" id="approve">Approve</button>
</form>`,
  );
  return { status: 200, html };
}

/** POST /v2/oauth/chooselocation/approve (form) → 302 redirect_uri?code=...&state=... */
export function approve(state: SandboxState, form: Record<string, unknown>): { status: number; location?: string; html?: string } {
  const get = (k: string) => (typeof form[k] === 'string' ? (form[k] as string) : undefined);
  const clientId = get('client_id') ?? '';
  if (!state.apps.has(clientId)) return { status: 400, html: errorPage(`No integration found with the ID ${clientId}`) };
  const redirectUri = get('redirect_uri');
  if (!redirectUri) return { status: 400, html: errorPage('redirect_uri is required') };
  const userType = get('user_type') === 'Company' ? 'Company' : 'Location';
  const locationId = get('location_id') ?? state.locationId;
  const loc = state.locations.get(locationId);
  if (!loc) return { status: 400, html: errorPage(`Location ${locationId} not found`) };
  const scopeStr = get('scope') ?? '';
  const scopes = scopeStr ? scopeStr.split(/\s+/).filter(Boolean) : [...ALL_SCOPES];
  const installer = [...state.users.values()].find((u) => u.roles.role === 'admin' && u.roles.locationIds.includes(loc.id));
  const code = randomToken('code_');
  const rec: AuthCodeRecord = {
    code,
    clientId,
    redirectUri,
    userType,
    locationId: userType === 'Location' ? loc.id : undefined,
    companyId: loc.companyId,
    userId: installer?.id ?? state.newId(),
    scopes,
    used: false,
    expiresAt: Date.now() + CODE_TTL_MS,
  };
  state.codes.set(code, rec);
  const st = get('state');
  const sep = redirectUri.includes('?') ? '&' : '?';
  const location = `${redirectUri}${sep}code=${encodeURIComponent(code)}${st !== undefined ? `&state=${encodeURIComponent(st)}` : ''}`;
  return { status: 302, location };
}

export function issueTokenPair(state: SandboxState, grant: TokenGrant, ttlSeconds: number): TokenResponse {
  const access: AccessTokenRecord = {
    ...grant,
    scopes: [...grant.scopes],
    token: randomToken('sbx_at_'),
    expiresAt: Date.now() + ttlSeconds * 1000,
  };
  const refresh: RefreshTokenRecord = { ...grant, scopes: [...grant.scopes], token: randomToken('sbx_rt_'), used: false };
  state.accessTokens.set(access.token, access);
  state.refreshTokens.set(refresh.token, refresh);
  const approvedLocations =
    grant.userType === 'Location'
      ? [grant.locationId ?? '']
      : [...state.locations.values()].filter((l) => l.companyId === grant.companyId).map((l) => l.id);
  const res: TokenResponse = {
    access_token: access.token,
    token_type: 'Bearer',
    expires_in: ttlSeconds,
    refresh_token: refresh.token,
    scope: grant.scopes.join(' '),
    userType: grant.userType,
    companyId: grant.companyId,
    userId: grant.userId,
    approvedLocations,
    planId: 'sandbox-plan',
    isBulkInstallation: false,
  };
  if (grant.userType === 'Location') res.locationId = grant.locationId;
  return res;
}

function invalidGrant(what: string): HttpError {
  const msg = `Invalid grant: ${what} is invalid`;
  return new HttpError(400, { error: 'invalid_grant', error_description: msg, statusCode: 400, message: msg });
}

/** POST /oauth/token — body already validated against GetAccessCodebodyDto. */
export function tokenEndpoint(state: SandboxState, form: Record<string, unknown>, ttlSeconds: number): TokenResponse {
  const get = (k: string) => (typeof form[k] === 'string' ? (form[k] as string) : undefined);
  const clientId = get('client_id') ?? '';
  const app = state.apps.get(clientId);
  if (!app || app.clientSecret !== get('client_secret')) {
    throw new HttpError(401, {
      error: 'invalid_client',
      error_description: 'Client authentication failed',
      statusCode: 401,
      message: 'Client authentication failed',
    });
  }
  const grantType = get('grant_type');
  if (grantType === 'authorization_code') {
    const code = get('code') ?? '';
    const rec = state.codes.get(code);
    if (!rec || rec.used || rec.clientId !== clientId || rec.expiresAt < Date.now()) throw invalidGrant('authorization code');
    const redirectUri = get('redirect_uri');
    if (redirectUri !== undefined && rec.redirectUri !== undefined && redirectUri !== rec.redirectUri)
      throw invalidGrant('authorization code');
    rec.used = true;
    return issueTokenPair(state, rec, ttlSeconds);
  }
  if (grantType === 'refresh_token') {
    const token = get('refresh_token') ?? '';
    const rec = state.refreshTokens.get(token);
    if (!rec || rec.used || rec.clientId !== clientId) throw invalidGrant('refresh token');
    rec.used = true; // rotation: the old refresh token is now invalid (§3.3)
    const { token: _t, used: _u, ...grant } = rec;
    return issueTokenPair(state, grant, ttlSeconds);
  }
  throw new HttpError(400, {
    error: 'unsupported_grant_type',
    error_description: `Grant type ${String(grantType)} is not supported by the sandbox`,
    statusCode: 400,
    message: `Grant type ${String(grantType)} is not supported by the sandbox`,
  });
}
