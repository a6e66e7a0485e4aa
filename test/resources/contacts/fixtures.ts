import type nock from 'nock';
import { LOCATION_ID } from '../../helpers.js';

/** What the contact steps' tests share: GHL's records and the step outputs made from them, and request helpers. */

/** GHL contact records as `POST /contacts/search` and `GET /contacts/:id` return them. */
export const rosaGhl = {
  id: 'nmFmQEsNgz6AVpgLVUJ0',
  locationId: LOCATION_ID,
  firstName: 'Rosa',
  lastName: 'Delgado',
  firstNameLowerCase: 'rosa',
  email: 'rosa.delgado@example.com',
  phone: '+14155550123',
  companyName: 'Delgado Ceramics',
  city: 'San Francisco',
  country: 'US',
  source: 'Ecwid',
  type: 'customer',
  dnd: false,
  tags: ['ecwid-customer'],
  dateAdded: '2026-10-02T14:31:08.000Z',
  dateUpdated: '2026-11-20T09:12:44.000Z',
  customFields: [{ id: 'cfEcwid0000000000001', value: '274839105' }],
  searchAfter: [1795690268000, 'nmFmQEsNgz6AVpgLVUJ0'],
};
export const rosa = {
  id: 'nmFmQEsNgz6AVpgLVUJ0',
  contactId: 'nmFmQEsNgz6AVpgLVUJ0',
  locationId: LOCATION_ID,
  name: 'Rosa Delgado',
  firstName: 'Rosa',
  lastName: 'Delgado',
  email: 'rosa.delgado@example.com',
  phone: '+14155550123',
  companyName: 'Delgado Ceramics',
  city: 'San Francisco',
  country: 'US',
  source: 'Ecwid',
  type: 'customer',
  dnd: false,
  tags: ['ecwid-customer'],
  dateAdded: '2026-10-02T14:31:08.000Z',
  dateUpdated: '2026-11-20T09:12:44.000Z',
  customFields: [{ id: 'cfEcwid0000000000001', value: '274839105' }],
};
export const jamalGhl = {
  id: 'pOC0uJ97VYOKH2m3fkMD',
  locationId: LOCATION_ID,
  firstName: 'Jamal',
  lastName: 'Carter',
  email: 'jamal.carter@example.net',
  tags: [],
  dateAdded: '2026-09-21T18:45:00.000Z',
  dateUpdated: '2026-09-28T09:10:00.000Z',
};
export const jamal = {
  id: 'pOC0uJ97VYOKH2m3fkMD',
  contactId: 'pOC0uJ97VYOKH2m3fkMD',
  locationId: LOCATION_ID,
  name: 'Jamal Carter',
  firstName: 'Jamal',
  lastName: 'Carter',
  email: 'jamal.carter@example.net',
  tags: [],
  dateAdded: '2026-09-21T18:45:00.000Z',
  dateUpdated: '2026-09-28T09:10:00.000Z',
  customFields: [],
};

/** What `z.dehydrate(hydrateCustomFieldsByName, { values })` adds to a trigger or search item that has custom field values. */
export const rosaByName = {
  customFieldsByName: `hydrate|||${JSON.stringify({ type: 'method', method: 'hydrators.customFieldsByName', bundle: { values: [{ id: 'cfEcwid0000000000001', value: '274839105' }] } })}|||hydrate`,
};

/** What `z.dehydrate(hydrateContactProfile, { contactId })` puts in a trigger item. */
export const profilePointer = (contactId: string) =>
  `hydrate|||{"type":"method","method":"hydrators.contactProfile","bundle":{"contactId":"${contactId}"}}|||hydrate`;

export const countRequests = (scope: nock.Scope) => {
  const counter = { n: 0 };
  scope.on('request', () => counter.n++);
  return counter;
};

/**
 * Parallel requests may still be in flight when a failed Promise.all settles; wait for them before
 * `scope.done()` (the bound, 10 s, only turns a missing request into scope.done()'s clear message).
 */
export const settled = async (scope: nock.Scope) => {
  for (let i = 0; i < 1000 && !scope.isDone(); i++) await new Promise((r) => setTimeout(r, 10));
  scope.done();
};

export const CF_ECWID = 'cfEcwid0000000000001';

export const definitions = {
  customFields: [
    { id: CF_ECWID, name: 'Ecwid Customer ID', fieldKey: 'contact.ecwid_customer_id', dataType: 'TEXT', position: 0, model: 'contact' },
    {
      id: 'cfLtv000000000000001',
      name: 'Lifetime Value',
      fieldKey: 'contact.lifetime_value',
      dataType: 'MONETORY',
      position: 100,
      model: 'contact',
    },
    {
      id: 'cfFirst0000000000001',
      name: 'First Order Date',
      fieldKey: 'contact.first_order_date',
      dataType: 'DATE',
      position: 200,
      model: 'contact',
    },
    {
      id: 'cfOptIn000000000001',
      name: 'Marketing Opt-in',
      fieldKey: 'contact.marketing_optin',
      dataType: 'CHECKBOX',
      position: 150,
      picklistOptions: ['Yes'],
      model: 'contact',
    },
    {
      id: 'cfGroup000000000001',
      name: 'Customer Group',
      fieldKey: 'contact.customer_group',
      dataType: 'SINGLE_OPTIONS',
      position: 50,
      picklistOptions: ['General', 'Wholesale', 'VIP'],
      model: 'contact',
    },
  ],
};
