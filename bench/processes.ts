/**
 * What the relay benchmarks share (bench/relay.ts, bench/pg.ts, bench/ecwid-instant.ts): free loopback
 * ports, a TypeScript entry started in its own process as deployed (ready once it logs
 * `listening on`), stopping it, and the clock and quantiles their tables use.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Sub-millisecond wall-clock time, comparable across processes on this machine. */
export const preciseNow = () => performance.timeOrigin + performance.now();

export const quantile = (sorted: number[], q: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : NaN;

export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });

/**
 * `script` (relative to the repository) under tsx in its own Node process, with `env` over this
 * process's; resolves once it prints `listening on` (stdout or stderr), rejects if it exits first
 * or does not start within `startTimeoutMs` (then it is killed, so no bench leaves it behind).
 * With BENCH_CPU_PROF_DIR set, each process writes a V8 CPU profile there when it exits
 * (`--cpu-prof`, which NODE_OPTIONS does not accept): where a bench's relay spends its CPU.
 */
export const startProcess = (script: string, env: Record<string, string>, startTimeoutMs = 60_000): Promise<ChildProcess> =>
  new Promise((resolve, reject) => {
    const profile = process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : [];
    const child = spawn(process.execPath, ['--no-warnings=ExperimentalWarning', ...profile, '--import', 'tsx', script], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not start: ${out}`));
    }, startTimeoutMs);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes('listening on')) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}): ${out}`)));
  });

/** Sends `signal` and resolves when the process has exited (at once if it already has). */
export const kill = (child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL') =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
