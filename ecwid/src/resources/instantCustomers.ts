import type { Trigger } from 'zapier-platform-core';
import type { EcwidCustomer, EcwidDeletedItem, EcwidPage } from '../ecwid-types.js';
import { path, type EcwidClient } from '../http/ecwid.js';
import { subscribeToRelay, unsubscribeFromRelay } from '../http/relay.js';
import { hookTrigger, type HookEvent } from '../operations/hook.js';
import type { OperationContext } from '../operations/define.js';
import { PAGE_SIZE } from '../config.js';
import { newCustomer, newOrUpdatedCustomer } from './customers.js';
import { deletedCustomer } from './deletedCustomers.js';
import { isoDate, toCustomer } from './shape.js';

/**
 * Instant twins of New Customer, New or Updated Customer and Deleted Customer: Ecwid's
 * `customer.created`, `customer.updated` and `customer.deleted` webhooks, forwarded per store by
 * our relay (docs/ecwid-instant.md). Same output as the polling twin; `performList` is the twin.
 *
 * Ecwid signs only `eventCreated` and `eventId` (the relay checks that signature and refuses
 * replays), not `storeId`, `entityId`, `eventType` or `data`. So a webhook is a hint, never data:
 * - another store's event (or another type) is dropped;
 * - created/updated: the customer is read with the connection's own token, and must have been
 *   registered (created) or last changed (updated) at the signed event time or later
 *   (± EVENT_SKEW_S): a body whose entityId was swapped for a customer who did not change then
 *   is dropped; the item is the customer as Ecwid has it now;
 * - deleted: the customer must be gone (404) *and* in Ecwid's deleted history around the event
 *   time; a deletion event for a customer who exists, or who never existed, is dropped.
 * Every drop is logged (Zapier's log: event id and reason, no customer data) and counted.
 */

const INSTANT_NOTE =
  'Instant: Ecwid sends the change to our webhook relay and the Zap starts within seconds. Needs the relay (set up once by the app owner); the polling trigger of the same name needs no setup and runs every 1–15 minutes.';

/** How far Ecwid's own dates may sit from the signed event time (clock and rounding). */
export const EVENT_SKEW_S = 600;

/** Drops by reason since the process started (tests and the demo read them; Zapier's log has each). */
export const droppedEvents: Record<string, number> = {};

type Ctx = OperationContext<Record<string, never>>;
type Item = Record<string, unknown> & { id: string };

interface Checked {
  eventId: string;
  eventCreated: number;
  customerId: string;
}

const drop = (ctx: Ctx, e: HookEvent, reason: string): Item[] => {
  droppedEvents[reason] = (droppedEvents[reason] ?? 0) + 1;
  ctx.z.console.log(`Ecwid event ${String(e.eventId ?? '?')} (${String(e.eventType ?? '?')}) dropped: ${reason}`);
  return [];
};

/** The parts of the body the trigger uses, checked; undefined = drop with `reason`. */
const check = (api: EcwidClient, e: HookEvent, eventType: string): Checked | string => {
  if (e.eventType !== eventType) return 'other event type';
  if (String(e.storeId ?? '') !== api.storeId) return 'event of another store';
  const customerId = typeof e.entityId === 'number' || typeof e.entityId === 'string' ? String(e.entityId) : '';
  if (!/^\d{1,20}$/.test(customerId) || customerId === '0') return 'no valid customer id';
  if (typeof e.eventCreated !== 'number' || !Number.isFinite(e.eventCreated)) return 'no event time';
  if (typeof e.eventId !== 'string' || !e.eventId) return 'no event id';
  return { eventId: e.eventId, eventCreated: e.eventCreated, customerId };
};

const seconds = (ecwidDate: unknown): number => {
  const iso = isoDate(ecwidDate);
  return iso ? Date.parse(iso) / 1000 : Number.NaN;
};

const readCustomer = (api: EcwidClient, id: string) => api.get<EcwidCustomer>(path`/customers/${id}`, undefined, { allow404: true });

/** The change id of New or Updated Customer (customers.ts): one Zap run per change. */
const changeId = (c: ReturnType<typeof toCustomer>) => `${c.customerId}:${c.updatedAt ?? c.registeredAt ?? ''}`;

/** The customer's entry in Ecwid's deleted history around the event time (usually one page). */
const findDeletion = async (api: EcwidClient, ok: Checked): Promise<EcwidDeletedItem | undefined> => {
  const window = { from_date: Math.floor(ok.eventCreated - EVENT_SKEW_S), to_date: Math.floor(ok.eventCreated + EVENT_SKEW_S) };
  for (let offset = 0, pages = 0; pages < MAX_DELETED_PAGES; pages++, offset += PAGE_SIZE) {
    const page = await api.get<EcwidPage<EcwidDeletedItem>>(path`/customers/deleted`, {
      ...window,
      ...(offset ? { offset } : {}),
      limit: PAGE_SIZE,
    });
    const items = page?.items ?? [];
    const item = items.find((i) => !!i && String(i.id) === ok.customerId);
    if (item) return item;
    if (items.length < PAGE_SIZE || offset + items.length >= Number(page?.total ?? 0)) return undefined;
  }
  return undefined;
};

/** Deletions within ±EVENT_SKEW_S of one event rarely fill a page; a mass deletion is read this far. */
const MAX_DELETED_PAGES = 5;

const twinOp = (t: Trigger) => (t as unknown as { operation: { outputFields: never; sample: Record<string, unknown> } }).operation;

export const newCustomerInstant = hookTrigger({
  key: 'new_customer_instant',
  noun: 'Customer',
  label: 'New Customer (Instant)',
  description: `Triggers when a customer registers in your Ecwid store (or is added in the Ecwid admin). ${INSTANT_NOTE}`,
  event: 'customer.created',
  endpoints: ['GET /{storeId}/customers/{customerId}', 'GET /{storeId}/customers', 'GET /{storeId}/profile'],
  inputFields: [],
  outputFields: twinOp(newCustomer).outputFields,
  sample: twinOp(newCustomer).sample,
  twin: newCustomer,
  subscribe: subscribeToRelay,
  unsubscribe: unsubscribeFromRelay,
  shape: async (ctx, e) => {
    const ok = check(ctx.api, e, 'customer.created');
    if (typeof ok === 'string') return drop(ctx, e, ok);
    const customer = await readCustomer(ctx.api, ok.customerId);
    if (!customer || !Number.isInteger(customer.id)) return drop(ctx, e, 'customer not found in Ecwid');
    const registered = seconds(customer.registered);
    if (!(Math.abs(registered - ok.eventCreated) <= EVENT_SKEW_S)) return drop(ctx, e, 'customer was not registered at the event time');
    return [toCustomer(customer)];
  },
});

export const customerUpdatedInstant = hookTrigger({
  key: 'customer_updated_instant',
  noun: 'Customer',
  label: 'Customer Updated (Instant)',
  description: `Triggers when any of a customer's details change (name, address, group, marketing consent). ${INSTANT_NOTE}`,
  event: 'customer.updated',
  endpoints: ['GET /{storeId}/customers/{customerId}', 'GET /{storeId}/customers', 'GET /{storeId}/profile'],
  inputFields: [],
  outputFields: twinOp(newOrUpdatedCustomer).outputFields,
  sample: twinOp(newOrUpdatedCustomer).sample,
  twin: newOrUpdatedCustomer,
  subscribe: subscribeToRelay,
  unsubscribe: unsubscribeFromRelay,
  shape: async (ctx, e) => {
    const ok = check(ctx.api, e, 'customer.updated');
    if (typeof ok === 'string') return drop(ctx, e, ok);
    const customer = await readCustomer(ctx.api, ok.customerId);
    if (!customer || !Number.isInteger(customer.id)) return drop(ctx, e, 'customer not found in Ecwid');
    // The customer as it is now; a later edit's own event gives the same change id (one run each change).
    const changed = seconds(customer.updated ?? customer.registered);
    if (!(changed >= ok.eventCreated - EVENT_SKEW_S)) return drop(ctx, e, 'customer has not changed since before the event');
    const shaped = toCustomer(customer);
    return [{ ...shaped, id: changeId(shaped) }];
  },
});

export const customerDeletedInstant = hookTrigger({
  key: 'customer_deleted_instant',
  noun: 'Customer',
  label: 'Customer Deleted (Instant)',
  description: `Triggers when a customer is deleted from your Ecwid store (gives the customer ID and the time of deletion). ${INSTANT_NOTE}`,
  event: 'customer.deleted',
  endpoints: ['GET /{storeId}/customers/{customerId}', 'GET /{storeId}/customers/deleted', 'GET /{storeId}/profile'],
  inputFields: [],
  outputFields: twinOp(deletedCustomer).outputFields,
  sample: twinOp(deletedCustomer).sample,
  twin: deletedCustomer,
  subscribe: subscribeToRelay,
  unsubscribe: unsubscribeFromRelay,
  shape: async (ctx, e) => {
    const ok = check(ctx.api, e, 'customer.deleted');
    if (typeof ok === 'string') return drop(ctx, e, ok);
    if (await readCustomer(ctx.api, ok.customerId)) return drop(ctx, e, 'customer still exists in Ecwid');
    const item = await findDeletion(ctx.api, ok);
    if (!item) return drop(ctx, e, "customer is not in Ecwid's deleted history at the event time");
    return [{ id: ok.customerId, customerId: ok.customerId, deletedAt: isoDate(item.date), storeId: ctx.api.storeId }];
  },
});

export const instantCustomerOperations = { triggers: [newCustomerInstant, customerUpdatedInstant, customerDeletedInstant] };
