import { appTester, authData, ghlApi, perform, trigger } from '../helpers.js';
import { rejectsWithAppError } from './zapierErrors.js';

const CONTACT = 'nmFmQEsNgz6AVpgLVUJ0';
const PATH = `/contacts/${CONTACT}/appointments`;

/** GetEventSchema as GHL sends it: zone-less "YYYY-MM-DD HH:mm:ss" times (read as UTC). */
const event = (id: string, dateAdded: string | undefined, startTime: string) => ({
  id,
  calendarId: 'BqTwX8QFwXzpegMve9EQ',
  status: 'booked',
  title: `Visit ${id}`,
  assignedUserId: 'Hk3gp0uYXhRr4xXjT2bV',
  notes: 'Bring samples.',
  startTime,
  endTime: startTime,
  address: '118 Market Street',
  locationId: 've9EPM428h8vShlRW1KT',
  contactId: CONTACT,
  groupId: 'grp1',
  appointmentStatus: 'confirmed',
  users: ['Hk3gp0uYXhRr4xXjT2bV'],
  ...(dateAdded ? { dateAdded } : {}),
  dateUpdated: '2026-11-30 10:00:00',
  assignedResources: [],
});
const eventOut = (id: string, dateAdded: string | undefined, startTime: string) => ({
  id,
  appointmentId: id,
  contactId: CONTACT,
  calendarId: 'BqTwX8QFwXzpegMve9EQ',
  title: `Visit ${id}`,
  status: 'booked',
  appointmentStatus: 'confirmed',
  assignedUserId: 'Hk3gp0uYXhRr4xXjT2bV',
  startTime,
  endTime: startTime,
  address: '118 Market Street',
  notes: 'Bring samples.',
  ...(dateAdded ? { dateAdded } : {}),
});

describe('new_appointment', () => {
  const op = trigger('new_appointment');

  it("lists the contact's appointments newest first by dateAdded (else startTime), with ISO dates", async () => {
    const scope = ghlApi()
      .get(PATH)
      .reply(200, {
        events: [
          event('a1', '2026-11-01 09:00:00', '2026-12-01 17:00:00'),
          event('a2', '2026-11-21 10:00:00', '2026-12-03 17:00:00'),
          event('a3', undefined, '2026-11-10 08:00:00'),
        ],
      });
    expect(await perform(op, { contactId: CONTACT })).toEqual([
      eventOut('a2', '2026-11-21T10:00:00.000Z', '2026-12-03T17:00:00.000Z'),
      eventOut('a3', undefined, '2026-11-10T08:00:00.000Z'),
      eventOut('a1', '2026-11-01T09:00:00.000Z', '2026-12-01T17:00:00.000Z'),
    ]);
    scope.done();
  });

  it('returns [] for a contact without appointments', async () => {
    const scope = ghlApi().get(PATH).reply(200, { events: [] });
    expect(await perform(op, { contactId: CONTACT })).toEqual([]);
    scope.done();
  });

  it('requires a contact, before any request', async () => {
    await rejectsWithAppError(
      perform(op, { contactId: '' }),
      '"Contact" is required but was empty. Map a value to it in the Zap editor.',
      'invalid_input',
      400,
    );
  });

  it("lets GHL's error through when the contact no longer exists", async () => {
    const scope = ghlApi()
      .get(PATH)
      .reply(400, { statusCode: 400, message: `Contact with id ${CONTACT} not found` });
    await rejectsWithAppError(
      perform(op, { contactId: CONTACT }),
      `GHL rejected the request: Contact with id ${CONTACT} not found`,
      'ghl_bad_request',
      400,
    );
    scope.done();
  });
});

describe('appointment times without a zone', () => {
  it("are read in the sub-account's timezone saved at connection time", async () => {
    const scope = ghlApi()
      .get('/contacts/nmFmQEsNgz6AVpgLVUJ0/appointments')
      .reply(200, { events: [{ id: 'ev1', title: 'Visit', startTime: '2026-12-03 12:00:00', endTime: '2026-12-03 12:30:00' }] });
    const out = await appTester(
      trigger('new_appointment').operation.perform as never,
      {
        authData: { ...authData, locationTimezone: 'America/New_York' },
        inputData: { contactId: 'nmFmQEsNgz6AVpgLVUJ0' },
      } as never,
    );
    expect((out as Array<{ startTime: string; endTime: string }>).map((a) => [a.startTime, a.endTime])).toEqual([
      ['2026-12-03T17:00:00.000Z', '2026-12-03T17:30:00.000Z'],
    ]);
    scope.done();
  });
});
