import type { Bundle, ZObject } from 'zapier-platform-core';
import { PAGE_SIZE } from '../config.js';
import type { EcwidCustomer, EcwidExtraField, EcwidPage } from '../ecwid-types.js';
import { MissingStoreError, ecwid, path } from '../http/ecwid.js';
import type { OutputField } from '../operations/define.js';

/**
 * A shop's checkout questions ("How did you hear about us?", "Tax ID") as named outputs, like the
 * GHL app's custom fields by name. Ecwid keeps the answers on the customer as
 * `extrafields[]: {key, title, value, orderBy, type, entityTypes}` (a live 2025 answer, see
 * ecwid/test/fixtures/recordings/). Each answer becomes `extraFields.<key>` (Zapier shows it as
 * `extraFields__<key>`), keyed by Ecwid's stable key so a renamed title does not break a Zap, and
 * labelled with its title by {@link extraFieldOutputFields} in the Zap editor. A poll reads nothing
 * more: the values are on the customer.
 */
export const EXTRA_FIELDS = 'extraFields';

export const extraFieldKey = (key: string): string => key.replace(/[^A-Za-z0-9_]+/g, '_');

const valueText = (v: unknown): string =>
  typeof v === 'string' ? v.trim() : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';

/** The field's title, else its key (titles come from Ecwid as text, but nothing here trusts that). */
const titleOf = (f: EcwidExtraField): string => (typeof f.title === 'string' && f.title.trim() !== '' ? f.title.trim() : f.key!.trim());

const usable = (fields: unknown): EcwidExtraField[] =>
  (Array.isArray(fields) ? (fields as EcwidExtraField[]) : [])
    .filter((f) => !!f && typeof f.key === 'string' && f.key.trim() !== '')
    .sort((a, b) => (a.orderBy ?? 0) - (b.orderBy ?? 0));

/** `{ <key>: value }` for every extra field of the customer. */
export const extraFieldValues = (c: EcwidCustomer): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const f of usable(c.extrafields)) out[extraFieldKey(f.key!)] = valueText(f.value);
  return out;
};

/** `Title: value; Title: value` of the answered fields, for a note or a single text field. */
export const extraFieldsSummary = (c: EcwidCustomer): string =>
  usable(c.extrafields)
    .filter((f) => valueText(f.value) !== '')
    .map((f) => `${titleOf(f)}: ${valueText(f.value)}`)
    .join('; ');

const toOutputFields = (fields: EcwidExtraField[]): OutputField[] => {
  const seen = new Set<string>();
  const out: OutputField[] = [];
  for (const f of usable(fields)) {
    const key = extraFieldKey(f.key!);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ key: `${EXTRA_FIELDS}__${key}`, label: `${titleOf(f)} (extra field)` });
  }
  return out;
};

/**
 * Dynamic output fields (the Zap editor only; never on a poll): one per extra field. From the
 * store's customer extra field list (`GET /store_extrafields/customers`) when the connection holds
 * `read_customers_extrafields`; otherwise, or when that list is empty, from the extra fields on
 * the 100 most recently updated customers (one request).
 */
export const extraFieldOutputFields = async (z: ZObject, bundle: Bundle): Promise<OutputField[]> => {
  let api;
  try {
    api = ecwid(z, bundle);
  } catch (error) {
    if (error instanceof MissingStoreError) return [];
    throw error;
  }
  const granted = String(bundle.authData?.scope ?? '').split(/[\s,]+/);
  if (granted.includes('read_customers_extrafields')) {
    const list = await api.get<{ items?: EcwidExtraField[] }>(path`/store_extrafields/customers`);
    const fields = toOutputFields(list?.items ?? []);
    if (fields.length) return fields;
  }
  const page = await api.get<EcwidPage<EcwidCustomer>>(path`/customers`, { sortBy: 'UPDATED_DATE_DESC', limit: PAGE_SIZE });
  return toOutputFields((page?.items ?? []).flatMap((c) => (Array.isArray(c?.extrafields) ? c.extrafields : [])));
};
