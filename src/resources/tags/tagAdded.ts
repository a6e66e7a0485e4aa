import { pollingTrigger, type ResourceOperations } from '../../operations/define.js';
import contactSample from '../../samples/contact.json' with { type: 'json' };
import { POLL_PAGE_SIZE, searchContacts } from '../contacts/requests.js';
import { tagsField } from '../common/inputFields.js';
import { contactOutputFields, toContact } from '../common/outputs.js';

/**
 * Contact Tag Added: one `POST /contacts/search` per poll with the search's tag filter, newest
 * change first (`dateUpdated desc`: gaining a tag updates the contact, so a long-tagged contact
 * that gains it today is on top, not past the first page as it would be by `dateAdded`).
 *
 * The item id is the contact id with the tag, not the update time: Zapier triggers once per new
 * id, and a tagged contact is updated for other reasons (an address, another tag) without gaining
 * the tag again, so an id with `dateUpdated` would trigger on every such update. GHL keeps no date
 * per tag, so a poll cannot tell "had it all along" from "lost it and gained it again": a contact
 * that loses the tag and regains it later does not trigger a second time (GHL's ContactTagUpdate
 * webhook can see that; polling cannot).
 */

export const contactTagAdded = pollingTrigger({
  key: 'contact_tag_added',
  endpoints: ['POST /contacts/search'],
  noun: 'Contact',
  label: 'Contact Tag Added',
  description: 'Triggers when a chosen tag is added to a contact.',
  inputFields: [
    tagsField({
      key: 'tag',
      label: 'Tag',
      required: true,
      list: false,
      helpText:
        'The tag to watch. The Zap runs once for each contact that gets this tag (not again when a tagged contact changes otherwise).',
    }),
  ],
  outputFields: [
    { key: 'id', label: 'Trigger ID (Contact ID and Tag)' },
    { key: 'tagAdded', label: 'Tag Added' },
    ...contactOutputFields.filter((f) => f.key !== 'id').map((f) => (f.key === 'contactId' ? { ...f, label: 'Contact ID' } : f)),
  ],
  sample: { ...contactSample, id: `${contactSample.id}:wholesale`, tagAdded: 'wholesale' },
  parse: (read) => ({ tag: read.requiredText('tag', { max: 200 }) }),
  perform: async ({ api, input, locationId }) => {
    const res = await searchContacts(api, {
      locationId,
      pageLimit: POLL_PAGE_SIZE,
      filters: [{ field: 'tags', operator: 'eq', value: input.tag }],
      sort: [{ field: 'dateUpdated', direction: 'desc' }],
    });
    const wanted = input.tag.toLowerCase();
    return (
      (res.data.contacts ?? [])
        .filter((c) => c.id)
        // GHL compares tags without case; keep only contacts that really carry the tag, in case the filter matched loosely.
        .filter((c) => (c.tags ?? []).some((t) => t.toLowerCase() === wanted))
        .map((c) => ({ ...toContact(c), id: `${c.id}:${wanted}`, contactId: c.id as string, tagAdded: input.tag }))
    );
  },
});

export const tagTriggerOperations: ResourceOperations = { triggers: [contactTagAdded], searches: [], creates: [] };
