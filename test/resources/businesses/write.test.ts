import { LOCATION_ID, create, ghlApi, perform } from '../../helpers.js';
import { rejectsWithAppError } from '../zapierErrors.js';

const createBusiness = create('create_business');
const updateBusiness = create('update_business');

const list = (businesses: unknown[]) =>
  ghlApi().get('/businesses/').query({ locationId: LOCATION_ID, limit: '100', skip: '0' }).reply(200, { businesses });

describe('Create Business (create_business)', () => {
  it('creates the business with the given details when none has the name', async () => {
    const scope = list([{ id: 'b1', name: 'Retail', locationId: LOCATION_ID }]);
    scope
      .post('/businesses/', {
        name: 'Wholesale',
        locationId: LOCATION_ID,
        email: 'orders@example.com',
        phone: '+18025550150',
        city: 'Burlington',
        description: 'Ecwid customer group: Wholesale',
      })
      .reply(201, {
        success: true,
        buiseness: {
          id: 'bNew000000000000001',
          name: 'Wholesale',
          locationId: LOCATION_ID,
          email: 'orders@example.com',
          phone: '+18025550150',
          city: 'Burlington',
          description: 'Ecwid customer group: Wholesale',
          createdAt: '2026-12-05T01:00:00.000Z',
          updatedAt: '2026-12-05T01:00:00.000Z',
        },
      });
    await expect(
      perform(createBusiness, {
        name: ' Wholesale ',
        email: 'Orders@Example.com',
        phone: '+1 (802) 555-0150',
        city: 'Burlington',
        description: 'Ecwid customer group: Wholesale',
      }),
    ).resolves.toEqual({
      id: 'bNew000000000000001',
      businessId: 'bNew000000000000001',
      name: 'Wholesale',
      email: 'orders@example.com',
      phone: '+18025550150',
      city: 'Burlington',
      description: 'Ecwid customer group: Wholesale',
      createdAt: '2026-12-05T01:00:00.000Z',
      updatedAt: '2026-12-05T01:00:00.000Z',
      existing: false,
    });
    scope.done();
  });

  it('returns the business that has the name (letter case and spaces aside) and creates nothing: a replay is safe', async () => {
    const scope = list([{ id: 'b2', name: 'Whole sale', locationId: LOCATION_ID, createdAt: '2026-01-03T00:00:00.000Z' }]);
    await expect(perform(createBusiness, { name: 'WHOLESALE', city: 'Elsewhere' })).resolves.toEqual({
      id: 'b2',
      businessId: 'b2',
      name: 'Whole sale',
      createdAt: '2026-01-03T00:00:00.000Z',
      existing: true,
    });
    scope.done();
  });

  it('reads GHL’s answer under `business` too, and fails when the answer names no business', async () => {
    const scope = list([])
      .post('/businesses/', { name: 'VIP', locationId: LOCATION_ID })
      .reply(201, { success: true, business: { id: 'b3', name: 'VIP', locationId: LOCATION_ID } });
    await expect(perform(createBusiness, { name: 'VIP' })).resolves.toEqual({ id: 'b3', businessId: 'b3', name: 'VIP', existing: false });
    scope.done();

    const again = list([]).post('/businesses/', { name: 'VIP', locationId: LOCATION_ID }).reply(201, { success: true });
    await rejectsWithAppError(
      perform(createBusiness, { name: 'VIP' }),
      'GHL answered Create Business without the new business (no id). It may have been created; run the step again: it finds a business with this name before creating one.',
      'ghl_unreadable_response',
      502,
    );
    again.done();
  });

  it.each([
    [{}, '"Business Name" is required but was empty. Map a value to it in the Zap editor.'],
    [{ name: 'X', email: 'not-an-email' }, '"Email" is not a valid email address: "not-an-email".'],
    [{ name: 'X', phone: '12' }, '"Phone" is not a valid phone number: "12". Use international format, e.g. +14155550123.'],
    [{ name: 'x'.repeat(201) }, '"Business Name" is 201 characters long; GHL accepts at most 200.'],
  ])('refuses %j before any request', async (input, message) => {
    await rejectsWithAppError(perform(createBusiness, input), message, 'invalid_input', 400);
  });
});

describe('Update Business (update_business)', () => {
  it('sends only the fields filled in and returns the business GHL answers', async () => {
    const scope = ghlApi()
      .put('/businesses/b1', { name: 'Wholesale', website: 'https://example.com' })
      .reply(200, {
        success: true,
        buiseness: { id: 'b1', name: 'Wholesale', website: 'https://example.com', city: 'Burlington', locationId: LOCATION_ID },
      });
    await expect(
      perform(updateBusiness, { businessId: 'b1', name: 'Wholesale', website: 'https://example.com', city: '' }),
    ).resolves.toEqual({
      id: 'b1',
      businessId: 'b1',
      name: 'Wholesale',
      website: 'https://example.com',
      city: 'Burlington',
    });
    scope.done();
  });

  it('a business GHL does not know fails with GHL’s words', async () => {
    const scope = ghlApi()
      .put('/businesses/bGone', { city: 'X' })
      .reply(400, { statusCode: 400, message: 'Business with id bGone not found' });
    await rejectsWithAppError(
      perform(updateBusiness, { businessId: 'bGone', city: 'X' }),
      'GHL rejected the request: Business with id bGone not found',
      'ghl_bad_request',
      400,
    );
    scope.done();
  });

  it.each([
    [{ businessId: 'b1' }, 'Nothing to update: fill in "Business Name" or at least one of the business\'s details.'],
    [{ name: 'X' }, '"Business" is required but was empty. Map a value to it in the Zap editor.'],
    [
      { businessId: '../x', name: 'X' },
      '"Business" must be a GHL id (letters and digits, like "nmFmQEsNgz6AVpgLVUJ0"), but got "../x". Pick a value from the dropdown or map the id field of an earlier step.',
    ],
  ])('refuses %j before any request', async (input, message) => {
    await rejectsWithAppError(perform(updateBusiness, input), message, 'invalid_input', 400);
  });
});
