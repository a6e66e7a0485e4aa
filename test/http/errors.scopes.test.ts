import { scopeFor } from '../../src/http/errors.js';
import { specIndex } from '../../scripts/spec-endpoints.js';

/**
 * The path → scope table of src/http/errors.ts (it names the scope in "Enable <scope> in your GHL
 * Marketplace app") against GHL's OpenAPI files (openapi/apps/*.json, each operation's `security`);
 * that it covers every endpoint the app declares: test/config.test.ts.
 */

/** `/contacts/{contactId}/tasks` → `/contacts/p1/tasks` (a path as the app requests it). */
const concrete = (path: string) => path.replace(/\{[^}]+\}/g, 'p1');

/** Spec operations whose `security` names no usable scope: nothing to compare with. */
const NO_SCOPE_IN_SPEC = (scopes: string[]) => !scopes.some((s) => /\.(readonly|write)$/.test(s));

describe('scopeFor against the spec', () => {
  const operations = [...specIndex()].map(([key, op]) => {
    const [method, path] = key.split(' ') as [string, string];
    return { key, method, path, scopes: op.scopes };
  });

  it('names one of the spec’s scopes for every operation the table covers', () => {
    const wrong = operations
      .filter((o) => !NO_SCOPE_IN_SPEC(o.scopes))
      .map((o) => ({ key: o.key, scope: scopeFor(o.method, concrete(o.path)), spec: o.scopes }))
      .filter((o) => o.scope !== undefined && !o.spec.includes(o.scope));
    expect(wrong).toEqual([]);
  });

  it('covers most of the spec’s contacts, custom-field, tag, location, user, business and calendar-event operations', () => {
    const covered = operations.filter((o) => !NO_SCOPE_IN_SPEC(o.scopes) && scopeFor(o.method, concrete(o.path)) !== undefined);
    expect(covered.length).toBeGreaterThanOrEqual(75);
  });
});

describe('scopeFor: the rules', () => {
  it.each([
    // Searches are reads even when they are POSTs.
    ['POST', '/contacts/search', 'contacts.readonly'],
    ['POST', '/contacts/search/duplicate', 'contacts.readonly'],
    ['GET', '/contacts/search/duplicate', 'contacts.readonly'],
    ['POST', '/contacts/searchx', 'contacts.write'],
    ['POST', '/contacts/search/other', 'contacts.write'],
    ['POST', '/contacts/p1/search', 'contacts.write'],
    // Reads with GET (in any case), writes otherwise; a trailing slash changes nothing.
    ['GET', '/contacts/', 'contacts.readonly'],
    ['get', '/contacts/c1', 'contacts.readonly'],
    ['POST', '/contacts/', 'contacts.write'],
    ['POST', '/contacts', 'contacts.write'],
    ['PUT', '/contacts/c1/', 'contacts.write'],
    ['DELETE', '/contacts/c1/tags', 'contacts.write'],
    ['POST', '/contactsx', undefined],
    ['GET', '/locations/l1/customFields', 'locations/customFields.readonly'],
    ['POST', '/locations/l1/customFields/', 'locations/customFields.write'],
    ['PUT', '/locations/l1/customFields/f1', 'locations/customFields.write'],
    ['GET', '/locations/l1/customFieldsx', undefined],
    ['GET', '/custom-fields/f1', 'locations/customFields.readonly'],
    ['PUT', '/custom-fields', 'locations/customFields.write'],
    ['GET', '/custom-fieldsx', undefined],
    ['GET', '/locations/l1/customValues', 'locations/customValues.readonly'],
    ['POST', '/locations/l1/customValues', 'locations/customValues.write'],
    ['GET', '/locations/l1/tags', 'locations/tags.readonly'],
    ['POST', '/locations/l1/tags', 'locations/tags.write'],
    ['POST', '/locations/l1/tasks/search', 'locations/tasks.readonly'],
    ['GET', '/locations/l1/tasks/search', 'locations/tasks.readonly'],
    ['GET', '/locations/search', 'locations.readonly'],
    ['GET', '/locations/l1', 'locations.readonly'],
    ['PUT', '/locations/l1', 'locations.write'],
    ['GET', '/locations/l1/timezones', 'locations.readonly'],
    ['GET', '/locations/l1/tasks', undefined],
    ['GET', '/locations/l1/x/tags', undefined],
    ['GET', '/locations/l1/tags/t1', undefined],
    ['GET', '/locations/l1/customValues/v1', undefined],
    ['POST', '/locations/l1/tasks/search/x', undefined],
    ['GET', '/locations/l1/timezones/x', undefined],
    ['GET', '/locations', undefined],
    ['GET', '/users/search', 'users.readonly'],
    ['POST', '/users/search/filter-by-email', 'users.readonly'],
    ['POST', '/users/searchx', 'users.write'],
    ['GET', '/users/u1', 'users.readonly'],
    ['POST', '/users/', 'users.write'],
    ['DELETE', '/users', 'users.write'],
    ['GET', '/usersx', undefined],
    ['GET', '/businesses/b1', 'businesses.readonly'],
    ['POST', '/businesses', 'businesses.write'],
    ['POST', '/businessesx', undefined],
    ['GET', '/calendars/events', 'calendars/events.readonly'],
    ['GET', '/calendars/events/appointments/e1', 'calendars/events.readonly'],
    ['PUT', '/calendars/events/appointments/e1', 'calendars/events.write'],
    ['POST', '/calendars/blocked-slots', 'calendars/events.write'],
    ['DELETE', '/calendars/appointments/a1/notes/n1', 'calendars/events.write'],
    ['GET', '/calendars/eventsx', undefined],
    ['GET', '/calendars/c1', undefined],
    ['GET', '/x/calendars/events', undefined],
    ['GET', '/campaigns/', 'campaigns.readonly'],
    ['GET', '/campaignsx', undefined],
    ['GET', '/workflows', 'workflows.readonly'],
    ['GET', '/workflowsx', undefined],
    ['GET', '/', undefined],
    // A trailing slash before a rule's end.
    ['POST', '/contacts/search/', 'contacts.readonly'],
    ['GET', '/locations/l1/tags/', 'locations/tags.readonly'],
    ['POST', '/users/search', 'users.readonly'],
    // Every rule starts at the path's start.
    ['POST', '/x/contacts/search', undefined],
    ['GET', '/x/contacts/c1', undefined],
    ['GET', '/x/locations/l1/customFields', undefined],
    ['GET', '/x/custom-fields', undefined],
    ['GET', '/x/locations/l1/customValues', undefined],
    ['GET', '/x/locations/l1/tags', undefined],
    ['POST', '/x/locations/l1/tasks/search', undefined],
    ['GET', '/x/locations/l1', undefined],
    ['GET', '/x/users/search', undefined],
    ['GET', '/x/users/u1', undefined],
    ['GET', '/x/businesses', undefined],
    ['GET', '/x/campaigns', undefined],
    ['GET', '/x/workflows', undefined],
    ['GET', '', undefined],
  ])('%s %s → %s', (method, path, scope) => {
    expect(scopeFor(method, path)).toBe(scope);
  });
});
