import type { HttpResponse, ZObject } from 'zapier-platform-core';
import { ghlErrorFor, ghlMessage } from '../../http/errors.js';
import { path, type GhlClient, type GhlPath } from '../../http/ghl.js';
import type { Appointment, Note, Task } from '../../ghl/types.js';
import { toAppointment, toNote, toTask, type AppointmentOutput, type NoteOutput, type TaskOutput } from '../common/outputs.js';

/**
 * A contact's tasks, notes and appointments (docs/ghl-api.md §2.2, §2.8, §2.13). GHL returns each list
 * whole (no pagination, no order), so callers sort with {@link newestFirst}.
 *
 * `missingContact`: a trigger or dropdown lets GHL's error through (the Zap points at a contact that
 * no longer exists, which the user must fix); a search asks for `'empty'` and gets `[]`, since a
 * Zapier search must not fail when nothing is found. GHL answers 400 "Contact with id … not found"
 * for a missing contact (docs/ghl-api.md §2.1), 404 on some paths.
 */
export type MissingContact = 'throw' | 'empty';

interface Ctx {
  z: ZObject;
  api: GhlClient;
}

/** GHL's answer for a record that does not exist: 400 "Contact with id … not found" (§2.1), 404 on some paths. */
export const isNotFoundResponse = (response: Pick<HttpResponse, 'status' | 'data'>): boolean =>
  (response.status === 400 || response.status === 404) && /not found/i.test(ghlMessage(response.data) ?? '');

const getContactList = async <T>({ z, api }: Ctx, p: GhlPath, missingContact: MissingContact): Promise<T | undefined> => {
  if (missingContact === 'throw') return (await api.get<T>(p)).data;
  const response = await api.request<T>({ method: 'GET', path: p, idempotent: true, skipThrowForStatus: true });
  if (isNotFoundResponse(response)) return undefined;
  const error = ghlErrorFor(z, response);
  if (error) throw error;
  return response.data;
};

export const getContactTasks = async (ctx: Ctx, contactId: string, missingContact: MissingContact = 'throw'): Promise<TaskOutput[]> => {
  const data = await getContactList<{ tasks?: Task[] }>(ctx, path`/contacts/${contactId}/tasks`, missingContact);
  return (data?.tasks ?? []).map((t) => toTask(t, contactId));
};

export const getContactNotes = async (ctx: Ctx, contactId: string, missingContact: MissingContact = 'throw'): Promise<NoteOutput[]> => {
  const data = await getContactList<{ notes?: Note[] }>(ctx, path`/contacts/${contactId}/notes`, missingContact);
  return (data?.notes ?? []).map((n) => toNote(n, contactId));
};

export const getContactAppointments = async (
  ctx: Ctx,
  contactId: string,
  missingContact: MissingContact = 'throw',
  /** The sub-account's timezone: GHL sends appointment times without a zone. */
  zone?: string,
): Promise<AppointmentOutput[]> => {
  const data = await getContactList<{ events?: Appointment[] }>(ctx, path`/contacts/${contactId}/appointments`, missingContact);
  return (data?.events ?? []).map((a) => toAppointment(a, contactId, zone));
};

const ms = (iso: string | undefined): number => (iso ? Date.parse(iso) || 0 : 0);

/**
 * Newest first by the date `when` picks (ISO strings, as the shapes output them); items without a
 * date go last. Ties are broken by id so the order is the same on every poll.
 */
export const newestFirst = <T extends { id: string }>(items: T[], when: (item: T) => string | undefined): T[] =>
  [...items].sort((a, b) => ms(when(b)) - ms(when(a)) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));

/** Case-insensitive "contains", with runs of whitespace treated as one space. */
export const containsText = (haystack: string | undefined, needle: string): boolean => {
  const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ');
  return norm(haystack ?? '').includes(norm(needle));
};
