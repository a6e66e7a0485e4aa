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
  /**
   * The oldest webhook accepted (by its `timestamp`): GHL re-sends the original body, timestamp
   * included, for up to 12 retries and on a manual re-send from its Webhook Logs, so this is days,
   * not minutes. Replays within it are stopped by the `webhookId`, remembered at least this long.
   */
  maxAgeSeconds: number;
  /** How far in the future a `timestamp` may be (clock skew). */
  maxFutureSeconds: number;
  requireTimestamp: boolean;
  /**
   * The marketplace app's id (`appId` in its webhooks; the client id's part before `-` also works).
   * Webhooks of other apps (GHL signs all apps' webhooks with one key) are answered 200 and ignored.
   * Empty: every app's webhooks are taken (the relay logs a warning at start).
   */
  ghlAppIds: string[];
  retryBaseMs: number;
  retryMaxMs: number;
  /** 0: no cap; the retry horizon alone decides when a delivery is given up. */
  maxAttempts: number;
  /** A failing delivery is retried until its next try would fall this long after the event arrived. */
  retryHorizonMs: number;
  /** Deliveries to one hook URL per second from this process (0: no limit); Zapier answers 429 past about 30/s per hook. */
  targetRatePerSecond: number;
  /** A subscription whose deliveries were given up this many times in a row (no success between) is disabled. */
  disableAfterDead: number;
  /** How far each queued delivery moves its location's place in the claim order (relay/fairness.ts). */
  fairSpacingMs: number;
  deliveryTimeoutMs: number;
  concurrency: number;
  pollMs: number;
  /** More undelivered events than this and the relay answers GHL 429 (GHL retries later). */
  maxPending: number;
  /** Shared with our Zapier app (`X-Relay-Subscribe-Secret`); unset: any caller may subscribe (a warning at start). */
  subscribeSecret?: string;
  maxSubscriptionsPerLocation: number;
  /** More undelivered events of one location than this and that location's webhooks get 429 (others' do not). */
  maxPendingPerLocation: number;
  /** How long GHL's verdict on a (token, location) is reused, and how many checks per client address per minute reach GHL. */
  tokenCacheMs: number;
  tokenChecksPerMinute: number;
  /** Whole-request deadline (headers and body) and the cap on open connections. */
  requestTimeoutMs: number;
  maxConnections: number;
  /** How long dead deliveries, remembered contact tags and disabled subscriptions are kept. */
  deadRetentionMs: number;
  tagsRetentionMs: number;
  disabledRetentionMs: number;
  /** Postgres connections for storing webhooks (that many group-commit batches at once) and for deliveries. */
  pgIngestConnections: number;
  pgDeliveryConnections: number;
  /** How often the backlog (pending deliveries per location) is re-read from the store. */
  backlogRefreshMs: number;
  /**
   * Events are forgotten (and their webhookIds with them) this long after arrival once delivered:
   * at least the age window plus the clock skew, so that no accepted body is ever de-duplicated
   * against a forgotten id.
   */
  retentionMs: number;
  /** `Retry-After` of a 429 (backlog full, cannot store). */
  retryAfterSeconds: number;
  quiet: boolean;
  /** The Ecwid app's client secret (RELAY_ECWID_CLIENT_SECRET): unset = no `POST /webhooks/ecwid`. */
  ecwidClientSecret?: string;
  /** Where a subscriber's Ecwid token is checked (`GET {base}/{storeId}/profile`). */
  ecwidApiBaseUrl: string;
  /** Opens the operator console (/admin); the operator's own secret, never a GHL or Ecwid token. */
  adminToken?: string;
  /** When set, GET /metrics asks for it as a Bearer token. */
  metricsToken?: string;
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

const DAY_S = 86_400;

/** GHL's SDKs compare a webhook's `appId` with the part of the app's client id before the first `-`. */
export const appIdOf = (idOrClientId: string): string => idOrClientId.trim().split('-')[0] ?? '';

/** The de-duplication memory must outlast the age window (see `retentionMs`). */
const retention = (env: Env, maxAgeSeconds: number, maxFutureSeconds: number): number => {
  const floorMs = (maxAgeSeconds + maxFutureSeconds) * 1000 + 3_600_000;
  if (env.RELAY_RETENTION_HOURS === undefined || env.RELAY_RETENTION_HOURS === '') return floorMs;
  const ms = num(env, 'RELAY_RETENTION_HOURS', 0) * 3_600_000;
  if (ms < floorMs) {
    throw new Error(
      `RELAY_RETENTION_HOURS must be at least RELAY_MAX_AGE_SECONDS + RELAY_MAX_FUTURE_SECONDS + 1 h (${+(floorMs / 3_600_000).toFixed(2)} h): ` +
        'a webhookId forgotten earlier could be delivered twice',
    );
  }
  return ms;
};

/** A URL the relay sends GHL tokens to: `https`, or `http` to a loopback host only (tests, the local sandbox). */
export const tokenSafeUrl = (name: string, url: string): string => {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`${name} must be a URL, got "${url}"`);
  }
  const loopback = u.hostname === 'localhost' || u.hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(u.hostname);
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) {
    throw new Error(`${name} must use https (tokens are sent there); http is allowed for 127.0.0.1/localhost only, got "${url}"`);
  }
  return url;
};

export const loadConfig = (env: Env = process.env): RelayConfig => {
  const maxAgeSeconds = num(env, 'RELAY_MAX_AGE_SECONDS', 7 * DAY_S);
  const maxFutureSeconds = num(env, 'RELAY_MAX_FUTURE_SECONDS', 300);
  return {
    host: env.RELAY_HOST || '127.0.0.1',
    port: port(env, 'RELAY_PORT', 8787),
    keys: {
      ed25519: parsePublicKey(env.RELAY_GHL_PUBLIC_KEY || GHL_ED25519_PUBLIC_KEY),
      rsa: flag(env, 'RELAY_ACCEPT_LEGACY_SIGNATURE', true)
        ? parsePublicKey(env.RELAY_GHL_LEGACY_PUBLIC_KEY || GHL_RSA_PUBLIC_KEY)
        : undefined,
    },
    ghlApiBaseUrl: tokenSafeUrl(
      'RELAY_GHL_API_BASE_URL',
      (env.RELAY_GHL_API_BASE_URL || 'https://services.leadconnectorhq.com').replace(/\/+$/, ''),
    ),
    allowedTargets: (env.RELAY_ALLOWED_TARGETS || 'https://hooks.zapier.com')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    databaseUrl: env.RELAY_DATABASE_URL || undefined,
    sqlitePath: env.RELAY_SQLITE_PATH || 'data/relay.sqlite',
    sqliteSynchronous: env.RELAY_SQLITE_SYNCHRONOUS === 'NORMAL' ? 'NORMAL' : 'FULL',
    maxBodyBytes: num(env, 'RELAY_MAX_BODY_BYTES', 256 * 1024),
    maxAgeSeconds,
    maxFutureSeconds,
    requireTimestamp: flag(env, 'RELAY_REQUIRE_TIMESTAMP', true),
    ghlAppIds: (env.RELAY_GHL_APP_ID || '').split(',').map(appIdOf).filter(Boolean),
    retryBaseMs: num(env, 'RELAY_RETRY_BASE_MS', 1000),
    retryMaxMs: num(env, 'RELAY_RETRY_MAX_MS', 3_600_000),
    maxAttempts: num(env, 'RELAY_MAX_ATTEMPTS', 0),
    retryHorizonMs: num(env, 'RELAY_RETRY_HORIZON_HOURS', 25) * 3_600_000,
    targetRatePerSecond: num(env, 'RELAY_TARGET_RATE_PER_SECOND', 20),
    disableAfterDead: Math.max(1, num(env, 'RELAY_DISABLE_AFTER_DEAD', 3)),
    fairSpacingMs: num(env, 'RELAY_FAIR_SPACING_MS', 50),
    deliveryTimeoutMs: num(env, 'RELAY_DELIVERY_TIMEOUT_MS', 10_000),
    concurrency: Math.max(1, num(env, 'RELAY_CONCURRENCY', 32)),
    pollMs: Math.max(10, num(env, 'RELAY_POLL_MS', 500)),
    maxPending: num(env, 'RELAY_MAX_PENDING', 100_000),
    subscribeSecret: env.RELAY_SUBSCRIBE_SECRET || undefined,
    maxSubscriptionsPerLocation: num(env, 'RELAY_MAX_SUBSCRIPTIONS_PER_LOCATION', 100),
    maxPendingPerLocation: num(env, 'RELAY_MAX_PENDING_PER_LOCATION', 10_000),
    tokenCacheMs: num(env, 'RELAY_TOKEN_CACHE_SECONDS', 60) * 1000,
    tokenChecksPerMinute: num(env, 'RELAY_TOKEN_CHECKS_PER_MINUTE', 30),
    requestTimeoutMs: Math.max(1000, num(env, 'RELAY_REQUEST_TIMEOUT_MS', 15_000)),
    maxConnections: num(env, 'RELAY_MAX_CONNECTIONS', 1000),
    deadRetentionMs: num(env, 'RELAY_DEAD_RETENTION_DAYS', 14) * DAY_S * 1000,
    tagsRetentionMs: num(env, 'RELAY_TAGS_RETENTION_DAYS', 90) * DAY_S * 1000,
    disabledRetentionMs: num(env, 'RELAY_DISABLED_RETENTION_DAYS', 30) * DAY_S * 1000,
    // Webhooks (two group-commit batches at a time, relay/pg-store.ts), subscriptions, and the
    // events that take a transaction of their own (ContactTagUpdate, UNINSTALL).
    pgIngestConnections: Math.max(1, num(env, 'RELAY_PG_INGEST_CONNECTIONS', 8)),
    // Claims and settlements of `concurrency` deliveries: one claim at a time, completions batched,
    // retries one statement each; a connection per 8 deliveries in flight covers the retries.
    pgDeliveryConnections: Math.max(
      2,
      num(env, 'RELAY_PG_DELIVERY_CONNECTIONS', 2 + Math.ceil(Math.max(1, num(env, 'RELAY_CONCURRENCY', 32)) / 8)),
    ),
    backlogRefreshMs: Math.max(100, num(env, 'RELAY_BACKLOG_REFRESH_MS', 5000)),
    retentionMs: retention(env, maxAgeSeconds, maxFutureSeconds),
    retryAfterSeconds: num(env, 'RELAY_RETRY_AFTER_SECONDS', 60),
    quiet: flag(env, 'RELAY_QUIET', false),
    ecwidClientSecret: ecwidSecret(env, maxAgeSeconds),
    ecwidApiBaseUrl: (env.RELAY_ECWID_API_BASE_URL || 'https://app.ecwid.com/api/v3').replace(/\/+$/, ''),
    adminToken: env.RELAY_ADMIN_TOKEN || undefined,
    metricsToken: env.RELAY_METRICS_TOKEN || undefined,
  };
};

/** Ecwid retries a webhook for 24 h: with Ecwid on, its ids must be remembered (and accepted) at least that long. */
const ecwidSecret = (env: Env, maxAgeSeconds: number): string | undefined => {
  const secret = env.RELAY_ECWID_CLIENT_SECRET || undefined;
  if (secret && maxAgeSeconds < DAY_S + 3600) {
    throw new Error(
      'RELAY_MAX_AGE_SECONDS must be at least 25 h (90000) with RELAY_ECWID_CLIENT_SECRET set: Ecwid retries a webhook for 24 h',
    );
  }
  return secret;
};

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
