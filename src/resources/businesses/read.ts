import type { BusinessContact, BusinessesResponse } from '../../ghl/types.js';
import { ghlErrorFor } from '../../http/errors.js';
import { path } from '../../http/ghl.js';
import { InvalidInputError } from '../../lib/input.js';
import { pollingTrigger, search } from '../../operations/define.js';
import contactSample from '../../samples/contact.json' with { type: 'json' };
import { isNotFoundResponse } from '../contacts/records.js';
import { businessIdField } from '../common/inputFields.js';
import { contactOutputFields, toContact } from '../common/outputs.js';
import { BUSINESS_PAGE_SIZE, toBusiness } from './shape.js';

/**
 * Businesses: GHL's `GET /businesses/?locationId=` (the sub-account's businesses, docs/ghl-api.md §2.25) for the
 * hidden `business_list` dropdown, and `GET /contacts/business/:businessId` (§2.15) for Find
 * Contacts in Business.
 */

export const BUSINESS_CONTACTS_DEFAULT_LIMIT = 25;
export const BUSINESS_CONTACTS_MAX_LIMIT = 100;

export const businessList = pollingTrigger({
  key: 'business_list',
  endpoints: ['GET /businesses/'],
  noun: 'Business',
  label: 'Business List',
  description: 'Triggers when a business is added to the sub-account; lists businesses for dropdowns.',
  hidden: true,
  canPaginate: true,
  inputFields: [],
  parse: () => ({}),
  perform: async ({ api, locationId, bundle }) => {
    const page = Math.max(0, Number(bundle.meta?.page ?? 0) || 0);
    const res = await api.get<BusinessesResponse>(path`/businesses/`, {
      locationId,
      limit: BUSINESS_PAGE_SIZE,
      skip: page * BUSINESS_PAGE_SIZE,
    });
    return (res.data.businesses ?? []).filter((b) => typeof b.id === 'string' && b.id !== '').map(toBusiness);
  },
});

export const findContactsInBusiness = search({
  key: 'find_contacts_in_business',
  endpoints: ['GET /contacts/business/{businessId}'],
  noun: 'Contact',
  label: 'Find Contacts in Business',
  description: 'Finds the contacts that belong to a business, optionally only those matching a search text.',
  inputFields: [
    businessIdField({ required: true, helpText: 'The GHL business (company record) whose contacts to find.' }),
    {
      key: 'query',
      label: 'Search Text',
      required: false,
      helpText: "Only return contacts whose name, email or phone contains this text. Leave empty for all of the business's contacts.",
    },
    {
      key: 'limit',
      label: 'Maximum Number of Contacts',
      required: false,
      type: 'integer',
      default: String(BUSINESS_CONTACTS_DEFAULT_LIMIT),
      helpText: `How many contacts to return at most (1–${BUSINESS_CONTACTS_MAX_LIMIT}). The first one is used by later steps unless you loop over the results.`,
    },
  ],
  outputFields: contactOutputFields,
  sample: contactSample,
  parse: (read) => {
    const limitText = read.text('limit', { max: 10 });
    let limit = BUSINESS_CONTACTS_DEFAULT_LIMIT;
    if (limitText !== undefined) {
      limit = Number(limitText);
      if (!Number.isInteger(limit) || limit < 1 || limit > BUSINESS_CONTACTS_MAX_LIMIT) {
        throw new InvalidInputError(
          `"Maximum Number of Contacts" must be a whole number from 1 to ${BUSINESS_CONTACTS_MAX_LIMIT}, but got "${limitText}".`,
        );
      }
    }
    return { businessId: read.requiredId('businessId'), query: read.text('query', { max: 100 }), limit };
  },
  perform: async ({ z, api, locationId, input }) => {
    const res = await api.request<{ contacts?: BusinessContact[] }>({
      method: 'GET',
      path: path`/contacts/business/${input.businessId}`,
      params: { locationId, limit: input.limit, skip: 0, query: input.query },
      idempotent: true,
      skipThrowForStatus: true,
    });
    // A business that does not exist (or was deleted) has no contacts: a search finds nothing rather than failing.
    if (isNotFoundResponse(res)) return [];
    const error = ghlErrorFor(z, res);
    if (error) throw error;
    return (res.data.contacts ?? [])
      .filter((c) => typeof c.id === 'string' && c.id !== '')
      .map((c) => ({ ...toContact(c), businessId: c.businessId ?? input.businessId }));
  },
});
