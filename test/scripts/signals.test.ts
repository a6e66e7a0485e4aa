/**
 * SIGTERM through an npm script stops its server gracefully (issue 19): npm passes the signal to
 * its shell, scripts/run.mjs passes it (or, when Debian's sh dies of it without passing it on, its
 * own orphaning) to the tool, and the tool's stop handler runs. Real `npm run relay` and
 * `npm run sandbox` processes; every wait is for a log line or a process event.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteStore } from '../../relay/sqlite-store.js';
import { ghlEvent, hookReceiver, postWebhook, testKeys } from '../relay/helpers.js';

const ROOT = path.resolve(__dirname, '..', '..');
const RUN = path.join(ROOT, 'scripts', 'run.mjs');
const posixIt = process.platform === 'win32' ? it.skip : it;

/** A process whose output is collected, with promises for a line to appear and for all its output to end. */
const watch = (child: ChildProcess) => {
  let out = '';
  const waiters: Array<() => void> = [];
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const w of waiters.splice(0)) w();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  // 'close': every process holding the pipes (npm, its shell, run.mjs, the tool) has exited.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const line = (text: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = () => {
        if (out.includes(text)) return resolve();
        waiters.push(check);
      };
      void closed.then(() => (out.includes(text) ? resolve() : reject(new Error(`no "${text}" in:\n${out}`))));
      check();
    });
  return { output: () => out, line, closed, exited };
};

const npmRun = (script: string, env: Record<string, string>) =>
  spawn(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', script], {
    cwd: ROOT,
    env: { ...process.env, ...env, CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'signals-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('scripts/run.mjs', () => {
  posixIt('passes SIGTERM to the tool, waits for it and exits with its code', async () => {
    const tool = path.join(tmp, 'tool.mjs');
    fs.writeFileSync(
      tool,
      "process.on('SIGTERM', () => { console.log('tool got SIGTERM'); setImmediate(() => process.exit(7)); }); console.log('tool ready'); setInterval(() => {}, 1000);\n",
    );
    const child = spawn(process.execPath, [RUN, tool], {
      cwd: ROOT,
      env: { ...process.env, CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const p = watch(child);
    await p.line('tool ready');
    child.kill('SIGTERM');
    expect(await p.exited).toEqual({ code: 7, signal: null });
    expect(p.output()).toBe('tool ready\ntool got SIGTERM\n');
  });

  posixIt('dies of the signal that killed the tool', async () => {
    const tool = path.join(tmp, 'tool.mjs');
    fs.writeFileSync(tool, "console.log('tool ready'); setInterval(() => {}, 1000);\n");
    const child = spawn(process.execPath, [RUN, tool], {
      cwd: ROOT,
      env: { ...process.env, CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const p = watch(child);
    await p.line('tool ready');
    child.kill('SIGINT');
    expect(await p.exited).toEqual({ code: null, signal: 'SIGINT' });
  });
});

describe('SIGTERM to npm', () => {
  posixIt('npm run relay: the delivery in flight finishes, the store closes, then the relay exits', async () => {
    const keys = testKeys();
    const file = path.join(tmp, 'relay.sqlite');
    const seed = new SqliteStore(file);
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let arrived!: () => void;
    const inFlight = new Promise<void>((r) => (arrived = r));
    const hook = await hookReceiver(async () => {
      arrived();
      await released;
      return 200;
    });
    await seed.addSubscription({
      id: 'sub-1',
      locationId: 'loc1',
      event: 'ContactCreate',
      targetUrl: `${hook.url}/hook`,
      createdAt: Date.now(),
    });
    await seed.close();
    try {
      const npm = npmRun('relay', {
        RELAY_PORT: '0',
        RELAY_SQLITE_PATH: file,
        RELAY_GHL_PUBLIC_KEY: keys.ed25519Public,
        RELAY_ALLOWED_TARGETS: 'http://127.0.0.1:*',
      });
      const p = watch(npm);
      await p.line('"msg":"listening on');
      const url = /"url":"([^"]+)"/.exec(p.output())![1]!;
      const ack = await postWebhook(url, ghlEvent('ContactCreate', 'loc1'), { key: keys.ed25519 });
      expect(ack).toMatchObject({ status: 200, body: { ok: true, queued: 1 } });
      await inFlight;

      npm.kill('SIGTERM');
      await p.line('"msg":"stopping: finishing deliveries in flight, then closing the store"');
      expect(p.output()).not.toContain('"msg":"stopped"');
      release();
      await p.closed;
      expect(p.output()).toMatch(/"msg":"stopping[^\n]*\n(.*\n)*.*"msg":"stopped"/);
      // Closed: SQLite folds its write-ahead log back into the file when the last connection closes.
      expect(fs.existsSync(`${file}-wal`)).toBe(false);
      const after = new SqliteStore(file);
      expect(await after.stats()).toMatchObject({ pending: 0, dead: 0, subscriptions: 1, events: 1 });
      await after.close();
      expect(hook.received).toHaveLength(1);
    } finally {
      release();
      await hook.close();
    }
  });

  posixIt('npm run sandbox: the sandbox closes and says so', async () => {
    const npm = npmRun('sandbox', { SANDBOX_PORT: '0' });
    const p = watch(npm);
    await p.line('Press Ctrl-C to stop.');
    const url = /GHL API v2 sandbox listening on (\S+)/.exec(p.output())![1]!;
    npm.kill('SIGTERM');
    await p.closed;
    expect(p.output()).toContain('GHL API v2 sandbox stopped (SIGTERM)\n');
    await expect(fetch(`${url}/_sandbox/state`)).rejects.toThrow();
  });
});
