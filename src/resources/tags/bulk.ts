import type { BulkTagsBody, BulkTagsItem, BulkTagsResponse } from '../../ghl/automationTypes.js';
import { path } from '../../http/ghl.js';
import { InvalidInputError } from '../../lib/input.js';
import { action, type ResourceOperations } from '../../operations/define.js';
import { tagsField } from '../common/inputFields.js';

/**
 * Tags on several contacts at once: `POST /contacts/bulk/tags/update/{type}` (`type` = `add` or
 * `remove`; operationId `create-association` (sic); body `{ contacts, tags, locationId,
 * removeAllTags? }`; answer `{ succeded, errorCount, responses: [{ contactId, type, message, … }] }`,
 * docs/ghl-api.md §2.24). The spec declares no scope; it writes contacts, like every endpoint that needs
 * `contacts.write` (see scripts/spec-endpoints.ts). GHL answers per contact, so one deleted or
 * foreign contact does not fail the others; those are reported, never dropped silently. Adding a
 * tag a contact has, or removing one it lacks, changes nothing, so a replay is harmless.
 */

const MAX_CONTACTS = 100;
const ID = /^[A-Za-z0-9_-]{1,64}$/;

const failedOf = (responses: BulkTagsItem[]) =>
  responses.filter((r) => r.type !== 'success').map((r) => ({ contactId: r.contactId ?? '', message: r.message ?? 'no reason given' }));

export const updateTagsOnContacts = action({
  key: 'update_tags_on_contacts',
  endpoints: ['POST /contacts/bulk/tags/update/{type}'],
  noun: 'Tag',
  label: 'Add or Remove Tags on Several Contacts',
  description: 'Adds tags to, or removes tags from, a list of contacts in one request.',
  inputFields: [
    {
      key: 'action',
      label: 'Add or Remove',
      required: true,
      choices: { add: 'Add the tags', remove: 'Remove the tags' },
      default: 'add',
      helpText: 'Add keeps the tags the contacts already have; Remove keeps their other tags.',
    },
    {
      key: 'contactIds',
      label: 'Contact IDs',
      required: true,
      list: true,
      helpText: `The GHL contact ids, one per line (for example the **Contact ID** of a Find Contact step run in a loop). At most ${MAX_CONTACTS}.`,
    },
    tagsField({ required: false, helpText: 'The tags to add or remove, one per line.' }),
    {
      key: 'removeAllTags',
      label: 'Remove All Tags',
      type: 'boolean',
      required: false,
      default: 'false',
      helpText: 'With Remove: Yes removes every tag from these contacts (Tags can then be empty). Ignored with Add.',
    },
    {
      key: 'stopOnFailure',
      label: 'Stop If a Contact Fails',
      type: 'boolean',
      required: false,
      default: 'true',
      helpText:
        'Yes (recommended) stops the Zap with the list of contacts GHL refused (deleted, of another sub-account, not a contact id); the others are already updated and a replay is safe. No continues and lists them in Failed.',
    },
  ],
  outputFields: [
    { key: 'id', label: 'Request ID (Action and Tags)' },
    { key: 'action', label: 'Action' },
    { key: 'tags', label: 'Tags', list: true },
    { key: 'removeAllTags', label: 'Removed All Tags', type: 'boolean' },
    { key: 'contactCount', label: 'Contacts Sent', type: 'integer' },
    { key: 'updatedContactIds', label: 'Updated Contact IDs', list: true },
    { key: 'errorCount', label: 'Failed Count', type: 'integer' },
    { key: 'failed[]contactId', label: 'Failed: Contact ID' },
    { key: 'failed[]message', label: 'Failed: GHL Message' },
  ],
  sample: {
    id: 'add:vip',
    action: 'add',
    tags: ['vip'],
    contactCount: 2,
    updatedContactIds: ['nmFmQEsNgz6AVpgLVUJ0'],
    errorCount: 1,
    failed: [{ contactId: 'qFSqySFkVvNzOSqgGqFi', message: 'contact is deleted' }],
    removeAllTags: false,
  },
  parse: (read) => {
    const type = read.choice('action', ['add', 'remove'] as const, { required: true }) as 'add' | 'remove';
    const contacts = read.list('contactIds', { required: true, max: 64 }) as string[];
    if (contacts.length > MAX_CONTACTS) {
      throw new InvalidInputError(`"Contact IDs" has ${contacts.length} ids; send at most ${MAX_CONTACTS} in one step (split the list).`);
    }
    const bad = contacts.find((c) => !ID.test(c));
    if (bad !== undefined) {
      throw new InvalidInputError(
        `"Contact IDs" must list GHL contact ids (like "nmFmQEsNgz6AVpgLVUJ0"), but one item is "${bad.length > 40 ? `${bad.slice(0, 37)}...` : bad}".`,
      );
    }
    const removeAllTags = type === 'remove' && (read.bool('removeAllTags') ?? false);
    const tags = read.list('tags') ?? [];
    if (!tags.length && !removeAllTags) {
      throw new InvalidInputError(
        type === 'add'
          ? '"Tags" is required but was empty. Map the tags to add.'
          : '"Tags" is empty: map the tags to remove, or set Remove All Tags to Yes.',
      );
    }
    return { type, contacts, tags, removeAllTags, stopOnFailure: read.bool('stopOnFailure') ?? true };
  },
  perform: async ({ z, api, input, locationId }) => {
    const body: BulkTagsBody = {
      contacts: input.contacts,
      tags: input.tags,
      locationId,
      ...(input.removeAllTags ? { removeAllTags: true } : {}),
    };
    const res = await api.post<BulkTagsResponse>(path`/contacts/bulk/tags/update/${input.type}`, body);
    const responses = res.data?.responses ?? [];
    if (res.data?.succeded === false && !responses.length) {
      throw new z.errors.Error(
        `GHL answered that it did not ${input.type} the tags (succeded: false) and named no contact. Check the contacts in GHL, then replay this step (it is safe to repeat).`,
        'ghl_not_succeeded',
        502,
      );
    }
    const failed = failedOf(responses);
    // With per-contact answers, a contact GHL did not answer for is not reported as updated; without
    // any (not seen, but the spec's example is all we have), GHL's overall success stands for all.
    const answered = new Set(responses.map((r) => r.contactId));
    if (responses.length) {
      for (const contactId of input.contacts)
        if (!answered.has(contactId)) failed.push({ contactId, message: 'GHL gave no answer for this contact' });
    }
    const updatedContactIds = responses.length
      ? responses.filter((r) => r.type === 'success' && r.contactId).map((r) => r.contactId as string)
      : [...input.contacts];
    if (failed.length && input.stopOnFailure) {
      const list = failed.map((f) => `${f.contactId}: ${f.message}`).join('; ');
      throw new z.errors.Error(
        `GHL did not ${input.type} the tags for ${failed.length} of ${input.contacts.length} contacts (${list}). ${updatedContactIds.length} contacts were updated; a replay is safe. Fix or drop those ids, or set Stop If a Contact Fails to No.`,
        'bulk_tags_partial',
        400,
      );
    }
    return {
      id: `${input.type}:${input.removeAllTags ? '*' : input.tags.join(',')}`,
      action: input.type,
      tags: input.tags,
      removeAllTags: input.removeAllTags,
      contactCount: input.contacts.length,
      updatedContactIds,
      errorCount: failed.length,
      failed,
    };
  },
});

export const bulkTagsOperations: ResourceOperations = { triggers: [], searches: [], creates: [updateTagsOnContacts] };
