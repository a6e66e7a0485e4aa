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

/** Expects a promise to reject with a Zapier error of this name whose message matches. */
export const rejectsWith = async (promise: Promise<unknown>, name: string, message: RegExp | string) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  expect(error).toBeDefined();
  expect(error?.name).toBe(name);
  if (typeof message === 'string') expect(error?.message).toBe(message);
  else expect(error?.message).toMatch(message);
  return error as Error & { code?: string; status?: number };
};
