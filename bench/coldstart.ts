/**
 * Table 3: cold start. Zapier runs a step in a fresh (or cold) process that first loads the app.
 * Each sample is a new `node` process (the same Node 22 that runs the benchmark) importing either the
 * built app (dist/index.js, what package.json exports) or bare zapier-platform-core, alternately,
 * so both see the same machine load. Medians; the ratio is app / core from the same run.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { median, round } from './measure.js';

interface Sample {
  loadedMs: number;
  importMs: number;
  rss: number;
  heapUsed: number;
}

export interface ColdStartSide {
  what: string;
  /** from process start until the import finished (what a cold Zapier step waits for) */
  loadedMs: number;
  /** the import alone */
  importMs: number;
  rssMB: number;
  heapUsedMB: number;
}

export interface ColdStartResults {
  runs: number;
  node: string;
  app: ColdStartSide;
  core: ColdStartSide;
  /** core, then luxon (the app's only other runtime dependency): where the app's extra time goes */
  coreLuxon: ColdStartSide;
  ratio: { loaded: number; import: number; rss: number };
}

const MB = 1024 * 1024;

const sample = (root: string, targets: string[]): Sample => {
  const res = spawnSync(process.execPath, [path.join(root, 'bench', 'coldstart-child.mjs'), ...targets], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  if (res.status !== 0) throw new Error(`Loading ${targets.join(', ')} failed: ${res.stderr || res.stdout}`);
  return JSON.parse(res.stdout) as Sample;
};

const side = (what: string, samples: Sample[]): ColdStartSide => ({
  what,
  loadedMs: round(median(samples.map((s) => s.loadedMs))),
  importMs: round(median(samples.map((s) => s.importMs))),
  rssMB: round(median(samples.map((s) => s.rss)) / MB),
  heapUsedMB: round(median(samples.map((s) => s.heapUsed)) / MB),
});

export const runColdStart = (root: string, runs: number, log: (line: string) => void): ColdStartResults => {
  const sides = [
    { what: 'built app (dist/index.js)', targets: [pathToFileURL(path.join(root, 'dist', 'index.js')).href], samples: [] as Sample[] },
    { what: 'bare zapier-platform-core', targets: ['zapier-platform-core'], samples: [] as Sample[] },
    { what: 'zapier-platform-core + luxon', targets: ['zapier-platform-core', 'luxon'], samples: [] as Sample[] },
  ];
  // One unmeasured load of each first, so all start with the same warm file cache.
  for (const s of sides) sample(root, s.targets);
  for (let i = 0; i < runs; i++) {
    // Rotate which goes first so none always follows another.
    for (let k = 0; k < sides.length; k++) {
      const s = sides[(i + k) % sides.length] as (typeof sides)[number];
      s.samples.push(sample(root, s.targets));
    }
  }
  const [a, c, l] = sides.map((s) => side(s.what, s.samples)) as [ColdStartSide, ColdStartSide, ColdStartSide];
  log(`  app ${a.loadedMs} ms / ${a.rssMB} MB, core ${c.loadedMs} ms / ${c.rssMB} MB, core + luxon ${l.loadedMs} ms`);
  return {
    runs,
    node: process.version,
    app: a,
    core: c,
    coreLuxon: l,
    ratio: { loaded: round(a.loadedMs / c.loadedMs, 2), import: round(a.importMs / c.importMs, 2), rss: round(a.rssMB / c.rssMB, 2) },
  };
};
