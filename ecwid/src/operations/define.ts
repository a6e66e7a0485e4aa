import type { Bundle, Create, Search, Trigger, ZObject } from 'zapier-platform-core';
import { InputReader, InvalidInputError } from '../lib/input.js';
import { MissingStoreError, UnsafePathSegmentError, ecwid, type EcwidClient } from '../http/ecwid.js';
import { RECONNECT } from '../http/errors.js';

/**
 * Operations are declared as data (one file per Ecwid noun under src/resources/) and turned into
 * Zapier triggers and searches here, like the GHL app at the repository root. A declaration names
 * its fields, how raw input becomes a validated input (`parse`, never sends anything), what it
 * sends (`perform`, through `api.get`) and how Ecwid's answer becomes output.
 */

export interface OperationContext<I> {
  z: ZObject;
  bundle: Bundle;
  api: EcwidClient;
  input: I;
}

export type Sample = Record<string, unknown>;

export interface OutputField {
  key: string;
  label?: string;
  type?: 'string' | 'number' | 'boolean' | 'datetime' | 'integer';
  list?: boolean;
  primary?: boolean;
}

export type InputField = Record<string, unknown> & { key: string };

/** Output fields built when the Zap editor loads the step (never on a poll). */
export type DynamicOutputFields = (z: ZObject, bundle: Bundle) => Promise<OutputField[]>;

interface Declaration<I, O> {
  key: string;
  noun: string;
  label: string;
  description: string;
  /** Dropdown helpers (Zapier hides them from the trigger list). */
  hidden?: boolean;
  /** The Ecwid endpoints the operation calls, as `METHOD /path` of ecwid/sandbox/openapi.json (checked by a test). */
  endpoints: string[];
  inputFields: InputField[];
  outputFields: Array<OutputField | DynamicOutputFields>;
  sample: Sample;
  parse: (read: InputReader, ctx: { bundle: Bundle }) => I;
  perform: (ctx: OperationContext<I>) => Promise<O>;
}

export type TriggerDeclaration<I> = Declaration<I, Array<Record<string, unknown> & { id: string }>> & { canPaginate?: boolean };
export type SearchDeclaration<I> = Declaration<I, Array<Record<string, unknown>>>;
export type ActionDeclaration<I> = Declaration<I, Record<string, unknown>>;

/** Every declaration's endpoints by operation key, for docs and the spec check. */
export const declaredEndpoints = new Map<string, string[]>();

export const run =
  <I, O>(decl: Declaration<I, O>) =>
  async (z: ZObject, bundle: Bundle): Promise<O> => {
    const labels: Record<string, string> = {};
    for (const f of decl.inputFields) if (typeof f.label === 'string') labels[f.key] = f.label;
    let input: I;
    try {
      input = decl.parse(new InputReader(bundle.inputData ?? {}, labels), { bundle });
    } catch (error) {
      if (error instanceof InvalidInputError) throw new z.errors.Error(error.message, 'invalid_input', 400);
      throw error;
    }
    let api: EcwidClient;
    try {
      api = ecwid(z, bundle);
    } catch (error) {
      if (error instanceof MissingStoreError) throw new z.errors.ExpiredAuthError(`This Ecwid connection has no store id. ${RECONNECT}`);
      throw error;
    }
    try {
      return await decl.perform({ z, bundle, api, input });
    } catch (error) {
      if (error instanceof UnsafePathSegmentError) throw new z.errors.Error(`An id is not valid: ${error.message}.`, 'invalid_input', 400);
      throw error;
    }
  };

const toZapier = <I, O>(d: Declaration<I, O>, extras: Record<string, unknown> = {}): never => {
  declaredEndpoints.set(d.key, d.endpoints);
  return {
    key: d.key,
    noun: d.noun,
    display: { label: d.label, description: d.description, ...(d.hidden ? { hidden: true } : {}) },
    operation: { ...extras, perform: run(d), inputFields: d.inputFields, outputFields: d.outputFields, sample: d.sample },
  } as never;
};

export const pollingTrigger = <I>(d: TriggerDeclaration<I>): Trigger =>
  toZapier(d, { type: 'polling', ...(d.canPaginate ? { canPaginate: true } : {}) });
export const search = <I>(d: SearchDeclaration<I>): Search => toZapier(d);
/** An action: this app has one, API Request, which only reads (GET). */
export const action = <I>(d: ActionDeclaration<I>): Create => toZapier(d);

export interface ResourceOperations {
  triggers?: Trigger[];
  searches?: Search[];
  creates?: Create[];
}

export const byKey = <T extends { key: string }>(items: T[]): Record<string, T> => {
  const out: Record<string, T> = {};
  for (const item of items) {
    if (out[item.key]) throw new Error(`Duplicate operation key ${item.key}`);
    out[item.key] = item;
  }
  return out;
};
