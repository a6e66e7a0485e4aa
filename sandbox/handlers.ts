/**
 * Operation handlers: GHL API v2 behaviour on top of SandboxState.
 * Section numbers (§) refer to docs/ghl-api.md.
 */
import { DateTime } from 'luxon';
import type { Appointment, Contact, CustomFieldValue, Note, SandboxState, Task } from './state.js';
import { automationHandlers } from './automation.js';
import { businessHandlers } from './businesses.js';

export interface HandlerCtx {
  state: SandboxState;
  params: Record<string, string>;
  query: Record<string, string | string[]>;
  body: unknown;
  /** location of the token (Location tokens) */
  locationId: string;
  companyId: string;
}

export interface HandlerResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export class HttpError extends Error {
  constructor(
    public status: number,
    public body: Record<string, unknown>,
  ) {
    super(typeof body['message'] === 'string' ? body['message'] : `HTTP ${status}`);
  }
}

export function unprocessable(messages: string[]): HttpError {
  return new HttpError(422, { statusCode: 422, message: messages, error: 'Unprocessable Entity' });
}

function badRequest(message: string, extra: Record<string, unknown> = {}): HttpError {
  return new HttpError(400, { statusCode: 400, message, ...extra });
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const bodyObj = (ctx: HandlerCtx): Obj => (isObj(ctx.body) ? ctx.body : {});
const q1 = (ctx: HandlerCtx, k: string): string | undefined => {
  const v = ctx.query[k];
  return Array.isArray(v) ? v[0] : v;
};

// ---------------------------------------------------------------- contacts helpers

/** Strip formatting; 10-digit US numbers get +1 (sandbox assumption: GHL stores E.164). */
export function normalizePhone(p: string): string {
  const trimmed = p.trim();
  const digits = trimmed.replace(/\D/g, '');
  if (!digits) return trimmed;
  if (trimmed.startsWith('+')) return `+${digits}`;
  if (digits.length === 10) return `+1${digits}`;
  if (digits.length === 11 && digits.startsWith('1')) return `+${digits}`;
  return `+${digits}`;
}

const phoneDigits = (p: string | null | undefined): string => (p ? p.replace(/\D/g, '') : '');

/** Accepts the formats listed in the spec for dateOfBirth; stored as `YYYY-MM-DDT00:00:00.000Z`. */
function normalizeDob(v: unknown): string | null | undefined {
  if (v === null) return null;
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  let m = /^(\d{4})[/\-._](\d{1,2})[/\-._](\d{1,2})/.exec(s);
  if (m) return `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}T00:00:00.000Z`;
  m = /^(\d{1,2})[/\-._](\d{1,2})[/\-._](\d{4})$/.exec(s);
  if (m) return `${m[3]}-${m[1]!.padStart(2, '0')}-${m[2]!.padStart(2, '0')}T00:00:00.000Z`;
  return s;
}

/**
 * Which answer a contact is part of. Live GHL sends a different set of keys in each (recorded July
 * 2026, fixtures/ghl-recordings/; test/recordings/sandbox-conformance.test.ts compares them):
 * - `get` (GET /contacts/:id, the duplicate lookup): only the keys that have a value, plus
 *   `createdBy`, `tags`, `customFields`, `additionalEmails`, `additionalPhones`;
 * - `write` (PUT, upsert): the same plus `followers`;
 * - `create` (POST /contacts/): no `additionalEmails`/`additionalPhones`/`followers`, but `deleted`,
 *   `bounceEmail`, `unsubscribeEmail`, `lastUpdatedBy`, `lastSessionActivityAt`, `validEmail: null`, `validEmailDate: null`;
 * - `search` (POST /contacts/search, and the list endpoints): every key, `null` when unset, the
 *   street as `address` (not `address1`) and `dateOfBirth` as epoch milliseconds (highlevel-api-docs#314).
 * No answer carries `name` (GHL splits it into firstName/lastName, see applyFields).
 */
export type ContactShape = 'get' | 'write' | 'create' | 'search';

const SANDBOX_SOURCE_ID = 'sandbox-client-id-integration';

function fullNameOf(c: Contact): string | null {
  const full = [c.firstName, c.lastName].filter((x) => typeof x === 'string' && x).join(' ');
  return full || null;
}

export function contactOut(c: Contact, opts: { search?: boolean; shape?: ContactShape; businessName?: string | null } = {}): Obj {
  const shape: ContactShape = opts.shape ?? (opts.search ? 'search' : 'get');
  const fullName = fullNameOf(c);
  const stamp = { source: 'INTEGRATION', channel: 'OAUTH', sourceId: SANDBOX_SOURCE_ID, timestamp: c.dateAdded };
  const nonEmpty = (o: Record<string, unknown> | undefined) => (o && Object.keys(o).length ? structuredClone(o) : undefined);
  if (shape === 'search') {
    return {
      id: c.id,
      phoneLabel: null,
      country: c.country ?? null,
      address: c.address1 ?? null,
      source: c.source ?? null,
      type: c.type,
      locationId: c.locationId,
      website: c.website ?? null,
      dnd: c.dnd,
      state: c.state ?? null,
      businessName: opts.businessName ?? null,
      customFields: c.customFields.map((f) => ({ id: f.id, value: f.value })),
      tags: [...c.tags],
      dateAdded: c.dateAdded,
      additionalEmails: [...c.additionalEmails],
      phone: c.phone ?? null,
      companyName: c.companyName ?? null,
      additionalPhones: [...c.additionalPhones],
      dateUpdated: c.dateUpdated,
      city: c.city ?? null,
      dateOfBirth: c.dateOfBirth ? Date.parse(c.dateOfBirth) : null,
      firstNameLowerCase: c.firstName ? c.firstName.toLowerCase() : null,
      lastNameLowerCase: c.lastName ? c.lastName.toLowerCase() : null,
      firstName: c.firstName ?? null,
      lastName: c.lastName ?? null,
      contactName: fullName ? fullName.toLowerCase() : null,
      email: c.email ?? null,
      assignedTo: c.assignedTo ?? null,
      followers: [...c.followers],
      validEmail: null,
      dndSettings: structuredClone(c.dndSettings ?? {}),
      postalCode: c.postalCode ?? null,
      businessId: c.businessId ?? null,
      timezone: c.timezone ?? null,
      inboundDndSettings: structuredClone(c.inboundDndSettings ?? {}),
      attributionSource: {},
      lastAttributionSource: {},
    };
  }
  const o: Obj = {
    id: c.id,
    dateAdded: c.dateAdded,
    dateUpdated: c.dateUpdated,
    ...(shape === 'create' ? { deleted: false } : {}),
    tags: [...c.tags],
    type: c.type,
    customFields: c.customFields.map((f) => ({ id: f.id, value: f.value })),
    locationId: c.locationId,
    firstName: c.firstName ?? undefined,
    firstNameLowerCase: c.firstName ? c.firstName.toLowerCase() : undefined,
    fullNameLowerCase: fullName ? fullName.toLowerCase() : undefined,
    lastName: c.lastName ?? undefined,
    lastNameLowerCase: c.lastName ? c.lastName.toLowerCase() : undefined,
    email: c.email ?? undefined,
    emailLowerCase: c.email ? c.email.toLowerCase() : undefined,
    ...(shape === 'create' ? { bounceEmail: false, unsubscribeEmail: false } : {}),
    phone: c.phone ?? undefined,
    companyName: c.companyName ?? undefined,
    address1: c.address1 ?? undefined,
    city: c.city ?? undefined,
    state: c.state ?? undefined,
    postalCode: c.postalCode ?? undefined,
    country: c.country ?? undefined,
    website: c.website ?? undefined,
    timezone: c.timezone ?? undefined,
    // Sent only when set (the recorded answers of contacts without DND have no dnd keys).
    dnd: c.dnd ? true : undefined,
    dndSettings: nonEmpty(c.dndSettings),
    inboundDndSettings: nonEmpty(c.inboundDndSettings),
    source: c.source ?? undefined,
    assignedTo: c.assignedTo ?? undefined,
    businessId: c.businessId ?? undefined,
    dateOfBirth: c.dateOfBirth ?? undefined,
    createdBy: stamp,
    ...(shape === 'create'
      ? {
          lastUpdatedBy: { ...stamp, timestamp: c.dateUpdated },
          lastSessionActivityAt: c.dateUpdated,
          validEmail: null,
          validEmailDate: null,
        }
      : { additionalEmails: [...c.additionalEmails], additionalPhones: [...c.additionalPhones] }),
    ...(shape === 'write' ? { followers: [...c.followers] } : {}),
  };
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

/** A search result: the contact with its business's name (`businessName`). */
function searchOut(ctx: HandlerCtx, c: Contact): Obj {
  return contactOut(c, { shape: 'search', businessName: c.businessId ? (ctx.state.businesses.get(c.businessId)?.name ?? null) : null });
}

function getContact(ctx: HandlerCtx, id: string): Contact {
  const c = ctx.state.contacts.get(id);
  if (!c || c.locationId !== ctx.locationId) throw badRequest(`Contact with id ${id} not found`);
  return c;
}

function dedupeTags(tags: unknown[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const t of tags) {
    if (typeof t !== 'string') continue;
    const s = t.trim();
    if (!s || seen.has(s.toLowerCase())) continue;
    seen.add(s.toLowerCase());
    out.push(s);
  }
  return out;
}

/**
 * Custom field values: items `{id|key, value|field_value|fieldValue}` (§2.16, §6); merged by id.
 * `null`/'' clears the value.
 */
function mergeCustomFields(ctx: HandlerCtx, existing: CustomFieldValue[], input: unknown): CustomFieldValue[] {
  if (input === undefined) return existing;
  if (!Array.isArray(input)) throw unprocessable(['customFields must be an array']);
  const defs = ctx.state.customFieldsOf(ctx.locationId);
  const out = existing.map((f) => ({ ...f }));
  const msgs: string[] = [];
  input.forEach((item, n) => {
    if (!isObj(item)) {
      msgs.push(`customFields.${n} must be an object`);
      return;
    }
    let id: string | undefined;
    if (typeof item['id'] === 'string' && item['id']) {
      id = item['id'];
      if (!defs.some((d) => d.id === id)) {
        msgs.push(`customFields.${n}.id ${id} does not exist`);
        return;
      }
    } else if (typeof item['key'] === 'string' && item['key']) {
      const key = item['key'].replace(/^contact\./, '');
      const def = defs.find((d) => d.fieldKey === `contact.${key}`);
      if (!def) {
        msgs.push(`customFields.${n}.key ${String(item['key'])} does not exist`);
        return;
      }
      id = def.id;
    } else {
      msgs.push(`customFields.${n}.id should not be empty`);
      return;
    }
    const value = 'value' in item ? item['value'] : 'field_value' in item ? item['field_value'] : item['fieldValue'];
    if (value === undefined) return;
    const idx = out.findIndex((f) => f.id === id);
    if (value === null || value === '' || (Array.isArray(value) && value.length === 0)) {
      if (idx >= 0) out.splice(idx, 1);
      return;
    }
    if (idx >= 0) out[idx] = { id, value };
    else out.push({ id, value });
  });
  if (msgs.length) throw unprocessable(msgs);
  return out;
}

const WRITABLE = [
  'firstName',
  'lastName',
  'name',
  'email',
  'phone',
  'companyName',
  'gender',
  'address1',
  'city',
  'state',
  'postalCode',
  'country',
  'website',
  'timezone',
  'source',
  'dnd',
  'dndSettings',
  'inboundDndSettings',
  'assignedTo',
] as const;

function applyFields(ctx: HandlerCtx, c: Contact, b: Obj, opts: { ignore?: string[] } = {}): void {
  const rec = c as unknown as Obj;
  for (const k of WRITABLE) {
    if (!(k in b) || opts.ignore?.includes(k)) continue;
    let v = b[k];
    if (k === 'email' && typeof v === 'string') v = v.trim() || null;
    if (k === 'phone' && typeof v === 'string') v = v.trim() ? normalizePhone(v) : null;
    rec[k] = v;
  }
  // GHL keeps no `name`: a full name is split into first and last name (its answers carry only those).
  if (typeof b['name'] === 'string' && b['name'].trim() && !('firstName' in b) && !('lastName' in b)) {
    const [first, ...rest] = b['name'].trim().split(/\s+/);
    c.firstName = first ?? null;
    c.lastName = rest.length ? rest.join(' ') : (c.lastName ?? null);
  }
  if ('dateOfBirth' in b) c.dateOfBirth = normalizeDob(b['dateOfBirth']);
  if ('tags' in b && Array.isArray(b['tags'])) {
    c.tags = dedupeTags(b['tags']);
    ctx.state.ensureTags(ctx.locationId, c.tags);
  }
  c.customFields = mergeCustomFields(ctx, c.customFields, b['customFields']);
}

function findDuplicate(
  ctx: HandlerCtx,
  email: unknown,
  phone: unknown,
  excludeId?: string,
): { contact: Contact; field: 'email' | 'phone' } | undefined {
  const contacts = ctx.state.contactsOf(ctx.locationId).filter((c) => c.id !== excludeId);
  if (typeof email === 'string' && email.trim()) {
    const e = email.trim().toLowerCase();
    const hit = contacts.find((c) => c.email && c.email.toLowerCase() === e);
    if (hit) return { contact: hit, field: 'email' };
  }
  if (typeof phone === 'string' && phone.trim()) {
    const d = phoneDigits(normalizePhone(phone));
    const hit = d ? contacts.find((c) => phoneDigits(c.phone) === d) : undefined;
    if (hit) return { contact: hit, field: 'phone' };
  }
  return undefined;
}

function contactDisplayName(c: Contact): string {
  return c.name ?? ([c.firstName, c.lastName].filter(Boolean).join(' ') || c.email || c.phone || '');
}

function duplicateError(d: { contact: Contact; field: 'email' | 'phone' }): HttpError {
  return badRequest('This location does not allow duplicated contacts.', {
    meta: { contactId: d.contact.id, contactName: contactDisplayName(d.contact), matchingField: d.field },
  });
}

function newContact(ctx: HandlerCtx): Contact {
  const now = ctx.state.nowIso();
  return {
    id: '',
    locationId: ctx.locationId,
    type: 'lead',
    dnd: false,
    tags: [],
    customFields: [],
    followers: [],
    additionalEmails: [],
    additionalPhones: [],
    dateAdded: now,
    dateUpdated: now,
  };
}

function createContactRecord(ctx: HandlerCtx, b: Obj, checkDuplicates: boolean): Contact {
  const c = newContact(ctx);
  applyFields(ctx, c, b); // 422 (custom fields) before the duplicate check
  // GHL fills in a country when none is sent (recorded: "US" on a create without one); here the location's.
  if (!c.country) c.country = ctx.state.locations.get(ctx.locationId)?.country ?? 'US';
  if (checkDuplicates) {
    const dup = findDuplicate(ctx, b['email'], b['phone']);
    if (dup) throw duplicateError(dup);
  }
  c.id = ctx.state.newId();
  ctx.state.contacts.set(c.id, c);
  ctx.state.touchSearchIndex(c.id, undefined);
  return c;
}

function updateContactRecord(ctx: HandlerCtx, c: Contact, b: Obj, opts: { ignore?: string[] } = {}): void {
  const before = structuredClone(c);
  const draft = structuredClone(c);
  applyFields(ctx, draft, b, opts); // throws 422 before mutating
  Object.assign(c, draft);
  c.dateUpdated = ctx.state.nowIso();
  ctx.state.touchSearchIndex(c.id, before);
}

// ---------------------------------------------------------------- contacts

function createContact(ctx: HandlerCtx): HandlerResult {
  const c = createContactRecord(ctx, bodyObj(ctx), !allowsDuplicates(ctx));
  return { status: 201, body: { contact: contactOut(c, { shape: 'create' }) } };
}

function allowsDuplicates(ctx: HandlerCtx): boolean {
  return ctx.state.locations.get(ctx.locationId)?.settings.allowDuplicateContact === true;
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

function matchesQuery(c: Contact, q: string): boolean {
  const hay = [c.firstName, c.lastName, c.name, [c.firstName, c.lastName].filter(Boolean).join(' '), c.email, c.phone, c.companyName];
  return hay.some((h) => typeof h === 'string' && h.toLowerCase().includes(q));
}

// ---------------------------------------------------------------- tags

function addTags(ctx: HandlerCtx): HandlerResult {
  const c = getContact(ctx, ctx.params['contactId'] ?? '');
  const tags = (bodyObj(ctx)['tags'] as unknown[]) ?? [];
  const before = structuredClone(c);
  c.tags = dedupeTags([...c.tags, ...tags]);
  ctx.state.ensureTags(ctx.locationId, c.tags);
  c.dateUpdated = ctx.state.nowIso();
  ctx.state.touchSearchIndex(c.id, before);
  // GHL also says which tags the call added (recorded: `[]` for a tag the contact had).
  const tagsAdded = c.tags.filter((t) => !before.tags.some((b) => b.toLowerCase() === t.toLowerCase()));
  return { status: 201, body: { tags: [...c.tags], tagsAdded } };
}

/** POST /contacts/bulk/business — spec `add-remove-contact-from-business`; `businessId: null` removes. */
function setContactsBusiness(ctx: HandlerCtx): HandlerResult {
  const body = bodyObj(ctx);
  const ids = ((body['ids'] as unknown[]) ?? []).filter((id): id is string => typeof id === 'string');
  const businessId = body['businessId'] === null ? null : String(body['businessId']);
  if (businessId !== null && !ctx.state.businesses.has(businessId)) throw badRequest(`Business with id ${businessId} not found`);
  const missing = ids.filter((id) => !ctx.state.contacts.has(id));
  if (missing.length) throw badRequest(`Contact with id ${missing[0]} not found`);
  for (const id of ids) {
    const c = getContact(ctx, id);
    const before = structuredClone(c);
    c.businessId = businessId;
    c.dateUpdated = ctx.state.nowIso();
    ctx.state.touchSearchIndex(c.id, before);
  }
  return { status: 200, body: { success: true, ids } };
}

function removeTags(ctx: HandlerCtx): HandlerResult {
  const c = getContact(ctx, ctx.params['contactId'] ?? '');
  const tags = ((bodyObj(ctx)['tags'] as unknown[]) ?? [])
    .filter((t): t is string => typeof t === 'string')
    .map((t) => t.trim().toLowerCase());
  const before = structuredClone(c);
  c.tags = c.tags.filter((t) => !tags.includes(t.toLowerCase()));
  c.dateUpdated = ctx.state.nowIso();
  ctx.state.touchSearchIndex(c.id, before);
  // GHL also says which tags the call removed (recorded: `[]` for a tag the contact did not have).
  const tagsRemoved = before.tags.filter((t) => !c.tags.includes(t));
  return { status: 200, body: { tags: [...c.tags], tagsRemoved } };
}

// ---------------------------------------------------------------- tasks

/**
 * A task as the contact task endpoints answer it: no dates besides `dueDate` (recorded; the spec's
 * TaskSchema has none either). The location task search keeps its dates (see taskSearch).
 */
export function taskOut(t: Task, opts: { withDates?: boolean } = {}): Obj {
  return {
    id: t.id,
    title: t.title,
    body: t.body,
    dueDate: t.dueDate,
    completed: t.completed,
    contactId: t.contactId,
    assignedTo: t.assignedTo,
    ...(opts.withDates ? { dateAdded: t.dateAdded, dateUpdated: t.dateUpdated } : {}),
  };
}

function getTask(ctx: HandlerCtx, contact: Contact): Task {
  const id = ctx.params['taskId'] ?? '';
  const t = ctx.state.tasks.get(id);
  if (!t || t.contactId !== contact.id) throw badRequest(`Task with id ${id} not found`);
  return t;
}

function normalizeDue(v: unknown): string {
  if (typeof v !== 'string') return String(v);
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? v : d.toISOString();
}

function listTasks(ctx: HandlerCtx): HandlerResult {
  const c = getContact(ctx, ctx.params['contactId'] ?? '');
  const tasks = [...ctx.state.tasks.values()]
    .filter((t) => t.contactId === c.id)
    .sort((a, b) => (a.dateAdded < b.dateAdded ? -1 : a.dateAdded > b.dateAdded ? 1 : 0));
  return { status: 200, body: { tasks: tasks.map((t) => taskOut(t)) } };
}

function createTask(ctx: HandlerCtx): HandlerResult {
  const c = getContact(ctx, ctx.params['contactId'] ?? '');
  const b = bodyObj(ctx);
  const now = ctx.state.nowIso();
  const t: Task = {
    id: ctx.state.newId(),
    locationId: c.locationId,
    contactId: c.id,
    title: String(b['title']),
    body: typeof b['body'] === 'string' ? b['body'] : undefined,
    dueDate: normalizeDue(b['dueDate']),
    completed: b['completed'] === true,
    assignedTo: typeof b['assignedTo'] === 'string' ? b['assignedTo'] : undefined,
    dateAdded: now,
    dateUpdated: now,
  };
  ctx.state.tasks.set(t.id, t);
  return { status: 201, body: { task: taskOut(t) } };
}

function getTaskOp(ctx: HandlerCtx): HandlerResult {
  const c = getContact(ctx, ctx.params['contactId'] ?? '');
  return { status: 200, body: { task: taskOut(getTask(ctx, c)) } };
}

function updateTask(ctx: HandlerCtx): HandlerResult {
  const c = getContact(ctx, ctx.params['contactId'] ?? '');
  const t = getTask(ctx, c);
  const b = bodyObj(ctx);
  if (typeof b['title'] === 'string') t.title = b['title'];
  if (typeof b['body'] === 'string') t.body = b['body'];
  if (b['dueDate'] !== undefined) t.dueDate = normalizeDue(b['dueDate']);
  if (typeof b['completed'] === 'boolean') t.completed = b['completed'];
  if (typeof b['assignedTo'] === 'string') t.assignedTo = b['assignedTo'];
  t.dateUpdated = ctx.state.nowIso();
  return { status: 200, body: { task: taskOut(t) } };
}

function completeTask(ctx: HandlerCtx): HandlerResult {
  const c = getContact(ctx, ctx.params['contactId'] ?? '');
  const t = getTask(ctx, c);
  t.completed = bodyObj(ctx)['completed'] === true;
  t.dateUpdated = ctx.state.nowIso();
  return { status: 200, body: { task: taskOut(t) } };
}

function deleteTask(ctx: HandlerCtx): HandlerResult {
  const c = getContact(ctx, ctx.params['contactId'] ?? '');
  const t = getTask(ctx, c);
  ctx.state.tasks.delete(t.id);
  return { status: 200, body: { succeded: true, succeeded: true } };
}

/**
 * POST /locations/:locationId/tasks/search. The spec gives no order for the results; the sandbox
 * ASSUMES newest first (dateAdded descending, then id). Output items are
 * `{ id, title, body, dueDate, completed, contactId, assignedTo, dateAdded, dateUpdated }`.
 */
function taskSearch(ctx: HandlerCtx): HandlerResult {
  const b = bodyObj(ctx);
  const contactIds = Array.isArray(b['contactId']) ? (b['contactId'] as string[]) : undefined;
  const assignedTo = Array.isArray(b['assignedTo']) ? (b['assignedTo'] as string[]) : undefined;
  const completed = typeof b['completed'] === 'boolean' ? b['completed'] : undefined;
  const query = typeof b['query'] === 'string' ? b['query'].toLowerCase() : '';
  const businessId = typeof b['businessId'] === 'string' ? b['businessId'] : undefined;
  const limit = typeof b['limit'] === 'number' ? b['limit'] : 25;
  const skip = typeof b['skip'] === 'number' ? b['skip'] : 0;
  const list = [...ctx.state.tasks.values()]
    .filter((t) => {
      if (t.locationId !== ctx.locationId) return false;
      if (contactIds && !contactIds.includes(t.contactId)) return false;
      if (assignedTo && !(t.assignedTo && assignedTo.includes(t.assignedTo))) return false;
      if (completed !== undefined && t.completed !== completed) return false;
      if (query && !`${t.title} ${t.body ?? ''}`.toLowerCase().includes(query)) return false;
      if (businessId && ctx.state.contacts.get(t.contactId)?.businessId !== businessId) return false;
      return true;
    })
    .sort((a, b2) => (a.dateAdded < b2.dateAdded ? 1 : a.dateAdded > b2.dateAdded ? -1 : a.id < b2.id ? 1 : a.id > b2.id ? -1 : 0));
  return { status: 200, body: { tasks: list.slice(skip, skip + limit).map((t) => taskOut(t, { withDates: true })) } };
}

// ---------------------------------------------------------------- notes

/** As recorded: `bodyText`, `userId: null` without an author, `pinned`, `relations`. */
function noteOut(n: Note): Obj {
  return {
    id: n.id,
    body: n.body,
    bodyText: n.body.replace(/<[^>]*>/g, ''),
    userId: n.userId ?? null,
    dateAdded: n.dateAdded,
    contactId: n.contactId,
    title: n.title,
    color: n.color,
    pinned: n.pinned ?? false,
    relations: [],
  };
}

function getNote(ctx: HandlerCtx, c: Contact): Note {
  const id = ctx.params['id'] ?? '';
  const n = ctx.state.notes.get(id);
  if (!n || n.contactId !== c.id) throw badRequest(`Note with id ${id} not found`);
  return n;
}

function listNotes(ctx: HandlerCtx): HandlerResult {
  const c = getContact(ctx, ctx.params['contactId'] ?? '');
  const notes = [...ctx.state.notes.values()]
    .filter((n) => n.contactId === c.id)
    .sort((a, b) => (a.dateAdded < b.dateAdded ? 1 : a.dateAdded > b.dateAdded ? -1 : 0));
  return { status: 200, body: { notes: notes.map(noteOut) } };
}

function createNote(ctx: HandlerCtx): HandlerResult {
  const c = getContact(ctx, ctx.params['contactId'] ?? '');
  const b = bodyObj(ctx);
  const now = ctx.state.nowIso();
  const n: Note = {
    id: ctx.state.newId(),
    contactId: c.id,
    body: String(b['body']),
    userId: typeof b['userId'] === 'string' ? b['userId'] : undefined,
    title: typeof b['title'] === 'string' ? b['title'] : undefined,
    color: typeof b['color'] === 'string' ? b['color'] : undefined,
    pinned: typeof b['pinned'] === 'boolean' ? b['pinned'] : undefined,
    dateAdded: now,
    dateUpdated: now,
  };
  ctx.state.notes.set(n.id, n);
  return { status: 201, body: { note: noteOut(n) } };
}

function getNoteOp(ctx: HandlerCtx): HandlerResult {
  const c = getContact(ctx, ctx.params['contactId'] ?? '');
  return { status: 200, body: { note: noteOut(getNote(ctx, c)) } };
}

function updateNote(ctx: HandlerCtx): HandlerResult {
  const c = getContact(ctx, ctx.params['contactId'] ?? '');
  const n = getNote(ctx, c);
  const b = bodyObj(ctx);
  for (const k of ['body', 'userId', 'title', 'color'] as const) if (typeof b[k] === 'string') n[k] = b[k] as string;
  if (typeof b['pinned'] === 'boolean') n.pinned = b['pinned'];
  n.dateUpdated = ctx.state.nowIso();
  return { status: 200, body: { note: noteOut(n) } };
}

function deleteNote(ctx: HandlerCtx): HandlerResult {
  const c = getContact(ctx, ctx.params['contactId'] ?? '');
  const n = getNote(ctx, c);
  ctx.state.notes.delete(n.id);
  return { status: 200, body: { succeded: true, succeeded: true } };
}

// ---------------------------------------------------------------- appointments

/** Contact appointments use the spec example format `yyyy-MM-dd HH:mm:ss` in the location's timezone. */
function contactEventOut(ctx: HandlerCtx, a: Appointment): Obj {
  const tz = ctx.state.locations.get(a.locationId)?.timezone ?? 'UTC';
  const fmt = (iso: string) => DateTime.fromISO(iso, { setZone: true }).setZone(tz).toFormat('yyyy-MM-dd HH:mm:ss');
  return {
    id: a.id,
    calendarId: a.calendarId,
    status: a.status,
    title: a.title,
    assignedUserId: a.assignedUserId,
    notes: a.notes,
    startTime: fmt(a.startTime),
    endTime: fmt(a.endTime),
    address: a.address,
    locationId: a.locationId,
    contactId: a.contactId,
    groupId: a.groupId,
    appointmentStatus: a.appointmentStatus,
    users: [...a.users],
    dateAdded: fmt(a.dateAdded),
    dateUpdated: fmt(a.dateUpdated),
    assignedResources: [...a.assignedResources],
  };
}

function contactAppointments(ctx: HandlerCtx): HandlerResult {
  const c = getContact(ctx, ctx.params['contactId'] ?? '');
  const events = [...ctx.state.appointments.values()]
    .filter((a) => a.contactId === c.id)
    .sort((a, b) => (a.startTime < b.startTime ? -1 : 1));
  return { status: 200, body: { events: events.map((a) => contactEventOut(ctx, a)) } };
}

function getAppointment(ctx: HandlerCtx): HandlerResult {
  const id = ctx.params['eventId'] ?? '';
  const a = ctx.state.appointments.get(id);
  if (!a || a.locationId !== ctx.locationId) throw badRequest(`Appointment with id ${id} not found`);
  return {
    status: 200,
    body: {
      event: {
        id: a.id,
        address: a.address,
        title: a.title,
        calendarId: a.calendarId,
        locationId: a.locationId,
        contactId: a.contactId,
        groupId: a.groupId,
        appointmentStatus: a.appointmentStatus,
        assignedUserId: a.assignedUserId,
        users: [...a.users],
        notes: a.notes,
        isRecurring: false,
        startTime: a.startTime,
        endTime: a.endTime,
        dateAdded: a.dateAdded,
        dateUpdated: a.dateUpdated,
        assignedResources: [...a.assignedResources],
      },
    },
  };
}

// ---------------------------------------------------------------- locations, users, businesses

const PERMISSION_KEYS = [
  'dashboardStatsEnabled',
  'funnelsEnabled',
  'phoneCallEnabled',
  'formsEnabled',
  'quizzesEnabled',
  'textToPayEnabled',
  'gmbMessagingEnabled',
  'htmlBuilderEnabled',
  'contactsEnabled',
  'tagsEnabled',
  'botServiceEnabled',
  'websitesEnabled',
  'appointmentsEnabled',
  'proposalsEnabled',
  'qrCodesEnabled',
  'webChatEnabled',
  'facebookMessengerEnabled',
  'launchpadEnabled',
  'affiliateManagerEnabled',
  'gmbCallTrackingEnabled',
  'marketingEnabled',
  'emailBuilderEnabled',
  'attributionsReportingEnabled',
  'triggerLinksEnabled',
  'membershipEnabled',
  'settingsEnabled',
  'surveysEnabled',
  'opportunitiesEnabled',
  'reviewsEnabled',
  'smsEmailTemplatesEnabled',
  'facebookAdsReportingEnabled',
  'adManagerEnabled',
  'bloggingEnabled',
  'workflowsEnabled',
  'campaignsEnabled',
  'conversationsEnabled',
  'adwordsReportingEnabled',
  'bulkRequestsEnabled',
  'agentReportingEnabled',
  'triggersEnabled',
];

const SOCIAL_KEYS = [
  'facebookUrl',
  'googlePlus',
  'linkedIn',
  'foursquare',
  'twitter',
  'yelp',
  'instagram',
  'youtube',
  'pinterest',
  'blogRss',
  'googlePlacesId',
];

function getLocation(ctx: HandlerCtx): HandlerResult {
  const id = ctx.params['locationId'] ?? '';
  const loc = ctx.state.locations.get(id);
  if (!loc) throw badRequest(`Location with id ${id} not found`);
  const l = structuredClone(loc);
  // Keys every recorded location answer has (fixtures/ghl-recordings/get-location.json), with neutral values.
  const location = {
    brandId: `brand-${l.companyId}`,
    logoUrl: '',
    automaticMobileAppInvite: false,
    dateAdded: '2026-01-05T14:00:00.000Z',
    domain: '',
    currency: '',
    isAgencySubAccount: false,
    defaultEmailService: '',
    permissions: Object.fromEntries(PERMISSION_KEYS.map((k) => [k, true])),
    snapshotId: '',
    ...l,
    business: { email: l.email, ...l.business },
    social: { ...Object.fromEntries(SOCIAL_KEYS.map((k) => [k, ''])), ...l.social },
    settings: {
      contactUniqueIdentifiers: ['email', 'phone'],
      crmSettings: { deSyncOwners: true, syncFollowers: { contact: true, opportunity: true } },
      saasSettings: { saasMode: 'not_activated', twilioRebilling: { markup: 10, enabled: false } },
      ...l.settings,
    },
  };
  return { status: 200, body: { location } };
}

function locationTags(ctx: HandlerCtx): HandlerResult {
  const tags = [...ctx.state.tags.values()].filter((t) => t.locationId === ctx.params['locationId']);
  return { status: 200, body: { tags: tags.map((t) => ({ ...t })) } };
}

function locationCustomFields(ctx: HandlerCtx): HandlerResult {
  const model = q1(ctx, 'model') ?? 'all';
  const fields = ctx.state.customFieldsOf(ctx.params['locationId'] ?? '').filter((f) => model === 'all' || f.model === model);
  // As recorded: every field also carries documentType, parentId (its folder), standard and dateAdded.
  const out = fields.map((f) => ({
    documentType: 'field',
    parentId: `folder-${f.locationId}`,
    standard: false,
    dateAdded: '2026-01-05T14:00:00.000Z',
    ...structuredClone(f),
  }));
  return { status: 200, body: { customFields: out } };
}

function usersOut(ctx: HandlerCtx, locationId: string | undefined): Obj[] {
  return [...ctx.state.users.values()]
    .filter((u) => !u.deleted && u.companyId === ctx.companyId && (!locationId || u.roles.locationIds.includes(locationId)))
    .map((u) => structuredClone(u) as unknown as Obj);
}

function usersByLocation(ctx: HandlerCtx): HandlerResult {
  return { status: 200, body: { users: usersOut(ctx, q1(ctx, 'locationId')) } };
}

function searchUsers(ctx: HandlerCtx): HandlerResult {
  if (q1(ctx, 'companyId') !== ctx.companyId) {
    throw new HttpError(403, { statusCode: 403, message: 'The token does not have access to this company.' });
  }
  const query = (q1(ctx, 'query') ?? '').toLowerCase();
  const skip = parseInt(q1(ctx, 'skip') ?? '0', 10) || 0;
  const limit = parseInt(q1(ctx, 'limit') ?? '25', 10) || 25;
  const users = usersOut(ctx, q1(ctx, 'locationId')).filter(
    (u) => !query || `${String(u['name'])} ${String(u['email'])}`.toLowerCase().includes(query),
  );
  return { status: 200, body: { users: users.slice(skip, skip + limit), count: users.length } };
}

function businessesByLocation(ctx: HandlerCtx): HandlerResult {
  const skip = parseInt(q1(ctx, 'skip') ?? '0', 10) || 0;
  const limit = parseInt(q1(ctx, 'limit') ?? '100', 10) || 100;
  const list = [...ctx.state.businesses.values()].filter((b) => b.locationId === q1(ctx, 'locationId'));
  return { status: 200, body: { businesses: list.slice(skip, skip + limit).map((b) => ({ ...b })) } };
}

function getBusiness(ctx: HandlerCtx): HandlerResult {
  const id = ctx.params['businessId'] ?? '';
  const b = ctx.state.businesses.get(id);
  if (!b || b.locationId !== ctx.locationId) throw badRequest(`Business with id ${id} not found`);
  return { status: 200, body: { business: { ...b } } };
}

// ---------------------------------------------------------------- search (§2.21)

const SEARCH_KEYS = ['locationId', 'pageLimit', 'page', 'searchAfter', 'query', 'filters', 'sort'];
const SORT_FIELDS = ['dateAdded', 'dateUpdated', 'firstNameLowerCase', 'lastNameLowerCase'];
const OPERATORS = ['eq', 'not_eq', 'contains', 'not_contains', 'exists', 'not_exists', 'range'];
const STRING_FIELDS = [
  'id',
  'email',
  'phone',
  'firstNameLowerCase',
  'lastNameLowerCase',
  'fullNameLowerCase',
  'firstName',
  'lastName',
  'companyName',
  'assignedTo',
  'businessId',
  'source',
  'type',
  'city',
  'state',
  'country',
  'postalCode',
  'address1',
  'website',
  'timezone',
  'dateOfBirth',
];
const DATE_FIELDS = ['dateAdded', 'dateUpdated'];

type Getter = (c: Contact) => unknown;

function fieldGetter(ctx: HandlerCtx, field: string): Getter | undefined {
  if (DATE_FIELDS.includes(field)) return (c) => Date.parse(field === 'dateAdded' ? c.dateAdded : c.dateUpdated);
  if (field === 'tags') return (c) => c.tags;
  if (field === 'followers') return (c) => c.followers;
  if (field === 'dnd') return (c) => c.dnd;
  if (field.startsWith('customFields.') || field.startsWith('customField.')) {
    const ref = field.slice(field.indexOf('.') + 1);
    const def = ctx.state.customFieldsOf(ctx.locationId).find((d) => d.id === ref || d.fieldKey === ref || d.fieldKey === `contact.${ref}`);
    if (!def) return undefined;
    return (c) => c.customFields.find((f) => f.id === def.id)?.value;
  }
  if (STRING_FIELDS.includes(field)) {
    return (c) => {
      const o = contactOut(c);
      return o[field];
    };
  }
  return undefined;
}

const norm = (v: unknown): unknown => (typeof v === 'string' ? v.toLowerCase() : v);

function toComparable(v: unknown, isDate: boolean): number | string | undefined {
  if (v === undefined || v === null) return undefined;
  if (isDate) {
    if (typeof v === 'number') return v;
    const t = Date.parse(String(v));
    return Number.isNaN(t) ? undefined : t;
  }
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return typeof v === 'string' ? v.toLowerCase() : undefined;
}

function isEmptyVal(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

type Pred = (c: Contact) => boolean;

function compileFilters(ctx: HandlerCtx, filters: unknown, path: string, msgs: string[]): Pred {
  if (!Array.isArray(filters)) {
    msgs.push(`${path} must be an array`);
    return () => true;
  }
  const preds = filters.map((f, i) => compileFilter(ctx, f, `${path}.${i}`, msgs));
  return (c) => preds.every((p) => p(c));
}

function compileFilter(ctx: HandlerCtx, f: unknown, path: string, msgs: string[]): Pred {
  if (!isObj(f)) {
    msgs.push(`${path} must be an object`);
    return () => true;
  }
  if ('group' in f) {
    const group = f['group'];
    if (group !== 'AND' && group !== 'OR') {
      msgs.push(`${path}.group must be one of the following values: AND, OR`);
      return () => true;
    }
    if (!Array.isArray(f['filters'])) {
      msgs.push(`${path}.filters must be an array`);
      return () => true;
    }
    const preds = (f['filters'] as unknown[]).map((g, i) => compileFilter(ctx, g, `${path}.filters.${i}`, msgs));
    return group === 'AND' ? (c) => preds.every((p) => p(c)) : (c) => preds.some((p) => p(c));
  }
  const field = f['field'];
  const operator = f['operator'];
  const value = f['value'];
  if (typeof field !== 'string' || !field) {
    msgs.push(`${path}.field should not be empty`);
    return () => true;
  }
  if (typeof operator !== 'string' || !OPERATORS.includes(operator)) {
    msgs.push(`${path}.operator must be one of the following values: ${OPERATORS.join(', ')}`);
    return () => true;
  }
  const get = fieldGetter(ctx, field);
  if (!get) {
    msgs.push(`${path}.field ${field} is not supported`);
    return () => true;
  }
  const isDate = DATE_FIELDS.includes(field);
  const eq = (actual: unknown, expected: unknown): boolean => {
    if (Array.isArray(expected)) return expected.some((e) => eq(actual, e));
    if (Array.isArray(actual)) return actual.some((a) => eq(a, expected));
    if (isDate) return toComparable(actual, true) === toComparable(expected, true);
    if (typeof actual === 'boolean' || typeof expected === 'boolean') return String(actual) === String(expected);
    if (typeof actual === 'number' || typeof expected === 'number') return Number(actual) === Number(expected);
    return norm(actual) === norm(expected);
  };
  const contains = (actual: unknown, expected: unknown): boolean => {
    if (Array.isArray(expected)) return expected.some((e) => contains(actual, e));
    if (Array.isArray(actual)) return actual.some((a) => eq(a, expected)); // array field: has element
    if (typeof actual !== 'string' || (typeof expected !== 'string' && typeof expected !== 'number')) return false;
    return actual.toLowerCase().includes(String(expected).toLowerCase());
  };
  switch (operator) {
    case 'eq':
      return (c) => eq(get(c), value);
    case 'not_eq':
      return (c) => !eq(get(c), value);
    case 'contains':
      return (c) => contains(get(c), value);
    case 'not_contains':
      return (c) => !contains(get(c), value);
    case 'exists':
      return (c) => !isEmptyVal(get(c));
    case 'not_exists':
      return (c) => isEmptyVal(get(c));
    case 'range': {
      if (!isObj(value) || !['gte', 'gt', 'lte', 'lt'].some((k) => k in value)) {
        msgs.push(`${path}.value must be an object with gte, gt, lte or lt`);
        return () => true;
      }
      const b = {
        gte: toComparable(value['gte'], isDate),
        gt: toComparable(value['gt'], isDate),
        lte: toComparable(value['lte'], isDate),
        lt: toComparable(value['lt'], isDate),
      };
      return (c) => {
        const a = toComparable(get(c), isDate);
        if (a === undefined) return false;
        if (b.gte !== undefined && !(a >= b.gte)) return false;
        if (b.gt !== undefined && !(a > b.gt)) return false;
        if (b.lte !== undefined && !(a <= b.lte)) return false;
        if (b.lt !== undefined && !(a < b.lt)) return false;
        return true;
      };
    }
  }
  return () => true;
}

function searchContacts(ctx: HandlerCtx): HandlerResult {
  const b = bodyObj(ctx);
  const msgs: string[] = [];
  for (const k of Object.keys(b)) if (!SEARCH_KEYS.includes(k)) msgs.push(`property ${k} should not exist`);
  if (typeof b['locationId'] !== 'string' || !b['locationId']) msgs.push('locationId should not be empty');
  const pageLimit = b['pageLimit'];
  if (typeof pageLimit !== 'number' || !Number.isFinite(pageLimit))
    msgs.push('pageLimit must be a number conforming to the specified constraints');
  else if (pageLimit > 500) msgs.push('pageLimit must not be greater than 500');
  else if (pageLimit < 1) msgs.push('pageLimit must not be less than 1');
  const page = b['page'];
  if (page !== undefined && (typeof page !== 'number' || !Number.isInteger(page) || page < 1)) msgs.push('page must not be less than 1');
  const searchAfter = b['searchAfter'];
  if (searchAfter !== undefined && !Array.isArray(searchAfter)) msgs.push('searchAfter must be an array');
  if (page !== undefined && searchAfter !== undefined) msgs.push('page and searchAfter cannot be used together');
  const query = b['query'];
  if (query !== undefined && typeof query !== 'string') msgs.push('query must be a string');
  else if (typeof query === 'string' && query.length > 75) msgs.push('query must be shorter than or equal to 75 characters');
  const pred = b['filters'] === undefined ? () => true : compileFilters(ctx, b['filters'], 'filters', msgs);
  let sort: { field: string; direction: 'asc' | 'desc' }[] = [{ field: 'dateAdded', direction: 'desc' }];
  if (b['sort'] !== undefined) {
    if (!Array.isArray(b['sort'])) msgs.push('sort must be an array');
    else {
      sort = [];
      (b['sort'] as unknown[]).forEach((s, i) => {
        if (!isObj(s) || typeof s['field'] !== 'string' || !SORT_FIELDS.includes(s['field'])) {
          msgs.push(`sort.${i}.field must be one of the following values: ${SORT_FIELDS.join(', ')}`);
          return;
        }
        const dir = s['direction'] ?? 'desc';
        if (dir !== 'asc' && dir !== 'desc') {
          msgs.push(`sort.${i}.direction must be one of the following values: asc, desc`);
          return;
        }
        sort.push({ field: s['field'], direction: dir });
      });
      if (sort.length === 0) sort = [{ field: 'dateAdded', direction: 'desc' }];
    }
  }
  if (typeof pageLimit === 'number' && typeof page === 'number' && page * pageLimit > 10_000) {
    msgs.push('page * pageLimit must not exceed 10000; use searchAfter to go further');
  }
  if (msgs.length) throw unprocessable([...new Set(msgs)]);
  if (b['locationId'] !== ctx.locationId) {
    throw new HttpError(403, { statusCode: 403, message: 'The token does not have access to this location.' });
  }
  const q = typeof query === 'string' ? query.trim().toLowerCase() : '';
  const sortVal = (c: Contact, field: string): number | string => {
    if (field === 'dateAdded') return Date.parse(c.dateAdded);
    if (field === 'dateUpdated') return Date.parse(c.dateUpdated);
    if (field === 'firstNameLowerCase') return (c.firstName ?? '').toLowerCase();
    return (c.lastName ?? '').toLowerCase();
  };
  const cmpVals = (a: (number | string)[], bb: (number | string)[]): number => {
    for (let i = 0; i < sort.length; i++) {
      const x = a[i];
      const y = bb[i];
      if (x === y || x === undefined || y === undefined) continue;
      const r = x < y ? -1 : 1;
      return sort[i]!.direction === 'asc' ? r : -r;
    }
    const xi = String(a[sort.length] ?? '');
    const yi = String(bb[sort.length] ?? '');
    return xi < yi ? -1 : xi > yi ? 1 : 0;
  };
  const rows: { c: Contact; key: (number | string)[] }[] = [];
  for (const live of ctx.state.contacts.values()) {
    if (live.locationId !== ctx.locationId) continue;
    const c = ctx.state.searchVersion(live);
    if (!c) continue;
    if (q && !matchesQuery(c, q)) continue;
    if (!pred(c)) continue;
    rows.push({ c, key: [...sort.map((s) => sortVal(c, s.field)), c.id] });
  }
  rows.sort((x, y) => cmpVals(x.key, y.key));
  const total = rows.length;
  const limit = pageLimit as number;
  let pageRows: typeof rows;
  if (Array.isArray(searchAfter)) {
    const after = searchAfter.map((v, i) => {
      const f = sort[i]?.field;
      if (f && DATE_FIELDS.includes(f) && typeof v === 'string') return Date.parse(v);
      return v as number | string;
    });
    const start = rows.findIndex((r) => cmpVals(r.key, after) > 0);
    pageRows = start < 0 ? [] : rows.slice(start, start + limit);
  } else {
    const p = typeof page === 'number' ? page : 1;
    pageRows = rows.slice((p - 1) * limit, p * limit);
  }
  return {
    status: 200,
    body: { contacts: pageRows.map((r) => ({ ...searchOut(ctx, r.c), searchAfter: r.key })), total },
  };
}

// ---------------------------------------------------------------- registry

export const HANDLERS: Record<string, (ctx: HandlerCtx) => HandlerResult> = {
  'contacts:get-contacts': getContacts,
  'contacts:create-contact': createContact,
  'contacts:get-contact': getContactOp,
  'contacts:update-contact': updateContact,
  'contacts:delete-contact': deleteContact,
  'contacts:upsert-contact': upsertContact,
  'contacts:search-contacts-advanced': searchContacts,
  'contacts:get-duplicate-contact': duplicateContact,
  'contacts:get-contacts-by-businessId': getContactsByBusiness,
  'contacts:add-tags': addTags,
  'contacts:remove-tags': removeTags,
  'contacts:add-remove-contact-from-business': setContactsBusiness,
  'contacts:get-all-tasks': listTasks,
  'contacts:create-task': createTask,
  'contacts:get-task': getTaskOp,
  'contacts:update-task': updateTask,
  'contacts:delete-task': deleteTask,
  'contacts:update-task-completed': completeTask,
  'contacts:get-all-notes': listNotes,
  'contacts:create-note': createNote,
  'contacts:get-note': getNoteOp,
  'contacts:update-note': updateNote,
  'contacts:delete-note': deleteNote,
  'contacts:get-appointments-for-contact': contactAppointments,
  'calendars:get-appointment': getAppointment,
  'locations:get-location': getLocation,
  'locations:get-location-tags': locationTags,
  'locations:get-custom-fields': locationCustomFields,
  'locations:task-search': taskSearch,
  'users:get-user-by-location': usersByLocation,
  'users:search-users': searchUsers,
  'businesses:get-businesses-by-location': businessesByLocation,
  'businesses:get-business': getBusiness,
  ...automationHandlers((status, body) => new HttpError(status, body), { upsertContact }),
  ...businessHandlers((status, body) => new HttpError(status, body)),
};
