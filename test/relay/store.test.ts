import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { PostgresStore } from '../../relay/pg-store.js';
import { SqliteStore } from '../../relay/sqlite-store.js';
import { postgresUnavailable } from './helpers.js';
import { storeContract } from './store-contract.js';

describe('SQLite store', () => {
  storeContract(async () => new SqliteStore(':memory:'));
});

/**
 * Postgres runs when RELAY_TEST_DATABASE_URL names a reachable database (CI installs one, see
 * relay/README.md); otherwise these tests are skipped with a message saying so. Each run works in
 * a schema of its own, dropped at the end.
 */
const PG_URL = process.env.RELAY_TEST_DATABASE_URL;
const why = postgresUnavailable(PG_URL);
if (why) console.warn(`Postgres store tests skipped: ${why}.`);

(why ? describe.skip : describe)('Postgres store', () => {
  const schema = `relay_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const withSchema = (s: string) => {
    const u = new URL(PG_URL as string);
    u.searchParams.set('options', `-c search_path=${s}`);
    return u.toString();
  };
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

  storeContract(async () => {
    const s = `${schema}_${n++}`;
    await admin.query(`CREATE SCHEMA ${s}`);
    return PostgresStore.connect(withSchema(s));
  });

  test('two relays on one database never claim the same delivery', async () => {
    const s = `${schema}_claims`;
    await admin.query(`CREATE SCHEMA ${s}`);
    const [a, b] = await Promise.all([PostgresStore.connect(withSchema(s)), PostgresStore.connect(withSchema(s))]);
    try {
      await a.addSubscription({ id: 's1', locationId: 'locA', event: 'ContactCreate', targetUrl: 'http://127.0.0.1:9/', createdAt: 1 });
      await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          (i % 2 ? a : b).recordEvent({ id: `e${i}`, type: 'ContactCreate', locationId: 'locA', body: '{}', receivedAt: 1 }),
        ),
      );
      const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).claimDue(10, 15, 30_000)));
      const ids = claims.flat().map((d) => d.eventId);
      expect(ids).toHaveLength(200);
      expect(new Set(ids).size).toBe(200);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
