/**
 * The operator's view of both stores (relay/admin-store.ts): listing, pause/resume (a paused
 * subscription's deliveries are queued but never claimed), re-sending dead deliveries, the oldest
 * pending event. SQLite always; Postgres when RELAY_TEST_DATABASE_URL names a reachable database.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { PostgresStore } from '../../relay/pg-store.js';
import { SqliteStore } from '../../relay/sqlite-store.js';
import type { RelayStore } from '../../relay/store.js';
import { postgresUnavailable } from './helpers.js';

const contract = (open: () => Promise<RelayStore>) => {
  let store: RelayStore;
  beforeEach(async () => {
    store = await open();
    await store.addSubscription({
      id: 'sub-b',
      locationId: 'locB',
      event: 'ContactCreate',
      targetUrl: 'https://hooks.zapier.com/b/secret',
      createdAt: 3,
    });
    await store.addSubscription({
      id: 'sub-a2',
      locationId: 'locA',
      event: 'TaskCreate',
      targetUrl: 'https://hooks.zapier.com/a2',
      createdAt: 2,
    });
    await store.addSubscription({
      id: 'sub-a1',
      locationId: 'locA',
      event: 'ContactCreate',
      targetUrl: 'https://hooks.zapier.com/a1',
      createdAt: 1,
    });
  });
  afterEach(() => store.close());

  const record = (id: string, type: string, locationId: string, receivedAt: number) =>
    store.recordEvent({ id, type, locationId, body: '{"email":"jane@example.com"}', receivedAt });

  test('subscriptions by location then event, with host only, paused flag and counts', async () => {
    await record('e1', 'ContactCreate', 'locA', 10);
    await record('e2', 'ContactCreate', 'locA', 20);
    const [d1] = await store.claimDue(100, 1, 1000);
    await store.bury(d1!.id, 'HTTP 500');
    expect(await store.admin().subscriptions()).toEqual([
      {
        id: 'sub-a1',
        locationId: 'locA',
        event: 'ContactCreate',
        targetHost: 'hooks.zapier.com',
        createdAt: 1,
        paused: false,
        pending: 1,
        dead: 1,
      },
      {
        id: 'sub-a2',
        locationId: 'locA',
        event: 'TaskCreate',
        targetHost: 'hooks.zapier.com',
        createdAt: 2,
        paused: false,
        pending: 0,
        dead: 0,
      },
      {
        id: 'sub-b',
        locationId: 'locB',
        event: 'ContactCreate',
        targetHost: 'hooks.zapier.com',
        createdAt: 3,
        paused: false,
        pending: 0,
        dead: 0,
      },
    ]);
    expect(await store.admin().deliveries({ state: 'dead', limit: 10 })).toEqual([
      {
        id: d1!.id,
        eventId: 'e1',
        eventType: 'ContactCreate',
        subscriptionId: 'sub-a1',
        locationId: 'locA',
        state: 'dead',
        attempts: 1,
        nextAt: 10,
        lastError: 'HTTP 500',
        receivedAt: 10,
      },
    ]);
    expect(await store.admin().deliveries({ state: 'pending', subscriptionId: 'sub-b', limit: 10 })).toEqual([]);
    expect(await store.admin().deliveries({ state: 'pending', subscriptionId: 'sub-a1', limit: 10 })).toEqual([
      expect.objectContaining({ eventId: 'e2', attempts: 0, lastError: null, state: 'pending' }),
    ]);
    expect(await store.admin().oldestPendingAt()).toBe(20);
  });

  test('a paused subscription queues but is never claimed; resumed, it is', async () => {
    expect(await store.admin().setPaused('sub-a1', true, 5)).toBe(true);
    expect(await store.admin().setPaused('sub-a1', true, 6)).toBe(true);
    expect(await store.admin().setPaused('nope', true, 5)).toBe(false);
    await record('e1', 'ContactCreate', 'locA', 10);
    await record('e2', 'ContactCreate', 'locB', 10);
    expect((await store.claimDue(100, 10, 1000)).map((d) => d.subscriptionId)).toEqual(['sub-b']);
    expect((await store.admin().subscriptions()).find((s) => s.id === 'sub-a1')).toMatchObject({ paused: true, pending: 1 });
    expect(await store.admin().setPaused('sub-a1', false, 7)).toBe(true);
    expect((await store.claimDue(100, 10, 1000)).map((d) => [d.subscriptionId, d.attempts])).toEqual([['sub-a1', 1]]);
  });

  test('re-sends one dead delivery, or all of a subscription, as new: pending, due now, attempts from zero', async () => {
    for (const [i, loc] of [
      [1, 'locA'],
      [2, 'locA'],
      [3, 'locB'],
    ] as const)
      await record(`e${i}`, 'ContactCreate', loc, i);
    for (const d of await store.claimDue(100, 10, 1000)) await store.bury(d.id, 'HTTP 500');
    const dead = await store.admin().deliveries({ state: 'dead', limit: 10 });
    expect(dead).toHaveLength(3);
    const locB = dead.find((d) => d.locationId === 'locB')!;
    expect(await store.admin().resendDead({ deliveryId: locB.id }, 500)).toBe(1);
    expect(await store.admin().resendDead({ deliveryId: locB.id }, 500)).toBe(0);
    expect(await store.admin().resendDead({ deliveryId: 'not-a-number' }, 500)).toBe(0);
    expect(await store.admin().resendDead({ subscriptionId: 'sub-a1' }, 600)).toBe(2);
    expect(await store.admin().deliveries({ state: 'dead', limit: 10 })).toEqual([]);
    expect(await store.claimDue(499, 10, 1000)).toEqual([]);
    const again = await store.claimDue(600, 10, 1000);
    expect(again.map((d) => [d.eventId, d.attempts]).sort()).toEqual([
      ['e1', 1],
      ['e2', 1],
      ['e3', 1],
    ]);
  });
};

describe('SQLite', () => contract(async () => new SqliteStore(':memory:')));

const PG_URL = process.env.RELAY_TEST_DATABASE_URL;
const why = postgresUnavailable(PG_URL);
if (why) console.warn(`Postgres admin-store tests skipped: ${why}.`);
(why ? describe.skip : describe)('Postgres', () => {
  const schema = `relay_admin_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  let n = 0;
  let admin: pg.Client;
  beforeAll(async () => {
    admin = new pg.Client(PG_URL);
    await admin.connect();
  });
  afterAll(async () => {
    const { rows } = await admin.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE $1`, [`${schema}%`]);
    for (const r of rows as Array<{ nspname: string }>) await admin.query(`DROP SCHEMA ${r.nspname} CASCADE`);
    await admin.end();
  });
  contract(async () => {
    const s = `${schema}_${n++}`;
    await admin.query(`CREATE SCHEMA ${s}`);
    const u = new URL(PG_URL as string);
    u.searchParams.set('options', `-c search_path=${s}`);
    return PostgresStore.connect(u.toString());
  });
});
