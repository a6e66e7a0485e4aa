/**
 * `tsx scripts/check-build-zip.ts [app dir]`: after `zapier-platform build`, checks that the app's
 * build/build.zip holds only the app and its production dependencies: every package folder in it
 * must be in the production closure of the app's package-lock.json (what `npm install --omit=dev`
 * installs). Prints the zip's size and counts; exits 1 naming any dev-only package.
 */
import fs from 'node:fs';
import path from 'node:path';
import { packageDirOf, productionClosure, readZipEntries } from '../bench/bundle.js';

const appDir = path.resolve(process.argv[2] ?? '.');
const zipPath = path.join(appDir, 'build', 'build.zip');
const lock = JSON.parse(fs.readFileSync(path.join(appDir, 'package-lock.json'), 'utf8')) as Parameters<typeof productionClosure>[0];
const manifest = JSON.parse(fs.readFileSync(path.join(appDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
const closure = productionClosure(lock, Object.keys(manifest.dependencies ?? {}));

const entries = readZipEntries(zipPath);
const packages = new Set<string>();
const devOnly = new Set<string>();
for (const e of entries) {
  const dir = packageDirOf(e.name);
  if (!dir) continue;
  packages.add(dir);
  if (!closure.has(dir)) devOnly.add(dir);
}
const appFiles = entries.filter((e) => !e.name.startsWith('node_modules/')).map((e) => e.name);
console.log(
  `${path.relative(process.cwd(), zipPath) || zipPath}: ${fs.statSync(zipPath).size.toLocaleString('en-US')} bytes, ${entries.length} files ` +
    `(${appFiles.length} of the app, ${entries.length - appFiles.length} in ${packages.size} packages of ${closure.size} in the production closure)`,
);
if (devOnly.size) {
  console.error(`build.zip holds ${devOnly.size} package(s) a production install does not have: ${[...devOnly].sort().join(', ')}`);
  process.exit(1);
}
console.log('no dev-only package in build.zip');
