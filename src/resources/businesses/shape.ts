import type { Business } from '../../ghl/types.js';
import type { ZObject } from 'zapier-platform-core';
import type { GhlClient } from '../../http/ghl.js';
import { path } from '../../http/ghl.js';
import type { OutputField } from '../../operations/define.js';
import { isoDate } from '../common/outputs.js';

/** GHL's largest page of `GET /businesses/` (its `limit` default). */
export const BUSINESS_PAGE_SIZE = 100;
/**
 * Find Business reads every page (GHL has no search by name); a sub-account with more businesses
 * than this is not one a Zap step should scan, and the step says so rather than guessing.
 */
export const BUSINESS_MAX_PAGES = 20;

const compact = <T extends Record<string, unknown>>(o: T): T => {
  for (const k of Object.keys(o)) if (o[k] === undefined || o[k] === null || o[k] === '') delete o[k];
  return o;
};

/** A GHL business as a step's output (and the dropdown's items: `name` falls back to the email or id). */
export const toBusiness = (b: Business) =>
  compact({
    id: b.id,
    businessId: b.id,
    name: b.name?.trim() || b.email || b.id,
    email: b.email,
    phone: b.phone,
    website: b.website,
    address: b.address,
    city: b.city,
    state: b.state,
    postalCode: b.postalCode,
    country: b.country,
    description: b.description,
    createdAt: isoDate(b.createdAt),
    updatedAt: isoDate(b.updatedAt),
  });

export const businessOutputFields: OutputField[] = [
  // `id` for Zapier (dedupe, search connectors), `businessId` labelled with the noun (as contactOutputFields do).
  { key: 'id', label: 'ID' },
  { key: 'businessId', label: 'Business ID' },
  { key: 'name', label: 'Name' },
  { key: 'email', label: 'Email' },
  { key: 'phone', label: 'Phone' },
  { key: 'website', label: 'Website' },
  { key: 'address', label: 'Address' },
  { key: 'city', label: 'City' },
  { key: 'state', label: 'State' },
  { key: 'postalCode', label: 'Postal Code' },
  { key: 'country', label: 'Country' },
  { key: 'description', label: 'Description' },
  { key: 'createdAt', label: 'Created At', type: 'datetime' },
  { key: 'updatedAt', label: 'Updated At', type: 'datetime' },
];

/**
 * The key two business names are compared by: letter case and every space ignored (also Unicode
 * compatibility forms, so "Ｗholesale" is "wholesale"). "Maple & Rye  Wholesale" and
 * "maple & rye wholesale" are the same business; "Wholesale" and "Wholesale EU" are not.
 */
export const businessNameKey = (name: string): string => name.normalize('NFKC').toLowerCase().replace(/\s+/g, '');

/** Every business of the sub-account, page by page (100 each), oldest first. */
export const allBusinesses = async (z: ZObject, api: GhlClient, locationId: string): Promise<Business[]> => {
  const out: Business[] = [];
  for (let page = 0; page < BUSINESS_MAX_PAGES; page++) {
    const res = await api.get<{ businesses?: Business[] }>(path`/businesses/`, {
      locationId,
      limit: BUSINESS_PAGE_SIZE,
      skip: page * BUSINESS_PAGE_SIZE,
    });
    const items = res.data.businesses ?? [];
    out.push(...items.filter((b) => typeof b?.id === 'string' && b.id !== ''));
    if (items.length < BUSINESS_PAGE_SIZE) {
      const at = (b: Business) => Date.parse(String(b.createdAt ?? '')) || Number.MAX_SAFE_INTEGER;
      return out.sort((a, b) => at(a) - at(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    }
  }
  throw new z.errors.Error(
    `The sub-account has more than ${BUSINESS_MAX_PAGES * BUSINESS_PAGE_SIZE} businesses in GHL; finding one by name would read them all on every run. Pick the business from the dropdown (or map its ID) instead.`,
    'too_many_businesses',
    400,
  );
};

/** The businesses whose name is the given one (see {@link businessNameKey}), oldest first. */
export const businessesNamed = async (z: ZObject, api: GhlClient, locationId: string, name: string): Promise<Business[]> => {
  const key = businessNameKey(name);
  return (await allBusinesses(z, api, locationId)).filter((b) => typeof b.name === 'string' && businessNameKey(b.name) === key);
};
