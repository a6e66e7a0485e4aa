import { IANAZone } from 'luxon';
import type { Bundle, HttpResponse, ZObject } from 'zapier-platform-core';
import { DEFAULT_THROTTLE_DELAY_SECONDS, duplicateContactId, ghlErrorFor, zapierMessage } from '../../http/errors.js';
import { ghl, path, type GhlClient } from '../../http/ghl.js';
import type {
  Appointment,
  Contact,
  ContactResponse,
  ContactsBusinessUpdateBody,
  ContactsBusinessUpdateResponse,
  CreateContactRequest,
  CreateContactResponse,
  DeleteContactResponse,
  DuplicateContactResponse,
  Note,
  SearchContactsBody,
  SearchContactsResponse,
  Task,
  UpdateContactRequest,
  UpdateContactResponse,
} from '../../ghl/types.js';
import { InvalidInputError, type InputReader } from '../../lib/input.js';
import { action, pollingTrigger, search, type InputField, type OutputField, type ResourceOperations } from '../../operations/define.js';
import contactSample from '../../samples/contact.json' with { type: 'json' };
import taskSample from '../../samples/task.json' with { type: 'json' };
import noteSample from '../../samples/note.json' with { type: 'json' };
import { isNotFoundResponse, newestFirst } from './records.js';
import {
  customFieldIdField,
  customFieldInputs,
  customFieldInputsForCreate,
  customFieldOutputFields,
  customFieldsBody,
  withCustomFieldsByName,
} from '../customFields.js';
import { businessIdField, contactIdField, tagsField, userIdField } from '../shared/inputFields.js';
import { contactOutputFields, isoDate, mostRecentTask, nextOpenTask, toAppointment, toContact, toNote, toTask } from '../shared/outputs.js';

/**
 * Contacts: GHL's `/contacts/*` endpoints (docs/ghl-api.md §2):
 * - `POST /contacts/search` (§2.21): New Contact, New or Updated Contact, the `contact_list` dropdown,
 *   Find Contact by custom field value or search text;
 * - `GET /contacts/search/duplicate` (§2.22): Find Contact by email or phone;
 * - `GET /contacts/:contactId` with `/tasks`, `/notes`, `/appointments` (§2.1, 2.2, 2.8, 2.13): the
 *   contact profile (Find Contact by ID, the triggers' lazily hydrated `profile`), Delete Contact's record;
 * - `POST /contacts/` (§2.16) and `POST /contacts/bulk/business` (§2.24): Create Contact;
 * - `PUT /contacts/:contactId` (§2.17): Update Contact; `DELETE /contacts/:contactId` (§2.18): Delete Contact.
 */

/** GHL's search takes up to 500 per page; Zapier's polling guide says ~100 newest items is plenty. */
export const POLL_PAGE_SIZE = 100;
export const DROPDOWN_PAGE_SIZE = 100;
/** Find Contact only needs the first match and the number of matches (`total`). */
export const FIND_PAGE_SIZE = 10;

export const searchContacts = (api: GhlClient, body: SearchContactsBody) =>
  // A search only reads, so it may be retried after a dropped connection.
  api.request<SearchContactsResponse>({ method: 'POST', path: path`/contacts/search`, body, idempotent: true });

/**
 * The same test on an error already thrown by a request. `z.errors.Error` (name "AppError")
 * JSON-encodes `{ message, code, status }` into its message, so it is decoded first.
 */
export const isContactNotFound = (error: unknown): boolean => {
  const e = error as { name?: string; status?: number; message?: string } | null;
  if (!e) return false;
  let status = e.status;
  let message = e.message ?? '';
  if (e.name === 'AppError') {
    try {
      const data = JSON.parse(message) as { status?: number; message?: string };
      status = data.status;
      message = data.message ?? '';
    } catch {
      // not JSON: keep the raw message
    }
  }
  return (status === 400 || status === 404) && /not found/i.test(message);
};

const fail = (message: string): never => {
  throw new InvalidInputError(message);
};

// ---- Profile: the contact with its tasks, notes and appointments (brief, flow 1) ----

/**
 * Everything the brief's profile pull needs, in one round trip: the four GETs go out together.
 * Used by Find Contact by ID and, lazily through z.dehydrate, by the contact triggers.
 */
export const fetchContactProfile = async (api: GhlClient, contactId: string, zone?: string) => {
  const [contactRes, tasksRes, notesRes, appointmentsRes] = await Promise.all([
    api.get<ContactResponse>(path`/contacts/${contactId}`),
    api.get<{ tasks?: Task[] }>(path`/contacts/${contactId}/tasks`),
    api.get<{ notes?: Note[] }>(path`/contacts/${contactId}/notes`),
    api.get<{ events?: Appointment[] }>(path`/contacts/${contactId}/appointments`),
  ]);
  return toProfile(contactRes.data, tasksRes.data, notesRes.data, appointmentsRes.data, contactId, zone);
};

export const toProfile = (
  contactData: ContactResponse,
  tasksData: { tasks?: Task[] },
  notesData: { notes?: Note[] },
  appointmentsData: { events?: Appointment[] },
  contactId: string,
  zone?: string,
) => {
  const contact = toContact(contactData.contact ?? { id: contactId });
  const tasks = (tasksData.tasks ?? []).map((t) => toTask(t, contactId));
  const notes = newestFirst(
    (notesData.notes ?? []).map((n) => toNote(n, contactId)),
    (n) => n.dateAdded,
  );
  const appointments = (appointmentsData.events ?? []).map((a) => toAppointment(a, contactId, zone));
  return {
    ...contact,
    mostRecentTask: mostRecentTask(tasks),
    nextOpenTask: nextOpenTask(tasks),
    latestNote: notes[0] ?? null,
    taskCount: tasks.length,
    openTaskCount: tasks.filter((t) => !t.completed).length,
    noteCount: notes.length,
    appointmentCount: appointments.length,
    tasks,
    notes,
    appointments,
  };
};

/** Hydrator (registered in index.ts as `contactProfile`): resolves a trigger item's `profile` only when a later Zap step maps it. */
export const hydrateContactProfile = (z: ZObject, bundle: Bundle) =>
  fetchContactProfile(ghl(z, bundle), String(bundle.inputData.contactId), bundle.authData?.locationTimezone);

const profileSample = {
  ...contactSample,
  mostRecentTask: taskSample,
  nextOpenTask: taskSample,
  latestNote: noteSample,
  taskCount: 1,
  openTaskCount: 1,
  noteCount: 1,
  appointmentCount: 0,
  tasks: [taskSample],
  notes: [noteSample],
  appointments: [],
};

const profileOutputFields = (prefix: string, labelPrefix: string): OutputField[] => [
  { key: `${prefix}mostRecentTask__title`, label: `${labelPrefix}Most Recent Task Title` },
  { key: `${prefix}mostRecentTask__dueDate`, label: `${labelPrefix}Most Recent Task Due Date`, type: 'datetime' },
  { key: `${prefix}mostRecentTask__completed`, label: `${labelPrefix}Most Recent Task Completed`, type: 'boolean' },
  { key: `${prefix}nextOpenTask__title`, label: `${labelPrefix}Next Open Task Title` },
  { key: `${prefix}latestNote__body`, label: `${labelPrefix}Latest Note` },
  { key: `${prefix}taskCount`, label: `${labelPrefix}Number of Tasks`, type: 'integer' },
  { key: `${prefix}openTaskCount`, label: `${labelPrefix}Number of Open Tasks`, type: 'integer' },
  { key: `${prefix}noteCount`, label: `${labelPrefix}Number of Notes`, type: 'integer' },
  { key: `${prefix}appointmentCount`, label: `${labelPrefix}Number of Appointments`, type: 'integer' },
  { key: `${prefix}tasks[]title`, label: `${labelPrefix}Task Titles` },
  { key: `${prefix}tasks[]dueDate`, label: `${labelPrefix}Task Due Dates` },
  { key: `${prefix}notes[]body`, label: `${labelPrefix}Notes` },
  { key: `${prefix}appointments[]title`, label: `${labelPrefix}Appointment Titles` },
  { key: `${prefix}appointments[]startTime`, label: `${labelPrefix}Appointment Start Times` },
];

// ---- Triggers ----

/** A trigger item: the contact plus its full profile, fetched only if a later step uses it (no extra request per poll). */
const withLazyProfile = <T extends { contactId: string }>(z: ZObject, item: T) => ({
  ...item,
  profile: z.dehydrate(hydrateContactProfile, { contactId: item.contactId }),
});

type ContactOut = { customFields?: Array<{ id?: string; value?: unknown }> };

const triggerOutputFields: OutputField[] = [...contactOutputFields, ...profileOutputFields('profile__', 'Full Profile: ')];

/** A contact output with its custom field values by name (lazily, see withCustomFieldsByName). */
const byName = <T extends { customFields?: Array<{ id?: string; value?: unknown }> }>(
  ctx: { z: ZObject; api: GhlClient; locationId: string },
  out: T,
  opts: { lazy?: boolean } = {},
) => withCustomFieldsByName(ctx.z, ctx.api, ctx.locationId, out, opts);

export const newContact = pollingTrigger({
  key: 'new_contact',
  endpoints: ['POST /contacts/search'],
  noun: 'Contact',
  label: 'New Contact',
  description: 'Triggers when a new contact is added to the sub-account.',
  inputFields: [],
  outputFields: [...triggerOutputFields, customFieldOutputFields],
  sample: { ...contactSample, profile: profileSample },
  parse: () => ({}),
  perform: async ({ z, api, locationId }) => {
    const res = await searchContacts(api, {
      locationId,
      pageLimit: POLL_PAGE_SIZE,
      sort: [{ field: 'dateAdded', direction: 'desc' }],
    });
    const contacts = (res.data.contacts ?? []).filter((c) => c.id);
    return Promise.all(contacts.map((c) => byName({ z, api, locationId }, withLazyProfile(z, toContact(c)))));
  },
});

export const newOrUpdatedContact = pollingTrigger({
  key: 'new_or_updated_contact',
  endpoints: ['POST /contacts/search'],
  noun: 'Contact',
  label: 'New or Updated Contact',
  description: 'Triggers when a contact is added or any of its details change.',
  inputFields: [],
  outputFields: [
    { key: 'id', label: 'Change ID (Contact ID and Update Time)' },
    ...triggerOutputFields.filter((f) => f.key !== 'id'),
    customFieldOutputFields,
  ],
  sample: { ...contactSample, id: `${contactSample.id}:${contactSample.dateUpdated}`, profile: profileSample },
  parse: () => ({}),
  perform: async ({ z, api, locationId }) => {
    const res = await searchContacts(api, {
      locationId,
      pageLimit: POLL_PAGE_SIZE,
      sort: [{ field: 'dateUpdated', direction: 'desc' }],
    });
    return Promise.all(
      (res.data.contacts ?? [])
        .filter((c) => c.id)
        .map((c) => {
          const contact = toContact(c);
          // One Zap run per change: Zapier dedupes on `id`, so the update time is part of it.
          const item = withLazyProfile(z, { ...contact, id: `${contact.contactId}:${contact.dateUpdated ?? contact.dateAdded ?? ''}` });
          return byName({ z, api, locationId }, item);
        }),
    );
  },
});

export const contactList = pollingTrigger({
  key: 'contact_list',
  endpoints: ['POST /contacts/search'],
  noun: 'Contact',
  label: 'Contact List',
  description: 'Triggers when a contact is added; lists contacts for dropdowns.',
  hidden: true,
  canPaginate: true,
  inputFields: [],
  parse: () => ({}),
  perform: async ({ api, locationId, bundle }) => {
    const page = Math.max(0, Number(bundle.meta?.page ?? 0) || 0);
    const res = await searchContacts(api, {
      locationId,
      pageLimit: DROPDOWN_PAGE_SIZE,
      page: page + 1,
      sort: [{ field: 'firstNameLowerCase', direction: 'asc' }],
    });
    return (res.data.contacts ?? [])
      .filter((c) => c.id)
      .map((c) => {
        const out = toContact(c);
        // The dropdown shows `name`; make a nameless contact recognisable by its email or phone.
        return { ...out, name: out.name || out.email || out.phone || out.id };
      });
  },
});

// ---- Searches ----

export const findContactById = search({
  key: 'find_contact_by_id',
  endpoints: [
    'GET /contacts/{contactId}',
    'GET /contacts/{contactId}/tasks',
    'GET /contacts/{contactId}/notes',
    'GET /contacts/{contactId}/appointments',
  ],
  noun: 'Contact',
  label: 'Find Contact by ID',
  description: 'Finds a contact by its ID and returns its full profile with tasks, notes, appointments and the most recent task.',
  inputFields: [contactIdField({ helpText: 'The contact to look up. Map the **Contact ID** from an earlier step, or pick one.' })],
  outputFields: [...contactOutputFields, ...profileOutputFields('', ''), customFieldOutputFields],
  sample: profileSample,
  parse: (read) => ({ contactId: read.requiredId('contactId') }),
  perform: async ({ z, api, input, bundle, locationId }) => {
    try {
      return [await byName({ z, api, locationId }, await fetchContactProfile(api, input.contactId, bundle.authData?.locationTimezone))];
    } catch (error) {
      // GHL answers 400 "Contact with id … not found" for a missing contact; a search finds nothing instead.
      if (isContactNotFound(error)) return [];
      throw error;
    }
  },
});

type MatchedBy = 'customField' | 'email' | 'phone' | 'query';

interface FindContactInput {
  customFieldId?: string;
  customFieldValue?: string;
  email?: string;
  phone?: string;
  query?: string;
}

/** The step's opening note: short, because it is the first thing the editor shows; each field's help says the rest. */
const FIND_CONTACT_HELP =
  'Fill in at least one. They are tried in this order and the first that finds a contact wins: **Custom Field** + **Custom Field Value**, **Email**, **Phone**, **Search Text**. ' +
  'If several contacts match, the first is returned with **Ambiguous** = true (add a Filter step "only continue if Ambiguous is false" to stop the Zap then). Nothing found is not an error.';

export const findContact = search({
  key: 'find_contact',
  endpoints: ['POST /contacts/search', 'GET /contacts/search/duplicate', 'GET /locations/{locationId}/customFields'],
  noun: 'Contact',
  label: 'Find Contact',
  description: 'Finds a contact by a custom field value (e.g. an Ecwid customer ID), email, phone or search text.',
  inputFields: [
    { key: 'lookupOrder', label: 'How Find Contact Searches', type: 'copy', helpText: FIND_CONTACT_HELP },
    customFieldIdField({
      helpText:
        'Find the contact whose value in this custom field (e.g. **Ecwid Customer ID**) equals **Custom Field Value**. Tried first; if several contacts have the value, the one added first is returned.',
    }),
    {
      key: 'customFieldValue',
      label: 'Custom Field Value',
      required: false,
      helpText:
        'The value to look for in **Custom Field** (exact match), e.g. the Ecwid customer ID from your trigger. At most 75 characters.',
    },
    {
      key: 'email',
      label: 'Email',
      required: false,
      helpText: "The contact's email address, looked up with GHL's duplicate-contact check (one contact). Tried after the custom field.",
    },
    {
      key: 'phone',
      label: 'Phone',
      required: false,
      helpText: "The contact's phone number in international format, e.g. +14155550123. Tried after email.",
    },
    {
      key: 'query',
      label: 'Search Text',
      required: false,
      helpText:
        'Free text searched across name, email, phone, company and other fields. Tried last; when several contacts match, the first one GHL returns is used and **Match Count** says how many matched. At most 75 characters.',
    },
  ],
  outputFields: [
    ...contactOutputFields,
    { key: 'matchedBy', label: 'Matched By (customField, email, phone or query)' },
    { key: 'matchCount', label: 'Match Count', type: 'integer' },
    { key: 'ambiguous', label: 'Ambiguous (Several Contacts Matched)', type: 'boolean' },
    customFieldOutputFields,
  ],
  sample: { ...contactSample, matchedBy: 'customField', matchCount: 1, ambiguous: false },
  parse: (read): FindContactInput => {
    const customFieldId = read.id('customFieldId');
    const customFieldValue = read.text('customFieldValue', { max: 75 });
    if (customFieldValue !== undefined && customFieldId === undefined) {
      fail(
        '"Custom Field Value" is filled in but no "Custom Field" is picked. Pick the custom field to search in (e.g. Ecwid Customer ID), or clear "Custom Field Value".',
      );
    }
    const input: FindContactInput = {
      ...(customFieldId && customFieldValue !== undefined ? { customFieldId, customFieldValue } : {}),
      email: read.email('email'),
      phone: read.phone('phone'),
      query: read.text('query', { max: 75 }),
    };
    if (!input.customFieldId && !input.email && !input.phone && !input.query) {
      fail(
        'Nothing to search by: fill in at least one of "Custom Field Value" (with a "Custom Field" picked), "Email", "Phone" or "Search Text".',
      );
    }
    return input;
  },
  perform: async ({ z, api, locationId, input }) => {
    const found = async (contacts: Contact[], total: number | undefined, matchedBy: MatchedBy) => {
      const first = contacts[0] as Contact;
      const matchCount = Math.max(typeof total === 'number' ? total : 0, contacts.length);
      return [await byName({ z, api, locationId }, { ...toContact(first), matchedBy, matchCount, ambiguous: matchCount > 1 })];
    };
    const bySearch = async (body: Omit<SearchContactsBody, 'locationId' | 'pageLimit'>, matchedBy: MatchedBy) => {
      const res = await searchContacts(api, { locationId, pageLimit: FIND_PAGE_SIZE, ...body });
      const contacts = (res.data.contacts ?? []).filter((c) => c.id);
      return contacts.length ? found(contacts, res.data.total, matchedBy) : undefined;
    };
    const byDuplicate = async (params: { email?: string; number?: string }, matchedBy: MatchedBy) => {
      const res = await api.get<DuplicateContactResponse>(path`/contacts/search/duplicate`, { locationId, ...params });
      const contact = res.data.contact;
      return contact?.id ? found([contact], 1, matchedBy) : undefined;
    };

    const lookups: Array<() => Promise<Array<Record<string, unknown>> | undefined>> = [];
    if (input.customFieldId && input.customFieldValue !== undefined) {
      const filters = [{ field: `customFields.${input.customFieldId}`, operator: 'eq' as const, value: input.customFieldValue }];
      lookups.push(() => bySearch({ filters, sort: [{ field: 'dateAdded', direction: 'asc' }] }, 'customField'));
    }
    if (input.email) lookups.push(() => byDuplicate({ email: input.email }, 'email'));
    if (input.phone) lookups.push(() => byDuplicate({ number: input.phone }, 'phone'));
    if (input.query) lookups.push(() => bySearch({ query: input.query }, 'query'));
    for (const lookup of lookups) {
      const result = await lookup();
      if (result) return result;
    }
    return [];
  },
});

// ---- Contact input fields (Create / Update) ----

const field = (key: string, label: string, helpText: string, extra: Partial<InputField> = {}): InputField => ({
  key,
  label,
  required: false,
  helpText,
  ...extra,
});

export const standardFields = {
  firstName: field('firstName', 'First Name', "The contact's first (given) name."),
  lastName: field('lastName', 'Last Name', "The contact's last (family) name."),
  name: field('name', 'Full Name', 'Only needed when the name comes in one piece; otherwise GHL builds it from First Name and Last Name.'),
  email: field('email', 'Email', "The contact's email address, e.g. rosa@example.com."),
  phone: field('phone', 'Phone', "The contact's phone number in international format, e.g. +14155550123."),
  address1: field('address1', 'Street Address', 'Street and house number.'),
  city: field('city', 'City', 'The city of the address.'),
  state: field('state', 'State', 'The state, province or region of the address.'),
  postalCode: field('postalCode', 'Postal Code', 'The ZIP or postal code of the address.'),
  country: field('country', 'Country', 'Two-letter ISO country code, e.g. US, GB or DE.'),
  companyName: field('companyName', 'Company Name', "The contact's company, as free text."),
  website: field('website', 'Website', "The contact's website, e.g. `https://delgadoceramics.example.com`."),
  timezone: field('timezone', 'Timezone', "The contact's time zone as an IANA name, e.g. America/Los_Angeles."),
  source: field('source', 'Source', 'Where the contact came from, e.g. Ecwid.'),
  dateOfBirth: field('dateOfBirth', 'Date of Birth', 'The date of birth, e.g. 1988-04-23. Only the date is sent (YYYY-MM-DD).', {
    type: 'datetime',
  }),
  dnd: field('dnd', 'Do Not Disturb', 'Yes stops all calls, texts and emails to this contact from GHL.', { type: 'boolean' }),
};

const KEEP = ' Leave empty to keep the current value.';
const forUpdate = (f: InputField): InputField => ({ ...f, helpText: `${String(f.helpText ?? '')}${KEEP}` });

/**
 * Fields both create and update take, read and checked: the spec's CreateContactDto ∩
 * UpdateContactDto, plus `companyName`, which the v2 spec leaves out of UpdateContactDto but the
 * live PUT accepts (highlevel-api-docs#314 tested the PUT field by field: only `gender`,
 * `locationId`, `id` and the `*LowerCase` fields are refused with 422).
 */
export const readCommonFields = (read: InputReader) => {
  const country = read.text('country', { max: 100 });
  if (country !== undefined && !/^[A-Za-z]{2}$/.test(country)) {
    fail(`"Country" must be a two-letter ISO country code like US, GB or DE, but got "${country}".`);
  }
  const timezone = read.text('timezone', { max: 64 });
  if (timezone !== undefined && !IANAZone.isValidZone(timezone)) {
    fail(`"Timezone" must be a time zone name like America/New_York or Europe/Berlin, but got "${timezone}".`);
  }
  const fields = {
    firstName: read.text('firstName', { max: 255 }),
    lastName: read.text('lastName', { max: 255 }),
    name: read.text('name', { max: 255 }),
    email: read.email('email'),
    phone: read.phone('phone'),
    companyName: read.text('companyName', { max: 255 }),
    address1: read.text('address1', { max: 500 }),
    city: read.text('city', { max: 255 }),
    state: read.text('state', { max: 255 }),
    postalCode: read.text('postalCode', { max: 40 }),
    country: country?.toUpperCase(),
    website: read.text('website', { max: 2000 }),
    timezone,
    source: read.text('source', { max: 255 }),
    assignedTo: read.id('assignedTo'),
    dateOfBirth: read.date('dateOfBirth'),
    dnd: read.bool('dnd'),
  };
  // Never send an empty value: on update it would wipe what the contact already has.
  for (const k of Object.keys(fields) as Array<keyof typeof fields>) if (fields[k] === undefined) delete fields[k];
  return fields;
};

type CommonFields = ReturnType<typeof readCommonFields>;

// ---- Create Contact ----

interface CreateContactInput {
  fields: CommonFields & { tags?: string[] };
  businessId?: string;
}

/** The contact GHL holds for this email (else phone), through the duplicate lookup that is not subject to search lag. */
const findByEmailOrPhone = async (
  api: GhlClient,
  locationId: string,
  fields: { email?: string; phone?: string },
): Promise<string | undefined> => {
  for (const [key, value] of [
    ['email', fields.email],
    ['number', fields.phone],
  ] as const) {
    if (!value) continue;
    const res = await api.get<DuplicateContactResponse>(path`/contacts/search/duplicate`, { locationId, [key]: value });
    if (res.data?.contact?.id) return res.data.contact.id;
  }
  return undefined;
};

/**
 * GHL bug #64: a 422 may still have created the contact, so the contact is looked up. When that
 * lookup fails too, the error is GHL's 422 (what the user must fix), with the lookup's failure after it.
 */
const recoverFrom422 = async (
  z: ZObject,
  api: GhlClient,
  locationId: string,
  fields: { email?: string; phone?: string },
  res: HttpResponse,
): Promise<string | undefined> => {
  try {
    return await findByEmailOrPhone(api, locationId, fields);
  } catch (error) {
    // A refresh or a throttle is retried by Zapier, and the retried create finds the contact if it exists.
    if (['RefreshAuthError', 'ThrottledError'].includes((error as Error)?.name)) throw error;
    const refused = ghlErrorFor(z, res) as Error;
    throw new z.errors.Error(
      `${zapierMessage(refused).replace(/\.?$/, '.')} (Checking whether GHL created the contact anyway failed: ${zapierMessage(error)})`,
      'ghl_invalid_input',
      422,
    );
  }
};

const assertBusinessExists = async (z: ZObject, api: GhlClient, businessId: string): Promise<void> => {
  const res = await api.request({ method: 'GET', path: path`/businesses/${businessId}`, idempotent: true, skipThrowForStatus: true });
  if (res.status === 400 || res.status === 404 || (res.status < 300 && !res.data?.business)) {
    throw new z.errors.Error(
      `No business with ID ${businessId} in this sub-account; nothing was created. Pick the business from the dropdown.`,
      'business_not_found',
      400,
    );
  }
  const error = ghlErrorFor(z, res);
  if (error) throw error;
};

const setBusiness = (api: GhlClient, locationId: string, contactId: string, businessId: string) => {
  const body: ContactsBusinessUpdateBody = { locationId, ids: [contactId], businessId };
  // Setting the same business twice changes nothing, so a dropped connection may be retried.
  return api.post<ContactsBusinessUpdateResponse>(path`/contacts/bulk/business`, body, { idempotent: true });
};

export const createContact = action({
  key: 'create_contact',
  endpoints: [
    'POST /contacts/',
    'GET /contacts/{contactId}',
    'GET /contacts/search/duplicate',
    'POST /contacts/bulk/business',
    'GET /businesses/{businessId}',
    'GET /locations/{locationId}/customFields',
  ],
  noun: 'Contact',
  label: 'Create Contact',
  description:
    "Creates a new contact. If a contact with this email or phone already exists and the sub-account does not allow duplicates (GHL's default), returns that contact (Existing = true) instead of failing, so a replayed Zap never creates a second one.",
  inputFields: [
    standardFields.firstName,
    standardFields.lastName,
    standardFields.name,
    { ...standardFields.email, helpText: `${String(standardFields.email.helpText)} Fill in at least one of Email, Phone or a name.` },
    standardFields.phone,
    standardFields.companyName,
    standardFields.address1,
    standardFields.city,
    standardFields.state,
    standardFields.postalCode,
    standardFields.country,
    standardFields.website,
    standardFields.timezone,
    standardFields.source,
    tagsField({ helpText: 'Tags for the new contact, one per line. Tags that do not exist yet are created by GHL.' }),
    userIdField({ helpText: 'The GHL user who owns this contact. Leave empty for nobody.' }),
    businessIdField({
      helpText:
        'The GHL business (company record) to add the contact to. If the contact already exists and belongs to no business, it is added to this one; a contact in another business is not moved.',
    }),
    standardFields.dateOfBirth,
    standardFields.dnd,
    customFieldInputsForCreate,
  ],
  outputFields: [
    ...contactOutputFields,
    { key: 'existing', label: 'Existing (Contact Was Already in GHL)', type: 'boolean' },
    customFieldOutputFields,
  ],
  sample: { ...contactSample, existing: false },
  parse: (read): CreateContactInput => {
    const fields: CreateContactInput['fields'] = { ...readCommonFields(read), tags: read.list('tags') };
    if (fields.tags === undefined) delete fields.tags;
    if (!fields.email && !fields.phone && !fields.name && !fields.firstName && !fields.lastName) {
      fail('To create a contact, fill in at least one of "Email", "Phone", "First Name", "Last Name" or "Full Name".');
    }
    return { fields, businessId: read.id('businessId') };
  },
  perform: async ({ z, api, locationId, input, bundle }) => {
    // The values by name come from the definitions read for the body (none are read for them alone).
    const done = <T extends ContactOut>(out: T) => byName({ z, api, locationId }, out, { lazy: false });
    // Both checks before anything is written: a business that does not exist must not leave a
    // contact created without it (GHL's create has no businessId; it is set by a second call).
    const [customFields] = await Promise.all([
      customFieldsBody(api, locationId, bundle.inputData ?? {}),
      input.businessId ? assertBusinessExists(z, api, input.businessId) : undefined,
    ]);
    const body: CreateContactRequest = { locationId, ...input.fields, ...(customFields ? { customFields } : {}) };
    const res = await api.post<CreateContactResponse>(path`/contacts/`, body, { skipThrowForStatus: true });

    // The sub-account does not allow duplicates and one exists: return it, so a replayed Zap never creates a second one.
    // GHL bug #64: a create can answer 422 and still create the contact; look it up before reporting a failure.
    const existingId =
      duplicateContactId(res) ?? (res.status === 422 ? await recoverFrom422(z, api, locationId, input.fields, res) : undefined);
    if (existingId) {
      const existing = toContact((await api.get<ContactResponse>(path`/contacts/${existingId}`)).data.contact ?? { id: existingId });
      if (input.businessId && !existing.businessId) {
        await setBusiness(api, locationId, existing.id, input.businessId);
        return done({ ...existing, businessId: input.businessId, existing: true });
      }
      return done({ ...existing, existing: true });
    }
    const error = ghlErrorFor(z, res);
    if (error) throw error;

    const created = toContact(res.data.contact as Contact);
    // CreateContactDto has no businessId (GHL refuses unknown properties with 422); the bulk endpoint sets it.
    if (input.businessId) {
      await setBusiness(api, locationId, created.id, input.businessId);
      return done({ ...created, businessId: input.businessId, existing: false });
    }
    return done({ ...created, existing: false });
  },
});

// ---- Update Contact ----

interface UpdateContactInput {
  contactId: string;
  businessId?: string;
  fields: CommonFields;
  tags?: string[];
}

/**
 * The business move failed after the details were saved: the message says so; the error keeps its
 * code and status (and a throttle or a refresh stays what it is, so Zapier retries as usual).
 */
const businessMoveError = (z: ZObject, error: unknown, detailsSaved: boolean): Error => {
  const e = error as Error;
  if (e?.name !== 'AppError' || !detailsSaved) return e;
  let data: { code?: string; status?: number } = {};
  try {
    data = JSON.parse(e.message) as typeof data;
  } catch {
    data = {};
  }
  return new z.errors.Error(
    `The contact's details were updated, but moving it to the business failed (it is not in that business yet): ${zapierMessage(e)}`,
    data.code ?? 'ghl_bad_request',
    data.status ?? 502,
  );
};

export const updateContact = action({
  key: 'update_contact',
  endpoints: [
    'PUT /contacts/{contactId}',
    'GET /locations/{locationId}/customFields',
    'POST /contacts/bulk/business',
    'GET /contacts/{contactId}',
  ],
  noun: 'Contact',
  label: 'Update Contact',
  description: "Updates a contact's details. Fields left empty keep their current value.",
  inputFields: [
    contactIdField({
      helpText: 'The contact to update. Pick one, or map the **Contact ID** from an earlier step (for example Find Contact).',
    }),
    forUpdate(standardFields.firstName),
    forUpdate(standardFields.lastName),
    forUpdate(standardFields.name),
    forUpdate(standardFields.email),
    forUpdate(standardFields.phone),
    forUpdate(standardFields.companyName),
    forUpdate(standardFields.address1),
    forUpdate(standardFields.city),
    forUpdate(standardFields.state),
    forUpdate(standardFields.postalCode),
    forUpdate(standardFields.country),
    forUpdate(standardFields.website),
    forUpdate(standardFields.timezone),
    forUpdate(standardFields.source),
    userIdField({ helpText: 'The GHL user who owns this contact. Leave empty to keep the current owner.' }),
    forUpdate(standardFields.dateOfBirth),
    forUpdate(standardFields.dnd),
    {
      key: 'replaceTags',
      label: 'Replace All Tags',
      required: false,
      type: 'boolean',
      default: 'false',
      helpText:
        "Yes replaces **all** of the contact's tags with **Tags** below (tags not listed are removed). Leave at No to keep the tags as they are; to add or remove single tags use the **Add Tags to Contact** or **Remove Tags from Contact** actions, which keep the other tags.",
    },
    tagsField({ helpText: 'Only used when **Replace All Tags** is Yes: the complete new list of tags, one per line.' }),
    businessIdField({
      helpText:
        'Moves the contact to this GHL business (company record). Leave empty to keep its current business. (GHL sets the business through a separate call; the contact update itself cannot.)',
    }),
    customFieldInputs,
  ],
  outputFields: [...contactOutputFields, customFieldOutputFields],
  sample: contactSample,
  parse: (read): UpdateContactInput => {
    const contactId = read.requiredId('contactId');
    const fields = readCommonFields(read);
    const replaceTags = read.bool('replaceTags') ?? false;
    const tags = read.list('tags');
    if (tags && !replaceTags) {
      fail(
        '"Tags" is filled in but "Replace All Tags" is No, so the tags would not be changed. Set "Replace All Tags" to Yes to replace every tag, or use the Add Tags to Contact action to add these tags.',
      );
    }
    if (replaceTags && !tags) {
      fail(
        '"Replace All Tags" is Yes but "Tags" is empty; this would remove every tag from the contact. Fill in the tags to keep, or use the Remove Tags from Contact action.',
      );
    }
    return { contactId, fields, businessId: read.id('businessId'), ...(replaceTags ? { tags } : {}) };
  },
  perform: async ({ z, api, locationId, input, bundle }) => {
    const customFields = await customFieldsBody(api, locationId, bundle.inputData ?? {});
    // Only what the user filled in; GHL's PUT refuses locationId and gender with 422 (#313, #314).
    const body: UpdateContactRequest = {
      ...input.fields,
      ...(input.tags ? { tags: input.tags } : {}),
      ...(customFields ? { customFields } : {}),
    };
    const res =
      Object.keys(body).length === 0
        ? // Nothing to change in the details (every mapped value was empty this time): read the contact as it is.
          await api.get<ContactResponse>(path`/contacts/${input.contactId}`)
        : await api.put<UpdateContactResponse>(path`/contacts/${input.contactId}`, body);
    const contact = await byName({ z, api, locationId }, toContact(res.data.contact ?? { id: input.contactId }), { lazy: false });
    if (!input.businessId) return contact;
    // Only after the details were accepted: a refused update must not leave the contact moved
    // (one more round trip, so that a failed step has changed nothing or says what it changed).
    try {
      await setBusiness(api, locationId, input.contactId, input.businessId);
    } catch (error) {
      throw businessMoveError(z, error, Object.keys(body).length > 0);
    }
    return { ...contact, businessId: input.businessId };
  },
});

// ---- Delete Contact ----

/** Task deletes sent at once; GHL allows 100 requests per 10 s per sub-account for all Zaps together. */
const TASK_DELETE_BATCH = 10;

const taskRecord = (t: Task) => ({ id: t.id as string, title: t.title, dueDate: isoDate(t.dueDate), completed: Boolean(t.completed) });

/** Reads a contact and its tasks in parallel; a missing contact is a clear error, never a crash. */
const readContactWithTasks = async (z: ZObject, api: GhlClient, contactId: string, nothingDone: string) => {
  const get = <T>(p: ReturnType<typeof path>) => api.request<T>({ method: 'GET', path: p, idempotent: true, skipThrowForStatus: true });
  const [contactRes, tasksRes] = await Promise.all([
    get<ContactResponse>(path`/contacts/${contactId}`),
    get<{ tasks?: Task[] }>(path`/contacts/${contactId}/tasks`),
  ]);
  if (isNotFoundResponse(contactRes) || (contactRes.status < 300 && !contactRes.data?.contact)) {
    throw new z.errors.Error(`No contact with ID ${contactId} in this sub-account; ${nothingDone}`, 'contact_not_found', 404);
  }
  for (const res of [contactRes, tasksRes]) {
    const error = ghlErrorFor(z, res as HttpResponse);
    if (error) throw error;
  }
  return { contact: toContact(contactRes.data.contact as Contact), tasks: tasksRes.data?.tasks ?? [] };
};

const deleteTasksField: InputField = {
  key: 'deleteTasks',
  label: 'Delete Its Tasks First',
  required: false,
  type: 'boolean',
  default: 'true',
  helpText:
    "Yes deletes each of the contact's tasks one by one before the contact, so the output lists every task removed (GHL would delete them with the contact anyway, without a record). No deletes only the contact.",
};

export const deleteContact = action({
  key: 'delete_contact',
  endpoints: [
    'GET /contacts/{contactId}',
    'GET /contacts/{contactId}/tasks',
    'DELETE /contacts/{contactId}/tasks/{taskId}',
    'DELETE /contacts/{contactId}',
  ],
  noun: 'Contact',
  label: 'Delete Contact',
  description:
    "Deletes a contact for good. Warning: GHL also deletes the contact's tasks and notes, and this cannot be undone. The step's output keeps a record of what was deleted.",
  inputFields: [
    contactIdField({
      helpText: 'The contact to delete. Map the **Contact ID** from an earlier step (for example Find Contact), or pick one.',
    }),
    deleteTasksField,
  ],
  outputFields: [
    { key: 'id', label: 'ID' },
    { key: 'contactId', label: 'Contact ID' },
    { key: 'deleted', label: 'Deleted', type: 'boolean' },
    { key: 'name', label: 'Full Name' },
    { key: 'email', label: 'Email' },
    { key: 'phone', label: 'Phone' },
    { key: 'taskCount', label: 'Number of Tasks Deleted With It', type: 'integer' },
    { key: 'tasksDeleted[]id', label: 'Deleted Task IDs' },
    { key: 'tasksDeleted[]title', label: 'Deleted Task Titles' },
    { key: 'deletedAt', label: 'Deleted At', type: 'datetime' },
  ],
  sample: {
    id: contactSample.id,
    contactId: contactSample.contactId,
    deleted: true,
    name: contactSample.name,
    email: contactSample.email,
    phone: contactSample.phone,
    taskCount: 1,
    tasksDeleted: [{ id: taskSample.id, title: taskSample.title, dueDate: taskSample.dueDate, completed: taskSample.completed }],
    deletedAt: '2026-11-21T10:15:00.000Z',
  },
  parse: (read) => ({ contactId: read.requiredId('contactId'), deleteTasks: read.bool('deleteTasks') ?? true }),
  perform: async ({ z, api, input }) => {
    const { contactId } = input;
    const { contact, tasks } = await readContactWithTasks(z, api, contactId, 'nothing was deleted.');
    const tasksDeleted: ReturnType<typeof taskRecord>[] = [];
    if (input.deleteTasks && tasks.length) {
      // Together, in batches (one round trip per batch, and a contact with hundreds of tasks does not
      // spend GHL's 100-requests-per-10-s budget in one burst); allSettled so that a failure part-way
      // still says exactly which tasks are gone, and the contact is then left in place.
      for (let start = 0; start < tasks.length; start += TASK_DELETE_BATCH) {
        const batch = tasks.slice(start, start + TASK_DELETE_BATCH);
        const results = await Promise.allSettled(batch.map((task) => api.delete(path`/contacts/${contactId}/tasks/${task.id}`)));
        results.forEach((r, i) => r.status === 'fulfilled' && tasksDeleted.push(taskRecord(batch[i] as Task)));
        const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (!failure) continue;
        const done = tasksDeleted.map((t) => `"${t.title ?? t.id}"`).join(', ') || 'none';
        const reason = failure.reason as Error;
        // The token expired part-way: let Zapier refresh it and retry the step, which re-reads the tasks that are left.
        if (reason?.name === 'RefreshAuthError') throw reason;
        if (reason?.name === 'ThrottledError') {
          // Keep Zapier's retry-later with GHL's delay; the retry deletes the tasks that are left.
          const delay = Number((JSON.parse(reason.message) as { delay?: number }).delay) || DEFAULT_THROTTLE_DELAY_SECONDS;
          throw new z.errors.ThrottledError(
            `GHL's rate limit was reached while deleting the contact's tasks, so the contact was NOT deleted yet. Tasks already deleted: ${done}. Zapier will retry in ${delay} s.`,
            delay,
          );
        }
        throw new z.errors.Error(
          `Deleting the contact's tasks failed, so the contact was NOT deleted. Tasks already deleted: ${done}. First failure: ${zapierMessage(reason)}`,
          'partial_task_delete',
          502,
        );
      }
    }
    await api.delete<DeleteContactResponse>(path`/contacts/${contactId}`);
    return {
      id: contactId,
      contactId,
      deleted: true,
      name: contact.name,
      email: contact.email ?? null,
      phone: contact.phone ?? null,
      taskCount: tasks.length,
      tasksDeleted: input.deleteTasks ? tasksDeleted : tasks.map(taskRecord),
      deletedAt: new Date().toISOString(),
    };
  },
});

// ---- Archive Contact (the soft removal) ----

export const archiveContact = action({
  key: 'archive_contact',
  endpoints: [
    'GET /contacts/{contactId}',
    'GET /contacts/{contactId}/tasks',
    'POST /contacts/{contactId}/tags',
    'PUT /contacts/{contactId}/tasks/{taskId}/completed',
  ],
  noun: 'Contact',
  label: 'Archive Contact',
  description:
    'Archives a contact without deleting anything: adds a tag (e.g. ecwid-deleted) and marks its open tasks completed. Use it instead of Delete Contact to keep the history.',
  inputFields: [
    contactIdField({
      helpText: 'The contact to archive. Map the **Contact ID** from an earlier step (for example Find Contact), or pick one.',
    }),
    {
      key: 'tag',
      label: 'Archive Tag',
      required: true,
      default: 'archived',
      helpText: 'The tag that marks the contact as archived, so other Zaps and smart lists can leave it out. Other tags stay.',
    },
    {
      key: 'completeTasks',
      label: 'Complete Open Tasks',
      required: false,
      type: 'boolean',
      default: 'true',
      helpText: 'Yes marks every open task of the contact completed, so nobody follows up with a customer who left.',
    },
  ],
  outputFields: [
    { key: 'id', label: 'ID' },
    { key: 'contactId', label: 'Contact ID' },
    { key: 'archived', label: 'Archived', type: 'boolean' },
    { key: 'name', label: 'Full Name' },
    { key: 'email', label: 'Email' },
    { key: 'tags', label: 'Tags (After the Change)', list: true },
    { key: 'tasksCompleted[]id', label: 'Completed Task IDs' },
    { key: 'tasksCompleted[]title', label: 'Completed Task Titles' },
    { key: 'archivedAt', label: 'Archived At', type: 'datetime' },
  ],
  sample: {
    id: contactSample.id,
    contactId: contactSample.contactId,
    archived: true,
    name: contactSample.name,
    email: contactSample.email,
    tags: [...contactSample.tags, 'ecwid-deleted'],
    tasksCompleted: [{ id: taskSample.id, title: taskSample.title, dueDate: taskSample.dueDate, completed: true }],
    archivedAt: '2026-11-21T10:15:00.000Z',
  },
  parse: (read) => ({
    contactId: read.requiredId('contactId'),
    tag: read.requiredText('tag', { max: 100 }),
    completeTasks: read.bool('completeTasks') ?? true,
  }),
  perform: async ({ z, api, input }) => {
    const { contactId } = input;
    const { contact, tasks } = await readContactWithTasks(z, api, contactId, 'nothing was archived.');
    const open = input.completeTasks ? tasks.filter((t) => !t.completed) : [];
    // The tag and the task completions are independent: one round trip for all of them.
    const [tagged, completed] = await Promise.all([
      api.post<{ tags?: string[] }>(path`/contacts/${contactId}/tags`, { tags: [input.tag] }),
      Promise.all(
        open.map((t) =>
          api
            .put<{ task?: Task }>(path`/contacts/${contactId}/tasks/${t.id}/completed`, { completed: true })
            .then(() => ({ ...taskRecord(t), completed: true })),
        ),
      ),
    ]);
    return {
      id: contactId,
      contactId,
      archived: true,
      name: contact.name,
      email: contact.email ?? null,
      tags: tagged.data.tags ?? [...contact.tags, input.tag],
      tasksCompleted: completed,
      archivedAt: new Date().toISOString(),
    };
  },
});

export const contactOperations: ResourceOperations = {
  triggers: [newContact, newOrUpdatedContact, contactList],
  searches: [findContact, findContactById],
  creates: [createContact, updateContact, deleteContact, archiveContact],
};

/** Zapier search-or-create pairs (Find or Create Contact): find, else create; when found, update with the same step's update fields. */
export const contactSearchOrCreates = {
  find_contact: {
    key: 'find_contact',
    display: {
      label: 'Find or Create Contact',
      description: 'Finds a contact by email, phone or custom field, or creates one if none exists.',
    },
    search: 'find_contact',
    create: 'create_contact',
    update: 'update_contact',
    updateInputFromSearchOutput: { contactId: 'id' },
    // No searchUniqueInputToOutputConstraint: Zapier would drop a found contact whose email differs
    // from the Email input (a contact found by its Ecwid id after the customer changed email, or an
    // email typed in other case), then create a second contact.
  },
};
