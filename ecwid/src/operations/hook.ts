import type { Bundle, Trigger, ZObject } from 'zapier-platform-core';
import { declaredEndpoints, run, type InputField, type OperationContext, type OutputField, type Sample } from './define.js';

/**
 * REST-hook triggers of the Ecwid app, declared as data like the polling ones (define.ts): Zapier
 * calls `performSubscribe` with its `targetUrl` when the Zap is turned on, the relay POSTs each
 * Ecwid webhook there, and `perform` turns `bundle.cleanedRequest` into items through `shape`
 * (which may read Ecwid, with the connection's own token, through `api`). `performList` is the
 * polling twin's perform: the Zap editor's samples look exactly like the live items.
 */

export type HookEvent = Record<string, unknown>;

export interface HookTriggerDeclaration {
  key: string;
  noun: string;
  label: string;
  description: string;
  /** The Ecwid webhook type subscribed to at the relay (`customer.created`, …). */
  event: string;
  endpoints: string[];
  inputFields: InputField[];
  outputFields: OutputField[];
  sample: Sample;
  /** One delivered webhook → the trigger's items (none when it does not hold up). */
  shape: (ctx: OperationContext<Record<string, never>>, event: HookEvent) => Promise<Array<Record<string, unknown> & { id: string }>>;
  /** The polling twin (its perform gives the editor's samples). */
  twin: Trigger;
  subscribe: (z: ZObject, bundle: Bundle, event: string) => Promise<Record<string, unknown>>;
  unsubscribe: (z: ZObject, bundle: Bundle) => Promise<unknown>;
}

export const hookTrigger = (d: HookTriggerDeclaration): Trigger => {
  declaredEndpoints.set(d.key, d.endpoints);
  const perform = run({
    ...d,
    parse: () => ({}) as Record<string, never>,
    perform: async (ctx: OperationContext<Record<string, never>>) => {
      const body = ctx.bundle.cleanedRequest as unknown;
      const events = (Array.isArray(body) ? body : [body]).filter((e): e is HookEvent => typeof e === 'object' && e !== null);
      const items: Array<Record<string, unknown> & { id: string }> = [];
      // One at a time: a batch is rare (the relay sends one event per delivery) and each may read Ecwid.
      for (const e of events) items.push(...(await d.shape(ctx, e)));
      return items;
    },
  });
  const twin = d.twin as unknown as { operation: { perform: (z: ZObject, b: Bundle) => Promise<unknown> } };
  return {
    key: d.key,
    noun: d.noun,
    display: { label: d.label, description: d.description },
    operation: {
      type: 'hook',
      perform,
      performSubscribe: (z: ZObject, bundle: Bundle) => d.subscribe(z, bundle, d.event),
      performUnsubscribe: d.unsubscribe,
      performList: (z: ZObject, bundle: Bundle) => twin.operation.perform(z, bundle),
      inputFields: d.inputFields,
      outputFields: d.outputFields,
      sample: d.sample,
    },
  } as never;
};
