/**
 * The Postgres store's tables (created or brought up to date at connect, so a relay of any earlier
 * version upgrades the schema in place) and the one statement that stores a batch of webhooks.
 * Used by relay/pg-store.ts.
 */

export const SCHEMA = `
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
ALTER TABLE relay_subscriptions ADD COLUMN IF NOT EXISTS disabled_at BIGINT;
ALTER TABLE relay_subscriptions ADD COLUMN IF NOT EXISTS disabled_reason TEXT;
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
ALTER TABLE relay_deliveries ADD COLUMN IF NOT EXISTS location_id TEXT NOT NULL DEFAULT '';
ALTER TABLE relay_deliveries ADD COLUMN IF NOT EXISTS sort_key BIGINT NOT NULL DEFAULT 0;
ALTER TABLE relay_deliveries ADD COLUMN IF NOT EXISTS dead_at BIGINT;
DROP INDEX IF EXISTS relay_deliveries_due;
CREATE INDEX IF NOT EXISTS relay_deliveries_order ON relay_deliveries (state, sort_key, id);
CREATE INDEX IF NOT EXISTS relay_deliveries_subscription ON relay_deliveries (subscription_id);
CREATE TABLE IF NOT EXISTS relay_contact_tags (
  location_id TEXT NOT NULL,
  contact_id TEXT NOT NULL,
  tags TEXT NOT NULL,
  at BIGINT NOT NULL,
  PRIMARY KEY (location_id, contact_id)
);
CREATE INDEX IF NOT EXISTS relay_contact_tags_at ON relay_contact_tags (at);
`;

/**
 * One statement stores a batch of webhooks: the events (a known id is a duplicate), a delivery per
 * active subscription of each new event's location and type, and the latest tags per contact (an
 * older event never overwrites newer tags; a ContactDelete forgets them).
 */
export const INGEST = `
WITH input AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[],
                       $7::text[], $8::text[], $9::boolean[], $10::bigint[], $11::int[])
    AS t(id, type, location_id, body, received_at, sort_key, contact_id, tags, deleted, at, ord)
), ins AS (
  INSERT INTO relay_events (id, type, location_id, body, received_at)
  SELECT id, type, location_id, body, received_at FROM input ORDER BY ord
  ON CONFLICT (id) DO NOTHING
  RETURNING id
), fresh AS (
  SELECT input.* FROM input JOIN ins USING (id)
), queued AS (
  INSERT INTO relay_deliveries (event_id, subscription_id, target_url, next_at, sort_key, location_id)
  SELECT f.id, s.id, s.target_url, f.received_at, f.sort_key, f.location_id
  FROM fresh f JOIN relay_subscriptions s ON s.location_id = f.location_id AND s.event = f.type AND s.disabled_at IS NULL
  RETURNING event_id
), latest AS (
  SELECT DISTINCT ON (location_id, contact_id) location_id, contact_id, tags, deleted, at
  FROM fresh WHERE contact_id IS NOT NULL AND (deleted OR tags IS NOT NULL)
  ORDER BY location_id, contact_id, at DESC, ord DESC
), upserted AS (
  INSERT INTO relay_contact_tags (location_id, contact_id, tags, at)
  SELECT location_id, contact_id, tags, at FROM latest WHERE NOT deleted
  ON CONFLICT (location_id, contact_id) DO UPDATE SET tags = EXCLUDED.tags, at = EXCLUDED.at
  WHERE relay_contact_tags.at <= EXCLUDED.at
), forgotten AS (
  DELETE FROM relay_contact_tags c USING latest l
  WHERE l.deleted AND c.location_id = l.location_id AND c.contact_id = l.contact_id AND c.at <= l.at
)
SELECT input.ord, ins.id IS NOT NULL AS fresh, COALESCE(q.n, 0)::int AS queued
FROM input LEFT JOIN ins USING (id)
LEFT JOIN (SELECT event_id, count(*) AS n FROM queued GROUP BY event_id) q ON q.event_id = input.id`;
