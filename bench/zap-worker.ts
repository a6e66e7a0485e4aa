/**
 * The Zapier stand-in of bench/ecwid-instant.ts in its own process, as Zapier is another machine:
 * a hook endpoint (recipes/zap-host.ts) that runs New Customer (Instant) and Find or Create
 * Contact for each delivery, at most ZAP_CONCURRENCY at once (the rest wait, as in Zapier's queue).
 * Configured by the environment (both apps' URLs and credentials) and one JSON line on stdin (the
 * connections and settings); prints `{"ready": hookUrl}`, then one JSON line per finished run.
 */
import { createInterface } from 'node:readline';
import EcwidApp from '../ecwid/index.js';
import { appSyncContactMapping, appSyncSearchMapping, appSyncUpdateMapping, mapFields, type RecipeSettings } from '../recipes/ecwid.js';
import { startZapHost, type AppTester } from '../recipes/zap-host.js';
import { EcwidTriggerRunner, ZapRunner } from '../recipes/zap-runner.js';

interface Setup {
  ghlAuth: Record<string, string>;
  ecwidAuth: Record<string, string>;
  settings: RecipeSettings;
}

const line = await new Promise<string>((resolve) => createInterface({ input: process.stdin }).once('line', resolve));
const setup = JSON.parse(line) as Setup;
// The GHL app's steps count the sandbox's requests; this process only sees its own, so none are counted.
const zap = new ZapRunner({ requests: [] } as never);
zap.authData = setup.ghlAuth;
const ecwid = new EcwidTriggerRunner({ requests: [] } as never, zap);
const limit = Math.max(1, Number(process.env.ZAP_CONCURRENCY || 8));
let running = 0;
const waiting: Array<() => void> = [];
const slot = async () => {
  if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
};
const release = () => {
  running -= 1;
  waiting.shift()?.();
};
const startedAt = new Map<string, number>();
const eventIdOf = (body: unknown) => String((body as { eventId?: string } | undefined)?.eventId ?? '');
const host = await startZapHost(
  (async (fn: never, bundle: { cleanedRequest?: unknown }) => {
    // The trigger is a run's first call: it waits for a slot, which the run frees when done.
    await slot();
    startedAt.set(eventIdOf(bundle.cleanedRequest), performance.timeOrigin + performance.now());
    return (ecwid.appTester as unknown as AppTester)(fn, bundle);
  }) as AppTester,
  {
    concurrent: true,
    onDone: (r) => {
      const eventId = eventIdOf(r.body);
      const started = startedAt.get(eventId);
      if (started !== undefined) release();
      process.stdout.write(
        `${JSON.stringify({ eventId, relayEventId: r.eventId, receivedAt: r.receivedAt, startedAt: started, doneAt: r.doneAt, items: r.items?.length ?? 0, error: r.error })}\n`,
      );
    },
  },
);
const perform = (EcwidApp.triggers as unknown as Record<string, { operation: { perform: never } }>).new_customer_instant!.operation.perform;
host.on('new_customer_instant', {
  trigger: perform,
  authData: () => setup.ecwidAuth,
  steps: async (item) => {
    const data = { customer: item };
    await zap.searchOrCreate(
      'Find or Create Contact',
      'find_contact',
      mapFields(appSyncSearchMapping(setup.settings), data),
      mapFields(appSyncContactMapping(setup.settings), data),
      mapFields(appSyncUpdateMapping(setup.settings), data),
    );
  },
});
process.stdout.write(`${JSON.stringify({ ready: host.hookUrl('new_customer_instant') })}\n`);
process.on('SIGTERM', () => void host.close().then(() => process.exit(0)));
