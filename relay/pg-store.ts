import pg from 'pg';
import { adminStore, notPaused, pausedTable, type AdminStore } from './admin-store.js';
import type {
  ContactTagsUpdate,
  Delivery,
  RecordOptions,
  RecordResult,
  RelayEvent,
  RelayStore,
  StoreStats,
  Subscription,
} from './store.js';

/**
 * Postgres, for several relays behind a load balancer sharing one database. Each relay claims due
 * deliveries with `FOR UPDATE SKIP LOCKED` and a lease, so two relays never send the same row at
 * once; a relay that dies mid-delivery leaves a lease that expires and another relay sends it.
 * A commit is durable (synchronous_commit on, Postgres' default) before GHL gets its 200.
 */

const SCHEMA = `
CREATE TABLE IF NOT EXISTS relay_events (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  location_id TEXT NOT NULL,
  body TEXT NOT NULL,
  received_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS relay_events_received_at ON relay_events (received_at);
CREATE TABLE IF NOT EXISTS relay_subscriptions (
  id TEXT PRIMARY KEY,
  location_id TEXT NOT NULL,
  event TEXT NOT NULL,
  target_url TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS relay_subscriptions_route ON relay_subscriptions (location_id, event);
ALTER TABLE relay_subscriptions ADD COLUMN IF NOT EXISTS company_id TEXT;
CREATE INDEX IF NOT EXISTS relay_subscriptions_company ON relay_subscriptions (company_id);
CREATE TABLE IF NOT EXISTS relay_deliveries (
  id BIGSERIAL PRIMARY KEY,
  event_id TEXT NOT NULL,
  subscription_id TEXT NOT NULL,
  target_url TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at BIGINT NOT NULL,
  lease_until BIGINT NOT NULL DEFAULT 0,
  last_error TEXT,
  UNIQUE (event_id, subscription_id)
);
CREATE INDEX IF NOT EXISTS relay_deliveries_due ON relay_deliveries (state, next_at);
CREATE INDEX IF NOT EXISTS relay_deliveries_subscription ON relay_deliveries (subscription_id);
CREATE TABLE IF NOT EXISTS relay_contact_tags (
  location_id TEXT NOT NULL,
  contact_id TEXT NOT NULL,
  tags TEXT NOT NULL,
  at BIGINT NOT NULL,
  PRIMARY KEY (location_id, contact_id)
);
`;

type Row = Record<string, unknown>;

export class PostgresStore implements RelayStore {
  readonly kind = 'postgres' as const;

  private constructor(private pool: pg.Pool) {}

  static async connect(url: string): Promise<PostgresStore> {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    const client = await pool.connect();
    try {
      // Two relays starting together must not both create the tables.
      await client.query('SELECT pg_advisory_lock(72201)');
      await client.query(SCHEMA + pausedTable('relay_'));
      await client.query('SELECT pg_advisory_unlock(72201)');
    } finally {
      client.release();
    }
    return new PostgresStore(pool);
  }

  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const out = await fn(c);
      await c.query('COMMIT');
      return out;
    } catch (error) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      c.release();
    }
  }

  async recordEvent(e: RelayEvent, opts: RecordOptions = {}): Promise<RecordResult> {
    return this.tx(async (c) => {
      const ins = await c.query(
        `INSERT INTO relay_events (id, type, location_id, body, received_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING`,
        [e.id, e.type, e.locationId, e.body, e.receivedAt],
      );
      if (ins.rowCount === 0) return { duplicate: true, queued: 0 };
      if (opts.contact) await this.trackTags(c, e, opts.contact);
      if (opts.removeLocation || opts.removeCompany) {
        const locations = opts.removeLocation
          ? [e.locationId]
          : (await c.query(`SELECT DISTINCT location_id FROM relay_subscriptions WHERE company_id = $1`, [opts.removeCompany])).rows.map(
              (r: Row) => String(r.location_id),
            );
        let removed = 0;
        for (const loc of locations) {
          await c.query(`DELETE FROM relay_contact_tags WHERE location_id = $1`, [loc]);
          await c.query(
            `DELETE FROM relay_deliveries WHERE subscription_id IN (SELECT id FROM relay_subscriptions WHERE location_id = $1)`,
            [loc],
          );
          removed += (await c.query(`DELETE FROM relay_subscriptions WHERE location_id = $1`, [loc])).rowCount ?? 0;
        }
        return { duplicate: false, queued: 0, removed };
      }
      const q = await c.query(
        `INSERT INTO relay_deliveries (event_id, subscription_id, target_url, next_at)
         SELECT $1, id, target_url, $2 FROM relay_subscriptions WHERE location_id = $3 AND event = $4`,
        [e.id, e.receivedAt, e.locationId, e.type],
      );
      return { duplicate: false, queued: q.rowCount ?? 0 };
    });
  }

  private async trackTags(c: pg.PoolClient, e: RelayEvent, t: ContactTagsUpdate): Promise<void> {
    // FOR UPDATE: two relays receiving events of one contact at once apply them one after the other.
    const r = await c.query(`SELECT tags, at FROM relay_contact_tags WHERE location_id = $1 AND contact_id = $2 FOR UPDATE`, [
      e.locationId,
      t.contactId,
    ]);
    const row = r.rows[0] as Row | undefined;
    if (t.enrich) {
      const previous = row ? (JSON.parse(String(row.tags)) as string[]) : undefined;
      await c.query(`UPDATE relay_events SET body = $1 WHERE id = $2`, [t.enrich(previous), e.id]);
    }
    if (row && Number(row.at) > t.at) return;
    if (t.deleted) await c.query(`DELETE FROM relay_contact_tags WHERE location_id = $1 AND contact_id = $2`, [e.locationId, t.contactId]);
    else if (t.tags)
      await c.query(
        `INSERT INTO relay_contact_tags (location_id, contact_id, tags, at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (location_id, contact_id) DO UPDATE SET tags = EXCLUDED.tags, at = EXCLUDED.at`,
        [e.locationId, t.contactId, JSON.stringify(t.tags), t.at],
      );
  }

  async addSubscription(s: Subscription): Promise<void> {
    await this.pool.query(
      `INSERT INTO relay_subscriptions (id, location_id, event, target_url, created_at, company_id) VALUES ($1, $2, $3, $4, $5, $6)`,
      [s.id, s.locationId, s.event, s.targetUrl, s.createdAt, s.companyId ?? null],
    );
  }

  async getSubscription(id: string): Promise<Subscription | undefined> {
    const r = await this.pool.query(`SELECT * FROM relay_subscriptions WHERE id = $1`, [id]);
    const row = r.rows[0] as Row | undefined;
    return row
      ? {
          id: String(row.id),
          locationId: String(row.location_id),
          event: String(row.event),
          targetUrl: String(row.target_url),
          createdAt: Number(row.created_at),
          ...(row.company_id ? { companyId: String(row.company_id) } : {}),
        }
      : undefined;
  }

  async removeSubscription(id: string): Promise<boolean> {
    return this.tx(async (c) => {
      await c.query(`DELETE FROM relay_deliveries WHERE subscription_id = $1 AND state = 'pending'`, [id]);
      const r = await c.query(`DELETE FROM relay_subscriptions WHERE id = $1`, [id]);
      return (r.rowCount ?? 0) > 0;
    });
  }

  async claimDue(now: number, limit: number, leaseMs: number): Promise<Delivery[]> {
    const r = await this.pool.query(
      `WITH due AS (
         SELECT id FROM relay_deliveries
         WHERE state = 'pending' AND next_at <= $1 AND lease_until <= $1 AND ${notPaused('relay_', 'relay_deliveries')}
         ORDER BY next_at, id LIMIT $2
         FOR UPDATE SKIP LOCKED
       )
       UPDATE relay_deliveries d SET lease_until = $3, attempts = d.attempts + 1
       FROM due, relay_events e
       WHERE d.id = due.id AND e.id = d.event_id
       RETURNING d.id, d.event_id, d.subscription_id, d.target_url, d.attempts, e.body, e.received_at, e.type, e.location_id`,
      [now, limit, now + leaseMs],
    );
    return (r.rows as Row[]).map((row) => ({
      id: String(row.id),
      eventId: String(row.event_id),
      subscriptionId: String(row.subscription_id),
      targetUrl: String(row.target_url),
      body: String(row.body),
      attempts: Number(row.attempts),
      receivedAt: Number(row.received_at),
      type: String(row.type),
      locationId: String(row.location_id),
    }));
  }

  async complete(id: string): Promise<void> {
    await this.pool.query(`DELETE FROM relay_deliveries WHERE id = $1`, [id]);
  }

  async retryAt(id: string, at: number, error: string): Promise<void> {
    await this.pool.query(`UPDATE relay_deliveries SET next_at = $1, lease_until = 0, last_error = $2 WHERE id = $3`, [at, error, id]);
  }

  async bury(id: string, error: string): Promise<void> {
    await this.pool.query(`UPDATE relay_deliveries SET state = 'dead', lease_until = 0, last_error = $1 WHERE id = $2`, [error, id]);
  }

  async nextDueAt(): Promise<number | undefined> {
    const r = await this.pool.query(`SELECT MIN(GREATEST(next_at, lease_until)) AS at FROM relay_deliveries WHERE state = 'pending'`);
    const at = (r.rows[0] as Row | undefined)?.at;
    return at === null || at === undefined ? undefined : Number(at);
  }

  async prune(before: number): Promise<number> {
    const r = await this.pool.query(
      `DELETE FROM relay_events e WHERE e.received_at < $1 AND NOT EXISTS (SELECT 1 FROM relay_deliveries d WHERE d.event_id = e.id)`,
      [before],
    );
    return r.rowCount ?? 0;
  }

  async stats(): Promise<StoreStats> {
    const r = await this.pool.query(
      `SELECT (SELECT COUNT(*) FROM relay_deliveries WHERE state = 'pending') AS pending,
              (SELECT COUNT(*) FROM relay_deliveries WHERE state = 'dead') AS dead,
              (SELECT COUNT(*) FROM relay_subscriptions) AS subscriptions,
              (SELECT COUNT(*) FROM relay_events) AS events`,
    );
    const row = r.rows[0] as Row;
    return { pending: Number(row.pending), dead: Number(row.dead), subscriptions: Number(row.subscriptions), events: Number(row.events) };
  }

  /** The operator console's queries (relay/admin-store.ts). */
  admin(): AdminStore {
    return adminStore(async (sql, params) => {
      const r = await this.pool.query(sql, params);
      return { rows: r.rows as Row[], changes: r.rowCount ?? 0 };
    }, 'relay_');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
