import type { Bundle, Create, Search, Trigger, ZObject } from 'zapier-platform-core';
import { InvalidInputError, InputReader } from '../lib/input.js';
import { UnsafePathSegmentError, ghl, type GhlClient } from '../http/ghl.js';

/**
 * Operations are declared as data (one file per GHL noun under src/resources/) and turned into
 * Zapier triggers, searches and creates here. A declaration names its fields, how raw Zapier input
 * becomes a validated input (`parse`, the pre-send hook), what it sends (`perform`, usually one
 * `api.*` call) and how GHL's answer becomes output (its own small functions in the noun's file).
 */

export interface OperationContext<I> {
  z: ZObject;
  bundle: Bundle;
  api: GhlClient;
  input: I;
  /** The sub-account the connection was made for; every GHL call is scoped to it. */
  locationId: string;
}

export type Sample = Record<string, unknown>;

export interface OutputField {
  key: string;
  label?: string;
  type?: 'string' | 'number' | 'boolean' | 'datetime' | 'integer';
  list?: boolean;
  primary?: boolean;
}

/** Output fields built from the account (e.g. one per GHL custom field), when the Zap editor loads the step. */
export type DynamicOutputFields = (z: ZObject, bundle: Bundle) => Promise<OutputField[]>;

/** A Zapier input field (kept loose: the schema is checked by `zapier-platform validate` and test/definition.test.ts). */
export type InputField = Record<string, unknown> & { key: string };
export type DynamicInputFields = (z: ZObject, bundle: Bundle) => Promise<InputField[]>;

interface Declaration<I, O> {
  key: string;
  noun: string;
  label: string;
  description: string;
  hidden?: boolean;
  /**
   * The GHL endpoints the operation may call, as `METHOD /path/{param}` exactly as in
   * openapi/apps/*.json: documents the operation (docs/operations.md's table, with scopes) and is checked
   * against the spec by test/operations/endpoints.test.ts.
   */
  endpoints: string[];
  /**
   * Instead of `endpoints`: the operation calls a path the user enters (API Request), and this says
   * where (docs/operations.md's table). Such an operation declares no endpoints.
   */
  anyEndpoint?: string;
  inputFields: Array<InputField | DynamicInputFields>;
  outputFields?: Array<OutputField | DynamicOutputFields>;
  sample?: Sample;
  /** Pre-send hook: raw inputData → validated input. Throws InvalidInputError; never sends anything. */
  parse: (read: InputReader, ctx: { bundle: Bundle }) => I;
  perform: (ctx: OperationContext<I>) => Promise<O>;
}

export type TriggerDeclaration<I> = Declaration<I, Array<Record<string, unknown> & { id: string }>> & { canPaginate?: boolean };
export type SearchDeclaration<I> = Declaration<I, Array<Record<string, unknown>>>;
export type ActionDeclaration<I> = Declaration<I, Record<string, unknown>>;

const labelsOf = (fields: Array<InputField | DynamicInputFields>): Record<string, string> => {
  const labels: Record<string, string> = {};
  for (const f of fields) if (typeof f !== 'function' && typeof f.label === 'string') labels[f.key] = f.label;
  return labels;
};

/** Every declaration's endpoints by operation key, for docs and the spec check. */
export const declaredEndpoints = new Map<string, string[]>();
/** Operations that call a path the user enters, by key: where they may send it (see `anyEndpoint`). */
export const anyEndpointOperations = new Map<string, string>();

/** Runs a declaration: parse, then perform. Input mistakes become a Zapier error before any request. */
export const run =
  <I, O>(decl: Declaration<I, O>) =>
  async (z: ZObject, bundle: Bundle): Promise<O> => {
    let input: I;
    try {
      const labels = labelsOf(decl.inputFields);
      input = decl.parse(new InputReader(bundle.inputData ?? {}, labels), { bundle });
    } catch (error) {
      if (error instanceof InvalidInputError) throw new z.errors.Error(error.message, 'invalid_input', 400);
      throw error;
    }
    const locationId = bundle.authData?.locationId;
    if (!locationId) {
      throw new z.errors.Error(
        'This GHL connection has no sub-account. Reconnect and choose a sub-account (location).',
        'company_token_refused',
        400,
      );
    }
    try {
      return await decl.perform({ z, bundle, api: ghl(z, bundle), input, locationId });
    } catch (error) {
      if (error instanceof InvalidInputError) throw new z.errors.Error(error.message, 'invalid_input', 400);
      if (error instanceof UnsafePathSegmentError) throw new z.errors.Error(`An id is not valid: ${error.message}.`, 'invalid_input', 400);
      throw error;
    }
  };

/**
 * The Zapier shape shared by triggers, searches and creates. Zapier's generated types are stricter
 * than its runtime schema for loosely typed fields (hence `never`); the schema itself is enforced
 * by `zapier-platform validate` and test/definition.test.ts.
 */
const toZapier = <I, O>(d: Declaration<I, O>, operationExtras: Record<string, unknown> = {}): never => {
  declaredEndpoints.set(d.key, d.endpoints);
  if (d.anyEndpoint) anyEndpointOperations.set(d.key, d.anyEndpoint);
  return {
    key: d.key,
    noun: d.noun,
    display: { label: d.label, description: d.description, ...(d.hidden ? { hidden: true } : {}) },
    operation: {
      ...operationExtras,
      perform: run(d),
      inputFields: d.inputFields,
      ...(d.outputFields ? { outputFields: d.outputFields } : {}),
      ...(d.sample ? { sample: d.sample } : {}),
    },
  } as never;
};

export const pollingTrigger = <I>(d: TriggerDeclaration<I>): Trigger =>
  toZapier(d, { type: 'polling', ...(d.canPaginate ? { canPaginate: true } : {}) });

export const search = <I>(d: SearchDeclaration<I>): Search => toZapier(d);

export const action = <I>(d: ActionDeclaration<I>): Create => toZapier(d);

export type ZapierTrigger = Trigger;
export type ZapierSearch = Search;
export type ZapierCreate = Create;

/** What each noun file exports; index.ts merges them. */
export interface ResourceOperations {
  triggers?: ZapierTrigger[];
  searches?: ZapierSearch[];
  creates?: ZapierCreate[];
}

export const byKey = <T extends { key: string }>(items: T[]): Record<string, T> => {
  const out: Record<string, T> = {};
  for (const item of items) {
    if (out[item.key]) throw new Error(`Duplicate operation key ${item.key}`);
    out[item.key] = item;
  }
  return out;
};

// ---- Instant (REST hook) triggers ----

export type HookEvent = Record<string, unknown>;

export interface HookTriggerDeclaration<I> extends Omit<Declaration<I, never>, 'perform'> {
  /** The GHL webhook type this trigger subscribes to (through the relay, src/http/relay.ts). */
  event: string;
  /**
   * Post-receive hook: one delivered GHL event → the trigger's items (none when the input filters it
   * out); async when the event lacks what the filter needs and GHL must be asked (New Task, #332).
   */
  shape: (
    ctx: OperationContext<I>,
    event: HookEvent,
  ) => Array<Record<string, unknown> & { id: string }> | Promise<Array<Record<string, unknown> & { id: string }>>;
  /** Sample items when the user tests the trigger in the Zap editor: the polling twin's perform. */
  list: (z: ZObject, bundle: Bundle) => Promise<unknown>;
  subscribe: (z: ZObject, bundle: Bundle, event: string) => Promise<Record<string, unknown>>;
  unsubscribe: (z: ZObject, bundle: Bundle) => Promise<unknown>;
}

/**
 * A REST-hook trigger: Zapier calls `performSubscribe` with its `targetUrl` when the Zap is turned
 * on, the relay POSTs each GHL event there, and `perform` shapes `bundle.cleanedRequest` like the
 * polling twin's output. An event of another sub-account is never passed on, whatever the relay sends.
 */
export const hookTrigger = <I>(d: HookTriggerDeclaration<I>): Trigger => {
  const perform = async (ctx: OperationContext<I>) => {
    const body = ctx.bundle.cleanedRequest as unknown;
    const events = (Array.isArray(body) ? body : [body]).filter((e): e is HookEvent => typeof e === 'object' && e !== null);
    const mine = events.filter((e) => e.type === d.event && e.locationId === ctx.locationId);
    return (await Promise.all(mine.map((e) => d.shape(ctx, e)))).flat();
  };
  return toZapier(
    { ...d, perform },
    {
      type: 'hook',
      performSubscribe: (z: ZObject, bundle: Bundle) => d.subscribe(z, bundle, d.event),
      performUnsubscribe: d.unsubscribe,
      performList: d.list,
    },
  );
};
