/** Renders the benchmark's results as Markdown tables (printed, and written to bench/results/latest.md). */
import type { BundleResults } from './bundle.js';
import type { ColdStartResults } from './coldstart.js';
import type { RequestResults } from './requests.js';

export interface Goal {
  id: number;
  measure: string;
  goal: string;
  result: string;
  met: boolean;
  /** a request-count goal: missing it fails the benchmark */
  gating: boolean;
  why?: string;
}

export interface Results {
  generatedAt: string;
  environment: { node: string; platform: string; cpus: number; cpuModel: string };
  settings: { latencyMs: number; runs: number; pollRuns: number; coldStartRuns: number; sizes: number[]; rateLimit: string };
  durationSeconds: number;
  requests?: RequestResults;
  coldStart?: ColdStartResults;
  bundle?: BundleResults;
  errors: Record<string, string>;
  goals: Goal[];
  failed: boolean;
}

const table = (head: string[], rows: Array<Array<string | number>>): string => {
  const esc = (v: string | number) => String(v).replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join(
    '\n',
  );
};

const n = (v: number, digits = 0) =>
  Number.isFinite(v) ? v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–';
const kb = (bytes: number) => `${n(bytes / 1024, 0)} KB`;
const x = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)}` : '–');

export const goalsTable = (goals: Goal[]): string =>
  table(
    ['#', 'Measure', 'Goal', 'Result', 'Status'],
    goals.map((g) => [g.id, g.measure, g.goal, g.result, g.met ? 'met' : g.gating ? '**missed**' : 'missed']),
  );

const operationsTable = (r: RequestResults, notes: string[]): string => {
  const note = (text: string) => {
    let i = notes.indexOf(text);
    if (i < 0) {
      notes.push(text);
      i = notes.length - 1;
    }
    return `[${i + 1}]`;
  };
  const rows = r.operations.map((o) => {
    const floorNote = o.floorWhy ? ` ${note(`${o.label} (${o.case}) floor: ${o.floorWhy}.`)}` : '';
    let status: string = o.status;
    const sent = o.calls ? ` Sent: ${o.calls}.` : '';
    if (o.status === 'accepted') status = `over floor ${note(`${o.label} (${o.case}): ${o.reason}.${sent}`)}`;
    else if (o.status !== 'met') status = `**${o.status}** ${note(`${o.label} (${o.case}): ${o.reason ?? ''}.${sent}`)}`;
    if (o.varied) status += ' (counts varied between runs)';
    return [
      o.label,
      o.case,
      o.requests,
      `${o.floor.requests}${floorNote}`,
      o.roundTrips,
      o.floor.roundTrips,
      Number.isFinite(o.ratio) ? `${x(o.ratio)} · ${x(o.requestRatio)}` : '–',
      n(o.wallMs),
      status,
    ];
  });
  return table(
    ['Operation', 'Case', 'Requests', 'Req. floor', 'Round trips', 'RT floor', 'Measured/floor (RT · req)', 'Wall ms', 'Goal ≤ 1.1'],
    rows,
  );
};

const pollsTable = (r: RequestResults): string => {
  const [small, large] = [0, 1].map((i) => r.polls[0]?.sizes[i]);
  const s = (v?: { contacts: number }) => (v ? n(v.contacts) : '?');
  return table(
    [
      'Trigger',
      'Case',
      `Requests (${s(small)} / ${s(large)} contacts)`,
      'Items',
      'Wall ms/poll',
      'App ms/poll',
      'Sandbox ms',
      'App time ratio',
      'Goal: 1 request, time flat',
    ],
    r.polls.map((p) => {
      const [a, b] = p.sizes;
      const both = (f: (z: NonNullable<typeof a>) => string | number) => `${a ? f(a) : '–'} / ${b ? f(b) : '–'}`;
      const errors = [a, b].map((z) => z?.error).filter(Boolean);
      const status = [p.status === 'met' ? 'met' : '**missed**', p.timeFlat ? 'flat' : 'grows'].join(', ');
      return [
        p.label,
        p.case,
        both((z) => z.requests),
        both((z) => z.items),
        both((z) => n(z.wallMs)),
        both((z) => n(z.appMs)),
        both((z) => n(z.sandboxMs)),
        x(p.appTimeRatio),
        `${status}${errors.length ? ` (${errors[0]})` : ''}`,
      ];
    }),
  );
};

const coldTable = (c: ColdStartResults): string =>
  table(
    ['Loads', 'Time to loaded (ms since process start)', 'Import alone (ms)', 'RSS (MB)', 'Heap used (MB)'],
    [
      [c.app.what, n(c.app.loadedMs), n(c.app.importMs), n(c.app.rssMB, 1), n(c.app.heapUsedMB, 1)],
      [c.core.what, n(c.core.loadedMs), n(c.core.importMs), n(c.core.rssMB, 1), n(c.core.heapUsedMB, 1)],
      [
        `(for comparison) ${c.coreLuxon.what}`,
        n(c.coreLuxon.loadedMs),
        n(c.coreLuxon.importMs),
        n(c.coreLuxon.rssMB, 1),
        n(c.coreLuxon.heapUsedMB, 1),
      ],
      ['ratio app / core', x(c.ratio.loaded), x(c.ratio.import), x(c.ratio.rss), ''],
    ],
  );

const bundleTable = (b: BundleResults): string =>
  table(
    ['Zip', 'Size', 'Files', 'Production-install estimate', 'Files', 'Dev-only entries (package.json)', 'Largest code (uncompressed)'],
    [
      ...[b.app, b.core].map((z) => [
        z.what,
        kb(z.bytes),
        z.files,
        kb(z.production.bytes),
        z.production.files,
        `${z.devOnly.files} (${z.devOnly.packageJsonFiles}), ${kb(z.devOnly.bytes)}`,
        z.largest
          .slice(0, 4)
          .map((l) => `${l.pkg.replace(/^node_modules\//, '')} ${kb(l.bytes)}`)
          .join(', '),
      ]),
      ['ratio app / core', x(b.ratio.bytes), x(b.ratio.files), x(b.ratio.productionBytes), x(b.ratio.productionFiles), '', ''],
    ],
  );

const largeTable = (r: RequestResults): string =>
  table(
    ['What', 'Requests', 'Expected', 'Round trips', 'Items', 'ms', 'Note'],
    r.large.map((l) => [
      l.what,
      l.requests,
      l.expected.requests,
      l.roundTrips,
      l.items === undefined ? '–' : n(l.items),
      n(l.wallMs),
      [l.error ? `error: ${l.error}` : '', l.note ?? ''].filter(Boolean).join('; '),
    ]),
  );

export const renderMarkdown = (res: Results): string => {
  const out: string[] = [];
  const { settings: st, environment: env } = res;
  out.push(`# Performance benchmark (\`npm run bench\`)`);
  out.push('');
  out.push(
    `Generated ${res.generatedAt} in ${Math.round(res.durationSeconds)} s on ${env.cpus} × ${env.cpuModel}, Node ${env.node}. Sandbox latency ${st.latencyMs} ms per request, sandbox rate limit ${st.rateLimit}; timings are medians of ${st.runs} runs (polls: ${st.pollRuns}, after a warm-up poll; cold start: ${st.coldStartRuns} processes each), ratios from the same run.`,
  );
  out.push('');
  out.push('## Goals');
  out.push('');
  out.push(goalsTable(res.goals));
  for (const g of res.goals.filter((z) => z.why)) out.push('', `- Goal ${g.id}: ${g.why}`);
  const notes: string[] = [];
  if (res.requests) {
    out.push('', '## 1. Requests and round trips per operation', '');
    out.push(
      `Round trips are counted from the sandbox log (the longest chain of requests each sent after the previous one was answered); the floor is the fewest the job needs. Demo seed, ${st.latencyMs} ms added latency.`,
      '',
    );
    out.push(operationsTable(res.requests, notes));
    if (notes.length) out.push('', ...notes.map((t, i) => `${i + 1}. ${t}`));
    out.push('', '## 2. Poll cost vs location size', '');
    out.push(
      `Each visible trigger polled at two location sizes (demo seed + bulk contacts with one task each), small / large in each cell. "App ms" is the wall time minus the time the request spent in the sandbox (latency included): the app's own work. "Sandbox ms" is the sandbox's time to answer beyond the added latency (its in-memory search over every contact), GHL's side in production.`,
      '',
    );
    out.push(pollsTable(res.requests));
  }
  if (res.coldStart) {
    out.push('', '## 3. Cold start', '');
    out.push(
      `Fresh \`node\` processes (the Node that runs the benchmark), taking turns, ${res.coldStart.runs} each after one unmeasured load of each. "core + luxon" loads the app's only other runtime dependency after core: the difference to the app is the app's own code.`,
      '',
    );
    out.push(coldTable(res.coldStart));
  }
  if (res.bundle) {
    out.push('', '## 4. Bundle', '');
    out.push(
      `Baseline: ${res.bundle.baseline}. "Production-install estimate": the same zip without entries from packages a production install would not have (from package-lock.json).`,
      '',
    );
    out.push(bundleTable(res.bundle));
  }
  if (res.requests) {
    out.push(
      '',
      `## 5. Dropdowns and searches on a large location (${n(res.requests.largeLocation.contacts)} contacts, ${n(res.requests.largeLocation.tasks)} tasks)`,
      '',
    );
    out.push(largeTable(res.requests));
    if (res.requests.hiddenTriggersNotCovered.length)
      out.push('', `Dropdown triggers not measured: ${res.requests.hiddenTriggersNotCovered.join(', ')}.`);
  }
  for (const [what, err] of Object.entries(res.errors)) out.push('', `**${what} could not be measured:** ${err}`);
  return `${out.join('\n')}\n`;
};

/** docs/performance.md's copy of the goals table (between `<!-- BENCH-GOALS -->` markers), or undefined without markers. */
export const withGoalsTable = (doc: string, res: Results): string | undefined => {
  const start = '<!-- BENCH-GOALS -->';
  const end = '<!-- /BENCH-GOALS -->';
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  if (i < 0 || j < i) return undefined;
  const { environment: env } = res;
  const block = [
    `Latest run (${res.generatedAt.slice(0, 10)}, ${env.cpus} × ${env.cpuModel}, Node ${env.node}, ${Math.round(res.durationSeconds)} s; all tables in [bench/results/latest.md](../bench/results/latest.md)):`,
    '',
    goalsTable(res.goals),
  ].join('\n');
  return `${doc.slice(0, i + start.length)}\n${block}\n${doc.slice(j)}`;
};
