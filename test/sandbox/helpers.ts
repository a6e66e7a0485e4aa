import nock from 'nock';
import type { Sandbox } from '../../sandbox/server.js';

/** The sandbox tests use real HTTP on 127.0.0.1. */
export function allowLocalhost(): void {
  nock.enableNetConnect('127.0.0.1');
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

export interface CallOptions {
  body?: unknown;
  token?: string | null;
  version?: string | null;
  headers?: Record<string, string>;
  form?: Record<string, string>;
  redirect?: 'follow' | 'manual' | 'error';
}

export async function call(sb: Sandbox, token: string | null, method: string, path: string, opts: CallOptions = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const tk = opts.token === undefined ? token : opts.token;
  if (tk) headers['Authorization'] = `Bearer ${tk}`;
  const version = opts.version === undefined ? (path.startsWith('/calendars') ? '2021-04-15' : '2021-07-28') : opts.version;
  if (version) headers['Version'] = version;
  let body: string | undefined;
  if (opts.form) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(opts.form).toString();
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  Object.assign(headers, opts.headers ?? {});
  const res = await fetch(sb.url + path, { method, headers, body, redirect: opts.redirect ?? 'follow' });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}
