import type { Bundle, ZObject } from 'zapier-platform-core';
import type { Appointment, Contact, Note, Task } from '../ghl/types.js';
import { subscribeToRelay, unsubscribeFromRelay } from '../http/relay.js';
import {
  hookTrigger,
  type HookEvent,
  type OperationContext,
  type HookTriggerDeclaration,
  type InputField,
  type OutputField,
  type ResourceOperations,
  type Sample,
  type ZapierTrigger,
} from '../operations/define.js';
import { getContactTasks } from './contacts/records.js';
import { hydrateContactProfile } from './contacts/profile.js';
import { newContact, newOrUpdatedContact } from './contacts/triggers.js';
import { CUSTOM_FIELDS_BY_NAME, hydrateCustomFieldsByName } from './customFields.js';
import { contactIdField } from './common/inputFields.js';
import { newAppointment } from './appointments.js';
import { newNote } from './notes.js';
import { contactOutputFields, isoDate, toAppointment, toContact, toNote, toTask, type TaskOutput } from './common/outputs.js';
import { newTask, taskCompleted, toCompletion } from './tasks.js';

/**
 * As the polling twins do (see withCustomFieldsByName): a contact with custom field values gets them
 * by GHL name too, lazily, so a webhook costs no request unless a later step maps one.
 */
const withValuesByName = <C extends { customFields?: Array<{ id?: string; value?: unknown }> }>(z: ZObject, contact: C) =>
  contact.customFields?.length
    ? { ...contact, [CUSTOM_FIELDS_BY_NAME]: z.dehydrate(hydrateCustomFieldsByName, { values: contact.customFields }) }
    : contact;

/**
 * Instant triggers: the GHL webhooks of openapi/webhook-events/, forwarded per sub-account by our
 * relay (relay/, src/http/relay.ts). Each has the output of its polling twin and uses the twin for
 * samples in the Zap editor (`performList`). Unlike polling they see deletions, cost no API budget,
 * and watch notes and appointments of the whole sub-account (the polling twins need a contact).
 *
 * GHL's payloads differ from the API's objects (docs/ghl-api.md §5.2): contact events have no
 * `dateUpdated` (the event's `timestamp` stands in), TaskComplete has no completion date (same),
 * appointments come wrapped in `appointment`, and TaskCreate may lack `contactId` (GHL #332).
 */

type Twin = ZapierTrigger & {
  operation: { perform: (z: ZObject, b: Bundle) => Promise<unknown>; outputFields?: OutputField[]; sample?: Sample };
};
const twinOf = (t: ZapierTrigger) => t as Twin;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** A contact event's fields as a contact: the event's `type` (e.g. "ContactCreate") is not the contact's type (lead, customer). */
const asContact = (e: HookEvent, extra: Partial<Contact> = {}): Contact => ({ ...(e as Contact), type: undefined, ...extra });

/** The event's time, ISO with zone: when GHL sent it. */
const eventTime = (e: HookEvent): string | undefined => isoDate(e.timestamp);

const withProfile = <T extends { contactId: string }>(z: ZObject, item: T) => ({
  ...item,
  profile: z.dehydrate(hydrateContactProfile, { contactId: item.contactId }),
});

const INSTANT_NOTE = 'Instant: GHL sends the change to our webhook relay, which starts the Zap within seconds (no polling).';

const contactFilter = (what: string): InputField =>
  contactIdField({ required: false, helpText: `Only this contact's ${what}. Leave empty to watch every contact in the sub-account.` });

const instant = <I>(
  twin: ZapierTrigger | undefined,
  d: Omit<HookTriggerDeclaration<I>, 'noun' | 'subscribe' | 'unsubscribe' | 'list' | 'endpoints' | 'outputFields' | 'sample'> &
    Partial<Pick<HookTriggerDeclaration<I>, 'noun' | 'outputFields' | 'sample' | 'list'>> & { endpoints?: string[] },
) => {
  const t = twin ? twinOf(twin) : undefined;
  return hookTrigger<I>({
    noun: d.noun ?? (twin as unknown as { noun: string }).noun,
    // The relay checks the connection's token with GET /locations/{locationId} when the Zap is turned on.
    endpoints: [...(d.endpoints ?? []), 'GET /locations/{locationId}'],
    outputFields: d.outputFields ?? t?.operation.outputFields,
    sample: d.sample ?? t?.operation.sample,
    list: d.list ?? ((z, bundle) => (t as Twin).operation.perform(z, bundle)),
    subscribe: subscribeToRelay,
    unsubscribe: unsubscribeFromRelay,
    ...d,
  } as HookTriggerDeclaration<I>);
};

// ---- Contacts ----

export const newContactInstant = instant(newContact, {
  key: 'new_contact_instant',
  event: 'ContactCreate',
  endpoints: ['POST /contacts/search'],
  label: 'New Contact (Instant)',
  description: `Triggers when a new contact is added to the sub-account. ${INSTANT_NOTE}`,
  inputFields: [],
  parse: () => ({}),
  shape: ({ z }, e) => [withProfile(z, withValuesByName(z, toContact(asContact(e))))],
});

export const contactUpdatedInstant = instant(newOrUpdatedContact, {
  key: 'contact_updated_instant',
  event: 'ContactUpdate',
  endpoints: ['POST /contacts/search'],
  label: 'Contact Updated (Instant)',
  description: `Triggers when any of a contact's details change. ${INSTANT_NOTE}`,
  inputFields: [],
  parse: () => ({}),
  shape: ({ z }, e) => {
    const contact = withValuesByName(z, toContact(asContact(e, { dateUpdated: str(e.dateUpdated) ?? eventTime(e) })));
    return [withProfile(z, { ...contact, id: `${contact.contactId}:${contact.dateUpdated ?? ''}` })];
  },
});

const contactSampleOf = (t: ZapierTrigger) => ({ ...(twinOf(t).operation.sample ?? {}) }) as Sample;

export const contactDeletedInstant = instant(newContact, {
  key: 'contact_deleted_instant',
  event: 'ContactDelete',
  endpoints: ['POST /contacts/search'],
  label: 'Contact Deleted (Instant)',
  description: `Triggers when a contact is deleted from the sub-account, with the details it had. ${INSTANT_NOTE}`,
  inputFields: [],
  outputFields: [...contactOutputFields, { key: 'deletedAt', label: 'Deleted At', type: 'datetime' }],
  sample: (() => {
    const { profile: _profile, ...contact } = contactSampleOf(newContact);
    return { ...contact, deletedAt: '2026-12-01T16:20:00.000Z' };
  })(),
  parse: () => ({}),
  shape: ({ z }, e) => [{ ...withValuesByName(z, toContact(asContact(e))), deletedAt: eventTime(e) }],
  // Polling cannot see deletions: the editor's samples are the newest contacts, shaped as deleted ones.
  list: async (z, bundle) => {
    const items = (await twinOf(newContact).operation.perform(z, bundle)) as Array<Record<string, unknown>>;
    return items.map(({ profile: _profile, ...c }) => ({ ...c, deletedAt: c.dateUpdated ?? c.dateAdded }));
  },
});

interface TagInput {
  tag?: string;
}

/** What the relay adds to a ContactTagUpdate (relay/tags.ts); `previousTags: null` = the relay had not seen the contact. */
interface RelayTagChange {
  previousTags?: string[] | null;
  tagsAdded?: string[];
}

export const contactTagAddedInstant = instant<TagInput>(newOrUpdatedContact, {
  key: 'contact_tag_added_instant',
  event: 'ContactTagUpdate',
  endpoints: ['POST /contacts/search'],
  label: 'Contact Tag Added (Instant)',
  description: `Triggers when a tag is added to a contact, or only the chosen tag. ${INSTANT_NOTE}`,
  inputFields: [
    {
      key: 'tag',
      label: 'Tag',
      required: false,
      dynamic: 'tag_list.name.name',
      helpText:
        'Only when this tag is added (case does not matter). Leave empty to trigger whenever any tag is added. For a contact the relay has not seen before (no earlier webhook about it), the trigger cannot tell which tag is new and fires if the contact has the tag.',
    },
  ],
  outputFields: [
    { key: 'id', label: 'Change ID (Contact ID, Tag and Change Time)' },
    ...contactOutputFields.filter((f) => f.key !== 'id'),
    { key: 'tag', label: 'Added Tag' },
  ],
  sample: (() => {
    const { profile: _profile, ...contact } = contactSampleOf(newOrUpdatedContact);
    return { ...contact, tag: 'wholesale' };
  })(),
  parse: (read) => ({ tag: read.text('tag', { max: 255 })?.toLowerCase() }),
  shape: ({ z, input }, e) => {
    const contact = withValuesByName(z, toContact(asContact(e, { dateUpdated: str(e.dateUpdated) ?? eventTime(e) })));
    const change = (typeof e.relay === 'object' && e.relay !== null ? e.relay : {}) as RelayTagChange;
    // Known previous tags: only the added ones count. Unknown: the tags the contact has now.
    const candidates = Array.isArray(change.tagsAdded) ? change.tagsAdded : contact.tags;
    const added = input.tag ? candidates.filter((t) => t.toLowerCase() === input.tag) : candidates;
    if (!added.length) return [];
    const tag = added.join(', ');
    return [{ ...contact, id: `${contact.contactId}:${input.tag ? tag : '*'}:${contact.dateUpdated ?? ''}`, tag }];
  },
  list: async (z, bundle) => {
    const wanted = String(bundle.inputData?.tag ?? '')
      .trim()
      .toLowerCase();
    const items = (await twinOf(newOrUpdatedContact).operation.perform(z, bundle)) as Array<Record<string, unknown> & { tags?: string[] }>;
    return items
      .map(({ profile: _profile, ...c }) => {
        const tags = (c.tags ?? []) as string[];
        const tag = wanted ? tags.find((t) => t.toLowerCase() === wanted) : tags.join(', ');
        return tag ? { ...c, id: `${String(c.contactId)}:${wanted ? tag : '*'}:${String(c.dateUpdated ?? '')}`, tag } : undefined;
      })
      .filter((c) => c !== undefined);
  },
});

// ---- Tasks ----

interface ContactFilterInput {
  contactId?: string;
}
const byContact = (input: ContactFilterInput, contactId: string | undefined) => !input.contactId || input.contactId === contactId;

/**
 * GHL's TaskCreate can name no contact (highlevel-api-docs#332: `contactId` and `body` missing for
 * a task made on a contact). With a Contact chosen, the task is that contact's when it is in the
 * contact's own task list (`GET /contacts/{contactId}/tasks`, the polling twin's request, scope
 * `contacts.readonly`): one request, only for such events, which also fills in `contactId` and
 * `body`. GHL offers no lookup of a task by id alone, so without a Contact chosen the task's
 * Contact ID stays empty (the help text says so).
 */
const taskForFilter = async (
  { z, api }: OperationContext<ContactFilterInput>,
  input: ContactFilterInput,
  task: TaskOutput,
): Promise<TaskOutput | undefined> => {
  if (!input.contactId) return task;
  if (task.contactId) return task.contactId === input.contactId ? task : undefined;
  const theirs = (await getContactTasks({ z, api }, input.contactId, 'empty')).find((t) => t.taskId === task.taskId);
  return theirs ? { ...task, contactId: input.contactId, body: task.body ?? theirs.body } : undefined;
};

const TASK_CONTACT_HELP =
  "Only this contact's tasks. Leave empty to watch every contact in the sub-account. GHL's task webhook sometimes names no contact: with a contact chosen, the app then asks GHL for that contact's tasks to find out (one request); without one, such a task triggers with an empty Contact ID.";

const taskContactFilter = (): InputField => contactIdField({ required: false, helpText: TASK_CONTACT_HELP });

export const newTaskInstant = instant<ContactFilterInput>(newTask, {
  key: 'new_task_instant',
  event: 'TaskCreate',
  endpoints: ['POST /locations/{locationId}/tasks/search', 'GET /contacts/{contactId}/tasks'],
  label: 'New Task (Instant)',
  description: `Triggers when a new task is added, in the whole sub-account or for one contact. ${INSTANT_NOTE}`,
  inputFields: [taskContactFilter()],
  parse: (read) => ({ contactId: read.id('contactId') }),
  shape: async (ctx, e) => {
    const task = await taskForFilter(ctx, ctx.input, toTask(e as Task));
    return task ? [task] : [];
  },
});

export const taskCompletedInstant = instant<ContactFilterInput>(taskCompleted, {
  key: 'task_completed_instant',
  event: 'TaskComplete',
  endpoints: ['POST /locations/{locationId}/tasks/search', 'GET /contacts/{contactId}/tasks'],
  label: 'Task Completed (Instant)',
  description: `Triggers when a task is marked completed, in the whole sub-account or for one contact. ${INSTANT_NOTE}`,
  inputFields: [taskContactFilter()],
  parse: (read) => ({ contactId: read.id('contactId') }),
  shape: async (ctx, e) => {
    const task = await taskForFilter(
      ctx,
      ctx.input,
      toTask({ ...(e as Task), completed: true, dateUpdated: str(e.dateUpdated) ?? eventTime(e) }),
    );
    return task ? [toCompletion(task)] : [];
  },
});

// ---- Notes and appointments (the polling twins need a contact; these watch the whole sub-account) ----

/** The twin's samples when a contact is chosen; without one there is no sub-account-wide list, so Zapier shows the static sample. */
const listIfContact = (twin: ZapierTrigger) => async (z: ZObject, bundle: Bundle) =>
  bundle.inputData?.contactId ? twinOf(twin).operation.perform(z, bundle) : [];

export const newNoteInstant = instant<ContactFilterInput>(newNote, {
  key: 'new_note_instant',
  event: 'NoteCreate',
  endpoints: ['GET /contacts/{contactId}/notes'],
  label: 'New Note (Instant)',
  description: `Triggers when a note is added to any contact, or to the chosen one. ${INSTANT_NOTE}`,
  inputFields: [contactFilter('notes')],
  parse: (read) => ({ contactId: read.id('contactId') }),
  shape: ({ input }, e) => {
    const note = toNote(e as Note);
    return byContact(input, note.contactId) ? [note] : [];
  },
  list: listIfContact(newNote),
});

export const newAppointmentInstant = instant<ContactFilterInput>(newAppointment, {
  key: 'new_appointment_instant',
  event: 'AppointmentCreate',
  endpoints: ['GET /contacts/{contactId}/appointments'],
  label: 'New Appointment (Instant)',
  description: `Triggers when an appointment is booked for any contact, or for the chosen one. ${INSTANT_NOTE}`,
  inputFields: [contactFilter('appointments')],
  parse: (read) => ({ contactId: read.id('contactId') }),
  shape: ({ input, bundle }, e) => {
    const raw = (typeof e.appointment === 'object' && e.appointment !== null ? e.appointment : e) as Appointment;
    const appointment = toAppointment(raw, undefined, bundle.authData?.locationTimezone);
    return appointment.id && byContact(input, appointment.contactId) ? [appointment] : [];
  },
  list: listIfContact(newAppointment),
});

export const instantOperations: ResourceOperations = {
  triggers: [
    newContactInstant,
    contactUpdatedInstant,
    contactDeletedInstant,
    contactTagAddedInstant,
    newTaskInstant,
    taskCompletedInstant,
    newNoteInstant,
    newAppointmentInstant,
  ],
};
