/**
 * The three flows of the brief, run through the app's real operations as Zap steps
 * (recipes/zap-runner.ts) with the field mappings of recipes/ecwid.ts.
 */
import { DateTime } from 'luxon';
import type { ZapRunner } from './zap-runner.js';
import { startWelcomeWorkflow, stopAutomations, type AutomationSettings } from './ecwid-automation.js';
import {
  appRemovalSearchMapping,
  appSyncContactMapping,
  appSyncSearchMapping,
  appSyncTaskCreateMapping,
  appSyncUpdateMapping,
  type EcwidEvent,
  type RecipeSettings,
  mapFields,
  removalArchiveMapping,
  removalDeleteMapping,
  removalSearchMapping,
  syncContactMapping,
  GROUP_TAG,
  render,
  syncBusinessCreateMapping,
  syncBusinessSearchMapping,
  syncGroupTagMapping,
  syncRemoveGroupTagsMapping,
  syncSearchMapping,
  syncUpdateMapping,
  syncTaskCreateMapping,
  syncTaskSearchMapping,
} from './ecwid.js';

type Row = Record<string, any>;

/**
 * The demo location's settings, as a user would pick them from the dropdowns (the business is
 * not one of them: each customer's group names it, flow 2 step 2). `extraFields`: the
 * Ecwid store's extra fields as the Zap editor lists them; each is mapped to the GHL custom field
 * of the same name, if there is one.
 */
export const settingsFor = (
  state: { customFields: Map<string, { id: string; name: string }> },
  shop: { groups?: string[]; extraFields?: Array<{ key: string; title: string }> } = {},
): RecipeSettings => {
  const fields = [...state.customFields.values()];
  const field = fields.find((f) => f.name === 'Ecwid Customer ID');
  if (!field) throw new Error('The sub-account has no "Ecwid Customer ID" custom field; create it in GHL first.');
  const extraFields = (shop.extraFields ?? []).flatMap((x) => {
    const target = fields.find((f) => f.name.trim().toLowerCase() === x.title.trim().toLowerCase());
    return target ? [{ ecwidKey: x.key, customFieldId: target.id }] : [];
  });
  return {
    ecwidIdFieldId: field.id,
    ...(shop.groups ? { groups: shop.groups } : {}),
    ...(extraFields.length ? { extraFields } : {}),
  };
};

/** Flow 1 — profile pull: the contact with its tasks and notes and the brief's key fields. */
export const profilePull = async (zap: ZapRunner, contactId: string) => {
  const [profile] = await zap.step<Row[]>(
    'Find Contact by ID (profile with tasks, notes, appointments)',
    'searches',
    'find_contact_by_id',
    { contactId },
  );
  if (!profile) return { found: false as const, contactId };
  return {
    found: true as const,
    keyFields: {
      contactId: profile.contactId,
      name: profile.name,
      email: profile.email,
      phone: profile.phone,
      mostRecentTask: profile.mostRecentTask
        ? { title: profile.mostRecentTask.title, dueDate: profile.mostRecentTask.dueDate, completed: profile.mostRecentTask.completed }
        : null,
    },
    taskCount: profile.taskCount as number,
    noteCount: profile.noteCount as number,
    profile,
  };
};

interface SyncMappings {
  search: Record<string, unknown>;
  create: Record<string, unknown>;
  update: Record<string, unknown>;
  taskCreate: Record<string, unknown>;
}

/**
 * Flow 2's steps, whatever the trigger: Find or Create Business (the customer's group) → Find or
 * Create Contact (+ update, in that business) → welcome task → (optional) Add Contact to Workflow
 * → group swap (filter, remove, add).
 */
const runSync = async (
  zap: ZapRunner,
  data: Row,
  m: SyncMappings,
  registered: DateTime,
  settings: RecipeSettings,
  automation: AutomationSettings = {},
) => {
  const businessResult = await zap.searchOrCreate(
    'Find or Create Business (customer group)',
    'find_business',
    mapFields(syncBusinessSearchMapping(), data),
    mapFields(syncBusinessCreateMapping(), data),
  );
  data.business = businessResult.record;
  const contactResult = await zap.searchOrCreate(
    'Find or Create Contact',
    'find_contact',
    mapFields(m.search, data),
    mapFields(m.create, data),
    mapFields(m.update, data),
  );
  data.contact = contactResult.record;
  data.welcomeDue = (registered.isValid ? registered : DateTime.utc()).plus({ days: 2 }).toUTC().toISO({ suppressMilliseconds: true });
  const taskResult = await zap.searchOrCreate(
    'Find or Create Task (welcome call)',
    'find_task',
    mapFields(syncTaskSearchMapping(), data),
    mapFields(m.taskCreate, data),
  );
  // The optional step after the welcome task (recipes/ecwid-automation.ts), when a workflow is chosen.
  const workflow = await startWelcomeWorkflow(zap, data, automation);
  // Steps 5–7 (recipes/ecwid.ts GROUP_TAG): Zapier's text filters ignore letter case, so does this one.
  const groupTag = String(render(GROUP_TAG, data));
  const current = (Array.isArray(data.contact?.tags) ? (data.contact.tags as string[]) : []).map((t) => t.toLowerCase());
  const changed = !current.includes(groupTag.toLowerCase());
  if (
    !zap.filter(
      `Only continue if the contact's tags do not contain ${groupTag}`,
      changed,
      changed ? 'new customer or the group changed' : `the contact already has ${groupTag}: nothing to swap`,
    )
  )
    return { business: businessResult, contact: contactResult, tags: current, groupTagRemoved: [] as string[], task: taskResult, workflow };
  const removed = await zap.step<Row>(
    'Remove Tags from Contact (every group tag of the shop)',
    'creates',
    'remove_tags_from_contact',
    mapFields(syncRemoveGroupTagsMapping(settings), data),
  );
  const tags = await zap.step<Row>(
    'Add Tags to Contact (customer group)',
    'creates',
    'add_tags_to_contact',
    mapFields(syncGroupTagMapping(), data),
  );
  return {
    business: businessResult,
    contact: contactResult,
    tags: tags.tags as string[],
    groupTagRemoved: (removed.tagsRemoved ?? []) as string[],
    task: taskResult,
    workflow,
  };
};

/** Flow 2 (webhook recipe) — an Ecwid customer created or updated → its group's business → Find or Create Contact (+ update) → welcome task → group tag. */
export const syncCustomer = async (zap: ZapRunner, event: EcwidEvent, settings: RecipeSettings) => {
  if (!event.customer) throw new Error(`${event.webhook.eventType} carries no customer object`);
  const registered = DateTime.fromFormat(event.customer.registered ?? '', 'yyyy-MM-dd HH:mm:ss ZZZ', { setZone: true });
  return runSync(
    zap,
    { customer: event.customer, webhook: event.webhook },
    {
      search: syncSearchMapping(settings),
      create: syncContactMapping(settings),
      update: syncUpdateMapping(settings),
      taskCreate: syncTaskCreateMapping(settings),
    },
    registered,
    settings,
  );
};

/** Flow 2 (Ecwid app recipe) — one New or Updated Customer item of the Ecwid app → the same steps (+ the optional welcome workflow). */
export const syncPolledCustomer = async (zap: ZapRunner, customer: Row, settings: RecipeSettings, automation: AutomationSettings = {}) =>
  runSync(
    zap,
    { customer },
    {
      search: appSyncSearchMapping(settings),
      create: appSyncContactMapping(settings),
      update: appSyncUpdateMapping(settings),
      taskCreate: appSyncTaskCreateMapping(settings),
    },
    DateTime.fromISO(String(customer.registeredAt ?? ''), { setZone: true }),
    settings,
    automation,
  );

/** Flow 3 — an Ecwid customer deleted → Find Contact → Filter (exactly one match) → delete (tasks first) or archive. */
export const removeCustomer = async (zap: ZapRunner, event: EcwidEvent, settings: RecipeSettings, mode: 'delete' | 'archive' = 'delete') =>
  runRemoval(zap, { webhook: event.webhook }, 'Find Contact (Ecwid id, then email)', removalSearchMapping(settings), mode);

/**
 * Flow 3 (Ecwid app recipe) — one Deleted Customer item → Find Contact by the Ecwid id custom field → Filter →
 * (optional) the profile and the automation stop → delete or archive.
 */
export const removeDeletedCustomer = async (
  zap: ZapRunner,
  deleted: Row,
  settings: RecipeSettings,
  mode: 'delete' | 'archive' = 'delete',
  extra: RemovalExtras = {},
) => runRemoval(zap, { deleted }, 'Find Contact (by the Ecwid Customer ID field)', appRemovalSearchMapping(settings), mode, extra);

/** Optional steps of flow 3 between the Filter and the delete or archive, all on the contact Find Contact found. */
export interface RemovalExtras {
  /** Find Contact by ID: the profile (tasks, notes) kept in the Zap's history before the contact changes. */
  profile?: boolean;
  /** Remove Contact from All Campaigns, then from each chosen workflow (recipes/ecwid-automation.ts). */
  automation?: AutomationSettings;
}

const runRemoval = async (
  zap: ZapRunner,
  data: Row,
  searchName: string,
  searchMapping: Record<string, unknown>,
  mode: 'delete' | 'archive',
  extra: RemovalExtras = {},
) => {
  const found = await zap.step<Row[]>(searchName, 'searches', 'find_contact', mapFields(searchMapping, data));
  const contact = found[0];
  const reason = !contact
    ? 'no GHL contact matches this Ecwid customer'
    : contact.ambiguous
      ? `${contact.matchCount} contacts match; refusing to guess`
      : 'exactly one contact matches';
  if (!zap.filter('Only continue if exactly one contact was found', !!contact && !contact.ambiguous, reason)) {
    return { removed: false as const, reason };
  }
  data.contact = contact;
  // Contact ← Find Contact's id, as every later step maps it.
  const profile = extra.profile ? await profilePull(zap, String(contact!.id)) : undefined;
  const automations = extra.automation ? await stopAutomations(zap, data, extra.automation) : undefined;
  if (mode === 'archive') {
    const archived = await zap.step<Row>(
      'Archive Contact (tag + complete open tasks)',
      'creates',
      'archive_contact',
      mapFields(removalArchiveMapping(), data),
    );
    return { removed: false as const, archived, reason, profile, automations };
  }
  const deleted = await zap.step<Row>(
    'Delete Contact (its tasks first)',
    'creates',
    'delete_contact',
    mapFields(removalDeleteMapping(), data),
  );
  return { removed: true as const, deleted, reason, profile, automations };
};
