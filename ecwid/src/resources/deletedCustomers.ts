import { DELETED_WINDOW_DAYS, PAGE_SIZE } from '../config.js';
import type { EcwidDeletedItem, EcwidPage } from '../ecwid-types.js';
import { path } from '../http/ecwid.js';
import { pollingTrigger, type ResourceOperations } from '../operations/define.js';
import deletedSample from '../samples/deleted-customer.json' with { type: 'json' };
import { isoDate } from './shape.js';

/**
 * Deleted Customer: Ecwid's `GET /customers/deleted?from_date&offset&limit` answers
 * `{ total, count, offset, limit, items: [{ id, date }] }` for the last 6 months. Ecwid documents
 * neither the order of `items` nor a sort parameter, so the app does not rely on one:
 *
 * 1. one request for the first page of the window (the last DELETED_WINDOW_DAYS days);
 * 2. if the window holds more than one page and that page is not newest-first, one more request
 *    for the last page (`offset = total - limit`), where an oldest-first list keeps its newest.
 *
 * So the newest deletions are reached in at most 2 requests whatever the list's order and however
 * many deletions the window holds, and in 1 request when the window fits one page. Items are
 * returned newest first; the id is the customer id (an Ecwid id is deleted once).
 */

const at = (item: EcwidDeletedItem): number => {
  const iso = isoDate(item.date);
  return iso ? Date.parse(iso) : Number.NaN;
};

/** True only when the page's dates clearly go down (newest first). Equal or unreadable dates prove nothing. */
const newestFirst = (items: EcwidDeletedItem[]): boolean => {
  const first = items[0];
  const last = items[items.length - 1];
  return !!first && !!last && at(first) > at(last);
};

const unixSeconds = (ms: number): number => Math.floor(ms / 1000);

export const deletedCustomer = pollingTrigger({
  key: 'deleted_customer',
  endpoints: ['GET /{storeId}/customers/deleted'],
  noun: 'Customer',
  label: 'Deleted Customer',
  description: 'Triggers when a customer is deleted from your Ecwid store (gives the customer ID and the time of deletion).',
  inputFields: [],
  outputFields: [
    { key: 'id', label: 'Customer ID' },
    { key: 'customerId', label: 'Customer ID (copy)' },
    { key: 'deletedAt', label: 'Deleted At', type: 'datetime' },
    { key: 'storeId', label: 'Store ID' },
  ],
  sample: deletedSample,
  parse: () => ({}),
  perform: async ({ api }) => {
    const fromDate = unixSeconds(Date.now() - DELETED_WINDOW_DAYS * 86_400_000);
    const first = await api.get<EcwidPage<EcwidDeletedItem>>(path`/customers/deleted`, { from_date: fromDate, limit: PAGE_SIZE });
    let items = first?.items ?? [];
    const total = Number(first?.total ?? items.length);
    if (total > items.length && !newestFirst(items)) {
      const last = await api.get<EcwidPage<EcwidDeletedItem>>(path`/customers/deleted`, {
        from_date: fromDate,
        offset: Math.max(0, total - PAGE_SIZE),
        limit: PAGE_SIZE,
      });
      items = last?.items ?? [];
    }
    const seen = new Set<string>();
    return items
      .filter((i): i is EcwidDeletedItem => !!i && Number.isInteger(i.id) && i.id > 0)
      .map((i) => ({ id: String(i.id), customerId: String(i.id), deletedAt: isoDate(i.date), storeId: api.storeId }))
      .filter((i) => (seen.has(i.id) ? false : (seen.add(i.id), true)))
      .sort((a, b) => (b.deletedAt ?? '').localeCompare(a.deletedAt ?? ''));
  },
});

export const deletedCustomerOperations: ResourceOperations = { triggers: [deletedCustomer] };
