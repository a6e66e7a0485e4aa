/**
 * Reading and writing contact records for the contact handlers: the fields a body may set, custom
 * field values, the duplicate rules and the search-index bookkeeping of every change.
 * Section numbers (§) refer to docs/ghl-api.md.
 */
import type { Contact, CustomFieldValue } from '../state/records.js';
import { badRequest, HttpError, unprocessable } from '../http/errors.js';
import { isObj, type HandlerCtx, type Obj } from './context.js';

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

export function getContact(ctx: HandlerCtx, id: string): Contact {
  const c = ctx.state.contacts.get(id);
  if (!c || c.locationId !== ctx.locationId) throw badRequest(`Contact with id ${id} not found`);
  return c;
}

/** The contact named by the path (`:contactId`), or 400 as GHL. */
export const contactOfPath = (ctx: HandlerCtx): Contact => getContact(ctx, ctx.params['contactId'] ?? '');

export function dedupeTags(tags: unknown[]): string[] {
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

export function findDuplicate(
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

export function contactDisplayName(c: Contact): string {
  return c.name ?? ([c.firstName, c.lastName].filter(Boolean).join(' ') || c.email || c.phone || '');
}

export function duplicateError(d: { contact: Contact; field: 'email' | 'phone' }): HttpError {
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

export function createContactRecord(ctx: HandlerCtx, b: Obj, checkDuplicates: boolean): Contact {
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

export function updateContactRecord(ctx: HandlerCtx, c: Contact, b: Obj, opts: { ignore?: string[] } = {}): void {
  const before = structuredClone(c);
  const draft = structuredClone(c);
  applyFields(ctx, draft, b, opts); // throws 422 before mutating
  Object.assign(c, draft);
  c.dateUpdated = ctx.state.nowIso();
  ctx.state.touchSearchIndex(c.id, before);
}

export function allowsDuplicates(ctx: HandlerCtx): boolean {
  return ctx.state.locations.get(ctx.locationId)?.settings.allowDuplicateContact === true;
}

export function matchesQuery(c: Contact, q: string): boolean {
  const hay = [c.firstName, c.lastName, c.name, [c.firstName, c.lastName].filter(Boolean).join(' '), c.email, c.phone, c.companyName];
  return hay.some((h) => typeof h === 'string' && h.toLowerCase().includes(q));
}

/** Changes a contact in place: a new `dateUpdated` and the search index told of the change. */
export function touchContact(ctx: HandlerCtx, c: Contact, change: () => void): void {
  const before = structuredClone(c);
  change();
  c.dateUpdated = ctx.state.nowIso();
  ctx.state.touchSearchIndex(c.id, before);
}
