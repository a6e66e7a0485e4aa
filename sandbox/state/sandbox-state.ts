/**
 * In-memory state of the GHL sandbox: locations, users, businesses, custom fields,
 * contacts, tasks, notes, appointments, OAuth apps, codes and tokens.
 *
 * Everything is deterministic: ids come from a seeded PRNG, so the same seed gives
 * the same ids on every run (and the same sequence of runtime-created ids for the
 * same sequence of requests).
 */
import { seedBulk } from './bulk-seed.js';
import { seedDemo } from './demo-seed.js';
import { makeRng, newIdFrom } from './ids.js';
import type {
  AccessTokenRecord,
  Appointment,
  AuthCodeRecord,
  Business,
  Contact,
  CustomFieldDef,
  Location,
  LocationTag,
  Note,
  OAuthApp,
  RefreshTokenRecord,
  Task,
  User,
} from './records.js';

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

/** Entry in the search index when searchIndexDelayMs > 0. */
interface SearchIndexEntry {
  /** Version visible to search before `visibleAt` (undefined = invisible). */
  previous?: Contact;
  /** epoch ms (real clock) at which the live version becomes visible. */
  visibleAt: number;
}

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
    return newIdFrom(this.rng);
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
    if (this.seed === 'demo') seedDemo(this);
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

  /** Fast deterministic bulk data (for benchmarks). Adds `contacts` contacts (and tasks) to the demo location. */
  seedBulk(opts: { contacts: number; tasksPerContact?: number }): void {
    seedBulk(this, opts);
  }
}
