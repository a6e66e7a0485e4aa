/**
 * Every operation's declared endpoints exist in the sandbox's schema (ecwid/sandbox/openapi.json,
 * written from Ecwid's docs), and the scopes those endpoints need are exactly the ones the app asks for.
 */
import fs from 'node:fs';
import path from 'node:path';
import App from '../index.js';
import { OAUTH_SCOPES } from '../src/config.js';
import { declaredEndpoints } from '../src/operations/define.js';

const spec = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../sandbox/openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, { 'x-scopes'?: string[] }>>;
};

const operationKeys = [...Object.keys(App.triggers ?? {}), ...Object.keys(App.searches ?? {}), ...Object.keys(App.creates ?? {})];

describe('declared endpoints', () => {
  it('every operation declares its endpoints', () => {
    expect([...declaredEndpoints.keys()].sort()).toEqual([...operationKeys].sort());
  });

  it.each(operationKeys)('%s: each endpoint is in the schema', (key) => {
    for (const e of declaredEndpoints.get(key) ?? []) {
      const [method, p] = e.split(' ') as [string, string];
      expect({ endpoint: e, found: !!spec.paths[p]?.[method.toLowerCase()] }).toEqual({ endpoint: e, found: true });
    }
  });

  it('the app asks for exactly the scopes its endpoints (and GET /profile, the connection test) need', () => {
    const needed = new Set<string>();
    const endpoints = [...declaredEndpoints.values()].flat().concat('GET /{storeId}/profile');
    for (const e of endpoints) {
      const [method, p] = e.split(' ') as [string, string];
      const scopes = spec.paths[p]?.[method.toLowerCase()]?.['x-scopes'] ?? [];
      // An endpoint that accepts any of several scopes is satisfied by one the app already asks for.
      if (!scopes.some((s) => needed.has(s))) needed.add(scopes.find((s) => (OAUTH_SCOPES as readonly string[]).includes(s)) ?? scopes[0]!);
    }
    expect([...needed].sort()).toEqual([...OAUTH_SCOPES].sort());
  });
});
