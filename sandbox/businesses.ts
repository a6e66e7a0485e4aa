/**
 * Sandbox handlers for GHL's business writes (issue 21): businesses.json `create-business`
 * (`POST /businesses/`), `update-business` (`PUT /businesses/{businessId}`) and `delete-Business`
 * (`DELETE /businesses/{businessId}`), registered from the HANDLERS table in handlers.ts. The reads
 * (`get-businesses-by-location`, `get-business`) stay in handlers.ts.
 *
 * Shapes follow the spec: create answers 201 and update 200 with `{ success, buiseness }` (GHL's
 * spelling, `UpdateBusinessResponseDto`), delete 200 `{ success: true }`. Behaviour the spec does
 * not document (sandbox assumptions, see sandbox/README.md):
 * - an unknown id, or one of another location → 400 "Business with id … not found" (as get-business);
 * - names need not be unique: a second create with the same name makes a second business;
 * - deleting a business leaves its contacts without one (`businessId: null`).
 */
import type { HandlerCtx, HandlerResult } from './handlers.js';
import type { Business } from './state.js';

type ErrorMaker = (status: number, body: Record<string, unknown>) => Error;
type Handler = (ctx: HandlerCtx) => HandlerResult;

const FIELDS = ['name', 'phone', 'email', 'website', 'address', 'city', 'state', 'postalCode', 'country', 'description'] as const;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every business answer carries GHL's createdBy/updatedBy objects (their content is undocumented). */
const out = (b: Business) => ({ ...b, createdBy: {}, updatedBy: {} });

/** handlers.ts passes its HttpError in, so this file needs no runtime import of handlers.ts (no import cycle). */
export const businessHandlers = (makeError: ErrorMaker): Record<string, Handler> => {
  const notFound = (id: string) => makeError(400, { statusCode: 400, message: `Business with id ${id} not found` });
  const existing = (ctx: HandlerCtx): Business => {
    const id = ctx.params['businessId'] ?? '';
    const b = ctx.state.businesses.get(id);
    if (!b || b.locationId !== ctx.locationId) throw notFound(id);
    return b;
  };
  const apply = (b: Business, body: Record<string, unknown>) => {
    for (const k of FIELDS) if (typeof body[k] === 'string') (b as unknown as Record<string, unknown>)[k] = body[k];
  };

  return {
    'businesses:create-business': (ctx) => {
      const body = isObj(ctx.body) ? ctx.body : {};
      const now = ctx.state.nowIso();
      const b: Business = { id: ctx.state.newId(), name: '', locationId: String(body['locationId']), createdAt: now, updatedAt: now };
      apply(b, body);
      ctx.state.businesses.set(b.id, b);
      return { status: 201, body: { success: true, buiseness: out(b) } };
    },
    'businesses:update-business': (ctx) => {
      const b = existing(ctx);
      apply(b, isObj(ctx.body) ? ctx.body : {});
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
};

/** operationIds for IMPLEMENTED in sandbox/spec.ts. */
export const BUSINESS_WRITES_IMPLEMENTED = ['create-business', 'update-business', 'delete-Business'];
