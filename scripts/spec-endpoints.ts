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

let index: Map<string, SpecOperation> | undefined;

export const specIndex = (dir = resolve(process.cwd(), 'openapi/apps')): Map<string, SpecOperation> => {
  if (index) return index;
  index = new Map();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const spec = JSON.parse(readFileSync(resolve(dir, file), 'utf8')) as Spec;
    for (const [path, methods] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        if (!op || typeof op !== 'object' || !('operationId' in op)) continue;
        const scopes = [...new Set((op.security ?? []).flatMap((s) => Object.values(s).flat()))];
        index.set(`${method.toUpperCase()} ${path}`, {
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
