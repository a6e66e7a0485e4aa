import type { ZObject } from 'zapier-platform-core';
import type { Business } from '../../ghl/types.js';
import type { components as BusinessesSpec } from '../../../openapi/types/businesses.js';
import { path } from '../../http/ghl.js';
import { InvalidInputError, type InputReader } from '../../lib/input.js';
import { action, type InputField } from '../../operations/define.js';
import businessSample from '../../samples/business.json' with { type: 'json' };
import { businessIdField } from '../common/inputFields.js';
import { BUSINESS_NAME_MAX } from './find.js';
import { businessOutputFields, businessesNamed, toBusiness } from './shape.js';

/**
 * Create Business (`POST /businesses/`) and Update Business (`PUT /businesses/{businessId}`).
 *
 * Create looks the name up first (the same comparison as Find Business) and returns the business
 * that has it, changing nothing: GHL accepts a second business with the same name, so without the
 * look-up a replayed Zap (or a Find or Create whose find ran before another Zap's create) would
 * make a duplicate.
 *
 * Both answer `{ success, buiseness }` in GHL's spec (`UpdateBusinessResponseDto`, GHL's
 * spelling); `business` is read too, in case GHL corrects it.
 */

type CreateBusinessBody = BusinessesSpec['schemas']['CreateBusinessDto'];
type UpdateBusinessBody = BusinessesSpec['schemas']['UpdateBusinessDto'];
type BusinessWriteResponse = { success?: boolean; buiseness?: Business; business?: Business };

const text = (key: string, label: string, helpText: string, max = 500): InputField & { max: number } => ({
  key,
  label,
  required: false,
  helpText,
  max,
});

const DETAIL_FIELDS = [
  text('email', 'Email', "The business's email address."),
  text('phone', 'Phone', "The business's phone number in international format, e.g. +18025550150.", 40),
  text('website', 'Website', "The business's website, e.g. `https://example.com`."),
  text('address', 'Address', 'Street and number.'),
  text('city', 'City', 'City.', 200),
  text('state', 'State', 'State or region.', 200),
  text('postalCode', 'Postal Code', 'Postal or ZIP code.', 40),
  text('country', 'Country', 'Country, e.g. US.', 100),
  text('description', 'Description', 'A note on the business, e.g. "Ecwid customer group: Wholesale".', 2000),
];

type Details = Omit<UpdateBusinessBody, 'name'>;

const inputFieldsOf = (fields: Array<InputField & { max: number }>): InputField[] => fields.map(({ max: _max, ...f }) => f);

const readDetails = (read: InputReader): Details => {
  const out: Record<string, string | undefined> = {};
  for (const f of DETAIL_FIELDS) {
    if (f.key === 'email') out.email = read.email('email');
    else if (f.key === 'phone') out.phone = read.phone('phone');
    else out[f.key] = read.text(f.key, { max: f.max });
  }
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out as Details;
};

/** The business an answer carries, or (for an answer without one) what was sent, with the id. */
const answered = (data: BusinessWriteResponse | undefined, fallback: Business): Business => {
  const b = data?.buiseness ?? data?.business;
  return b && typeof b.id === 'string' && b.id !== '' ? b : fallback;
};

const noIdError = (z: ZObject) =>
  new z.errors.Error(
    'GHL answered Create Business without the new business (no id). It may have been created; run the step again: it finds a business with this name before creating one.',
    'ghl_unreadable_response',
    502,
  );

export const createBusiness = action({
  key: 'create_business',
  endpoints: ['GET /businesses/', 'POST /businesses/'],
  noun: 'Business',
  label: 'Create Business',
  description:
    'Creates a business (company record), unless one with the same name exists (letter case and spaces aside): then returns it (Existing = true) and changes nothing, so a replayed Zap never creates a second one.',
  inputFields: [
    {
      key: 'name',
      label: 'Business Name',
      required: true,
      helpText: 'The name of the business, e.g. an Ecwid customer group (**Wholesale**).',
    },
    ...inputFieldsOf(DETAIL_FIELDS),
  ],
  outputFields: [...businessOutputFields, { key: 'existing', label: 'Existing (Business Was Already in GHL)', type: 'boolean' }],
  sample: { ...businessSample, existing: false },
  parse: (read) => ({ name: read.requiredText('name', { max: BUSINESS_NAME_MAX }), details: readDetails(read) }),
  perform: async ({ z, api, locationId, input }) => {
    const [existing] = await businessesNamed(z, api, locationId, input.name);
    if (existing) return { ...toBusiness(existing), existing: true };
    const body: CreateBusinessBody = { name: input.name, locationId, ...input.details };
    const res = await api.post<BusinessWriteResponse>(path`/businesses/`, body);
    const created = answered(res.data, { id: '', name: input.name, locationId });
    if (!created.id) throw noIdError(z);
    return { ...toBusiness(created), existing: false };
  },
});

export const updateBusiness = action({
  key: 'update_business',
  endpoints: ['PUT /businesses/{businessId}'],
  noun: 'Business',
  label: 'Update Business',
  description: "Updates a business's name or details; fields left empty keep their current value.",
  inputFields: [
    businessIdField({
      required: true,
      helpText: 'The GHL business to update. Pick one, or map the **Business ID** of an earlier step (for example Find Business).',
    }),
    { key: 'name', label: 'Business Name', required: false, helpText: 'A new name for the business. Leave empty to keep the name.' },
    ...inputFieldsOf(DETAIL_FIELDS),
  ],
  outputFields: businessOutputFields,
  sample: businessSample,
  parse: (read) => {
    const name = read.text('name', { max: BUSINESS_NAME_MAX });
    const body: UpdateBusinessBody = { ...(name !== undefined ? { name } : {}), ...readDetails(read) };
    if (Object.keys(body).length === 0) {
      throw new InvalidInputError('Nothing to update: fill in "Business Name" or at least one of the business\'s details.');
    }
    return { businessId: read.requiredId('businessId'), body };
  },
  perform: async ({ api, locationId, input }) => {
    const res = await api.put<BusinessWriteResponse>(path`/businesses/${input.businessId}`, input.body);
    return toBusiness(answered(res.data, { id: input.businessId, name: input.body.name ?? '', locationId, ...input.body }));
  },
});
