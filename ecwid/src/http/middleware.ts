import type { BeforeRequestMiddleware, Bundle, HttpRequestOptions, ZObject } from 'zapier-platform-core';
import { apiBaseUrl } from '../config.js';

const hostOf = (url: string | undefined): string | undefined => {
  try {
    return url ? new URL(url).host : undefined;
  } catch {
    return undefined;
  }
};

/** True when the request goes to the configured Ecwid API host, and only then. */
export const isEcwidApiRequest = (url: string | undefined): boolean => {
  const host = hostOf(url);
  return host !== undefined && host === hostOf(apiBaseUrl());
};

/**
 * Adds the bearer token (Ecwid's documented way; the old `?token=` form would put it in logs and
 * URLs). The token goes to the Ecwid API host only. Throttling is mapped by src/http/errors.ts with
 * Ecwid's wording, so core's early 429 handling is switched off.
 */
export const addEcwidHeaders = (request: HttpRequestOptions, _z: ZObject, bundle: Bundle): HttpRequestOptions => {
  if (!isEcwidApiRequest(request.url)) return request;
  const headers = { ...(request.headers ?? {}) } as Record<string, string>;
  headers.Accept = 'application/json';
  const token = bundle.authData?.access_token;
  if (token) headers.Authorization = `Bearer ${token}`;
  return { ...request, headers, throwForThrottlingEarly: false } as HttpRequestOptions;
};

export const befores = [addEcwidHeaders as unknown as BeforeRequestMiddleware];
