/**
 * Businesses (businesses.json): the reads (`get-businesses-by-location`, `get-business`), the writes
 * (issue 21: `create-business` `POST /businesses/`, `update-business` `PUT /businesses/{businessId}`,
 * `delete-Business` `DELETE /businesses/{businessId}`) and contacts.json's
 * `add-remove-contact-from-business` (`POST /contacts/bulk/business`).
 *
 * Write shapes follow the spec: create answers 201 and update 200 with `{ success, buiseness }`
 * (GHL's spelling, `UpdateBusinessResponseDto`), delete 200 `{ success: true }`. Behaviour the spec
 * does not document (sandbox assumptions, see sandbox/README.md):
 * - an unknown id, or one of another location → 400 "Business with id … not found" (as get-business);
 * - names need not be unique: a second create with the same name makes a second business;
 * - deleting a business leaves its contacts without one (`businessId: null`).
 */
import type { Business } from '../state/records.js';
import { badRequest } from '../http/errors.js';
import { getContact } from './contact-records.js';
import { bodyObj, q1, type Handler, type HandlerCtx, type HandlerResult } from './context.js';

/** The business named by the path, or 400 as GHL (also for another location's). */
const existing = (ctx: HandlerCtx): Business => {
  const id = ctx.params['businessId'] ?? '';
  const b = ctx.state.businesses.get(id);
  if (!b || b.locationId !== ctx.locationId) throw badRequest(`Business with id ${id} not found`);
  return b;
};

function businessesByLocation(ctx: HandlerCtx): HandlerResult {
  const skip = parseInt(q1(ctx, 'skip') ?? '0', 10) || 0;
  const limit = parseInt(q1(ctx, 'limit') ?? '100', 10) || 100;
  const list = [...ctx.state.businesses.values()].filter((b) => b.locationId === q1(ctx, 'locationId'));
  return { status: 200, body: { businesses: list.slice(skip, skip + limit).map((b) => ({ ...b })) } };
}

function getBusiness(ctx: HandlerCtx): HandlerResult {
  return { status: 200, body: { business: { ...existing(ctx) } } };
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

const FIELDS = ['name', 'phone', 'email', 'website', 'address', 'city', 'state', 'postalCode', 'country', 'description'] as const;

/** Every business answer carries GHL's createdBy/updatedBy objects (their content is undocumented). */
const out = (b: Business) => ({ ...b, createdBy: {}, updatedBy: {} });

const apply = (b: Business, body: Record<string, unknown>) => {
  for (const k of FIELDS) if (typeof body[k] === 'string') (b as unknown as Record<string, unknown>)[k] = body[k];
};

export const BUSINESS_HANDLERS: Record<string, Handler> = {
  'contacts:add-remove-contact-from-business': setContactsBusiness,
  'businesses:get-businesses-by-location': businessesByLocation,
  'businesses:get-business': getBusiness,
  'businesses:create-business': (ctx) => {
    const body = bodyObj(ctx);
    const now = ctx.state.nowIso();
    const b: Business = { id: ctx.state.newId(), name: '', locationId: String(body['locationId']), createdAt: now, updatedAt: now };
    apply(b, body);
    ctx.state.businesses.set(b.id, b);
    return { status: 201, body: { success: true, buiseness: out(b) } };
  },
  'businesses:update-business': (ctx) => {
    const b = existing(ctx);
    apply(b, bodyObj(ctx));
    b.updatedAt = ctx.state.nowIso();
    return { status: 200, body: { success: true, buiseness: out(b) } };
  },
  'businesses:delete-Business': (ctx) => {
    const b = existing(ctx);
    ctx.state.businesses.delete(b.id);
    for (const c of ctx.state.contacts.values()) if (c.businessId === b.id) c.businessId = null;
    return { status: 200, body: { success: true } };
  },
};
