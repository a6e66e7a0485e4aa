/**
 * What every routed API request goes through before its handler (handlers/index.ts).
 */
import type http from 'node:http';
import { HANDLERS, type HandlerResult } from '../handlers/index.js';
import { tokenEndpoint } from '../oauth.js';
import type { AccessTokenRecord } from '../state/records.js';
import type { SandboxState } from '../state/sandbox-state.js';
import type { WebhookEmitter } from '../webhooks.js';
import { HttpError, unprocessable } from './errors.js';
import type { RateLimiter } from './rate-limiter.js';
import { operationBodyInfo, validateRequest, type MatchedOperation } from './spec.js';

/** The parts of a running sandbox the pipeline uses. */
export interface ApiTarget {
  state: SandboxState;
  /** access-token lifetime (s) */
  ttl: number;
  limiter: RateLimiter;
  webhooks: WebhookEmitter;
}

export interface ApiRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  query: Record<string, string | string[]>;
  body: unknown;
  contentType: string;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function authError(message = 'Invalid JWT'): HttpError {
  return new HttpError(401, { statusCode: 401, message, error: 'Unauthorized' });
}

/**
 * The API pipeline after routing: the token endpoint, then auth, rate limit, scopes, location access,
 * validation against the spec and the handler. Returns the response; the rate-limit headers to
 * attach are put into `extraHeaders`. Throws HttpError for GHL-style errors.
 */
export function callApi(sb: ApiTarget, m: MatchedOperation, req: ApiRequest, extraHeaders: Record<string, string>): HandlerResult {
  const { state, ttl, limiter, webhooks } = sb;
  const specName = m.spec.name;
  const { contentTypes } = operationBodyInfo(m.operation);
  if (req.body !== undefined && contentTypes.length && req.contentType && !contentTypes.includes(req.contentType)) {
    throw unprocessable([`Content-Type ${req.contentType} is not supported; use ${contentTypes.join(' or ')}`]);
  }
  if (specName === 'oauth' && m.operationId === 'get-access-token') {
    if (req.body !== undefined && !contentTypes.includes(req.contentType)) {
      throw unprocessable([`Content-Type ${req.contentType || '(none)'} is not supported; use ${contentTypes.join(' or ')}`]);
    }
    const msgs = validateRequest(m, req);
    if (msgs.length) throw unprocessable(msgs);
    return { status: 200, body: tokenEndpoint(state, isObj(req.body) ? req.body : {}, ttl) };
  }

  // --- auth
  const authz = req.headers['authorization'];
  const mt = typeof authz === 'string' ? /^Bearer\s+(.+)$/i.exec(authz.trim()) : null;
  const token: AccessTokenRecord | undefined = mt ? state.accessTokens.get(mt[1]!.trim()) : undefined;
  if (!token || token.expiresAt <= Date.now()) throw authError();
  const security = (m.operation.security ?? []) as Record<string, string[]>[];
  const agencyOk = security.some((s) => 'Agency-Access' in s);
  if (token.userType === 'Company' && !agencyOk) {
    throw new HttpError(403, {
      statusCode: 403,
      message: 'This token is a Company (agency) token; this endpoint needs a Location (sub-account) token.',
    });
  }

  // --- rate limit (per location, or per company for Company tokens)
  const rl = limiter.hit(token.locationId ?? `company:${token.companyId}`);
  Object.assign(extraHeaders, rl.headers);
  if (rl.limited) throw new HttpError(429, { statusCode: 429, message: 'Too many requests' });

  // --- scopes
  const required = security.flatMap((s) => Object.values(s).flat());
  if (required.length && token.scopes.length && !required.some((s) => token.scopes.includes(s))) {
    throw authError('The token is not authorized for this scope.');
  }

  // --- location access (query, body, path)
  const locIds: string[] = [];
  const ql = req.query['locationId'];
  if (typeof ql === 'string') locIds.push(ql);
  if (isObj(req.body) && typeof req.body['locationId'] === 'string') locIds.push(req.body['locationId']);
  if (m.params['locationId'] !== undefined) locIds.push(m.params['locationId']);
  for (const id of locIds) {
    const ok = token.userType === 'Location' ? id === token.locationId : state.locations.get(id)?.companyId === token.companyId;
    if (!ok) throw new HttpError(403, { statusCode: 403, message: 'The token does not have access to this location.' });
  }

  // --- validation against the spec (+ DTO whitelist)
  const msgs = validateRequest(m, req);
  if (msgs.length) throw unprocessable(msgs);

  const handler = HANDLERS[`${specName}:${m.operationId}`];
  if (!handler) {
    throw new HttpError(501, {
      statusCode: 501,
      message: `Operation ${m.operationId} (${specName}) is not implemented by the sandbox`,
      error: 'Not Implemented',
    });
  }
  return webhooks.around(m.params, token.locationId ?? '', () =>
    handler({
      state,
      params: m.params,
      query: req.query,
      body: req.body,
      locationId: token.locationId ?? '',
      companyId: token.companyId,
    }),
  );
}
