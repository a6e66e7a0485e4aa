/**
 * Where Ecwid lives. Production by default; the sandbox (ecwid/sandbox/) points these elsewhere
 * through the environment. Read at call time, not import time, so tests and
 * `zapier-platform invoke` can change them.
 *
 * The client id and secret have their own names (ECWID_CLIENT_ID / ECWID_CLIENT_SECRET) so that
 * this app and the GHL app can share one process (the demo, the end-to-end tests) without
 * reading each other's credentials. CLIENT_ID / CLIENT_SECRET are read when those are unset:
 * `zapier-platform invoke auth start` insists on them, and on Zapier each app has its own
 * environment anyway.
 */
export const PRODUCTION_API_BASE_URL = 'https://app.ecwid.com/api/v3';
export const PRODUCTION_OAUTH_BASE_URL = 'https://my.ecwid.com/api/oauth';

const trimSlash = (url: string): string => url.replace(/\/+$/, '');

export const apiBaseUrl = (): string => trimSlash(process.env.ECWID_API_BASE_URL || PRODUCTION_API_BASE_URL);

export const oauthBaseUrl = (): string => trimSlash(process.env.ECWID_OAUTH_BASE_URL || PRODUCTION_OAUTH_BASE_URL);

export const clientId = (): string | undefined => process.env.ECWID_CLIENT_ID || process.env.CLIENT_ID || undefined;
export const clientSecret = (): string | undefined => process.env.ECWID_CLIENT_SECRET || process.env.CLIENT_SECRET || undefined;

/** Per-request timeout. Zapier gives a step 30 s in all; leave room for one retry. */
export const requestTimeoutMs = (): number => {
  const fromEnv = Number(process.env.ECWID_REQUEST_TIMEOUT_MS);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 12_000;
};

/**
 * OAuth scopes the app asks for, and nothing more (docs/ecwid-app.md "Scopes" says why each):
 * - `read_store_profile`: GET /profile (connection test and label) and GET /customers/deleted
 *   (Ecwid grants it to every app anyway);
 * - `read_customers`: GET /customers and GET /customers/{id}.
 */
export const OAUTH_SCOPES = ['read_store_profile', 'read_customers'] as const;

/**
 * Scopes the app may also ask for, never requires: Ecwid refuses an authorize that asks for more
 * scopes than the Ecwid app was registered with (api-docs.ecwid.com "Access scopes"), so each is
 * asked for only when ECWID_OPTIONAL_SCOPES names it (space-separated), i.e. when the Ecwid app's
 * registration includes it. `read_customers_extrafields`: the store's list of customer extra
 * fields, for the labels of the extra-field outputs (src/resources/extraFields.ts).
 */
export const KNOWN_OPTIONAL_SCOPES = ['read_customers_extrafields'] as const;

export const optionalScopes = (): string[] =>
  (process.env.ECWID_OPTIONAL_SCOPES ?? '').split(/[\s,]+/).filter((s) => (KNOWN_OPTIONAL_SCOPES as readonly string[]).includes(s));

/** Ecwid's largest page (`limit` ≤ 100). */
export const PAGE_SIZE = 100;

/** How far back Deleted Customer looks. Zapier dedupes by id, so the window only has to cover the time between polls, with room for an outage. */
export const DELETED_WINDOW_DAYS = 7;
