/**
 * The Ecwid sandbox's OAuth pages, as Ecwid runs them since 2025-09-19 (docs.ecwid.com changelog
 * "Store ID is now required for external apps authentication"): the authorize page, the redirect
 * back with `code`, `store_id` (and `state` when one was sent), the code exchange at
 * `POST /api/oauth/token/{store_id}`, and the old `POST /api/oauth/token` answering as a retired
 * endpoint. See ecwid/sandbox/README.md "OAuth".
 */
import type http from 'node:http';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, type EcwidSandboxState } from './state.js';

type Send = (res: http.ServerResponse, status: number, body: unknown, headers?: Record<string, string>) => number;

const html = (title: string, body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export const readBody = (req: http.IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (data += c));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });

/**
 * What the retired path answers. Ecwid announced it would be switched off ~5–6 months after
 * 2025-09-19 but did not say how; a plain 404 with an OAuth-style body is the sandbox's guess
 * (docs/ecwid-app.md lists it as unverified).
 */
export const RETIRED_TOKEN_ANSWER = {
  status: 404,
  body: {
    error: 'invalid_request',
    error_description: 'This endpoint is no longer available. Exchange the code at /api/oauth/token/{store_id}.',
  },
};

/** Handles the OAuth pages; `undefined` when the request is not one of them. */
export const handleOAuth = async (
  state: EcwidSandboxState,
  send: Send,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
): Promise<number | undefined> => {
  if (req.method === 'GET' && url.pathname === '/api/oauth/authorize') {
    const q = Object.fromEntries(url.searchParams);
    if (q['client_id'] !== DEMO_CLIENT_ID) return send(res, 400, html('Error', `<p>Unknown application: ${esc(q['client_id'] ?? '')}</p>`));
    if (q['response_type'] !== 'code' || !q['redirect_uri'])
      return send(res, 400, html('Error', '<p>response_type=code and redirect_uri are required</p>'));
    const scopes = (q['scope'] ?? '').split(/[\s+]+/).filter(Boolean);
    const hidden = (k: string, v: string) => `<input type="hidden" name="${k}" value="${esc(v)}">`;
    return send(
      res,
      200,
      html(
        'Install app',
        `<h1>Install "Ecwid Customers for Zapier" in ${esc(state.store.name)}?</h1><p>The app asks to: ${scopes.map(esc).join(', ')}</p>` +
          `<form method="post" action="/api/oauth/authorize/approve">${hidden('redirect_uri', q['redirect_uri'])}${hidden('scope', scopes.join(' '))}${hidden('state', q['state'] ?? '')}<button>Accept</button></form>`,
      ),
    );
  }
  if (req.method === 'POST' && url.pathname === '/api/oauth/authorize/approve') {
    const f = new URLSearchParams(await readBody(req));
    const code = `code_${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
    // read_store_profile is "requested in all cases even if not specified" (Ecwid docs).
    const scopes = [...new Set(['read_store_profile', ...(f.get('scope') ?? '').split(' ').filter(Boolean)])];
    state.codes.set(code, {
      scopes,
      redirectUri: f.get('redirect_uri') ?? '',
      expiresAt: Date.now() + 5 * 60_000,
      storeId: state.store.id,
    });
    const back = new URL(f.get('redirect_uri') ?? '');
    back.searchParams.set('code', code);
    back.searchParams.set('store_id', String(state.store.id));
    if (f.get('state')) back.searchParams.set('state', f.get('state')!);
    res.writeHead(302, { Location: back.toString() });
    res.end();
    return 302;
  }
  if (req.method === 'POST' && url.pathname === '/api/oauth/token') {
    await readBody(req);
    return send(res, RETIRED_TOKEN_ANSWER.status, RETIRED_TOKEN_ANSWER.body);
  }
  const exchange = /^\/api\/oauth\/token\/([^/]+)$/.exec(url.pathname);
  if (req.method === 'POST' && exchange) {
    const f = new URLSearchParams(await readBody(req));
    if (f.get('client_id') !== DEMO_CLIENT_ID || f.get('client_secret') !== DEMO_CLIENT_SECRET)
      return send(res, 401, { error: 'invalid_client', error_description: 'Client authentication failed' });
    if (f.get('grant_type') !== 'authorization_code')
      return send(res, 400, { error: 'unsupported_grant_type', error_description: 'Only authorization_code is supported' });
    const code = state.codes.get(f.get('code') ?? '');
    if (!code || code.expiresAt < Date.now())
      return send(res, 400, { error: 'invalid_grant', error_description: 'Authorization code is invalid or expired' });
    if (String(code.storeId) !== decodeURIComponent(exchange[1]!))
      return send(res, 400, { error: 'invalid_grant', error_description: 'Authorization code was not issued for this store' });
    if (code.token) {
      // Ecwid: "In case of second attempt, the previously provided access token is automatically disabled."
      const t = state.tokens.get(code.token);
      if (t) t.revoked = true;
      return send(res, 400, { error: 'invalid_grant', error_description: 'Authorization code has already been used' });
    }
    if (f.get('redirect_uri') !== code.redirectUri)
      return send(res, 400, { error: 'invalid_grant', error_description: 'redirect_uri does not match' });
    const token = state.issueToken(code.storeId, code.scopes);
    code.token = token;
    // Ecwid's answer (docs); `Bearer` with a capital B is what Ecwid's WordPress plugin checks for.
    return send(res, 200, {
      access_token: token,
      token_type: 'Bearer',
      scope: code.scopes.join(' '),
      store_id: code.storeId,
      email: state.store.ownerEmail,
    });
  }
  return undefined;
};
