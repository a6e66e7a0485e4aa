/**
 * Users (users.json): by location, and the company's user search.
 */
import { HttpError } from '../http/errors.js';
import { q1, type Handler, type HandlerCtx, type HandlerResult, type Obj } from './context.js';

function usersOut(ctx: HandlerCtx, locationId: string | undefined): Obj[] {
  return [...ctx.state.users.values()]
    .filter((u) => !u.deleted && u.companyId === ctx.companyId && (!locationId || u.roles.locationIds.includes(locationId)))
    .map((u) => structuredClone(u) as unknown as Obj);
}

function usersByLocation(ctx: HandlerCtx): HandlerResult {
  return { status: 200, body: { users: usersOut(ctx, q1(ctx, 'locationId')) } };
}

function searchUsers(ctx: HandlerCtx): HandlerResult {
  if (q1(ctx, 'companyId') !== ctx.companyId) {
    throw new HttpError(403, { statusCode: 403, message: 'The token does not have access to this company.' });
  }
  const query = (q1(ctx, 'query') ?? '').toLowerCase();
  const skip = parseInt(q1(ctx, 'skip') ?? '0', 10) || 0;
  const limit = parseInt(q1(ctx, 'limit') ?? '25', 10) || 25;
  const users = usersOut(ctx, q1(ctx, 'locationId')).filter(
    (u) => !query || `${String(u['name'])} ${String(u['email'])}`.toLowerCase().includes(query),
  );
  return { status: 200, body: { users: users.slice(skip, skip + limit), count: users.length } };
}

export const USER_HANDLERS: Record<string, Handler> = {
  'users:get-user-by-location': usersByLocation,
  'users:search-users': searchUsers,
};
