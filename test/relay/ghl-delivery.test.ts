import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import pg from 'pg';
import { startRelay, type Relay } from '../../relay/server.js';
import { startSandbox, type Sandbox } from '../../sandbox/server.js';
import type { WebhookLogEntry } from '../../sandbox/webhooks.js';
import { ManualClock } from './clock.js';
import { hookReceiver, postgresUnavailable, relayConfig, subscribe, testKeys, waitFor } from './helpers.js';

/**
 * Nothing GHL really sends is lost or delivered twice, under GHL's current delivery policy
 * (docs/ghl-webhooks.md): the sandbox plays GHL (retries on any failure with exponential backoff,
 * the same bytes, manual re-send), the relay runs over real HTTP on SQLite and Postgres, and a
 * ManualClock stands in for half an hour or a day of GHL's retries: no real waiting.
 *
 * Each case ends with the same check: every webhook GHL created reached each subscribed hook
 * exactly once (and nothing else did), the relay has nothing left to deliver.
 */

const APP_ID = '69c53778c480e55ef298a2fe';
const MINUTE = 60_000;
const DAY = 1440 * MINUTE;

const PG_URL = process.env.RELAY_TEST_DATABASE_URL;
const pgMissing = postgresUnavailable(PG_URL);
if (pgMissing) console.warn(`GHL delivery tests on Postgres skipped: ${pgMissing}.`);
const stores = ['SQLite', ...(pgMissing ? [] : ['Postgres'])];

describe.each(stores)('GHL → relay (%s): 0 lost, 0 duplicated', (storeName) => {
  const keys = testKeys();
  let dir: string;
  let admin: pg.Client | undefined;
  const schemas: string[] = [];
  const open: Array<{ close(): Promise<void> }> = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'relay-ghl-'));
    if (storeName === 'Postgres') {
      admin = new pg.Client(PG_URL);
      await admin.connect();
    }
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    for (const s of schemas) await admin!.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await admin?.end();
  });
  afterEach(async () => {
    while (open.length) await open.pop()!.close();
  });

  /** One store (a SQLite file or a Postgres schema) that survives relay restarts within a test. */
  const newStoreEnv = async (): Promise<Record<string, string>> => {
    if (storeName === 'SQLite') return { RELAY_SQLITE_PATH: join(dir, `${randomUUID()}.sqlite`) };
    const schema = `relay_ghl_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    schemas.push(schema);
    await admin!.query(`CREATE SCHEMA ${schema}`);
    const u = new URL(PG_URL as string);
    u.searchParams.set('options', `-c search_path=${schema}`);
    return { RELAY_DATABASE_URL: u.toString() };
  };

  /** GHL (the sandbox, on the test's clock), two Zapier hooks, and a relay that can be stopped and started on one port and store. */
  const world = async (env: Record<string, string> = {}, hookGate?: () => Promise<void>) => {
    nock.enableNetConnect('127.0.0.1');
    const clock = new ManualClock();
    const ghl: Sandbox = await startSandbox({ seed: 'demo', webhooks: { clock, appId: APP_ID } });
    open.push(ghl);
    const hooks = [0, 1].map(async () => {
      const h = await hookReceiver(async () => {
        await hookGate?.();
        return 200;
      });
      open.push(h);
      return h;
    });
    const [a, b] = await Promise.all(hooks);
    const storeEnv = await newStoreEnv();
    let relay: Relay | undefined;
    let port = 0;
    const start = async () => {
      relay = await startRelay(
        relayConfig(keys, {
          RELAY_PORT: String(port),
          RELAY_GHL_PUBLIC_KEY: ghl.webhooks.publicKey,
          RELAY_GHL_API_BASE_URL: ghl.url,
          RELAY_GHL_APP_ID: APP_ID,
          RELAY_DELIVERY_TIMEOUT_MS: '60000',
          ...storeEnv,
          ...env,
        }),
        { now: clock.now },
      );
      port = relay.port;
      ghl.webhooks.setUrl(`${relay.url}/webhooks/ghl`);
      return relay;
    };
    const stop = async () => {
      await relay!.close();
      relay = undefined;
    };
    open.push({ close: async () => void (relay && (await relay.close())) });
    await start();
    const token = ghl.issueTokens().access_token;
    for (const [hook, event] of [
      [a!, 'ContactCreate'],
      [b!, 'ContactCreate'],
      [a!, 'NoteCreate'],
    ] as const) {
      expect((await subscribe(relay!.url, token, { locationId: ghl.locationId, event, targetUrl: hook.url })).status).toBe(201);
    }
    const settle = () => ghl.webhooks.flush();
    let n = 0;
    const emit = (type = 'ContactCreate') => ghl.webhooks.emit(type, ghl.locationId, { id: `c${String(n++).padStart(5, '0')}` })!;
    /** Moves GHL's clock until every webhook has its final outcome (each retry fires in order). */
    const drainGhl = async () => {
      for (;;) {
        await settle();
        const next = clock.scheduled[0];
        if (next === undefined) break;
        await clock.advance(next - clock.now(), settle);
      }
    };
    /** The final check: each webhook exactly once at each hook subscribed to its type, nothing else anywhere. */
    const expectEachDeliveredOnce = async (entries: WebhookLogEntry[]) => {
      const want = (h: typeof a) => entries.filter((e) => (h === b ? e.type === 'ContactCreate' : true)).map((e) => e.webhookId);
      await waitFor('every webhook at its hooks', () =>
        [a!, b!].every((h) => want(h).every((id) => h.received.some((r) => r.body.webhookId === id))),
      );
      await waitFor('nothing left to deliver', async () => (await relay!.store.stats()).pending === 0);
      for (const h of [a!, b!]) expect(h.received.map((r) => r.body.webhookId).sort()).toEqual(want(h).sort());
      expect(await relay!.store.stats()).toMatchObject({ pending: 0, dead: 0 });
    };
    return { clock, ghl, hooks: [a!, b!], start, stop, settle, emit, drainGhl, expectEachDeliveredOnce, relay: () => relay! };
  };

  test('the relay down for 30 minutes: GHL retries every webhook of the outage, each arrives once; a re-send a day later changes nothing', async () => {
    const w = await world();
    const before = [w.emit(), w.emit('NoteCreate')];
    await w.settle();
    await w.stop();
    // 30 minutes of changes while the relay is down: one every minute, GHL's retries firing meanwhile.
    const during: WebhookLogEntry[] = [];
    for (let m = 0; m < 30; m++) {
      during.push(w.emit(m % 5 === 4 ? 'NoteCreate' : 'ContactCreate'));
      await w.clock.advance(MINUTE, w.settle);
    }
    expect(during.every((e) => e.outcome === 'pending' && e.statuses.every((s) => s === 0))).toBe(true);
    await w.start();
    await w.drainGhl();
    const all = [...before, ...during];
    expect(all.map((e) => e.outcome)).toEqual(all.map(() => 'accepted'));
    // The first ones were accepted long after their timestamp (the old 300 s window refused them for good).
    const lateness = (e: WebhookLogEntry) => w.clock.now() - Date.parse(JSON.parse(e.body).timestamp);
    expect(lateness(during[0]!)).toBeGreaterThan(30 * MINUTE);
    await w.expectEachDeliveredOnce(all);

    // The Webhook Logs' manual re-send, 10 minutes and then a day later: acknowledged, not delivered again.
    await w.clock.advance(10 * MINUTE);
    w.ghl.webhooks.resend(during[0]!.webhookId);
    await w.settle();
    await w.clock.advance(DAY);
    for (const e of all) w.ghl.webhooks.resend(e.webhookId);
    await w.settle();
    expect(all.every((e) => e.outcome === 'accepted')).toBe(true);
    expect(w.relay().counters.webhooks.duplicate).toBeGreaterThanOrEqual(all.length + 1);
    await w.expectEachDeliveredOnce(all);
  });

  test('overloaded (its own 429, backlog full): GHL retries the refused webhooks later, each arrives once', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    // Two ContactCreate deliveries per webhook: a backlog of 6 takes 3 webhooks, then 429.
    const w = await world({ RELAY_MAX_PENDING: '6' }, () => gate);
    try {
      const burst = Array.from({ length: 12 }, () => w.emit());
      await w.settle();
      const refused = burst.filter((e) => e.statuses[0] === 429);
      expect(refused.length).toBeGreaterThanOrEqual(6);
      expect(w.relay().counters.refused.backlog_full).toBe(refused.length);
      release();
      await waitFor('the backlog delivered', async () => (await w.relay().store.stats()).pending === 0);
      await w.drainGhl();
      expect(burst.map((e) => e.outcome)).toEqual(burst.map(() => 'accepted'));
      await w.expectEachDeliveredOnce(burst);
    } finally {
      release(); // a failed check must not leave deliveries hanging at the gate
    }
  });

  test('restarted in the middle of a burst: what was cut off is retried by GHL, each arrives once', async () => {
    const w = await world();
    const first = Array.from({ length: 25 }, (_, i) => w.emit(i % 3 ? 'ContactCreate' : 'NoteCreate'));
    // Stop while those requests are in flight: some were stored, some not, some stored but not answered.
    await w.stop();
    await w.settle();
    await w.clock.advance(MINUTE, w.settle);
    await w.start();
    const second = Array.from({ length: 25 }, () => w.emit());
    await w.drainGhl();
    const all = [...first, ...second];
    expect(all.map((e) => e.outcome)).toEqual(all.map(() => 'accepted'));
    expect(first.some((e) => e.attempts > 1)).toBe(true);
    await w.expectEachDeliveredOnce(all);
  });

  test('a webhook GHL gave up on (relay down through all 12 retries) is delivered once when re-sent by hand a day later', async () => {
    const w = await world();
    await w.stop();
    const lost = w.emit();
    await w.drainGhl();
    expect(lost).toMatchObject({ outcome: 'failed', attempts: 13 });
    await w.start();
    await w.clock.advance(DAY);
    w.ghl.webhooks.resend(lost.webhookId);
    await w.settle();
    expect(lost.outcome).toBe('accepted');
    w.ghl.webhooks.resend(lost.webhookId);
    await w.settle();
    await w.expectEachDeliveredOnce([lost]);
  });

  test("another app's webhooks (same GHL key) are acknowledged and ignored: its UNINSTALL removes nothing; this app's agency-level UNINSTALL removes the company's", async () => {
    const w = await world();
    const relay = w.relay();
    const other = w.ghl.webhooks.emit('ContactCreate', w.ghl.locationId, { id: 'x1' }, { appId: '665c6bb13d4e5364bdec0e2f' })!;
    const otherUninstall = w.ghl.webhooks.emit('UNINSTALL', w.ghl.locationId, {}, { appId: '665c6bb13d4e5364bdec0e2f' })!;
    await w.settle();
    expect([other.statuses, otherUninstall.statuses]).toEqual([[200], [200]]);
    expect(relay.counters.webhooks.other_app).toBe(2);
    expect((await relay.store.stats()).subscriptions).toBe(3);
    const mine = w.emit();
    await w.settle();
    await w.expectEachDeliveredOnce([mine]);
    // Agency level: no locationId, the company GHL named when the subscriptions were made.
    const agency = w.ghl.webhooks.emit('UNINSTALL', undefined, { companyId: w.ghl.state.companyId })!;
    await w.settle();
    expect(agency.outcome).toBe('accepted');
    expect(JSON.parse(agency.body)).toEqual({
      type: 'UNINSTALL',
      appId: APP_ID,
      versionId: 'sandbox-version-1',
      companyId: w.ghl.state.companyId,
      timestamp: expect.any(String),
      webhookId: agency.webhookId,
    });
    expect((await relay.store.stats()).subscriptions).toBe(0);
    expect(relay.counters.uninstallRemoved).toBe(3);
  });
});
