import type { ZObject } from 'zapier-platform-core';
import { zapierMessage } from '../../http/errors.js';
import { path } from '../../http/ghl.js';
import type { ContactResponse, UpdateContactRequest, UpdateContactResponse } from '../../ghl/types.js';
import { action } from '../../operations/define.js';
import contactSample from '../../samples/contact.json' with { type: 'json' };
import { customFieldInputs, customFieldOutputFields, customFieldsBody } from '../customFields.js';
import { businessIdField, contactIdField, tagsField, userIdField } from '../common/inputFields.js';
import { contactOutputFields, toContact } from '../common/outputs.js';
import { fail, forUpdate, readCommonFields, standardFields, type CommonFields } from './detailFields.js';
import { byName, setBusiness } from './requests.js';

/** Update Contact: `PUT /contacts/:contactId` (docs/ghl-api.md §2.17), then `POST /contacts/bulk/business` (§2.24) for its business. */

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
