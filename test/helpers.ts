import nock from 'nock';
import zapier from 'zapier-platform-core';
import App from '../index.js';

export const API = 'https://services.leadconnectorhq.com';
export const LOCATION_ID = 've9EPM428h8vShlRW1KT';
export const ACCESS_TOKEN = 'test-access-token';

export const appTester = zapier.createAppTester(App);

export const authData = {
  access_token: ACCESS_TOKEN,
  refresh_token: 'test-refresh-token',
  locationId: LOCATION_ID,
  companyId: 'cmp0000000000000001',
  userId: 'usr0000000000000001',
  userType: 'Location',
};

/** A nock scope for the GHL API that only matches requests carrying every header GHL needs. */
export const ghlApi = (version = '2021-07-28') =>
  nock(API, {
    reqheaders: {
      authorization: `Bearer ${ACCESS_TOKEN}`,
      version,
      accept: 'application/json',
    },
  });

type Operation = { operation: { perform: unknown } };

/** Runs an operation's perform through Zapier's real app tester (middleware, checks and all). */
export const perform = <T = any>(op: Operation, inputData: Record<string, unknown> = {}, meta: Record<string, unknown> = {}) =>
  appTester(op.operation.perform as never, { authData, inputData, meta } as never) as Promise<T>;

export const trigger = (key: string) => (App.triggers as Record<string, Operation>)[key] as Operation;
export const search = (key: string) => (App.searches as Record<string, Operation>)[key] as Operation;
export const create = (key: string) => (App.creates as Record<string, Operation>)[key] as Operation;

export interface ZapierErrorInfo {
  name: string;
  /** What the user sees in the Zap history. */
  message: string;
  code?: string;
  status?: number;
  delay?: number;
}

/**
 * Zapier's errors carry their data in different places: `z.errors.Error` (name "AppError") and
 * ThrottledError JSON-encode `{ message, code, status | delay }` into `message`; the others get a
 * "What happened:" context block prepended by core, with our message as the last line.
 */
export const zapierError = (error: unknown): ZapierErrorInfo => {
  const e = error as Error;
  if (e.name === 'AppError' || e.name === 'ThrottledError') {
    const data = JSON.parse(e.message) as Omit<ZapierErrorInfo, 'name'>;
    return { name: e.name, ...data };
  }
  const lines = String(e.message)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return { name: e.name, message: e.message.includes('What happened:') ? (lines[lines.length - 1] ?? '') : e.message };
};

/**
 * Expects a promise to reject with a Zapier error. `name` is "AppError" for `z.errors.Error`.
 * Returns the decoded error so tests can assert `code`, `status` or `delay` exactly.
 */
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

/**
 * Freezes `new Date()` (for outputs such as `deletedAt`) while leaving timers and hrtime real, so
 * Zapier's and nock's own timing keeps working. Undo with `jest.useRealTimers()`.
 */
export const freezeClock = (iso: string) =>
  jest.useFakeTimers({
    now: new Date(iso),
    doNotFake: [
      'nextTick',
      'setImmediate',
      'clearImmediate',
      'setTimeout',
      'clearTimeout',
      'setInterval',
      'clearInterval',
      'queueMicrotask',
      'hrtime',
      'performance',
    ],
  });
