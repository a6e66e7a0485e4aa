import { InputReader, InvalidInputError, parseDateTime } from '../../src/lib/input.js';

const read = (input: Record<string, unknown>) => new InputReader(input, { contactId: 'Contact', email: 'Email', due: 'Due Date' });
const failsWith = (fn: () => unknown, message: string) => {
  expect(fn).toThrow(InvalidInputError);
  expect(fn).toThrow(message);
};

describe('InputReader', () => {
  it('ids: accepts GHL ids, rejects paths, blanks and objects with the field label', () => {
    expect(read({ contactId: ' nmFmQEsNgz6AVpgLVUJ0 ' }).requiredId('contactId')).toBe('nmFmQEsNgz6AVpgLVUJ0');
    failsWith(() => read({ contactId: '../locations' }).requiredId('contactId'), '"Contact" must be a GHL id');
    failsWith(
      () => read({ contactId: '' }).requiredId('contactId'),
      '"Contact" is required but was empty. Map a value to it in the Zap editor.',
    );
    failsWith(() => read({ contactId: { id: 'x' } }).requiredId('contactId'), '"Contact" must be text, but got a list or object');
    expect(read({}).id('contactId')).toBeUndefined();
  });

  it('emails: lower-cased; malformed ones rejected', () => {
    expect(read({ email: ' Rosa.Delgado@Example.COM ' }).email('email')).toBe('rosa.delgado@example.com');
    failsWith(() => read({ email: 'rosa@' }).email('email'), '"Email" is not a valid email address: "rosa@".');
    failsWith(() => read({ email: 'a b@c.de' }).email('email'), 'is not a valid email address');
  });

  it('phones: punctuation dropped, letters rejected', () => {
    expect(read({ p: '+1 (415) 555-0123' }).phone('p')).toBe('+14155550123');
    failsWith(
      () => read({ p: 'call me' }).phone('p'),
      '"p" is not a valid phone number: "call me". Use international format, e.g. +14155550123.',
    );
  });

  it('booleans from Zapier strings', () => {
    expect(read({ b: 'yes' }).bool('b')).toBe(true);
    expect(read({ b: 'false' }).bool('b')).toBe(false);
    expect(read({ b: true }).bool('b')).toBe(true);
    failsWith(() => read({ b: 'maybe' }).bool('b'), '"b" must be yes or no (true/false), but got "maybe".');
  });

  it('lists: arrays or comma strings, trimmed, de-duplicated', () => {
    expect(read({ t: ['vip', ' vip ', '', 'wholesale'] }).list('t')).toEqual(['vip', 'wholesale']);
    expect(read({ t: 'a, b,,c' }).list('t')).toEqual(['a', 'b', 'c']);
    expect(read({ t: [] }).list('t')).toBeUndefined();
  });

  it('date-times: ISO with offset kept as the same instant in UTC, no milliseconds', () => {
    expect(read({ due: '2026-12-01T10:00:00-05:00' }).dateTime('due')).toBe('2026-12-01T15:00:00Z');
    expect(read({ due: '2026-12-01T15:00:00.123Z' }).dateTime('due')).toBe('2026-12-01T15:00:00Z');
  });

  it("date-times without an offset are read in the Zap's timezone", () => {
    expect(read({ due: '2026-12-01 10:00' }).dateTime('due', { timezone: 'America/New_York' })).toBe('2026-12-01T15:00:00Z');
    expect(read({ due: '2026-07-01T10:00:00' }).dateTime('due', { timezone: 'Europe/Berlin' })).toBe('2026-07-01T08:00:00Z');
  });

  it('date-times from epoch seconds and milliseconds', () => {
    expect(read({ due: 1796137200 }).dateTime('due')).toBe('2026-12-01T15:00:00Z');
    expect(read({ due: '1796137200000' }).dateTime('due')).toBe('2026-12-01T15:00:00Z');
  });

  it('bad date-times name the field and show an example', () => {
    failsWith(
      () => read({ due: 'next tuesday' }).dateTime('due'),
      '"Due Date" is not a date and time GHL understands: "next tuesday". Use e.g. 2026-12-01T15:00:00-05:00.',
    );
    failsWith(() => read({ due: '2026-02-30T10:00:00Z' }).dateTime('due'), 'is not a date and time GHL understands');
  });

  it('dates of birth in the formats GHL documents become YYYY-MM-DD', () => {
    expect(read({ d: '04/23/1988' }).date('d')).toBe('1988-04-23');
    expect(read({ d: '1988.04.23' }).date('d')).toBe('1988-04-23');
    expect(read({ d: '1988-04-23T00:00:00Z' }).date('d')).toBe('1988-04-23');
    failsWith(() => read({ d: '23rd April' }).date('d'), '"d" is not a date: "23rd April". Use YYYY-MM-DD, e.g. 1990-04-23.');
  });

  it('text longer than GHL accepts is refused, not truncated', () => {
    failsWith(() => read({ s: 'x'.repeat(11) }).text('s', { max: 10 }), '"s" is 11 characters long; GHL accepts at most 10.');
  });

  it('choices', () => {
    expect(read({ c: 'open' }).choice('c', ['open', 'completed'] as const)).toBe('open');
    failsWith(() => read({ c: 'done' }).choice('c', ['open', 'completed'] as const), '"c" must be one of open, completed, but got "done".');
  });

  it('parseDateTime returns undefined for objects', () => {
    expect(parseDateTime({})).toBeUndefined();
  });
});
