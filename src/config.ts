/**
 * Where GHL lives. Production by default; the sandbox (and white-label installs, whose
 * marketplace runs on another domain) point these elsewhere through the environment.
 * Read at call time, not import time, so tests and `zapier-platform invoke` can change them.
 */
export const PRODUCTION_API_BASE_URL = 'https://services.leadconnectorhq.com';
export const PRODUCTION_AUTH_BASE_URL = 'https://marketplace.gohighlevel.com';

/** The API version every Contacts/Locations/Users/Businesses operation declares in the spec. */
export const GHL_API_VERSION = '2021-07-28';
/** Calendars declare a different version in `openapi/apps/calendars.json`. */
export const GHL_CALENDARS_API_VERSION = '2021-04-15';
/** Every `Version` GHL's OpenAPI files declare (`openapi/apps/*.json`); API Request may choose one. */
export const GHL_API_VERSIONS = [GHL_API_VERSION, GHL_CALENDARS_API_VERSION] as const;

const trimSlash = (url: string): string => url.replace(/\/+$/, '');

export const apiBaseUrl = (): string => trimSlash(process.env.GHL_API_BASE_URL || PRODUCTION_API_BASE_URL);

export const authBaseUrl = (): string => trimSlash(process.env.GHL_AUTH_BASE_URL || PRODUCTION_AUTH_BASE_URL);

/** Per-request timeout. Zapier gives a step 30 s in all; leave room for a retry and the response. */
export const requestTimeoutMs = (): number => {
  const fromEnv = Number(process.env.GHL_REQUEST_TIMEOUT_MS);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 20_000;
};

/**
 * OAuth scopes the app asks for, each needed by at least one operation.
 * The "Scopes" table of docs/development.md says which operation needs which; test/operations/endpoints.test.ts
 * checks that every scope an operation's endpoints need (per the OpenAPI files) is here, and
 * test/config.test.ts that nothing here goes unused.
 */
export const OAUTH_SCOPES = [
  'contacts.readonly',
  'contacts.write',
  'locations.readonly',
  'locations/customFields.readonly',
  'locations/tags.readonly',
  'locations/tasks.readonly',
  'users.readonly',
  'businesses.readonly',
  'businesses.write',
  'workflows.readonly',
  'campaigns.readonly',
] as const;
