/**
 * The same job as the relay, done with graphile-worker (bench/pg.ts runs it side by side): an HTTP
 * server checks GHL's signature, stores the webhook with one durable `add_job` before its 200, and
 * a worker POSTs each job to the target, 32 at a time. Environment: GW_DATABASE_URL, GW_PORT,
 * GW_TARGET, GW_PUBLIC_KEY (base64 SPKI), GW_MODE (`default` or `local-queue`).
 */
import http from 'node:http';
import { makeWorkerUtils, run } from 'graphile-worker';
import { checkSignature, parsePublicKey } from '../relay/signature.js';

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const connectionString = env('GW_DATABASE_URL');
const target = env('GW_TARGET');
const keys = { ed25519: parsePublicKey(env('GW_PUBLIC_KEY')) };
const localQueue = process.env.GW_MODE === 'local-queue';

const utils = await makeWorkerUtils({ connectionString });
await utils.migrate();
const runner = await run({
  connectionString,
  concurrency: 32,
  maxPoolSize: 40,
  noHandleSignals: false,
  pollInterval: 1000,
  ...(localQueue ? { preset: { worker: { localQueue: { size: 64 }, completeJobBatchDelay: 0, failJobBatchDelay: 0 } } } : {}),
  taskList: {
    deliver: async (payload) => {
      const res = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: (payload as { body: string }).body,
      });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
    },
  },
});

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks);
    if (!checkSignature(raw, req.headers, keys).ok) return void res.writeHead(401).end();
    let body: { webhookId?: string };
    try {
      body = JSON.parse(raw.toString('utf8')) as { webhookId?: string };
    } catch {
      return void res.writeHead(400).end();
    }
    utils.addJob('deliver', { body: raw.toString('utf8') }, { jobKey: body.webhookId }).then(
      () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
      () => res.writeHead(429).end(),
    );
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(env('GW_PORT')), '127.0.0.1', () => console.log('listening on', Number(env('GW_PORT'))));
const stop = () => {
  server.close();
  void runner
    .stop()
    .then(() => utils.release())
    .then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
