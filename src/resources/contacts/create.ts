import type { HttpResponse, ZObject } from 'zapier-platform-core';
import { duplicateContactId, ghlErrorFor, zapierMessage } from '../../http/errors.js';
import { path, type GhlClient } from '../../http/ghl.js';
import type { Contact, ContactResponse, CreateContactRequest, CreateContactResponse, DuplicateContactResponse } from '../../ghl/types.js';
import { action } from '../../operations/define.js';
import contactSample from '../../samples/contact.json' with { type: 'json' };
import { customFieldInputsForCreate, customFieldOutputFields, customFieldsBody } from '../customFields.js';
import { businessIdField, tagsField, userIdField } from '../common/inputFields.js';
import { contactOutputFields, toContact } from '../common/outputs.js';
import { fail, readCommonFields, standardFields, type CommonFields } from './detailFields.js';
import { byName, setBusiness, type ContactOut } from './requests.js';

/** Create Contact: `POST /contacts/` (docs/ghl-api.md §2.16), then `POST /contacts/bulk/business` (§2.24) for its business. */

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
