import type { ResourceOperations } from '../../operations/define.js';
import { addTagsToContact, removeTagsFromContact } from './addRemove.js';
import { tagList } from './list.js';

export { bulkTagsOperations } from './bulk.js';
export { tagTriggerOperations } from './tagAdded.js';

/**
 * Tags: GHL's `POST /contacts/:contactId/tags` (add, docs/ghl-api.md §2.19), `DELETE /contacts/:contactId/tags`
 * (remove, a DELETE with a JSON body, §2.20) and `GET /locations/:locationId/tags` (the sub-account's
 * tags, §2.25) for the hidden `tag_list` dropdown. Both tag endpoints take tag *names*, so the
 * dropdown's value is the name.
 *
 * One file per job: list.ts (the dropdown), addRemove.ts (Add and Remove Tags on one contact),
 * tagAdded.ts (the Contact Tag Added trigger), bulk.ts (Add or Remove Tags on Several Contacts).
 * The three operation groups stay apart so that the app lists its operations in the same order.
 */
export const tagsOperations: ResourceOperations = {
  triggers: [tagList],
  searches: [],
  creates: [addTagsToContact, removeTagsFromContact],
};
