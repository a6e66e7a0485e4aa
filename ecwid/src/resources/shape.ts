import type { EcwidCustomer, EcwidPerson } from '../ecwid-types.js';
import { namesOf } from '../lib/names.js';
import type { DynamicOutputFields, OutputField } from '../operations/define.js';
import { EXTRA_FIELDS, extraFieldOutputFields, extraFieldValues, extraFieldsSummary } from './extraFields.js';

/**
 * Ecwid customer → flat, labelled Zapier output. Flat keys (not Zapier's `billingPerson__street`)
 * so the field picker shows readable names and a missing nested object never removes a field.
 * Text that Ecwid leaves out is '', numbers, booleans and dates are null. The one nested output is
 * `extraFields` (the shop's own questions, keyed by Ecwid's extra field key; src/resources/extraFields.ts).
 * Names keep every word (src/lib/names.ts).
 */

/**
 * Ecwid writes dates as `2014-06-06 18:57:19 +0400` (and accepts UNIX seconds); outputs are
 * ISO-8601 in UTC, `2014-06-06T14:57:19Z`. Anything unreadable becomes null, never a wrong date.
 */
const toIso = (at: Date): string | null => {
  const year = at.getUTCFullYear();
  return Number.isNaN(at.getTime()) || year < 1000 || year > 9999 ? null : at.toISOString().replace(/\.\d{3}Z$/, 'Z');
};

export const isoDate = (value: unknown): string | null => {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? toIso(new Date(value * 1000)) : null;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
  if (!m) return null;
  const zone = !m[3] || m[3] === 'Z' ? 'Z' : `${m[3].slice(0, 3)}:${m[3].slice(-2)}`;
  const time = m[2]!.length === 5 ? `${m[2]}:00` : m[2];
  return toIso(new Date(`${m[1]}T${time}${zone}`));
};

const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);

/** `contacts[]` of a type, default ones first, then in Ecwid's order; each value once. */
const contactsOf = (c: EcwidCustomer, type: string): string[] => {
  const items = (Array.isArray(c.contacts) ? c.contacts : [])
    .filter((x) => !!x && x.type === type && text(x.contact) !== '')
    .map((x, i) => ({ value: text(x.contact), rank: (x.default ? 0 : 1) * 1e6 + (num(x.orderBy) ?? i) }))
    .sort((a, b) => a.rank - b.rank);
  return [...new Set(items.map((x) => x.value))];
};

/** The same number written twice (`+1 (503) 555-0187`, `+15035550187`) is listed once, as first written. */
const uniquePhones = (phones: string[]): string[] => {
  const seen = new Set<string>();
  return phones.filter((p) => {
    const digits = p.replace(/\D/g, '') || p;
    if (!p || seen.has(digits)) return false;
    seen.add(digits);
    return true;
  });
};

/** Newer accounts keep the phone in `contacts[]` (type PHONE) rather than on the billing person. */
const phoneOf = (c: EcwidCustomer): string => text(c.billingPerson?.phone) || (contactsOf(c, 'PHONE')[0] ?? '');

export const toCustomer = (c: EcwidCustomer) => {
  const billing: EcwidPerson = c.billingPerson ?? {};
  const shipping = (c.shippingAddresses ?? []).find((a) => a.defaultAddress) ?? c.shippingAddresses?.[0] ?? {};
  // Get-by-id answers have no top-level `name` (live answers, 2021 and 2025): the billing person's is the name.
  const names = namesOf(text(billing.name) || text(c.name), billing);
  const emails = contactsOf(c, 'EMAIL');
  const email = text(c.email).toLowerCase();
  return {
    id: String(c.id),
    customerId: String(c.id),
    email,
    ...names,
    phone: phoneOf(c),
    allEmails: [...new Set([email, ...emails.map((e) => e.toLowerCase())].filter(Boolean))].join(', '),
    allPhones: uniquePhones([text(billing.phone), ...contactsOf(c, 'PHONE')]).join(', '),
    companyName: text(billing.companyName),
    billingStreet: text(billing.street),
    billingCity: text(billing.city),
    billingPostalCode: text(billing.postalCode),
    billingStateCode: text(billing.stateOrProvinceCode),
    billingStateName: text(billing.stateOrProvinceName),
    billingCountryCode: text(billing.countryCode),
    billingCountryName: text(billing.countryName),
    shippingName: text(shipping.name),
    shippingCompanyName: text(shipping.companyName),
    shippingStreet: text(shipping.street),
    shippingCity: text(shipping.city),
    shippingPostalCode: text(shipping.postalCode),
    shippingStateCode: text(shipping.stateOrProvinceCode),
    shippingCountryCode: text(shipping.countryCode),
    shippingPhone: text(shipping.phone),
    shippingAddressCount: (c.shippingAddresses ?? []).length,
    customerGroupId: num(c.customerGroupId),
    customerGroupName: text(c.customerGroupName) || (c.customerGroupId === 0 ? 'General' : ''),
    acceptMarketing: bool(c.acceptMarketing),
    orderCount: num(c.totalOrderCount) ?? num(c.stats?.numberOfOrders),
    canceledOrderCount: num(c.stats?.numberOfCanceledOrders),
    salesValue: num(c.stats?.salesValue),
    averageOrderValue: num(c.stats?.averageOrderValue),
    firstOrderDate: isoDate(c.stats?.firstOrderDate),
    lastOrderDate: isoDate(c.stats?.lastOrderDate),
    taxId: text(c.taxId),
    taxIdValid: bool(c.taxIdValid),
    taxExempt: bool(c.taxExempt),
    b2bOrB2c: text(c.b2b_b2c),
    lang: text(c.lang),
    registeredAt: isoDate(c.registered),
    updatedAt: isoDate(c.updated),
    [EXTRA_FIELDS]: extraFieldValues(c),
    extraFieldsSummary: extraFieldsSummary(c),
  };
};

export type Customer = ReturnType<typeof toCustomer>;

export const customerOutputFields: OutputField[] = [
  { key: 'id', label: 'Customer ID' },
  { key: 'customerId', label: 'Customer ID (copy)' },
  { key: 'email', label: 'Email' },
  { key: 'name', label: 'Full Name' },
  { key: 'firstName', label: 'First Name' },
  { key: 'lastName', label: 'Last Name' },
  { key: 'phone', label: 'Phone' },
  { key: 'allEmails', label: 'All Emails (comma-separated)' },
  { key: 'allPhones', label: 'All Phones (comma-separated)' },
  { key: 'companyName', label: 'Billing Company Name' },
  { key: 'billingStreet', label: 'Billing Street' },
  { key: 'billingCity', label: 'Billing City' },
  { key: 'billingPostalCode', label: 'Billing Postal Code' },
  { key: 'billingStateCode', label: 'Billing State or Province Code' },
  { key: 'billingStateName', label: 'Billing State or Province' },
  { key: 'billingCountryCode', label: 'Billing Country Code' },
  { key: 'billingCountryName', label: 'Billing Country' },
  { key: 'shippingName', label: 'Default Shipping Address: Name' },
  { key: 'shippingCompanyName', label: 'Default Shipping Address: Company Name' },
  { key: 'shippingStreet', label: 'Default Shipping Address: Street' },
  { key: 'shippingCity', label: 'Default Shipping Address: City' },
  { key: 'shippingPostalCode', label: 'Default Shipping Address: Postal Code' },
  { key: 'shippingStateCode', label: 'Default Shipping Address: State or Province Code' },
  { key: 'shippingCountryCode', label: 'Default Shipping Address: Country Code' },
  { key: 'shippingPhone', label: 'Default Shipping Address: Phone' },
  { key: 'shippingAddressCount', label: 'Number of Shipping Addresses', type: 'integer' },
  { key: 'customerGroupId', label: 'Customer Group ID', type: 'integer' },
  { key: 'customerGroupName', label: 'Customer Group' },
  { key: 'acceptMarketing', label: 'Accepts Marketing Emails', type: 'boolean' },
  { key: 'orderCount', label: 'Number of Orders', type: 'integer' },
  { key: 'canceledOrderCount', label: 'Number of Cancelled Orders', type: 'integer' },
  { key: 'salesValue', label: 'Total Sales Value', type: 'number' },
  { key: 'averageOrderValue', label: 'Average Order Value', type: 'number' },
  { key: 'firstOrderDate', label: 'First Order Date', type: 'datetime' },
  { key: 'lastOrderDate', label: 'Last Order Date', type: 'datetime' },
  { key: 'taxId', label: 'Tax ID' },
  { key: 'taxIdValid', label: 'Tax ID Valid', type: 'boolean' },
  { key: 'taxExempt', label: 'Tax Exempt', type: 'boolean' },
  { key: 'b2bOrB2c', label: 'Business or Consumer (b2b/b2c)' },
  { key: 'lang', label: 'Language' },
  { key: 'registeredAt', label: 'Registered At', type: 'datetime' },
  { key: 'updatedAt', label: 'Last Updated At', type: 'datetime' },
  { key: 'extraFieldsSummary', label: 'Extra Fields (all answers as text)' },
];

/** The static fields plus one per checkout extra field (labelled with its title in the Zap editor). */
export const customerOutputFieldsWithExtras: Array<OutputField | DynamicOutputFields> = [...customerOutputFields, extraFieldOutputFields];
