/**
 * In-memory state of the GHL sandbox: locations, users, businesses, custom fields,
 * contacts, tasks, notes, appointments, OAuth apps, codes and tokens.
 *
 * Everything is deterministic: ids come from a seeded PRNG, so the same seed gives
 * the same ids on every run (and the same sequence of runtime-created ids for the
 * same sequence of requests).
 */

export const DEMO_CLIENT_ID = 'sandbox-client-id';
export const DEMO_CLIENT_SECRET = 'sandbox-client-secret';

/** Scopes granted by `issueTokens()` and by the chooselocation page when none are requested. */
export const ALL_SCOPES = [
  'contacts.readonly',
  'contacts.write',
  'locations.readonly',
  'locations/customFields.readonly',
  'locations/tags.readonly',
  'locations/tasks.readonly',
  'users.readonly',
  'businesses.readonly',
  'businesses.write',
  'calendars/events.readonly',
  'calendars.readonly',
  'workflows.readonly',
  'campaigns.readonly',
];

export interface CustomFieldValue {
  id: string;
  value: unknown;
}

export interface DndSetting {
  status: 'active' | 'inactive' | 'permanent';
  message?: string;
  code?: string;
}

export interface Contact {
  id: string;
  locationId: string;
  firstName?: string | null;
  lastName?: string | null;
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  companyName?: string | null;
  gender?: string;
  address1?: string | null;
  city?: string | null;
  state?: string | null;
  postalCode?: string;
  country?: string;
  website?: string | null;
  timezone?: string | null;
  source?: string | null;
  type: string;
  dnd: boolean;
  dndSettings?: Record<string, DndSetting>;
  inboundDndSettings?: Record<string, unknown>;
  tags: string[];
  customFields: CustomFieldValue[];
  dateOfBirth?: string | null;
  assignedTo?: string | null;
  businessId?: string | null;
  followers: string[];
  additionalEmails: unknown[];
  additionalPhones: unknown[];
  dateAdded: string;
  dateUpdated: string;
}

export interface Task {
  id: string;
  locationId: string;
  contactId: string;
  title: string;
  body?: string;
  dueDate: string;
  completed: boolean;
  assignedTo?: string;
  dateAdded: string;
  dateUpdated: string;
}

export interface Note {
  id: string;
  contactId: string;
  body: string;
  userId?: string;
  title?: string;
  color?: string;
  pinned?: boolean;
  dateAdded: string;
  dateUpdated: string;
}

export interface Appointment {
  id: string;
  locationId: string;
  contactId: string;
  calendarId: string;
  groupId: string;
  title: string;
  status: string;
  appointmentStatus: string;
  assignedUserId: string;
  users: string[];
  notes?: string;
  address?: string;
  /** ISO 8601 with offset, e.g. 2026-03-12T10:00:00-04:00 */
  startTime: string;
  endTime: string;
  dateAdded: string;
  dateUpdated: string;
  assignedResources: string[];
}

export interface CustomFieldDef {
  id: string;
  name: string;
  fieldKey: string;
  placeholder: string;
  dataType: string;
  position: number;
  picklistOptions?: string[];
  isMultiFileAllowed?: boolean;
  maxFileLimit?: number;
  locationId: string;
  model: 'contact' | 'opportunity';
}

export interface User {
  id: string;
  name: string;
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  extension: string;
  companyId: string;
  roles: { type: 'account'; role: 'admin' | 'user'; locationIds: string[] };
  deleted: boolean;
}

export interface Business {
  id: string;
  name: string;
  phone?: string;
  email?: string;
  website?: string;
  address?: string;
  city?: string;
  state?: string;
  postalCode?: string;
  country?: string;
  description?: string;
  locationId: string;
  createdAt: string;
  updatedAt: string;
}

export interface LocationTag {
  id: string;
  name: string;
  locationId: string;
}

export interface Location {
  id: string;
  companyId: string;
  name: string;
  address: string;
  city: string;
  state: string;
  country: string;
  postalCode: string;
  website: string;
  timezone: string;
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  business: Record<string, unknown>;
  social: Record<string, unknown>;
  settings: {
    allowDuplicateContact: boolean;
    allowDuplicateOpportunity: boolean;
    allowFacebookNameMerge: boolean;
    disableContactTimezone: boolean;
  };
}

export interface OAuthApp {
  clientId: string;
  clientSecret: string;
  name: string;
}

export interface TokenGrant {
  clientId: string;
  userType: 'Location' | 'Company';
  locationId?: string;
  companyId: string;
  userId: string;
  scopes: string[];
}

export interface AccessTokenRecord extends TokenGrant {
  token: string;
  /** epoch ms (real clock) */
  expiresAt: number;
}

export interface RefreshTokenRecord extends TokenGrant {
  token: string;
  used: boolean;
}

export interface AuthCodeRecord extends TokenGrant {
  code: string;
  redirectUri?: string;
  used: boolean;
  /** epoch ms (real clock) */
  expiresAt: number;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
  userType: 'Location' | 'Company';
  locationId?: string;
  companyId: string;
  userId: string;
  approvedLocations: string[];
  planId: string;
  isBulkInstallation: boolean;
}

/** Entry in the search index when searchIndexDelayMs > 0. */
interface SearchIndexEntry {
  /** Version visible to search before `visibleAt` (undefined = invisible). */
  previous?: Contact;
  /** epoch ms (real clock) at which the live version becomes visible. */
  visibleAt: number;
}

/** mulberry32 PRNG */
export function makeRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function cloneDeep<T>(v: T): T {
  return structuredClone(v);
}

export class SandboxState {
  // --- data (public: tests may read and write these directly) ---
  companyId = '';
  locationId = '';
  otherLocationId = '';
  locations = new Map<string, Location>();
  users = new Map<string, User>();
  businesses = new Map<string, Business>();
  tags = new Map<string, LocationTag>();
  customFields = new Map<string, CustomFieldDef>();
  contacts = new Map<string, Contact>();
  tasks = new Map<string, Task>();
  notes = new Map<string, Note>();
  appointments = new Map<string, Appointment>();
  apps = new Map<string, OAuthApp>();
  codes = new Map<string, AuthCodeRecord>();
  accessTokens = new Map<string, AccessTokenRecord>();
  refreshTokens = new Map<string, RefreshTokenRecord>();

  /** Delay before /contacts/search sees created/updated contacts (ms, real clock). */
  searchIndexDelayMs = 0;
  private searchIndex = new Map<string, SearchIndexEntry>();

  private rng: () => number = makeRng(1);
  private fixedNow: Date | null = null;

  constructor(
    public readonly seed: 'demo' | 'empty' = 'demo',
    searchIndexDelayMs = 0,
  ) {
    this.searchIndexDelayMs = searchIndexDelayMs;
    this.load();
  }

  /** The sandbox clock used for dateAdded/dateUpdated. Token expiry and rate limits use the real clock. */
  now(): Date {
    return this.fixedNow ? new Date(this.fixedNow.getTime()) : new Date();
  }

  setNow(date: Date | string | null): void {
    this.fixedNow = date === null ? null : new Date(date);
  }

  nowIso(): string {
    return this.now().toISOString();
  }

  /** 20-char alphanumeric id like GHL's, from the seeded PRNG. */
  newId(): string {
    let s = '';
    for (let i = 0; i < 20; i++) s += ID_ALPHABET[Math.floor(this.rng() * ID_ALPHABET.length)];
    return s;
  }

  get location(): Location {
    const loc = this.locations.get(this.locationId);
    if (!loc) throw new Error('demo location missing');
    return loc;
  }

  /**
   * Back to the seed state (same ids as a fresh start, fake clock cleared). OAuth apps, codes and
   * tokens are kept, so tokens issued before a reset stay valid (the demo location id is the same).
   */
  reset(): void {
    this.load();
  }

  private clearAll(): void {
    for (const m of [
      this.locations,
      this.users,
      this.businesses,
      this.tags,
      this.customFields,
      this.contacts,
      this.tasks,
      this.notes,
      this.appointments,
      this.searchIndex,
    ] as Map<string, unknown>[]) {
      m.clear();
    }
  }

  private load(): void {
    this.clearAll();
    this.fixedNow = null;
    this.rng = makeRng(0x6a11);
    this.apps.set(DEMO_CLIENT_ID, {
      clientId: DEMO_CLIENT_ID,
      clientSecret: DEMO_CLIENT_SECRET,
      name: 'Zapier Contacts (Sandbox)',
    });
    this.companyId = this.newId();
    this.locationId = this.newId();
    this.otherLocationId = this.newId();
    const settings = {
      allowDuplicateContact: false,
      allowDuplicateOpportunity: false,
      allowFacebookNameMerge: false,
      disableContactTimezone: false,
    };
    this.locations.set(this.locationId, {
      id: this.locationId,
      companyId: this.companyId,
      name: 'Maple & Rye Goods (Demo)',
      address: '214 Rye Street',
      city: 'Burlington',
      state: 'VT',
      country: 'US',
      postalCode: '05401',
      website: 'https://maple-and-rye.example.com',
      timezone: 'America/New_York',
      firstName: 'Dana',
      lastName: 'Whitfield',
      email: 'dana@maple-and-rye.example.com',
      phone: '+18025550100',
      business: {
        name: 'Maple & Rye Goods',
        address: '214 Rye Street',
        city: 'Burlington',
        state: 'VT',
        country: 'US',
        postalCode: '05401',
        website: 'https://maple-and-rye.example.com',
        timezone: 'America/New_York',
      },
      social: {},
      settings: { ...settings },
    });
    this.locations.set(this.otherLocationId, {
      id: this.otherLocationId,
      companyId: this.companyId,
      name: 'Second Street Outlet (Demo)',
      address: '9 Second Street',
      city: 'Portland',
      state: 'ME',
      country: 'US',
      postalCode: '04101',
      website: 'https://second-street.example.com',
      timezone: 'America/New_York',
      firstName: 'Sam',
      lastName: 'Ortiz',
      email: 'sam@second-street.example.com',
      phone: '+12075550111',
      business: { name: 'Second Street Outlet' },
      social: {},
      settings: { ...settings },
    });
    if (this.seed === 'demo') this.loadDemo();
  }

  private loadDemo(): void {
    const loc = this.locationId;
    const t = (iso: string) => new Date(iso).toISOString();

    // users
    const userSpecs: [string, string, string, 'admin' | 'user'][] = [
      ['Dana', 'Whitfield', 'dana@maple-and-rye.example.com', 'admin'],
      ['Marcus', 'Lee', 'marcus@maple-and-rye.example.com', 'user'],
      ['Priya', 'Natarajan', 'priya@maple-and-rye.example.com', 'user'],
    ];
    const userIds: string[] = [];
    userSpecs.forEach(([firstName, lastName, email, role], i) => {
      const id = this.newId();
      userIds.push(id);
      this.users.set(id, {
        id,
        name: `${firstName} ${lastName}`,
        firstName,
        lastName,
        email,
        phone: `+1802555010${i + 1}`,
        extension: '',
        companyId: this.companyId,
        roles: { type: 'account', role, locationIds: [loc] },
        deleted: false,
      });
    });
    const [dana, marcus, priya] = userIds as [string, string, string];

    // businesses
    const wholesale = this.newId();
    const cafe = this.newId();
    this.businesses.set(wholesale, {
      id: wholesale,
      name: 'Maple & Rye Wholesale',
      phone: '+18025550150',
      email: 'orders@mr-wholesale.example.com',
      website: 'https://wholesale.maple-and-rye.example.com',
      address: '80 Industrial Pkwy',
      city: 'Burlington',
      state: 'VT',
      postalCode: '05401',
      country: 'US',
      description: 'Wholesale arm: cafés and grocers',
      locationId: loc,
      createdAt: t('2026-01-05T14:00:00Z'),
      updatedAt: t('2026-01-05T14:00:00Z'),
    });
    this.businesses.set(cafe, {
      id: cafe,
      name: 'Rye Street Café',
      phone: '+18025550160',
      email: 'hello@ryestreetcafe.example.com',
      website: 'https://ryestreetcafe.example.com',
      address: '12 Rye Street',
      city: 'Burlington',
      state: 'VT',
      postalCode: '05401',
      country: 'US',
      description: 'Wholesale customer',
      locationId: loc,
      createdAt: t('2026-01-06T15:30:00Z'),
      updatedAt: t('2026-01-06T15:30:00Z'),
    });

    // tags
    for (const name of ['customer', 'wholesale', 'vip', 'newsletter', 'ecwid', 'follow-up']) {
      const id = this.newId();
      this.tags.set(id, { id, name, locationId: loc });
    }

    // custom fields
    const cf = (name: string, key: string, dataType: string, position: number, extra: Partial<CustomFieldDef> = {}) => {
      const id = this.newId();
      this.customFields.set(id, {
        id,
        name,
        fieldKey: `contact.${key}`,
        placeholder: '',
        dataType,
        position,
        locationId: loc,
        model: 'contact',
        ...extra,
      });
      return id;
    };
    const cfEcwid = cf('Ecwid Customer ID', 'ecwid_customer_id', 'TEXT', 0, { placeholder: 'e.g. 123456789' });
    const cfGroup = cf('Customer Group', 'customer_group', 'SINGLE_OPTIONS', 50, {
      picklistOptions: ['General', 'Wholesale', 'VIP'],
    });
    const cfLtv = cf('Lifetime Value', 'lifetime_value', 'MONETORY', 100);
    const cfOptIn = cf('Marketing Opt-in', 'marketing_optin', 'CHECKBOX', 150, { picklistOptions: ['Yes'] });
    const cfFirstOrder = cf('First Order Date', 'first_order_date', 'DATE', 200);
    cf('Notes for Staff', 'notes_for_staff', 'LARGE_TEXT', 250);

    // contacts
    interface Seed {
      firstName: string;
      lastName: string;
      email: string;
      phone: string;
      companyName?: string;
      city: string;
      state: string;
      postalCode: string;
      tags: string[];
      customFields: CustomFieldValue[];
      businessId?: string;
      assignedTo?: string;
      source: string;
      dateAdded: string;
      dateUpdated: string;
      type?: string;
    }
    const seeds: Seed[] = [
      {
        firstName: 'Olivia',
        lastName: 'Bennett',
        email: 'olivia.bennett@example.com',
        phone: '+18025550123',
        city: 'Burlington',
        state: 'VT',
        postalCode: '05401',
        tags: ['customer', 'ecwid', 'vip'],
        customFields: [
          { id: cfEcwid, value: '274839105' },
          { id: cfGroup, value: 'VIP' },
          { id: cfLtv, value: 1840.5 },
          { id: cfOptIn, value: ['Yes'] },
          { id: cfFirstOrder, value: '2026-01-09' },
        ],
        assignedTo: dana,
        source: 'ecwid',
        dateAdded: '2026-01-09T15:04:11.000Z',
        dateUpdated: '2026-02-14T10:22:45.000Z',
        type: 'customer',
      },
      {
        firstName: 'Jamal',
        lastName: 'Carter',
        email: 'jamal.carter@example.net',
        phone: '+16175550188',
        companyName: 'Rye Street Café',
        city: 'Boston',
        state: 'MA',
        postalCode: '02108',
        tags: ['wholesale', 'customer'],
        customFields: [{ id: cfGroup, value: 'Wholesale' }],
        businessId: cafe,
        assignedTo: marcus,
        source: 'public api',
        dateAdded: '2026-01-21T18:45:00.000Z',
        dateUpdated: '2026-01-28T09:10:00.000Z',
      },
      {
        firstName: 'Sofia',
        lastName: 'Marquez',
        email: 'sofia.marquez@example.org',
        phone: '+13055550142',
        city: 'Miami',
        state: 'FL',
        postalCode: '33101',
        tags: ['newsletter'],
        customFields: [{ id: cfOptIn, value: ['Yes'] }],
        source: 'form',
        dateAdded: '2026-02-03T12:00:00.000Z',
        dateUpdated: '2026-02-03T12:00:00.000Z',
      },
      {
        firstName: 'Ethan',
        lastName: 'Nguyen',
        email: 'ethan.nguyen@example.com',
        phone: '+14155550199',
        companyName: 'Maple & Rye Wholesale',
        city: 'San Francisco',
        state: 'CA',
        postalCode: '94103',
        tags: ['wholesale', 'follow-up'],
        customFields: [{ id: cfGroup, value: 'Wholesale' }],
        businessId: wholesale,
        assignedTo: priya,
        source: 'public api',
        dateAdded: '2026-02-17T08:30:00.000Z',
        dateUpdated: '2026-03-01T16:05:30.000Z',
      },
      {
        firstName: 'Grace',
        lastName: "O'Neill",
        email: 'grace.oneill@example.com',
        phone: '+12125550177',
        city: 'New York',
        state: 'NY',
        postalCode: '10001',
        tags: [],
        customFields: [],
        source: 'manual',
        dateAdded: '2026-03-02T20:15:00.000Z',
        dateUpdated: '2026-03-02T20:15:00.000Z',
      },
      {
        firstName: 'Henrik',
        lastName: 'Larsen',
        email: 'henrik.larsen@example.dk',
        phone: '+18025550164',
        city: 'Montpelier',
        state: 'VT',
        postalCode: '05602',
        tags: ['customer'],
        customFields: [{ id: cfGroup, value: 'General' }],
        source: 'ecwid',
        dateAdded: '2026-03-10T13:40:20.000Z',
        dateUpdated: '2026-03-11T09:00:00.000Z',
      },
    ];
    const contactIds: string[] = [];
    for (const s of seeds) {
      const id = this.newId();
      contactIds.push(id);
      this.contacts.set(id, {
        id,
        locationId: loc,
        firstName: s.firstName,
        lastName: s.lastName,
        email: s.email,
        phone: s.phone,
        companyName: s.companyName,
        address1: undefined,
        city: s.city,
        state: s.state,
        postalCode: s.postalCode,
        country: 'US',
        timezone: 'America/New_York',
        source: s.source,
        type: s.type ?? 'lead',
        dnd: false,
        dndSettings: {},
        tags: [...s.tags],
        customFields: s.customFields.map((c) => ({ ...c })),
        assignedTo: s.assignedTo,
        businessId: s.businessId,
        followers: [],
        additionalEmails: [],
        additionalPhones: [],
        dateAdded: s.dateAdded,
        dateUpdated: s.dateUpdated,
      });
    }
    const [olivia, jamal, , ethan, , henrik] = contactIds as [string, string, string, string, string, string];

    // tasks
    const task = (
      contactId: string,
      title: string,
      body: string,
      dueDate: string,
      completed: boolean,
      assignedTo: string,
      dateAdded: string,
    ) => {
      const id = this.newId();
      this.tasks.set(id, {
        id,
        locationId: loc,
        contactId,
        title,
        body,
        dueDate,
        completed,
        assignedTo,
        dateAdded,
        dateUpdated: dateAdded,
      });
    };
    task(
      olivia,
      'Send VIP welcome box',
      'Include the maple syrup sampler.',
      '2026-01-16T15:00:00.000Z',
      true,
      dana,
      '2026-01-09T15:10:00.000Z',
    );
    task(
      olivia,
      'Ask for a product review',
      'Follow up on the January order.',
      '2026-03-20T14:00:00.000Z',
      false,
      dana,
      '2026-02-14T10:25:00.000Z',
    );
    task(
      jamal,
      'Confirm wholesale price list',
      'Send the Q1 wholesale sheet.',
      '2026-02-01T17:00:00.000Z',
      true,
      marcus,
      '2026-01-21T19:00:00.000Z',
    );
    task(
      ethan,
      'Schedule tasting visit',
      'Bring rye crackers and jams.',
      '2026-03-25T16:00:00.000Z',
      false,
      priya,
      '2026-03-01T16:10:00.000Z',
    );

    // notes
    const note = (contactId: string, body: string, userId: string, dateAdded: string, extra: Partial<Note> = {}) => {
      const id = this.newId();
      this.notes.set(id, { id, contactId, body, userId, dateAdded, dateUpdated: dateAdded, ...extra });
    };
    note(olivia, 'Prefers deliveries on Fridays.', dana, '2026-01-10T09:00:00.000Z', { title: 'Delivery preference', pinned: true });
    note(olivia, 'Asked about gift wrapping for the holidays.', marcus, '2026-02-14T10:30:00.000Z');
    note(jamal, 'Café opens a second location in May.', marcus, '2026-01-28T09:12:00.000Z', { color: '#FFAA00' });
    note(henrik, 'Imported from Ecwid store.', priya, '2026-03-10T13:41:00.000Z');

    // appointments
    const calendarId = this.newId();
    const groupId = this.newId();
    const appt = (contactId: string, title: string, start: string, end: string, status: string, userId: string, dateAdded: string) => {
      const id = this.newId();
      this.appointments.set(id, {
        id,
        locationId: loc,
        contactId,
        calendarId,
        groupId,
        title,
        status: status,
        appointmentStatus: status,
        assignedUserId: userId,
        users: [userId],
        notes: '',
        address: '214 Rye Street, Burlington, VT',
        startTime: start,
        endTime: end,
        dateAdded,
        dateUpdated: dateAdded,
        assignedResources: [],
      });
    };
    appt(olivia, 'VIP tasting', '2026-03-12T10:00:00-04:00', '2026-03-12T10:30:00-04:00', 'confirmed', dana, '2026-02-20T12:00:00.000Z');
    appt(
      ethan,
      'Wholesale onboarding call',
      '2026-03-18T14:00:00-04:00',
      '2026-03-18T14:45:00-04:00',
      'booked',
      priya,
      '2026-03-01T16:15:00.000Z',
    );
  }

  // --- helpers used by handlers ---

  contactsOf(locationId: string): Contact[] {
    const out: Contact[] = [];
    for (const c of this.contacts.values()) if (c.locationId === locationId) out.push(c);
    return out;
  }

  customFieldsOf(locationId: string): CustomFieldDef[] {
    return [...this.customFields.values()].filter((f) => f.locationId === locationId).sort((a, b) => a.position - b.position);
  }

  ensureTags(locationId: string, names: string[]): void {
    const existing = new Set([...this.tags.values()].filter((t) => t.locationId === locationId).map((t) => t.name.toLowerCase()));
    for (const n of names) {
      if (!existing.has(n.toLowerCase())) {
        const id = this.newId();
        this.tags.set(id, { id, name: n, locationId });
        existing.add(n.toLowerCase());
      }
    }
  }

  /** Record a create/update for the eventually-consistent search index. */
  touchSearchIndex(contactId: string, before: Contact | undefined): void {
    if (this.searchIndexDelayMs <= 0) return;
    const prev = this.searchIndex.get(contactId);
    let previous: Contact | undefined;
    if (prev && Date.now() < prev.visibleAt)
      previous = prev.previous; // still pending: keep the older visible version
    else previous = before ? cloneDeep(before) : undefined;
    this.searchIndex.set(contactId, { previous, visibleAt: Date.now() + this.searchIndexDelayMs });
  }

  dropFromSearchIndex(contactId: string): void {
    this.searchIndex.delete(contactId);
  }

  /** The version of a contact the search index currently sees (undefined = not yet indexed). */
  searchVersion(c: Contact): Contact | undefined {
    const e = this.searchIndex.get(c.id);
    if (!e) return c;
    if (Date.now() >= e.visibleAt) {
      this.searchIndex.delete(c.id);
      return c;
    }
    return e.previous;
  }

  /**
   * Fast deterministic bulk data (for benchmarks). Adds `contacts` contacts (and tasks) to the demo location.
   */
  seedBulk(opts: { contacts: number; tasksPerContact?: number }): void {
    const rng = makeRng(0xb01c + opts.contacts);
    const firsts = [
      'Ava',
      'Ben',
      'Chloe',
      'Diego',
      'Emma',
      'Finn',
      'Gia',
      'Hugo',
      'Isla',
      'Jack',
      'Kira',
      'Liam',
      'Maya',
      'Noah',
      'Olga',
      'Paul',
    ];
    const lasts = [
      'Adams',
      'Brown',
      'Clark',
      'Davis',
      'Evans',
      'Foster',
      'Garcia',
      'Hill',
      'Ito',
      'Jones',
      'King',
      'Lopez',
      'Moore',
      'Novak',
    ];
    const tagPool = ['customer', 'wholesale', 'vip', 'newsletter', 'ecwid', 'follow-up'];
    const users = [...this.users.values()].filter((u) => u.roles.locationIds.includes(this.locationId)).map((u) => u.id);
    const base = Date.parse('2026-01-01T00:00:00.000Z');
    const span = 300 * 24 * 3600 * 1000;
    const existing = this.contacts.size;
    const tpc = opts.tasksPerContact ?? 0;
    const pick = <T>(arr: T[]): T => arr[Math.floor(rng() * arr.length)] as T;
    for (let i = 0; i < opts.contacts; i++) {
      const n = existing + i;
      const id = this.newId();
      const firstName = pick(firsts);
      const lastName = pick(lasts);
      const added = base + Math.floor(rng() * span);
      const updated = added + Math.floor(rng() * 7 * 24 * 3600 * 1000);
      const tags = rng() < 0.5 ? [pick(tagPool)] : [];
      this.contacts.set(id, {
        id,
        locationId: this.locationId,
        firstName,
        lastName,
        email: `${firstName.toLowerCase()}.${lastName.toLowerCase()}.${n}@bulk.example.com`,
        phone: `+1555${String(1000000 + n)
          .padStart(7, '0')
          .slice(-7)}`,
        country: 'US',
        timezone: 'America/New_York',
        source: 'bulk',
        type: 'lead',
        dnd: false,
        tags,
        customFields: [],
        assignedTo: users.length ? pick(users) : undefined,
        followers: [],
        additionalEmails: [],
        additionalPhones: [],
        dateAdded: new Date(added).toISOString(),
        dateUpdated: new Date(updated).toISOString(),
      });
      for (let k = 0; k < tpc; k++) {
        const tid = this.newId();
        const tAdded = added + (k + 1) * 60_000;
        this.tasks.set(tid, {
          id: tid,
          locationId: this.locationId,
          contactId: id,
          title: `Follow up #${k + 1} with ${firstName}`,
          body: 'Bulk task',
          dueDate: new Date(tAdded + 3 * 24 * 3600 * 1000).toISOString(),
          completed: rng() < 0.3,
          assignedTo: users.length ? pick(users) : undefined,
          dateAdded: new Date(tAdded).toISOString(),
          dateUpdated: new Date(tAdded).toISOString(),
        });
      }
    }
  }
}
