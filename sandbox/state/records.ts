/**
 * The records the GHL sandbox stores (contacts, tasks, notes, appointments, custom fields, users,
 * businesses, tags, locations) and those of its OAuth flow (apps, codes, tokens).
 */

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

/** What the seeders (demo-seed.ts, bulk-seed.ts) fill in: the state's collections and its id source. */
export interface SeedTarget {
  companyId: string;
  locationId: string;
  /** The next id of the seeded sequence. */
  newId(): string;
  users: Map<string, User>;
  businesses: Map<string, Business>;
  tags: Map<string, LocationTag>;
  customFields: Map<string, CustomFieldDef>;
  contacts: Map<string, Contact>;
  tasks: Map<string, Task>;
  notes: Map<string, Note>;
  appointments: Map<string, Appointment>;
}
