/**
 * Contacts (contacts.json): create, get, update, delete, upsert, the duplicate lookup and the two
 * list endpoints. Section numbers (§) refer to docs/ghl-api.md.
 */
import { contactOut, searchOut } from './contact-output.js';
import {
  allowsDuplicates,
  contactDisplayName,
  createContactRecord,
  duplicateError,
  findDuplicate,
  getContact,
  matchesQuery,
  updateContactRecord,
} from './contact-records.js';
import { bodyObj, q1, type Handler, type HandlerCtx, type HandlerResult, type Obj } from './context.js';

function createContact(ctx: HandlerCtx): HandlerResult {
  const c = createContactRecord(ctx, bodyObj(ctx), !allowsDuplicates(ctx));
  return { status: 201, body: { contact: contactOut(c, { shape: 'create' }) } };
}

function getContactOp(ctx: HandlerCtx): HandlerResult {
  return { status: 200, body: { contact: contactOut(getContact(ctx, ctx.params['contactId'] ?? '')) } };
}

function updateContact(ctx: HandlerCtx): HandlerResult {
  const c = getContact(ctx, ctx.params['contactId'] ?? '');
  const b = bodyObj(ctx);
  if (!allowsDuplicates(ctx)) {
    const dup = findDuplicate(ctx, b['email'], b['phone'], c.id);
    if (dup) throw duplicateError(dup);
  }
  updateContactRecord(ctx, c, b);
  return { status: 200, body: { succeded: true, succeeded: true, contact: contactOut(c, { shape: 'write' }) } };
}

function deleteContact(ctx: HandlerCtx): HandlerResult {
  const c = getContact(ctx, ctx.params['contactId'] ?? '');
  const s = ctx.state;
  s.contacts.delete(c.id);
  s.dropFromSearchIndex(c.id);
  for (const [id, t] of s.tasks) if (t.contactId === c.id) s.tasks.delete(id);
  for (const [id, n] of s.notes) if (n.contactId === c.id) s.notes.delete(id);
  for (const [id, a] of s.appointments) if (a.contactId === c.id) s.appointments.delete(id);
  return { status: 200, body: { succeded: true, succeeded: true } };
}

function upsertContact(ctx: HandlerCtx): HandlerResult {
  const b = bodyObj(ctx);
  const forceNew = b['createNewIfDuplicateAllowed'] === true && allowsDuplicates(ctx);
  const dup = forceNew ? undefined : findDuplicate(ctx, b['email'], b['phone']);
  if (dup) {
    // §2.23: email match wins; the other field is silently ignored when it belongs to another contact (#37);
    // gender is silently ignored on existing contacts (#313).
    const ignore = ['gender'];
    if (dup.field === 'email' && typeof b['phone'] === 'string') {
      const other = findDuplicate(ctx, undefined, b['phone'], dup.contact.id);
      if (other) ignore.push('phone');
    }
    updateContactRecord(ctx, dup.contact, b, { ignore });
    return { status: 200, body: { new: false, succeded: true, succeeded: true, contact: contactOut(dup.contact, { shape: 'write' }) } };
  }
  const c = createContactRecord(ctx, b, false);
  return { status: 200, body: { new: true, succeded: true, succeeded: true, contact: contactOut(c, { shape: 'write' }) } };
}

function duplicateContact(ctx: HandlerCtx): HandlerResult {
  const email = q1(ctx, 'email');
  const number = q1(ctx, 'number');
  const dup = findDuplicate(ctx, email, number);
  // The recorded answer names the field that matched (`matchingField`).
  return { status: 200, body: dup ? { contact: contactOut(dup.contact), matchingField: dup.field } : { contact: null } };
}

/** Deprecated GET /contacts/ (§2.14): cursor pagination by dateAdded asc, id asc. */
function getContacts(ctx: HandlerCtx): HandlerResult {
  const limit = Math.min(Math.max(Number(q1(ctx, 'limit') ?? 20) || 20, 1), 100);
  const query = (q1(ctx, 'query') ?? '').toLowerCase();
  const startAfterId = q1(ctx, 'startAfterId');
  const startAfter = q1(ctx, 'startAfter');
  let list = ctx.state.contactsOf(ctx.locationId).filter((c) => !query || matchesQuery(c, query));
  list.sort((a, b) => Date.parse(a.dateAdded) - Date.parse(b.dateAdded) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const total = list.length;
  if (startAfterId || startAfter) {
    const ts = startAfter ? Number(startAfter) : undefined;
    list = list.filter((c) => {
      const t = Date.parse(c.dateAdded);
      if (ts !== undefined && !Number.isNaN(ts)) {
        if (t !== ts) return t > ts;
        return startAfterId ? c.id > startAfterId : false;
      }
      const anchor = ctx.state.contacts.get(startAfterId ?? '');
      if (!anchor) return true;
      const at = Date.parse(anchor.dateAdded);
      return t > at || (t === at && c.id > anchor.id);
    });
  }
  const page = list.slice(0, limit);
  const last = page[page.length - 1];
  const hasMore = list.length > limit;
  return {
    status: 200,
    body: {
      contacts: page.map((c) => searchOut(ctx, c)),
      count: total,
      meta: {
        total,
        nextPageUrl:
          hasMore && last
            ? `/contacts/?locationId=${ctx.locationId}&startAfter=${Date.parse(last.dateAdded)}&startAfterId=${last.id}&limit=${limit}`
            : null,
        startAfterId: hasMore && last ? last.id : null,
        startAfter: hasMore && last ? Date.parse(last.dateAdded) : null,
        currentPage: null,
        nextPage: null,
        prevPage: null,
      },
    },
  };
}

function getContactsByBusiness(ctx: HandlerCtx): HandlerResult {
  const businessId = ctx.params['businessId'] ?? '';
  const limit = Math.max(parseInt(q1(ctx, 'limit') ?? '25', 10) || 25, 0);
  const skip = Math.max(parseInt(q1(ctx, 'skip') ?? '0', 10) || 0, 0);
  const query = (q1(ctx, 'query') ?? '').toLowerCase();
  const list = ctx.state
    .contactsOf(ctx.locationId)
    .filter((c) => c.businessId === businessId && (!query || matchesQuery(c, query)))
    .sort((a, b) => (contactDisplayName(a).toLowerCase() < contactDisplayName(b).toLowerCase() ? -1 : 1));
  return {
    status: 200,
    body: { contacts: list.slice(skip, skip + limit).map((c) => searchOut(ctx, c)), count: list.length },
  };
}

const emailOf = (e: unknown): string | undefined =>
  typeof e === 'string'
    ? e
    : typeof e === 'object' && e !== null && typeof (e as Obj)['email'] === 'string'
      ? ((e as Obj)['email'] as string)
      : undefined;

/**
 * GHL bug highlevel-api-docs#337, around the upsert handler: an upsert whose email is no
 * contact's primary email but is one contact's *additional* email makes it that contact's primary
 * and drops the old primary (it is not kept as an additional email). The rest is the usual upsert.
 */
const withAdditionalEmailBug =
  (upsert: Handler): Handler =>
  (ctx) => {
    const b = bodyObj(ctx);
    const email = typeof b['email'] === 'string' ? b['email'].trim().toLowerCase() : '';
    if (email) {
      const contacts = ctx.state.contactsOf(ctx.locationId);
      const primary = contacts.some((c) => c.email?.toLowerCase() === email);
      const holder = primary ? undefined : contacts.find((c) => c.additionalEmails.some((e) => emailOf(e)?.toLowerCase() === email));
      if (holder) {
        holder.email = email;
        holder.additionalEmails = holder.additionalEmails.filter((e) => emailOf(e)?.toLowerCase() !== email);
      }
    }
    return upsert(ctx);
  };

export const CONTACT_HANDLERS: Record<string, Handler> = {
  'contacts:get-contacts': getContacts,
  'contacts:create-contact': createContact,
  'contacts:get-contact': getContactOp,
  'contacts:update-contact': updateContact,
  'contacts:delete-contact': deleteContact,
  'contacts:upsert-contact': withAdditionalEmailBug(upsertContact),
  'contacts:get-duplicate-contact': duplicateContact,
  'contacts:get-contacts-by-businessId': getContactsByBusiness,
};
