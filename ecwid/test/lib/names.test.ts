import { namesOf, splitFullName } from '../../src/lib/names.js';

describe('splitFullName (every word kept)', () => {
  it.each([
    ['Mary Ann van der Berg', 'Mary Ann', 'van der Berg'],
    // A live Ecwid answer: Ecwid's own split is "[DEMO]" / "desbloquear" (the middle is lost).
    ['[DEMO] Actualización para desbloquear', '[DEMO] Actualización para', 'desbloquear'],
    ['Jules Okafor', 'Jules', 'Okafor'],
    ['Ada  King   Lovelace', 'Ada King', 'Lovelace'],
    ['José de la Cruz', 'José', 'de la Cruz'],
    ['Ludwig van Beethoven', 'Ludwig', 'van Beethoven'],
    ['Van Morrison', 'Van', 'Morrison'],
    ['de Souza', 'de', 'Souza'],
    ['van der Berg', 'van', 'der Berg'],
    ['Cher', 'Cher', ''],
    ['  ', '', ''],
  ])('%j → %j / %j', (full, firstName, lastName) => {
    expect(splitFullName(full)).toEqual({ firstName, lastName });
  });

  it('the first and last names together hold every word of the name, in order', () => {
    for (const full of ['Mary Ann van der Berg', 'A B C D E', 'x de la y', 'one two']) {
      const { firstName, lastName } = splitFullName(full);
      expect(`${firstName} ${lastName}`.trim()).toBe(full);
    }
  });
});

describe('namesOf', () => {
  it('prefers the full name over Ecwid’s own first/last word split', () => {
    expect(namesOf('Mary Ann van der Berg', { firstName: 'Mary', lastName: 'Berg' })).toEqual({
      name: 'Mary Ann van der Berg',
      firstName: 'Mary Ann',
      lastName: 'van der Berg',
    });
  });

  it('uses Ecwid’s own split only when there is no full name', () => {
    expect(namesOf(undefined, { firstName: ' Dana ', lastName: 'Roe' })).toEqual({ name: 'Dana Roe', firstName: 'Dana', lastName: 'Roe' });
    expect(namesOf('', { lastName: 'Roe' })).toEqual({ name: 'Roe', firstName: '', lastName: 'Roe' });
  });

  it('a customer without any name gives empty texts, never "undefined"', () => {
    expect(namesOf(undefined)).toEqual({ name: '', firstName: '', lastName: '' });
    expect(namesOf(null, { firstName: null, lastName: 42 })).toEqual({ name: '', firstName: '', lastName: '' });
  });
});
