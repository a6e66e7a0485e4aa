import type { RelayConfig } from './config.js';
import { SqliteStore } from './sqlite-store.js';
import type { RelayStore } from './store.js';

/** SQLite unless RELAY_DATABASE_URL names a Postgres database (`pg` is loaded only then). */
export const openStore = async (cfg: Pick<RelayConfig, 'databaseUrl' | 'sqlitePath' | 'sqliteSynchronous'>): Promise<RelayStore> => {
  if (cfg.databaseUrl && /^postgres(ql)?:\/\//.test(cfg.databaseUrl)) {
    const { PostgresStore } = await import('./pg-store.js');
    return PostgresStore.connect(cfg.databaseUrl);
  }
  return new SqliteStore(cfg.sqlitePath, { synchronous: cfg.sqliteSynchronous });
};
