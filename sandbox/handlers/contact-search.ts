/**
 * POST /contacts/search (contacts.json `search-contacts-advanced`, §2.21): validation with GHL's
 * messages, filters, sort, page and searchAfter paging, over the search index's view of contacts.
 * Section numbers (§) refer to docs/ghl-api.md.
 */
import type { Contact } from '../state/records.js';
import { HttpError, unprocessable } from '../http/errors.js';
import { contactOut, searchOut } from './contact-output.js';
import { matchesQuery } from './contact-records.js';
import { bodyObj, isObj, type Handler, type HandlerCtx, type HandlerResult } from './context.js';

const SEARCH_KEYS = ['locationId', 'pageLimit', 'page', 'searchAfter', 'query', 'filters', 'sort'];
const SORT_FIELDS = ['dateAdded', 'dateUpdated', 'firstNameLowerCase', 'lastNameLowerCase'];
const OPERATORS = ['eq', 'not_eq', 'contains', 'not_contains', 'exists', 'not_exists', 'range'];
const STRING_FIELDS = [
  'id',
  'email',
  'phone',
  'firstNameLowerCase',
  'lastNameLowerCase',
  'fullNameLowerCase',
  'firstName',
  'lastName',
  'companyName',
  'assignedTo',
  'businessId',
  'source',
  'type',
  'city',
  'state',
  'country',
  'postalCode',
  'address1',
  'website',
  'timezone',
  'dateOfBirth',
];
const DATE_FIELDS = ['dateAdded', 'dateUpdated'];

type Getter = (c: Contact) => unknown;

function fieldGetter(ctx: HandlerCtx, field: string): Getter | undefined {
  if (DATE_FIELDS.includes(field)) return (c) => Date.parse(field === 'dateAdded' ? c.dateAdded : c.dateUpdated);
  if (field === 'tags') return (c) => c.tags;
  if (field === 'followers') return (c) => c.followers;
  if (field === 'dnd') return (c) => c.dnd;
  if (field.startsWith('customFields.') || field.startsWith('customField.')) {
    const ref = field.slice(field.indexOf('.') + 1);
    const def = ctx.state.customFieldsOf(ctx.locationId).find((d) => d.id === ref || d.fieldKey === ref || d.fieldKey === `contact.${ref}`);
    if (!def) return undefined;
    return (c) => c.customFields.find((f) => f.id === def.id)?.value;
  }
  if (STRING_FIELDS.includes(field)) {
    return (c) => {
      const o = contactOut(c);
      return o[field];
    };
  }
  return undefined;
}

const norm = (v: unknown): unknown => (typeof v === 'string' ? v.toLowerCase() : v);

function toComparable(v: unknown, isDate: boolean): number | string | undefined {
  if (v === undefined || v === null) return undefined;
  if (isDate) {
    if (typeof v === 'number') return v;
    const t = Date.parse(String(v));
    return Number.isNaN(t) ? undefined : t;
  }
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return typeof v === 'string' ? v.toLowerCase() : undefined;
}

function isEmptyVal(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

type Pred = (c: Contact) => boolean;

function compileFilters(ctx: HandlerCtx, filters: unknown, path: string, msgs: string[]): Pred {
  if (!Array.isArray(filters)) {
    msgs.push(`${path} must be an array`);
    return () => true;
  }
  const preds = filters.map((f, i) => compileFilter(ctx, f, `${path}.${i}`, msgs));
  return (c) => preds.every((p) => p(c));
}

function compileFilter(ctx: HandlerCtx, f: unknown, path: string, msgs: string[]): Pred {
  if (!isObj(f)) {
    msgs.push(`${path} must be an object`);
    return () => true;
  }
  if ('group' in f) {
    const group = f['group'];
    if (group !== 'AND' && group !== 'OR') {
      msgs.push(`${path}.group must be one of the following values: AND, OR`);
      return () => true;
    }
    if (!Array.isArray(f['filters'])) {
      msgs.push(`${path}.filters must be an array`);
      return () => true;
    }
    const preds = (f['filters'] as unknown[]).map((g, i) => compileFilter(ctx, g, `${path}.filters.${i}`, msgs));
    return group === 'AND' ? (c) => preds.every((p) => p(c)) : (c) => preds.some((p) => p(c));
  }
  const field = f['field'];
  const operator = f['operator'];
  const value = f['value'];
  if (typeof field !== 'string' || !field) {
    msgs.push(`${path}.field should not be empty`);
    return () => true;
  }
  if (typeof operator !== 'string' || !OPERATORS.includes(operator)) {
    msgs.push(`${path}.operator must be one of the following values: ${OPERATORS.join(', ')}`);
    return () => true;
  }
  const get = fieldGetter(ctx, field);
  if (!get) {
    msgs.push(`${path}.field ${field} is not supported`);
    return () => true;
  }
  const isDate = DATE_FIELDS.includes(field);
  const eq = (actual: unknown, expected: unknown): boolean => {
    if (Array.isArray(expected)) return expected.some((e) => eq(actual, e));
    if (Array.isArray(actual)) return actual.some((a) => eq(a, expected));
    if (isDate) return toComparable(actual, true) === toComparable(expected, true);
    if (typeof actual === 'boolean' || typeof expected === 'boolean') return String(actual) === String(expected);
    if (typeof actual === 'number' || typeof expected === 'number') return Number(actual) === Number(expected);
    return norm(actual) === norm(expected);
  };
  const contains = (actual: unknown, expected: unknown): boolean => {
    if (Array.isArray(expected)) return expected.some((e) => contains(actual, e));
    if (Array.isArray(actual)) return actual.some((a) => eq(a, expected)); // array field: has element
    if (typeof actual !== 'string' || (typeof expected !== 'string' && typeof expected !== 'number')) return false;
    return actual.toLowerCase().includes(String(expected).toLowerCase());
  };
  switch (operator) {
    case 'eq':
      return (c) => eq(get(c), value);
    case 'not_eq':
      return (c) => !eq(get(c), value);
    case 'contains':
      return (c) => contains(get(c), value);
    case 'not_contains':
      return (c) => !contains(get(c), value);
    case 'exists':
      return (c) => !isEmptyVal(get(c));
    case 'not_exists':
      return (c) => isEmptyVal(get(c));
    case 'range': {
      if (!isObj(value) || !['gte', 'gt', 'lte', 'lt'].some((k) => k in value)) {
        msgs.push(`${path}.value must be an object with gte, gt, lte or lt`);
        return () => true;
      }
      const b = {
        gte: toComparable(value['gte'], isDate),
        gt: toComparable(value['gt'], isDate),
        lte: toComparable(value['lte'], isDate),
        lt: toComparable(value['lt'], isDate),
      };
      return (c) => {
        const a = toComparable(get(c), isDate);
        if (a === undefined) return false;
        if (b.gte !== undefined && !(a >= b.gte)) return false;
        if (b.gt !== undefined && !(a > b.gt)) return false;
        if (b.lte !== undefined && !(a <= b.lte)) return false;
        if (b.lt !== undefined && !(a < b.lt)) return false;
        return true;
      };
    }
  }
  return () => true;
}

function searchContacts(ctx: HandlerCtx): HandlerResult {
  const b = bodyObj(ctx);
  const msgs: string[] = [];
  for (const k of Object.keys(b)) if (!SEARCH_KEYS.includes(k)) msgs.push(`property ${k} should not exist`);
  if (typeof b['locationId'] !== 'string' || !b['locationId']) msgs.push('locationId should not be empty');
  const pageLimit = b['pageLimit'];
  if (typeof pageLimit !== 'number' || !Number.isFinite(pageLimit))
    msgs.push('pageLimit must be a number conforming to the specified constraints');
  else if (pageLimit > 500) msgs.push('pageLimit must not be greater than 500');
  else if (pageLimit < 1) msgs.push('pageLimit must not be less than 1');
  const page = b['page'];
  if (page !== undefined && (typeof page !== 'number' || !Number.isInteger(page) || page < 1)) msgs.push('page must not be less than 1');
  const searchAfter = b['searchAfter'];
  if (searchAfter !== undefined && !Array.isArray(searchAfter)) msgs.push('searchAfter must be an array');
  if (page !== undefined && searchAfter !== undefined) msgs.push('page and searchAfter cannot be used together');
  const query = b['query'];
  if (query !== undefined && typeof query !== 'string') msgs.push('query must be a string');
  else if (typeof query === 'string' && query.length > 75) msgs.push('query must be shorter than or equal to 75 characters');
  const pred = b['filters'] === undefined ? () => true : compileFilters(ctx, b['filters'], 'filters', msgs);
  let sort: { field: string; direction: 'asc' | 'desc' }[] = [{ field: 'dateAdded', direction: 'desc' }];
  if (b['sort'] !== undefined) {
    if (!Array.isArray(b['sort'])) msgs.push('sort must be an array');
    else {
      sort = [];
      (b['sort'] as unknown[]).forEach((s, i) => {
        if (!isObj(s) || typeof s['field'] !== 'string' || !SORT_FIELDS.includes(s['field'])) {
          msgs.push(`sort.${i}.field must be one of the following values: ${SORT_FIELDS.join(', ')}`);
          return;
        }
        const dir = s['direction'] ?? 'desc';
        if (dir !== 'asc' && dir !== 'desc') {
          msgs.push(`sort.${i}.direction must be one of the following values: asc, desc`);
          return;
        }
        sort.push({ field: s['field'], direction: dir });
      });
      if (sort.length === 0) sort = [{ field: 'dateAdded', direction: 'desc' }];
    }
  }
  if (typeof pageLimit === 'number' && typeof page === 'number' && page * pageLimit > 10_000) {
    msgs.push('page * pageLimit must not exceed 10000; use searchAfter to go further');
  }
  if (msgs.length) throw unprocessable([...new Set(msgs)]);
  if (b['locationId'] !== ctx.locationId) {
    throw new HttpError(403, { statusCode: 403, message: 'The token does not have access to this location.' });
  }
  const q = typeof query === 'string' ? query.trim().toLowerCase() : '';
  const sortVal = (c: Contact, field: string): number | string => {
    if (field === 'dateAdded') return Date.parse(c.dateAdded);
    if (field === 'dateUpdated') return Date.parse(c.dateUpdated);
    if (field === 'firstNameLowerCase') return (c.firstName ?? '').toLowerCase();
    return (c.lastName ?? '').toLowerCase();
  };
  const cmpVals = (a: (number | string)[], bb: (number | string)[]): number => {
    for (let i = 0; i < sort.length; i++) {
      const x = a[i];
      const y = bb[i];
      if (x === y || x === undefined || y === undefined) continue;
      const r = x < y ? -1 : 1;
      return sort[i]!.direction === 'asc' ? r : -r;
    }
    const xi = String(a[sort.length] ?? '');
    const yi = String(bb[sort.length] ?? '');
    return xi < yi ? -1 : xi > yi ? 1 : 0;
  };
  const rows: { c: Contact; key: (number | string)[] }[] = [];
  for (const live of ctx.state.contacts.values()) {
    if (live.locationId !== ctx.locationId) continue;
    const c = ctx.state.searchVersion(live);
    if (!c) continue;
    if (q && !matchesQuery(c, q)) continue;
    if (!pred(c)) continue;
    rows.push({ c, key: [...sort.map((s) => sortVal(c, s.field)), c.id] });
  }
  rows.sort((x, y) => cmpVals(x.key, y.key));
  const total = rows.length;
  const limit = pageLimit as number;
  let pageRows: typeof rows;
  if (Array.isArray(searchAfter)) {
    const after = searchAfter.map((v, i) => {
      const f = sort[i]?.field;
      if (f && DATE_FIELDS.includes(f) && typeof v === 'string') return Date.parse(v);
      return v as number | string;
    });
    const start = rows.findIndex((r) => cmpVals(r.key, after) > 0);
    pageRows = start < 0 ? [] : rows.slice(start, start + limit);
  } else {
    const p = typeof page === 'number' ? page : 1;
    pageRows = rows.slice((p - 1) * limit, p * limit);
  }
  return {
    status: 200,
    body: { contacts: pageRows.map((r) => ({ ...searchOut(ctx, r.c), searchAfter: r.key })), total },
  };
}

export const CONTACT_SEARCH_HANDLERS: Record<string, Handler> = {
  'contacts:search-contacts-advanced': searchContacts,
};
