import { path } from '../http/ghl.js';
import type { User, UsersResponse } from '../ghl/types.js';
import { pollingTrigger, type ResourceOperations } from '../operations/define.js';
import userSample from '../samples/user.json' with { type: 'json' };

/**
 * Users of the sub-account, for the Assigned User / Author dropdowns: `GET /users/?locationId=`
 * → `{ users }` (docs/ghl-api.md §2.25, scope `users.readonly`). The spec marks it deprecated in favour
 * of `GET /users/search`, which also needs the agency's `companyId`; this one needs only the
 * location and returns every user at once (no paging).
 */

export const toUser = (u: User) => {
  const fullName = (u.name || [u.firstName, u.lastName].filter(Boolean).join(' ')).trim();
  return {
    id: u.id as string,
    userId: u.id as string,
    // The dropdown label: the name, else the email, else the id.
    name: fullName || u.email || (u.id as string),
    firstName: u.firstName,
    lastName: u.lastName,
    email: u.email,
    phone: u.phone,
  };
};

export const userList = pollingTrigger({
  key: 'user_list',
  endpoints: ['GET /users/'],
  noun: 'User',
  label: 'User List',
  description: 'Triggers when a user is added to the sub-account; lists users for dropdowns.',
  hidden: true,
  inputFields: [],
  sample: userSample,
  parse: () => ({}),
  perform: async ({ api, locationId }) => {
    const res = await api.get<UsersResponse>(path`/users/`, { locationId });
    return (res.data?.users ?? [])
      .filter((u) => u.id && !u.deleted)
      .map(toUser)
      .sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || a.id.localeCompare(b.id));
  },
});

export const usersOperations: ResourceOperations = { triggers: [userList], searches: [], creates: [] };
