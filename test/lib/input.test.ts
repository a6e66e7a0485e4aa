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

  it('parseDateTime: epochs in UTC, text without an offset in the Zap’s timezone, text with one converted to it', () => {
    expect(parseDateTime(100_000_000)?.zone.isUniversal).toBe(true);
    expect(parseDateTime(100_000_000_001)?.zone.isUniversal).toBe(true);
    expect(parseDateTime('1796137200', 'Europe/Berlin')?.zone.isUniversal).toBe(true);
    const withOffset = parseDateTime('2026-12-01T10:00:00-05:00', 'Europe/Berlin');
    expect([withOffset?.zoneName, withOffset?.hour]).toEqual(['Europe/Berlin', 16]);
    const without = parseDateTime('2026-12-01T10:00:00', 'Europe/Berlin');
    expect([without?.zoneName, without?.hour]).toEqual(['Europe/Berlin', 10]);
  });

  it('parseDateTime returns undefined for objects', () => {
    expect(parseDateTime({})).toBeUndefined();
  });
});

describe('InputReader: the edges', () => {
  const error = (fn: () => unknown): InvalidInputError => {
    try {
      fn();
    } catch (e) {
      return e as InvalidInputError;
    }
    throw new Error('expected an InvalidInputError');
  };

  it('an input error is an InvalidInputError by name too (the operation wrapper reads it)', () => {
    const e = error(() => read({}).requiredText('email'));
    expect(e).toBeInstanceOf(InvalidInputError);
    expect(e.name).toBe('InvalidInputError');
    expect(e.message).toBe('"Email" is required but was empty. Map a value to it in the Zap editor.');
  });

  it('null (Zapier’s empty mapped value) and blanks in a single-value field are "not given"', () => {
    for (const v of [null, undefined, '', '   ', [], [null, ' ', '']]) {
      expect(read({ s: v }).text('s')).toBeUndefined();
      expect(read({ s: v }).bool('s')).toBeUndefined();
      expect(read({ s: v }).dateTime('s')).toBeUndefined();
      expect(read({ s: v }).date('s')).toBeUndefined();
      failsWith(() => read({ s: v }).requiredText('s'), '"s" is required but was empty. Map a value to it in the Zap editor.');
    }
    // 0 and false are values.
    expect(read({ s: 0 }).text('s')).toBe('0');
    expect(read({ s: false }).bool('s')).toBe(false);
  });

  it('text: trimmed, numbers as text, lists refused with what came, 10,000 characters at most by default', () => {
    expect(read({ s: '  a b  ' }).text('s')).toBe('a b');
    expect(read({ s: 42 }).requiredText('s')).toBe('42');
    failsWith(() => read({ s: ['a', 'b'] }).text('s'), '"s" must be text, but got a list or object (["a","b"]).');
    expect(read({ s: 'x'.repeat(10_000) }).text('s')).toHaveLength(10_000);
    failsWith(() => read({ s: 'x'.repeat(10_001) }).text('s'), '"s" is 10001 characters long; GHL accepts at most 10000.');
    failsWith(() => read({ s: 'x'.repeat(6) }).requiredText('s', { max: 5 }), '"s" is 6 characters long; GHL accepts at most 5.');
    expect(read({ s: `  ${'x'.repeat(5)}  ` }).text('s', { max: 5 })).toBe('xxxxx');
  });

  it('long bad values are shown cut to 60 characters', () => {
    const long = `${'a'.repeat(70)}@`;
    failsWith(() => read({ email: long }).email('email'), `"Email" is not a valid email address: "${'a'.repeat(57)}...".`);
    const exactly60 = 'b'.repeat(59) + '@';
    failsWith(() => read({ email: exactly60 }).email('email'), `"Email" is not a valid email address: "${exactly60}".`);
  });

  it('ids: letters, digits, _ and -, 1 to 64 of them, nothing around them', () => {
    expect(read({ contactId: 'a_b-C9' }).id('contactId')).toBe('a_b-C9');
    expect(read({ contactId: 'x'.repeat(64) }).id('contactId')).toBe('x'.repeat(64));
    failsWith(() => read({ contactId: 'x'.repeat(65) }).id('contactId'), `but got "${'x'.repeat(57)}...".`);
    for (const bad of ['a.b', '/abc', 'abc/', 'ab c', 'é1']) {
      failsWith(
        () => read({ contactId: bad }).id('contactId'),
        `"Contact" must be a GHL id (letters and digits, like "nmFmQEsNgz6AVpgLVUJ0"), but got "${bad}". Pick a value from the dropdown or map the id field of an earlier step.`,
      );
    }
    failsWith(() => read({ contactId: 'x'.repeat(201) }).id('contactId'), '"Contact" is 201 characters long; GHL accepts at most 200.');
    expect(read({ contactId: 'c1' }).requiredId('contactId')).toBe('c1');
  });

  it('emails: one address per field; two in one field, display names and bad domains are refused', () => {
    expect(read({ email: 'a.b+tag@mail.example.co' }).email('email')).toBe('a.b+tag@mail.example.co');
    for (const bad of [
      'rosa@example.com, ana@example.com',
      'rosa@example.com ana@example.com',
      'rosa@example.com;ana@example.com',
      'rosa@example.com,ana@example.com',
      'Rosa <rosa@example.com>',
      '<rosa@example.com>',
      'rosa@example',
      'rosa@example.c',
      '@example.com',
      'rosa@@example.com',
      'rosa@.com',
      'ro"sa@example.com',
      'rosa@exa:mple.com',
      'rosa@example.com(x)',
    ]) {
      failsWith(() => read({ email: bad }).email('email'), `"Email" is not a valid email address: "${bad}".`);
    }
    failsWith(() => read({ email: `${'a'.repeat(250)}@x.com` }).email('email'), '"Email" is 256 characters long; GHL accepts at most 254.');
    expect(read({}).email('email')).toBeUndefined();
  });

  it('phones: digits with an optional leading +, 6 to 15 of them', () => {
    expect(read({ p: '415.555.0123' }).phone('p')).toBe('4155550123');
    expect(read({ p: '+44 20 7946-0958' }).phone('p')).toBe('+442079460958');
    expect(read({ p: '123456' }).phone('p')).toBe('123456');
    expect(read({ p: '+123456789012345' }).phone('p')).toBe('+123456789012345');
    for (const bad of ['12345', '1234567890123456', '++1234567', '1234567+', 'x1234567', '1234567x', '+1 415 555 0123 ext 5']) {
      failsWith(
        () => read({ p: bad }).phone('p'),
        `"p" is not a valid phone number: "${bad}". Use international format, e.g. +14155550123.`,
      );
    }
    failsWith(() => read({ p: '1'.repeat(41) }).phone('p'), '"p" is 41 characters long; GHL accepts at most 40.');
    expect(read({}).phone('p')).toBeUndefined();
  });

  it('booleans: every yes/no word Zapier users type, in any case, and 1/0 as numbers', () => {
    for (const yes of ['true', 'YES', ' y ', '1', 'on', 1]) expect(read({ b: yes }).bool('b')).toBe(true);
    for (const no of ['false', 'No', 'n', '0', 'OFF', 0, false]) expect(read({ b: no }).bool('b')).toBe(false);
    failsWith(() => read({ b: { yes: true } }).bool('b'), '"b" must be yes or no (true/false), but got a list or object ({"yes":true}).');
    failsWith(() => read({ b: 'yes please' }).bool('b'), '"b" must be yes or no (true/false), but got "yes please".');
    failsWith(() => read({ b: 2 }).bool('b'), '"b" must be yes or no (true/false), but got "2".');
  });

  it('lists: null items skipped, objects refused, items of at most 200 characters, required means one item', () => {
    expect(read({ t: [null, 'a', undefined, ' b ', 7] }).list('t')).toEqual(['a', 'b', '7']);
    expect(read({ t: 'solo' }).list('t')).toEqual(['solo']);
    expect(read({ t: ' , ,' }).list('t')).toBeUndefined();
    failsWith(() => read({ t: { a: 1 } }).list('t'), '"t" must be a list of text values, but got {"a":1}.');
    failsWith(() => read({ t: ['a', { b: 1 }] }).list('t'), '"t" must be a list of text values.');
    expect(read({ t: ['x'.repeat(200)] }).list('t')).toEqual(['x'.repeat(200)]);
    failsWith(() => read({ t: ['ok', 'x'.repeat(201)] }).list('t'), 'An item of "t" is 201 characters long; at most 200 are allowed.');
    failsWith(() => read({ t: ['abcd'] }).list('t', { max: 3 }), 'An item of "t" is 4 characters long; at most 3 are allowed.');
    failsWith(() => read({ t: ' , ' }).list('t', { required: true }), '"t" is required but was empty.');
    failsWith(() => read({ t: [] }).list('t', { required: true }), '"t" is required but was empty. Map a value to it in the Zap editor.');
    expect(read({ t: 'a' }).list('t', { required: true })).toEqual(['a']);
  });

  it('choices: exact values only', () => {
    expect(read({}).choice('c', ['open'] as const)).toBeUndefined();
    failsWith(() => read({ c: 'Open' }).choice('c', ['open', 'completed'] as const), '"c" must be one of open, completed, but got "Open".');
  });

  it('date-times: a number is an epoch only from 9 to 13 digits; small numbers are not 1970', () => {
    for (const bad of [5, 0, -6, 1.5, 99_999_999, 1e13, 1e300, Number.NaN]) {
      failsWith(() => read({ due: bad }).dateTime('due'), '"Due Date" is not a date and time GHL understands');
    }
    expect(read({ due: 100_000_000 }).dateTime('due')).toBe('1973-03-03T09:46:40Z');
    expect(read({ due: '100000000' }).dateTime('due')).toBe('1973-03-03T09:46:40Z');
    expect(read({ due: 9_999_999_999_999 }).dateTime('due')).toBe('2286-11-20T17:46:39Z');
    // Up to 1e11 the number is seconds (year 5138), above it milliseconds.
    expect(read({ due: 100_000_000_000 }).dateTime('due')).toBe('5138-11-16T09:46:40Z');
    expect(read({ due: 100_000_000_001 }).dateTime('due')).toBe('1973-03-03T09:46:40Z');
    expect(read({ due: ' 1796137200 ' }).dateTime('due')).toBe('2026-12-01T15:00:00Z');
    failsWith(() => read({ due: '12345678' }).dateTime('due'), 'is not a date and time GHL understands');
    failsWith(() => read({ due: '17961372000000' }).dateTime('due'), 'is not a date and time GHL understands');
    failsWith(() => read({ due: true }).dateTime('due'), '"Due Date" is not a date and time GHL understands: "true".');
  });

  it('date-times: every documented text form, read in the Zap’s timezone, UTC when the timezone is unknown', () => {
    const ny = { timezone: 'America/New_York' };
    expect(read({ due: '2026-12-01 10:00:30' }).dateTime('due', ny)).toBe('2026-12-01T15:00:30Z');
    expect(read({ due: '2026-12-01 10:00' }).dateTime('due', ny)).toBe('2026-12-01T15:00:00Z');
    expect(read({ due: '2026-12-01 10:00:00 +0100' }).dateTime('due', ny)).toBe('2026-12-01T09:00:00Z');
    expect(read({ due: '12/01/2026 10:00' }).dateTime('due', ny)).toBe('2026-12-01T15:00:00Z');
    expect(read({ due: '12/01/2026' }).dateTime('due', ny)).toBe('2026-12-01T05:00:00Z');
    expect(read({ due: 'Tue, 01 Dec 2026 10:00:00 -0500' }).dateTime('due')).toBe('2026-12-01T15:00:00Z');
    expect(read({ due: 'Tue, 01 Dec 2026 10:00:00 GMT' }).dateTime('due', ny)).toBe('2026-12-01T10:00:00Z');
    expect(read({ due: '2026-12-01T10:00:00' }).dateTime('due', { timezone: 'Mars/Olympus_Mons' })).toBe('2026-12-01T10:00:00Z');
    expect(read({ due: '2026-12-01T10:00:00' }).dateTime('due', { timezone: '' })).toBe('2026-12-01T10:00:00Z');
    expect(read({ due: '  2026-12-01T10:00:00Z  ' }).dateTime('due')).toBe('2026-12-01T10:00:00Z');
    expect(parseDateTime('0999-12-01T10:00:00Z')).toBeUndefined();
    expect(parseDateTime('1000-01-01T00:00:00Z')?.year).toBe(1000);
    expect(parseDateTime('9999-12-31T00:00:00Z')?.year).toBe(9999);
    expect(parseDateTime('+010000-01-01T00:00:00Z')).toBeUndefined();
  });

  it('dates of birth: each documented format, the date as written even with an offset, four-digit years only', () => {
    for (const d of ['1988-04-23', '1988/04/23', '04/23/1988', '04-23-1988', '1988.04.23', '04.23.1988', ' 1988-04-23 ']) {
      expect(read({ d }).date('d')).toBe('1988-04-23');
    }
    expect(read({ d: '1988-04-23T23:30:00-05:00' }).date('d')).toBe('1988-04-23');
    expect(read({ d: '1988-04-23T01:30:00+05:00' }).date('d')).toBe('1988-04-23');
    expect(read({ d: '1000-01-01' }).date('d')).toBe('1000-01-01');
    expect(read({ d: '9999-12-31' }).date('d')).toBe('9999-12-31');
    failsWith(() => read({ d: '0999-12-31' }).date('d'), '"d" is not a date: "0999-12-31". Use YYYY-MM-DD, e.g. 1990-04-23.');
    failsWith(() => read({ d: '02/30/1988' }).date('d'), '"d" is not a date: "02/30/1988".');
    failsWith(() => read({ d: ['1988-04-23'] }).date('d'), '"d" is not a date: ["1988-04-23"]. Use YYYY-MM-DD, e.g. 1990-04-23.');
  });

  it('labels: the field’s label when the operation gave one, else its key', () => {
    failsWith(() => new InputReader({ x: 'maybe' }).bool('x'), '"x" must be yes or no');
    failsWith(() => new InputReader({ x: 'maybe' }, { x: 'Active' }).bool('x'), '"Active" must be yes or no');
  });
});
