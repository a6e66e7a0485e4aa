import type { ResourceOperations } from '../../operations/define.js';
import { archiveContact } from './archive.js';
import { createContact } from './create.js';
import { deleteContact } from './delete.js';
import { findContact, findContactById } from './searches.js';
import { contactList, newContact, newOrUpdatedContact } from './triggers.js';
import { updateContact } from './update.js';

export { hydrateContactProfile } from './profile.js';
export { contactUpsertOperations } from './upsert.js';

/**
 * Contacts: GHL's `/contacts/*` endpoints (docs/ghl-api.md §2):
 * - `POST /contacts/search` (§2.21): New Contact, New or Updated Contact, the `contact_list` dropdown,
 *   Find Contact by custom field value or search text;
 * - `GET /contacts/search/duplicate` (§2.22): Find Contact by email or phone;
 * - `GET /contacts/:contactId` with `/tasks`, `/notes`, `/appointments` (§2.1, 2.2, 2.8, 2.13): the
 *   contact profile (Find Contact by ID, the triggers' lazily hydrated `profile`), Delete Contact's record;
 * - `POST /contacts/` (§2.16) and `POST /contacts/bulk/business` (§2.24): Create Contact;
 * - `PUT /contacts/:contactId` (§2.17): Update Contact; `DELETE /contacts/:contactId` (§2.18): Delete Contact.
 *
 * One file per job: triggers.ts, searches.ts, create.ts, update.ts, delete.ts, archive.ts; profile.ts
 * (the profile pull and its hydrator), detailFields.ts (the contact's input fields), requests.ts
 * (what several steps share), records.ts (a contact's tasks, notes and appointments, also read by
 * those nouns), upsert.ts (Create or Update Contact, listed apart to keep the app's operation order).
 */
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
