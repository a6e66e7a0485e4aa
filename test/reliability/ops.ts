/**
 * The operations the reliability matrix runs: every trigger, search and action of the app (read
 * from `App` at run time, so operations added later are covered without editing this file), the
 * search-or-create pairs, the `contactProfile` hydrator and the three Ecwid → GHL flows of the
 * brief. Each gets a realistic input built from the sandbox's demo seed.
 */
import App from '../../index.js';
import { loadEcwidEvent, type EcwidEvent } from '../../recipes/ecwid.js';
import { profilePull, removeCustomer, settingsFor, syncCustomer } from '../../recipes/flows.js';
import type { ZapRunner } from '../../recipes/zap-runner.js';
import { SEED_CAMPAIGNS, SEED_WORKFLOWS } from '../../sandbox/state/automation.js';
import type { Sandbox } from '../../sandbox/server.js';
import type { SandboxState } from '../../sandbox/state/sandbox-state.js';

export type StepKind = 'triggers' | 'searches' | 'creates';
export type OpKind = StepKind | 'searchOrCreates' | 'hydrators' | 'flows';
type Input = Record<string, unknown>;

/** Ids of the demo seed (stable across `reset()`: the sandbox's PRNG restarts). */
export interface SeedIds {
  locationId: string;
  otherLocationId: string;
  olivia: string;
  jamal: string;
  ethan: string;
  henrik: string;
  oliviaOpenTask: string;
  oliviaDoneTask: string;
  jamalTask: string;
  oliviaNote: string;
  wholesale: string;
  ecwidField: string;
  groupField: string;
  ltvField: string;
  marcus: string;
  oliviaEcwidId: string;
}

/** A well-formed id (20 alphanumerics, like GHL's) that names nothing in the sandbox. */
export const MISSING_ID = 'Zz9MissingRecord0001';

const need = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new Error(`The sandbox seed has no ${what}`);
  return value;
};

export const seedIds = (state: SandboxState): SeedIds => {
  const contacts = [...state.contacts.values()];
  const contact = (firstName: string) =>
    need(
      contacts.find((c) => c.firstName === firstName),
      `contact ${firstName}`,
    ).id;
  const olivia = contact('Olivia');
  const tasks = [...state.tasks.values()];
  const field = (name: string) =>
    need(
      [...state.customFields.values()].find((f) => f.name === name),
      `custom field ${name}`,
    ).id;
  const ecwidField = field('Ecwid Customer ID');
  const oliviaRecord = need(state.contacts.get(olivia), 'Olivia');
  return {
    locationId: state.locationId,
    otherLocationId: state.otherLocationId,
    olivia,
    jamal: contact('Jamal'),
    ethan: contact('Ethan'),
    henrik: contact('Henrik'),
    oliviaOpenTask: need(
      tasks.find((t) => t.contactId === olivia && !t.completed),
      'open task',
    ).id,
    oliviaDoneTask: need(
      tasks.find((t) => t.contactId === olivia && t.completed),
      'completed task',
    ).id,
    jamalTask: need(
      tasks.find((t) => t.contactId === contact('Jamal')),
      "Jamal's task",
    ).id,
    oliviaNote: need(
      [...state.notes.values()].find((n) => n.contactId === olivia),
      "Olivia's note",
    ).id,
    wholesale: need(
      [...state.businesses.values()].find((b) => b.name === 'Maple & Rye Wholesale'),
      'business',
    ).id,
    ecwidField,
    groupField: field('Customer Group'),
    ltvField: field('Lifetime Value'),
    marcus: need(
      [...state.users.values()].find((u) => u.firstName === 'Marcus'),
      'user Marcus',
    ).id,
    oliviaEcwidId: String(need(oliviaRecord.customFields.find((f) => f.id === ecwidField)?.value, "Olivia's Ecwid id")),
  };
};

/** What the matrix needs to run one step: the sandbox, and a runner holding the connection. */
export interface StepCtx {
  sb: Sandbox;
  runner: ZapRunner;
}

export interface OpSpec {
  /** `<kind>/<key>`, e.g. `creates/create_contact`. */
  id: string;
  kind: OpKind;
  key: string;
  label: string;
  /** The input keys that name existing records (used by the missing-record cases). */
  refs: string[];
  /** True when the step exists to change GHL data (actions, search-or-create, flows). */
  writes: boolean;
  /** Data the step expects to find, made through the app itself (e.g. flow 2 ran before flow 3). */
  prepare?(ctx: StepCtx): Promise<void>;
  /** Runs the step once; `overrides` replace input values (e.g. a contact id that does not exist). */
  run(ctx: StepCtx, ids: SeedIds, overrides?: Input): Promise<unknown>;
}

// ---------------------------------------------------------------- realistic inputs

/** The Ecwid customer of fixtures/ecwid/customer-created.json, as a Zap would map it. */
export const jules = {
  ecwidId: '177737165',
  firstName: 'Jules',
  lastName: 'Okafor',
  email: 'jules.okafor@example.com',
  phone: '+1 (503) 555-0187',
  city: 'Portland',
  state: 'OR',
  postalCode: '97209',
  country: 'US',
};

const julesContact = (ids: SeedIds): Input => ({
  firstName: jules.firstName,
  lastName: jules.lastName,
  email: jules.email,
  phone: jules.phone,
  address1: '42 Harbour Road',
  city: jules.city,
  state: jules.state,
  postalCode: jules.postalCode,
  country: jules.country,
  source: 'Ecwid',
  tags: ['ecwid-customer'],
  businessId: ids.wholesale,
  [`customField__${ids.ecwidField}`]: jules.ecwidId,
});

/** Inputs for the operations the app has today; operations added later fall back to {@link genericInput}. */
const INPUTS: Record<string, (ids: SeedIds) => Input> = {
  'triggers/new_contact': () => ({}),
  'triggers/new_or_updated_contact': () => ({}),
  'triggers/contact_list': () => ({}),
  'triggers/new_task': () => ({}),
  'triggers/task_completed': (ids) => ({ contactId: ids.olivia }),
  'triggers/task_list': (ids) => ({ contactId: ids.olivia }),
  'triggers/new_note': (ids) => ({ contactId: ids.olivia }),
  'triggers/note_list': (ids) => ({ contactId: ids.olivia }),
  'triggers/new_appointment': (ids) => ({ contactId: ids.olivia }),
  'searches/find_contact': (ids) => ({
    customFieldId: ids.ecwidField,
    customFieldValue: ids.oliviaEcwidId,
    email: 'olivia.bennett@example.com',
  }),
  'searches/find_contact_by_id': (ids) => ({ contactId: ids.olivia }),
  'searches/find_task': (ids) => ({ contactId: ids.olivia, title: 'review', status: 'open' }),
  'searches/find_note': (ids) => ({ contactId: ids.olivia, text: 'fridays' }),
  'searches/find_contacts_in_business': (ids) => ({ businessId: ids.wholesale }),
  'creates/create_contact': julesContact,
  'creates/update_contact': (ids) => ({ contactId: ids.olivia, city: 'Stowe', [`customField__${ids.ltvField}`]: '2100.75' }),
  'creates/delete_contact': (ids) => ({ contactId: ids.ethan }),
  'creates/archive_contact': (ids) => ({ contactId: ids.olivia, tag: 'ecwid-deleted', completeTasks: 'true' }),
  'creates/create_task': (ids) => ({
    contactId: ids.olivia,
    title: 'Call about order #1042',
    dueDate: '2026-12-01T15:00:00-05:00',
    body: 'Ask whether the syrup arrived.',
    assignedTo: ids.marcus,
  }),
  'creates/update_task': (ids) => ({ contactId: ids.olivia, taskId: ids.oliviaOpenTask, title: 'Ask for a product review (2nd try)' }),
  'creates/complete_task': (ids) => ({ contactId: ids.olivia, taskId: ids.oliviaOpenTask, markAs: 'completed' }),
  'creates/delete_task': (ids) => ({ contactId: ids.olivia, taskId: ids.oliviaOpenTask }),
  'creates/create_note': (ids) => ({ contactId: ids.olivia, body: 'Ecwid order #1042 paid: 2 × maple syrup.' }),
  'creates/update_note': (ids) => ({ contactId: ids.olivia, noteId: ids.oliviaNote, body: 'Prefers deliveries on Fridays, after 10 am.' }),
  'creates/add_tags_to_contact': (ids) => ({ contactId: ids.olivia, tags: ['wholesale', 'newsletter'] }),
  'creates/remove_tags_from_contact': (ids) => ({ contactId: ids.olivia, tags: ['vip'] }),
  'hydrators/contactProfile': (ids) => ({ contactId: ids.olivia }),
  // issue 11
  'triggers/workflow_list': () => ({}),
  'triggers/campaign_list': () => ({}),
  'triggers/contact_tag_added': () => ({ tag: 'vip' }),
  'searches/find_note_by_id': (ids) => ({ contactId: ids.olivia, noteId: ids.oliviaNote }),
  'creates/delete_note': (ids) => ({ contactId: ids.olivia, noteId: ids.oliviaNote }),
  'creates/create_or_update_contact': (ids) => ({
    firstName: jules.firstName,
    lastName: jules.lastName,
    email: jules.email,
    phone: jules.phone,
    city: jules.city,
    country: jules.country,
    source: 'Ecwid',
    tags: ['ecwid-customer'],
    assignedTo: ids.marcus,
  }),
  'creates/update_tags_on_contacts': (ids) => ({ action: 'add', contactIds: [ids.olivia, ids.jamal], tags: ['vip-2026'] }),
  'creates/add_followers': (ids) => ({ contactId: ids.olivia, followers: [ids.marcus] }),
  'creates/remove_followers': (ids) => ({ contactId: ids.olivia, followers: [ids.marcus] }),
  'creates/add_contact_to_workflow': (ids) => ({ contactId: ids.olivia, workflowId: SEED_WORKFLOWS.welcome }),
  'creates/remove_contact_from_workflow': (ids) => ({ contactId: ids.olivia, workflowId: SEED_WORKFLOWS.welcome }),
  'creates/add_contact_to_campaign': (ids) => ({ contactId: ids.olivia, campaignId: SEED_CAMPAIGNS.newsletter }),
  'creates/remove_contact_from_campaign': (ids) => ({ contactId: ids.olivia, campaignId: SEED_CAMPAIGNS.newsletter }),
  'creates/remove_contact_from_all_campaigns': (ids) => ({ contactId: ids.olivia }),
  'hydrators/customFieldsByName': (ids) => ({ values: [{ id: ids.ecwidField, value: ids.oliviaEcwidId }] }),
  // issue 21
  'searches/find_business': () => ({ name: 'maple & rye  WHOLESALE' }),
  'creates/create_business': () => ({ name: 'Retail', city: 'Stowe', description: 'Ecwid customer group: Retail' }),
  'creates/update_business': (ids) => ({ businessId: ids.wholesale, city: 'Montpelier', description: 'Ecwid customer group: Wholesale' }),
  // A read with the location in its query: the read faults (one retry) and the wrong-location case apply.
  'creates/api_request': () => ({
    method: 'GET',
    path: '/contacts/search/duplicate',
    query: { locationId: '{locationId}', email: 'olivia.bennett@example.com' },
  }),
};

/** Search-or-create inputs: the search step's and the create step's. */
const PAIR_INPUTS: Record<string, (ids: SeedIds) => { search: Input; create: Input }> = {
  find_contact: (ids) => ({
    search: { customFieldId: ids.ecwidField, customFieldValue: jules.ecwidId, email: jules.email },
    create: (({ tags: _t, businessId: _b, ...rest }) => rest)(julesContact(ids)),
  }),
  find_task: (ids) => ({
    search: { contactId: ids.olivia, title: 'Welcome call', status: 'open' },
    create: { contactId: ids.olivia, title: 'Welcome call', dueDate: '2026-12-02T10:00:00-05:00' },
  }),
  find_business: () => ({
    search: { name: 'Retail' },
    create: { name: 'Retail', description: 'Ecwid customer group: Retail' },
  }),
};

type Field = Record<string, unknown> & { key: string };

/** A value for a required field of an operation this file does not know yet. */
const genericInput = (fields: unknown[], ids: SeedIds): Input => {
  const input: Input = {};
  for (const f of fields) {
    if (typeof f !== 'object' || f === null) continue;
    const field = f as Field;
    if (!field.required) continue;
    const byKey: Record<string, unknown> = {
      contactId: ids.olivia,
      taskId: ids.oliviaOpenTask,
      noteId: ids.oliviaNote,
      businessId: ids.wholesale,
      assignedTo: ids.marcus,
      userId: ids.marcus,
      customFieldId: ids.ecwidField,
      email: 'olivia.bennett@example.com',
      tags: ['vip'],
    };
    if (field.key in byKey) input[field.key] = byKey[field.key];
    else if (field.choices) input[field.key] = Array.isArray(field.choices) ? field.choices[0] : Object.keys(field.choices as object)[0];
    else if (field.type === 'datetime') input[field.key] = '2026-12-01T15:00:00Z';
    else if (field.type === 'boolean') input[field.key] = 'false';
    else if (field.type === 'integer' || field.type === 'number') input[field.key] = '1';
    else input[field.key] = 'Reliability check';
  }
  return input;
};

const REF_KEYS = ['contactId', 'taskId', 'noteId', 'businessId'];
const refsOf = (...inputs: Input[]): string[] => REF_KEYS.filter((k) => inputs.some((i) => typeof i[k] === 'string' && i[k] !== ''));

type Operation = { key: string; display?: { label?: string }; operation: { inputFields?: unknown[] } };

/** Runs a hydrator the way Zapier does when a later step maps the dehydrated field (refresh-and-retry once, too). */
const runHydrator = async (runner: ZapRunner, key: string, inputData: Input): Promise<unknown> => {
  const hydrator = (App.hydrators as Record<string, unknown>)[key];
  const call = () => runner.appTester(hydrator as never, { authData: runner.authData, inputData } as never) as Promise<unknown>;
  try {
    return await call();
  } catch (error) {
    if ((error as Error).name !== 'RefreshAuthError') throw error;
    const fresh = (await runner.appTester(
      App.authentication!.oauth2Config!.refreshAccessToken as never,
      { authData: runner.authData } as never,
    )) as Record<string, string>;
    runner.authData = { ...runner.authData, ...fresh };
    runner.refreshTokens.push(fresh.refresh_token as string);
    return call();
  }
};

// ---------------------------------------------------------------- the flows of the brief

const events = new Map<string, EcwidEvent>();
const event = (name: 'customer-created' | 'customer-updated' | 'customer-deleted'): EcwidEvent => {
  if (!events.has(name)) events.set(name, loadEcwidEvent(name));
  return structuredClone(events.get(name)!);
};

/** The Ecwid customer of the fixtures exists in GHL: flow 2 ran for customer-created earlier. */
const julesSynced = async ({ sb, runner }: StepCtx): Promise<void> => {
  await syncCustomer(runner, event('customer-created'), settingsFor(sb.state));
};

interface Flow {
  label: string;
  prepare?: (ctx: StepCtx) => Promise<void>;
  run: (ctx: StepCtx, ids: SeedIds) => Promise<unknown>;
}

/** The three flows of the brief, exactly as recipes/flows.ts runs them (`npm run demo`). */
export const FLOWS: Record<string, Flow> = {
  profile_pull: {
    label: 'Flow 1 — profile pull: Find Contact by ID with tasks, notes, appointments',
    run: ({ runner }, ids) => profilePull(runner, ids.olivia),
  },
  customer_created: {
    label: 'Flow 2 — Ecwid customer created: Find or Create Contact, Add Tags, Find or Create Task',
    run: ({ runner, sb }) => syncCustomer(runner, event('customer-created'), settingsFor(sb.state)),
  },
  customer_updated: {
    label: 'Flow 2 — Ecwid customer updated (contact exists): Find or Create Contact (update), Add Tags, Find or Create Task',
    prepare: julesSynced,
    run: ({ runner, sb }) => syncCustomer(runner, event('customer-updated'), settingsFor(sb.state)),
  },
  customer_deleted: {
    label: 'Flow 3 — Ecwid customer deleted: Find Contact, Filter (exactly one), Delete Contact',
    prepare: julesSynced,
    run: ({ runner, sb }) => removeCustomer(runner, event('customer-deleted'), settingsFor(sb.state), 'delete'),
  },
  customer_deleted_archive: {
    label: 'Flow 3 (soft) — Ecwid customer deleted: Find Contact, Filter (exactly one), Archive Contact',
    prepare: julesSynced,
    run: ({ runner, sb }) => removeCustomer(runner, event('customer-deleted'), settingsFor(sb.state), 'archive'),
  },
};

// ---------------------------------------------------------------- the catalogue

/** Every operation of the app as it is now, plus the search-or-creates, the hydrator and the flows. */
export const allOperations = (): OpSpec[] => {
  const ops: OpSpec[] = [];
  for (const kind of ['triggers', 'searches', 'creates'] as const) {
    for (const [key, op] of Object.entries((App[kind] ?? {}) as Record<string, Operation>)) {
      const id = `${kind}/${key}`;
      const build = INPUTS[id] ?? ((ids: SeedIds) => genericInput(op.operation.inputFields ?? [], ids));
      ops.push({
        id,
        kind,
        key,
        label: op.display?.label ?? key,
        refs: [],
        writes: kind === 'creates',
        run: ({ runner }, ids, o = {}) => runner.perform(kind, key, { ...build(ids), ...o }),
      });
    }
  }
  for (const key of Object.keys((App.searchOrCreates ?? {}) as Record<string, unknown>)) {
    const pair = (App.searchOrCreates as Record<string, { display?: { label?: string } }>)[key]!;
    const build =
      PAIR_INPUTS[key] ??
      ((ids: SeedIds) => {
        const search = (App.searches as Record<string, Operation>)[key];
        return { search: genericInput(search?.operation.inputFields ?? [], ids), create: {} };
      });
    ops.push({
      id: `searchOrCreates/${key}`,
      kind: 'searchOrCreates',
      key,
      label: pair.display?.label ?? key,
      refs: [],
      writes: true,
      run: ({ runner }, ids, o = {}) => {
        const { search, create } = build(ids);
        return runner.searchOrCreate(key, key, { ...search, ...o }, { ...create, ...o });
      },
    });
  }
  for (const key of Object.keys((App.hydrators ?? {}) as Record<string, unknown>)) {
    const build = INPUTS[`hydrators/${key}`] ?? ((ids: SeedIds) => ({ contactId: ids.olivia }));
    ops.push({
      id: `hydrators/${key}`,
      kind: 'hydrators',
      key,
      label: `${key} (hydrator)`,
      refs: [],
      writes: false,
      run: ({ runner }, ids, o = {}) => runHydrator(runner, key, { ...build(ids), ...o }),
    });
  }
  for (const [key, flow] of Object.entries(FLOWS)) {
    ops.push({
      id: `flows/${key}`,
      kind: 'flows',
      key,
      label: flow.label,
      refs: [],
      writes: key !== 'profile_pull',
      prepare: flow.prepare,
      run: flow.run,
    });
  }
  return ops;
};

/** The input an operation is run with (for the refs and for reports). */
export const inputOf = (op: OpSpec, ids: SeedIds): Input[] => {
  if (op.kind === 'searchOrCreates') {
    const p = PAIR_INPUTS[op.key]?.(ids);
    return p ? [p.search, p.create] : [];
  }
  if (op.kind === 'flows') return [];
  const build = INPUTS[op.id];
  if (build) return [build(ids)];
  const source = op.kind === 'hydrators' ? undefined : ((App[op.kind] ?? {}) as Record<string, Operation>)[op.key];
  return [genericInput(source?.operation.inputFields ?? [], ids)];
};

export const withRefs = (ops: OpSpec[], ids: SeedIds): OpSpec[] => ops.map((op) => ({ ...op, refs: refsOf(...inputOf(op, ids)) }));
