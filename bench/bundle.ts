/**
 * Table 4: the bundle Zapier receives. build/build.zip comes from `npm run zip`
 * (`zapier-platform build --skip-validation`, exactly the build `zapier push` runs: a copy of the
 * app without node_modules and a production `npm install` in it). Beside it, the same command
 * builds an app that contains only zapier-platform-core (a trivial definition) in a temporary
 * directory, with the same locked versions and `.zapierapprc` includeInBuild entries, so the ratio
 * shows what this app adds to core. Entries from packages outside the production closure (from
 * package-lock.json) are counted separately: a correct build has none.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { round } from './measure.js';

export interface ZipEntry {
  name: string;
  compressed: number;
  size: number;
  symlink: boolean;
}

/** The entries of a zip file, from its central directory (no zip64: Zapier's limit is far below 4 GB). */
export const readZipEntries = (file: string): ZipEntry[] => {
  const buf = fs.readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${i}`);
    const compressed = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const mode = buf.readUInt32LE(p + 38) >>> 16;
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    if (!name.endsWith('/')) entries.push({ name, compressed, size, symlink: (mode & 0o170000) === 0o120000 });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
};

type Lock = { packages: Record<string, LockPackage> };

interface LockPackage {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** Package directories (`node_modules/a/node_modules/b`) a production install of `roots` needs, resolved like Node does. */
export const productionClosure = (lock: { packages: Record<string, LockPackage> }, roots: string[]): Set<string> => {
  const resolve = (from: string, name: string): string | undefined => {
    let dir = from;
    for (;;) {
      const candidate = `${dir ? `${dir}/` : ''}node_modules/${name}`;
      if (lock.packages[candidate]) return candidate;
      if (!dir) return undefined;
      const i = dir.lastIndexOf('/node_modules/');
      dir = i < 0 ? '' : dir.slice(0, i);
    }
  };
  const seen = new Set<string>();
  const visit = (from: string, name: string) => {
    const pkg = resolve(from, name);
    if (!pkg || seen.has(pkg)) return;
    seen.add(pkg);
    const p = lock.packages[pkg] as LockPackage;
    for (const dep of Object.keys({ ...p.dependencies, ...p.optionalDependencies, ...p.peerDependencies })) visit(pkg, dep);
  };
  for (const r of roots) visit('', r);
  return seen;
};

/** `node_modules/a/node_modules/@s/b/lib/x.js` → `node_modules/a/node_modules/@s/b`; undefined outside node_modules. */
export const packageDirOf = (entry: string): string | undefined => {
  const parts = entry.split('/');
  let dir: string | undefined;
  let i = 0;
  while (i < parts.length) {
    const len = parts[i + 1]?.startsWith('@') ? 3 : 2;
    // a package directory: node_modules/<name> (or node_modules/@scope/<name>) with a file below it
    if (parts[i] === 'node_modules' && i + len < parts.length) {
      dir = parts.slice(0, i + len).join('/');
      i += len;
    } else i += 1;
  }
  return dir;
};

export interface ZipSummary {
  what: string;
  bytes: number;
  files: number;
  /** entries a production install would also have (app files + the production dependency closure) */
  production: { bytes: number; files: number };
  /** entries from packages outside the production closure (dev-only packages' package.json files, mostly) */
  devOnly: { bytes: number; files: number; packageJsonFiles: number };
  /** uncompressed bytes of code (not package.json) per top-level package, largest first */
  largest: Array<{ pkg: string; bytes: number }>;
}

const entryCost = (e: ZipEntry) => e.compressed + 30 + 46 + 2 * Buffer.byteLength(e.name);

export const summarizeZip = (what: string, file: string, closure: Set<string>): ZipSummary => {
  const entries = readZipEntries(file);
  const prod: ZipEntry[] = [];
  const dev: ZipEntry[] = [];
  const perPkg = new Map<string, number>();
  for (const e of entries) {
    const dir = packageDirOf(e.name);
    if (dir && !closure.has(dir)) dev.push(e);
    else prod.push(e);
    if (!e.name.endsWith('package.json')) {
      const top = dir
        ? dir
            .split('/')
            .slice(0, dir.split('/')[1]?.startsWith('@') ? 3 : 2)
            .join('/')
        : (e.name.split('/')[0] ?? e.name);
      perPkg.set(top, (perPkg.get(top) ?? 0) + e.size);
    }
  }
  return {
    what,
    bytes: fs.statSync(file).size,
    files: entries.length,
    production: { bytes: prod.reduce((s, e) => s + entryCost(e), 22), files: prod.length },
    devOnly: {
      bytes: dev.reduce((s, e) => s + entryCost(e), 0),
      files: dev.length,
      packageJsonFiles: dev.filter((e) => e.name.endsWith('package.json')).length,
    },
    largest: [...perPkg.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([pkg, bytes]) => ({ pkg, bytes })),
  };
};

export interface BundleResults {
  app: ZipSummary;
  core: ZipSummary;
  ratio: { bytes: number; files: number; productionBytes: number; productionFiles: number };
  /** how the baseline was built */
  baseline: string;
}

const CORE_APP = `import zapier, { defineApp } from 'zapier-platform-core';

// The smallest app there is: only zapier-platform-core.
export default defineApp({ version: '1.0.0', platformVersion: zapier.version, triggers: {}, searches: {}, creates: {} });
`;

/**
 * Builds the core-only app with the same CLI command as `npm run zip` (`zapier-platform build
 * --skip-validation`: the CLI copies the app to a temporary folder and runs a production
 * `npm install` there), in a temporary directory; returns its build.zip path. Its package-lock.json
 * is this app's lock cut down to core's production closure, so both zips carry the same versions.
 */
const buildCoreOnly = (root: string, tmp: string, env: NodeJS.ProcessEnv, lock: Lock): string => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const manifest = {
    name: 'core-only-app',
    version: '1.0.0',
    private: true,
    type: 'module',
    exports: './index.js',
    dependencies: { 'zapier-platform-core': pkg.dependencies['zapier-platform-core'] },
  };
  fs.writeFileSync(path.join(tmp, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const closure = productionClosure(lock, ['zapier-platform-core']);
  const packages: Record<string, unknown> = { '': { name: manifest.name, version: manifest.version, dependencies: manifest.dependencies } };
  for (const dir of [...closure].sort()) packages[dir] = lock.packages[dir];
  fs.writeFileSync(
    path.join(tmp, 'package-lock.json'),
    `${JSON.stringify({ name: manifest.name, version: manifest.version, lockfileVersion: 3, requires: true, packages }, null, 2)}\n`,
  );
  fs.writeFileSync(path.join(tmp, 'index.js'), CORE_APP);
  fs.writeFileSync(path.join(tmp, '.gitignore'), 'node_modules/\nbuild/\n');
  const rcPath = path.join(root, '.zapierapprc');
  const rc = fs.existsSync(rcPath) ? (JSON.parse(fs.readFileSync(rcPath, 'utf8')) as { includeInBuild?: string[] }) : {};
  fs.writeFileSync(path.join(tmp, '.zapierapprc'), `${JSON.stringify({ includeInBuild: rc.includeInBuild ?? [] }, null, 2)}\n`);
  // As a developer does after cloning: the CLI refuses to build without a local core.
  execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], {
    cwd: tmp,
    env,
    stdio: 'pipe',
    shell: process.platform === 'win32',
  });
  // The same (patched, see patches/) CLI as `npm run zip`, on the same Node.
  const cli = path.join(root, 'node_modules', 'zapier-platform-cli', 'src', 'bin', 'run');
  execFileSync(process.execPath, [cli, 'build', '--skip-validation'], { cwd: tmp, env, stdio: 'pipe', encoding: 'utf8' });
  return path.join(tmp, 'build', 'build.zip');
};

export const runBundle = (root: string, env: NodeJS.ProcessEnv, log: (line: string) => void): BundleResults => {
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as Lock;
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const app = summarizeZip(
    'this app (build/build.zip)',
    path.join(root, 'build', 'build.zip'),
    productionClosure(lock, Object.keys(pkg.dependencies)),
  );
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ghl-bench-core-only-'));
  try {
    const zip = buildCoreOnly(root, tmp, env, lock);
    const core = summarizeZip('core-only app (same build)', zip, productionClosure(lock, ['zapier-platform-core']));
    log(`  app ${app.bytes} B / ${app.files} files, core-only ${core.bytes} B / ${core.files} files`);
    return {
      app,
      core,
      ratio: {
        bytes: round(app.bytes / core.bytes, 2),
        files: round(app.files / core.files, 2),
        productionBytes: round(app.production.bytes / core.production.bytes, 2),
        productionFiles: round(app.production.files / core.production.files, 2),
      },
      baseline:
        "a package.json depending only on zapier-platform-core (its package-lock.json cut from this app's), an index.js with an empty defineApp(), the same .zapierapprc includeInBuild, built with the same `zapier-platform build --skip-validation` (production install in a temporary copy)",
    };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
};
