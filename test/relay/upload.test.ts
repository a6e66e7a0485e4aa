/**
 * A local relay run leaves nothing in what `zapier push` uploads (issue 19): the relay's default
 * SQLite files (webhook bodies: e-mails, names) at the default path and in relay/ are left out of
 * source.zip and build.zip by the Zapier CLI's own zip code, fed this repository's .gitignore and
 * .zapierapprc, in a temporary app folder. `git check-ignore` confirms git status stays clean too.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { readZipEntries } from '../../bench/bundle.js';
import { loadConfig } from '../../relay/config.js';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { makeBuildZip, makeSourceZip } = require('zapier-platform-cli/src/utils/build.js') as {
  makeSourceZip(dir: string, zip: string): Promise<void>;
  makeBuildZip(dir: string, zip: string, disableDependencyDetection?: boolean): Promise<void>;
};

const ROOT = path.resolve(__dirname, '..', '..');
const defaultPath = loadConfig({}).sqlitePath;
/** Where `npm run relay` (repository root) and `npm start` in relay/ write by default, with SQLite's side files. */
const runFiles = [defaultPath, path.join('relay', defaultPath)].flatMap((f) => [f, `${f}-wal`, `${f}-shm`]);

let app: string;
beforeAll(() => {
  app = fs.mkdtempSync(path.join(os.tmpdir(), 'upload-'));
  for (const f of ['.gitignore', '.zapierapprc']) fs.copyFileSync(path.join(ROOT, f), path.join(app, f));
  fs.writeFileSync(path.join(app, 'package.json'), '{"name":"app","version":"1.0.0","type":"module"}\n');
  fs.writeFileSync(path.join(app, 'index.js'), 'export default { version: "1.0.0" };\n');
  fs.writeFileSync(path.join(app, 'zapierwrapper.js'), 'import app from "./index.js";\nexport default app;\n');
  for (const f of runFiles) {
    fs.mkdirSync(path.dirname(path.join(app, f)), { recursive: true });
    fs.writeFileSync(path.join(app, f), 'contact jane@example.com');
  }
  // The relay's own package file is in the tree too (the CLI packs every package.json into build.zip).
  fs.copyFileSync(path.join(ROOT, 'relay', 'package.json'), path.join(app, 'relay', 'package.json'));
  fs.mkdirSync(path.join(app, 'build'));
});
afterAll(() => {
  fs.rmSync(app, { recursive: true, force: true });
  // makeBuildZip starts the CLI's esbuild service, a child process that would keep jest alive.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (createRequire(require.resolve('zapier-platform-cli/src/utils/build.js'))('esbuild') as { stop(): void }).stop();
});

it('the default SQLite path is relative, under data/', () => {
  expect(defaultPath).toBe(path.join('data', 'relay.sqlite'));
});

it('source.zip (what zapier push uploads as the source) has the app but no relay data', async () => {
  await makeSourceZip(app, path.join(app, 'build', 'source.zip'));
  const names = readZipEntries(path.join(app, 'build', 'source.zip')).map((e) => e.name);
  expect(names).toContain('index.js');
  expect(names.filter((n) => n.includes('relay.sqlite') || n.startsWith('data/') || n.startsWith('relay/'))).toEqual([
    'relay/package.json',
  ]);
});

it('build.zip has the app but no relay data', async () => {
  await makeBuildZip(app, path.join(app, 'build', 'build.zip'));
  const names = readZipEntries(path.join(app, 'build', 'build.zip')).map((e) => e.name);
  expect(names).toContain('index.js');
  // Of relay/, only its package.json (no code, no data): the CLI adds every package.json it finds.
  expect(names.filter((n) => n.includes('relay.sqlite') || n.startsWith('data/') || n.startsWith('relay/'))).toEqual([
    'relay/package.json',
  ]);
});

it('git ignores every file of a local run (git status stays clean)', () => {
  const res = spawnSync('git', ['check-ignore', '--no-index', ...runFiles], { cwd: ROOT, encoding: 'utf8' });
  expect(res.stdout.trim().split('\n').sort()).toEqual([...runFiles].sort());
});
