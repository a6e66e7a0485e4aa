/**
 * scripts/run.mjs, which every npm script goes through: it installs only when the tree is missing or
 * older than the lock, and runs tools on the host's Node when it is 22+, else on the packaged one.
 * Each case runs a copy of run.mjs in a temporary project, so nothing here touches the real tree.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const RUN = path.resolve(__dirname, '..', '..', 'scripts', 'run.mjs');
let dir: string;

/** A project with run.mjs, a lock, a tool that prints what it runs on, and an npm that records its calls. */
const project = (opts: { installed: 'current' | 'stale' | 'missing' }) => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'run-mjs-'));
  fs.mkdirSync(path.join(dir, 'scripts'));
  fs.copyFileSync(RUN, path.join(dir, 'scripts', 'run.mjs'));
  fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"p","version":"1.0.0","private":true}\n');
  fs.writeFileSync(path.join(dir, 'package-lock.json'), '{}\n');
  fs.writeFileSync(
    path.join(dir, 'tool.mjs'),
    'console.log(JSON.stringify({ node: process.version, args: process.argv.slice(2), mode: process.env.MODE ?? null, host: process.env.HOST_NODE_WRAPPER ?? null }));\n',
  );
  fs.writeFileSync(
    path.join(dir, 'fake-npm.cjs'),
    "require('fs').appendFileSync(require('path').join(__dirname, 'npm-calls.txt'), process.argv.slice(2).join(' ') + '\\n'); require('fs').mkdirSync(require('path').join(__dirname, 'node_modules'), { recursive: true }); require('fs').writeFileSync(require('path').join(__dirname, 'node_modules', '.package-lock.json'), '{}');\n",
  );
  const lock = path.join(dir, 'package-lock.json');
  if (opts.installed !== 'missing') {
    fs.mkdirSync(path.join(dir, 'node_modules'));
    const hidden = path.join(dir, 'node_modules', '.package-lock.json');
    fs.writeFileSync(hidden, '{}\n');
    const t = Date.now() / 1000;
    fs.utimesSync(lock, t - 100, t - 100);
    fs.utimesSync(hidden, opts.installed === 'current' ? t : t - 200, opts.installed === 'current' ? t : t - 200);
  }
};

const run = (args: string[], env: Record<string, string> = {}) => {
  const res = spawnSync(process.execPath, [path.join(dir, 'scripts', 'run.mjs'), ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', npm_execpath: path.join(dir, 'fake-npm.cjs'), ...env },
  });
  const npmCalls = fs.existsSync(path.join(dir, 'npm-calls.txt'))
    ? fs.readFileSync(path.join(dir, 'npm-calls.txt'), 'utf8').trim().split('\n')
    : [];
  return { status: res.status, stdout: res.stdout, stderr: res.stderr, npmCalls };
};

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('dependencies', () => {
  it('does not reinstall a current tree', () => {
    project({ installed: 'current' });
    const res = run(['tool.mjs', 'a']);
    expect(res.npmCalls).toEqual([]);
    expect(res.status).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ args: ['a'] });
  });

  it('installs from the lock when node_modules is missing, then runs the tool', () => {
    project({ installed: 'missing' });
    const res = run(['tool.mjs']);
    expect(res.npmCalls).toEqual(['ci --no-audit --no-fund']);
    expect(res.stderr).toContain('Installing the locked dependencies (first run)');
    expect(res.status).toBe(0);
  });

  it('reinstalls when package-lock.json is newer than the installed tree', () => {
    project({ installed: 'stale' });
    const res = run(['tool.mjs']);
    expect(res.npmCalls).toEqual(['ci --no-audit --no-fund']);
    expect(res.stderr).toContain('package-lock.json changed');
  });
});

describe('Node and the tool', () => {
  // POSIX shell wrappers stand in for other Node installs.
  const posixIt = process.platform === 'win32' ? it.skip : it;

  posixIt("runs on the host's Node when it is 22 or newer (the one npm runs on), with --env values set", () => {
    project({ installed: 'current' });
    // A "host Node" outside node_modules: a wrapper that marks its children, then execs this Node 22.
    const wrapper = path.join(dir, 'host-node');
    fs.writeFileSync(wrapper, `#!/bin/sh\nHOST_NODE_WRAPPER=yes exec "${process.execPath}" "$@"\n`, { mode: 0o755 });
    const res = run(['--env', 'MODE=test', 'tool.mjs', '--flag'], { npm_node_execpath: wrapper });
    expect(res.status).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual({ node: process.version, args: ['--flag'], mode: 'test', host: 'yes' });
    expect(res.stderr).toBe('');
  });

  posixIt('says clearly what to do when no Node 22 is available', () => {
    project({ installed: 'current' });
    const old = spawnSync('/usr/bin/env', ['-i', 'PATH=/usr/local/bin:/usr/bin:/bin', 'node', '-p', 'process.versions.node'], {
      encoding: 'utf8',
    });
    const hostNode = old.status === 0 && Number(old.stdout.split('.')[0]) < 22 ? 'node' : undefined;
    if (!hostNode) return; // this machine has no older Node to try it with
    const res = spawnSync(
      '/usr/bin/env',
      ['-i', 'PATH=/usr/local/bin:/usr/bin:/bin', 'node', path.join(dir, 'scripts', 'run.mjs'), 'tool.mjs'],
      {
        cwd: dir,
        encoding: 'utf8',
      },
    );
    expect(res.status).toBe(1);
    expect(res.stderr).toContain(
      `Node 22 or newer is needed (Zapier's runtime) and this host has ${old.stdout.trim()}; no Node 22 package is installed for ${process.platform}-${process.arch}`,
    );
    expect(res.stderr).toContain('Install Node 22 (`nvm install` reads .nvmrc) and run again.');
  });

  it('refuses bad --env arguments and unknown tools with a message', () => {
    project({ installed: 'current' });
    expect(run(['--env', 'NOEQUALS', 'tool.mjs']).stderr).toContain('--env takes NAME=VALUE, got "NOEQUALS"');
    const res = run(['no-such-tool']);
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('"no-such-tool" is neither a file nor a command of an installed package');
  });
});
