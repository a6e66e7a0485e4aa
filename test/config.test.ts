import { OAUTH_SCOPES } from '../src/config.js';
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
});
