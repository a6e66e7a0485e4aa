import { OAUTH_SCOPES } from '../config.js';
import { InvalidInputError } from './input.js';

/**
 * Pre-send checks of API Request's input (src/resources/apiRequest.ts), the Ecwid twin of the GHL
 * app's src/lib/apiRequestInput.ts (the two apps are built and shipped separately, so neither
 * imports the other). The step sends the connection's token, so the path must stay inside the
 * store's API (`/api/v3/{storeId}/…`) and within the scopes this app asks for: a full URL, `//host`,
 * `..`, backslashes, their percent-encoded forms, another store and endpoints of other scopes are
 * refused here, before any request.
 */

const fail = (message: string): never => {
  throw new InvalidInputError(message);
};

const show = (v: string): string => {
  const cut = v.length > 60 ? `${v.slice(0, 57)}...` : v;
  return `"${cut.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
};

const PATH_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;
export const MAX_PATH_LENGTH = 2000;

/**
 * The scope each first path segment of the store's API needs (docs.ecwid.com API reference, each
 * endpoint's "Required access scopes"). Only those whose scope this app asks for may be read.
 */
export const SCOPE_BY_RESOURCE: Record<string, string> = {
  profile: 'read_store_profile',
  customers: 'read_customers',
  customer_groups: 'read_customers',
  // Optional for this app (config.ts KNOWN_OPTIONAL_SCOPES): API Request stays within the required ones.
  store_extrafields: 'read_customers_extrafields',
  products: 'read_catalog',
  categories: 'read_catalog',
  orders: 'read_orders',
  discount_coupons: 'read_discount_coupons',
};

export const READABLE_RESOURCES = Object.keys(SCOPE_BY_RESOURCE).filter((r) =>
  (OAUTH_SCOPES as readonly string[]).includes(SCOPE_BY_RESOURCE[r]!),
);

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
 * A path inside the store's API: `/customers/177737165`, or the same with its documented prefix
 * `/api/v3/{storeId}` (the connection's store id, or the placeholder). Returns the store-relative path.
 */
export const checkStorePath = (raw: string, opts: { storeId: string; host: string }): string => {
  const label = '"Path"';
  let value = raw.trim();
  if (value.length > MAX_PATH_LENGTH) fail(`${label} is ${value.length} characters long; at most ${MAX_PATH_LENGTH} are allowed.`);
  if (/^[a-z][a-z0-9+.-]*:/i.test(value) || value.startsWith('//') || value.startsWith('\\') || value.startsWith('/\\')) {
    fail(
      `${label} must be a path in your store's API, like /customers/177737165; a full URL or another host is not allowed (${show(value)}).`,
    );
  }
  if (!value.startsWith('/')) fail(`${label} must start with "/", like /customers/177737165, but got ${show(value)}.`);
  if (value.includes('?')) fail(`${label} must not contain "?": put query parameters in "Query Parameters".`);
  if (value.includes('#')) fail(`${label} must not contain "#".`);
  const prefix = /^\/api\/v3\/([^/]*)(\/.*)?$/.exec(value);
  if (prefix) {
    if (prefix[1] !== '{storeId}' && prefix[1] !== opts.storeId) {
      fail(`${label} names store ${show(prefix[1] ?? '')}, but this connection is for store ${opts.storeId}; leave out /api/v3/{storeId}.`);
    }
    value = prefix[2] ?? '/';
  }
  if (/[{}]/.test(value)) fail(`${label} still holds a placeholder ({…}): replace it with the id.`);
  if (!PATH_CHARS.test(value)) {
    const bad = [...value].find((c) => !PATH_CHARS.test(c)) ?? '';
    fail(
      `${label} contains ${bad === '\\' ? 'a backslash' : bad.trim() === '' ? 'a space or control character' : `the character ${show(bad)}`}, which a path cannot hold; percent-encode it (e.g. %20 for a space).`,
    );
  }
  for (const form of decodings(value)) {
    if (/%2f|%5c/i.test(form) || form.includes('\\'))
      fail(`${label} must not contain an encoded slash or a backslash (%2F, %5C, \\): ${show(raw.trim())}.`);
    const segments = form.split('/').slice(1);
    if (segments.some((s, i) => s === '' && i !== segments.length - 1))
      fail(`${label} must not contain "//" (an empty segment): ${show(raw.trim())}.`);
    if (segments.some((s) => s === '.' || s === '..')) fail(`${label} must not contain "." or ".." segments: ${show(raw.trim())}.`);
    if ([...form].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f))
      fail(`${label} must not contain control characters: ${show(raw.trim())}.`);
    const resource = segments[0] ?? '';
    if (!READABLE_RESOURCES.includes(resource)) {
      const scope = SCOPE_BY_RESOURCE[resource];
      fail(
        scope
          ? `${label}: /${resource} needs the Ecwid scope ${scope}, which this app does not ask for (it asks for ${OAUTH_SCOPES.join(' and ')}). It can read ${READABLE_RESOURCES.map((r) => `/${r}`).join(', ')}.`
          : `${label}: ${show(`/${resource}`)} is not an Ecwid endpoint this app may read. It can read ${READABLE_RESOURCES.map((r) => `/${r}`).join(', ')} (its scopes: ${OAUTH_SCOPES.join(', ')}).`,
      );
    }
  }
  return value;
};

/** Query keys that would carry another token (Ecwid's old `?token=` form): the connection's is sent as a header. */
const REFUSED_QUERY = new Set(['token', 'access_token']);

/** A Zapier dict field of query parameters: key → text. */
export const readQuery = (value: unknown, label: string): Record<string, string> => {
  const l = `"${label}"`;
  if (value === undefined || value === null || value === '') return {};
  if (typeof value !== 'object' || Array.isArray(value)) return fail(`${l} must be key-value pairs, but got ${show(String(value))}.`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const key = k.trim();
    if (key === '') continue;
    if (key.length > 200) fail(`${l} has a key of ${key.length} characters; at most 200 are allowed.`);
    if (REFUSED_QUERY.has(key.toLowerCase())) fail(`${l} must not set ${key}: the connection's token is sent for you.`);
    if (v !== null && typeof v === 'object') fail(`${l}: the value of ${show(key)} must be text, but got a list or object.`);
    const text = v === undefined || v === null ? '' : String(v);
    if (text.length > 2000) fail(`${l}: the value of ${show(key)} is ${text.length} characters long; at most 2000 are allowed.`);
    out[key] = text;
  }
  if (Object.keys(out).length > 50) fail(`${l} has ${Object.keys(out).length} entries; at most 50 are allowed.`);
  return out;
};
