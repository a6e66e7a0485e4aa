import type { Bundle, ZObject } from 'zapier-platform-core';
import { ghl, path, type GhlClient } from '../../http/ghl.js';
import type { Appointment, ContactResponse, Note, Task } from '../../ghl/types.js';
import type { OutputField } from '../../operations/define.js';
import contactSample from '../../samples/contact.json' with { type: 'json' };
import taskSample from '../../samples/task.json' with { type: 'json' };
import noteSample from '../../samples/note.json' with { type: 'json' };
import { mostRecentTask, nextOpenTask, toAppointment, toContact, toNote, toTask } from '../common/outputs.js';
import { newestFirst } from './records.js';

/**
 * Profile: the contact with its tasks, notes and appointments (brief, flow 1): `GET /contacts/:contactId`
 * with `/tasks`, `/notes`, `/appointments` (docs/ghl-api.md §2.1, 2.2, 2.8, 2.13).
 */

/**
 * Everything the brief's profile pull needs, in one round trip: the four GETs go out together.
 * Used by Find Contact by ID and, lazily through z.dehydrate, by the contact triggers.
 */
export const fetchContactProfile = async (api: GhlClient, contactId: string, zone?: string) => {
  const [contactRes, tasksRes, notesRes, appointmentsRes] = await Promise.all([
    api.get<ContactResponse>(path`/contacts/${contactId}`),
    api.get<{ tasks?: Task[] }>(path`/contacts/${contactId}/tasks`),
    api.get<{ notes?: Note[] }>(path`/contacts/${contactId}/notes`),
    api.get<{ events?: Appointment[] }>(path`/contacts/${contactId}/appointments`),
  ]);
  return toProfile(contactRes.data, tasksRes.data, notesRes.data, appointmentsRes.data, contactId, zone);
};

export const toProfile = (
  contactData: ContactResponse,
  tasksData: { tasks?: Task[] },
  notesData: { notes?: Note[] },
  appointmentsData: { events?: Appointment[] },
  contactId: string,
  zone?: string,
) => {
  const contact = toContact(contactData.contact ?? { id: contactId });
  const tasks = (tasksData.tasks ?? []).map((t) => toTask(t, contactId));
  const notes = newestFirst(
    (notesData.notes ?? []).map((n) => toNote(n, contactId)),
    (n) => n.dateAdded,
  );
  const appointments = (appointmentsData.events ?? []).map((a) => toAppointment(a, contactId, zone));
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

/** Hydrator (registered in index.ts as `contactProfile`): resolves a trigger item's `profile` only when a later Zap step maps it. */
export const hydrateContactProfile = (z: ZObject, bundle: Bundle) =>
  fetchContactProfile(ghl(z, bundle), String(bundle.inputData.contactId), bundle.authData?.locationTimezone);

export const profileSample = {
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

export const profileOutputFields = (prefix: string, labelPrefix: string): OutputField[] => [
  { key: `${prefix}mostRecentTask__title`, label: `${labelPrefix}Most Recent Task Title` },
  { key: `${prefix}mostRecentTask__dueDate`, label: `${labelPrefix}Most Recent Task Due Date`, type: 'datetime' },
  { key: `${prefix}mostRecentTask__completed`, label: `${labelPrefix}Most Recent Task Completed`, type: 'boolean' },
  { key: `${prefix}nextOpenTask__title`, label: `${labelPrefix}Next Open Task Title` },
  { key: `${prefix}latestNote__body`, label: `${labelPrefix}Latest Note` },
  { key: `${prefix}taskCount`, label: `${labelPrefix}Number of Tasks`, type: 'integer' },
  { key: `${prefix}openTaskCount`, label: `${labelPrefix}Number of Open Tasks`, type: 'integer' },
  { key: `${prefix}noteCount`, label: `${labelPrefix}Number of Notes`, type: 'integer' },
  { key: `${prefix}appointmentCount`, label: `${labelPrefix}Number of Appointments`, type: 'integer' },
  { key: `${prefix}tasks[]title`, label: `${labelPrefix}Task Titles` },
  { key: `${prefix}tasks[]dueDate`, label: `${labelPrefix}Task Due Dates` },
  { key: `${prefix}notes[]body`, label: `${labelPrefix}Notes` },
  { key: `${prefix}appointments[]title`, label: `${labelPrefix}Appointment Titles` },
  { key: `${prefix}appointments[]startTime`, label: `${labelPrefix}Appointment Start Times` },
];
