/** Looks up `METHOD /path/{param}` in GHL's official OpenAPI files: operationId and OAuth scopes. */
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';

export interface SpecOperation {
  spec: string;
  operationId: string;
  scopes: string[];
  deprecated: boolean;
}

type Spec = {
  paths: Record<string, Record<string, { operationId: string; security?: Array<Record<string, string[]>>; deprecated?: boolean }>>;
};

/**
 * Scopes the spec leaves out. `POST /contacts/bulk/tags/update/{type}` declares no `security` (its
 * documentation page says "None"), but it changes contacts' tags, which every other endpoint guards
 * with `contacts.write` (Scopes.md lists the tag endpoints under it), and the app asks for that
 * scope anyway; no GHL answer without it has been observed.
 */
const SCOPE_CORRECTIONS: Record<string, string[]> = {
  'POST /contacts/bulk/tags/update/{type}': ['contacts.write'],
};

let index: Map<string, SpecOperation> | undefined;

export const specIndex = (dir = resolve(process.cwd(), 'openapi/apps')): Map<string, SpecOperation> => {
  if (index) return index;
  index = new Map();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const spec = JSON.parse(readFileSync(resolve(dir, file), 'utf8')) as Spec;
    for (const [path, methods] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        if (!op || typeof op !== 'object' || !('operationId' in op)) continue;
        const key = `${method.toUpperCase()} ${path}`;
        const scopes = SCOPE_CORRECTIONS[key] ?? [...new Set((op.security ?? []).flatMap((s) => Object.values(s).flat()))];
        index.set(key, {
          spec: file.replace(/\.json$/, ''),
          operationId: op.operationId,
          scopes,
          deprecated: !!op.deprecated,
        });
      }
    }
  }
  return index;
};

export const lookupEndpoint = (endpoint: string): SpecOperation | undefined => specIndex().get(endpoint);
