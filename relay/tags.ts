import type { ContactTagsUpdate } from './store.js';

/**
 * GHL's ContactTagUpdate carries the contact's tags after the change, not which tag changed. The
 * relay remembers the tags of every contact event it receives and adds to a ContactTagUpdate it
 * delivers `relay: { previousTags, tagsAdded, tagsRemoved }` (or `{ previousTags: null }` for a
 * contact it has not seen yet), so that Contact Tag Added fires for the tag that was added.
 */

const CONTACT_EVENTS = new Set(['ContactCreate', 'ContactUpdate', 'ContactDelete', 'ContactTagUpdate', 'ContactDndUpdate']);

const has = (tags: string[], tag: string) => tags.some((t) => t.toLowerCase() === tag.toLowerCase());

export const tagChange = (previous: string[] | undefined, now: string[]) =>
  previous === undefined
    ? { previousTags: null }
    : { previousTags: previous, tagsAdded: now.filter((t) => !has(previous, t)), tagsRemoved: previous.filter((t) => !has(now, t)) };

export const contactTagsUpdate = (body: Record<string, unknown>, at: number): ContactTagsUpdate | undefined => {
  const type = String(body.type);
  if (!CONTACT_EVENTS.has(type) || typeof body.id !== 'string' || !body.id) return undefined;
  const tags = Array.isArray(body.tags) ? body.tags.filter((t): t is string => typeof t === 'string') : undefined;
  return {
    contactId: body.id,
    tags,
    deleted: type === 'ContactDelete',
    at,
    enrich: type === 'ContactTagUpdate' && tags ? (previous) => JSON.stringify({ ...body, relay: tagChange(previous, tags) }) : undefined,
  };
};
