import nock from 'nock';
import zapier from 'zapier-platform-core';
import App from '../index.js';

export const API = 'https://app.ecwid.com';
export const STORE_ID = '1003';
export const ACCESS_TOKEN = 'secret_test-token';
/** Store-relative API paths, as Ecwid documents them: /api/v3/{storeId}/… */
export const api = (p: string) => `/api/v3/${STORE_ID}${p}`;

// Fake credentials, as Zapier would inject them; the tests use production hosts (nock intercepts them).
process.env.ECWID_CLIENT_ID = 'test-ecwid-client-id';
process.env.ECWID_CLIENT_SECRET = 'test-ecwid-secret';
delete process.env.ECWID_API_BASE_URL;
delete process.env.ECWID_OAUTH_BASE_URL;

export const appTester = zapier.createAppTester(App);

export const authData = { access_token: ACCESS_TOKEN, store_id: STORE_ID, scope: 'read_store_profile read_customers' };

/** A nock scope for Ecwid's API that only matches requests carrying the bearer token and Accept. */
export const ecwidApi = () => nock(API, { reqheaders: { authorization: `Bearer ${ACCESS_TOKEN}`, accept: 'application/json' } });

type Operation = { operation: { perform: unknown } };

export const perform = <T = any>(op: Operation, inputData: Record<string, unknown> = {}, auth: Record<string, unknown> = authData) =>
  appTester(op.operation.perform as never, { authData: auth, inputData, meta: {} } as never) as Promise<T>;

export const trigger = (key: string) => (App.triggers as Record<string, Operation>)[key] as Operation;
export const search = (key: string) => (App.searches as Record<string, Operation>)[key] as Operation;

export interface ZapierErrorInfo {
  name: string;
  message: string;
  code?: string;
  status?: number;
  delay?: number;
}

/** Zapier's AppError and ThrottledError JSON-encode `{ message, code, status | delay }`; others get a context block first. */
export const zapierError = (error: unknown): ZapierErrorInfo => {
  const e = error as Error;
  if (e.name === 'AppError' || e.name === 'ThrottledError')
    return { name: e.name, ...(JSON.parse(e.message) as object) } as ZapierErrorInfo;
  const lines = String(e.message)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return { name: e.name, message: e.message.includes('What happened:') ? (lines[lines.length - 1] ?? '') : e.message };
};

export const rejectsWith = async (promise: Promise<unknown>, name: string, message: RegExp | string): Promise<ZapierErrorInfo> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeDefined();
  const info = zapierError(error);
  expect(info.name).toBe(name);
  if (typeof message === 'string') expect(info.message).toBe(message);
  else expect(info.message).toMatch(message);
  return info;
};
