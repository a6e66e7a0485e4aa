import App from '../../index.js';
import { anyEndpointOperations, declaredEndpoints } from '../../src/operations/define.js';
import { lookupEndpoint } from '../../scripts/spec-endpoints.js';

const allKeys = [...Object.keys(App.triggers ?? {}), ...Object.keys(App.searches ?? {}), ...Object.keys(App.creates ?? {})];
/** API Request calls the path its user enters; test/resources/apiRequest.contract.test.ts checks it against the spec. */
const keys = allKeys.filter((k) => !anyEndpointOperations.has(k));

describe('declared GHL endpoints', () => {
  it('only API Request calls a path its user enters, and it declares no fixed endpoint', () => {
    expect([...anyEndpointOperations.keys()]).toEqual(['api_request']);
    expect(declaredEndpoints.get('api_request')).toEqual([]);
  });

  it.each(keys)('%s declares the endpoints it calls, each one present in the official OpenAPI files', (key) => {
    const endpoints = declaredEndpoints.get(key);
    expect(endpoints?.length).toBeGreaterThan(0);
    const missing = (endpoints ?? []).filter((e) => !lookupEndpoint(e));
    expect(missing).toEqual([]);
  });

  it('every scope the operations need is one the app asks for', async () => {
    const { OAUTH_SCOPES } = await import('../../src/config.js');
    const needed = new Set(
      [...declaredEndpoints.values()]
        .flat()
        .flatMap((e) => lookupEndpoint(e)?.scopes ?? [])
        .filter((s) => s.includes('.')),
    );
    expect([...needed].filter((s) => !(OAUTH_SCOPES as readonly string[]).includes(s))).toEqual([]);
  });

  it("no operation is built on a deprecated endpoint except the users dropdown (GHL offers no other list of a location's users without a companyId)", () => {
    const deprecated = [...declaredEndpoints.entries()].flatMap(([key, es]) =>
      es.filter((e) => lookupEndpoint(e)?.deprecated).map((e) => `${key}: ${e}`),
    );
    expect(deprecated).toEqual(deprecated.filter((d) => d.startsWith('user_list:')));
  });
});
