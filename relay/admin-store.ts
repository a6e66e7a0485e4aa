/**
 * What the operator console and /metrics read and change in the store (relay/admin.ts,
 * relay/metrics.ts): subscriptions with their backlog, pending and dead deliveries, re-sending dead
 * ones, pausing a subscription. One implementation for both stores, over their SQL: the tables are
 * the same but for Postgres' `relay_` prefix. Never reads an event's body (personal data).
 */

export interface SubscriptionView {
  id: string;
  locationId: string;
  event: string;
  /** The Zapier hook's host only: the path is the hook's secret. */
  targetHost: string;
  createdAt: number;
  paused: boolean;
  pending: number;
  dead: number;
}

export interface DeliveryView {
  id: string;
  eventId: string;
  eventType: string;
  subscriptionId: string;
  locationId: string;
  state: 'pending' | 'dead';
  attempts: number;
  /** When a pending delivery is tried next (epoch ms). */
  nextAt: number;
  lastError: string | null;
  receivedAt: number;
}

export interface AdminStore {
  /** Every subscription, by location then event. */
  subscriptions(): Promise<SubscriptionView[]>;
  /** Deliveries in `state`, optionally of one subscription, oldest first, at most `limit`. */
  deliveries(opts: { state: 'pending' | 'dead'; subscriptionId?: string; limit: number }): Promise<DeliveryView[]>;
  /** Makes dead deliveries (one, or all of a subscription) pending again, due `now`, with a fresh attempt count. */
  resendDead(target: { deliveryId: string } | { subscriptionId: string }, now: number): Promise<number>;
  /** A paused subscription keeps receiving events (queued) but nothing is sent until it is resumed. False: no such subscription. */
  setPaused(subscriptionId: string, paused: boolean, now: number): Promise<boolean>;
  /** When the oldest undelivered (pending) event arrived (epoch ms), or undefined when none waits. */
  oldestPendingAt(): Promise<number | undefined>;
}

type Row = Record<string, unknown>;

/** Runs one statement with `$1`-style parameters; returns the rows of a query, or the changed-row count of a write. */
export type Exec = (sql: string, params: unknown[]) => Promise<{ rows: Row[]; changes: number }>;

/** The table that records paused subscriptions (created with the store's schema). */
export const pausedTable = (prefix: '' | 'relay_') =>
  `CREATE TABLE IF NOT EXISTS ${prefix}paused_subscriptions (subscription_id TEXT PRIMARY KEY, paused_at BIGINT NOT NULL);`;

/** The condition a due delivery `d` must meet besides being due: its subscription is not paused. */
export const notPaused = (prefix: '' | 'relay_', alias: string) =>
  `${alias}.subscription_id NOT IN (SELECT subscription_id FROM ${prefix}paused_subscriptions)`;

const hostOf = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
};

export const adminStore = (exec: Exec, prefix: '' | 'relay_'): AdminStore => {
  const t = (name: string) => `${prefix}${name}`;
  return {
    async subscriptions() {
      const { rows } = await exec(
        `SELECT s.id, s.location_id, s.event, s.target_url, s.created_at,
                (SELECT COUNT(*) FROM ${t('paused_subscriptions')} p WHERE p.subscription_id = s.id) AS paused,
                (SELECT COUNT(*) FROM ${t('deliveries')} d WHERE d.subscription_id = s.id AND d.state = 'pending') AS pending,
                (SELECT COUNT(*) FROM ${t('deliveries')} d WHERE d.subscription_id = s.id AND d.state = 'dead') AS dead
           FROM ${t('subscriptions')} s ORDER BY s.location_id, s.event, s.created_at`,
        [],
      );
      return rows.map((r) => ({
        id: String(r.id),
        locationId: String(r.location_id),
        event: String(r.event),
        targetHost: hostOf(String(r.target_url)),
        createdAt: Number(r.created_at),
        paused: Number(r.paused) > 0,
        pending: Number(r.pending),
        dead: Number(r.dead),
      }));
    },

    async deliveries({ state, subscriptionId, limit }) {
      const { rows } = await exec(
        `SELECT d.id, d.event_id, e.type, d.subscription_id, e.location_id, d.state, d.attempts, d.next_at, d.last_error, e.received_at
           FROM ${t('deliveries')} d JOIN ${t('events')} e ON e.id = d.event_id
          WHERE d.state = $1 AND ($2 = '' OR d.subscription_id = $2)
          ORDER BY e.received_at, d.id LIMIT $3`,
        [state, subscriptionId ?? '', limit],
      );
      return rows.map((r) => ({
        id: String(r.id),
        eventId: String(r.event_id),
        eventType: String(r.type),
        subscriptionId: String(r.subscription_id),
        locationId: String(r.location_id),
        state: r.state === 'dead' ? 'dead' : 'pending',
        attempts: Number(r.attempts),
        nextAt: Number(r.next_at),
        lastError: r.last_error === null || r.last_error === undefined ? null : String(r.last_error),
        receivedAt: Number(r.received_at),
      }));
    },

    async resendDead(target, now) {
      const [where, param] =
        'deliveryId' in target
          ? ['id = $3', /^\d+$/.test(target.deliveryId) ? Number(target.deliveryId) : -1]
          : ['subscription_id = $3', target.subscriptionId];
      const { changes } = await exec(
        `UPDATE ${t('deliveries')} SET state = $1, attempts = 0, next_at = $2, lease_until = 0 WHERE state = 'dead' AND ${where}`,
        ['pending', now, param],
      );
      return changes;
    },

    async setPaused(subscriptionId, paused, now) {
      const { rows } = await exec(`SELECT id FROM ${t('subscriptions')} WHERE id = $1`, [subscriptionId]);
      if (!rows.length) return false;
      if (paused) {
        await exec(
          `INSERT INTO ${t('paused_subscriptions')} (subscription_id, paused_at) VALUES ($1, $2) ON CONFLICT (subscription_id) DO NOTHING`,
          [subscriptionId, now],
        );
      } else {
        await exec(`DELETE FROM ${t('paused_subscriptions')} WHERE subscription_id = $1`, [subscriptionId]);
      }
      return true;
    },

    async oldestPendingAt() {
      const { rows } = await exec(
        `SELECT MIN(e.received_at) AS at FROM ${t('deliveries')} d JOIN ${t('events')} e ON e.id = d.event_id WHERE d.state = 'pending'`,
        [],
      );
      const at = rows[0]?.at;
      return at === null || at === undefined ? undefined : Number(at);
    },
  };
};
