import { DateTime } from 'luxon';
import type { Appointment, Contact, Note, Task } from '../../ghl/types.js';
import type { OutputField } from '../../operations/define.js';

/**
 * Post-receive hooks: GHL objects → what a Zap step outputs. Each output keeps GHL's own field
 * names (so users can match them to GHL's docs), adds an explicit `<noun>Id`, and normalises
 * dates to ISO-8601 with offset (Zapier check D023/T003).
 */

/**
 * GHL mixes `2026-11-20T09:12:44.000Z` with `2021-07-16 11:00:00` (contact appointments: no zone,
 * the sub-account's local time). A zone-less value is read in `zone` — the sub-account's timezone
 * saved at connection time (authData.locationTimezone), else UTC — and always returned with an offset.
 */
// Stryker disable next-line StringLiteral: equivalent, "" is no valid zone, so validZone below falls back to 'utc' as well
export const isoDate = (value: unknown, zone = 'utc'): string | undefined => {
  if (typeof value === 'number') return DateTime.fromMillis(value, { zone: 'utc' }).toISO() ?? undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const s = value.trim();
  const validZone = DateTime.local().setZone(zone).isValid ? zone : 'utc';
  const iso = DateTime.fromISO(s, { zone: validZone });
  if (iso.isValid) return /[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : (iso.toUTC().toISO() ?? undefined);
  const spaced = DateTime.fromFormat(s, 'yyyy-MM-dd HH:mm:ss', { zone: validZone });
  return spaced.isValid ? (spaced.toUTC().toISO() ?? undefined) : s;
};

const compact = <T extends Record<string, unknown>>(o: T): T => {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
};

export const contactName = (c: Pick<Contact, 'name' | 'firstName' | 'lastName'> & { contactName?: string }): string =>
  (c.name || [c.firstName, c.lastName].filter(Boolean).join(' ') || c.contactName || '').trim();

/**
 * GHL's documented date-of-birth formats (docs/ghl-api.md §2.16), year first or month first, with any
 * of the separators `- / . _`. Live answers also carry an epoch number (highlevel-api-docs#314),
 * read as milliseconds like every other GHL epoch (e.g. `searchAfter`).
 */
const DOB_YEAR_FIRST = /^(\d{4})([-/._])(\d{1,2})\2(\d{1,2})(?:$|T)/;
const DOB_MONTH_FIRST = /^(\d{1,2})([-/._])(\d{1,2})\2(\d{4})$/;

/** A date of birth as `YYYY-MM-DD`, or undefined when it is not a real date (never a cut string). */
export const dateOfBirth = (value: unknown): string | undefined => {
  if (typeof value === 'number') {
    const d = Number.isFinite(value) ? DateTime.fromMillis(value, { zone: 'utc' }) : undefined;
    return d?.isValid ? (d.toISODate() ?? undefined) : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  const ymd = DOB_YEAR_FIRST.exec(s);
  const mdy = ymd ? undefined : DOB_MONTH_FIRST.exec(s);
  const parts = ymd ? [ymd[1], ymd[3], ymd[4]] : mdy ? [mdy[4], mdy[1], mdy[3]] : undefined;
  if (!parts) return undefined;
  const date = { year: Number(parts[0]), month: Number(parts[1]), day: Number(parts[2]) };
  // Stryker disable next-line ObjectLiteral: equivalent, a calendar date is printed back the same in any zone
  const d = DateTime.fromObject(date, { zone: 'utc' });
  return d.isValid ? (d.toISODate() ?? undefined) : undefined;
};

/**
 * A contact as GHL's answers really carry it (recorded, fixtures/ghl-recordings/): search results
 * name the street `address`, every other answer `address1` (#314); the spec's schemas leave out
 * `businessName`, `additionalEmails` (`[{ email }]`), `additionalPhones` (`[{ phone }]`) and `followers`.
 */
type ReceivedContact = Contact & {
  address?: string | null;
  businessName?: string | null;
  additionalEmails?: unknown;
  additionalPhones?: unknown;
  followers?: unknown;
};

/** `[{ email: 'a@x' }]` or `['a@x']` → `['a@x']`, so that Zapier can map it as a list of text. */
const valuesOf = (list: unknown, key: string): string[] | undefined =>
  Array.isArray(list)
    ? list
        .map((item) => (typeof item === 'string' ? item : (item as Record<string, unknown> | null | undefined)?.[key]))
        .filter((v): v is string => typeof v === 'string' && v !== '')
    : undefined;

/** GHL's per-channel DND (`{ SMS: { status, message?, code? }, … }`), kept as GHL names it. */
const dndSettingsOf = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length ? (v as Record<string, unknown>) : undefined;

export const toContact = (c: ReceivedContact) =>
  compact({
    id: c.id as string,
    contactId: c.id as string,
    locationId: c.locationId,
    name: contactName(c),
    firstName: c.firstName,
    lastName: c.lastName,
    email: c.email,
    phone: c.phone,
    companyName: c.companyName,
    businessName: c.businessName,
    address1: c.address1 ?? c.address ?? undefined,
    city: c.city,
    state: c.state,
    postalCode: c.postalCode,
    country: c.country,
    website: c.website,
    timezone: c.timezone,
    source: c.source,
    type: c.type,
    dnd: c.dnd,
    dndSettings: dndSettingsOf(c.dndSettings),
    tags: c.tags ?? [],
    assignedTo: c.assignedTo,
    followers: valuesOf(c.followers, 'id'),
    businessId: c.businessId,
    additionalEmails: valuesOf(c.additionalEmails, 'email'),
    additionalPhones: valuesOf(c.additionalPhones, 'phone'),
    dateOfBirth: dateOfBirth(c.dateOfBirth),
    dateAdded: isoDate(c.dateAdded),
    dateUpdated: isoDate(c.dateUpdated),
    customFields: (c.customFields ?? []).map((f) => ({ id: f.id, value: f.value })),
  });
export type ContactOutput = ReturnType<typeof toContact>;

/** Location task search items carry `_id` instead of `id` (see SearchedTask in ghl/types.ts); both are accepted. */
export const toTask = (t: Task & { _id?: string }, contactId?: string) =>
  compact({
    id: (t.id ?? t._id) as string,
    taskId: (t.id ?? t._id) as string,
    contactId: t.contactId ?? contactId,
    title: t.title,
    body: t.body,
    assignedTo: t.assignedTo,
    dueDate: isoDate(t.dueDate),
    completed: Boolean(t.completed),
    dateAdded: isoDate(t.dateAdded),
    dateUpdated: isoDate(t.dateUpdated),
  });
export type TaskOutput = ReturnType<typeof toTask>;

export const toNote = (n: Note, contactId?: string) =>
  compact({
    id: n.id as string,
    noteId: n.id as string,
    contactId: n.contactId ?? contactId,
    body: n.body,
    userId: n.userId,
    dateAdded: isoDate(n.dateAdded),
  });
export type NoteOutput = ReturnType<typeof toNote>;

export const toAppointment = (a: Appointment, contactId?: string, zone?: string) =>
  compact({
    id: a.id as string,
    appointmentId: a.id as string,
    contactId: a.contactId ?? contactId,
    calendarId: a.calendarId,
    title: a.title,
    status: a.status,
    appointmentStatus: a.appointmentStatus,
    assignedUserId: a.assignedUserId,
    startTime: isoDate(a.startTime, zone),
    endTime: isoDate(a.endTime, zone),
    address: a.address,
    notes: a.notes,
    dateAdded: isoDate(a.dateAdded, zone),
  });
export type AppointmentOutput = ReturnType<typeof toAppointment>;

const time = (s: string | undefined): number => (s ? Date.parse(s) || 0 : 0);

/**
 * The brief's `mostRecentTask`: the task added last. GHL's TaskSchema has no creation date, so
 * when `dateAdded` is missing the latest due date stands in for it.
 */
export const mostRecentTask = (tasks: TaskOutput[]): TaskOutput | null =>
  tasks.reduce<TaskOutput | null>((best, t) => {
    if (!best) return t;
    const a = time(t.dateAdded ?? t.dueDate);
    const b = time(best.dateAdded ?? best.dueDate);
    return a > b ? t : best;
  }, null);

/** The open task due soonest: what a salesperson should do next. */
export const nextOpenTask = (tasks: TaskOutput[]): TaskOutput | null =>
  tasks
    .filter((t) => !t.completed)
    .reduce<TaskOutput | null>((best, t) => (!best || time(t.dueDate) < time(best.dueDate) ? t : best), null);

/**
 * Every output carries `id` (Zapier's key for dedupe and search connectors) and the same value as
 * `<noun>Id`: the second is the one labelled with the noun ("Contact ID"), so the editor shows no
 * "Contact ID (copy)". The fields users map most come first: Zapier CLI 19.1.0's output field
 * schema has no `important` flag (PlainOutputFieldSchema: key, label, type, list, children, dict,
 * required, default, primary, steadyState, sample), and the field picker keeps the declared order.
 */
export const contactOutputFields: OutputField[] = [
  { key: 'id', label: 'ID' },
  { key: 'contactId', label: 'Contact ID' },
  { key: 'name', label: 'Full Name' },
  { key: 'email', label: 'Email' },
  { key: 'phone', label: 'Phone' },
  { key: 'tags', label: 'Tags', list: true },
  { key: 'firstName', label: 'First Name' },
  { key: 'lastName', label: 'Last Name' },
  { key: 'locationId', label: 'Sub-account (Location) ID' },
  { key: 'additionalEmails', label: 'Additional Emails', list: true },
  { key: 'additionalPhones', label: 'Additional Phones', list: true },
  { key: 'companyName', label: 'Company Name' },
  { key: 'businessName', label: 'Business Name' },
  { key: 'address1', label: 'Street Address' },
  { key: 'city', label: 'City' },
  { key: 'state', label: 'State' },
  { key: 'postalCode', label: 'Postal Code' },
  { key: 'country', label: 'Country' },
  { key: 'website', label: 'Website' },
  { key: 'timezone', label: 'Timezone' },
  { key: 'source', label: 'Source' },
  { key: 'type', label: 'Contact Type' },
  { key: 'dnd', label: 'Do Not Disturb', type: 'boolean' },
  { key: 'dndSettings__SMS__status', label: 'Do Not Disturb for SMS (active or inactive)' },
  { key: 'dndSettings__Email__status', label: 'Do Not Disturb for Email (active or inactive)' },
  { key: 'dndSettings__Call__status', label: 'Do Not Disturb for Calls (active or inactive)' },
  { key: 'dndSettings__WhatsApp__status', label: 'Do Not Disturb for WhatsApp (active or inactive)' },
  { key: 'dndSettings__GMB__status', label: 'Do Not Disturb for Google Business Messages (active or inactive)' },
  { key: 'dndSettings__FB__status', label: 'Do Not Disturb for Facebook (active or inactive)' },
  { key: 'assignedTo', label: 'Assigned User ID' },
  { key: 'followers', label: 'Follower User IDs', list: true },
  { key: 'businessId', label: 'Business ID' },
  { key: 'dateOfBirth', label: 'Date of Birth' },
  { key: 'dateAdded', label: 'Date Added', type: 'datetime' },
  { key: 'dateUpdated', label: 'Date Updated', type: 'datetime' },
];

export const taskOutputFields: OutputField[] = [
  { key: 'id', label: 'ID' },
  { key: 'taskId', label: 'Task ID' },
  { key: 'contactId', label: 'Contact ID' },
  { key: 'title', label: 'Title' },
  { key: 'dueDate', label: 'Due Date', type: 'datetime' },
  { key: 'completed', label: 'Completed', type: 'boolean' },
  { key: 'body', label: 'Description' },
  { key: 'assignedTo', label: 'Assigned User ID' },
  { key: 'dateAdded', label: 'Date Added', type: 'datetime' },
  { key: 'dateUpdated', label: 'Date Updated', type: 'datetime' },
];

export const noteOutputFields: OutputField[] = [
  { key: 'id', label: 'ID' },
  { key: 'noteId', label: 'Note ID' },
  { key: 'contactId', label: 'Contact ID' },
  { key: 'body', label: 'Note' },
  { key: 'userId', label: 'Author User ID' },
  { key: 'dateAdded', label: 'Date Added', type: 'datetime' },
];

export const appointmentOutputFields: OutputField[] = [
  { key: 'id', label: 'ID' },
  { key: 'appointmentId', label: 'Appointment ID' },
  { key: 'contactId', label: 'Contact ID' },
  { key: 'calendarId', label: 'Calendar ID' },
  { key: 'title', label: 'Title' },
  { key: 'status', label: 'Status' },
  { key: 'appointmentStatus', label: 'Appointment Status' },
  { key: 'assignedUserId', label: 'Assigned User ID' },
  { key: 'startTime', label: 'Start Time', type: 'datetime' },
  { key: 'endTime', label: 'End Time', type: 'datetime' },
  { key: 'address', label: 'Address' },
  { key: 'notes', label: 'Notes' },
  { key: 'dateAdded', label: 'Date Added', type: 'datetime' },
];
