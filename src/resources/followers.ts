import type { AddFollowersResponse, RemoveFollowersResponse } from '../ghl/automationTypes.js';
import { path } from '../http/ghl.js';
import { InvalidInputError, type InputReader } from '../lib/input.js';
import { action, type OutputField, type ResourceOperations } from '../operations/define.js';
import { contactIdField, userIdField } from './common/inputFields.js';

/**
 * Followers: users of the sub-account who follow a contact (notified of its activity besides the
 * assigned user). `POST` / `DELETE /contacts/:contactId/followers` with `{ followers: [userId] }`
 * (contacts.json, `contacts.write`; answers `{ followers, followersAdded }` and
 * `{ followers, followersRemoved }`, docs/ghl-api.md §2.24). Both are set operations, so a replay
 * changes nothing.
 */

const MAX_FOLLOWERS = 50;

const followersField = (helpText: string) => userIdField({ key: 'followers', label: 'Followers', required: true, list: true, helpText });

const readFollowers = (read: InputReader) => {
  const contactId = read.requiredId('contactId');
  const followers = read.list('followers', { required: true, max: 64 }) as string[];
  if (followers.length > MAX_FOLLOWERS) {
    throw new InvalidInputError(`"Followers" has ${followers.length} users; send at most ${MAX_FOLLOWERS} in one step.`);
  }
  for (const f of followers) {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(f)) {
      throw new InvalidInputError(
        `"Followers" must list GHL user ids (like "usr0000000000000001"), but one item is "${f.length > 40 ? `${f.slice(0, 37)}...` : f}". Pick users from the dropdown.`,
      );
    }
  }
  return { contactId, followers };
};

const outputFields = (changedKey: string, changedLabel: string): OutputField[] => [
  { key: 'id', label: 'ID' },
  { key: 'contactId', label: 'Contact ID' },
  { key: 'followers', label: 'All Followers (After the Change)', list: true },
  { key: changedKey, label: changedLabel, list: true },
];

export const addFollowers = action({
  key: 'add_followers',
  endpoints: ['POST /contacts/{contactId}/followers'],
  noun: 'Follower',
  label: 'Add Followers',
  description: 'Adds users as followers of a contact, keeping its other followers.',
  inputFields: [
    contactIdField(),
    followersField('The users who follow the contact, one per line. Users already following are kept as they are.'),
  ],
  outputFields: outputFields('followersAdded', 'Followers Added'),
  sample: {
    id: 'nmFmQEsNgz6AVpgLVUJ0',
    contactId: 'nmFmQEsNgz6AVpgLVUJ0',
    followers: ['usr0000000000000001', 'usr0000000000000002'],
    followersAdded: ['usr0000000000000002'],
  },
  parse: readFollowers,
  perform: async ({ api, input }) => {
    const res = await api.post<AddFollowersResponse>(path`/contacts/${input.contactId}/followers`, { followers: input.followers });
    return {
      id: input.contactId,
      contactId: input.contactId,
      followers: res.data?.followers ?? [],
      followersAdded: res.data?.followersAdded ?? [],
    };
  },
});

export const removeFollowers = action({
  key: 'remove_followers',
  endpoints: ['DELETE /contacts/{contactId}/followers'],
  noun: 'Follower',
  label: 'Remove Followers',
  description: 'Removes users from the followers of a contact, keeping its other followers.',
  inputFields: [
    contactIdField(),
    followersField('The users who should stop following the contact, one per line. Users not following it are ignored.'),
  ],
  outputFields: outputFields('followersRemoved', 'Followers Removed'),
  sample: {
    id: 'nmFmQEsNgz6AVpgLVUJ0',
    contactId: 'nmFmQEsNgz6AVpgLVUJ0',
    followers: ['usr0000000000000001'],
    followersRemoved: ['usr0000000000000002'],
  },
  parse: readFollowers,
  perform: async ({ api, input }) => {
    const res = await api.delete<RemoveFollowersResponse>(path`/contacts/${input.contactId}/followers`, { followers: input.followers });
    return {
      id: input.contactId,
      contactId: input.contactId,
      followers: res.data?.followers ?? [],
      followersRemoved: res.data?.followersRemoved ?? [],
    };
  },
});

export const followersOperations: ResourceOperations = { triggers: [], searches: [], creates: [addFollowers, removeFollowers] };
