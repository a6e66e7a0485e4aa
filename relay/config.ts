import { GHL_ED25519_PUBLIC_KEY, GHL_RSA_PUBLIC_KEY, parsePublicKey, type SignatureKeys } from './signature.js';

/**
 * Everything the relay can be told, from the environment (see relay/README.md). Defaults are for
 * production: GHL's real keys and API host, Zapier's hook host as the only allowed target.
 */

/** The GHL webhook types a Zapier trigger can subscribe to (the instant triggers of src/resources/instant.ts). */
export const SUBSCRIBABLE_EVENTS = [
  'ContactCreate',
  'ContactUpdate',
  'ContactDelete',
  'ContactTagUpdate',
  'TaskCreate',
  'TaskComplete',
  'NoteCreate',
  'AppointmentCreate',
] as const;

export interface RelayConfig {
  host: string;
  port: number;
  keys: SignatureKeys;
  /** Where the relay checks a subscriber's GHL token (GET /locations/{locationId}). */
  ghlApiBaseUrl: string;
  /** Allowed target URL prefixes: `https://hooks.zapier.com`, or `http://127.0.0.1:*` for any port. */
  allowedTargets: string[];
  /** `postgres://…` for Postgres; otherwise the SQLite file. */
  databaseUrl?: string;
  sqlitePath: string;
  sqliteSynchronous: 'FULL' | 'NORMAL';
  maxBodyBytes: number;
  /** A webhook whose `timestamp` is further than this from now is refused (replay window). */
  maxAgeSeconds: number;
  requireTimestamp: boolean;
  retryBaseMs: number;
  retryMaxMs: number;
  maxAttempts: number;
  deliveryTimeoutMs: number;
  concurrency: number;
  pollMs: number;
  /** More undelivered events than this and the relay answers GHL 429 (GHL retries later). */
  maxPending: number;
  /** Events are forgotten (and their webhookIds with them) this long after arrival once delivered. */
  retentionMs: number;
  quiet: boolean;
}

type Env = Record<string, string | undefined>;

/** A plain decimal (Number() alone would read "0x1f" and "1e3", and a blank " " as 0). */
const DECIMAL = /^\d+(\.\d+)?$/;

const num = (env: Env, name: string, fallback: number): number => {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!DECIMAL.test(raw)) throw new Error(`${name} must be a non-negative number, got "${env[name]}"`);
  return Number(raw);
};

const port = (env: Env, name: string, fallback: number): number => {
  const n = num(env, name, fallback);
  if (!Number.isInteger(n) || n > 65_535) throw new Error(`${name} must be a port number (0 to 65535), got "${env[name]}"`);
  return n;
};

const flag = (env: Env, name: string, fallback: boolean): boolean => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  return /^(1|true|yes|on)$/i.test(raw);
};

export const loadConfig = (env: Env = process.env): RelayConfig => ({
  host: env.RELAY_HOST || '127.0.0.1',
  port: port(env, 'RELAY_PORT', 8787),
  keys: {
    ed25519: parsePublicKey(env.RELAY_GHL_PUBLIC_KEY || GHL_ED25519_PUBLIC_KEY),
    rsa: flag(env, 'RELAY_ACCEPT_LEGACY_SIGNATURE', true)
      ? parsePublicKey(env.RELAY_GHL_LEGACY_PUBLIC_KEY || GHL_RSA_PUBLIC_KEY)
      : undefined,
  },
  ghlApiBaseUrl: (env.RELAY_GHL_API_BASE_URL || 'https://services.leadconnectorhq.com').replace(/\/+$/, ''),
  allowedTargets: (env.RELAY_ALLOWED_TARGETS || 'https://hooks.zapier.com')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
  databaseUrl: env.RELAY_DATABASE_URL || undefined,
  sqlitePath: env.RELAY_SQLITE_PATH || 'data/relay.sqlite',
  sqliteSynchronous: env.RELAY_SQLITE_SYNCHRONOUS === 'NORMAL' ? 'NORMAL' : 'FULL',
  maxBodyBytes: num(env, 'RELAY_MAX_BODY_BYTES', 256 * 1024),
  maxAgeSeconds: num(env, 'RELAY_MAX_AGE_SECONDS', 300),
  requireTimestamp: flag(env, 'RELAY_REQUIRE_TIMESTAMP', true),
  retryBaseMs: num(env, 'RELAY_RETRY_BASE_MS', 1000),
  retryMaxMs: num(env, 'RELAY_RETRY_MAX_MS', 3_600_000),
  maxAttempts: num(env, 'RELAY_MAX_ATTEMPTS', 15),
  deliveryTimeoutMs: num(env, 'RELAY_DELIVERY_TIMEOUT_MS', 10_000),
  concurrency: Math.max(1, num(env, 'RELAY_CONCURRENCY', 32)),
  pollMs: Math.max(10, num(env, 'RELAY_POLL_MS', 500)),
  maxPending: num(env, 'RELAY_MAX_PENDING', 100_000),
  retentionMs: num(env, 'RELAY_RETENTION_HOURS', 24) * 3_600_000,
  quiet: flag(env, 'RELAY_QUIET', false),
});

/** True when `url` starts with an allowed prefix (`*` as the port matches any port). */
export const isAllowedTarget = (url: string, allowed: string[]): boolean => {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.username || u.password) return false;
  return allowed.some((entry) => {
    const wildcardPort = /:\*(\/|$)/.test(entry);
    let a: URL;
    try {
      a = new URL(entry.replace(/:\*(\/|$)/, '$1'));
    } catch {
      return false;
    }
    if (a.protocol !== u.protocol || a.hostname !== u.hostname) return false;
    if (!wildcardPort && a.port !== u.port) return false;
    // An entry without a path has prefix '' and allows every path (each starts with "/").
    const prefix = a.pathname.replace(/\/$/, '');
    return u.pathname === prefix || u.pathname.startsWith(`${prefix}/`);
  });
};
