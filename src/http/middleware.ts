import type {
  AfterResponseMiddleware,
  BeforeRequestMiddleware,
  Bundle,
  HttpRequestOptions,
  HttpResponse,
  ZObject,
} from 'zapier-platform-core';
import { GHL_API_VERSION, GHL_API_VERSIONS, GHL_CALENDARS_API_VERSION, apiBaseUrl } from '../config.js';
import { ghlErrorFor, isMissingScope, missingScopeError } from './errors.js';

const hostOf = (url: string | undefined): string | undefined => {
  try {
    return url ? new URL(url).host : undefined;
  } catch {
    return undefined;
  }
};

/** True when the request goes to the configured GHL API host, and only then. */
export const isGhlApiRequest = (url: string | undefined): boolean => {
  const host = hostOf(url);
  return host !== undefined && host === hostOf(apiBaseUrl());
};

const isTokenEndpoint = (url: string | undefined): boolean => {
  try {
    return new URL(url ?? '').pathname === '/oauth/token';
  } catch {
    return false;
  }
};

/**
 * Adds GHL's headers. The bearer token goes to the GHL API host only: a URL from user data
 * (a webhook, a file) must never receive it. The token endpoint gets no bearer and no Version
 * (the spec declares neither for it).
 */
export const addGhlHeaders = (request: HttpRequestOptions, _z: ZObject, bundle: Bundle): HttpRequestOptions => {
  if (!isGhlApiRequest(request.url)) return request;
  const headers = { ...(request.headers ?? {}) } as Record<string, string>;
  headers.Accept = 'application/json';
  if (!isTokenEndpoint(request.url)) {
    const path = new URL(request.url as string).pathname;
    // A Version the step chose (API Request) is kept only when it is one of GHL's.
    const chosen = (GHL_API_VERSIONS as readonly string[]).includes(headers.Version ?? '') ? headers.Version : undefined;
    headers.Version = chosen ?? (path.startsWith('/calendars/') ? GHL_CALENDARS_API_VERSION : GHL_API_VERSION);
    const token = bundle.authData?.access_token;
    if (token) headers.Authorization = `Bearer ${token}`;
  }
  // Our afterResponse maps 429 itself, with GHL's X-RateLimit-* headers (core only knows Retry-After).
  return { ...request, headers, throwForThrottlingEarly: false } as HttpRequestOptions;
};

/**
 * Maps every GHL error answer to a Zapier error, in one place (src/http/errors.ts).
 * A caller that wants to look at an error answer itself (e.g. the duplicate-contact 400)
 * sets `skipThrowForStatus: true` and calls `ghlErrorFor` for everything it does not handle;
 * throttling is never left to the caller.
 */
export const mapGhlErrors = (response: HttpResponse, z: ZObject): HttpResponse => {
  // What core's autoRefresh did (a 401 → refresh and retry), except for GHL's 401 for a missing scope,
  // which a refresh cannot fix (autoRefresh is off so that this body can be read), and for the token
  // endpoint itself, whose answers src/authentication.ts reads (a refresh there would loop).
  if (response.status === 401 && !isTokenEndpoint(response.request?.url)) {
    if (isGhlApiRequest(response.request?.url) && isMissingScope(response)) throw missingScopeError(z, response);
    throw new z.errors.RefreshAuthError();
  }
  if (!isGhlApiRequest(response.request?.url)) return response;
  if (response.status === 429 || !response.skipThrowForStatus) {
    const error = ghlErrorFor(z, response);
    if (error) throw error;
  }
  return response;
};

export const befores = [addGhlHeaders as unknown as BeforeRequestMiddleware];
export const afters = [mapGhlErrors as AfterResponseMiddleware];
