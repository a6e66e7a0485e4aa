import { IANAZone } from 'luxon';
import { InvalidInputError, type InputReader } from '../../lib/input.js';
import type { InputField } from '../../operations/define.js';

/**
 * The contact's details as input fields, shared by Create, Update and Create or Update Contact, and
 * the reading and checking of what the user filled in.
 */

export const fail = (message: string): never => {
  throw new InvalidInputError(message);
};

const field = (key: string, label: string, helpText: string, extra: Partial<InputField> = {}): InputField => ({
  key,
  label,
  required: false,
  helpText,
  ...extra,
});

export const standardFields = {
  firstName: field('firstName', 'First Name', "The contact's first (given) name."),
  lastName: field('lastName', 'Last Name', "The contact's last (family) name."),
  name: field('name', 'Full Name', 'Only needed when the name comes in one piece; otherwise GHL builds it from First Name and Last Name.'),
  email: field('email', 'Email', "The contact's email address, e.g. rosa@example.com."),
  phone: field('phone', 'Phone', "The contact's phone number in international format, e.g. +14155550123."),
  address1: field('address1', 'Street Address', 'Street and house number.'),
  city: field('city', 'City', 'The city of the address.'),
  state: field('state', 'State', 'The state, province or region of the address.'),
  postalCode: field('postalCode', 'Postal Code', 'The ZIP or postal code of the address.'),
  country: field('country', 'Country', 'Two-letter ISO country code, e.g. US, GB or DE.'),
  companyName: field('companyName', 'Company Name', "The contact's company, as free text."),
  website: field('website', 'Website', "The contact's website, e.g. `https://delgadoceramics.example.com`."),
  timezone: field('timezone', 'Timezone', "The contact's time zone as an IANA name, e.g. America/Los_Angeles."),
  source: field('source', 'Source', 'Where the contact came from, e.g. Ecwid.'),
  dateOfBirth: field('dateOfBirth', 'Date of Birth', 'The date of birth, e.g. 1988-04-23. Only the date is sent (YYYY-MM-DD).', {
    type: 'datetime',
  }),
  dnd: field('dnd', 'Do Not Disturb', 'Yes stops all calls, texts and emails to this contact from GHL.', { type: 'boolean' }),
};

const KEEP = ' Leave empty to keep the current value.';
export const forUpdate = (f: InputField): InputField => ({ ...f, helpText: `${String(f.helpText ?? '')}${KEEP}` });

/**
 * Fields both create and update take, read and checked: the spec's CreateContactDto ∩
 * UpdateContactDto, plus `companyName`, which the v2 spec leaves out of UpdateContactDto but the
 * live PUT accepts (highlevel-api-docs#314 tested the PUT field by field: only `gender`,
 * `locationId`, `id` and the `*LowerCase` fields are refused with 422).
 */
export const readCommonFields = (read: InputReader) => {
  const country = read.text('country', { max: 100 });
  if (country !== undefined && !/^[A-Za-z]{2}$/.test(country)) {
    fail(`"Country" must be a two-letter ISO country code like US, GB or DE, but got "${country}".`);
  }
  const timezone = read.text('timezone', { max: 64 });
  if (timezone !== undefined && !IANAZone.isValidZone(timezone)) {
    fail(`"Timezone" must be a time zone name like America/New_York or Europe/Berlin, but got "${timezone}".`);
  }
  const fields = {
    firstName: read.text('firstName', { max: 255 }),
    lastName: read.text('lastName', { max: 255 }),
    name: read.text('name', { max: 255 }),
    email: read.email('email'),
    phone: read.phone('phone'),
    companyName: read.text('companyName', { max: 255 }),
    address1: read.text('address1', { max: 500 }),
    city: read.text('city', { max: 255 }),
    state: read.text('state', { max: 255 }),
    postalCode: read.text('postalCode', { max: 40 }),
    country: country?.toUpperCase(),
    website: read.text('website', { max: 2000 }),
    timezone,
    source: read.text('source', { max: 255 }),
    assignedTo: read.id('assignedTo'),
    dateOfBirth: read.date('dateOfBirth'),
    dnd: read.bool('dnd'),
  };
  // Never send an empty value: on update it would wipe what the contact already has.
  for (const k of Object.keys(fields) as Array<keyof typeof fields>) if (fields[k] === undefined) delete fields[k];
  return fields;
};

export type CommonFields = ReturnType<typeof readCommonFields>;
