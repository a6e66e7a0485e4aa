import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseSync as Database } from 'node:sqlite';
import { adminStore, notPaused, pausedTable, type AdminStore } from './admin-store.js';
import type {
  Backlog,
  ContactTagsUpdate,
  PruneCounts,
  PruneCutoffs,
  Delivery,
  RecordOptions,
  RecordResult,
  RelayEvent,
  RelayStore,
  StoreStats,
  Subscription,
} from './store.js';

/**
 * The embedded store: Node 22's built-in SQLite (`node:sqlite`, no native addon to build), one
 * file, WAL journal. `synchronous = FULL` by default: a commit is on disk before GHL gets its 200,
 * so even a power cut loses nothing acknowledged (NORMAL survives a process crash, not a power cut).
 * One relay process per file: on open, claims left by a crashed process are released at once.
 */

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  location_id TEXT NOT NULL,
  body TEXT NOT NULL,
  received_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS events_received_at ON events (received_at);
CREATE TABLE IF NOT EXISTS subscriptions (
  id TEXT PRIMARY KEY,
  location_id TEXT NOT NULL,
  event TEXT NOT NULL,
  target_url TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  company_id TEXT
);
CREATE INDEX IF NOT EXISTS subscriptions_route ON subscriptions (location_id, event);
CREATE TABLE IF NOT EXISTS deliveries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL,
  subscription_id TEXT NOT NULL,
  target_url TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at INTEGER NOT NULL,
  lease_until INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  UNIQUE (event_id, subscription_id)
);
CREATE INDEX IF NOT EXISTS deliveries_subscription ON deliveries (subscription_id);
CREATE TABLE IF NOT EXISTS contact_tags (
  location_id TEXT NOT NULL,
  contact_id TEXT NOT NULL,
  tags TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (location_id, contact_id)
);
`;

type Row = Record<string, unknown>;

/**
 * Node 22 prints "SQLite is an experimental feature" when node:sqlite is first loaded (the API we
 * use is stable since 22.5); that one warning is kept out of the relay's and the demo's output.
 */
const loadSqlite = (): typeof import('node:sqlite') => {
  const emit = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (String(warning).includes('SQLite is an experimental feature')) return;
    (emit as (...a: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return process.getBuiltinModule('node:sqlite') as typeof import('node:sqlite');
  } finally {
    process.emitWarning = emit;
  }
};

const toSubscription = (r: Row): Subscription => ({
  id: String(r.id),
  locationId: String(r.location_id),
  event: String(r.event),
  targetUrl: String(r.target_url),
  createdAt: Number(r.created_at),
  ...(r.company_id ? { companyId: String(r.company_id) } : {}),
});

export class SqliteStore implements RelayStore {
  readonly kind = 'sqlite' as const;
  private db: Database;

  constructor(file: string, opts: { synchronous?: 'FULL' | 'NORMAL' } = {}) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new (loadSqlite().DatabaseSync)(file);
    this.db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${opts.synchronous ?? 'FULL'}; PRAGMA busy_timeout = 5000;`);
    this.db.exec(SCHEMA + pausedTable(''));
    // Files made before company_id existed get it added.
    const columns = this.db.prepare(`PRAGMA table_info(subscriptions)`).all() as Row[];
    if (!columns.some((c) => c.name === 'company_id')) this.db.exec(`ALTER TABLE subscriptions ADD COLUMN company_id TEXT`);
    this.db.exec(`CREATE INDEX IF NOT EXISTS subscriptions_company ON subscriptions (company_id)`);
    // Columns added since (fairness order, dead time, disabled subscriptions): added to older files.
    const add = (table: string, column: string, decl: string) => {
      const cols = this.db.prepare(`PRAGMA table_info(${table})`).all() as Row[];
      if (!cols.some((c) => c.name === column)) this.db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${decl}`);
    };
    add('subscriptions', 'disabled_at', 'INTEGER');
    add('subscriptions', 'disabled_reason', 'TEXT');
    add('deliveries', 'location_id', "TEXT NOT NULL DEFAULT ''");
    add('deliveries', 'sort_key', 'INTEGER NOT NULL DEFAULT 0');
    add('deliveries', 'dead_at', 'INTEGER');
    this.db.exec(`DROP INDEX IF EXISTS deliveries_due;
      CREATE INDEX IF NOT EXISTS deliveries_order ON deliveries (state, sort_key, id);
      CREATE INDEX IF NOT EXISTS contact_tags_at ON contact_tags (at);`);
    this.stmt(`UPDATE deliveries SET lease_until = 0 WHERE state = 'pending' AND lease_until > 0`).run();
  }

  private statements = new Map<string, ReturnType<Database['prepare']>>();

  /** Prepared once, reused: compiling the SQL costs more than running it. */
  private stmt(sql: string) {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      this.statements.set(sql, st);
    }
    return st;
  }

  private queue: Array<{ run: () => unknown; resolve: (v: unknown) => void; reject: (e: unknown) => void }> = [];
  private flushing = false;

  /**
   * Group commit: writes that arrive in the same turn of the event loop share one transaction
   * (one fsync), each in its own savepoint so that one failing write does not undo the others.
   * A write's promise settles only after COMMIT, so "resolved" means "on disk".
   */
  private tx<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      // A request still being read when the relay shut down: its webhook is refused (GHL retries it).
      if (!this.db.isOpen) return reject(new Error('the store is closed'));
      this.queue.push({ run: fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    const jobs = this.queue.splice(0);
    this.flushing = false;
    if (!jobs.length) return;
    const results: Array<{ ok: boolean; value: unknown }> = [];
    try {
      this.db.exec('BEGIN IMMEDIATE');
      for (const job of jobs) {
        this.db.exec('SAVEPOINT job');
        try {
          results.push({ ok: true, value: job.run() });
          this.db.exec('RELEASE job');
        } catch (error) {
          this.db.exec('ROLLBACK TO job');
          this.db.exec('RELEASE job');
          results.push({ ok: false, value: error });
        }
      }
      this.db.exec('COMMIT');
    } catch (error) {
      if (this.db.isOpen && this.db.isTransaction) this.db.exec('ROLLBACK');
      for (const job of jobs) job.reject(error);
      return;
    }
    jobs.forEach((job, i) => (results[i]!.ok ? job.resolve(results[i]!.value) : job.reject(results[i]!.value)));
  }

  async recordEvent(e: RelayEvent, opts: RecordOptions = {}): Promise<RecordResult> {
    return this.tx(() => {
      const inserted = this.stmt(`INSERT OR IGNORE INTO events (id, type, location_id, body, received_at) VALUES (?, ?, ?, ?, ?)`).run(
        e.id,
        e.type,
        e.locationId,
        e.body,
        e.receivedAt,
      );
      if (Number(inserted.changes) === 0) return { duplicate: true, queued: 0 };
      if (opts.contact) this.trackTags(e, opts.contact);
      if (opts.removeLocation || opts.removeCompany) {
        const locations = opts.removeLocation
          ? [e.locationId]
          : (this.stmt(`SELECT DISTINCT location_id FROM subscriptions WHERE company_id = ?`).all(opts.removeCompany!) as Row[]).map((r) =>
              String(r.location_id),
            );
        let removed = 0;
        for (const loc of locations) {
          this.stmt(`DELETE FROM deliveries WHERE subscription_id IN (SELECT id FROM subscriptions WHERE location_id = ?)`).run(loc);
          removed += Number(this.stmt(`SELECT count(*) AS n FROM subscriptions WHERE location_id = ? AND disabled_at IS NULL`).get(loc)!.n);
          this.stmt(`DELETE FROM subscriptions WHERE location_id = ?`).run(loc);
          this.stmt(`DELETE FROM contact_tags WHERE location_id = ?`).run(loc);
        }
        return { duplicate: false, queued: 0, removed };
      }
      const queued = this.stmt(
        `INSERT INTO deliveries (event_id, subscription_id, target_url, next_at, sort_key, location_id)
         SELECT ?, id, target_url, ?, ?, location_id FROM subscriptions WHERE location_id = ? AND event = ? AND disabled_at IS NULL`,
      ).run(e.id, e.receivedAt, opts.order ?? e.receivedAt, e.locationId, e.type);
      return { duplicate: false, queued: Number(queued.changes) };
    });
  }

  private trackTags(e: RelayEvent, c: ContactTagsUpdate): void {
    const row = this.stmt(`SELECT tags, at FROM contact_tags WHERE location_id = ? AND contact_id = ?`).get(e.locationId, c.contactId) as
      Row | undefined;
    if (c.enrich) {
      const previous = row ? (JSON.parse(String(row.tags)) as string[]) : undefined;
      this.stmt(`UPDATE events SET body = ? WHERE id = ?`).run(c.enrich(previous), e.id);
    }
    if (row && Number(row.at) > c.at) return;
    if (c.deleted) this.stmt(`DELETE FROM contact_tags WHERE location_id = ? AND contact_id = ?`).run(e.locationId, c.contactId);
    else if (c.tags)
      this.stmt(
        `INSERT INTO contact_tags (location_id, contact_id, tags, at) VALUES (?, ?, ?, ?)
         ON CONFLICT (location_id, contact_id) DO UPDATE SET tags = excluded.tags, at = excluded.at`,
      ).run(e.locationId, c.contactId, JSON.stringify(c.tags), c.at);
  }

  async addSubscription(s: Subscription): Promise<void> {
    await this.tx(() =>
      this.stmt(`INSERT INTO subscriptions (id, location_id, event, target_url, created_at, company_id) VALUES (?, ?, ?, ?, ?, ?)`).run(
        s.id,
        s.locationId,
        s.event,
        s.targetUrl,
        s.createdAt,
        s.companyId ?? null,
      ),
    );
  }

  async getSubscription(id: string): Promise<Subscription | undefined> {
    const row = this.stmt(`SELECT * FROM subscriptions WHERE id = ? AND disabled_at IS NULL`).get(id) as Row | undefined;
    return row ? toSubscription(row) : undefined;
  }

  async countSubscriptions(locationId: string): Promise<number> {
    return Number(
      (this.stmt(`SELECT count(*) AS n FROM subscriptions WHERE location_id = ? AND disabled_at IS NULL`).get(locationId) as Row).n,
    );
  }

  async removeSubscription(id: string): Promise<boolean> {
    return this.tx(() => {
      this.stmt(`DELETE FROM deliveries WHERE subscription_id = ? AND state = 'pending'`).run(id);
      const active = this.stmt(`SELECT 1 AS x FROM subscriptions WHERE id = ? AND disabled_at IS NULL`).get(id);
      this.stmt(`DELETE FROM subscriptions WHERE id = ?`).run(id);
      return !!active;
    });
  }

  async disableSubscription(id: string, at: number, reason: string): Promise<boolean> {
    return this.tx(() => {
      this.stmt(`DELETE FROM deliveries WHERE subscription_id = ? AND state = 'pending'`).run(id);
      const r = this.stmt(`UPDATE subscriptions SET disabled_at = ?, disabled_reason = ? WHERE id = ? AND disabled_at IS NULL`).run(
        at,
        reason,
        id,
      );
      return Number(r.changes) > 0;
    });
  }

  async claimDue(now: number, limit: number, leaseMs: number, skipTargets: readonly string[] = []): Promise<Delivery[]> {
    return this.tx(() => {
      const rows = this.stmt(
        `SELECT d.id, d.event_id, d.subscription_id, d.target_url, d.attempts, e.body, e.received_at, e.type, e.location_id
           FROM deliveries d JOIN events e ON e.id = d.event_id
           WHERE d.state = 'pending' AND d.next_at <= ? AND d.lease_until <= ? AND ${notPaused('', 'd')}
             AND d.target_url NOT IN (SELECT value FROM json_each(?))
           ORDER BY d.sort_key, d.id LIMIT ?`,
      ).all(now, now, JSON.stringify(skipTargets), limit) as Row[];
      const lease = this.stmt(`UPDATE deliveries SET lease_until = ?, attempts = attempts + 1 WHERE id = ?`);
      return rows.map((r) => {
        lease.run(now + leaseMs, r.id as number);
        return {
          id: String(r.id),
          eventId: String(r.event_id),
          subscriptionId: String(r.subscription_id),
          targetUrl: String(r.target_url),
          body: String(r.body),
          attempts: Number(r.attempts) + 1,
          receivedAt: Number(r.received_at),
          type: String(r.type),
          locationId: String(r.location_id),
        };
      });
    });
  }

  async complete(id: string): Promise<void> {
    await this.tx(() => this.stmt(`DELETE FROM deliveries WHERE id = ?`).run(Number(id)));
  }

  async defer(id: string, at: number): Promise<void> {
    await this.tx(() =>
      this.stmt(`UPDATE deliveries SET next_at = ?, lease_until = 0, attempts = MAX(0, attempts - 1) WHERE id = ?`).run(at, Number(id)),
    );
  }

  async retryAt(id: string, at: number, error: string): Promise<void> {
    // A retried delivery goes behind what is already waiting (its order key moves with its due time).
    await this.tx(() =>
      this.stmt(`UPDATE deliveries SET next_at = ?, sort_key = ?, lease_until = 0, last_error = ? WHERE id = ?`).run(
        at,
        at,
        error,
        Number(id),
      ),
    );
  }

  async bury(id: string, error: string, at = Date.now()): Promise<void> {
    await this.tx(() =>
      this.stmt(`UPDATE deliveries SET state = 'dead', lease_until = 0, last_error = ?, dead_at = ? WHERE id = ?`).run(
        error,
        at,
        Number(id),
      ),
    );
  }

  async nextDueAt(): Promise<number | undefined> {
    const row = this.stmt(`SELECT MIN(MAX(next_at, lease_until)) AS at FROM deliveries WHERE state = 'pending'`).get() as Row;
    return row.at === null || row.at === undefined ? undefined : Number(row.at);
  }

  async prune(cut: PruneCutoffs): Promise<PruneCounts> {
    return this.tx(() => {
      const n = (sql: string, v: number) => Number(this.stmt(sql).run(v).changes);
      const dead = n(`DELETE FROM deliveries WHERE state = 'dead' AND COALESCE(dead_at, 0) < ?`, cut.dead);
      const disabled = n(`DELETE FROM subscriptions WHERE disabled_at < ?`, cut.disabled);
      const tags = n(`DELETE FROM contact_tags WHERE at < ?`, cut.tags);
      const events = n(
        `DELETE FROM events WHERE received_at < ? AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = events.id)`,
        cut.events,
      );
      return { events, dead, tags, disabled };
    });
  }

  async backlog(): Promise<Backlog> {
    const rows = this.stmt(`SELECT location_id, count(*) AS n FROM deliveries WHERE state = 'pending' GROUP BY location_id`).all() as Row[];
    const byLocation = new Map<string, number>();
    let total = 0;
    for (const r of rows) {
      byLocation.set(String(r.location_id), Number(r.n));
      total += Number(r.n);
    }
    return { total, byLocation };
  }

  async stats(): Promise<StoreStats> {
    const one = (sql: string) => Number((this.stmt(sql).get() as Row).n);
    return {
      pending: one(`SELECT COUNT(*) AS n FROM deliveries WHERE state = 'pending'`),
      dead: one(`SELECT COUNT(*) AS n FROM deliveries WHERE state = 'dead'`),
      subscriptions: one(`SELECT COUNT(*) AS n FROM subscriptions WHERE disabled_at IS NULL`),
      events: one(`SELECT COUNT(*) AS n FROM events`),
    };
  }

  /** The operator console's queries (relay/admin-store.ts); writes go through the group commit like every other. */
  admin(): AdminStore {
    return adminStore(async (sql, params) => {
      const st = this.stmt(sql.replace(/\$(\d+)/g, '?$1'));
      const args = params as Array<string | number>;
      if (/^\s*SELECT/i.test(sql)) return { rows: st.all(...args) as Row[], changes: 0 };
      const r = await this.tx(() => st.run(...args));
      return { rows: [], changes: Number(r.changes) };
    }, '');
  }

  async close(): Promise<void> {
    while (this.queue.length || this.flushing) await new Promise((r) => setImmediate(r));
    if (this.db.isOpen) this.db.close();
  }
}
