import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseSync as Database } from 'node:sqlite';
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
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (state, next_at);
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
          removed += Number(this.stmt(`DELETE FROM subscriptions WHERE location_id = ?`).run(loc).changes);
          this.stmt(`DELETE FROM contact_tags WHERE location_id = ?`).run(loc);
        }
        return { duplicate: false, queued: 0, removed };
      }
      const queued = this.stmt(
        `INSERT INTO deliveries (event_id, subscription_id, target_url, next_at)
         SELECT ?, id, target_url, ? FROM subscriptions WHERE location_id = ? AND event = ?`,
      ).run(e.id, e.receivedAt, e.locationId, e.type);
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
    const row = this.stmt(`SELECT * FROM subscriptions WHERE id = ?`).get(id) as Row | undefined;
    return row ? toSubscription(row) : undefined;
  }

  async removeSubscription(id: string): Promise<boolean> {
    return this.tx(() => {
      this.stmt(`DELETE FROM deliveries WHERE subscription_id = ? AND state = 'pending'`).run(id);
      return Number(this.stmt(`DELETE FROM subscriptions WHERE id = ?`).run(id).changes) > 0;
    });
  }

  async claimDue(now: number, limit: number, leaseMs: number): Promise<Delivery[]> {
    return this.tx(() => {
      const rows = this.stmt(
        `SELECT d.id, d.event_id, d.subscription_id, d.target_url, d.attempts, e.body, e.received_at, e.type, e.location_id
           FROM deliveries d JOIN events e ON e.id = d.event_id
           WHERE d.state = 'pending' AND d.next_at <= ? AND d.lease_until <= ? AND ${notPaused('', 'd')}
           ORDER BY d.next_at, d.id LIMIT ?`,
      ).all(now, now, limit) as Row[];
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

  async retryAt(id: string, at: number, error: string): Promise<void> {
    await this.tx(() =>
      this.stmt(`UPDATE deliveries SET next_at = ?, lease_until = 0, last_error = ? WHERE id = ?`).run(at, error, Number(id)),
    );
  }

  async bury(id: string, error: string): Promise<void> {
    await this.tx(() =>
      this.stmt(`UPDATE deliveries SET state = 'dead', lease_until = 0, last_error = ? WHERE id = ?`).run(error, Number(id)),
    );
  }

  async nextDueAt(): Promise<number | undefined> {
    const row = this.stmt(`SELECT MIN(MAX(next_at, lease_until)) AS at FROM deliveries WHERE state = 'pending'`).get() as Row;
    return row.at === null || row.at === undefined ? undefined : Number(row.at);
  }

  async prune(before: number): Promise<number> {
    const r = this.stmt(
      `DELETE FROM events WHERE received_at < ? AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = events.id)`,
    ).run(before);
    return Number(r.changes);
  }

  async stats(): Promise<StoreStats> {
    const one = (sql: string) => Number((this.stmt(sql).get() as Row).n);
    return {
      pending: one(`SELECT COUNT(*) AS n FROM deliveries WHERE state = 'pending'`),
      dead: one(`SELECT COUNT(*) AS n FROM deliveries WHERE state = 'dead'`),
      subscriptions: one(`SELECT COUNT(*) AS n FROM subscriptions`),
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
