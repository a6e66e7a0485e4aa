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

export interface SandboxContact {
  id: number;
  contact: string;
  type: 'EMAIL' | 'PHONE';
  note?: string;
  default: boolean;
  orderBy: number;
  timestamp: string;
}

export interface SandboxExtraField {
  key: string;
  title: string;
  value: string;
  orderBy: number;
  type: 'TEXT';
  entityTypes: ['CUSTOMERS'];
}

/**
 * A customer as `GET /customers/{id}` answers it: the fields and their order of the live 2025
 * answer (ecwid/test/fixtures/recordings/live-2025-get-customer.json). No top-level `name` and no
 * `totalOrderCount` (search items add both, see {@link asSearchItem}); a billing person only
 * with what is known; `acceptMarketing` only when the customer answered; `extrafields` only when
 * the customer answered a checkout question.
 */
export interface SandboxCustomer {
  id: number;
  email: string;
  registered: string;
  updated: string;
  billingPerson?: SandboxPerson;
  shippingAddresses: Array<SandboxPerson & { id: number; defaultAddress: boolean }>;
  customerGroupId: number;
  customerGroupName: string;
  taxExempt: boolean;
  taxId: string;
  taxIdValid: boolean;
  b2b_b2c: 'b2b' | 'b2c';
  fiscalCode: string;
  electronicInvoicePecEmail: string;
  electronicInvoiceSdiCode: string;
  acceptMarketing?: boolean;
  lang: string;
  contacts: SandboxContact[];
  stats: { numberOfOrders: number; numberOfCanceledOrders: number; salesValue: number; averageOrderValue: number };
  privateAdminNotes: string;
  favorites: Array<{ productId: number; addedTimestamp: string }>;
  extrafields?: SandboxExtraField[];
}

/** A search item: the customer plus `name` (when known) and `totalOrderCount`, as search answers carry them. */
export const asSearchItem = (c: SandboxCustomer): Record<string, unknown> => {
  const { id, email, registered, updated, ...rest } = c;
  return {
    id,
    ...(c.billingPerson?.name ? { name: c.billingPerson.name } : {}),
    email,
    registered,
    updated,
    totalOrderCount: c.stats.numberOfOrders,
    ...rest,
  };
};

/** Ecwid's own first/last name: the first and the last word, only for names of two words or more (live 2021 answer; docs). */
const ecwidSplit = (name: string): { firstName?: string; lastName?: string } => {
  const words = name.trim().split(/\s+/).filter(Boolean);
  return words.length >= 2 ? { firstName: words[0], lastName: words[words.length - 1] } : {};
};

const COUNTRY_NAMES: Record<string, string> = {
  US: 'United States',
  CA: 'Canada',
  MX: 'Mexico',
  IT: 'Italy',
  NL: 'Netherlands',
  GB: 'United Kingdom',
  DE: 'Germany',
  FR: 'France',
};

/** Ecwid leaves out what it does not know: no empty strings in the billing person. */
const compact = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null && v !== '')) as T;

const withDerived = (p: SandboxPerson): SandboxPerson => {
  const name = p.name?.trim();
  const { firstName: _f, lastName: _l, ...rest } = p;
  return compact({
    ...(name ? { name, ...ecwidSplit(name) } : {}),
    ...rest,
    ...(p.countryCode && !p.countryName && COUNTRY_NAMES[p.countryCode] ? { countryName: COUNTRY_NAMES[p.countryCode] } : {}),
  });
};

/** The customer extra fields a store defines (GET /store_extrafields/customers); the keys look like Ecwid's. */
export interface SandboxExtraFieldDefinition {
  key: string;
  title: string;
  entityTypes: ['CUSTOMERS'];
  type: 'TEXT';
  shownOnOrderDetails: boolean;
  linkedWithCheckoutField: boolean;
  createdDate: string;
  lastModifiedDate: string;
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

/** The demo store's checkout questions; keys in Ecwid's style (7 letters). */
const EXTRA_FIELDS: SandboxExtraFieldDefinition[] = [
  ['HWVrQNC', 'Tax ID'],
  ['HSdoOLH', 'How did you hear about us?'],
].map(([key, title]) => ({
  key: key!,
  title: title!,
  entityTypes: ['CUSTOMERS'],
  type: 'TEXT',
  shownOnOrderDetails: false,
  linkedWithCheckoutField: true,
  createdDate: '2026-01-12 09:00:00 +0000',
  lastModifiedDate: '2026-01-12 09:00:00 +0000',
}));

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
  /** The store's customer extra fields (checkout questions saved on the customer). */
  extraFieldDefinitions: SandboxExtraFieldDefinition[] = EXTRA_FIELDS.map((f) => ({ ...f }));
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

  /**
   * A customer registers on the storefront (or is added in the admin). `name` is the full name
   * as typed (Ecwid derives its own first/last word split from it); without it, `firstName` and
   * `lastName` are joined. `extraFields`: answers to the store's checkout questions, by title.
   */
  register(
    input: {
      id?: number;
      email: string;
      name?: string;
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
      extraFields?: Record<string, string>;
    },
    at = this.now(),
  ): SandboxCustomer {
    const id = input.id ?? this.nextId;
    if (input.id === undefined) this.nextId += 1 + (id % 7);
    const name = input.name ?? [input.firstName, input.lastName].filter(Boolean).join(' ');
    const group = input.customerGroupId ?? 0;
    const when = ecwidDate(at);
    const billingPerson = withDerived({
      name,
      companyName: input.companyName,
      street: input.street,
      city: input.city,
      countryCode: input.countryCode,
      postalCode: input.postalCode,
      stateOrProvinceCode: input.stateOrProvinceCode,
      phone: input.phone,
    });
    const customer: SandboxCustomer = {
      id,
      email: input.email,
      registered: when,
      updated: when,
      ...(Object.keys(billingPerson).length ? { billingPerson } : {}),
      shippingAddresses: [],
      customerGroupId: group,
      customerGroupName: GROUPS[group] ?? `Group ${group}`,
      taxExempt: false,
      taxId: '',
      taxIdValid: true,
      b2b_b2c: input.companyName ? 'b2b' : 'b2c',
      fiscalCode: '',
      electronicInvoicePecEmail: '',
      electronicInvoiceSdiCode: '',
      ...(input.acceptMarketing === undefined ? {} : { acceptMarketing: input.acceptMarketing }),
      lang: 'en',
      contacts: [{ id: id * 10 + 1, contact: input.email, type: 'EMAIL', default: true, orderBy: 0, timestamp: when }],
      stats: { numberOfOrders: 0, numberOfCanceledOrders: 0, salesValue: 0, averageOrderValue: 0 },
      privateAdminNotes: '',
      favorites: [],
    };
    if (input.phone) customer.contacts.push(this.phoneContact(customer, input.phone, when));
    this.answerExtraFields(customer, input.extraFields);
    this.customers.set(id, customer);
    this.changed('customer.created', customer);
    return customer;
  }

  private phoneContact(c: SandboxCustomer, phone: string, when: string): SandboxContact {
    return { id: c.id * 10 + 2, contact: phone, type: 'PHONE', default: true, orderBy: 1, timestamp: when };
  }

  private answerExtraFields(c: SandboxCustomer, answers: Record<string, string> | undefined): void {
    if (!answers) return;
    const fields = c.extrafields ?? [];
    for (const [title, value] of Object.entries(answers)) {
      const def = this.extraFieldDefinitions.find((d) => d.title === title);
      if (!def) throw new Error(`The store has no customer extra field "${title}"`);
      const at = fields.findIndex((f) => f.key === def.key);
      const field: SandboxExtraField = {
        key: def.key,
        title: def.title,
        value,
        orderBy: this.extraFieldDefinitions.indexOf(def),
        type: 'TEXT',
        entityTypes: ['CUSTOMERS'],
      };
      if (at >= 0) fields[at] = field;
      else fields.push(field);
    }
    fields.sort((x, y) => x.orderBy - y.orderBy);
    if (fields.length) c.extrafields = fields;
  }

  /** The customer (or the merchant) edits the profile; `updated` moves to now. */
  edit(
    id: number,
    patch: Partial<Pick<SandboxCustomer, 'email' | 'customerGroupId' | 'acceptMarketing'>> & {
      billingPerson?: SandboxPerson;
      extraFields?: Record<string, string>;
    },
  ): SandboxCustomer {
    const c = this.customers.get(id);
    if (!c) throw new Error(`No customer ${id}`);
    const when = ecwidDate(this.now());
    if (patch.email !== undefined) {
      c.email = patch.email;
      const contact = c.contacts.find((x) => x.type === 'EMAIL' && x.default);
      if (contact) Object.assign(contact, { contact: patch.email, timestamp: when });
    }
    if (patch.acceptMarketing !== undefined) c.acceptMarketing = patch.acceptMarketing;
    if (patch.customerGroupId !== undefined) {
      c.customerGroupId = patch.customerGroupId;
      c.customerGroupName = GROUPS[patch.customerGroupId] ?? `Group ${patch.customerGroupId}`;
    }
    if (patch.billingPerson) {
      const merged = withDerived({ ...c.billingPerson, ...compact(patch.billingPerson) });
      if (Object.keys(merged).length) c.billingPerson = merged;
      const phone = compact(patch.billingPerson).phone;
      if (phone) {
        const contact = c.contacts.find((x) => x.type === 'PHONE' && x.default);
        if (contact) Object.assign(contact, { contact: phone, timestamp: when });
        else c.contacts.push(this.phoneContact(c, phone, when));
      }
    }
    this.answerExtraFields(c, patch.extraFields);
    c.updated = when;
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
