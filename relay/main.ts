/** `npm run relay`: the webhook relay, configured from the environment (relay/README.md). */
import { loadConfig } from './config.js';
import { startRelay } from './server.js';

const cfg = loadConfig();
const relay = await startRelay(cfg);
console.log(
  `[relay] listening on ${relay.url} (store: ${relay.store.kind}${relay.store.kind === 'sqlite' ? ` ${cfg.sqlitePath}` : ''}; targets: ${cfg.allowedTargets.join(', ')})`,
);
const stop = (signal: string) => {
  console.log(`[relay] ${signal}: finishing deliveries in flight`);
  relay.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGTERM', () => stop('SIGTERM'));
process.once('SIGINT', () => stop('SIGINT'));
