#!/usr/bin/env node
/**
 * Runs several commands one after another and stops at the first that fails (its exit code is
 * ours), for npm scripts that would otherwise chain `node scripts/run.mjs a && node scripts/run.mjs b`:
 *
 *   node scripts/run.mjs scripts/in-order.mjs "eslint ." "prettier --check ."
 *
 * Run under scripts/run.mjs, each command inherits its environment, so Node's fallback notice is
 * printed once for the whole script instead of once per command. Each argument is one command,
 * split on spaces (no quoting inside): a tool or file for run.mjs, or `npm …` (npm's own CLI, as
 * the npm that started the script runs it).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const isWindows = process.platform === 'win32';

const commands = process.argv.slice(2).map((line) => line.split(' ').filter(Boolean));
if (!commands.length || commands.some((words) => !words.length)) {
  console.error('in-order: usage: node scripts/run.mjs scripts/in-order.mjs "<command>" ["<command>"…]');
  process.exit(1);
}

for (const [first, ...rest] of commands) {
  const npmCli = process.env.npm_execpath;
  const [file, args, shell] =
    first === 'npm'
      ? npmCli && /\.(c|m)?js$/.test(npmCli)
        ? [process.execPath, [npmCli, ...rest], false]
        : [isWindows ? 'npm.cmd' : 'npm', rest, isWindows]
      : [process.execPath, [path.join(ROOT, 'scripts', 'run.mjs'), first, ...rest], false];
  const res = spawnSync(file, args, { stdio: 'inherit', shell });
  if (res.error) {
    console.error(`in-order: could not start "${[first, ...rest].join(' ')}": ${res.error.message}`);
    process.exit(1);
  }
  if (res.status !== 0) process.exit(res.status ?? 1);
}
