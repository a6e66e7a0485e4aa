import type { UpsertContactBody, UpsertContactResponse } from '../../ghl/automationTypes.js';
import type { ContactTagsResponse, DuplicateContactResponse } from '../../ghl/types.js';
import { ghlErrorFor, ghlMessage } from '../../http/errors.js';
import { path, type GhlClient } from '../../http/ghl.js';
import { InvalidInputError } from '../../lib/input.js';
import { action, type ResourceOperations } from '../../operations/define.js';
import contactSample from '../../samples/contact.json' with { type: 'json' };
import { readCommonFields, standardFields } from './detailFields.js';
import { customFieldInputs, customFieldsBody } from '../customFields.js';
import { tagsField, userIdField } from '../common/inputFields.js';
import { contactOutputFields, toContact } from '../common/outputs.js';

/**
 * Create or Update Contact: `POST /contacts/upsert` (docs/ghl-api.md §2.23, `contacts.write`) finds the
 * contact the sub-account's duplicate settings point at (email, then phone, by default) and
 * updates it, or creates one; it answers `{ new, contact }`.
 *
 * GHL's upsert drops data without an error in known cases, so the step compares what it sent with
 * the contact GHL answers and reports every difference instead of succeeding quietly:
 * - the email matched one contact and the phone belongs to another: GHL updates the first and
 *   ignores the phone (highlevel-api-docs#37; the spec's description says so too); the other
 *   contact is looked up (one extra read, only then) so the message can name it;
 * - `gender` on an existing contact is accepted, answered with the stored value and discarded
 *   (highlevel-api-docs#313).
 * Not detectable from the answer: an email equal to an existing contact's *additional* email makes
 * it the primary and drops the old primary (highlevel-api-docs#337); the help text warns about it.
 * A phone-only upsert was refused with 422 for n8n (n8n-io/n8n#11353); such a 422 says what to do.
 *
 * Tags are added after the upsert with `POST /contacts/:id/tags`, because `tags` in the upsert body
 * replaces all of an existing contact's tags (§2.17).
 */

const digits = (s: string | undefined | null) => (s ?? '').replace(/\D/g, '');
/** GHL stores E.164 (a 10-digit US number gains +1), so one number may be the other's tail. */
const samePhone = (sent: string, stored: string | undefined | null) => {
  const a = digits(sent);
  const b = digits(stored);
  return a !== '' && b !== '' && (a === b || (Math.min(a.length, b.length) >= 7 && (a.endsWith(b) || b.endsWith(a))));
};
const sameText = (a: string, b: string | undefined | null) => a.trim().toLowerCase() === (b ?? '').trim().toLowerCase();

interface Dropped {
  field: 'email' | 'phone' | 'gender';
  sent: string;
  kept?: string;
  why: string;
}

const lookupOwner = async (api: GhlClient, locationId: string, by: { email?: string; number?: string }, except: string) => {
  try {
    const res = await api.get<DuplicateContactResponse>(path`/contacts/search/duplicate`, { locationId, ...by });
    const owner = res.data?.contact;
    return owner?.id && owner.id !== except ? owner.id : undefined;
  } catch {
    // Only used to word the report; the report is made without it.
    return undefined;
  }
};

export const createOrUpdateContact = action({
  key: 'create_or_update_contact',
  endpoints: [
    'GET /locations/{locationId}/customFields',
    'POST /contacts/upsert',
    'GET /contacts/search/duplicate',
    'POST /contacts/{contactId}/tags',
  ],
  noun: 'Contact',
  label: 'Create or Update Contact',
  description:
    "Creates a contact, or updates the one GHL's duplicate settings match by email or phone, in one step; says which, and reports any value GHL ignored.",
  inputFields: [
    {
      ...standardFields.email,
      helpText:
        "The contact's email address; GHL looks the contact up by it first (then by phone). Warning: an email that is another contact's additional email becomes that contact's primary email and GHL drops its old primary (a GHL bug).",
    },
    {
      ...standardFields.phone,
      helpText: "The contact's phone number in international format, e.g. +14155550123. Email or Phone is required.",
    },
    standardFields.firstName,
    standardFields.lastName,
    standardFields.name,
    standardFields.companyName,
    standardFields.address1,
    standardFields.city,
    standardFields.state,
    standardFields.postalCode,
    standardFields.country,
    standardFields.website,
    standardFields.timezone,
    standardFields.source,
    standardFields.dateOfBirth,
    {
      key: 'gender',
      label: 'Gender',
      required: false,
      choices: { male: 'Male', female: 'Female', other: 'Other' },
      helpText: 'GHL keeps it only on new contacts; on an existing contact it is reported as not saved.',
    },
    userIdField(),
    tagsField({ helpText: 'Tags to add, one per line. Tags the contact already has are kept.' }),
    customFieldInputs,
    {
      key: 'stopOnDroppedData',
      label: 'Stop If GHL Ignores a Value',
      type: 'boolean',
      required: false,
      default: 'true',
      helpText:
        'Yes (recommended) stops the Zap with an error naming each value GHL did not save (e.g. a phone that belongs to another contact). The rest of the contact is saved either way. No continues and lists them in Ignored Values.',
    },
  ],
  outputFields: [
    ...contactOutputFields,
    { key: 'created', label: 'Created (New Contact)', type: 'boolean' },
    { key: 'result', label: 'Result (created or updated)' },
    { key: 'ignoredFields', label: 'Ignored Fields', list: true },
    { key: 'ignoredValues', label: 'Ignored Values (Why)', list: true },
  ],
  sample: { ...contactSample, created: false, result: 'updated', ignoredFields: [], ignoredValues: [] },
  parse: (read) => {
    const fields = readCommonFields(read);
    if (!fields.email && !fields.phone) {
      throw new InvalidInputError(
        'Create or Update Contact needs an Email or a Phone: GHL finds the existing contact by them. Map at least one.',
      );
    }
    const companyName = read.text('companyName', { max: 255 });
    const gender = read.choice('gender', ['male', 'female', 'other'] as const);
    return {
      body: { ...fields, ...(companyName ? { companyName } : {}), ...(gender ? { gender } : {}) } as Omit<UpsertContactBody, 'locationId'>,
      tags: read.list('tags'),
      stopOnDroppedData: read.bool('stopOnDroppedData') ?? true,
    };
  },
  perform: async ({ z, api, input, locationId, bundle }) => {
    const sent = input.body;
    // Custom field values are checked and converted against the definitions (read only when some are given).
    const customFields = await customFieldsBody(api, locationId, bundle.inputData ?? {});
    const res = await api.post<UpsertContactResponse>(
      path`/contacts/upsert`,
      { locationId, ...sent, ...(customFields ? { customFields } : {}) },
      { skipThrowForStatus: true },
    );
    if (res.status === 422 && !sent.email) {
      throw new z.errors.Error(
        `GHL refused to create or update by phone alone: ${ghlMessage(res.data) ?? 'HTTP 422'}. GHL has refused phone-only upserts before (n8n-io/n8n#11353); map the Email too, or use Find or Create Contact.`,
        'ghl_invalid_input',
        422,
      );
    }
    const error = ghlErrorFor(z, res);
    if (error) throw error;
    const contact = res.data?.contact;
    if (!contact?.id) {
      throw new z.errors.Error(
        'GHL answered the upsert without a contact. GHL may or may not have saved it; a replay of this step is safe (it finds the contact by email or phone).',
        'ghl_unreadable_response',
        502,
      );
    }
    const created = res.data?.new === true;

    const dropped: Dropped[] = [];
    if (sent.email && !sameText(sent.email, contact.email)) {
      const owner = await lookupOwner(api, locationId, { email: sent.email }, contact.id);
      dropped.push({
        field: 'email',
        sent: sent.email,
        kept: contact.email ?? undefined,
        why: `GHL matched the contact by phone and did not save the email${owner ? `, which belongs to contact ${owner}` : ''} (highlevel-api-docs#37)`,
      });
    }
    if (sent.phone && !samePhone(sent.phone, contact.phone)) {
      const owner = await lookupOwner(api, locationId, { number: sent.phone }, contact.id);
      dropped.push({
        field: 'phone',
        sent: sent.phone,
        kept: contact.phone ?? undefined,
        why: `GHL matched the contact by email and did not save the phone${owner ? `, which belongs to contact ${owner}` : ''} (highlevel-api-docs#37)`,
      });
    }
    if (sent.gender && !sameText(sent.gender, contact.gender)) {
      dropped.push({
        field: 'gender',
        sent: sent.gender,
        kept: contact.gender ?? undefined,
        why: 'GHL does not change the gender of an existing contact through the API (highlevel-api-docs#313); set it in GHL',
      });
    }

    let tags = contact.tags ?? [];
    if (input.tags?.length) {
      const tagged = await api.post<ContactTagsResponse>(path`/contacts/${contact.id}/tags`, { tags: input.tags });
      tags = tagged.data?.tags ?? [...new Set([...tags, ...input.tags])];
    }

    const ignoredValues = dropped.map((d) => `${d.field} "${d.sent}" not saved${d.kept ? ` (kept "${d.kept}")` : ''}: ${d.why}`);
    if (dropped.length && input.stopOnDroppedData) {
      throw new z.errors.Error(
        `GHL ${created ? 'created' : 'updated'} contact ${contact.id} but ignored ${dropped.length === 1 ? 'a value' : `${dropped.length} values`}: ${ignoredValues.join('; ')}. Everything else was saved; a replay gives the same result. Fix the data in GHL, or set Stop If GHL Ignores a Value to No.`,
        'ghl_ignored_values',
        409,
      );
    }
    return {
      ...toContact({ ...contact, tags }),
      created,
      result: created ? 'created' : 'updated',
      ignoredFields: dropped.map((d) => d.field),
      ignoredValues,
    };
  },
});

export const contactUpsertOperations: ResourceOperations = { triggers: [], searches: [], creates: [createOrUpdateContact] };
