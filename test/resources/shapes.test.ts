import { contactName, isoDate, mostRecentTask, nextOpenTask, toAppointment, toContact, toTask } from '../../src/resources/shapes.js';

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
