import { InvalidInputError } from './input.js';

/**
 * Pre-send checks of API Request's free-form input (src/resources/apiRequest.ts). The step sends
 * the connection's token, so its path must never lead anywhere but the GHL API host: a full URL,
 * `//host`, `..`, backslashes and their percent-encoded forms are refused here, before any request
 * is built, and the built URL is checked once more against the API host (src/resources/apiRequest.ts).
 */

const fail = (message: string): never => {
  throw new InvalidInputError(message);
};

/** A value quoted for a message: cut at 60 characters, control characters shown as \uXXXX. */
const show = (v: string): string => {
  const cut = v.length > 60 ? `${v.slice(0, 57)}...` : v;
  return `"${cut.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
};

/** RFC 3986 `pchar` plus `/` and `%`: what may stand in a path as typed. `{locationId}` is replaced first. */
const PATH_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;
const PLACEHOLDER = '{locationId}';
export const MAX_PATH_LENGTH = 2000;

/** Decodes %XX repeatedly (a double-encoded `%252e` is `.` to some servers), at most 3 times. */
const decodings = (path: string): string[] => {
  const out = [path];
  let current = path;
  for (let i = 0; i < 3; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return fail(`"Path" has a % that does not start a valid %XX escape: ${show(path)}.`);
    }
    if (next === current) break;
    out.push(next);
    current = next;
  }
  return out;
};

/**
 * A path on the API host, as typed by the user (`/contacts/abc`, `/locations/{locationId}/tags`),
 * checked and with `{locationId}` filled in (encoded). `prefixes` lists paths the step must not call
 * (GHL's OAuth endpoints), lowercase.
 */
export const checkApiPath = (raw: string, opts: { label: string; host: string; locationId: string; refused?: string[] }): string => {
  const label = `"${opts.label}"`;
  const value = raw.trim();
  if (value.length > MAX_PATH_LENGTH) fail(`${label} is ${value.length} characters long; at most ${MAX_PATH_LENGTH} are allowed.`);
  if (/^[a-z][a-z0-9+.-]*:/i.test(value) || value.startsWith('//') || value.startsWith('\\') || value.startsWith('/\\')) {
    let hint = '';
    try {
      const url = new URL(value);
      if (url.host === opts.host)
        hint = ` Use the part after the host: ${show(url.pathname)}${url.search ? ', and put the query in "Query Parameters"' : ''}.`;
    } catch {
      hint = '';
    }
    fail(
      `${label} must be a path on ${opts.host}, like /contacts/abc123; a full URL or another host is not allowed (${show(value)}).${hint}`,
    );
  }
  if (!value.startsWith('/')) fail(`${label} must start with "/", like /contacts/abc123, but got ${show(value)}.`);
  if (value.includes('?')) fail(`${label} must not contain "?": put query parameters in "Query Parameters".`);
  if (value.includes('#')) fail(`${label} must not contain "#".`);
  // The location id is an id (letters and digits): a neutral segment stands in for it while checking.
  const withoutPlaceholder = value.split(PLACEHOLDER).join('location');
  const brace = /\{[^}]*\}?/.exec(withoutPlaceholder);
  if (brace) fail(`${label} still holds the placeholder ${show(brace[0])}: replace it with the id (only {locationId} is filled in).`);
  if (!PATH_CHARS.test(withoutPlaceholder)) {
    const bad = [...withoutPlaceholder].find((c) => !PATH_CHARS.test(c)) ?? '';
    fail(
      `${label} contains ${bad === '\\' ? 'a backslash' : bad.trim() === '' ? 'a space or control character' : `the character ${show(bad)}`}, which a path cannot hold; percent-encode it (e.g. %20 for a space).`,
    );
  }
  for (const form of decodings(withoutPlaceholder)) {
    if (/%2f|%5c/i.test(form) || form.includes('\\'))
      fail(`${label} must not contain an encoded slash or a backslash (%2F, %5C, \\): ${show(value)}.`);
    const segments = form.split('/').slice(1);
    if (segments.some((s, i) => s === '' && i !== segments.length - 1))
      fail(`${label} must not contain "//" (an empty segment): ${show(value)}.`);
    if (segments.some((s) => s === '.' || s === '..')) fail(`${label} must not contain "." or ".." segments: ${show(value)}.`);
    if ([...form].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f))
      fail(`${label} must not contain control characters: ${show(value)}.`);
    const lower = form.toLowerCase();
    for (const prefix of opts.refused ?? []) {
      if (lower === prefix || lower.startsWith(`${prefix}/`))
        fail(`${label} must not call ${prefix}/…: the connection handles tokens itself, and this step never returns one.`);
    }
  }
  return value.split(PLACEHOLDER).join(encodeURIComponent(opts.locationId));
};

/** A Zapier dict field (`dict: true`): key → text. Empty keys are dropped; values must be text or numbers. */
export const readDict = (
  value: unknown,
  opts: { label: string; max: number; maxValue: number; locationId?: string },
): Record<string, string> => {
  const label = `"${opts.label}"`;
  if (value === undefined || value === null || value === '') return {};
  if (typeof value !== 'object' || Array.isArray(value)) return fail(`${label} must be key-value pairs, but got ${show(String(value))}.`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const key = k.trim();
    if (key === '') continue;
    if (key.length > 200) fail(`${label} has a key of ${key.length} characters; at most 200 are allowed.`);
    if (v !== null && typeof v === 'object') fail(`${label}: the value of ${show(key)} must be text, but got a list or object.`);
    const text = v === undefined || v === null ? '' : String(v);
    if (text.length > opts.maxValue)
      fail(`${label}: the value of ${show(key)} is ${text.length} characters long; at most ${opts.maxValue} are allowed.`);
    out[key] = opts.locationId === undefined ? text : text.split(PLACEHOLDER).join(opts.locationId);
  }
  if (Object.keys(out).length > opts.max) fail(`${label} has ${Object.keys(out).length} entries; at most ${opts.max} are allowed.`);
  return out;
};

const TOKEN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
/**
 * Headers the step sets itself or that would change what the request is: the token (Authorization),
 * what is sent and accepted (always JSON), the host and the connection.
 */
const REFUSED_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'host',
  'accept',
  'content-type',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'te',
  'trailer',
  'upgrade',
  'expect',
  'forwarded',
]);

/** Extra headers: names must be HTTP tokens, values one line; `Version` only through the step's Version field. */
export const checkHeaders = (headers: Record<string, string>, opts: { label: string; versionField: string }): Record<string, string> => {
  const label = `"${opts.label}"`;
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (!TOKEN.test(name)) fail(`${label}: ${show(name)} is not a valid header name (letters, digits and - only).`);
    if (lower === 'version') fail(`${label} must not set Version: choose it in "${opts.versionField}" (only GHL's versions are allowed).`);
    if (REFUSED_HEADERS.has(lower) || lower.startsWith('x-forwarded-') || lower.startsWith('proxy-'))
      fail(`${label} must not set ${name}: the step sets it itself${lower === 'authorization' ? " (the connection's token)" : ''}.`);
    if (/[\r\n\0]/.test(value)) fail(`${label}: the value of ${name} must be one line.`);
  }
  return headers;
};

export const MAX_BODY_LENGTH = 100_000;

/** A JSON body as typed: an object or a list. */
export const parseJsonBody = (text: string | undefined, label: string): unknown => {
  if (text === undefined) return undefined;
  if (text.length > MAX_BODY_LENGTH) fail(`"${label}" is ${text.length} characters long; at most ${MAX_BODY_LENGTH} are allowed.`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    return fail(`"${label}" is not valid JSON (${String((e as Error).message).slice(0, 120)}). Write it like {"firstName": "Rosa"}.`);
  }
  if (body === null || typeof body !== 'object') fail(`"${label}" must be a JSON object or list, like {"firstName": "Rosa"}.`);
  return body;
};
