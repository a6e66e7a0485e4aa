/**
 * npm's postinstall: applies patches/ (patch-package) to the dev tree. A production install (the one
 * `zapier-platform build` runs in a copy of the app) has no patch-package and nothing to patch, so
 * it is skipped there instead of failing the build.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

let bin;
try {
  bin = createRequire(import.meta.url).resolve('patch-package/index.js');
} catch {
  process.exit(0);
}
const res = spawnSync(process.execPath, [bin, '--error-on-fail'], { stdio: 'inherit' });
process.exit(res.status ?? 1);
