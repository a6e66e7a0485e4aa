/**
 * What the request handler sends (status, headers, text) and the helpers that read a request.
 */
import http from 'node:http';
import crypto from 'node:crypto';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface Out {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** A JSON answer; object bodies get a `traceId` as GHL's. */
export function jsonOut(status: number, body: unknown, headers: Record<string, string> = {}): Out {
  let payload = body;
  if (isObj(body) && !('traceId' in body)) payload = { ...body, traceId: crypto.randomUUID() };
  return { status, headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers }, text: JSON.stringify(payload) };
}

export function htmlOut(status: number, html: string, headers: Record<string, string> = {}): Out {
  return { status, headers: { 'Content-Type': 'text/html; charset=utf-8', ...headers }, text: html };
}

/** The HTML error page of GHL's proxy (Cloudflare), for the `html` fault. */
export const PROXY_HTML = (status: number) =>
  `<html>\r\n<head><title>${status} ${http.STATUS_CODES[status] ?? 'Error'}</title></head>\r\n<body>\r\n<center><h1>${status} ${
    http.STATUS_CODES[status] ?? 'Error'
  }</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n`;

export function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function queryObject(sp: URLSearchParams): Record<string, string | string[]> {
  const q: Record<string, string | string[]> = {};
  for (const [k, v] of sp) {
    const cur = q[k];
    if (cur === undefined) q[k] = v;
    else q[k] = Array.isArray(cur) ? [...cur, v] : [cur, v];
  }
  return q;
}
