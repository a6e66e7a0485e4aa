import type { ContactTagsResponse } from '../../ghl/types.js';
import { path } from '../../http/ghl.js';
import { action, type OutputField } from '../../operations/define.js';
import { contactIdField, tagsField } from '../common/inputFields.js';

/**
 * Add Tags to Contact (`POST /contacts/:contactId/tags`, docs/ghl-api.md §2.19) and Remove Tags from
 * Contact (`DELETE /contacts/:contactId/tags`, a DELETE with a JSON body, §2.20).
 */

/**
 * GHL answers both tag calls with the contact's tags after the change and what the call changed:
 * `{ tags, tagsAdded }` / `{ tags, tagsRemoved }` (recorded live, fixtures/ghl-recordings/; the
 * spec lists only `tags`). Adding a tag the contact had, or removing one it did not have, answers
 * `[]`, so a Zap filtering on "Tags Added/Removed" sees what really changed. Without that list
 * (an older answer) it is worked out from the tags after the call, which is all that is known.
 */
type TagsAnswer = ContactTagsResponse & { tagsAdded?: unknown; tagsRemoved?: unknown };

const stringList = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : undefined;

const tagsOutput = (contactId: string, data: TagsAnswer) => ({ id: contactId, contactId, tags: stringList(data.tags) ?? [] });
const has = (tags: string[], tag: string) => tags.some((t) => t.toLowerCase() === tag.toLowerCase());

const outputFields = (changedKey: string, changedLabel: string): OutputField[] => [
  { key: 'id', label: 'ID' },
  { key: 'contactId', label: 'Contact ID' },
  { key: 'tags', label: 'All Tags (After the Change)', list: true },
  { key: changedKey, label: changedLabel, list: true },
];

export const addTagsToContact = action({
  key: 'add_tags_to_contact',
  endpoints: ['POST /contacts/{contactId}/tags'],
  noun: 'Tag',
  label: 'Add Tags to Contact',
  description: 'Adds tags to a contact, keeping the tags it already has.',
  inputFields: [
    contactIdField(),
    tagsField({
      required: true,
      helpText: 'The tags to add, one per line. Tags the contact already has are kept; tags that do not exist yet are created by GHL.',
    }),
  ],
  outputFields: outputFields('tagsAdded', 'Tags Added'),
  sample: {
    id: 'nmFmQEsNgz6AVpgLVUJ0',
    contactId: 'nmFmQEsNgz6AVpgLVUJ0',
    tags: ['ecwid-customer', 'wholesale', 'vip'],
    tagsAdded: ['vip'],
  },
  parse: (read) => ({ contactId: read.requiredId('contactId'), tags: read.list('tags', { required: true }) as string[] }),
  perform: async ({ api, input }) => {
    const res = await api.post<TagsAnswer>(path`/contacts/${input.contactId}/tags`, { tags: input.tags });
    const out = tagsOutput(input.contactId, res.data);
    return { ...out, tagsAdded: stringList(res.data.tagsAdded) ?? input.tags.filter((t) => has(out.tags, t)) };
  },
});

export const removeTagsFromContact = action({
  key: 'remove_tags_from_contact',
  endpoints: ['DELETE /contacts/{contactId}/tags'],
  noun: 'Tag',
  label: 'Remove Tags from Contact',
  description: 'Removes tags from a contact, keeping its other tags.',
  inputFields: [
    contactIdField(),
    tagsField({
      required: true,
      helpText: 'The tags to remove, one per line. Tags the contact does not have are ignored; its other tags are kept.',
    }),
  ],
  outputFields: outputFields('tagsRemoved', 'Tags Removed'),
  sample: { id: 'nmFmQEsNgz6AVpgLVUJ0', contactId: 'nmFmQEsNgz6AVpgLVUJ0', tags: ['ecwid-customer'], tagsRemoved: ['wholesale'] },
  parse: (read) => ({ contactId: read.requiredId('contactId'), tags: read.list('tags', { required: true }) as string[] }),
  perform: async ({ api, input }) => {
    const res = await api.delete<TagsAnswer>(path`/contacts/${input.contactId}/tags`, { tags: input.tags });
    const out = tagsOutput(input.contactId, res.data);
    return { ...out, tagsRemoved: stringList(res.data.tagsRemoved) ?? input.tags.filter((t) => !has(out.tags, t)) };
  },
});
