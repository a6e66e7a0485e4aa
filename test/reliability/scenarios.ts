/**
 * Matrix cases that need more than one step or a custom check: the rate-limit storm, GHL's
 * duplicate-contact answers, search-index lag, replays, deletes that must touch one record only,
 * and updates that must not wipe what the user did not touch.
 */
import type { Harness } from './harness.js';
import { type ScenarioCase, type ScenarioResult } from './matrix.js';
import { jules, type OpSpec } from './ops.js';

type Row = { id: string } & Record<string, unknown>;
type Data = Record<string, Row[]>;

const data = (h: Harness): Data => JSON.parse(h.snapshot()) as Data;

/** Ids added, removed and changed per collection between two snapshots. */
const diff = (a: Data, b: Data) => {
  const out: Record<string, { added: string[]; removed: string[]; changed: string[] }> = {};
  for (const k of Object.keys(a)) {
    const x = new Map(a[k]!.map((r) => [r.id, JSON.stringify(r)]));
    const y = new Map((b[k] ?? []).map((r) => [r.id, JSON.stringify(r)]));
    out[k] = {
      added: [...y.keys()].filter((id) => !x.has(id)),
      removed: [...x.keys()].filter((id) => !y.has(id)),
      changed: [...x.keys()].filter((id) => y.has(id) && y.get(id) !== x.get(id)),
    };
  }
  return out;
};

const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join('|') === [...b].sort().join('|');
const check = (problems: string[], ok: boolean, message: string) => {
  if (!ok) problems.push(message);
};
const op = (h: Harness, id: string): OpSpec => {
  const found = h.ops.find((o) => o.id === id);
  if (!found) throw new Error(`The app has no ${id}`);
  return found;
};

const STORM = 'rate-limit-storm';

export const SCENARIOS: ScenarioCase[] = [
  {
    id: STORM,
    group: 'throttle',
    fault: "A burst of concurrent Zap steps against GHL's real limit (100 requests per 10 s per sub-account).",
    operations:
      'searches/find_contact (150 steps, 1 request each), searches/find_contact_by_id (40 steps, 4 reads each), creates/create_note (120 steps)',
    expected:
      'Exactly one request per request a step needs (no in-process retry of a 429, no storm); the steps over the limit end in ThrottledError with a 10 s delay; every reported success is in GHL and no throttled create is.',
    run: async (h) => {
      const results: ScenarioResult[] = [];
      const burst = async (
        label: string,
        n: number,
        perStep: number,
        run: (i: number) => Promise<unknown>,
        after?: (outcomes: PromiseSettledResult<unknown>[]) => string[],
      ) => {
        h.fresh();
        h.rateLimitClockStoppedAt = Date.now();
        // The app sends a read that timed out once more; 150 steps at once on a busy machine can take
        // longer than its 20 s per request, so the burst's requests get the time they need: this
        // scenario counts resends of a 429, not of a timeout.
        const outcomes = await h.withEnv('GHL_REQUEST_TIMEOUT_MS', '600000', () =>
          Promise.allSettled(Array.from({ length: n }, (_, i) => run(i))),
        );
        // A step that failed on one 429 may still have sibling requests on their way (Promise.all
        // settles at the first error); on a loaded machine they can take longer than any fixed
        // pause. Wait until the sandbox's log has been still for 50 ms with nothing unanswered, so
        // they are counted in this burst and not in the next one.
        for (let i = 0, still = 0; i < 300 && still < 5; i++) {
          const seen = h.sb.requests.length;
          await new Promise((r) => setTimeout(r, 10));
          const unanswered = h.sb.requests.some((r) => r.status === 0);
          still = h.sb.requests.length === seen && !unanswered ? still + 1 : 0;
        }
        h.rateLimitClockStoppedAt = undefined;
        const problems: string[] = [];
        const api = h.sb.requests.filter((r) => r.path !== '/oauth/token');
        const limited = api.filter((r) => r.status === 429).length;
        const failures = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => o.reason as Error);
        check(
          problems,
          api.length === n * perStep,
          `${api.length} requests for ${n} steps of ${perStep} (expected exactly ${n * perStep}: no retries)`,
        );
        check(
          problems,
          limited === Math.max(0, n * perStep - 100),
          `${limited} answers were 429 (expected ${Math.max(0, n * perStep - 100)})`,
        );
        const notThrottled = failures.filter((e) => e.name !== 'ThrottledError');
        check(
          problems,
          notThrottled.length === 0,
          `${notThrottled.length} steps failed with something else than ThrottledError: ${notThrottled[0]?.name} ${notThrottled[0]?.message}`,
        );
        const delays = new Set(failures.map((e) => (JSON.parse(e.message) as { delay?: number }).delay));
        check(
          problems,
          failures.length === 0 || (delays.size === 1 && delays.has(10)),
          `ThrottledError delays ${[...delays].join(', ')} (expected 10 s)`,
        );
        check(problems, failures.length > 0, 'no step was throttled: the burst did not reach the limit');
        problems.push(...(after?.(outcomes) ?? []));
        results.push({ label: `${label} ×${n} (${api.length} requests, ${failures.length} throttled)`, problems });
      };
      await burst('searches/find_contact', 150, 1, () =>
        h.runner.perform('searches', 'find_contact', { email: 'olivia.bennett@example.com' }),
      );
      await burst('searches/find_contact_by_id', 40, 4, () =>
        h.runner.perform('searches', 'find_contact_by_id', { contactId: h.ids.olivia }),
      );
      await burst(
        'creates/create_note',
        120,
        1,
        // One request per step (no duplicate check) so the counts below stay exact: the burst is about retries.
        (i) => h.runner.perform('creates', 'create_note', { contactId: h.ids.olivia, body: `Storm note ${i}`, skipIfSame: 'no' }),
        (outcomes) => {
          const bodies = new Set([...h.sb.state.notes.values()].map((n) => n.body));
          const problems: string[] = [];
          outcomes.forEach((o, i) => {
            const inGhl = bodies.has(`Storm note ${i}`);
            if (o.status === 'fulfilled' && !inGhl) problems.push(`note ${i} was reported created but is not in GHL`);
            if (o.status === 'rejected' && inGhl) problems.push(`note ${i} was reported throttled but was created`);
          });
          return problems.slice(0, 5);
        },
      );
      return results;
    },
  },
  {
    id: 'duplicate-contact',
    group: 'quirk',
    fault: 'GHL refuses a duplicate contact: 400 "This location does not allow duplicated contacts." with meta.contactId.',
    operations:
      'creates/create_contact (same email; same phone, other format), searchOrCreates/find_contact (search misses, create hits a duplicate), creates/update_contact (email of another contact)',
    expected:
      "Create: the existing contact (Existing = true), nothing created, the existing contact untouched. Update to another contact's email: AppError naming the contact that holds it; nothing changed.",
    run: async (h) => {
      const results: ScenarioResult[] = [];
      const create = async (label: string, input: Record<string, unknown>) => {
        h.fresh();
        const before = data(h);
        const run = await h.exec({
          ...op(h, 'creates/create_contact'),
          run: ({ runner }) => runner.perform('creates', 'create_contact', input),
        });
        const problems: string[] = [];
        const out = run.output as Record<string, unknown> | undefined;
        check(problems, run.ok, `failed: ${run.error?.message}`);
        check(
          problems,
          out?.id === h.ids.olivia && out?.existing === true,
          `returned ${JSON.stringify(out)?.slice(0, 120)}, expected Olivia with existing = true`,
        );
        const d = diff(before, data(h));
        check(problems, !d.contacts!.added.length && !d.contacts!.changed.length, `contacts changed: ${JSON.stringify(d.contacts)}`);
        results.push({ label, problems });
      };
      await create('creates/create_contact (same email, other case)', { email: 'Olivia.Bennett@Example.com', firstName: 'Liv' });
      await create('creates/create_contact (same phone, other format)', { phone: '(802) 555-0123', firstName: 'Liv' });

      h.fresh();
      const before = data(h);
      const pair = await h.exec({
        ...op(h, 'searchOrCreates/find_contact'),
        run: ({ runner }) =>
          runner.searchOrCreate(
            'Find or Create',
            'find_contact',
            { customFieldId: h.ids.ecwidField, customFieldValue: '999000111' },
            { email: 'olivia.bennett@example.com', firstName: 'Liv' },
          ),
      });
      const p1: string[] = [];
      const rec = (pair.output as { record?: Record<string, unknown> } | undefined)?.record;
      check(p1, pair.ok && rec?.id === h.ids.olivia, `expected Olivia, got ${pair.error?.message ?? JSON.stringify(rec)?.slice(0, 120)}`);
      check(p1, diff(before, data(h)).contacts!.added.length === 0, 'a second contact was created');
      results.push({ label: 'searchOrCreates/find_contact (search misses, create meets the duplicate)', problems: p1 });

      h.fresh();
      const before2 = data(h);
      const upd = await h.exec({
        ...op(h, 'creates/update_contact'),
        run: ({ runner }) => runner.perform('creates', 'update_contact', { contactId: h.ids.jamal, email: 'olivia.bennett@example.com' }),
      });
      const p2: string[] = [];
      check(
        p2,
        !upd.ok && upd.error?.name === 'AppError' && upd.error.status === 400,
        `expected AppError 400, got ${upd.ok ? 'success' : upd.error?.message}`,
      );
      check(
        p2,
        (upd.error?.message ?? '').includes(h.ids.olivia),
        `the message does not name the contact that has the email: ${upd.error?.message}`,
      );
      check(p2, h.snapshot() === JSON.stringify(before2), 'data changed');
      results.push({ label: "creates/update_contact (another contact's email)", problems: p2 });
      return results;
    },
  },
  {
    id: 'search-index-lag',
    group: 'quirk',
    fault:
      "GHL's contact search is eventually consistent: a contact created a moment ago is not found by POST /contacts/search yet (5 s lag).",
    operations: 'searchOrCreates/find_contact replayed at once (by custom field + email; by custom field only, email in the create)',
    expected: 'Exactly one contact: the replay finds it by email, or its create meets the duplicate 400 and returns it.',
    run: async (h) => {
      const results: ScenarioResult[] = [];
      const saved = h.sb.state.searchIndexDelayMs;
      try {
        for (const [label, search] of [
          ['custom field + email', { customFieldId: h.ids.ecwidField, customFieldValue: jules.ecwidId, email: jules.email }],
          ['custom field only', { customFieldId: h.ids.ecwidField, customFieldValue: jules.ecwidId }],
        ] as const) {
          h.fresh();
          h.sb.state.searchIndexDelayMs = 5000;
          const before = h.sb.state.contacts.size;
          const create = {
            firstName: jules.firstName,
            lastName: jules.lastName,
            email: jules.email,
            [`customField__${h.ids.ecwidField}`]: jules.ecwidId,
          };
          const problems: string[] = [];
          const ids = new Set<unknown>();
          for (let i = 0; i < 3; i++) {
            try {
              const r = await h.runner.searchOrCreate('Find or Create', 'find_contact', { ...search }, create);
              ids.add(r.record.id);
            } catch (e) {
              problems.push(`try ${i + 1} failed: ${(e as Error).message}`);
            }
          }
          check(problems, h.sb.state.contacts.size === before + 1, `${h.sb.state.contacts.size - before} contacts created (expected 1)`);
          check(problems, ids.size === 1, `the tries returned ${ids.size} different contacts`);
          results.push({ label: `searchOrCreates/find_contact ×3 (${label})`, problems });
        }
      } finally {
        h.sb.state.searchIndexDelayMs = saved;
      }
      return results;
    },
  },
  {
    id: 'replay-5x',
    group: 'data',
    fault: 'Zapier (or the user) replays a step with the same input 5 times.',
    operations: 'every action, search-or-create and flow',
    expected:
      'The data ends exactly as after one run: one contact / task / note, no double update; each replay succeeds or reports the record as already gone.',
    run: async (h) => {
      const results: ScenarioResult[] = [];
      for (const o of h.ops.filter((x) => x.writes)) {
        const baseline = await h.baseline(o);
        await h.freshFor(o);
        const problems: string[] = [];
        for (let i = 0; i < 5; i++) {
          const r = await h.exec(o);
          if (!r.ok && !(r.error?.code ?? '').endsWith('_not_found'))
            problems.push(`run ${i + 1} failed: ${r.error?.name} ${r.error?.message}`);
        }
        if (h.snapshot() !== baseline.state) {
          const d = diff(JSON.parse(baseline.state) as Data, data(h));
          const parts = Object.entries(d)
            .filter(([, v]) => v.added.length || v.removed.length || v.changed.length)
            .map(([k, v]) => `${k}: +${v.added.length} -${v.removed.length} ~${v.changed.length}`);
          problems.push(`after 5 runs the data differs from one run (${parts.join(', ')})`);
        }
        results.push({ label: o.id, problems });
      }
      return results;
    },
  },
  {
    id: 'delete-exactly-one',
    group: 'data',
    fault: 'Delete Contact / Delete Task, including ids of the wrong contact, unsafe ids and an ambiguous Find Contact before the delete.',
    operations: 'creates/delete_contact, creates/delete_task, flows/customer_deleted',
    expected:
      'Only the identified record goes (a contact with its own tasks, notes and appointments); a task id of another contact, an id with "/" or "..", or an ambiguous find deletes nothing.',
    run: async (h) => {
      const results: ScenarioResult[] = [];
      const ids = h.ids;

      h.fresh();
      let before = data(h);
      let r = await h.exec(op(h, 'creates/delete_contact'));
      let d = diff(before, data(h));
      let p: string[] = [];
      const ethanTasks = before.tasks!.filter((t) => t.contactId === ids.ethan).map((t) => t.id);
      const ethanNotes = before.notes!.filter((t) => t.contactId === ids.ethan).map((t) => t.id);
      const ethanAppts = before.appointments!.filter((t) => t.contactId === ids.ethan).map((t) => t.id);
      check(p, r.ok, `failed: ${r.error?.message}`);
      check(p, sameSet(d.contacts!.removed, [ids.ethan]) && !d.contacts!.changed.length, `contacts removed ${JSON.stringify(d.contacts)}`);
      check(p, sameSet(d.tasks!.removed, ethanTasks) && !d.tasks!.changed.length, `tasks removed ${JSON.stringify(d.tasks)}`);
      check(p, sameSet(d.notes!.removed, ethanNotes) && !d.notes!.changed.length, `notes removed ${JSON.stringify(d.notes)}`);
      check(p, sameSet(d.appointments!.removed, ethanAppts), `appointments removed ${JSON.stringify(d.appointments)}`);
      results.push({ label: 'creates/delete_contact (one contact)', problems: p });

      h.fresh();
      before = data(h);
      r = await h.exec(op(h, 'creates/delete_task'));
      d = diff(before, data(h));
      p = [];
      check(p, r.ok, `failed: ${r.error?.message}`);
      check(p, sameSet(d.tasks!.removed, [ids.oliviaOpenTask]) && !d.tasks!.changed.length, `tasks removed ${JSON.stringify(d.tasks)}`);
      check(
        p,
        Object.entries(d).every(([k, v]) => k === 'tasks' || (!v.added.length && !v.removed.length && !v.changed.length)),
        'other data changed',
      );
      results.push({ label: 'creates/delete_task (one task)', problems: p });

      const nothingDeleted = async (
        label: string,
        kind: 'delete_task' | 'delete_contact',
        input: Record<string, unknown>,
        expectCode: RegExp,
      ) => {
        h.fresh();
        const snap = h.snapshot();
        const run = await h.exec({ ...op(h, `creates/${kind}`), run: ({ runner }) => runner.perform('creates', kind, input) });
        const problems: string[] = [];
        check(
          problems,
          !run.ok && expectCode.test(run.error?.code ?? ''),
          `expected an error (${expectCode}), got ${run.ok ? 'success' : `${run.error?.code}: ${run.error?.message}`}`,
        );
        check(problems, h.snapshot() === snap, 'something was deleted');
        check(problems, !run.api.some((x) => x.method === 'DELETE'), 'a DELETE was sent');
        results.push({ label, problems });
      };
      await nothingDeleted(
        'creates/delete_task (task of another contact)',
        'delete_task',
        { contactId: ids.jamal, taskId: ids.oliviaOpenTask },
        /^task_not_found$/,
      );
      await nothingDeleted(
        'creates/delete_task (already deleted)',
        'delete_task',
        { contactId: ids.olivia, taskId: 'Zz9MissingRecord0001' },
        /^task_not_found$/,
      );
      await nothingDeleted(
        'creates/delete_contact (id with "/..")',
        'delete_contact',
        { contactId: `${ids.olivia}/../${ids.ethan}` },
        /^invalid_input$/,
      );
      await nothingDeleted('creates/delete_contact (two ids)', 'delete_contact', { contactId: [ids.olivia, ids.ethan] }, /^invalid_input$/);
      await nothingDeleted(
        'creates/delete_contact (comma-separated ids)',
        'delete_contact',
        { contactId: `${ids.olivia},${ids.ethan}` },
        /^invalid_input$/,
      );

      // Two contacts share the Ecwid Customer ID: Find Contact says so, and flow 3's filter stops before Delete Contact.
      const removal = op(h, 'flows/customer_deleted');
      await h.freshFor(removal);
      h.sb.state.contacts.get(ids.henrik)!.customFields.push({ id: ids.ecwidField, value: jules.ecwidId });
      const snap = h.snapshot();
      const found = await h.runner.perform('searches', 'find_contact', { customFieldId: ids.ecwidField, customFieldValue: jules.ecwidId });
      p = [];
      check(
        p,
        found[0]?.ambiguous === true && found[0]?.matchCount === 2,
        `Find Contact did not flag the ambiguity: ${JSON.stringify(found[0] ?? null).slice(0, 160)}`,
      );
      const flow = await h.exec(removal);
      check(
        p,
        flow.ok && (flow.output as { removed?: boolean })?.removed === false,
        `the flow did not stop: ${flow.error?.message ?? JSON.stringify(flow.output)}`,
      );
      check(p, !flow.api.some((x) => x.method === 'DELETE') && h.snapshot() === snap, 'an ambiguous find led to a delete');
      results.push({ label: 'flows/customer_deleted (ambiguous find)', problems: p });
      return results;
    },
  },
  {
    id: 'update-keeps-untouched',
    group: 'data',
    fault:
      "Update Contact with most fields left empty (Zapier sends '' for unmapped fields), one custom field set; Find or Create Contact updating a found contact; tag actions.",
    operations:
      'creates/update_contact, searchOrCreates/find_contact (found → update), creates/add_tags_to_contact, creates/remove_tags_from_contact',
    expected:
      'Only the filled-in fields change: tags, other custom fields and every empty field keep their values; the PUT carries no tags unless Replace All Tags is Yes.',
    run: async (h) => {
      const results: ScenarioResult[] = [];
      const ids = h.ids;
      const olivia = () => h.sb.state.contacts.get(ids.olivia)!;

      h.fresh();
      const before = structuredClone(olivia());
      const r = await h.exec({
        ...op(h, 'creates/update_contact'),
        run: ({ runner }) =>
          runner.perform('creates', 'update_contact', {
            contactId: ids.olivia,
            city: 'Stowe',
            firstName: '',
            lastName: ' ',
            email: '',
            phone: '',
            tags: '',
            replaceTags: '',
            dnd: '',
            dateOfBirth: '',
            [`customField__${ids.ltvField}`]: '2100.75',
            [`customField__${ids.groupField}`]: '',
          }),
      });
      const after = olivia();
      let p: string[] = [];
      check(p, r.ok, `failed: ${r.error?.message}`);
      check(p, JSON.stringify(after.tags) === JSON.stringify(before.tags), `tags changed: ${before.tags} → ${after.tags}`);
      const others = (c: typeof before) => JSON.stringify(c.customFields.filter((f) => f.id !== ids.ltvField));
      check(p, others(after) === others(before), 'custom fields the user did not touch changed');
      check(p, after.customFields.find((f) => f.id === ids.ltvField)?.value === 2100.75, 'Lifetime Value was not set');
      for (const k of ['firstName', 'lastName', 'email', 'phone', 'dnd', 'dateOfBirth'] as const)
        check(p, after[k] === before[k], `${k} changed`);
      check(p, after.city === 'Stowe', 'city was not set');
      const put = r.api.find((x) => x.method === 'PUT');
      const body = (put?.body ?? {}) as Record<string, unknown>;
      check(p, !('tags' in body), 'the PUT carries tags');
      check(p, Object.keys(body).sort().join() === 'city,customFields', `the PUT carries ${Object.keys(body).sort().join()}`);
      results.push({ label: 'creates/update_contact (empty fields, one custom field)', problems: p });

      h.fresh();
      const before2 = structuredClone(olivia());
      const pair = await h.exec({
        ...op(h, 'searchOrCreates/find_contact'),
        run: ({ runner }) =>
          runner.searchOrCreate(
            'Find or Create',
            'find_contact',
            { email: 'olivia.bennett@example.com' },
            { email: 'olivia.bennett@example.com', city: 'Stowe', source: 'Ecwid' },
          ),
      });
      p = [];
      check(
        p,
        pair.ok && (pair.output as { outcome?: string }).outcome === 'updated',
        `expected an update, got ${pair.error?.message ?? JSON.stringify(pair.output).slice(0, 100)}`,
      );
      check(p, JSON.stringify(olivia().tags) === JSON.stringify(before2.tags), 'tags changed');
      check(p, JSON.stringify(olivia().customFields) === JSON.stringify(before2.customFields), 'custom fields changed');
      results.push({ label: 'searchOrCreates/find_contact (found → update)', problems: p });

      for (const [key, tags, expected] of [
        ['add_tags_to_contact', ['wholesale', 'VIP'], ['customer', 'ecwid', 'vip', 'wholesale']],
        ['remove_tags_from_contact', ['vip', 'not-there'], ['customer', 'ecwid']],
      ] as const) {
        h.fresh();
        const run = await h.exec({
          ...op(h, `creates/${key}`),
          run: ({ runner }) => runner.perform('creates', key, { contactId: ids.olivia, tags: [...tags] }),
        });
        p = [];
        check(p, run.ok, `failed: ${run.error?.message}`);
        check(
          p,
          sameSet(
            olivia().tags.map((t) => t.toLowerCase()),
            [...expected],
          ),
          `tags are ${olivia().tags.join(', ')}; expected ${expected.join(', ')}`,
        );
        results.push({ label: `creates/${key}`, problems: p });
      }
      return results;
    },
  },
];
