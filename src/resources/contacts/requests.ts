import type { HttpResponse, ZObject } from 'zapier-platform-core';
import { ghlErrorFor } from '../../http/errors.js';
import { path, type GhlClient } from '../../http/ghl.js';
import type {
  Contact,
  ContactResponse,
  ContactsBusinessUpdateBody,
  ContactsBusinessUpdateResponse,
  SearchContactsBody,
  SearchContactsResponse,
  Task,
} from '../../ghl/types.js';
import { withCustomFieldsByName } from '../customFields.js';
import { isoDate, toContact } from '../common/outputs.js';
import { isNotFoundResponse } from './records.js';

/**
 * What several contact steps share: GHL's contact search (`POST /contacts/search`, docs/ghl-api.md §2.21)
 * and its page sizes, the not-found test on a thrown error, a contact output with its custom field
 * values by name, moving a contact to a business (`POST /contacts/bulk/business`, §2.24), and reading
 * a contact with its tasks (Delete and Archive Contact).
 */

/** GHL's search takes up to 500 per page; Zapier's polling guide says ~100 newest items is plenty. */
export const POLL_PAGE_SIZE = 100;
export const DROPDOWN_PAGE_SIZE = 100;
/** Find Contact only needs the first match and the number of matches (`total`). */
export const FIND_PAGE_SIZE = 10;

export const searchContacts = (api: GhlClient, body: SearchContactsBody) =>
  // A search only reads, so it may be retried after a dropped connection.
  api.request<SearchContactsResponse>({ method: 'POST', path: path`/contacts/search`, body, idempotent: true });

/**
 * records.ts's isNotFoundResponse test, on an error already thrown by a request. `z.errors.Error` (name "AppError")
 * JSON-encodes `{ message, code, status }` into its message, so it is decoded first.
 */
export const isContactNotFound = (error: unknown): boolean => {
  const e = error as { name?: string; status?: number; message?: string } | null;
  if (!e) return false;
  let status = e.status;
  let message = e.message ?? '';
  if (e.name === 'AppError') {
    try {
      const data = JSON.parse(message) as { status?: number; message?: string };
      status = data.status;
      message = data.message ?? '';
    } catch {
      // not JSON: keep the raw message
    }
  }
  return (status === 400 || status === 404) && /not found/i.test(message);
};

export type ContactOut = { customFields?: Array<{ id?: string; value?: unknown }> };

/** A contact output with its custom field values by name (lazily, see withCustomFieldsByName). */
export const byName = <T extends { customFields?: Array<{ id?: string; value?: unknown }> }>(
  ctx: { z: ZObject; api: GhlClient; locationId: string },
  out: T,
  opts: { lazy?: boolean } = {},
) => withCustomFieldsByName(ctx.z, ctx.api, ctx.locationId, out, opts);

export const setBusiness = (api: GhlClient, locationId: string, contactId: string, businessId: string) => {
  const body: ContactsBusinessUpdateBody = { locationId, ids: [contactId], businessId };
  // Setting the same business twice changes nothing, so a dropped connection may be retried.
  return api.post<ContactsBusinessUpdateResponse>(path`/contacts/bulk/business`, body, { idempotent: true });
};

export const taskRecord = (t: Task) => ({
  id: t.id as string,
  title: t.title,
  dueDate: isoDate(t.dueDate),
  completed: Boolean(t.completed),
});

/** Reads a contact and its tasks in parallel; a missing contact is a clear error, never a crash. */
export const readContactWithTasks = async (z: ZObject, api: GhlClient, contactId: string, nothingDone: string) => {
  const get = <T>(p: ReturnType<typeof path>) => api.request<T>({ method: 'GET', path: p, idempotent: true, skipThrowForStatus: true });
  const [contactRes, tasksRes] = await Promise.all([
    get<ContactResponse>(path`/contacts/${contactId}`),
    get<{ tasks?: Task[] }>(path`/contacts/${contactId}/tasks`),
  ]);
  if (isNotFoundResponse(contactRes) || (contactRes.status < 300 && !contactRes.data?.contact)) {
    throw new z.errors.Error(`No contact with ID ${contactId} in this sub-account; ${nothingDone}`, 'contact_not_found', 404);
  }
  for (const res of [contactRes, tasksRes]) {
    const error = ghlErrorFor(z, res as HttpResponse);
    if (error) throw error;
  }
  return { contact: toContact(contactRes.data.contact as Contact), tasks: tasksRes.data?.tasks ?? [] };
};
