/**
 * Property tests: Find Customer either refuses an input before any request or sends exactly one
 * request whose path is one encoded segment; the output shape never throws on whatever Ecwid
 * sends and only ever emits ISO-8601 dates or null.
 */
import fc from 'fast-check';
import nock from 'nock';
import { isoDate, toCustomer } from '../src/resources/shape.js';
import { API, perform, search, zapierError } from './helpers.js';

const findCustomer = search('find_customer');
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

describe('fuzz', () => {
  it('Find Customer: invalid input never sends a request; valid input sends exactly one', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            customerId: fc.oneof(fc.string(), fc.nat().map(String), fc.constant(''), fc.integer()),
            email: fc.oneof(fc.string(), fc.emailAddress(), fc.constant('')),
          },
          { requiredKeys: [] },
        ),
        async (input) => {
          nock.cleanAll();
          const sent: string[] = [];
          nock(API)
            .get(/.*/)
            .reply(function (uri) {
              sent.push(uri);
              return [200, uri.includes('/customers/') ? { id: 5, email: 'a@example.com' } : { items: [] }];
            })
            .persist();
          const result = await perform(findCustomer, input).then(
            () => 'ok' as const,
            (e: unknown) => zapierError(e),
          );
          if (result === 'ok') {
            expect(sent).toHaveLength(1);
            expect(sent[0]).toMatch(/^\/api\/v3\/1003\/customers(\/[1-9]\d*)?(\?|$)/);
          } else {
            expect(result.code).toBe('invalid_input');
            expect(sent).toEqual([]);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('toCustomer never throws and emits only ISO dates or null', () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            id: fc.integer({ min: 1 }),
            email: fc.oneof(fc.string(), fc.constant(undefined)),
            registered: fc.oneof(
              fc.string(),
              fc.date({ noInvalidDate: true }).map((d) =>
                d
                  .toISOString()
                  .replace('T', ' ')
                  .replace(/\.\d+Z$/, ' +0000'),
              ),
            ),
            updated: fc.anything(),
            billingPerson: fc.oneof(
              fc.constant(undefined),
              fc.dictionary(fc.constantFrom('name', 'firstName', 'phone', 'street'), fc.anything()),
            ),
            shippingAddresses: fc.oneof(fc.constant(undefined), fc.array(fc.record({ defaultAddress: fc.boolean(), street: fc.string() }))),
            contacts: fc.oneof(
              fc.constant(undefined),
              fc.array(fc.record({ type: fc.constantFrom('PHONE', 'EMAIL'), contact: fc.anything(), default: fc.boolean() })),
            ),
            stats: fc.oneof(fc.constant(undefined), fc.record({ firstOrderDate: fc.anything(), salesValue: fc.anything() })),
            name: fc.oneof(fc.constant(undefined), fc.string(), fc.anything()),
            extrafields: fc.oneof(
              fc.constant(undefined),
              fc.anything(),
              fc.array(fc.record({ key: fc.oneof(fc.string(), fc.anything()), title: fc.anything(), value: fc.anything() })),
            ),
          },
          { requiredKeys: ['id'] },
        ),
        (raw) => {
          const c = toCustomer(raw as never);
          for (const k of ['registeredAt', 'updatedAt', 'firstOrderDate', 'lastOrderDate'] as const) {
            const v = c[k];
            expect(v === null || ISO.test(v)).toBe(true);
          }
          expect(typeof c.phone).toBe('string');
          for (const k of ['name', 'firstName', 'lastName', 'allEmails', 'allPhones', 'extraFieldsSummary'] as const)
            expect(typeof c[k]).toBe('string');
          // First and last name hold every word of the name, in order.
          expect([c.firstName, c.lastName].filter(Boolean).join(' ')).toBe(c.name.split(/\s+/).filter(Boolean).join(' '));
          expect(Object.values(c.extraFields).every((v) => typeof v === 'string')).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('isoDate keeps the instant of an Ecwid date in any zone', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1971-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        fc.integer({ min: -12, max: 14 }),
        (d, h) => {
          const at = new Date(Math.floor(d.getTime() / 1000) * 1000);
          const local = new Date(at.getTime() + h * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
          const zone = `${h < 0 ? '-' : '+'}${String(Math.abs(h)).padStart(2, '0')}00`;
          expect(isoDate(`${local} ${zone}`)).toBe(at.toISOString().replace(/\.\d{3}Z$/, 'Z'));
        },
      ),
    );
  });
});
