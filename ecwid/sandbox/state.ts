/**
 * The Ecwid sandbox's in-memory store: one store, its customers, the deleted-customers history,
 * OAuth codes and tokens. Dates are written the way Ecwid writes them (`2026-11-20 09:40:00 +0000`).
 * The clock is the real one plus an offset the demo can move forward (`advance`), so that
 * "an edit a minute later" has a later `updated` time, as it would in a real store.
 */
import crypto from 'node:crypto';

export interface SandboxPerson {
  name?: string;
  firstName?: string;
  lastName?: string;
  companyName?: string;
  street?: string;
  city?: string;
  countryCode?: string;
  countryName?: string;
  postalCode?: string;
  stateOrProvinceCode?: string;
  stateOrProvinceName?: string;
  phone?: string;
}

export interface SandboxCustomer {
  id: number;
  email: string;
  registered: string;
  updated: string;
  totalOrderCount: number;
  customerGroupId: number;
  customerGroupName: string;
  billingPerson: SandboxPerson;
  shippingAddresses: Array<SandboxPerson & { id: number; defaultAddress: boolean }>;
  contacts: Array<{ id: number; contact: string; type: 'EMAIL' | 'PHONE'; default: boolean }>;
  taxId: string;
  taxExempt: boolean;
  b2b_b2c: 'b2b' | 'b2c';
  acceptMarketing: boolean;
  lang: string;
  stats: { numberOfOrders: number; salesValue: number; averageOrderValue: number };
}

export interface TokenRecord {
  storeId: number;
  scopes: string[];
  revoked: boolean;
}

export const DEMO_CLIENT_ID = 'ecwid-sandbox-client-id';
export const DEMO_CLIENT_SECRET = 'ecwid-sandbox-client-secret';
export const STORE_ID = 1003;
export const STORE_NAME = 'Maple & Rye Goods (Demo)';
export const GROUPS: Record<number, string> = { 0: 'General', 1: 'Retail', 2: 'Wholesale', 3: 'VIP' };

/** Ecwid's date format, in UTC. */
export const ecwidDate = (ms: number): string =>
  new Date(Math.floor(ms / 1000) * 1000)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, ' +0000');

/** Ecwid's accepted date inputs: UNIX seconds, `yyyy-MM-dd HH:mm:ss Z`, `yyyy-MM-dd HH:mm:ss`, `yyyy-MM-dd` (UTC). */
export const parseEcwidDate = (value: string): number | undefined => {
  const v = value.trim();
  if (/^\d{1,10}$/.test(v)) return Number(v) * 1000;
  const m = /^(\d{4}-\d{2}-\d{2})(?: (\d{2}:\d{2}:\d{2})(?: ([+-]\d{2})(\d{2}))?)?$/.exec(v);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}T${m[2] ?? '00:00:00'}${m[3] ? `${m[3]}:${m[4]}` : 'Z'}`);
  return Number.isNaN(ms) ? undefined : ms;
};

export type DeletedOrder = 'oldest-first' | 'newest-first';

/** A customer change, as Ecwid reports it by webhook (ecwid/sandbox/webhooks.ts listens). */
export interface CustomerChange {
  type: 'customer.created' | 'customer.updated' | 'customer.deleted';
  customerId: number;
  email: string;
  /** The store's time of the change (its clock: `eventCreated`), epoch ms. */
  at: number;
  /** When the change was made (real epoch ms, sub-millisecond), for latency measurements. */
  changedAt: number;
}

export class EcwidSandboxState {
  customers = new Map<number, SandboxCustomer>();
  /** In the order deletions happened (oldest first). */
  deleted: Array<{ id: number; at: number }> = [];
  codes = new Map<string, { scopes: string[]; redirectUri: string; expiresAt: number; storeId: number; token?: string }>();
  tokens = new Map<string, TokenRecord>();
  store = { id: STORE_ID, name: STORE_NAME, url: 'https://maple-rye-goods.company.site', ownerEmail: 'dana@example.com' };
  /** Told of every registration, edit and deletion (the webhooks). */
  readonly listeners: Array<(change: CustomerChange) => void> = [];
  private offsetMs = 0;
  private seeding = false;
  private nextId = 177737165;

  constructor(readonly deletedOrder: DeletedOrder = 'oldest-first') {
    this.seed();
  }

  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Moves the store's clock forward (the demo's "a minute later"). */
  advance(ms: number): void {
    this.offsetMs += ms;
  }

  reset(): void {
    this.customers.clear();
    this.deleted = [];
    this.offsetMs = 0;
    this.nextId = 177737165;
    this.seed();
  }

  private seed(): void {
    this.seeding = true;
    try {
      this.seedCustomers();
    } finally {
      this.seeding = false;
    }
  }

  private seedCustomers(): void {
    const start = this.now() - 30 * 86_400_000;
    // Olivia's id is the one the GHL sandbox's seed keeps in her "Ecwid Customer ID" field;
    // fixed ids leave the first new registration with the id of fixtures/ecwid/ (177737165).
    this.register(
      {
        id: 274839105,
        email: 'olivia.bennett@example.com',
        firstName: 'Olivia',
        lastName: 'Bennett',
        city: 'Burlington',
        countryCode: 'US',
      },
      start,
    );
    this.register(
      {
        id: 183304217,
        email: 'marco.rossi@example.com',
        firstName: 'Marco',
        lastName: 'Rossi',
        city: 'Milan',
        countryCode: 'IT',
        customerGroupId: 2,
      },
      start + 86_400_000,
    );
  }

  /** A customer registers on the storefront (or is added in the admin). */
  register(
    input: {
      id?: number;
      email: string;
      firstName?: string;
      lastName?: string;
      phone?: string;
      street?: string;
      city?: string;
      postalCode?: string;
      stateOrProvinceCode?: string;
      countryCode?: string;
      companyName?: string;
      customerGroupId?: number;
      acceptMarketing?: boolean;
    },
    at = this.now(),
  ): SandboxCustomer {
    const id = input.id ?? this.nextId;
    if (input.id === undefined) this.nextId += 1 + (id % 7);
    const name = [input.firstName, input.lastName].filter(Boolean).join(' ');
    const group = input.customerGroupId ?? 0;
    const customer: SandboxCustomer = {
      id,
      email: input.email,
      registered: ecwidDate(at),
      updated: ecwidDate(at),
      totalOrderCount: 0,
      customerGroupId: group,
      customerGroupName: GROUPS[group] ?? `Group ${group}`,
      billingPerson: {
        name,
        firstName: input.firstName ?? '',
        lastName: input.lastName ?? '',
        companyName: input.companyName ?? '',
        street: input.street ?? '',
        city: input.city ?? '',
        countryCode: input.countryCode ?? '',
        postalCode: input.postalCode ?? '',
        stateOrProvinceCode: input.stateOrProvinceCode ?? '',
        phone: input.phone ?? '',
      },
      shippingAddresses: [],
      contacts: [{ id: id * 10 + 1, contact: input.email, type: 'EMAIL', default: true }],
      taxId: '',
      taxExempt: false,
      b2b_b2c: input.companyName ? 'b2b' : 'b2c',
      acceptMarketing: input.acceptMarketing ?? false,
      lang: 'en',
      stats: { numberOfOrders: 0, salesValue: 0, averageOrderValue: 0 },
    };
    this.customers.set(id, customer);
    this.changed('customer.created', customer);
    return customer;
  }

  /** The customer (or the merchant) edits the profile; `updated` moves to now. */
  edit(
    id: number,
    patch: Partial<Pick<SandboxCustomer, 'email' | 'customerGroupId' | 'acceptMarketing'>> & { billingPerson?: SandboxPerson },
  ): SandboxCustomer {
    const c = this.customers.get(id);
    if (!c) throw new Error(`No customer ${id}`);
    if (patch.email !== undefined) c.email = patch.email;
    if (patch.acceptMarketing !== undefined) c.acceptMarketing = patch.acceptMarketing;
    if (patch.customerGroupId !== undefined) {
      c.customerGroupId = patch.customerGroupId;
      c.customerGroupName = GROUPS[patch.customerGroupId] ?? `Group ${patch.customerGroupId}`;
    }
    if (patch.billingPerson) c.billingPerson = { ...c.billingPerson, ...patch.billingPerson };
    c.updated = ecwidDate(this.now());
    this.changed('customer.updated', c);
    return c;
  }

  /** The merchant deletes the customer; Ecwid keeps `{ id, date }` in the deleted history. */
  remove(id: number, at = this.now()): void {
    const c = this.customers.get(id);
    if (!c || !this.customers.delete(id)) throw new Error(`No customer ${id}`);
    this.deleted.push({ id, at });
    this.changed('customer.deleted', c);
  }

  /** Deterministic bulk customers (and optionally deletions, spread over the last `deletedWithinMs`). */
  seedBulk(opts: { customers?: number; deleted?: number; deletedWithinMs?: number }): void {
    const base = this.now() - 60 * 86_400_000;
    for (let i = 0; i < (opts.customers ?? 0); i++) {
      this.register(
        { email: `bulk.${i}@bulk.example.com`, firstName: 'Bulk', lastName: `Customer ${i}`, countryCode: 'US' },
        base + i * 1000,
      );
    }
    const n = opts.deleted ?? 0;
    const within = opts.deletedWithinMs ?? 3 * 86_400_000;
    for (let i = 0; i < n; i++)
      this.deleted.push({ id: 900_000_000 + i, at: this.now() - within + Math.floor(((i + 1) * within) / (n + 1)) });
  }

  private changed(type: CustomerChange['type'], c: SandboxCustomer): void {
    if (this.seeding) return;
    const changedAt = performance.timeOrigin + performance.now();
    for (const l of this.listeners) l({ type, customerId: c.id, email: c.email, at: this.now(), changedAt });
  }

  issueToken(storeId: number, scopes: string[]): string {
    const token = `secret_${crypto.randomBytes(12).toString('hex')}`;
    this.tokens.set(token, { storeId, scopes, revoked: false });
    return token;
  }

  /** The merchant uninstalls the app: every token of the store stops working. */
  uninstallApp(): void {
    for (const t of this.tokens.values()) if (t.storeId === this.store.id) t.revoked = true;
  }

  /** The deleted history as Ecwid lists it (order configurable: Ecwid does not document it). */
  deletedList(): Array<{ id: number; at: number }> {
    return this.deletedOrder === 'oldest-first' ? [...this.deleted] : [...this.deleted].reverse();
  }
}
