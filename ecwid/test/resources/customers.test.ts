import raw from '../fixtures/customer.json' with { type: 'json' };
import sample from '../../src/samples/customer.json' with { type: 'json' };
import { api, appTester, authData, ecwidApi, perform, rejectsWith, search, trigger } from '../helpers.js';

/** The fixture's output: the sample plus its extra-field answers by key (dynamic outputs, so not in the static sample). */
const output = { ...sample, extraFields: { HSdoOLH: 'Instagram', HWVrQNC: '' } };

const appTesterPage = (page: number) =>
  appTester(trigger('customer_list').operation.perform as never, { authData, inputData: {}, meta: { page } } as never) as Promise<unknown>;

const guest = {
  id: 277137633,
  email: 'guest@example.com',
  registered: '2026-11-22 07:52:09 +0000',
  updated: '2026-11-22 07:52:09 +0000',
  customerGroupId: 0,
};

const guestOutput = {
  ...Object.fromEntries(Object.entries(sample).map(([k, v]) => [k, typeof v === 'string' ? '' : null])),
  id: '277137633',
  customerId: '277137633',
  email: 'guest@example.com',
  allEmails: 'guest@example.com',
  extraFields: {},
  shippingAddressCount: 0,
  customerGroupId: 0,
  customerGroupName: 'General',
  firstOrderDate: null,
  lastOrderDate: null,
  registeredAt: '2026-11-22T07:52:09Z',
  updatedAt: '2026-11-22T07:52:09Z',
};

describe('New Customer (new_customer)', () => {
  it('asks for the 100 newest registrations in one request and flattens each customer', async () => {
    const scope = ecwidApi()
      .get(api('/customers'))
      .query({ sortBy: 'REGISTERED_DATE_DESC', limit: '100' })
      .reply(200, { total: 2, count: 2, offset: 0, limit: 100, items: [guest, raw] });
    const out = await perform(trigger('new_customer'));
    expect(out).toEqual([guestOutput, output]);
    scope.done();
  });

  it('returns [] for a store without customers', async () => {
    const scope = ecwidApi()
      .get(api('/customers'))
      .query({ sortBy: 'REGISTERED_DATE_DESC', limit: '100' })
      .reply(200, { total: 0, count: 0, offset: 0, limit: 100, items: [] });
    await expect(perform(trigger('new_customer'))).resolves.toEqual([]);
    scope.done();
  });

  it('falls back to the name and the PHONE contact for older and newer accounts', async () => {
    const scope = ecwidApi()
      .get(api('/customers'))
      .query(true)
      .reply(200, {
        items: [
          {
            id: 5,
            email: 'a@example.com',
            billingPerson: { name: 'Ada  King Lovelace' },
            contacts: [
              { type: 'PHONE', contact: '+441234', default: false },
              { type: 'PHONE', contact: '+449999', default: true },
            ],
          },
        ],
      });
    const [c] = await perform(trigger('new_customer'));
    expect({ name: c.name, firstName: c.firstName, lastName: c.lastName, phone: c.phone }).toEqual({
      name: 'Ada  King Lovelace',
      firstName: 'Ada King',
      lastName: 'Lovelace',
      phone: '+449999',
    });
    scope.done();
  });
});

describe('New or Updated Customer (new_or_updated_customer)', () => {
  it('sorts by update time and makes the id change with each update', async () => {
    const scope = ecwidApi()
      .get(api('/customers'))
      .query({ sortBy: 'UPDATED_DATE_DESC', limit: '100' })
      .reply(200, { total: 1, count: 1, offset: 0, limit: 100, items: [raw] });
    const out = await perform(trigger('new_or_updated_customer'));
    expect(out).toEqual([{ ...output, id: '177737165:2026-11-21T09:00:00Z' }]);
    scope.done();
  });
});

describe('Find Customer (find_customer)', () => {
  it('gets a customer by id', async () => {
    const scope = ecwidApi().get(api('/customers/177737165')).reply(200, raw);
    await expect(perform(search('find_customer'), { customerId: ' 177737165 ' })).resolves.toEqual([output]);
    scope.done();
  });

  it('takes a numeric id mapped from a trigger', async () => {
    const scope = ecwidApi().get(api('/customers/177737165')).reply(200, raw);
    await expect(perform(search('find_customer'), { customerId: 177737165, email: 'x@example.com' })).resolves.toEqual([output]);
    scope.done();
  });

  it('returns [] when Ecwid does not know the id (404)', async () => {
    const scope = ecwidApi()
      .get(api('/customers/42'))
      .reply(404, { errorMessage: 'Customer #42 not found', errorCode: 'CUSTOMER_NOT_FOUND' });
    await expect(perform(search('find_customer'), { customerId: '42' })).resolves.toEqual([]);
    scope.done();
  });

  it('a 404 for the store (not the customer) is not "nothing found"', async () => {
    const scope = ecwidApi().get(api('/customers/42')).reply(404, { errorMessage: 'Store not found', errorCode: 'STORE_NOT_FOUND' });
    await rejectsWith(
      perform(search('find_customer'), { customerId: '42' }),
      'ExpiredAuthError',
      /^Ecwid no longer accepts this connection \(Store not found\)/,
    );
    scope.done();
  });

  it('searches by email and keeps only exact matches (letter case aside)', async () => {
    const scope = ecwidApi()
      .get(api('/customers'))
      .query({ email: 'jules.okafor@example.com', limit: '100' })
      .reply(200, { total: 2, count: 2, items: [{ ...guest, email: 'jules.okafor@example.com.au' }, raw] });
    await expect(perform(search('find_customer'), { email: 'Jules.Okafor@Example.com' })).resolves.toEqual([output]);
    scope.done();
  });

  it('refuses an empty search before any request', async () => {
    await rejectsWith(
      perform(search('find_customer'), { customerId: ' ', email: '' }),
      'AppError',
      'Fill in "Customer ID" or "Email": Find Customer needs one of them.',
    );
  });

  it.each([['abc'], ['0'], ['-5'], ['12.5'], ['1234567890123456789'], ['../profile']])(
    'refuses the id %s before any request',
    async (id) => {
      const info = await rejectsWith(
        perform(search('find_customer'), { customerId: id }),
        'AppError',
        /must be an Ecwid customer ID \(digits only/,
      );
      expect(info.code).toBe('invalid_input');
    },
  );

  it('refuses a malformed email before any request', async () => {
    await rejectsWith(
      perform(search('find_customer'), { email: 'jules at example' }),
      'AppError',
      '"Email" is not a valid email address: "jules at example".',
    );
  });
});

describe('customer_list (hidden dropdown of Find Customer)', () => {
  it('pages through customers, newest first, labelled by name and email', async () => {
    const scope = ecwidApi()
      .get(api('/customers'))
      .query({ sortBy: 'REGISTERED_DATE_DESC', offset: '200', limit: '100' })
      .reply(200, { total: 201, count: 2, offset: 200, limit: 100, items: [raw, guest] });
    const out = await appTesterPage(2);
    expect(out).toEqual([
      { id: '177737165', label: 'Jules Okafor <jules.okafor@example.com>', name: 'Jules Okafor', email: 'jules.okafor@example.com' },
      { id: '277137633', label: 'guest@example.com', name: '', email: 'guest@example.com' },
    ]);
    scope.done();
  });
});
