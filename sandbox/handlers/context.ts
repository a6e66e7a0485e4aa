/**
 * What every operation handler gets and returns, and the helpers they share to read a request.
 * Handlers are synchronous (sandbox/webhooks.ts relies on it to see what one API call changed).
 */
import type { SandboxState } from '../state/sandbox-state.js';

export interface HandlerCtx {
  state: SandboxState;
  params: Record<string, string>;
  query: Record<string, string | string[]>;
  body: unknown;
  /** location of the token (Location tokens) */
  locationId: string;
  companyId: string;
}

export interface HandlerResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type Handler = (ctx: HandlerCtx) => HandlerResult;

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const bodyObj = (ctx: HandlerCtx): Obj => (isObj(ctx.body) ? ctx.body : {});
/** The first value of a query parameter. */
export const q1 = (ctx: HandlerCtx, k: string): string | undefined => {
  const v = ctx.query[k];
  return Array.isArray(v) ? v[0] : v;
};
/** The non-blank strings of a body array (anything else in it is dropped). */
export const stringsOf = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '') : [];
