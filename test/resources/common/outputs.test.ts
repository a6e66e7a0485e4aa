import { Settings } from 'luxon';
import {
  appointmentOutputFields,
  contactName,
  contactOutputFields,
  isoDate,
  mostRecentTask,
  nextOpenTask,
  noteOutputFields,
  taskOutputFields,
  toAppointment,
  toContact,
  toNote,
  toTask,
} from '../../../src/resources/common/outputs.js';

describe('isoDate (post-receive date normalisation)', () => {
  it('keeps ISO strings that carry a zone as they are', () => {
    expect(isoDate('2026-11-20T09:12:44.000Z')).toBe('2026-11-20T09:12:44.000Z');
    expect(isoDate('2026-11-20T09:12:44-05:00')).toBe('2026-11-20T09:12:44-05:00');
  });

  it('gives zone-less values an offset: UTC by default, or the given timezone', () => {
    expect(isoDate('2026-07-16 11:00:00')).toBe('2026-07-16T11:00:00.000Z');
    expect(isoDate('2026-07-16 11:00:00', 'America/New_York')).toBe('2026-07-16T15:00:00.000Z');
    expect(isoDate('2026-07-16T11:00:00', 'Europe/Berlin')).toBe('2026-07-16T09:00:00.000Z');
    expect(isoDate('2026-07-16 11:00:00', 'Not/AZone')).toBe('2026-07-16T11:00:00.000Z');
  });

  it('turns epoch milliseconds into ISO and empty values into undefined', () => {
    expect(isoDate(1795690268000)).toBe('2026-11-26T10:51:08.000Z');
    expect(isoDate('')).toBeUndefined();
    expect(isoDate(null)).toBeUndefined();
  });
});

describe('task choices of the profile', () => {
  const t = (id: string, dueDate: string, completed = false, dateAdded?: string) =>
    toTask({ id, title: id, dueDate, completed, dateAdded }, 'c1');

  it('mostRecentTask is the task added last, the latest due date standing in when GHL gives no creation date', () => {
    expect(mostRecentTask([t('a', '2026-12-01T00:00:00Z'), t('b', '2026-12-05T00:00:00Z'), t('c', '2026-11-01T00:00:00Z')])?.id).toBe('b');
    expect(
      mostRecentTask([
        t('a', '2026-12-01T00:00:00Z', false, '2026-11-28T10:00:00Z'),
        t('b', '2026-12-05T00:00:00Z', false, '2026-11-01T10:00:00Z'),
      ])?.id,
    ).toBe('a');
    expect(mostRecentTask([])).toBeNull();
  });

  it('nextOpenTask is the open task due soonest', () => {
    expect(nextOpenTask([t('a', '2026-12-01T00:00:00Z', true), t('b', '2026-12-05T00:00:00Z'), t('c', '2026-12-03T00:00:00Z')])?.id).toBe(
      'c',
    );
    expect(nextOpenTask([t('a', '2026-12-01T00:00:00Z', true)])).toBeNull();
  });
});

describe('output shapes', () => {
  it('a contact: name from its parts, explicit contactId, tags and custom fields always lists, no undefined keys', () => {
    expect(toContact({ id: 'c1', firstName: 'Rosa', lastName: 'Delgado', dateOfBirth: '1988-04-23T00:00:00.000Z' as never })).toEqual({
      id: 'c1',
      contactId: 'c1',
      name: 'Rosa Delgado',
      firstName: 'Rosa',
      lastName: 'Delgado',
      tags: [],
      dateOfBirth: '1988-04-23',
      customFields: [],
    });
    expect(contactName({ name: '', firstName: '', lastName: '' })).toBe('');
  });

  it('an appointment keeps its contact and gets ISO times', () => {
    expect(toAppointment({ id: 'ev1', title: 'Visit', startTime: '2026-12-03 12:00:00' }, 'c1', 'America/New_York')).toEqual({
      id: 'ev1',
      appointmentId: 'ev1',
      contactId: 'c1',
      title: 'Visit',
      startTime: '2026-12-03T17:00:00.000Z',
    });
  });
});

describe('isoDate: the edges', () => {
  it('an offset with or without a colon, or a lower-case z, is kept as GHL wrote it', () => {
    expect(isoDate('2026-11-20T09:12:44+0530')).toBe('2026-11-20T09:12:44+0530');
    expect(isoDate('2026-11-20T09:12:44z')).toBe('2026-11-20T09:12:44z');
    expect(isoDate('  2026-11-20T09:12:44+05:30  ')).toBe('2026-11-20T09:12:44+05:30');
  });

  it('a zone-less ISO value is converted, even when its digits look like an offset', () => {
    expect(isoDate('+002026-11-20T09:12', 'America/New_York')).toBe('2026-11-20T14:12:00.000Z');
    expect(isoDate('2026-11-20T09:12', 'America/New_York')).toBe('2026-11-20T14:12:00.000Z');
    expect(isoDate('2026-11-20', 'America/New_York')).toBe('2026-11-20T05:00:00.000Z');
  });

  it('what is no date is passed on as it came (never lost); non-text values other than numbers are dropped', () => {
    expect(isoDate(' next week ')).toBe('next week');
    expect(isoDate('2026-02-30 10:00:00')).toBe('2026-02-30 10:00:00');
    expect(isoDate('   ')).toBeUndefined();
    expect(isoDate(undefined)).toBeUndefined();
    expect(isoDate({ date: '2026-11-20' })).toBeUndefined();
    expect(isoDate(0)).toBe('1970-01-01T00:00:00.000Z');
  });
});

describe('dateOfBirth (through toContact): GHL’s documented formats and epoch milliseconds', () => {
  const dob = (dateOfBirth: unknown) => toContact({ id: 'c1', dateOfBirth } as never).dateOfBirth;

  it.each([
    ['1988-04-23', '1988-04-23'],
    ['1988/4/3', '1988-04-03'],
    ['1988.04.23', '1988-04-23'],
    ['1988_04_23', '1988-04-23'],
    ['1988-04-23T00:00:00.000Z', '1988-04-23'],
    [' 04/23/1988 ', '1988-04-23'],
    ['4-3-1988', '1988-04-03'],
    ['04.23.1988', '1988-04-23'],
    [577_756_800_000, '1988-04-23'],
    [-86_400_000, '1969-12-31'],
  ])('%j → %s', (value, expected) => {
    expect(dob(value)).toBe(expected);
  });

  it.each([
    ['1988-04/23'],
    ['1988-02-30'],
    ['02/30/1988'],
    ['1988-04-23x'],
    ['x1988-04-23'],
    ['x04/23/1988'],
    ['104/23/1988'],
    ['04/23/1988x'],
    ['88-04-23'],
    ['1988-004-23'],
    ['April 23, 1988'],
    [''],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    [8.64e15 + 1],
    [null],
    [{ year: 1988 }],
  ])('%j → none (never a cut or wrong date)', (value) => {
    expect(dob(value)).toBeUndefined();
  });
});

describe('toContact: every field', () => {
  it('a full contact: lists flattened to text, DND kept, the search answer’s `address` as address1', () => {
    const got = toContact({
      id: 'c1',
      locationId: 'loc1',
      name: ' Rosa Delgado ',
      firstName: 'Rosa',
      lastName: 'Delgado',
      email: 'rosa@example.com',
      phone: '+14155550123',
      companyName: 'Delgado Co',
      businessName: 'Delgado Bakery',
      address: '1 Main St',
      city: 'Austin',
      state: 'TX',
      postalCode: '73301',
      country: 'US',
      website: 'https://delgado.example',
      timezone: 'America/Chicago',
      source: 'web',
      type: 'lead',
      dnd: false,
      dndSettings: { SMS: { status: 'active' } },
      tags: ['vip'],
      assignedTo: 'u1',
      followers: [{ id: 'u2' }, 'u3', { id: '' }, { name: 'x' }, null, undefined, 7, true],
      businessId: 'b1',
      additionalEmails: [{ email: 'r@work.example' }, 'r2@example.com', { email: 5 }],
      additionalPhones: [{ phone: '+15550001' }],
      dateOfBirth: '1988-04-23',
      dateAdded: '2026-11-20T09:12:44.000Z',
      dateUpdated: '2026-11-21 10:00:00',
      customFields: [{ id: 'f1', value: 'gold', fieldKey: 'contact.tier' }],
    } as never);
    expect(got).toEqual({
      id: 'c1',
      contactId: 'c1',
      locationId: 'loc1',
      name: 'Rosa Delgado',
      firstName: 'Rosa',
      lastName: 'Delgado',
      email: 'rosa@example.com',
      phone: '+14155550123',
      companyName: 'Delgado Co',
      businessName: 'Delgado Bakery',
      address1: '1 Main St',
      city: 'Austin',
      state: 'TX',
      postalCode: '73301',
      country: 'US',
      website: 'https://delgado.example',
      timezone: 'America/Chicago',
      source: 'web',
      type: 'lead',
      dnd: false,
      dndSettings: { SMS: { status: 'active' } },
      tags: ['vip'],
      assignedTo: 'u1',
      followers: ['u2', 'u3'],
      businessId: 'b1',
      additionalEmails: ['r@work.example', 'r2@example.com'],
      additionalPhones: ['+15550001'],
      dateOfBirth: '1988-04-23',
      dateAdded: '2026-11-20T09:12:44.000Z',
      dateUpdated: '2026-11-21T10:00:00.000Z',
      customFields: [{ id: 'f1', value: 'gold' }],
    });
  });

  it('address1 wins over address; a null address is no address; empty DND settings and non-list lists are left out', () => {
    expect(toContact({ id: 'c1', address1: 'A', address: 'B' } as never).address1).toBe('A');
    const bare = toContact({ id: 'c1', address: null, dndSettings: {}, followers: 'u1', additionalEmails: { email: 'x' } } as never);
    expect(bare).toEqual({ id: 'c1', contactId: 'c1', name: '', tags: [], customFields: [] });
    expect(toContact({ id: 'c1', dndSettings: ['SMS'] } as never)).not.toHaveProperty('dndSettings');
    expect(toContact({ id: 'c1', dndSettings: null } as never)).not.toHaveProperty('dndSettings');
    expect(toContact({ id: 'c1', dndSettings: 'SMS' } as never)).not.toHaveProperty('dndSettings');
  });

  it('the name: GHL’s name, else first + last, else the event’s contactName', () => {
    expect(contactName({ firstName: 'Rosa' })).toBe('Rosa');
    expect(contactName({ lastName: 'Delgado' })).toBe('Delgado');
    expect(contactName({ name: '', firstName: '', lastName: '', contactName: ' Rosa D ' })).toBe('Rosa D');
    expect(contactName({ name: 'Given', firstName: 'Rosa', contactName: 'Other' })).toBe('Given');
    expect(contactName({})).toBe('');
  });
});

describe('toTask, toNote, toAppointment', () => {
  it('a task: `_id` from the location search, completed as a boolean, the contact from the call when GHL omits it', () => {
    expect(
      toTask(
        {
          _id: 't1',
          title: 'Call',
          body: 'Ask',
          assignedTo: 'u1',
          dueDate: '2026-12-01 10:00:00',
          dateUpdated: '2026-12-02T00:00:00Z',
        } as never,
        'c9',
      ),
    ).toEqual({
      id: 't1',
      taskId: 't1',
      contactId: 'c9',
      title: 'Call',
      body: 'Ask',
      assignedTo: 'u1',
      dueDate: '2026-12-01T10:00:00.000Z',
      completed: false,
      dateUpdated: '2026-12-02T00:00:00Z',
    });
    expect(toTask({ id: 't2', _id: 'x', contactId: 'c1', completed: 1, dateAdded: '2026-11-30T00:00:00Z' } as never, 'c9')).toEqual({
      id: 't2',
      taskId: 't2',
      contactId: 'c1',
      completed: true,
      dateAdded: '2026-11-30T00:00:00Z',
    });
  });

  it('a note', () => {
    expect(toNote({ id: 'n1', body: 'Hi', userId: 'u1', dateAdded: '2026-11-20 09:00:00' }, 'c1')).toEqual({
      id: 'n1',
      noteId: 'n1',
      contactId: 'c1',
      body: 'Hi',
      userId: 'u1',
      dateAdded: '2026-11-20T09:00:00.000Z',
    });
    expect(toNote({ id: 'n1', contactId: 'c2' }, 'c1').contactId).toBe('c2');
  });

  it('an appointment: every field, its times in the sub-account’s zone', () => {
    expect(
      toAppointment(
        {
          id: 'a1',
          contactId: 'c2',
          calendarId: 'cal1',
          title: 'Visit',
          status: 'booked',
          appointmentStatus: 'confirmed',
          assignedUserId: 'u1',
          startTime: '2026-12-03 12:00:00',
          endTime: '2026-12-03 13:00:00',
          address: 'Office',
          notes: 'Bring docs',
          dateAdded: '2026-12-01 08:00:00',
        } as never,
        'c1',
        'Europe/Berlin',
      ),
    ).toEqual({
      id: 'a1',
      appointmentId: 'a1',
      contactId: 'c2',
      calendarId: 'cal1',
      title: 'Visit',
      status: 'booked',
      appointmentStatus: 'confirmed',
      assignedUserId: 'u1',
      startTime: '2026-12-03T11:00:00.000Z',
      endTime: '2026-12-03T12:00:00.000Z',
      address: 'Office',
      notes: 'Bring docs',
      dateAdded: '2026-12-01T07:00:00.000Z',
    });
  });
});

describe('task choices: ties and missing dates', () => {
  const t = (id: string, fields: Record<string, unknown>) => toTask({ id, ...fields } as never, 'c1');

  it('mostRecentTask: on a tie the first stays; a task without dates counts as oldest', () => {
    const a = t('a', { dateAdded: '2026-11-01T00:00:00Z' });
    const b = t('b', { dateAdded: '2026-11-01T00:00:00Z' });
    expect(mostRecentTask([a, b])?.id).toBe('a');
    expect(mostRecentTask([t('x', {}), a])?.id).toBe('a');
    expect(mostRecentTask([a, t('x', {})])?.id).toBe('a');
    expect(mostRecentTask([t('x', {}), t('y', { dueDate: 'soon' })])?.id).toBe('x');
  });

  it('nextOpenTask: on a tie the first stays; a task without a due date comes first (due "now")', () => {
    const a = t('a', { dueDate: '2026-12-01T00:00:00Z' });
    const b = t('b', { dueDate: '2026-12-01T00:00:00Z' });
    expect(nextOpenTask([a, b])?.id).toBe('a');
    expect(nextOpenTask([a, t('x', {})])?.id).toBe('x');
    expect(nextOpenTask([t('done', { completed: true }), a])?.id).toBe('a');
  });
});

describe('output fields: each names a field the output really has, with the right type', () => {
  const fullContact = () =>
    toContact({
      id: 'c1',
      locationId: 'l',
      firstName: 'R',
      lastName: 'D',
      email: 'r@x.io',
      phone: '+1555000111',
      companyName: 'C',
      businessName: 'B',
      address1: 'A',
      city: 'C',
      state: 'S',
      postalCode: 'P',
      country: 'US',
      website: 'w',
      timezone: 'UTC',
      source: 's',
      type: 'lead',
      dnd: true,
      dndSettings: Object.fromEntries(['SMS', 'Email', 'Call', 'WhatsApp', 'GMB', 'FB'].map((ch) => [ch, { status: 'active' }])),
      tags: ['t'],
      assignedTo: 'u',
      followers: ['u2'],
      businessId: 'b',
      additionalEmails: ['e@x.io'],
      additionalPhones: ['+1555'],
      dateOfBirth: '1990-01-02',
      dateAdded: '2026-01-01T00:00:00Z',
      dateUpdated: '2026-01-02T00:00:00Z',
    } as never);
  const fullTask = () =>
    toTask(
      {
        id: 't',
        title: 'T',
        body: 'B',
        assignedTo: 'u',
        dueDate: '2026-01-01T00:00:00Z',
        completed: true,
        dateAdded: '2026-01-01T00:00:00Z',
        dateUpdated: '2026-01-01T00:00:00Z',
      } as never,
      'c1',
    );
  const fullNote = () => toNote({ id: 'n', body: 'B', userId: 'u', dateAdded: '2026-01-01T00:00:00Z' }, 'c1');
  const fullAppointment = () =>
    toAppointment(
      {
        id: 'a',
        calendarId: 'k',
        title: 'T',
        status: 's',
        appointmentStatus: 'a',
        assignedUserId: 'u',
        startTime: '2026-01-01T00:00:00Z',
        endTime: '2026-01-01T01:00:00Z',
        address: 'x',
        notes: 'n',
        dateAdded: '2026-01-01T00:00:00Z',
      } as never,
      'c1',
    );

  /** `dndSettings__SMS__status` → output.dndSettings.SMS.status (Zapier's notation for nested keys). */
  const at = (o: unknown, key: string) => key.split('__').reduce<any>((v, k) => v?.[k], o);
  const typeOf = (v: unknown) =>
    Array.isArray(v) ? 'list' : typeof v === 'boolean' ? 'boolean' : /^\d{4}-\d\d-\d\dT/.test(String(v)) ? 'datetime' : 'string';

  it.each([
    ['contact', contactOutputFields, fullContact, ['customFields', 'dndSettings']],
    ['task', taskOutputFields, fullTask, []],
    ['note', noteOutputFields, fullNote, []],
    ['appointment', appointmentOutputFields, fullAppointment, []],
  ] as const)('%s', (_noun, fields, full, notListed) => {
    const output = full();
    const declared = fields.map((f) => ({ key: f.key, type: f.list ? 'list' : (f.type ?? 'string') }));
    const actual = fields.map((f) => ({ key: f.key, type: typeOf(at(output, f.key)) }));
    expect(declared).toEqual(actual);
    expect(fields.every((f) => at(output, f.key) !== undefined)).toBe(true);
    // Labels: present and distinct, so the field picker shows each field once.
    expect(fields.every((f) => typeof f.label === 'string' && f.label.trim() !== '')).toBe(true);
    expect(new Set(fields.map((f) => f.label)).size).toBe(fields.length);
    // And every top-level output key is declared (nested ones through their parts).
    const top = new Set(fields.map((f) => f.key.split('__')[0]));
    expect(Object.keys(output).filter((k) => !top.has(k) && !(notListed as readonly string[]).includes(k))).toEqual([]);
  });

  it('id and the noun’s id come first, then what users map most', () => {
    expect(contactOutputFields.slice(0, 6).map((f) => f.key)).toEqual(['id', 'contactId', 'name', 'email', 'phone', 'tags']);
    expect(taskOutputFields.slice(0, 3).map((f) => f.key)).toEqual(['id', 'taskId', 'contactId']);
    expect(noteOutputFields.slice(0, 2).map((f) => f.key)).toEqual(['id', 'noteId']);
    expect(appointmentOutputFields.slice(0, 2).map((f) => f.key)).toEqual(['id', 'appointmentId']);
    expect(contactOutputFields.find((f) => f.key === 'contactId')?.label).toBe('Contact ID');
  });
});

describe('outputs do not depend on the machine’s timezone', () => {
  const machineZone = Settings.defaultZone;
  beforeAll(() => {
    // UTC+14: a date read in the machine's zone instead of UTC would move to the next day.
    Settings.defaultZone = 'Pacific/Kiritimati';
  });
  afterAll(() => {
    Settings.defaultZone = machineZone;
  });

  it('epoch dates of birth and epoch dates are read in UTC', () => {
    // 2000-01-01T20:00Z (Kiritimati has been UTC+14 since 1995).
    expect(toContact({ id: 'c1', dateOfBirth: 946_756_800_000 } as never).dateOfBirth).toBe('2000-01-01');
    expect(isoDate(1795690268000)).toBe('2026-11-26T10:51:08.000Z');
    expect(isoDate('2026-07-16 11:00:00')).toBe('2026-07-16T11:00:00.000Z');
    expect(isoDate('2026-07-16T11:00:00')).toBe('2026-07-16T11:00:00.000Z');
  });
});
