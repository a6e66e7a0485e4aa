/**
 * A local stand-in for Zapier's side of REST hooks, for the demo, the bench and the tests: every
 * hook URL it hands out is one Zap. A delivery (from the relay) is answered 200 at once, as
 * Zapier does, then the Zap runs: the app's hook trigger `perform` with the body as
 * `cleanedRequest` (through zapier-platform-core's app tester), then the Zap's own steps for
 * each item. A URL of a Zap that is off answers 410 Gone. Runs are recorded with their times.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ZapRun {
  zap: string;
  /** The relay's id of the event (`x-relay-event-id`): one per webhook received by the relay. */
  eventId: string;
  body: unknown;
  receivedAt: number;
  items?: Array<Record<string, any>>;
  error?: string;
  /** When the trigger and every step were done (epoch ms, sub-millisecond). */
  doneAt?: number;
  done: Promise<void>;
}

type Perform = (z: unknown, bundle: unknown) => unknown;
export type AppTester = (fn: Perform, bundle: unknown) => Promise<unknown>;

export interface ZapDefinition {
  trigger: Perform;
  /** The app tester of the trigger's app, if not the host's (the demo's GHL Zaps beside its Ecwid ones). */
  tester?: AppTester;
  authData: () => Record<string, unknown>;
  inputData?: Record<string, unknown>;
  /** The Zap's steps, once per trigger item. */
  steps?: (item: Record<string, any>, run: ZapRun) => Promise<void>;
}

const preciseNow = () => performance.timeOrigin + performance.now();

/** `concurrent`: runs of one Zap overlap, as on Zapier under load (default: one after another, for readable demos). */
export const startZapHost = async (appTester: AppTester, opts: { concurrent?: boolean; onDone?: (run: ZapRun) => void } = {}) => {
  const zaps = new Map<string, ZapDefinition>();
  const runs: ZapRun[] = [];
  const waiters = new Set<() => void>();
  /** Zap runs are sequential per Zap, as the steps of the demo write to one sandbox in order. */
  const queues = new Map<string, Promise<void>>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const zap = decodeURIComponent((req.url ?? '').split('/').pop() ?? '');
      const def = zaps.get(zap);
      res.writeHead(def ? 200 : 410, { 'content-type': 'application/json' }).end(def ? '{"status":"success"}' : '{"status":"gone"}');
      if (!def) return;
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = undefined;
      }
      const run = { zap, eventId: String(req.headers['x-relay-event-id'] ?? ''), body, receivedAt: preciseNow() } as ZapRun;
      const previous = opts.concurrent ? Promise.resolve() : (queues.get(zap) ?? Promise.resolve());
      run.done = previous.then(async () => {
        try {
          run.items = (await (def.tester ?? appTester)(def.trigger, {
            authData: def.authData(),
            inputData: def.inputData ?? {},
            cleanedRequest: body,
            meta: {},
          })) as Array<Record<string, any>>;
          for (const item of run.items) await def.steps?.(item, run);
        } catch (e) {
          run.error = (e as Error).message;
        } finally {
          run.doneAt = preciseNow();
          opts.onDone?.(run);
          for (const w of waiters) w();
        }
      });
      queues.set(zap, run.done);
      runs.push(run);
    });
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/catch/1`;
  return {
    runs,
    hookUrl: (zap: string) => `${base}/${encodeURIComponent(zap)}`,
    on: (zap: string, def: ZapDefinition) => zaps.set(zap, def),
    off: (zap: string) => zaps.delete(zap),
    /** Resolves when `ok()` holds after a run finishes (or at once); rejects after `timeoutMs`. */
    until: (what: string, ok: () => boolean, timeoutMs = 15_000) =>
      new Promise<void>((resolve, reject) => {
        if (ok()) return resolve();
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`Timed out waiting for ${what}`));
        }, timeoutMs);
        const check = () => {
          if (!ok()) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
      }),
    /** Every run received so far has finished. */
    settled: async () => {
      while (runs.some((r) => r.doneAt === undefined)) await Promise.all(runs.map((r) => r.done));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};

export type ZapHost = Awaited<ReturnType<typeof startZapHost>>;
