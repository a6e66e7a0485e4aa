/**
 * The app's outputs for real Ecwid answers (test/fixtures/recordings/, sources in SOURCE.md): a
 * live 2025 get-by-id with extra fields and several contacts, live 2021 search and get-by-id
 * answers (Ecwid's own first/last word split, a sparse customer), and Ecwid's documented examples
 * (a customer whose phone is only in contacts[]).
 */
import live2025 from '../fixtures/recordings/live-2025-get-customer.json' with { type: 'json' };
import live2021 from '../fixtures/recordings/live-2021-customers.json' with { type: 'json' };
import docs from '../fixtures/recordings/docs-1003-customers.json' with { type: 'json' };
import { api, ecwidApi, perform, search, trigger } from '../helpers.js';

type Exchange = { name: string; response: any };
const answer = (rec: { exchanges: Exchange[] }, name: string) => rec.exchanges.find((e) => e.name === name)!.response;

describe('outputs for recorded Ecwid answers', () => {
  it('live 2025 get-by-id: every contact, shipping company, cancelled orders, tax id validity and each extra field by key', async () => {
    const scope = ecwidApi().get(api('/customers/310808192')).reply(200, answer(live2025, 'get-310808192'));
    await expect(perform(search('find_customer'), { customerId: '310808192' })).resolves.toEqual([
      {
        id: '310808192',
        customerId: '310808192',
        email: 'dana@samplesolutions.example',
        name: 'Dana Roe',
        firstName: 'Dana',
        lastName: 'Roe',
        phone: '3525550190',
        allEmails: 'dana@samplesolutions.example',
        allPhones: '3525550190, 3525550191',
        companyName: 'Sample Solutions?',
        billingStreet: '100 NW 1st Ave',
        billingCity: 'Alachua',
        billingPostalCode: '32616',
        billingStateCode: 'FL',
        billingStateName: 'Florida',
        billingCountryCode: 'US',
        billingCountryName: 'United States',
        shippingName: '',
        shippingCompanyName: 'Sample Solutions',
        shippingStreet: '100 NW 1st Ave',
        shippingCity: 'Alachua',
        shippingPostalCode: '32616',
        shippingStateCode: 'FL',
        shippingCountryCode: 'US',
        shippingPhone: '',
        shippingAddressCount: 1,
        customerGroupId: 25614001,
        customerGroupName: 'Wholesaler',
        acceptMarketing: true,
        orderCount: 0,
        canceledOrderCount: 0,
        salesValue: 0,
        averageOrderValue: 0,
        firstOrderDate: '2025-08-23T04:59:06Z',
        lastOrderDate: '2025-08-23T04:59:06Z',
        taxId: '',
        taxIdValid: false,
        taxExempt: true,
        b2bOrB2c: 'b2c',
        lang: 'en',
        registeredAt: '2025-07-30T22:41:45Z',
        updatedAt: '2025-11-05T20:54:23Z',
        extraFields: { HWVrQNC: '123456', HSdoOLH: 'From somewhere' },
        extraFieldsSummary: 'Tax ID: 123456; How did you hear about us?: From somewhere',
      },
    ]);
    scope.done();
  });

  it('live 2021 search: names keep every word (Ecwid’s own split drops the middle); a sparse customer gives empty texts', async () => {
    const scope = ecwidApi()
      .get(api('/customers'))
      .query({ sortBy: 'REGISTERED_DATE_DESC', limit: '100' })
      .reply(200, answer(live2021, 'search'));
    const out = await perform(trigger('new_customer'));
    expect(out.map((c: any) => [c.id, c.name, c.firstName, c.lastName, c.orderCount, c.acceptMarketing])).toEqual([
      ['172867214', '[DEMO] Actualización para desbloquear', '[DEMO] Actualización para', 'desbloquear', 2, true],
      ['172890169', '[DEMO] Actualización para desbloquear', '[DEMO] Actualización para', 'desbloquear', 0, true],
      ['172781539', 'Evan K', 'Evan', 'K', 1, false],
      ['172889711', '', '', '', 0, null],
    ]);
    const sparse = out[3];
    expect([sparse.billingCountryCode, sparse.billingCountryName, sparse.phone, sparse.allPhones, sparse.extraFields]).toEqual([
      'MX',
      'Mexico',
      '',
      '',
      {},
    ]);
    expect(JSON.stringify(out)).not.toContain('undefined');
    scope.done();
  });

  it('live 2021 get-by-id has no top-level name and no totalOrderCount: the name comes from the billing person, the count is empty', async () => {
    const scope = ecwidApi().get(api('/customers/172890169')).reply(200, answer(live2021, 'get-172890169'));
    const [c] = await perform(search('find_customer'), { customerId: '172890169' });
    expect([c.name, c.firstName, c.lastName, c.orderCount, c.billingCity, c.registeredAt]).toEqual([
      '[DEMO] Actualización para desbloquear',
      '[DEMO] Actualización para',
      'desbloquear',
      null,
      '[DEMO] Actualización para desbloquear',
      '2021-11-04T05:28:26Z',
    ]);
    scope.done();
  });

  it('documented search example: a customer without billing person has its phone from contacts[]', async () => {
    const scope = ecwidApi().get(api('/customers')).query({ sortBy: 'UPDATED_DATE_DESC', limit: '100' }).reply(200, answer(docs, 'search'));
    const out = await perform(trigger('new_or_updated_customer'));
    expect(out.map((c: any) => [c.id, c.firstName, c.lastName, c.phone, c.allEmails, c.companyName])).toEqual([
      ['177737165:2024-06-04T21:15:10Z', 'Support', 'team', '', 'ec.apps@lightspeedhq.com', ''],
      ['277137633:2024-08-21T07:52:09Z', 'Ecwid test', 'acc', '00000000000', 'ecwid.test@ecwid-test.com', ''],
    ]);
    scope.done();
  });
});
