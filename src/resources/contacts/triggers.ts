import type { ZObject } from 'zapier-platform-core';
import { pollingTrigger, type OutputField } from '../../operations/define.js';
import contactSample from '../../samples/contact.json' with { type: 'json' };
import { customFieldOutputFields } from '../customFields.js';
import { contactOutputFields, toContact } from '../common/outputs.js';
import { hydrateContactProfile, profileOutputFields, profileSample } from './profile.js';
import { byName, DROPDOWN_PAGE_SIZE, POLL_PAGE_SIZE, searchContacts } from './requests.js';

/**
 * New Contact, New or Updated Contact and the hidden `contact_list` dropdown, all from
 * `POST /contacts/search` (docs/ghl-api.md §2.21).
 */

/** A trigger item: the contact plus its full profile, fetched only if a later step uses it (no extra request per poll). */
const withLazyProfile = <T extends { contactId: string }>(z: ZObject, item: T) => ({
  ...item,
  profile: z.dehydrate(hydrateContactProfile, { contactId: item.contactId }),
});

const triggerOutputFields: OutputField[] = [...contactOutputFields, ...profileOutputFields('profile__', 'Full Profile: ')];

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
