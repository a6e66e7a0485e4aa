/** The relay's entry point (`npm run relay`; `npm start` in relay/, the image's command): configured from the environment (relay/README.md). */
import { loadConfig } from './config.js';
import { log } from './log.js';
import { startRelay } from './server.js';

const cfg = loadConfig();
const relay = await startRelay(cfg);
log.info(
  {
    url: relay.url,
    store: relay.store.kind,
    ...(relay.store.kind === 'sqlite' ? { sqlitePath: cfg.sqlitePath } : {}),
    targets: cfg.allowedTargets,
  },
  `listening on ${relay.url}`,
);
let stopping = false;
const stop = (signal: NodeJS.Signals) => {
  // A second signal while stopping (an impatient Ctrl-C) does not cut the deliveries in flight short.
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'stopping: finishing deliveries in flight, then closing the store');
  relay.close().then(
    () => {
      log.info({ signal }, 'stopped');
      log.flush();
      process.exit(0);
    },
    (e: unknown) => {
      log.error({ signal, err: (e as Error).message }, 'stop failed');
      log.flush();
      process.exit(1);
    },
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
