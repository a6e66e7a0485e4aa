import { PAGE_SIZE } from '../config.js';
import type { EcwidCustomer, EcwidPage } from '../ecwid-types.js';
import { path, type EcwidClient, type Params } from '../http/ecwid.js';
import { InvalidInputError } from '../lib/input.js';
import { pollingTrigger, search, type ResourceOperations } from '../operations/define.js';
import customerSample from '../samples/customer.json' with { type: 'json' };
import { extraFieldOutputFields } from './extraFields.js';
import { customerOutputFields, customerOutputFieldsWithExtras, toCustomer } from './shape.js';

/**
 * Customers: Ecwid's `GET /customers` (search, full customer objects in `items`, newest first with
 * `sortBy`, `limit` ≤ 100) and `GET /customers/{customerId}` (404 when there is none).
 * Each poll is one request at any store size: the newest 100 are enough because Zapier dedupes
 * on `id` and a poll runs every few minutes.
 */

const searchCustomers = (api: EcwidClient, query: Params) => api.get<EcwidPage<EcwidCustomer>>(path`/customers`, query);

const validItems = (page: EcwidPage<EcwidCustomer> | undefined): EcwidCustomer[] =>
  (page?.items ?? []).filter((c): c is EcwidCustomer => !!c && Number.isInteger(c.id) && c.id > 0);

export const newCustomer = pollingTrigger({
  key: 'new_customer',
  endpoints: ['GET /{storeId}/customers'],
  noun: 'Customer',
  label: 'New Customer',
  description: 'Triggers when a customer registers in your Ecwid store (or is added in the Ecwid admin).',
  inputFields: [],
  outputFields: customerOutputFieldsWithExtras,
  sample: customerSample,
  parse: () => ({}),
  perform: async ({ api }) => {
    const page = await searchCustomers(api, { sortBy: 'REGISTERED_DATE_DESC', limit: PAGE_SIZE });
    return validItems(page).map(toCustomer);
  },
});

export const newOrUpdatedCustomer = pollingTrigger({
  key: 'new_or_updated_customer',
  endpoints: ['GET /{storeId}/customers'],
  noun: 'Customer',
  label: 'New or Updated Customer',
  description: 'Triggers when a customer registers or any of their details change (name, address, group, marketing consent, orders).',
  inputFields: [],
  outputFields: [
    { key: 'id', label: 'Change ID (Customer ID and Update Time)' },
    ...customerOutputFields.filter((f) => f.key !== 'id').map((f) => (f.key === 'customerId' ? { ...f, label: 'Customer ID' } : f)),
    extraFieldOutputFields,
  ],
  sample: { ...customerSample, id: `${customerSample.customerId}:${customerSample.updatedAt}` },
  parse: () => ({}),
  perform: async ({ api }) => {
    const page = await searchCustomers(api, { sortBy: 'UPDATED_DATE_DESC', limit: PAGE_SIZE });
    // One Zap run per change: Zapier dedupes on `id`, so the update time is part of it.
    return validItems(page).map((c) => {
      const customer = toCustomer(c);
      return { ...customer, id: `${customer.customerId}:${customer.updatedAt ?? customer.registeredAt ?? ''}` };
    });
  },
});

/** Hidden dropdown behind Find Customer's Customer ID: newest customers first, 100 per page. */
export const customerList = pollingTrigger({
  key: 'customer_list',
  endpoints: ['GET /{storeId}/customers'],
  noun: 'Customer',
  label: 'Customer List',
  description: 'Triggers when a customer registers; lists customers for dropdowns.',
  hidden: true,
  canPaginate: true,
  inputFields: [],
  outputFields: [
    { key: 'id', label: 'Customer ID' },
    { key: 'label', label: 'Name and Email' },
    { key: 'name', label: 'Full Name' },
    { key: 'email', label: 'Email' },
  ],
  sample: {
    id: customerSample.id,
    label: 'Jules Okafor <jules.okafor@example.com>',
    name: customerSample.name,
    email: customerSample.email,
  },
  parse: () => ({}),
  perform: async ({ api, bundle }) => {
    const page = Math.max(0, Number(bundle.meta?.page ?? 0) || 0);
    const res = await searchCustomers(api, { sortBy: 'REGISTERED_DATE_DESC', offset: page * PAGE_SIZE, limit: PAGE_SIZE });
    return validItems(res).map((c) => {
      const { id, name, email } = toCustomer(c);
      return { id, label: name ? `${name} <${email}>` : email || `Customer ${id}`, name, email };
    });
  },
});

export const findCustomer = search({
  key: 'find_customer',
  endpoints: ['GET /{storeId}/customers/{customerId}', 'GET /{storeId}/customers'],
  noun: 'Customer',
  label: 'Find Customer',
  description: 'Finds a customer in your Ecwid store by customer ID or by email.',
  inputFields: [
    {
      key: 'customerId',
      label: 'Customer ID',
      type: 'string',
      required: false,
      dynamic: 'customer_list.id.label',
      helpText:
        'The Ecwid customer ID (digits): pick a customer, or map the Customer ID of an Ecwid trigger. Used first when both fields are set.',
    },
    {
      key: 'email',
      label: 'Email',
      type: 'string',
      required: false,
      helpText: 'The customer’s email address; it must match exactly (letter case aside).',
    },
  ],
  outputFields: customerOutputFieldsWithExtras,
  sample: customerSample,
  parse: (read) => {
    const customerId = read.ecwidId('customerId');
    const email = read.email('email');
    if (!customerId && !email) throw new InvalidInputError('Fill in "Customer ID" or "Email": Find Customer needs one of them.');
    return customerId ? { by: 'id' as const, customerId } : { by: 'email' as const, email: email as string };
  },
  perform: async ({ api, input }) => {
    if (input.by === 'id') {
      const customer = await api.get<EcwidCustomer>(path`/customers/${input.customerId}`, undefined, { allow404: true });
      return customer && Number.isInteger(customer.id) ? [toCustomer(customer)] : [];
    }
    // Ecwid's `email` filter is not documented as exact, so the answer is filtered here.
    const page = await searchCustomers(api, { email: input.email, limit: PAGE_SIZE });
    return validItems(page)
      .filter((c) => (c.email ?? '').trim().toLowerCase() === input.email)
      .map(toCustomer);
  },
});

export const customerOperations: ResourceOperations = {
  triggers: [newCustomer, newOrUpdatedCustomer, customerList],
  searches: [findCustomer],
};
