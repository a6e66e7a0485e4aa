import { readFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { SUBSCRIBABLE_EVENTS, isAllowedTarget, loadConfig, tokenSafeUrl } from '../../relay/config.js';
import { GHL_ED25519_PUBLIC_KEY, GHL_RSA_PUBLIC_KEY, parsePublicKey } from '../../relay/signature.js';

/** The relay's settings from the environment (relay/README.md "Configuration"), and its target allowlist. */

/** The settings with nothing set, keys left out (called inside each test: mutation testing attributes its coverage per test). */
const defaults = () => {
  const { keys: _keys, ...rest } = loadConfig({});
  return rest;
};

describe('loadConfig', () => {
  it('with nothing set: production defaults, GHL’s published keys', () => {
    expect(defaults()).toEqual({
      host: '127.0.0.1',
      port: 8787,
      ghlApiBaseUrl: 'https://services.leadconnectorhq.com',
      allowedTargets: ['https://hooks.zapier.com'],
      databaseUrl: undefined,
      sqlitePath: 'data/relay.sqlite',
      sqliteSynchronous: 'FULL',
      maxBodyBytes: 262_144,
      maxAgeSeconds: 604_800,
      maxFutureSeconds: 300,
      requireTimestamp: true,
      ghlAppIds: [],
      retryBaseMs: 1000,
      retryMaxMs: 3_600_000,
      maxAttempts: 0,
      retryHorizonMs: 90_000_000,
      targetRatePerSecond: 20,
      disableAfterDead: 3,
      fairSpacingMs: 50,
      deliveryTimeoutMs: 10_000,
      concurrency: 32,
      pollMs: 500,
      maxPending: 100_000,
      subscribeSecret: undefined,
      maxSubscriptionsPerLocation: 100,
      maxPendingPerLocation: 10_000,
      tokenCacheMs: 60_000,
      tokenChecksPerMinute: 30,
      requestTimeoutMs: 15_000,
      maxConnections: 1000,
      deadRetentionMs: 1_209_600_000,
      tagsRetentionMs: 7_776_000_000,
      disabledRetentionMs: 2_592_000_000,
      pgIngestConnections: 8,
      pgDeliveryConnections: 6,
      backlogRefreshMs: 5000,
      // max age + skew + 1 h: a webhookId is remembered longer than the oldest body accepted.
      retentionMs: 608_700_000,
      retryAfterSeconds: 60,
      quiet: false,
      ecwidClientSecret: undefined,
      ecwidApiBaseUrl: 'https://app.ecwid.com/api/v3',
      adminToken: undefined,
      metricsToken: undefined,
    });
    const { keys } = loadConfig({});
    expect(keys.ed25519.equals(parsePublicKey(GHL_ED25519_PUBLIC_KEY))).toBe(true);
    expect(keys.rsa?.equals(parsePublicKey(GHL_RSA_PUBLIC_KEY))).toBe(true);
  });

  it('empty or blank variables count as unset (how `VAR=` in an env file reads)', () => {
    const blank = Object.fromEntries(
      [
        'RELAY_HOST',
        'RELAY_PORT',
        'RELAY_GHL_API_BASE_URL',
        'RELAY_ALLOWED_TARGETS',
        'RELAY_DATABASE_URL',
        'RELAY_SQLITE_PATH',
        'RELAY_MAX_BODY_BYTES',
        'RELAY_REQUIRE_TIMESTAMP',
        'RELAY_CONCURRENCY',
        'RELAY_QUIET',
      ].map((name) => [name, '']),
    );
    const { keys: _k, ...got } = loadConfig({ ...blank, RELAY_PORT: '  ', RELAY_MAX_ATTEMPTS: ' ' });
    expect(got).toEqual(defaults());
  });

  it('every setting read from its variable', () => {
    const { keys: _k, ...got } = loadConfig({
      RELAY_HOST: '0.0.0.0',
      RELAY_PORT: '9000',
      RELAY_GHL_API_BASE_URL: 'http://127.0.0.1:4010//',
      RELAY_ALLOWED_TARGETS: ' https://hooks.zapier.com/hooks/catch , ,http://127.0.0.1:* ',
      RELAY_DATABASE_URL: 'postgres://relay@db/relay',
      RELAY_SQLITE_PATH: '/var/lib/relay.sqlite',
      RELAY_SQLITE_SYNCHRONOUS: 'NORMAL',
      RELAY_MAX_BODY_BYTES: '1024',
      RELAY_MAX_AGE_SECONDS: '90000',
      RELAY_MAX_FUTURE_SECONDS: '60',
      RELAY_REQUIRE_TIMESTAMP: 'false',
      RELAY_GHL_APP_ID: 'app1-clientpart, app2',
      RELAY_RETRY_BASE_MS: '50',
      RELAY_RETRY_MAX_MS: '5000',
      RELAY_MAX_ATTEMPTS: '3',
      RELAY_RETRY_HORIZON_HOURS: '30',
      RELAY_TARGET_RATE_PER_SECOND: '5',
      RELAY_DISABLE_AFTER_DEAD: '2',
      RELAY_FAIR_SPACING_MS: '7',
      RELAY_DELIVERY_TIMEOUT_MS: ' 2500 ',
      RELAY_CONCURRENCY: '4',
      RELAY_POLL_MS: '20',
      RELAY_MAX_PENDING: '10',
      RELAY_SUBSCRIBE_SECRET: 'subscribe-secret',
      RELAY_MAX_SUBSCRIPTIONS_PER_LOCATION: '9',
      RELAY_MAX_PENDING_PER_LOCATION: '8',
      RELAY_TOKEN_CACHE_SECONDS: '2',
      RELAY_TOKEN_CHECKS_PER_MINUTE: '3',
      RELAY_REQUEST_TIMEOUT_MS: '4000',
      RELAY_MAX_CONNECTIONS: '50',
      RELAY_DEAD_RETENTION_DAYS: '1',
      RELAY_TAGS_RETENTION_DAYS: '2',
      RELAY_DISABLED_RETENTION_DAYS: '3',
      RELAY_PG_INGEST_CONNECTIONS: '4',
      RELAY_PG_DELIVERY_CONNECTIONS: '5',
      RELAY_BACKLOG_REFRESH_MS: '1000',
      RELAY_RETENTION_HOURS: '30',
      RELAY_RETRY_AFTER_SECONDS: '15',
      RELAY_QUIET: 'yes',
      RELAY_ECWID_CLIENT_SECRET: 'ecwid-secret',
      RELAY_ECWID_API_BASE_URL: 'http://127.0.0.1:4020/api/v3/',
      RELAY_ADMIN_TOKEN: 'admin-token-0123456789',
      RELAY_METRICS_TOKEN: 'metrics-token',
    });
    expect(got).toEqual({
      host: '0.0.0.0',
      port: 9000,
      ghlApiBaseUrl: 'http://127.0.0.1:4010',
      allowedTargets: ['https://hooks.zapier.com/hooks/catch', 'http://127.0.0.1:*'],
      databaseUrl: 'postgres://relay@db/relay',
      sqlitePath: '/var/lib/relay.sqlite',
      sqliteSynchronous: 'NORMAL',
      maxBodyBytes: 1024,
      maxAgeSeconds: 90_000,
      maxFutureSeconds: 60,
      requireTimestamp: false,
      ghlAppIds: ['app1', 'app2'],
      retryBaseMs: 50,
      retryMaxMs: 5000,
      maxAttempts: 3,
      retryHorizonMs: 108_000_000,
      targetRatePerSecond: 5,
      disableAfterDead: 2,
      fairSpacingMs: 7,
      deliveryTimeoutMs: 2500,
      concurrency: 4,
      pollMs: 20,
      maxPending: 10,
      subscribeSecret: 'subscribe-secret',
      maxSubscriptionsPerLocation: 9,
      maxPendingPerLocation: 8,
      tokenCacheMs: 2000,
      tokenChecksPerMinute: 3,
      requestTimeoutMs: 4000,
      maxConnections: 50,
      deadRetentionMs: 86_400_000,
      tagsRetentionMs: 172_800_000,
      disabledRetentionMs: 259_200_000,
      pgIngestConnections: 4,
      pgDeliveryConnections: 5,
      backlogRefreshMs: 1000,
      retentionMs: 108_000_000,
      retryAfterSeconds: 15,
      quiet: true,
      ecwidClientSecret: 'ecwid-secret',
      ecwidApiBaseUrl: 'http://127.0.0.1:4020/api/v3',
      adminToken: 'admin-token-0123456789',
      metricsToken: 'metrics-token',
    });
  });

  it('fractions are plain decimals', () => {
    expect(loadConfig({ RELAY_MAX_AGE_SECONDS: '60', RELAY_MAX_FUTURE_SECONDS: '0', RELAY_RETENTION_HOURS: '1.25' }).retentionMs).toBe(
      4_500_000,
    );
    expect(loadConfig({ RELAY_MAX_AGE_SECONDS: '12.75' }).maxAgeSeconds).toBe(12.75);
  });

  it('RELAY_PORT=0 asks the system for a free port (the tests use it)', () => {
    expect(loadConfig({ RELAY_PORT: '0' }).port).toBe(0);
    expect(loadConfig({ RELAY_PORT: '65535' }).port).toBe(65_535);
  });

  it('the worker never runs with no concurrency or a busy-looping poll', () => {
    expect(loadConfig({ RELAY_CONCURRENCY: '0' }).concurrency).toBe(1);
    expect(loadConfig({ RELAY_CONCURRENCY: '1' }).concurrency).toBe(1);
    expect(loadConfig({ RELAY_POLL_MS: '0' }).pollMs).toBe(10);
    expect(loadConfig({ RELAY_POLL_MS: '11' }).pollMs).toBe(11);
  });

  it('only SQLITE_SYNCHRONOUS=NORMAL relaxes durability; anything else is FULL', () => {
    expect(loadConfig({ RELAY_SQLITE_SYNCHRONOUS: 'normal' }).sqliteSynchronous).toBe('FULL');
    expect(loadConfig({ RELAY_SQLITE_SYNCHRONOUS: 'OFF' }).sqliteSynchronous).toBe('FULL');
  });

  it.each([
    ['RELAY_PORT', 'abc', 'RELAY_PORT must be a non-negative number, got "abc"'],
    ['RELAY_PORT', '-1', 'RELAY_PORT must be a non-negative number, got "-1"'],
    ['RELAY_PORT', '8080.5', 'RELAY_PORT must be a port number (0 to 65535), got "8080.5"'],
    ['RELAY_PORT', '65536', 'RELAY_PORT must be a port number (0 to 65535), got "65536"'],
    ['RELAY_PORT', '0x1f90', 'RELAY_PORT must be a non-negative number, got "0x1f90"'],
    ['RELAY_MAX_ATTEMPTS', '-3', 'RELAY_MAX_ATTEMPTS must be a non-negative number, got "-3"'],
    ['RELAY_MAX_BODY_BYTES', '1e6', 'RELAY_MAX_BODY_BYTES must be a non-negative number, got "1e6"'],
    ['RELAY_RETRY_BASE_MS', 'Infinity', 'RELAY_RETRY_BASE_MS must be a non-negative number, got "Infinity"'],
    ['RELAY_RETENTION_HOURS', '24h', 'RELAY_RETENTION_HOURS must be a non-negative number, got "24h"'],
    ['RELAY_POLL_MS', '.5', 'RELAY_POLL_MS must be a non-negative number, got ".5"'],
    ['RELAY_POLL_MS', '5.', 'RELAY_POLL_MS must be a non-negative number, got "5."'],
    ['RELAY_MAX_PENDING', '1 000', 'RELAY_MAX_PENDING must be a non-negative number, got "1 000"'],
  ])('%s=%j stops the relay at start: %s', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new Error(message));
  });

  it.each([
    ['1', true],
    ['true', true],
    ['TRUE', true],
    ['yes', true],
    ['On', true],
    ['0', false],
    ['false', false],
    ['no', false],
    ['off', false],
    ['10', false],
    ['onion', false],
    ['con', false],
    ['yes!', false],
  ])('a yes/no variable: %j → %s', (value, expected) => {
    expect(loadConfig({ RELAY_QUIET: value }).quiet).toBe(expected);
    expect(loadConfig({ RELAY_REQUIRE_TIMESTAMP: value }).requireTimestamp).toBe(expected);
  });

  it('keys: configured ones replace GHL’s; the legacy RSA key only while the legacy header is accepted', () => {
    const ed = generateKeyPairSync('ed25519').publicKey;
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    const { keys } = loadConfig({
      RELAY_GHL_PUBLIC_KEY: (ed.export({ format: 'der', type: 'spki' }) as Buffer).toString('base64'),
      RELAY_GHL_LEGACY_PUBLIC_KEY: rsa.export({ format: 'pem', type: 'spki' }) as string,
    });
    expect(keys.ed25519.equals(ed)).toBe(true);
    expect(keys.rsa?.equals(rsa)).toBe(true);
    expect(loadConfig({ RELAY_ACCEPT_LEGACY_SIGNATURE: 'false' }).keys.rsa).toBeUndefined();
    expect(loadConfig({ RELAY_ACCEPT_LEGACY_SIGNATURE: 'true' }).keys.rsa?.equals(parsePublicKey(GHL_RSA_PUBLIC_KEY))).toBe(true);
  });

  it('a key that is no key stops the relay at start', () => {
    expect(() => loadConfig({ RELAY_GHL_PUBLIC_KEY: 'not-a-key' })).toThrow();
  });
});

describe('SUBSCRIBABLE_EVENTS', () => {
  it('are exactly the events of the instant triggers (src/resources/instant.ts)', () => {
    const source = readFileSync('src/resources/instant.ts', 'utf8');
    const declared = [...source.matchAll(/^ {2}event: '(\w+)',$/gm)].map((m) => m[1]);
    expect(declared).toHaveLength(8);
    expect([...SUBSCRIBABLE_EVENTS]).toEqual(declared);
  });
});

describe('isAllowedTarget', () => {
  const zapier = ['https://hooks.zapier.com'];

  it.each([
    ['https://hooks.zapier.com/hooks/standard/1/abc/', zapier, true],
    ['https://hooks.zapier.com', zapier, true],
    // The scheme's default port is no port.
    ['https://hooks.zapier.com:443/hooks/x', zapier, true],
    ['https://hooks.zapier.com:8443/hooks/x', zapier, false],
    ['http://hooks.zapier.com/hooks/x', zapier, false],
    ['https://hooks.zapier.com.evil.example/hooks/x', zapier, false],
    ['https://evil.example/https://hooks.zapier.com/hooks', zapier, false],
    ['https://HOOKS.ZAPIER.COM/hooks/x', zapier, true],
    // Credentials in the URL are refused outright (they would be sent along).
    ['https://user@hooks.zapier.com/hooks/x', zapier, false],
    ['https://:secret@hooks.zapier.com/hooks/x', zapier, false],
    ['not a url', zapier, false],
    ['', zapier, false],
    ['https://hooks.zapier.com/x', [], false],
  ])('%j with %j → %s', (url, allowed, expected) => {
    expect(isAllowedTarget(url, allowed)).toBe(expected);
  });

  it('a path prefix allows that path and what is below it, not a longer name', () => {
    for (const entry of ['https://hooks.zapier.com/hooks/catch', 'https://hooks.zapier.com/hooks/catch/']) {
      expect(isAllowedTarget('https://hooks.zapier.com/hooks/catch', [entry])).toBe(true);
      expect(isAllowedTarget('https://hooks.zapier.com/hooks/catch/', [entry])).toBe(true);
      expect(isAllowedTarget('https://hooks.zapier.com/hooks/catch/123/abc', [entry])).toBe(true);
      expect(isAllowedTarget('https://hooks.zapier.com/hooks/catchall', [entry])).toBe(false);
      expect(isAllowedTarget('https://hooks.zapier.com/hooks', [entry])).toBe(false);
      expect(isAllowedTarget('https://hooks.zapier.com/other/hooks/catch/1', [entry])).toBe(false);
    }
  });

  it('an entry with a port pins it; `:*` allows any port, also with a path', () => {
    expect(isAllowedTarget('http://127.0.0.1:8080/h', ['http://127.0.0.1:8080'])).toBe(true);
    expect(isAllowedTarget('http://127.0.0.1:8081/h', ['http://127.0.0.1:8080'])).toBe(false);
    expect(isAllowedTarget('http://127.0.0.1/h', ['http://127.0.0.1:8080'])).toBe(false);
    expect(isAllowedTarget('http://127.0.0.1:8080/h', ['http://127.0.0.1'])).toBe(false);
    expect(isAllowedTarget('http://127.0.0.1:8080/h', ['http://127.0.0.1:*'])).toBe(true);
    expect(isAllowedTarget('http://127.0.0.1/h', ['http://127.0.0.1:*'])).toBe(true);
    expect(isAllowedTarget('http://localhost:8080/h', ['http://127.0.0.1:*'])).toBe(false);
    expect(isAllowedTarget('http://127.0.0.1:9/hooks/1', ['http://127.0.0.1:*/hooks'])).toBe(true);
    expect(isAllowedTarget('http://127.0.0.1:9/other', ['http://127.0.0.1:*/hooks'])).toBe(false);
    // `*` elsewhere is no wildcard.
    expect(isAllowedTarget('http://127.0.0.1:8080/h', ['http://127.0.0.1:*x'])).toBe(false);
  });

  it('several entries: any one may match; an unreadable entry is skipped, not fatal', () => {
    const allowed = ['not a url', 'https://hooks.zapier.com', 'http://127.0.0.1:*'];
    expect(isAllowedTarget('https://hooks.zapier.com/h', allowed)).toBe(true);
    expect(isAllowedTarget('http://127.0.0.1:4000/h', allowed)).toBe(true);
    expect(isAllowedTarget('https://example.com/h', allowed)).toBe(false);
  });
});

describe('tokenSafeUrl: where the relay may send a GHL or Ecwid token', () => {
  it('https anywhere; http only to a loopback host', () => {
    for (const ok of [
      'https://services.leadconnectorhq.com',
      'http://127.0.0.1:4010',
      'http://127.9.8.7',
      'http://127.10.20.30',
      'http://localhost:4010/x',
      'http://[::1]:4010',
    ]) {
      expect(tokenSafeUrl('X_URL', ok)).toBe(ok);
    }
    for (const bad of [
      'http://example.com',
      'http://127.0.0.1.example.com',
      'http://127.0.0.1x.example.com',
      'http://localhost.example.com',
      'ftp://127.0.0.1',
    ]) {
      expect(() => tokenSafeUrl('X_URL', bad)).toThrow(
        `X_URL must use https (tokens are sent there); http is allowed for 127.0.0.1/localhost only, got "${bad}"`,
      );
    }
    expect(() => tokenSafeUrl('X_URL', 'not a url')).toThrow('X_URL must be a URL, got "not a url"');
  });

  it('the GHL base URL is checked and loses its trailing slashes; the Ecwid one too', () => {
    expect(() => loadConfig({ RELAY_GHL_API_BASE_URL: 'http://ghl.example.com' })).toThrow(
      'RELAY_GHL_API_BASE_URL must use https (tokens are sent there); http is allowed for 127.0.0.1/localhost only, got "http://ghl.example.com"',
    );
    expect(loadConfig({ RELAY_ECWID_API_BASE_URL: 'https://app.ecwid.com/api/v3//' }).ecwidApiBaseUrl).toBe('https://app.ecwid.com/api/v3');
    expect(loadConfig({ RELAY_ECWID_API_BASE_URL: 'https://a/b/c' }).ecwidApiBaseUrl).toBe('https://a/b/c');
  });
});

describe('retention and the Ecwid retry window', () => {
  it('webhook ids are kept at least the accepted age + skew + 1 h; a shorter setting stops the start', () => {
    const env = { RELAY_MAX_AGE_SECONDS: '3600', RELAY_MAX_FUTURE_SECONDS: '0' };
    expect(loadConfig(env).retentionMs).toBe(7_200_000);
    expect(loadConfig({ ...env, RELAY_RETENTION_HOURS: '' }).retentionMs).toBe(7_200_000);
    expect(loadConfig({ ...env, RELAY_RETENTION_HOURS: '2' }).retentionMs).toBe(7_200_000);
    expect(loadConfig({ ...env, RELAY_RETENTION_HOURS: '3' }).retentionMs).toBe(10_800_000);
    expect(() => loadConfig({ ...env, RELAY_RETENTION_HOURS: '1.5' })).toThrow(
      'RELAY_RETENTION_HOURS must be at least RELAY_MAX_AGE_SECONDS + RELAY_MAX_FUTURE_SECONDS + 1 h (2 h): a webhookId forgotten earlier could be delivered twice',
    );
    expect(() => loadConfig({ RELAY_MAX_AGE_SECONDS: '1800', RELAY_MAX_FUTURE_SECONDS: '0', RELAY_RETENTION_HOURS: '1' })).toThrow(
      '(1.5 h)',
    );
  });

  it('with the Ecwid secret set, webhooks up to 25 h old must be accepted (Ecwid retries for 24 h)', () => {
    const msg = 'RELAY_MAX_AGE_SECONDS must be at least 25 h (90000) with RELAY_ECWID_CLIENT_SECRET set: Ecwid retries a webhook for 24 h';
    expect(() => loadConfig({ RELAY_ECWID_CLIENT_SECRET: 's', RELAY_MAX_AGE_SECONDS: '89999' })).toThrow(msg);
    expect(loadConfig({ RELAY_ECWID_CLIENT_SECRET: 's', RELAY_MAX_AGE_SECONDS: '90000' }).ecwidClientSecret).toBe('s');
    expect(loadConfig({ RELAY_MAX_AGE_SECONDS: '60' }).ecwidClientSecret).toBeUndefined();
  });
});
