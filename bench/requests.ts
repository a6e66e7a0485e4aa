/**
 * Tables 1, 2 and 5: the app's real operations, run the way Zapier runs them (recipes/zap-runner.ts,
 * an OAuth connection, zapier-platform-core's app tester) against the in-process sandbox with
 * added latency. The sandbox's rate limit is off here: the benchmark counts requests, and the
 * counts are what is compared with GHL's 100 per 10 s budget.
 */
import App from '../index.js';
import { ZapRunner } from '../recipes/zap-runner.js';
import { startSandbox, type Sandbox } from '../sandbox/server.js';
import { measure, median, round, type RunMeasure } from './measure.js';
import { SCENARIOS, demoIds, type Counts, type Ids, type Scenario } from './scenarios.js';

export interface Options {
  latencyMs: number;
  runs: number;
  /** polls per trigger and size (after one warm-up poll) */
  pollRuns: number;
  sizes: [number, number];
  log: (line: string) => void;
}

type Status = 'met' | 'accepted' | 'missed' | 'error' | 'not covered';

export interface OperationRow {
  kind: Scenario['kind'];
  key: string;
  label: string;
  case: string;
  requests: number;
  roundTrips: number;
  floor: Counts;
  floorWhy?: string;
  /** measured round trips / floor round trips */
  ratio: number;
  requestRatio: number;
  wallMs: number;
  /** the requests of a typical run, grouped by round trip: `A + B → C` */
  calls: string;
  status: Status;
  reason?: string;
  /** the counts differed between runs (they should not) */
  varied?: boolean;
}

export interface PollRow {
  key: string;
  label: string;
  case: string;
  sizes: Array<{
    contacts: number;
    tasks: number;
    requests: number;
    roundTrips: number;
    items: number;
    wallMs: number;
    sandboxMs: number;
    /** wall time minus the time the request spent in the sandbox (latency included): the app's own work */
    appMs: number;
    error?: string;
  }>;
  /** wall time large / small */
  timeRatio: number;
  /** app-side time large / small */
  appTimeRatio: number;
  /**
   * The app's own time does not grow with the location: at most ×1.25 or 5 ms more than at the
   * small size, scaled by the items returned when the small location could not fill a page.
   */
  timeFlat: boolean;
  status: 'met' | 'missed';
}

export interface LargeRow {
  what: string;
  key: string;
  requests: number;
  roundTrips: number;
  expected: Counts;
  items?: number;
  wallMs: number;
  note?: string;
  error?: string;
}

export interface RequestResults {
  operations: OperationRow[];
  polls: PollRow[];
  large: LargeRow[];
  largeLocation: { contacts: number; tasks: number };
  hiddenTriggersNotCovered: string[];
}

type OpMap = Record<string, { display?: { hidden?: boolean }; operation?: { inputFields?: unknown[] } }>;
const keysOf = (kind: 'triggers' | 'searches' | 'creates', hidden: boolean): string[] =>
  Object.entries((App[kind] ?? {}) as OpMap)
    .filter(([, op]) => Boolean(op.display?.hidden) === hidden)
    .map(([key]) => key);

const within = (measured: number, floor: number) => measured <= floor * 1.1;

/** Runs a scenario `runs` times; `prepare` runs before each run (e.g. a sandbox reset). */
const repeat = async (sb: Sandbox, o: Options, runs: number, prepare: () => void, fn: () => Promise<unknown>): Promise<RunMeasure[]> => {
  const out: RunMeasure[] = [];
  for (let i = 0; i < runs; i++) {
    prepare();
    out.push(await measure(sb, o.latencyMs, fn));
  }
  return out;
};

/** The readable part of an error: core's AppError carries JSON; GHL's trace id is noise here. */
export const shortError = (message: string): string => {
  let m = message.split('\n')[0] ?? message;
  try {
    const parsed = JSON.parse(m) as { message?: string };
    if (typeof parsed.message === 'string') m = parsed.message;
  } catch {
    // not JSON
  }
  return m.replace(/\s*\(GHL traceId: [^)]*\)/, '');
};

/** The most common value (the larger one on a tie): counts are deterministic, so one odd run is noise, and flagged. */
const mode = (values: number[]): number => {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0] ?? NaN;
};

const summarize = (runs: RunMeasure[]) => {
  const requests = mode(runs.map((m) => m.requests));
  const roundTrips = mode(runs.map((m) => m.roundTrips));
  const varied = runs.some((m) => m.requests !== requests || m.roundTrips !== roundTrips);
  const error = runs.find((m) => m.error)?.error;
  const typical = runs.find((m) => m.requests === requests && m.roundTrips === roundTrips) ?? (runs[0] as RunMeasure);
  return { requests, roundTrips, varied, error, wallMs: round(median(runs.map((m) => m.wallMs))), first: typical };
};

// ---- Table 1

const operationRow = (s: Scenario, runs: RunMeasure[]): OperationRow => {
  const m = summarize(runs);
  const ratio = round(m.roundTrips / s.floor.roundTrips, 2);
  const requestRatio = round(m.requests / s.floor.requests, 2);
  let status: Status;
  let reason: string | undefined;
  if (m.error) {
    status = 'error';
    reason = shortError(m.error);
  } else if (within(m.roundTrips, s.floor.roundTrips) && within(m.requests, s.floor.requests)) status = 'met';
  else if (s.accepted && m.roundTrips <= s.accepted.roundTrips && m.requests <= s.accepted.requests) {
    status = 'accepted';
    reason = s.accepted.reason;
  } else {
    status = 'missed';
    reason = [
      s.accepted
        ? `more than the accepted ${s.accepted.requests} requests / ${s.accepted.roundTrips} round trips (${s.accepted.reason})`
        : '',
      s.ifMissed ?? '',
    ]
      .filter(Boolean)
      .join('; ');
  }
  return {
    kind: s.kind,
    key: s.key,
    label: s.label,
    case: s.case,
    requests: m.requests,
    roundTrips: m.roundTrips,
    floor: s.floor,
    ...(s.floorWhy ? { floorWhy: s.floorWhy } : {}),
    ratio,
    requestRatio,
    wallMs: m.wallMs,
    calls: m.first.calls,
    status,
    ...(reason ? { reason } : {}),
    ...(m.varied ? { varied: true } : {}),
  };
};

const runOperations = async (sb: Sandbox, r: ZapRunner, o: Options): Promise<OperationRow[]> => {
  const rows: OperationRow[] = [];
  let ids: Ids = demoIds(sb);
  for (const s of SCENARIOS) {
    const runs = await repeat(
      sb,
      o,
      o.runs,
      () => {
        sb.reset();
        ids = demoIds(sb);
      },
      () => s.run(r, ids),
    );
    const row = operationRow(s, runs);
    rows.push(row);
    o.log(`  ${row.label} (${row.case}): ${row.requests} req, ${row.roundTrips} round trips, ${row.wallMs} ms — ${row.status}`);
  }
  // Every visible operation must be measured; an operation nobody measured cannot be said to meet the goal.
  for (const kind of ['triggers', 'searches', 'creates'] as const) {
    for (const key of keysOf(kind, false)) {
      if (!SCENARIOS.some((s) => s.kind === kind && s.key === key)) {
        rows.push({
          kind,
          key,
          label: key,
          case: '(no scenario in bench/scenarios.ts)',
          requests: 0,
          roundTrips: 0,
          floor: { requests: 1, roundTrips: 1 },
          ratio: NaN,
          requestRatio: NaN,
          wallMs: NaN,
          calls: '',
          status: 'not covered',
          reason: 'add a scenario for this operation to bench/scenarios.ts',
        });
      }
    }
  }
  return rows;
};

// ---- Table 2

const seedLocation = (sb: Sandbox, contacts: number) => {
  sb.reset();
  sb.seedBulk({ contacts, tasksPerContact: 1 });
  return { contacts: sb.state.contacts.size, tasks: sb.state.tasks.size };
};

const runPolls = async (sb: Sandbox, r: ZapRunner, o: Options, onLarge: (size: { contacts: number; tasks: number }) => Promise<void>) => {
  const polls = SCENARIOS.filter((s) => s.kind === 'triggers');
  const rows: PollRow[] = polls.map((s) => ({
    key: s.key,
    label: s.label,
    case: s.case,
    sizes: [],
    timeRatio: NaN,
    appTimeRatio: NaN,
    timeFlat: true,
    status: 'met',
  }));
  for (const size of o.sizes) {
    const seeded = seedLocation(sb, size);
    o.log(`  location with ${seeded.contacts} contacts and ${seeded.tasks} tasks`);
    const ids = demoIds(sb);
    for (const [i, s] of polls.entries()) {
      await s.run(r, ids).catch(() => undefined); // warm-up, not measured
      const runs = await repeat(
        sb,
        o,
        o.pollRuns,
        () => undefined,
        () => s.run(r, ids),
      );
      const m = summarize(runs);
      const row = rows[i] as PollRow;
      row.sizes.push({
        ...seeded,
        requests: m.requests,
        roundTrips: m.roundTrips,
        items: m.first.items ?? 0,
        wallMs: m.wallMs,
        sandboxMs: round(median(runs.map((x) => x.sandboxMs))),
        appMs: round(median(runs.map((x) => x.wallMs - x.sandboxMs - o.latencyMs * x.requests))),
        ...(m.error ? { error: shortError(m.error) } : {}),
      });
    }
    if (size === Math.max(...o.sizes)) await onLarge(seeded);
  }
  for (const row of rows) {
    const [small, large] = row.sizes;
    row.timeRatio = small && large ? round(large.wallMs / small.wallMs, 2) : NaN;
    row.appTimeRatio = small && large ? round(large.appMs / small.appMs, 2) : NaN;
    row.timeFlat =
      !small ||
      !large ||
      large.appMs <= Math.max(small.appMs * 1.25, small.appMs + 5) * Math.max(1, large.items / Math.max(1, small.items));
    row.status = row.sizes.every((x) => x.requests === 1 && !x.error) ? 'met' : 'missed';
    o.log(`  ${row.label} (${row.case}): ${row.sizes.map((x) => `${x.requests} req ${x.wallMs} ms`).join(' → ')} — ${row.status}`);
  }
  return rows;
};

// ---- Table 5 (run on the large location)

const runLarge = async (sb: Sandbox, r: ZapRunner, o: Options): Promise<{ rows: LargeRow[]; notCovered: string[] }> => {
  const ids = demoIds(sb);
  const rows: LargeRow[] = [];
  const covered = new Set<string>();
  const one = async (what: string, key: string, expected: Counts, fn: () => Promise<unknown>, note?: string) => {
    covered.add(key);
    const runs = await repeat(sb, o, o.runs, () => undefined, fn);
    const m = summarize(runs);
    rows.push({
      what,
      key,
      requests: m.requests,
      roundTrips: m.roundTrips,
      expected,
      ...(m.first.items !== undefined ? { items: m.first.items } : {}),
      wallMs: m.wallMs,
      ...(note ? { note } : {}),
      ...(m.error ? { error: shortError(m.error) } : {}),
    });
    o.log(`  ${what}: ${m.requests} req, ${m.wallMs} ms${m.error ? ` (error: ${shortError(m.error)})` : ''}`);
  };
  const ONE = { requests: 1, roundTrips: 1 };
  const page = (n: number) => r.perform('triggers', 'contact_list', {}, { page: n });

  // Dropdowns
  await one('Contact dropdown, first page (100 contacts)', 'contact_list', ONE, () => page(0));
  await one(
    'Contact dropdown, pages 1–3 (user scrolls twice)',
    'contact_list',
    { requests: 3, roundTrips: 3 },
    async () => {
      const out = [];
      for (let p = 0; p < 3; p++) out.push(...((await page(p)) as unknown[]));
      return out;
    },
    'Zapier asks for the next page only when the user scrolls',
  );
  {
    // The whole list, page by page, until a short page or an error (measured once: it is long).
    const from = sb.requests.length;
    const t0 = performance.now();
    let items = 0;
    let pages = 0;
    let stop: string | undefined;
    for (let p = 0; p < 1000; p++) {
      try {
        const got = (await page(p)) as unknown[];
        pages += 1;
        items += got.length;
        if (got.length < 100) break;
      } catch (e) {
        stop = shortError((e as Error).message);
        break;
      }
    }
    const requests = sb.requests.length - from;
    const contacts = sb.state.contacts.size;
    rows.push({
      what: `Contact dropdown, every page (${contacts.toLocaleString('en-US')} contacts)`,
      key: 'contact_list',
      requests,
      roundTrips: requests,
      expected: { requests: Math.ceil(contacts / 100), roundTrips: Math.ceil(contacts / 100) },
      items,
      wallMs: round(performance.now() - t0),
      note: stop
        ? `${pages} pages listed ${items.toLocaleString('en-US')} contacts; page ${pages + 1} was refused ("${stop}"): GHL's page-based search stops at 10,000 results, so later contacts are reached through the Find Contact search field, not by scrolling`
        : `${pages} pages`,
    });
    o.log(`  contact dropdown, all pages: ${requests} req, ${items} contacts${stop ? `, stopped: ${stop}` : ''}`);
  }
  await one('Task dropdown (one contact)', 'task_list', ONE, () => r.perform('triggers', 'task_list', { contactId: ids.olivia }));
  await one('Note dropdown (one contact)', 'note_list', ONE, () => r.perform('triggers', 'note_list', { contactId: ids.olivia }));
  await one('Tag dropdown', 'tag_list', ONE, () => r.perform('triggers', 'tag_list', {}));
  await one('User dropdown', 'user_list', ONE, () => r.perform('triggers', 'user_list', {}));
  await one('Business dropdown, first page', 'business_list', ONE, () => r.perform('triggers', 'business_list', {}, { page: 0 }));
  await one('Custom field dropdown', 'custom_field_list', ONE, () => r.perform('triggers', 'custom_field_list', {}));
  const dynamicFields = (
    App.creates?.create_contact as unknown as { operation: { inputFields: unknown[] } } | undefined
  )?.operation.inputFields.find((f) => typeof f === 'function');
  if (dynamicFields) {
    await one('Create/Update Contact: custom field inputs (editor)', 'customFieldInputs', ONE, () =>
      r.appTester(dynamicFields as never, { authData: r.authData, inputData: {} } as never),
    );
  }

  // Finding one contact among the large location's
  const bulk = [...sb.state.contacts.values()].filter((c) => c.source === 'bulk');
  const target = bulk[Math.floor(bulk.length / 2)] ?? bulk[0];
  if (target) {
    await one(
      `Find Contact by email (contact #${bulk.indexOf(target) + 1} of ${bulk.length.toLocaleString('en-US')})`,
      'find_contact',
      ONE,
      () => r.perform('searches', 'find_contact', { email: target.email }),
    );
    await one('Find Contact by phone', 'find_contact', ONE, () => r.perform('searches', 'find_contact', { phone: target.phone }));
    await one('Find Contact by search text', 'find_contact', ONE, () => r.perform('searches', 'find_contact', { query: target.email }));
    await one('Find Contact by ID (full profile)', 'find_contact_by_id', { requests: 4, roundTrips: 1 }, () =>
      r.perform('searches', 'find_contact_by_id', { contactId: target.id }),
    );
  }
  await one('Find Contact by custom field (Ecwid Customer ID)', 'find_contact', ONE, () =>
    r.perform('searches', 'find_contact', { customFieldId: ids.ecwidField, customFieldValue: ids.ecwidValue }),
  );
  await one('Find Contacts in Business', 'find_contacts_in_business', ONE, () =>
    r.perform('searches', 'find_contacts_in_business', { businessId: ids.wholesale }),
  );
  return { rows, notCovered: keysOf('triggers', true).filter((k) => !covered.has(k)) };
};

export const runRequestBenchmarks = async (o: Options): Promise<RequestResults> => {
  const sb = await startSandbox({ latencyMs: o.latencyMs, rateLimit: false });
  try {
    const r = new ZapRunner(sb);
    await r.connect();
    o.log(`Table 1: operations (demo seed, ${o.latencyMs} ms added latency, ${o.runs} runs each)`);
    const operations = await runOperations(sb, r, o);
    o.log(`Table 2: poll cost vs location size (${o.pollRuns} polls each)`);
    let large: LargeRow[] = [];
    let largeLocation = { contacts: 0, tasks: 0 };
    let notCovered: string[] = [];
    const polls = await runPolls(sb, r, o, async (seeded) => {
      o.log(`Table 5: dropdowns and searches on the large location`);
      largeLocation = seeded;
      const got = await runLarge(sb, r, o);
      large = got.rows;
      notCovered = got.notCovered;
    });
    return { operations, polls, large, largeLocation, hiddenTriggersNotCovered: notCovered };
  } finally {
    await sb.close();
  }
};
