/**
 * `npm run generate:types`: openapi/types/<name>.d.ts from every openapi/apps/<name>.json, through
 * openapi-typescript's own command (so the output is exactly what its CLI writes). CI regenerates
 * and fails on a diff. Declarations only (`.d.ts`, imported with `import type`): nothing of them is
 * compiled into dist/ or the Zapier zip, and they sit beside the specs they come from, not in src/.
 * A script rather than a shell loop so that it runs on Windows too.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const pkgJson = require.resolve('openapi-typescript/package.json');
const { bin } = JSON.parse(fs.readFileSync(pkgJson, 'utf8')) as { bin: Record<string, string> };
const cli = path.resolve(path.dirname(pkgJson), bin['openapi-typescript'] as string);

const specs = fs
  .readdirSync(path.join(ROOT, 'openapi', 'apps'))
  .filter((f) => f.endsWith('.json'))
  .sort();
for (const spec of specs) {
  const out = path.join('openapi', 'types', spec.replace(/\.json$/, '.d.ts'));
  const res = spawnSync(process.execPath, [cli, path.join('openapi', 'apps', spec), '-o', out], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (res.status !== 0) {
    console.error(`openapi-typescript failed on openapi/apps/${spec}`);
    process.exit(1);
  }
  console.log(`${out} ← openapi/apps/${spec}`);
}
