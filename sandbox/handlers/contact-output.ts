/**
 * A contact as GHL's answers show it: the keys differ per endpoint (see ContactShape).
 */
import type { Contact } from '../state/records.js';
import type { HandlerCtx, Obj } from './context.js';

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
export function searchOut(ctx: HandlerCtx, c: Contact): Obj {
  return contactOut(c, { shape: 'search', businessName: c.businessId ? (ctx.state.businesses.get(c.businessId)?.name ?? null) : null });
}
