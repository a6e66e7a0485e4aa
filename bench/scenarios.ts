/**
 * What table 1 runs: every visible trigger, search and action with realistic inputs against the
 * sandbox's demo seed, each with its floor — the fewest requests and sequential round trips the
 * job needs (requests whose input depends on an earlier answer must wait for it; independent ones
 * can go out together). Where the app needs more than the floor by design, `accepted` says how
 * much and why; the benchmark then reports the goal as missed, with the reason, and only fails if
 * the count grows beyond the accepted one.
 */
import App from '../index.js';
import type { ZapRunner } from '../recipes/zap-runner.js';
import { SEED_CAMPAIGNS, SEED_WORKFLOWS } from '../sandbox/state/automation.js';
import type { Sandbox } from '../sandbox/server.js';

export type Kind = 'triggers' | 'searches' | 'creates';

export interface Ids {
  olivia: string;
  ethan: string;
  oliviaEmail: string;
  oliviaOpenTask: string;
  oliviaNote: string;
  ecwidField: string;
  ecwidValue: string;
  groupField: string;
  wholesale: string;
  dana: string;
}

export interface Counts {
  requests: number;
  roundTrips: number;
}

export interface Scenario {
  /** the operation's key in App.triggers / searches / creates (or the flow's name) */
  key: string;
  kind: Kind | 'hydrators' | 'flow';
  label: string;
  /** what this run does, when an operation has several cases */
  case: string;
  run: (r: ZapRunner, ids: Ids) => Promise<unknown>;
  floor: Counts;
  /** why the floor is what it is, when it is not 1 request / 1 round trip */
  floorWhy?: string;
  accepted?: Counts & { reason: string };
  /** what to change when the measured count exceeds the floor (and any accepted count) */
  ifMissed?: string;
  /** true when the operation sends to GHL, so each run starts from a fresh seed */
  mutates?: boolean;
}

/** The demo seed's ids (the same after every `sandbox.reset()`). */
export const demoIds = (sb: Sandbox): Ids => {
  const s = sb.state;
  const find = <T>(items: Iterable<T>, pred: (x: T) => boolean, what: string): T => {
    for (const x of items) if (pred(x)) return x;
    throw new Error(`The sandbox seed has no ${what}`);
  };
  const olivia = find(s.contacts.values(), (c) => c.email === 'olivia.bennett@example.com', 'Olivia Bennett');
  const ethan = find(s.contacts.values(), (c) => c.email === 'ethan.nguyen@example.com', 'Ethan Nguyen');
  const ecwid = find(s.customFields.values(), (f) => f.fieldKey === 'contact.ecwid_customer_id', 'Ecwid Customer ID field');
  return {
    olivia: olivia.id,
    ethan: ethan.id,
    oliviaEmail: olivia.email as string,
    oliviaOpenTask: find(s.tasks.values(), (t) => t.contactId === olivia.id && !t.completed, 'open task of Olivia').id,
    oliviaNote: find(s.notes.values(), (n) => n.contactId === olivia.id, 'note of Olivia').id,
    ecwidField: ecwid.id,
    ecwidValue: String(olivia.customFields.find((v) => v.id === ecwid.id)?.value ?? ''),
    groupField: find(s.customFields.values(), (f) => f.fieldKey === 'contact.customer_group', 'Customer Group field').id,
    wholesale: find(s.businesses.values(), (b) => b.name === 'Maple & Rye Wholesale', 'Maple & Rye Wholesale').id,
    dana: find(s.users.values(), (u) => u.firstName === 'Dana', 'user Dana').id,
  };
};

const ONE: Counts = { requests: 1, roundTrips: 1 };
const cf = (id: string) => `customField__${id}`;

const trigger = (key: string, label: string, c: string, input: (ids: Ids) => Record<string, unknown> = () => ({})): Scenario => ({
  key,
  kind: 'triggers',
  label,
  case: c,
  run: (r, ids) => r.perform('triggers', key, input(ids)),
  floor: ONE,
});

const searchOp = (
  key: string,
  label: string,
  c: string,
  input: (ids: Ids) => Record<string, unknown>,
  extra: Partial<Scenario> = {},
): Scenario => ({
  key,
  kind: 'searches',
  label,
  case: c,
  run: (r, ids) => r.perform('searches', key, input(ids)),
  floor: ONE,
  ...extra,
});

const actionOp = (
  key: string,
  label: string,
  c: string,
  input: (ids: Ids) => Record<string, unknown>,
  extra: Partial<Scenario> = {},
): Scenario => ({
  key,
  kind: 'creates',
  label,
  case: c,
  run: (r, ids) => r.perform('creates', key, input(ids)),
  floor: ONE,
  mutates: true,
  ...extra,
});

const READ_FIRST =
  'reads the contact and its tasks first (together), so the step output keeps a record of what was deleted and an unknown id is reported instead of sent to DELETE';
const PROFILE: Counts = { requests: 4, roundTrips: 1 };
const PROFILE_WHY = 'the contact, its tasks, notes and appointments: 4 independent GETs, sent together';

export const SCENARIOS: Scenario[] = [
  // ---- triggers (one poll each)
  trigger('new_contact', 'New Contact', 'poll'),
  trigger('new_or_updated_contact', 'New or Updated Contact', 'poll'),
  {
    key: 'contactProfile',
    kind: 'hydrators',
    label: 'New Contact → Full Profile',
    case: 'a later step maps the lazy profile (hydrator)',
    run: (r, ids) =>
      r.appTester(App.hydrators?.contactProfile as never, { authData: r.authData, inputData: { contactId: ids.olivia } } as never),
    floor: PROFILE,
    floorWhy: PROFILE_WHY,
  },
  trigger('new_task', 'New Task', 'whole sub-account'),
  trigger('new_task', 'New Task', 'one contact', (ids) => ({ contactId: ids.olivia })),
  trigger('task_completed', 'Task Completed', 'whole sub-account'),
  trigger('task_completed', 'Task Completed', 'one contact', (ids) => ({ contactId: ids.olivia })),
  trigger('new_note', 'New Note', 'one contact', (ids) => ({ contactId: ids.olivia })),
  trigger('new_appointment', 'New Appointment', 'one contact', (ids) => ({ contactId: ids.olivia })),

  // ---- instant triggers: a delivered event is shaped without any GHL request; what costs requests
  // is the editor's samples (performList = the polling twin), measured here.
  ...(
    [
      ['new_contact_instant', 'New Contact (Instant)', {}],
      ['contact_updated_instant', 'Contact Updated (Instant)', {}],
      ['contact_deleted_instant', 'Contact Deleted (Instant)', {}],
      ['contact_tag_added_instant', 'Contact Tag Added (Instant)', { tag: 'vip' }],
      ['new_task_instant', 'New Task (Instant)', {}],
      ['task_completed_instant', 'Task Completed (Instant)', {}],
      ['new_note_instant', 'New Note (Instant)', 'olivia'],
      ['new_appointment_instant', 'New Appointment (Instant)', 'olivia'],
    ] as const
  ).map(([key, label, input]): Scenario => ({
    key,
    kind: 'triggers',
    label,
    case: "samples in the editor (the polling twin's one request)",
    run: (r, ids) =>
      r.appTester(
        (App.triggers?.[key]?.operation as { performList?: unknown } | undefined)?.performList as never,
        {
          authData: r.authData,
          inputData: input === 'olivia' ? { contactId: ids.olivia } : input,
        } as never,
      ),
    floor: ONE,
  })),

  // ---- searches
  searchOp('find_contact', 'Find Contact', 'by email', (ids) => ({ email: ids.oliviaEmail })),
  searchOp('find_contact', 'Find Contact', 'by phone', () => ({ phone: '+18025550123' })),
  searchOp('find_contact', 'Find Contact', 'by custom field (Ecwid Customer ID)', (ids) => ({
    customFieldId: ids.ecwidField,
    customFieldValue: ids.ecwidValue,
  })),
  searchOp('find_contact', 'Find Contact', 'by search text', () => ({ query: 'Bennett' })),
  searchOp(
    'find_contact',
    'Find Contact',
    'custom field misses, then email hits',
    (ids) => ({ customFieldId: ids.ecwidField, customFieldValue: 'no-such-customer', email: ids.oliviaEmail }),
    {
      floor: { requests: 2, roundTrips: 1 },
      floorWhy: 'both lookups are needed here and neither needs the other',
      accepted: {
        requests: 2,
        roundTrips: 2,
        reason:
          'the lookups run in the documented priority order, each only when the previous one found nothing, so the usual case (the first lookup hits) costs one request; sending them together would save this round trip but cost one request per extra criterion on every run',
      },
    },
  ),
  searchOp('find_contact_by_id', 'Find Contact by ID', 'full profile', (ids) => ({ contactId: ids.olivia }), {
    floor: PROFILE,
    floorWhy: PROFILE_WHY,
  }),
  searchOp('find_task', 'Find Task', 'by title and status', (ids) => ({ contactId: ids.olivia, title: 'review', status: 'open' })),
  searchOp('find_note', 'Find Note', 'by text', (ids) => ({ contactId: ids.olivia, text: 'Fridays' })),
  searchOp('find_contacts_in_business', 'Find Contacts in Business', 'all contacts of a business', (ids) => ({
    businessId: ids.wholesale,
  })),

  // ---- actions
  actionOp('create_contact', 'Create Contact', 'new contact', () => ({
    firstName: 'Nadia',
    lastName: 'Okafor',
    email: 'nadia.okafor@example.com',
    phone: '+16465550142',
    tags: ['customer'],
  })),
  actionOp(
    'create_contact',
    'Create Contact',
    'Ecwid customer: custom fields + business',
    (ids) => ({
      firstName: 'Nadia',
      email: 'nadia.okafor@example.com',
      [cf(ids.ecwidField)]: '918273645',
      [cf(ids.groupField)]: 'Wholesale',
      businessId: ids.wholesale,
    }),
    {
      floor: { requests: 4, roundTrips: 3 },
      floorWhy:
        'before anything is written the custom-field definitions (to check and convert the values) and the business (so a wrong id never leaves a contact without it) are read, together; the business is then set with the new contact id (CreateContactDto has no businessId)',
    },
  ),
  actionOp(
    'create_contact',
    'Create Contact',
    'contact already exists (duplicate)',
    (ids) => ({ firstName: 'Olivia', email: ids.oliviaEmail }),
    {
      floor: { requests: 2, roundTrips: 2 },
      floorWhy: "GHL's duplicate answer carries only the existing id; the existing contact is then read (GET) to return it",
    },
  ),
  actionOp('update_contact', 'Update Contact', 'change city', (ids) => ({ contactId: ids.olivia, city: 'Shelburne' })),
  actionOp(
    'update_contact',
    'Update Contact',
    'with a custom field value',
    (ids) => ({ contactId: ids.olivia, [cf(ids.groupField)]: 'General' }),
    {
      floor: { requests: 2, roundTrips: 2 },
      floorWhy: 'custom-field values are checked and converted against the field definitions (GET) before the update',
    },
  ),
  actionOp(
    'delete_contact',
    'Delete Contact',
    'contact only (Delete Its Tasks First = No)',
    (ids) => ({ contactId: ids.ethan, deleteTasks: false }),
    {
      floor: { requests: 3, roundTrips: 2 },
      floorWhy: `the step must return what it deleted (name, email, task count — the operations catalog asks for it) and never send DELETE for an id it could not confirm: ${READ_FIRST}`,
    },
  ),
  actionOp('delete_contact', 'Delete Contact', 'default: its 2 tasks first, then the contact', (ids) => ({ contactId: ids.olivia }), {
    floor: { requests: 5, roundTrips: 3 },
    floorWhy: `${READ_FIRST}; the task deletes (one per task) go out together once the task list is known, and the contact delete must come after them (deleting the contact first would take its tasks with it, unrecorded)`,
    ifMissed:
      'the task deletes are sent one at a time (one round trip per task: 2 here, N for N tasks); sent together (Promise.allSettled keeps the per-task record) they would take one',
  }),
  actionOp(
    'archive_contact',
    'Archive Contact',
    'tag + complete its 1 open task',
    (ids) => ({ contactId: ids.olivia, tag: 'ecwid-deleted' }),
    {
      floor: { requests: 4, roundTrips: 2 },
      floorWhy: 'reading the contact and its tasks and adding the tag are independent; completing the open tasks needs the task list',
      ifMissed:
        'the task completions wait for the tag call, though they need only the task list; sent together with the tag (or the tag together with the reads: GHL refuses the tag call for a missing contact by itself) the action takes 2 round trips',
    },
  ),
  actionOp(
    'create_task',
    'Create Task',
    'on a contact',
    (ids) => ({
      contactId: ids.olivia,
      title: 'Call about the wholesale order',
      dueDate: '2026-12-01T15:00:00Z',
      assignedTo: ids.dana,
    }),
    {
      floor: { requests: 2, roundTrips: 2 },
      floorWhy:
        "the contact's tasks are read first, so a replayed Zap (or Zapier's retry after a lost answer) returns the same task instead of adding it again (GHL has no idempotency key)",
    },
  ),
  actionOp('update_task', 'Update Task', 'new title and due date', (ids) => ({
    contactId: ids.olivia,
    taskId: ids.oliviaOpenTask,
    title: 'Ask for a product review (2nd try)',
    dueDate: '2026-12-05T15:00:00Z',
  })),
  actionOp('complete_task', 'Complete Task', 'mark completed', (ids) => ({
    contactId: ids.olivia,
    taskId: ids.oliviaOpenTask,
    markAs: 'completed',
  })),
  actionOp('delete_task', 'Delete Task', 'existing task', (ids) => ({ contactId: ids.olivia, taskId: ids.oliviaOpenTask }), {
    floor: { requests: 2, roundTrips: 2 },
    floorWhy: "the step returns what it deleted and must not delete another contact's task: the task is read (GET) before the DELETE",
  }),
  actionOp(
    'create_note',
    'Create Note',
    'on a contact',
    (ids) => ({
      contactId: ids.olivia,
      body: 'Called about the spring order.',
      userId: ids.dana,
    }),
    {
      floor: { requests: 2, roundTrips: 2 },
      floorWhy:
        "the contact's notes are read first, so a replayed Zap (or Zapier's retry after a lost answer) returns the same note instead of adding it again (GHL has no idempotency key)",
    },
  ),
  actionOp('update_note', 'Update Note', 'new text', (ids) => ({
    contactId: ids.olivia,
    noteId: ids.oliviaNote,
    body: 'Prefers deliveries on Thursdays.',
  })),
  actionOp('add_tags_to_contact', 'Add Tags to Contact', 'two tags', (ids) => ({
    contactId: ids.olivia,
    tags: ['wholesale', 'spring-2026'],
  })),
  actionOp('remove_tags_from_contact', 'Remove Tags from Contact', 'one tag', (ids) => ({ contactId: ids.olivia, tags: ['vip'] })),

  // ---- issue 11: workflows, campaigns, upsert, followers, notes by id, bulk tags, tag trigger
  trigger('contact_tag_added', 'Contact Tag Added', 'poll (tag filter)', () => ({ tag: 'vip' })),
  searchOp('find_note_by_id', 'Find Note by ID', 'existing note', (ids) => ({ contactId: ids.olivia, noteId: ids.oliviaNote })),
  actionOp('delete_note', 'Delete Note', 'existing note', (ids) => ({ contactId: ids.olivia, noteId: ids.oliviaNote }), {
    floor: { requests: 2, roundTrips: 2 },
    floorWhy: "the step returns what it deleted and must not delete another contact's note: the note is read (GET) before the DELETE",
  }),
  actionOp('create_or_update_contact', 'Create or Update Contact', 'existing contact by email', (ids) => ({
    email: ids.oliviaEmail,
    city: 'Shelburne',
  })),
  actionOp(
    'create_or_update_contact',
    'Create or Update Contact',
    'new contact with a tag',
    () => ({ firstName: 'Nadia', email: 'nadia.okafor@example.com', tags: ['customer'] }),
    {
      floor: { requests: 2, roundTrips: 2 },
      floorWhy: "tags are added with the contact's id after the upsert: `tags` in the upsert body would replace an existing contact's tags",
    },
  ),
  actionOp('update_tags_on_contacts', 'Add or Remove Tags on Several Contacts', 'add a tag to 2 contacts', (ids) => ({
    action: 'add',
    contactIds: [ids.olivia, ids.ethan],
    tags: ['spring-2026'],
  })),
  actionOp('add_followers', 'Add Followers', 'one user', (ids) => ({ contactId: ids.olivia, followers: [ids.dana] })),
  actionOp('remove_followers', 'Remove Followers', 'one user', (ids) => ({ contactId: ids.olivia, followers: [ids.dana] })),
  ...(
    [
      ['add_contact_to_workflow', 'Add Contact to Workflow', 'workflowId', SEED_WORKFLOWS.welcome, 'workflow'],
      ['remove_contact_from_workflow', 'Remove Contact from Workflow', 'workflowId', SEED_WORKFLOWS.welcome, 'workflow'],
      ['add_contact_to_campaign', 'Add Contact to Campaign', 'campaignId', SEED_CAMPAIGNS.newsletter, 'campaign'],
      ['remove_contact_from_campaign', 'Remove Contact from Campaign', 'campaignId', SEED_CAMPAIGNS.newsletter, 'campaign'],
    ] as const
  ).map(([key, label, field, id, kind]) =>
    actionOp(key, label, `published ${kind}`, (ids) => ({ contactId: ids.olivia, [field]: id }), {
      floor: { requests: 2, roundTrips: 2 },
      floorWhy: `the ${kind} list is read first, so a deleted or draft ${kind} is reported instead of the contact silently going nowhere (GHL has no GET for one ${kind})`,
    }),
  ),
  actionOp('remove_contact_from_all_campaigns', 'Remove Contact from All Campaigns', 'one contact', (ids) => ({ contactId: ids.olivia })),

  // ---- multi-step (Zapier runs each step in its own request to the app)
  {
    key: 'find_contact',
    kind: 'flow',
    label: 'Find or Create Contact',
    case: 'not found → create',
    run: (r) =>
      r.searchOrCreate(
        'bench',
        'find_contact',
        { email: 'nadia.okafor@example.com' },
        { firstName: 'Nadia', email: 'nadia.okafor@example.com' },
      ),
    floor: { requests: 2, roundTrips: 2 },
    floorWhy: 'Zapier runs the create only after the search found nothing',
    mutates: true,
  },
  {
    key: 'find_contact',
    kind: 'flow',
    label: 'Find or Create Contact',
    case: 'found → update',
    run: (r, ids) => r.searchOrCreate('bench', 'find_contact', { email: ids.oliviaEmail }, { email: ids.oliviaEmail, city: 'Shelburne' }),
    floor: { requests: 2, roundTrips: 2 },
    floorWhy: 'Zapier runs the update with the id the search found',
    mutates: true,
  },
  {
    key: 'find_task',
    kind: 'flow',
    label: 'Find or Create Task',
    case: 'not found → create',
    run: (r, ids) =>
      r.searchOrCreate(
        'bench',
        'find_task',
        { contactId: ids.olivia, title: 'Ship order #1042' },
        { contactId: ids.olivia, title: 'Ship order #1042', dueDate: '2026-12-01T15:00:00Z' },
      ),
    floor: { requests: 2, roundTrips: 2 },
    floorWhy:
      'Zapier runs the create only after the search found nothing (and tells it so: meta.withSearch, so it skips its own duplicate check)',
    mutates: true,
  },
  {
    key: 'find_contact',
    kind: 'flow',
    label: 'Find Contact → Find Contact by ID',
    case: 'by email, then the full profile',
    run: async (r, ids) => {
      const found = (await r.perform('searches', 'find_contact', { email: ids.oliviaEmail })) as Array<{ id: string }>;
      return r.perform('searches', 'find_contact_by_id', { contactId: found[0]?.id });
    },
    floor: { requests: 5, roundTrips: 2 },
    floorWhy: 'the profile needs the id the lookup found; its 4 GETs go out together',
  },
];
