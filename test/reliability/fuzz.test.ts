/**
 * Bad input: property-based fuzzing (fast-check) of every action's, search's and input-taking
 * trigger's inputs — missing fields, wrong types, empty, huge and unicode strings, malformed emails,
 * phones and dates, ids with slashes, `..` or spaces, custom field values of every type.
 *
 * Every generated input must end either in requests that are all correct (a documented GHL endpoint,
 * every id in the path a well-formed, encoded id, a body GHL's spec accepts and made only of validated
 * values) or in a `z.errors.Error` whose message a no-code user can act on (it names the field or
 * GHL; no TypeError, "undefined" or stack trace) — and an input error never comes after a write.
 *
 * Seeded and reproducible: FUZZ_SEED=<n> (default below) and FUZZ_RUNS=<total> (default 10,000).
 */
import { SEED_CAMPAIGNS, SEED_WORKFLOWS } from '../../sandbox/state/automation.js';
import fc from 'fast-check';
import App from '../../index.js';
import { anyEndpointOperations } from '../../src/operations/define.js';
import { createWorld, createZ, type FuzzWorld } from './fuzz-harness.js';
import { seedIds } from './ops.js';
import { errorHygiene } from './runner.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_128);
const TOTAL_RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);

type Field = Record<string, unknown> & {
  key: string;
  label?: string;
  type?: string;
  list?: boolean;
  choices?: unknown;
  required?: boolean;
};
type Operation = { key: string; operation: { perform: (z: unknown, bundle: unknown) => Promise<unknown>; inputFields?: unknown[] } };

let world: FuzzWorld;

beforeAll(async () => {
  world = await createWorld();
});

// ---------------------------------------------------------------- arbitraries

const HUGE = ['x'.repeat(20_000), 'é'.repeat(10_001), `${'a'.repeat(300)}@example.com`, '😀'.repeat(6_000)];
const NASTY = [
  'undefined',
  'null',
  'NaN',
  '[object Object]',
  '{{123__email}}',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '\u0000',
  '\u200b',
  'ﬀ',
  'Ⓐ',
  '👩‍👩‍👧',
  '\t\n',
];
const weird = fc.oneof(
  fc.constantFrom<unknown>('', '   ', null, undefined, 0, -1, 1.5, true, false, [], {}, ['a', 'b'], [''], [null], { id: 'x' }),
  fc.integer(),
  // Zapier's inputData is JSON: numbers are finite (NaN and Infinity cannot be mapped).
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(...HUGE, ...NASTY),
  fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
);

const UNSAFE_IDS = [
  '../contacts',
  '..',
  '.',
  'a/b',
  'abc/../def',
  '%2F',
  '%2e%2e',
  'a b',
  ' padded0000000000001 ',
  'a?b=1',
  'a#b',
  'a\\b',
  'ид0000000000000000',
  '😀',
  'a'.repeat(65),
  'a'.repeat(300),
  'nmFmQEsNgz6AVpgLVUJ0,ve9EPM428h8vShlRW1KT',
];

const ids = () => {
  const s = seedIds(world.state);
  return [
    s.olivia,
    s.jamal,
    s.ethan,
    s.henrik,
    s.oliviaOpenTask,
    s.oliviaDoneTask,
    s.jamalTask,
    s.oliviaNote,
    s.wholesale,
    s.marcus,
    s.ecwidField,
    s.groupField,
    ...Object.values(SEED_WORKFLOWS),
    ...Object.values(SEED_CAMPAIGNS),
  ];
};

const idArb = () =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...ids()), weight: 5 },
    { arbitrary: fc.stringMatching(/^[A-Za-z0-9]{20}$/), weight: 2 },
    { arbitrary: fc.constantFrom(...UNSAFE_IDS), weight: 3 },
    { arbitrary: weird, weight: 2 },
  );
const emailArb = fc.oneof(
  { arbitrary: fc.emailAddress(), weight: 3 },
  {
    arbitrary: fc.constantFrom(
      'olivia.bennett@example.com',
      'no-at-sign',
      'a@b',
      'a@b.c',
      '@example.com',
      'a@@example.com',
      'a b@example.com',
      'a@example.com,b@example.com',
      '"q"@example.com',
      'ü@exämple.de',
      ' SPACED@Example.COM ',
      'a@example.com\n',
    ),
    weight: 3,
  },
  { arbitrary: weird, weight: 2 },
);
const phoneArb = fc.oneof(
  { arbitrary: fc.stringMatching(/^\+?[0-9 ().-]{3,24}$/), weight: 3 },
  {
    arbitrary: fc.constantFrom(
      '+1 (503) 555-0187',
      '555',
      '+',
      '++15035550187',
      'abc',
      '+1 503 555 0187 ext 12',
      '٠١٢٣٤٥٦٧٨٩',
      '+18025550123',
    ),
    weight: 3,
  },
  { arbitrary: weird, weight: 2 },
);
const dateArb = fc.oneof(
  {
    arbitrary: fc.date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
    weight: 3,
  },
  { arbitrary: fc.integer({ min: -1e12, max: 5e12 }), weight: 1 },
  {
    arbitrary: fc.constantFrom(
      '2026-02-30',
      '2026-13-01',
      'tomorrow',
      '12/31/2026',
      '31/12/2026',
      '2026-12-01 15:00',
      '2026-12-01T15:00:00+25:00',
      '0000-00-00',
      'Invalid Date',
      '1700000000',
      '1700000000000',
      '99999999999999999999',
    ),
    weight: 3,
  },
  { arbitrary: weird, weight: 2 },
);
const boolArb = fc.oneof(
  fc.boolean(),
  fc.constantFrom('true', 'false', 'yes', 'no', '1', '0', 'maybe', 'TRUE', ' no ', 'on', 'off'),
  weird,
);
const textArb = fc.oneof(
  { arbitrary: fc.string({ maxLength: 60 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }), weight: 2 },
  {
    arbitrary: fc.constantFrom(
      'Call about order #1042',
      'review',
      'fridays',
      'VIP',
      'US',
      'America/New_York',
      'Wholesale',
      'Yes',
      '1840.50',
      '2026-01-09',
    ),
    weight: 3,
  },
  { arbitrary: weird, weight: 2 },
);
const listArb = fc.oneof(
  fc.array(fc.oneof(fc.constantFrom('vip', 'wholesale', 'customer', 'VIP', ' spaced '), fc.string({ maxLength: 20 })), { maxLength: 5 }),
  fc.string({ maxLength: 40 }),
  fc.array(weird, { maxLength: 3 }),
  weird,
);
const intArb = fc.oneof(fc.integer({ min: -5, max: 200 }), fc.constantFrom('25', '1', '0', '100', '101', '2.5', 'ten', ' 7 '), weird);

const ID_KEYS = new Set([
  'contactId',
  'taskId',
  'noteId',
  'businessId',
  'assignedTo',
  'userId',
  'customFieldId',
  'workflowId',
  'campaignId',
]);
/** List fields of ids (Followers, Contact IDs of the bulk tag step). */
const ID_LIST_KEYS = new Set(['followers', 'contactIds']);

/** A value generator for one input field, chosen by its key, type, list and choices. */
const arbFor = (f: Field): fc.Arbitrary<unknown> => {
  if (ID_KEYS.has(f.key)) return idArb();
  if (ID_LIST_KEYS.has(f.key)) return fc.oneof(fc.array(idArb(), { maxLength: 4 }), listArb);
  if (f.key === 'email') return emailArb;
  if (f.key === 'phone') return phoneArb;
  if (f.type === 'datetime' || /date/i.test(f.key)) return dateArb;
  if (f.type === 'boolean') return boolArb;
  if (f.type === 'integer' || f.type === 'number') return intArb;
  if (f.list) return listArb;
  if (f.choices) {
    const values = Array.isArray(f.choices)
      ? f.choices.map((c) => (typeof c === 'object' && c !== null ? String((c as { value?: unknown }).value) : String(c)))
      : Object.keys(f.choices as object);
    return fc.oneof({ arbitrary: fc.constantFrom(...values), weight: 4 }, { arbitrary: textArb, weight: 2 });
  }
  return textArb;
};

/** Custom field inputs (Create / Update Contact): every field type of the sandbox, plus an id that does not exist. */
const customFieldModel = (): Record<string, fc.Arbitrary<unknown>> => {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const d of world.state.customFields.values()) {
    const kind = d.dataType;
    model[`customField__${d.id}`] =
      kind === 'DATE'
        ? dateArb
        : kind === 'MONETORY' || kind === 'NUMERICAL'
          ? fc.oneof(intArb, fc.constantFrom('1840.50', '-3', '1e5', '1,000', '12 345'))
          : kind === 'CHECKBOX'
            ? listArb
            : kind === 'SINGLE_OPTIONS'
              ? fc.oneof(fc.constantFrom('General', 'vip', 'Wholesale', 'Gold'), textArb)
              : textArb;
  }
  model['customField__Zz9NoSuchField000001'] = textArb;
  return model;
};

const inputArb = (op: Operation, kind: string) => {
  const fields = (op.operation.inputFields ?? []).filter(
    (f): f is Field => typeof f === 'object' && f !== null && (f as Field).type !== 'copy',
  );
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const f of fields) model[f.key] = arbFor(f);
  if (kind === 'creates' && (op.operation.inputFields ?? []).some((f) => typeof f === 'function')) Object.assign(model, customFieldModel());
  return fc.record(model, { requiredKeys: [] });
};

/** What a user may read in an error: the field labels of the step, custom field names, or "GHL". */
const labelsOf = (op: Operation): string[] => {
  const labels = (op.operation.inputFields ?? []).flatMap((f) =>
    typeof f === 'object' && f !== null && typeof (f as Field).label === 'string' ? [(f as Field).label as string] : [],
  );
  return [...labels, ...[...world.state.customFields.values()].map((d) => d.name)];
};

// ---------------------------------------------------------------- the property

interface Outcome {
  problems: string[];
  rejected: boolean;
}

const isWrite = (s: { method: string; read: boolean }) => !s.read;

const checkOne = async (kind: string, op: Operation, inputData: Record<string, unknown>): Promise<Outcome> => {
  const bundle = { authData: world.authData, inputData, meta: { timezone: 'America/New_York', page: 0 } };
  const { z, sent } = createZ(world, bundle as never);
  const problems: string[] = [];
  let output: unknown;
  let error: unknown;
  try {
    output = await op.operation.perform(z, bundle);
  } catch (e) {
    error = e;
  }
  for (const s of sent) for (const p of s.problems) problems.push(`${s.method} ${s.url}: ${p}`);
  if (error === undefined) {
    if (kind === 'creates' && (typeof output !== 'object' || output === null || Array.isArray(output)))
      problems.push(`an action returned ${JSON.stringify(output)?.slice(0, 80)}`);
    if (kind !== 'creates' && !Array.isArray(output))
      problems.push(`a ${kind.slice(0, -1)} returned ${JSON.stringify(output)?.slice(0, 80)}, not a list`);
    if (kind === 'triggers' && Array.isArray(output) && output.some((o) => !o || typeof o !== 'object' || !(o as { id?: unknown }).id))
      problems.push('a trigger item has no id');
  } else {
    const e = error as Error;
    if (e.name !== 'AppError') {
      problems.push(`rejected with ${e.name}: ${e.message?.slice(0, 200)}`);
    } else {
      let data: { message?: string; code?: string } = {};
      try {
        data = JSON.parse(e.message) as typeof data;
      } catch {
        problems.push(`an AppError whose message is not Zapier's JSON: ${e.message.slice(0, 120)}`);
      }
      const message = data.message ?? '';
      problems.push(
        ...errorHygiene(
          { name: e.name, message },
          [world.authData.access_token!, world.authData.refresh_token!],
          JSON.stringify(inputData),
        ),
      );
      const lower = message.toLowerCase();
      if (!labelsOf(op).some((l) => lower.includes(l.toLowerCase())) && !/GHL/.test(message))
        problems.push(`the message names no field and not GHL: ${message}`);
      if (data.code === 'invalid_input' && sent.some(isWrite)) problems.push(`an input error came after a write: ${message}`);
    }
  }
  // Writes change the in-process sandbox; start the next input from the seed again.
  if (sent.some(isWrite)) world.state.reset();
  return { problems, rejected: error !== undefined };
};

const operations = (): Array<{ kind: string; op: Operation }> => {
  const out: Array<{ kind: string; op: Operation }> = [];
  for (const kind of ['searches', 'creates', 'triggers'] as const) {
    for (const op of Object.values((App[kind] ?? {}) as Record<string, Operation>)) {
      // API Request may call any path; it has its own fuzzing (test/reliability/fuzz-api-request.test.ts).
      if (anyEndpointOperations.has(op.key)) continue;
      const hasInput = (op.operation.inputFields ?? []).some(
        (f) => typeof f === 'function' || (typeof f === 'object' && f !== null && (f as Field).type !== 'copy'),
      );
      if (kind !== 'triggers' || hasInput) out.push({ kind, op });
    }
  }
  return out;
};

describe('fuzzing every action, search and input-taking trigger', () => {
  const stats = { inputs: 0, actionsAndSearches: 0, rejected: 0, resolved: 0, failures: 0, ms: 0 };
  const ops = operations();
  // Actions and searches alone get TOTAL_RUNS inputs; input-taking triggers get as many each on top.
  const runsPerOp = Math.ceil(TOTAL_RUNS / ops.filter((o) => o.kind !== 'triggers').length);

  afterAll(() => {
    console.log(
      `fuzz: seed ${SEED}, ${ops.length} operations × ${runsPerOp} runs = ${stats.inputs} generated inputs ` +
        `(${stats.actionsAndSearches} on actions and searches) ` +
        `(${stats.resolved} ended in correct requests, ${stats.rejected} in a user-facing error), ${stats.failures} failures, ${stats.ms} ms. ` +
        `Reproduce: FUZZ_SEED=${SEED} FUZZ_RUNS=${TOTAL_RUNS} npx jest test/reliability/fuzz.test.ts`,
    );
  });

  test('there are operations to fuzz and enough runs in total', () => {
    expect(ops.length).toBeGreaterThanOrEqual(15);
    expect(ops.filter((o) => o.kind !== 'triggers').length * runsPerOp).toBeGreaterThanOrEqual(TOTAL_RUNS);
  });

  test.each(ops.map(({ kind, op }, i) => [`${kind}/${op.key}`, kind, op, i] as const))(
    '%s',
    async (_id, kind, op, i) => {
      const started = Date.now();
      const seed = SEED + i;
      try {
        const out = await fc.check(
          fc.asyncProperty(inputArb(op, kind), async (input) => {
            stats.inputs += 1;
            if (kind !== 'triggers') stats.actionsAndSearches += 1;
            const { problems, rejected } = await checkOne(kind, op, input);
            if (rejected) stats.rejected += 1;
            else stats.resolved += 1;
            if (problems.length) throw new Error(problems.slice(0, 5).join('\n'));
          }),
          { seed, numRuns: runsPerOp, endOnFailure: true },
        );
        if (out.failed) {
          stats.failures += 1;
          const cause = out.errorInstance instanceof Error ? out.errorInstance.message : String(out.errorInstance);
          throw new Error(
            `${kind}/${op.key}: input ${fc.stringify(out.counterexample?.[0]).slice(0, 600)}\n${cause}\n` +
              `(reproduce: fc seed ${out.seed}, path "${out.counterexamplePath}")`,
          );
        }
      } finally {
        stats.ms += Date.now() - started;
      }
    },
    60_000,
  );
});
