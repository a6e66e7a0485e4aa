import { path } from '../../http/ghl.js';
import type { Contact, DuplicateContactResponse, SearchContactsBody } from '../../ghl/types.js';
import { search } from '../../operations/define.js';
import contactSample from '../../samples/contact.json' with { type: 'json' };
import { customFieldIdField, customFieldOutputFields } from '../customFields.js';
import { contactIdField } from '../common/inputFields.js';
import { contactOutputFields, toContact } from '../common/outputs.js';
import { fail } from './detailFields.js';
import { fetchContactProfile, profileOutputFields, profileSample } from './profile.js';
import { byName, FIND_PAGE_SIZE, isContactNotFound, searchContacts } from './requests.js';

/**
 * Find Contact by ID (the contact profile) and Find Contact (by custom field value, email, phone or
 * search text: `POST /contacts/search` docs/ghl-api.md §2.21, `GET /contacts/search/duplicate` §2.22).
 */

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
