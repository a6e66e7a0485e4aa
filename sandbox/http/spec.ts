/**
 * Loads GHL's official OpenAPI files (openapi/apps/*.json), inlines the relative
 * `../common/common-schemas.json` $refs and wraps each file in an openapi-backend
 * instance used for routing and request validation.
 */
import fs from 'node:fs';
import path from 'node:path';
import { OpenAPIBackend } from 'openapi-backend';
import type { Operation } from 'openapi-backend';
import { HANDLERS } from '../handlers/index.js';

/** Spec file (without .json) per first path segment. */
export const SPEC_BY_SEGMENT: Record<string, string> = {
  contacts: 'contacts',
  locations: 'locations',
  users: 'users',
  businesses: 'businesses',
  calendars: 'calendars',
  oauth: 'oauth',
  'custom-fields': 'custom-fields',
  workflows: 'workflows',
  campaigns: 'campaigns',
};

/**
 * operationIds (per spec file) that the sandbox implements: those of the handlers, and the token
 * endpoint (http/api-pipeline.ts answers it before any handler).
 */
export const IMPLEMENTED: Record<string, string[]> = { oauth: ['get-access-token'] };
for (const key of Object.keys(HANDLERS)) {
  const [spec, id] = key.split(':') as [string, string];
  (IMPLEMENTED[spec] ??= []).push(id);
}

/** Flat list `<spec>:<operationId>` of implemented operations (for spec-coverage reports). */
export function implementedOperations(): string[] {
  return Object.entries(IMPLEMENTED).flatMap(([spec, ids]) => ids.map((id) => `${spec}:${id}`));
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

function isObj(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Replace `{ $ref: '../common/common-schemas.json#/components/schemas/X' }` by the schema itself. */
function inlineExternalRefs(node: Json, common: JsonObject): Json {
  if (Array.isArray(node)) return node.map((n) => inlineExternalRefs(n, common));
  if (!isObj(node)) return node;
  const ref = node['$ref'];
  if (typeof ref === 'string' && ref.includes('common-schemas.json#')) {
    const ptr = ref.split('#')[1] ?? '';
    let cur: Json = common;
    for (const part of ptr.split('/').filter(Boolean)) cur = isObj(cur) ? (cur[part] ?? null) : null;
    return structuredClone(cur);
  }
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node)) out[k] = inlineExternalRefs(v, common);
  return out;
}

/**
 * Documented deviations from the spec so that requests the real API accepts are not rejected:
 * - `companyName` is accepted by `PUT /contacts/:id` (highlevel-api-docs#314), not in UpdateContactDto;
 * - `dateOfBirth` is declared `type: object` but the real API takes strings ("1990-09-25").
 * - custom field `field_value` is declared `type: object` for NUMERICAL/MONETORY/FILE, but numbers are sent;
 *   custom field items may use `key` instead of `id`, and `value`/`fieldValue` instead of `field_value`
 *   (docs/ghl-api.md §2.16), so `required: ["id"]` is dropped (the sandbox checks id/key itself);
 * - the bulk-tags path has a `{type}` segment that the spec does not declare as a parameter
 *   (docs/ghl-api.md §2.24), so every request would fail validation with "property type should not
 *   exist": declared as GHL's docs describe it.
 */
function patchSpec(name: string, doc: JsonObject): void {
  // Collection paths are declared with a trailing slash (`/contacts/`); openapi-backend strips the
  // request's trailing slash before matching, so strip it from the spec paths too (both forms then match).
  if (isObj(doc['paths'])) {
    const paths: JsonObject = {};
    for (const [p, v] of Object.entries(doc['paths'])) paths[p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p] = v;
    doc['paths'] = paths;
  }
  const schemas = isObj(doc['components']) && isObj(doc['components']['schemas']) ? doc['components']['schemas'] : {};
  if (name === 'contacts') {
    const bulkTags = (doc['paths'] as Record<string, Record<string, { parameters?: unknown[] }>> | undefined)?.[
      '/contacts/bulk/tags/update/{type}'
    ]?.['post'];
    if (bulkTags) {
      bulkTags.parameters = [
        ...(bulkTags.parameters ?? []),
        { name: 'type', in: 'path', required: true, description: 'add or remove', schema: { type: 'string', enum: ['add', 'remove'] } },
      ];
    }
    // The live PUT accepts companyName, which the spec's UpdateContactDto leaves out (highlevel-api-docs#314:
    // only gender, locationId, id and the *LowerCase fields are refused).
    const update = schemas['UpdateContactDto'];
    if (isObj(update) && isObj(update['properties']) && !update['properties']['companyName']) {
      update['properties']['companyName'] = { type: 'string' };
    }
    for (const dto of ['CreateContactDto', 'UpdateContactDto', 'UpsertContactDto']) {
      const s = schemas[dto];
      if (isObj(s) && isObj(s['properties']) && isObj(s['properties']['dateOfBirth'])) {
        s['properties']['dateOfBirth'] = { description: 'string (YYYY-MM-DD etc.) or null; spec says object' };
      }
    }
    for (const f of [
      'TextField',
      'LargeTextField',
      'SingleSelectField',
      'RadioField',
      'NumericField',
      'MonetoryField',
      'CheckboxField',
      'MultiSelectField',
      'FileField',
    ]) {
      const s = schemas[f];
      if (isObj(s)) {
        delete s['required'];
        if (isObj(s['properties']) && isObj(s['properties']['field_value']) && s['properties']['field_value']['type'] === 'object') {
          s['properties']['field_value'] = {};
        }
      }
    }
  }
}

export interface LoadedSpec {
  name: string;
  api: OpenAPIBackend;
}

const cache = new Map<string, Promise<Map<string, LoadedSpec>>>();

export function defaultSpecDir(): string {
  return path.resolve(process.cwd(), 'openapi/apps');
}

/** Load (once per directory, cached) every spec used by the sandbox. */
export function loadSpecs(specDir: string = defaultSpecDir()): Promise<Map<string, LoadedSpec>> {
  const key = path.resolve(specDir);
  let p = cache.get(key);
  if (!p) {
    p = (async () => {
      const commonPath = path.resolve(key, '../common/common-schemas.json');
      const common = JSON.parse(fs.readFileSync(commonPath, 'utf8')) as JsonObject;
      const out = new Map<string, LoadedSpec>();
      for (const name of new Set(Object.values(SPEC_BY_SEGMENT))) {
        const raw = JSON.parse(fs.readFileSync(path.join(key, `${name}.json`), 'utf8')) as JsonObject;
        const doc = inlineExternalRefs(raw, common) as JsonObject;
        patchSpec(name, doc);
        // servers are absolute URLs; we route on the bare path
        delete doc['servers'];
        const api = new OpenAPIBackend({
          definition: doc as never,
          quick: true,
          validate: true,
          ignoreTrailingSlashes: true,
          ajvOpts: { allErrors: true, strict: false },
        });
        await api.init();
        out.set(name, { name, api });
      }
      return out;
    })();
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

export interface MatchedOperation {
  spec: LoadedSpec;
  operation: Operation;
  operationId: string;
  params: Record<string, string>;
  implemented: boolean;
}

export function matchRoute(specs: Map<string, LoadedSpec>, method: string, pathname: string): MatchedOperation | undefined {
  const seg = pathname.split('/')[1] ?? '';
  const specName = SPEC_BY_SEGMENT[seg];
  if (!specName) return undefined;
  const spec = specs.get(specName);
  if (!spec) return undefined;
  const operation = spec.api.router.matchOperation({ method: method.toLowerCase(), path: pathname, headers: {} });
  if (!operation || !operation.operationId) return undefined;
  const parsed = spec.api.router.parseRequest({ method: method.toLowerCase(), path: pathname, headers: {} }, operation);
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed.params ?? {})) params[k] = decodeURIComponent(String(v));
  return {
    spec,
    operation,
    operationId: operation.operationId,
    params,
    implemented: (IMPLEMENTED[specName] ?? []).includes(operation.operationId),
  };
}

function requestBodySchema(operation: Operation): { contentTypes: string[]; schema?: JsonObject } {
  const rb = operation.requestBody as { content?: Record<string, { schema?: JsonObject }> } | undefined;
  if (!rb || !rb.content) return { contentTypes: [] };
  const contentTypes = Object.keys(rb.content);
  const first = contentTypes[0];
  return { contentTypes, schema: first ? rb.content[first]?.schema : undefined };
}

export function operationBodyInfo(operation: Operation): { contentTypes: string[]; schema?: JsonObject } {
  return requestBodySchema(operation);
}

interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

const TYPE_MSG: Record<string, string> = {
  string: 'must be a string',
  number: 'must be a number conforming to the specified constraints',
  integer: 'must be an integer number',
  boolean: 'must be a boolean value',
  array: 'must be an array',
  object: 'must be an object',
};

function dotted(instancePath: string): string {
  return instancePath
    .split('/')
    .filter(Boolean)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

/** Convert ajv errors into NestJS/class-validator style messages like GHL's. */
export function ajvErrorsToMessages(errors: AjvError[]): string[] {
  const anyOfPaths = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => e.instancePath);
  const msgs: string[] = [];
  for (const e of errors) {
    if (
      e.keyword !== 'anyOf' &&
      e.keyword !== 'oneOf' &&
      anyOfPaths.some((p) => e.instancePath.startsWith(p + '/') || e.instancePath === p)
    )
      continue;
    const ip = e.instancePath;
    const section = ip.split('/')[1] ?? '';
    const rest = ip.split('/').slice(2).join('/');
    const field = dotted(rest);
    if (e.keyword === 'parse') {
      msgs.push(`Invalid JSON body: ${e.message ?? ''}`.trim());
      continue;
    }
    if (section === 'header' || (ip === '' && e.params['missingProperty'] === 'header')) {
      const hdr = rest || String(e.params['missingProperty'] ?? '');
      const name = hdr.toLowerCase() === 'version' ? 'Version' : hdr;
      if (e.keyword === 'required') {
        const mp = String(e.params['missingProperty']);
        msgs.push(`${mp.toLowerCase() === 'version' ? 'Version' : mp} header is required`);
      } else if (e.keyword === 'enum') {
        msgs.push(`${name} header must be one of the following values: ${(e.params['allowedValues'] as unknown[]).join(', ')}`);
      } else {
        msgs.push(`${name} header ${e.message ?? 'is invalid'}`);
      }
      continue;
    }
    const prefix = field ? `${field} ` : '';
    switch (e.keyword) {
      case 'required': {
        const mp = String(e.params['missingProperty']);
        if (ip === '' && (mp === 'query' || mp === 'path')) continue; // reported per-property below
        if (ip === '' && mp === 'requestBody') {
          msgs.push('request body should not be empty');
          continue;
        }
        msgs.push(`${field ? field + '.' : ''}${mp} should not be empty`);
        break;
      }
      case 'additionalProperties':
        msgs.push(`property ${String(e.params['additionalProperty'])} should not exist`);
        break;
      case 'type':
        msgs.push(`${prefix}${TYPE_MSG[String(e.params['type'])] ?? e.message ?? 'is invalid'}`);
        break;
      case 'enum':
        msgs.push(`${prefix}must be one of the following values: ${(e.params['allowedValues'] as unknown[]).join(', ')}`);
        break;
      case 'anyOf':
      case 'oneOf':
        msgs.push(`${prefix}is not a valid value`);
        break;
      default:
        msgs.push(`${prefix}${e.message ?? 'is invalid'}`);
    }
  }
  return [...new Set(msgs)];
}

/** Validate a request with openapi-backend and return human-readable 422 messages ([] = valid). */
export function validateRequest(
  m: MatchedOperation,
  req: {
    method: string;
    path: string;
    headers: Record<string, string | string[] | undefined>;
    query: Record<string, string | string[]>;
    body: unknown;
  },
): string[] {
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = v;
  const { schema } = requestBodySchema(m.operation);
  let body = req.body;
  if (schema && (body === undefined || body === null || body === '')) body = {};
  const result = m.spec.api.validator.validateRequest(
    { method: req.method.toLowerCase(), path: req.path, headers, query: { ...req.query }, body: body as never },
    m.operation,
  );
  const msgs = result.errors ? ajvErrorsToMessages(result.errors as AjvError[]) : [];
  // GHL whitelists DTO properties (NestJS forbidNonWhitelisted): unknown top-level body properties → 422.
  if (schema && isObj(body)) {
    const props = isObj(schema['properties']) ? Object.keys(schema['properties']) : [];
    if (props.length > 0) {
      for (const k of Object.keys(body)) if (!props.includes(k)) msgs.push(`property ${k} should not exist`);
    }
  }
  return [...new Set(msgs)];
}
