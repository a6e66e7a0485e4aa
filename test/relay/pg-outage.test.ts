import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import nock from 'nock';
import { memoryLog } from '../../relay/log.js';
import { startRelay } from '../../relay/server.js';
import { ghlEvent, hookReceiver, postWebhook, relayConfig, testKeys, waitFor } from './helpers.js';

/**
 * Postgres stopped and started again under load (its own throwaway server, RELAY_CI_PG_NAME=outage,
 * so the other Postgres tests keep theirs): the relay process survives the dropped connections,
 * answers GHL 429 with Retry-After meanwhile, reconnects by itself, and every webhook it
 * acknowledged is delivered. Runs where the other Postgres tests run (RELAY_TEST_DATABASE_URL set).
 */
const script = join(__dirname, '..', '..', 'relay', 'ci-postgres.sh');
const env = { ...process.env, RELAY_CI_PG_NAME: 'outage' };
const pgctl = (cmd: string) => promisify(execFile)('bash', [script, cmd], { env });

let url: string | undefined;
let why: string | undefined = process.env.RELAY_TEST_DATABASE_URL ? undefined : 'RELAY_TEST_DATABASE_URL is not set';
if (!why) {
  const started = spawnSync('bash', [script, 'start'], { env, encoding: 'utf8', timeout: 120_000 });
  url = started.status === 0 ? started.stdout.trim() : undefined;
  if (!url) why = `relay/ci-postgres.sh could not start a second server: ${started.stderr.trim().split('\n').pop() ?? ''}`;
}
if (why) console.warn(`Postgres outage test skipped: ${why}.`);

afterAll(async () => {
  if (url) await pgctl('stop');
});

(why ? describe.skip : describe)('relay on Postgres: the database restarts under load', () => {
  test('429 while it is down, nothing acknowledged is lost, the process keeps running', async () => {
    nock.enableNetConnect('127.0.0.1');
    const keys = testKeys();
    const hooks = await hookReceiver();
    const { lines, log } = memoryLog();
    const relay = await startRelay(
      relayConfig(keys, { RELAY_DATABASE_URL: url!, RELAY_DELIVERY_TIMEOUT_MS: '1000', RELAY_RETRY_AFTER_SECONDS: '7' }),
      { log },
    );
    try {
      await relay.store.addSubscription({ id: 'sub', locationId: 'locA', event: 'ContactCreate', targetUrl: hooks.url, createdAt: 1 });
      const events = Array.from({ length: 240 }, () => ghlEvent('ContactCreate', 'locA'));
      const acked = new Set<string>();
      const refusals: Array<string | null> = [];
      let next = 0;
      let outage: Promise<void> | undefined;
      // GHL's side: 6 webhooks in flight, each sent again after a refusal until it is taken.
      const sender = async () => {
        while (next < events.length) {
          const e = events[next++]!;
          for (;;) {
            const r = await postWebhook(relay.url, e, { key: keys.ed25519 });
            if (r.status === 200) {
              acked.add(e.webhookId);
              break;
            }
            expect(r.status).toBe(429);
            refusals.push(r.headers.get('retry-after'));
            await new Promise((res) => setTimeout(res, 20));
          }
          if (acked.size === 60 && !outage) {
            outage = (async () => {
              await pgctl('down');
              await waitFor('a webhook refused while the database is down', () => refusals.length >= 3, 60_000);
              await pgctl('up');
            })();
          }
        }
      };
      await Promise.all(Array.from({ length: 6 }, sender));
      await outage;
      expect(acked.size).toBe(events.length);
      expect(refusals.length).toBeGreaterThanOrEqual(3);
      expect(new Set(refusals)).toEqual(new Set(['7']));
      await waitFor(
        'every acknowledged webhook delivered',
        () => events.every((e) => hooks.received.some((r) => r.body.webhookId === e.webhookId)),
        60_000,
      );
      expect(lines.some((l) => l.msg === 'could not store the event')).toBe(true);
    } finally {
      await relay.close().catch(() => undefined);
      await hooks.close();
    }
  }, 180_000);
});
