import pg from 'pg';
import { adminStore, notPaused, pausedTable, type AdminStore } from './admin-store.js';
import { Batcher } from './batcher.js';
import { INGEST, SCHEMA } from './pg-schema.js';
import type {
  Backlog,
  ContactTagsUpdate,
  Delivery,
  PruneCounts,
  PruneCutoffs,
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
 *
 * Round trips (docs/relay-shared.md#postgres): webhooks arriving together are stored by one statement
 * (group commit, `Batcher`); only an UNINSTALL or a ContactTagUpdate (which must read the tags
 * before writing) takes a transaction of its own. Completions are deleted in batches, most of them
 * by the next claim's statement (one round trip for both). Two pools:
 * webhooks never wait behind deliveries for a connection, nor deliveries behind webhooks.
 * A dropped connection is an error for the statements on it, never for the process: the pools
 * open new connections, and meanwhile the relay answers GHL 429 (server.ts).
 */

type Row = Record<string, unknown>;

/**
 * Group-commit batches of webhooks in flight at once. Two keep Postgres committing back to back
 * (one batch fills while the other commits); more cut the same webhooks into smaller statements,
 * each a round trip and a commit of its own. bench:pg (32 webhooks in flight, Postgres on the same
 * 2 cores): 2 stored about 1.2–1.35× as many per second as 8, with a lower p99 (docs/relay-shared.md).
 */
const INGEST_BATCHES_IN_FLIGHT = 2;

interface IngestItem {
  e: RelayEvent;
  order: number;
  contact?: ContactTagsUpdate;
}

export interface PostgresOptions {
  /**
   * Connections for storing webhooks (and subscriptions, and the events that take a transaction of
   * their own); at most INGEST_BATCHES_IN_FLIGHT batches of webhooks run at once among them.
   */
  ingestConnections?: number;
  /** Connections for claiming and settling deliveries. */
  deliveryConnections?: number;
  /** Told about connection errors (the process keeps running). */
  onError?: (error: Error, where: string) => void;
  /** How long to wait for a connection before failing the statement (the webhook then gets 429). */
  connectTimeoutMs?: number;
}

const toSubscription = (row: Row): Subscription => ({
  id: String(row.id),
  locationId: String(row.location_id),
  event: String(row.event),
  targetUrl: String(row.target_url),
  createdAt: Number(row.created_at),
  ...(row.company_id ? { companyId: String(row.company_id) } : {}),
});

export class PostgresStore implements RelayStore {
  readonly kind = 'postgres' as const;
  private ingest: Batcher<IngestItem, RecordResult>;
  /**
   * Completed deliveries not yet deleted. The next claim deletes them in its own statement (one
   * round trip for both; a claim follows nearly every answered hook); when no claim is under way
   * they are deleted by a statement of their own, at the next turn of the event loop.
   */
  private done: Array<{ id: string; resolve: () => void; reject: (e: unknown) => void }> = [];
  private claiming = 0;
  private deleting: Promise<void> | undefined;
  private deleteTimer: NodeJS.Timeout | undefined;

  private constructor(
    private pool: pg.Pool,
    private deliveryPool: pg.Pool,
    parallelIngest: number,
  ) {
    this.ingest = new Batcher((items) => this.ingestBatch(items), parallelIngest);
  }

  /** Deletes the completed deliveries no claim has taken along, unless a claim is under way (it ends by calling this again). */
  private scheduleDelete(): void {
    if (this.deleteTimer || this.deleting || this.claiming || !this.done.length) return;
    // A timer, not setImmediate: the claim a finished delivery kicks (a 0 ms timer set before this one) runs first.
    this.deleteTimer = setTimeout(() => {
      this.deleteTimer = undefined;
      if (this.claiming || !this.done.length) return;
      const jobs = this.done.splice(0);
      this.deleting = this.deliveryPool
        .query(`DELETE FROM relay_deliveries WHERE id = ANY($1::bigint[])`, [jobs.map((j) => j.id)])
        .then(
          () => jobs.forEach((j) => j.resolve()),
          (e: unknown) => jobs.forEach((j) => j.reject(e)),
        )
        .finally(() => {
          this.deleting = undefined;
          this.scheduleDelete();
        });
    }, 0);
  }

  static async connect(url: string, opts: PostgresOptions = {}): Promise<PostgresStore> {
    const onError = opts.onError ?? (() => undefined);
    const make = (max: number, name: string) => {
      const pool = new pg.Pool({
        connectionString: url,
        max,
        connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000,
        idleTimeoutMillis: 30_000,
        keepAlive: true,
      });
      // Without this listener an idle connection dropped by the server (restart, failover) would
      // be an unhandled 'error' event, and the process would exit.
      pool.on('error', (e) => onError(e, `${name} pool (idle connection)`));
      return pool;
    };
    const ingestConnections = Math.max(1, opts.ingestConnections ?? 8);
    const pool = make(ingestConnections + 1, 'ingest');
    const deliveryPool = make(Math.max(2, opts.deliveryConnections ?? 4), 'delivery');
    try {
      const client = await pool.connect();
      try {
        // Two relays starting together must not both create the tables.
        await client.query('SELECT pg_advisory_lock(72201)');
        await client.query(SCHEMA + pausedTable('relay_'));
        await client.query('SELECT pg_advisory_unlock(72201)');
      } finally {
        client.release();
      }
    } catch (e) {
      await Promise.all([pool.end(), deliveryPool.end()]);
      throw e;
    }
    return new PostgresStore(pool, deliveryPool, Math.min(INGEST_BATCHES_IN_FLIGHT, ingestConnections));
  }

  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    // A checked-out client has no listener of the pool's: a connection dropped mid-transaction
    // fails the query in progress, and this keeps its 'error' event from ending the process.
    let broken: Error | undefined;
    const onError = (e: Error) => (broken = e);
    c.on('error', onError);
    try {
      await c.query('BEGIN');
      const out = await fn(c);
      await c.query('COMMIT');
      return out;
    } catch (error) {
      if (!broken) await c.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      c.removeListener('error', onError);
      c.release(broken);
    }
  }

  async recordEvent(e: RelayEvent, opts: RecordOptions = {}): Promise<RecordResult> {
    const order = opts.order ?? e.receivedAt;
    if (opts.removeLocation || opts.removeCompany || opts.contact?.enrich) return this.recordAlone(e, order, opts);
    return this.ingest.push({ e, order, contact: opts.contact });
  }

  private async ingestBatch(items: IngestItem[]): Promise<RecordResult[]> {
    // The same id twice in one batch: the later one is a duplicate of the earlier, whatever it was.
    const first = new Map<string, number>();
    const unique: IngestItem[] = [];
    for (const it of items) {
      if (!first.has(it.e.id)) {
        first.set(it.e.id, unique.length);
        unique.push(it);
      }
    }
    const col = <T>(f: (it: IngestItem, i: number) => T) => unique.map(f);
    const r = await this.pool.query(INGEST, [
      col((it) => it.e.id),
      col((it) => it.e.type),
      col((it) => it.e.locationId),
      col((it) => it.e.body),
      col((it) => it.e.receivedAt),
      col((it) => it.order),
      col((it) => it.contact?.contactId ?? null),
      col((it) => (it.contact?.tags ? JSON.stringify(it.contact.tags) : null)),
      col((it) => !!it.contact?.deleted),
      col((it) => it.contact?.at ?? 0),
      col((_it, i) => i),
    ]);
    const byOrd = new Map<number, RecordResult>();
    for (const row of r.rows as Row[]) {
      byOrd.set(Number(row.ord), row.fresh ? { duplicate: false, queued: Number(row.queued) } : { duplicate: true, queued: 0 });
    }
    const seen = new Set<number>();
    return items.map((it) => {
      const i = first.get(it.e.id)!;
      if (seen.has(i) || unique[i] !== it) return { duplicate: true, queued: 0 };
      seen.add(i);
      return byOrd.get(i) ?? { duplicate: true, queued: 0 };
    });
  }

  /** An UNINSTALL or a ContactTagUpdate: its own transaction (it reads before it writes). */
  private async recordAlone(e: RelayEvent, order: number, opts: RecordOptions): Promise<RecordResult> {
    return this.tx(async (c) => {
      const ins = await c.query(
        `INSERT INTO relay_events (id, type, location_id, body, received_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING`,
        [e.id, e.type, e.locationId, e.body, e.receivedAt],
      );
      if (ins.rowCount === 0) return { duplicate: true, queued: 0 };
      if (opts.contact) await this.trackTags(c, e, opts.contact);
      if (opts.removeLocation || opts.removeCompany) {
        const r = await c.query(
          `WITH locs AS (
             SELECT $1::text AS location_id WHERE $1 <> ''
             UNION SELECT DISTINCT location_id FROM relay_subscriptions WHERE $2::text IS NOT NULL AND company_id = $2
           ), tags AS (
             DELETE FROM relay_contact_tags WHERE location_id IN (SELECT location_id FROM locs)
           ), dels AS (
             DELETE FROM relay_deliveries WHERE subscription_id IN
               (SELECT id FROM relay_subscriptions WHERE location_id IN (SELECT location_id FROM locs))
           )
           DELETE FROM relay_subscriptions WHERE location_id IN (SELECT location_id FROM locs) RETURNING disabled_at`,
          [opts.removeLocation ? e.locationId : '', opts.removeCompany ?? null],
        );
        return { duplicate: false, queued: 0, removed: (r.rows as Row[]).filter((row) => row.disabled_at === null).length };
      }
      const q = await c.query(
        `INSERT INTO relay_deliveries (event_id, subscription_id, target_url, next_at, sort_key, location_id)
         SELECT $1, id, target_url, $2, $5, $3 FROM relay_subscriptions WHERE location_id = $3 AND event = $4 AND disabled_at IS NULL`,
        [e.id, e.receivedAt, e.locationId, e.type, order],
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
    const r = await this.pool.query(`SELECT * FROM relay_subscriptions WHERE id = $1 AND disabled_at IS NULL`, [id]);
    const row = r.rows[0] as Row | undefined;
    return row ? toSubscription(row) : undefined;
  }

  async countSubscriptions(locationId: string): Promise<number> {
    const r = await this.pool.query(`SELECT count(*) AS n FROM relay_subscriptions WHERE location_id = $1 AND disabled_at IS NULL`, [
      locationId,
    ]);
    return Number((r.rows[0] as Row).n);
  }

  async removeSubscription(id: string): Promise<boolean> {
    const r = await this.pool.query(
      `WITH d AS (DELETE FROM relay_deliveries WHERE subscription_id = $1 AND state = 'pending')
       DELETE FROM relay_subscriptions WHERE id = $1 RETURNING disabled_at`,
      [id],
    );
    return (r.rows as Row[]).some((row) => row.disabled_at === null);
  }

  async disableSubscription(id: string, at: number, reason: string): Promise<boolean> {
    const r = await this.deliveryPool.query(
      `WITH d AS (DELETE FROM relay_deliveries WHERE subscription_id = $1 AND state = 'pending')
       UPDATE relay_subscriptions SET disabled_at = $2, disabled_reason = $3 WHERE id = $1 AND disabled_at IS NULL`,
      [id, at, reason],
    );
    return (r.rowCount ?? 0) > 0;
  }

  async claimDue(now: number, limit: number, leaseMs: number, skipTargets: readonly string[] = []): Promise<Delivery[]> {
    // The completed deliveries waiting for their DELETE go along (they are never claimed again by it).
    const jobs = this.done.splice(0);
    const doneIds = jobs.map((j) => j.id);
    this.claiming += 1;
    let r: pg.QueryResult;
    try {
      r = await this.deliveryPool.query(
        `WITH completed AS (
           DELETE FROM relay_deliveries WHERE id = ANY($5::bigint[])
         ), due AS (
           SELECT id FROM relay_deliveries
           WHERE state = 'pending' AND next_at <= $1 AND lease_until <= $1 AND NOT (target_url = ANY($4::text[]))
             AND NOT (id = ANY($5::bigint[])) AND ${notPaused('relay_', 'relay_deliveries')}
           ORDER BY sort_key, id LIMIT $2
           FOR UPDATE SKIP LOCKED
         )
         UPDATE relay_deliveries d SET lease_until = $3, attempts = d.attempts + 1
         FROM due, relay_events e
         WHERE d.id = due.id AND e.id = d.event_id
         RETURNING d.id, d.event_id, d.subscription_id, d.target_url, d.attempts, e.body, e.received_at, e.type, e.location_id`,
        [now, limit, now + leaseMs, skipTargets, doneIds],
      );
    } catch (e) {
      jobs.forEach((j) => j.reject(e));
      throw e;
    } finally {
      this.claiming -= 1;
      this.scheduleDelete();
    }
    jobs.forEach((j) => j.resolve());
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

  complete(id: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.done.push({ id, resolve, reject });
      this.scheduleDelete();
    });
  }

  async defer(id: string, at: number): Promise<void> {
    await this.deliveryPool.query(
      `UPDATE relay_deliveries SET next_at = $1, lease_until = 0, attempts = GREATEST(0, attempts - 1) WHERE id = $2`,
      [at, id],
    );
  }

  async retryAt(id: string, at: number, error: string): Promise<void> {
    // A retried delivery goes behind what is already waiting (its order key moves with its due time).
    await this.deliveryPool.query(
      `UPDATE relay_deliveries SET next_at = $1, sort_key = $1, lease_until = 0, last_error = $2 WHERE id = $3`,
      [at, error, id],
    );
  }

  async bury(id: string, error: string, at = Date.now()): Promise<void> {
    await this.deliveryPool.query(
      `UPDATE relay_deliveries SET state = 'dead', lease_until = 0, last_error = $1, dead_at = $3 WHERE id = $2`,
      [error, id, at],
    );
  }

  async nextDueAt(): Promise<number | undefined> {
    const r = await this.deliveryPool.query(
      `SELECT MIN(GREATEST(next_at, lease_until)) AS at FROM relay_deliveries WHERE state = 'pending'`,
    );
    const at = (r.rows[0] as Row | undefined)?.at;
    return at === null || at === undefined ? undefined : Number(at);
  }

  async prune(cut: PruneCutoffs): Promise<PruneCounts> {
    const r = await this.pool.query(
      `WITH dead AS (
         DELETE FROM relay_deliveries WHERE state = 'dead' AND COALESCE(dead_at, 0) < $1 RETURNING 1
       ), subs AS (
         DELETE FROM relay_subscriptions WHERE disabled_at < $3 RETURNING 1
       ), tags AS (
         DELETE FROM relay_contact_tags WHERE at < $2 RETURNING 1
       )
       SELECT (SELECT count(*) FROM dead) AS dead, (SELECT count(*) FROM subs) AS disabled, (SELECT count(*) FROM tags) AS tags`,
      [cut.dead, cut.tags, cut.disabled],
    );
    // Events after the dead deliveries that held them are gone (a separate statement sees those deletes).
    const ev = await this.pool.query(
      `DELETE FROM relay_events e WHERE e.received_at < $1 AND NOT EXISTS (SELECT 1 FROM relay_deliveries d WHERE d.event_id = e.id)`,
      [cut.events],
    );
    const row = r.rows[0] as Row;
    return { events: ev.rowCount ?? 0, dead: Number(row.dead), tags: Number(row.tags), disabled: Number(row.disabled) };
  }

  async backlog(): Promise<Backlog> {
    const r = await this.deliveryPool.query(
      `SELECT location_id, count(*) AS n FROM relay_deliveries WHERE state = 'pending' GROUP BY location_id`,
    );
    const byLocation = new Map<string, number>();
    let total = 0;
    for (const row of r.rows as Row[]) {
      byLocation.set(String(row.location_id), Number(row.n));
      total += Number(row.n);
    }
    return { total, byLocation };
  }

  async stats(): Promise<StoreStats> {
    const r = await this.pool.query(
      `SELECT (SELECT COUNT(*) FROM relay_deliveries WHERE state = 'pending') AS pending,
              (SELECT COUNT(*) FROM relay_deliveries WHERE state = 'dead') AS dead,
              (SELECT COUNT(*) FROM relay_subscriptions WHERE disabled_at IS NULL) AS subscriptions,
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
    await this.ingest.drained();
    // Every completion deleted (or failed) before the pools end: none is left to send again.
    while (this.done.length || this.deleting || this.deleteTimer || this.claiming) {
      if (this.deleting) await this.deleting;
      else await new Promise((r) => setTimeout(r, 1));
    }
    await Promise.all([this.pool.end(), this.deliveryPool.end()]);
  }
}
