import { LOCATION_ID, appTester, authData, ghlApi, perform, trigger } from '../helpers.js';
import { rejectsWithAppError } from './zapierErrors.js';

describe('user_list (dropdown)', () => {
  const op = trigger('user_list');

  it("lists the sub-account's users by name, falling back to email, without deleted users", async () => {
    const scope = ghlApi()
      .get('/users/')
      .query({ locationId: LOCATION_ID })
      .reply(200, {
        users: [
          {
            id: 'u1',
            name: 'Zoe Park',
            firstName: 'Zoe',
            lastName: 'Park',
            email: 'zoe@example.com',
            phone: '+14155550100',
            roles: { type: 'account', role: 'user' },
          },
          { id: 'u2', name: '', firstName: 'Adam', lastName: 'Ng', email: 'adam@example.com' },
          { id: 'u3', email: 'front.desk@example.com' },
          { id: 'u4', name: 'Gone User', email: 'gone@example.com', deleted: true },
          { id: 'u5' },
        ],
      });
    expect(await perform(op, {})).toEqual([
      { id: 'u2', userId: 'u2', name: 'Adam Ng', firstName: 'Adam', lastName: 'Ng', email: 'adam@example.com' },
      { id: 'u3', userId: 'u3', name: 'front.desk@example.com', email: 'front.desk@example.com' },
      { id: 'u5', userId: 'u5', name: 'u5' },
      { id: 'u1', userId: 'u1', name: 'Zoe Park', firstName: 'Zoe', lastName: 'Park', email: 'zoe@example.com', phone: '+14155550100' },
    ]);
    scope.done();
  });

  it('returns [] when the sub-account has no users', async () => {
    const scope = ghlApi().get('/users/').query({ locationId: LOCATION_ID }).reply(200, { users: [] });
    expect(await perform(op, {})).toEqual([]);
    scope.done();
  });

  it('reports a missing users scope', async () => {
    const scope = ghlApi()
      .get('/users/')
      .query({ locationId: LOCATION_ID })
      .reply(403, { statusCode: 403, message: 'The token is not authorized for this scope' });
    await rejectsWithAppError(
      perform(op, {}),
      'GHL denied access: The token is not authorized for this scope. Check that the connected sub-account is the one that holds this record and that the app was granted the needed scope.',
      'ghl_forbidden',
      403,
    );
    scope.done();
  });

  it('fails before any request when the connection has no sub-account', async () => {
    // user_list takes no input; the pre-send check that applies is the connection's location.
    await rejectsWithAppError(
      appTester(op.operation.perform as never, { authData: { ...authData, locationId: undefined }, inputData: {} } as never),
      'This GHL connection has no sub-account. Reconnect and choose a sub-account (location).',
      'company_token_refused',
      400,
    );
  });
});
