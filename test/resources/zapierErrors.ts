import { rejectsWith } from '../helpers.js';

/** Expects `z.errors.Error` (reaches callers as "AppError") with exactly this message, code and status. */
export const rejectsWithAppError = async (promise: Promise<unknown>, message: string, code: string, status: number) => {
  const info = await rejectsWith(promise, 'AppError', message);
  expect({ code: info.code, status: info.status }).toEqual({ code, status });
  return info;
};
