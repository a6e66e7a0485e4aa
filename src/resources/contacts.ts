import type { Bundle, ZObject } from 'zapier-platform-core';
import { ghl, path, type GhlClient } from '../http/ghl.js';
import type { Appointment, ContactResponse, Note, SearchContactsBody, SearchContactsResponse, Task } from '../ghl/types.js';
import { pollingTrigger, search, type ResourceOperations } from '../operations/define.js';
import contactSample from '../samples/contact.json' with { type: 'json' };
import taskSample from '../samples/task.json' with { type: 'json' };
import noteSample from '../samples/note.json' with { type: 'json' };
import { contactIdField } from './fields.js';
import { contactOutputFields, mostRecentTask, nextOpenTask, toAppointment, toContact, toNote, toTask } from './shapes.js';

/** Contacts: GHL's `/contacts/*` endpoints (ghl-api.md §2.1, §2.14–2.23). */

/** GHL's search takes up to 500 per page; Zapier's polling guide says ~100 newest items is plenty. */
export const POLL_PAGE_SIZE = 100;
export const DROPDOWN_PAGE_SIZE = 100;

export const searchContacts = (api: GhlClient, body: SearchContactsBody) =>
  // A search only reads, so it may be retried after a dropped connection.
  api.request<SearchContactsResponse>({ method: 'POST', path: path`/contacts/search`, body, idempotent: true });

// ---- Profile: the contact with its tasks, notes and appointments (brief, flow 1) ----

/**
 * Everything the brief's profile pull needs, in one round trip: the four GETs go out together.
 * Used by Find Contact by ID and, lazily through z.dehydrate, by the contact triggers.
 */
export const fetchContactProfile = async (api: GhlClient, contactId: string) => {
  const [contactRes, tasksRes, notesRes, appointmentsRes] = await Promise.all([
    api.get<ContactResponse>(path`/contacts/${contactId}`),
    api.get<{ tasks?: Task[] }>(path`/contacts/${contactId}/tasks`),
    api.get<{ notes?: Note[] }>(path`/contacts/${contactId}/notes`),
    api.get<{ events?: Appointment[] }>(path`/contacts/${contactId}/appointments`),
  ]);
  return toProfile(contactRes.data, tasksRes.data, notesRes.data, appointmentsRes.data, contactId);
};

export const toProfile = (
  contactData: ContactResponse,
  tasksData: { tasks?: Task[] },
  notesData: { notes?: Note[] },
  appointmentsData: { events?: Appointment[] },
  contactId: string,
) => {
  const contact = toContact(contactData.contact ?? { id: contactId });
  const tasks = (tasksData.tasks ?? []).map((t) => toTask(t, contactId));
  const notes = (notesData.notes ?? [])
    .map((n) => toNote(n, contactId))
    .sort((a, b) => (Date.parse(b.dateAdded ?? '') || 0) - (Date.parse(a.dateAdded ?? '') || 0));
  const appointments = (appointmentsData.events ?? []).map((a) => toAppointment(a, contactId));
  return {
    ...contact,
    mostRecentTask: mostRecentTask(tasks),
    nextOpenTask: nextOpenTask(tasks),
    latestNote: notes[0] ?? null,
    taskCount: tasks.length,
    openTaskCount: tasks.filter((t) => !t.completed).length,
    noteCount: notes.length,
    appointmentCount: appointments.length,
    tasks,
    notes,
    appointments,
  };
};

/** Hydrator: resolves a trigger item's `profile` only when a later Zap step maps it. */
export const hydrateContactProfile = (z: ZObject, bundle: Bundle) =>
  fetchContactProfile(ghl(z, bundle), String(bundle.inputData.contactId));

const profileSample = {
  ...contactSample,
  mostRecentTask: taskSample,
  nextOpenTask: taskSample,
  latestNote: noteSample,
  taskCount: 1,
  openTaskCount: 1,
  noteCount: 1,
  appointmentCount: 0,
  tasks: [taskSample],
  notes: [noteSample],
  appointments: [],
};

export const findContactById = search({
  key: 'find_contact_by_id',
  noun: 'Contact',
  label: 'Find Contact by ID',
  description: 'Finds a contact by its ID and returns its full profile with tasks, notes, appointments and the most recent task.',
  inputFields: [contactIdField({ helpText: 'The contact to look up. Map the **Contact ID** from an earlier step, or pick one.' })],
  outputFields: [
    ...contactOutputFields,
    { key: 'mostRecentTask__title', label: 'Most Recent Task Title' },
    { key: 'mostRecentTask__dueDate', label: 'Most Recent Task Due Date', type: 'datetime' },
    { key: 'mostRecentTask__completed', label: 'Most Recent Task Completed', type: 'boolean' },
    { key: 'nextOpenTask__title', label: 'Next Open Task Title' },
    { key: 'latestNote__body', label: 'Latest Note' },
    { key: 'taskCount', label: 'Number of Tasks', type: 'integer' },
    { key: 'openTaskCount', label: 'Number of Open Tasks', type: 'integer' },
    { key: 'noteCount', label: 'Number of Notes', type: 'integer' },
    { key: 'appointmentCount', label: 'Number of Appointments', type: 'integer' },
  ],
  sample: profileSample,
  parse: (read) => ({ contactId: read.requiredId('contactId') }),
  perform: async ({ api, input }) => {
    try {
      return [await fetchContactProfile(api, input.contactId)];
    } catch (error) {
      // GHL answers 400 "Contact with id … not found" for a missing contact; a search finds nothing instead.
      if (isContactNotFound(error)) return [];
      throw error;
    }
  },
});

export const isContactNotFound = (error: unknown): boolean => {
  const e = error as { status?: number; message?: string } | null;
  return !!e && (e.status === 400 || e.status === 404) && /not found/i.test(e.message ?? '');
};

// ---- Triggers ----

export const newContact = pollingTrigger({
  key: 'new_contact',
  noun: 'Contact',
  label: 'New Contact',
  description: 'Triggers when a new contact is added to the sub-account.',
  inputFields: [],
  outputFields: contactOutputFields,
  sample: contactSample,
  parse: () => ({}),
  perform: async ({ api, locationId }) => {
    const res = await searchContacts(api, {
      locationId,
      pageLimit: POLL_PAGE_SIZE,
      sort: [{ field: 'dateAdded', direction: 'desc' }],
    });
    return (res.data.contacts ?? []).map(toContact);
  },
});

export const contactList = pollingTrigger({
  key: 'contact_list',
  noun: 'Contact',
  label: 'Contact List',
  description: 'Triggers when a contact is added; lists contacts for dropdowns.',
  hidden: true,
  canPaginate: true,
  inputFields: [],
  parse: () => ({}),
  perform: async ({ api, locationId, bundle }) => {
    const page = Number(bundle.meta?.page ?? 0);
    const res = await searchContacts(api, {
      locationId,
      pageLimit: DROPDOWN_PAGE_SIZE,
      page: page + 1,
      sort: [{ field: 'firstNameLowerCase', direction: 'asc' }],
    });
    return (res.data.contacts ?? []).map((c) => {
      const out = toContact(c);
      // The dropdown shows `name`; make a nameless contact recognisable by its email or phone.
      return { ...out, name: out.name || out.email || out.phone || out.id };
    });
  },
});

export const contactOperations: ResourceOperations = {
  triggers: [newContact, contactList],
  searches: [findContactById],
  creates: [],
};

/** Zapier search-or-create pairs (Find or Create Contact). */
export const contactSearchOrCreates = {};
