import { OAUTH_SCOPES } from '../src/config.js';
import { scopeFor } from '../src/http/errors.js';
import { declaredEndpoints } from '../src/operations/define.js';
import { lookupEndpoint } from '../scripts/spec-endpoints.js';
import '../index.js';

describe('OAuth scopes', () => {
  it('asks only for scopes some operation (or the connection test) needs', () => {
    const used = new Set([...declaredEndpoints.values()].flat().flatMap((e) => lookupEndpoint(e)?.scopes ?? []));
    // The connection test reads GET /locations/{locationId}.
    for (const s of lookupEndpoint('GET /locations/{locationId}')?.scopes ?? []) used.add(s);
    expect(OAUTH_SCOPES.filter((s) => !used.has(s))).toEqual([]);
  });

  it('the missing-scope error names the right scope for every endpoint the app declares (src/http/errors.ts scopeFor)', () => {
    const endpoints = [...new Set([...declaredEndpoints.values()].flat())];
    expect(endpoints.length).toBeGreaterThan(30);
    const wrong = endpoints
      .map((e) => {
        const [method, path] = e.split(' ') as [string, string];
        const spec = (lookupEndpoint(e)?.scopes ?? []).filter((s) => /\.(readonly|write)$/.test(s));
        return { e, scope: scopeFor(method, path.replace(/\{[^}]+\}/g, 'p1')), spec };
      })
      // POST /contacts/bulk/business declares no scope; the table's contacts.write is the best advice.
      .filter(({ scope, spec }) => scope === undefined || (spec.length > 0 && !spec.includes(scope)));
    expect(wrong).toEqual([]);
  });
});
