#!/usr/bin/env node
/**
 * `node scripts/ci/relay-image-check.mjs <app dir> <Dockerfile>`: the last steps of relay/ci-image-steps.sh.
 * In <app dir> (what the image's run stage holds: package files, production node_modules, dist/) it
 * starts the image's CMD, runs the image's HEALTHCHECK command, subscribes a local hook receiver
 * through a local stand-in for GHL's token check, POSTs one webhook signed like GHL does
 * (x-ghl-signature, Ed25519 over the raw body), waits until the receiver has it byte for byte,
 * reads /metrics and the console API, then stops the relay with SIGTERM (as `docker stop` does)
 * and expects exit code 0.
 * Plain JavaScript, no dependencies; everything on 127.0.0.1. Exits 1 with the reason on failure.
 */
import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const [appDir, dockerfile] = process.argv.slice(2);
if (!appDir || !dockerfile) {
  console.error('usage: relay-image-check.mjs <app dir> <Dockerfile>');
  process.exit(2);
}
const fail = (message) => {
  console.error(`relay image check: ${message}`);
  process.exit(1);
};
const started = Date.now();
const step = (message) => console.log(`  ${((Date.now() - started) / 1000).toFixed(1)}s ${message}`);

// ---- what the image runs, read from the Dockerfile itself so the two cannot drift apart
const text = fs.readFileSync(dockerfile, 'utf8').replace(/\\\n\s*/g, '');
const cmdLine = text
  .split('\n')
  .filter((l) => /^CMD\s/.test(l))
  .pop();
const cmd = cmdLine && JSON.parse(cmdLine.replace(/^CMD\s+/, ''));
const healthLine = text.split('\n').find((l) => /^HEALTHCHECK\s/.test(l));
const health = healthLine && /\sCMD\s+node -e "(.*)"\s*$/.exec(healthLine)?.[1];
if (!Array.isArray(cmd) || cmd[0] !== 'node') fail(`no exec-form node CMD in ${dockerfile}`);
if (!health) fail(`no "HEALTHCHECK … CMD node -e \\"…\\"" in ${dockerfile}`);
const pkg = JSON.parse(fs.readFileSync(path.join(appDir, 'package.json'), 'utf8'));
if (pkg.scripts?.start !== cmd.join(' ')) fail(`npm start (${pkg.scripts?.start}) is not the image's CMD (${cmd.join(' ')})`);
for (const dev of Object.keys(pkg.devDependencies ?? {})) {
  if (fs.existsSync(path.join(appDir, 'node_modules', dev))) fail(`the production install has the dev dependency ${dev}`);
}

// ---- GHL's token check and a Zapier hook, on one local server
const LOCATION = 'ciLocation0000000001';
const ADMIN_TOKEN = 'ci-admin-token-0123456789';
const received = [];
let onReceived = () => undefined;
const stub = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (req.method === 'GET' && req.url === `/locations/${LOCATION}` && req.headers.authorization === 'Bearer ci-token') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ location: { id: LOCATION } }));
    }
    if (req.method === 'POST' && req.url === '/hook') {
      received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"success"}');
      return void onReceived();
    }
    res.writeHead(404);
    res.end();
  });
});
await new Promise((resolve) => stub.listen(0, '127.0.0.1', resolve));
const stubUrl = `http://127.0.0.1:${stub.address().port}`;
const freePort = () =>
  new Promise((resolve) => {
    const s = http.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
const port = await freePort();
const keys = generateKeyPairSync('ed25519');
const dataDir = fs.mkdtempSync(path.join(path.dirname(path.resolve(appDir)), 'data-'));

// ---- start the image's command
const relay = spawn(cmd[0], cmd.slice(1), {
  cwd: appDir,
  env: {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    RELAY_HOST: '127.0.0.1',
    RELAY_PORT: String(port),
    RELAY_SQLITE_PATH: path.join(dataDir, 'relay.sqlite'),
    RELAY_GHL_PUBLIC_KEY: keys.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    RELAY_GHL_API_BASE_URL: stubUrl,
    RELAY_ALLOWED_TARGETS: `${stubUrl}/hook`,
    RELAY_ADMIN_TOKEN: ADMIN_TOKEN,
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let out = '';
const exited = new Promise((resolve) => relay.once('exit', (code, signal) => resolve({ code, signal })));
const logged = (re) =>
  new Promise((resolve, reject) => {
    const check = () => {
      const line = out.split('\n').find((l) => re.test(l));
      if (line) return resolve(line);
    };
    relay.stdout.on('data', check);
    check();
    exited.then(({ code, signal }) => reject(new Error(`the relay exited (${code ?? signal}) before logging ${re}:\n${out}`)));
  });
relay.stdout.on('data', (d) => (out += d));
relay.stderr.on('data', (d) => (out += d));
const cleanup = () => {
  if (relay.exitCode === null) relay.kill('SIGKILL');
  stub.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
};
try {
  const listening = JSON.parse(await logged(/listening on/));
  step(`started: ${cmd.join(' ')} → ${listening.msg}`);

  const hc = spawnSync('node', ['-e', health], { env: { PATH: process.env.PATH, RELAY_PORT: String(port) }, encoding: 'utf8' });
  if (hc.status !== 0) throw new Error(`the HEALTHCHECK command exited ${hc.status}: ${hc.stderr}`);
  step('HEALTHCHECK command: healthy');

  const relayUrl = `http://127.0.0.1:${port}`;
  const sub = await fetch(`${relayUrl}/subscriptions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer ci-token' },
    body: JSON.stringify({ locationId: LOCATION, event: 'ContactCreate', targetUrl: `${stubUrl}/hook` }),
  });
  if (sub.status !== 201) throw new Error(`POST /subscriptions answered ${sub.status}: ${await sub.text()}`);
  step('subscribed a hook');

  const raw = Buffer.from(
    JSON.stringify({
      type: 'ContactCreate',
      locationId: LOCATION,
      id: 'ciContact01',
      timestamp: new Date().toISOString(),
      webhookId: randomUUID(),
    }),
  );
  const delivered = new Promise((resolve) => (onReceived = resolve));
  const hook = await fetch(`${relayUrl}/webhooks/ghl`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-ghl-signature': sign(null, raw, keys.privateKey).toString('base64') },
    body: raw,
  });
  const ack = await hook.text();
  if (hook.status !== 200 || JSON.parse(ack).queued !== 1) throw new Error(`POST /webhooks/ghl answered ${hook.status}: ${ack}`);
  await delivered;
  if (received.length !== 1 || received[0].body !== raw.toString('utf8')) throw new Error(`the hook received ${JSON.stringify(received)}`);
  step('a signed webhook was delivered to the hook byte for byte');

  // The hook has the body; the relay counts the delivery once its 2xx is booked: wait for that counter.
  const want = ['relay_webhooks_total{outcome="queued"} 1', 'relay_delivery_attempts_total{outcome="delivered"} 1'];
  for (let until = Date.now() + 10_000; ;) {
    const lines = (await (await fetch(`${relayUrl}/metrics`)).text()).split('\n');
    const missing = want.filter((line) => !lines.includes(line));
    if (!missing.length) break;
    if (Date.now() > until) throw new Error(`/metrics has no line ${missing.join(', ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const subs = await fetch(`${relayUrl}/admin/api/subscriptions`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  const listed = subs.status === 200 ? (await subs.json()).subscriptions : [];
  if (listed.length !== 1 || listed[0].locationId !== LOCATION)
    throw new Error(`the console API answered ${subs.status}: ${JSON.stringify(listed)}`);
  step('/metrics counts it; the console API lists the subscription');

  relay.kill('SIGTERM');
  const { code, signal } = await exited;
  if (code !== 0) throw new Error(`after SIGTERM the relay exited with ${code ?? signal}:\n${out}`);
  if (!/"msg":"stopped"/.test(out)) throw new Error(`no "stopped" log line after SIGTERM:\n${out}`);
  step('SIGTERM: stopped, exit code 0');
} catch (e) {
  cleanup();
  fail(e.message);
}
cleanup();
