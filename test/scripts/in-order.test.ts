/**
 * scripts/in-order.mjs, behind `npm run lint`, `validate` and `describe`: its commands run one after
 * another through run.mjs (so run.mjs's Node notice is printed once per npm script), and the first
 * failure stops the rest with its exit code. Each case runs copies in a temporary project.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SCRIPTS = path.resolve(__dirname, '..', '..', 'scripts');
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'in-order-'));
  fs.mkdirSync(path.join(dir, 'scripts'));
  for (const f of ['run.mjs', 'in-order.mjs']) fs.copyFileSync(path.join(SCRIPTS, f), path.join(dir, 'scripts', f));
  fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"p","version":"1.0.0","private":true}\n');
  fs.writeFileSync(path.join(dir, 'package-lock.json'), '{}\n');
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.writeFileSync(path.join(dir, 'node_modules', '.package-lock.json'), '{}\n');
  const t = Date.now() / 1000;
  fs.utimesSync(path.join(dir, 'package-lock.json'), t - 100, t - 100);
  // Each tool appends "<name> <args>" to calls.txt; fail.mjs then exits 3.
  const tool = (name: string, exit = 0) =>
    fs.writeFileSync(
      path.join(dir, `${name}.mjs`),
      `import fs from 'node:fs'; fs.appendFileSync(${JSON.stringify(path.join(dir, 'calls.txt'))}, [${JSON.stringify(name)}, ...process.argv.slice(2)].join(' ') + '\\n'); process.exit(${exit});\n`,
    );
  tool('first');
  tool('second');
  tool('fail', 3);
  fs.writeFileSync(
    path.join(dir, 'fake-npm.cjs'),
    `require('fs').appendFileSync(${JSON.stringify(path.join(dir, 'calls.txt'))}, ['npm', ...process.argv.slice(2)].join(' ') + '\\n');\n`,
  );
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const inOrder = (...commands: string[]) => {
  const res = spawnSync(process.execPath, [path.join(dir, 'scripts', 'in-order.mjs'), ...commands], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', npm_execpath: path.join(dir, 'fake-npm.cjs') },
  });
  const file = path.join(dir, 'calls.txt');
  return { status: res.status, stderr: res.stderr, calls: fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n') : [] };
};

it('runs each command through run.mjs in order, with its arguments, and `npm …` with the npm that started it', () => {
  const res = inOrder('npm run build', 'first.mjs a b', 'second.mjs --check .');
  expect(res.calls).toEqual(['npm run build', 'first a b', 'second --check .']);
  expect(res.status).toBe(0);
});

it('stops at the first command that fails and exits with its code', () => {
  const res = inOrder('first.mjs', 'fail.mjs x', 'second.mjs');
  expect(res.calls).toEqual(['first', 'fail x']);
  expect(res.status).toBe(3);
});

it('refuses no command or an empty one with its usage', () => {
  for (const args of [[], ['first.mjs', ' ']]) {
    const res = inOrder(...args);
    expect(res.status).toBe(1);
    expect(res.stderr).toBe('in-order: usage: node scripts/run.mjs scripts/in-order.mjs "<command>" ["<command>"…]\n');
    expect(res.calls).toEqual([]);
  }
});
