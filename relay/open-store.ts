import type { RelayConfig } from './config.js';
import type { RelayLog } from './log.js';
import { SqliteStore } from './sqlite-store.js';
import type { RelayStore } from './store.js';

/** SQLite unless RELAY_DATABASE_URL names a Postgres database (`pg` is loaded only then). */
export const openStore = async (
  cfg: Pick<RelayConfig, 'databaseUrl' | 'sqlitePath' | 'sqliteSynchronous' | 'pgIngestConnections' | 'pgDeliveryConnections'>,
  log?: RelayLog,
): Promise<RelayStore> => {
  if (cfg.databaseUrl && /^postgres(ql)?:\/\//.test(cfg.databaseUrl)) {
    const { PostgresStore } = await import('./pg-store.js');
    return PostgresStore.connect(cfg.databaseUrl, {
      ingestConnections: cfg.pgIngestConnections,
      deliveryConnections: cfg.pgDeliveryConnections,
      onError: (e, where) => log?.warn({ where, error: e.message }, 'database connection lost (a new one is opened when needed)'),
    });
  }
  return new SqliteStore(cfg.sqlitePath, { synchronous: cfg.sqliteSynchronous });
};
