import { readFileSync } from 'node:fs';
import { MAX_FLAT_FIELDS, flatten, scrub } from '../../src/lib/apiResponse.js';

describe('flatten (API Request output)', () => {
  it('joins nested keys with __, keeps lists of plain values, indexes lists of objects, starts a list body at items', () => {
    expect(flatten({ contact: { id: 'c1', tags: ['a', 'b'], dnd: false, meta: {} }, notes: [{ id: 'n1' }, 'x'], total: 2 })).toEqual({
      fields: {
        contact__id: 'c1',
        contact__tags: ['a', 'b'],
        contact__dnd: false,
        contact__meta: {},
        notes__0__id: 'n1',
        notes__1: 'x',
        total: 2,
      },
      truncated: false,
    });
    expect(flatten([{ id: 1 }, { id: 2 }])).toEqual({ fields: { items__0__id: 1, items__1__id: 2 }, truncated: false });
    expect(flatten({})).toEqual({ fields: {}, truncated: false });
    expect(flatten(null)).toEqual({ fields: {}, truncated: false });
  });

  it(`stops at ${MAX_FLAT_FIELDS} fields and says so`, () => {
    const out = flatten({ items: Array.from({ length: 300 }, (_, i) => ({ id: i, name: `n${i}` })) });
    expect(Object.keys(out.fields)).toHaveLength(MAX_FLAT_FIELDS);
    expect(out.fields.items__249__name).toBe('n249');
    expect(out.fields.items__250__id).toBeUndefined();
    expect(out.truncated).toBe(true);
  });
});

describe('scrub', () => {
  it('replaces each secret in strings and keys, at any depth; short secrets are not replaced', () => {
    expect(scrub({ a: 'Bearer tok-12345678', list: [{ 'tok-12345678': 'x' }], n: 1 }, ['tok-12345678', 'short'])).toEqual({
      a: 'Bearer [hidden]',
      list: [{ '[hidden]': 'x' }],
      n: 1,
    });
    expect(scrub('a short b', ['short'])).toBe('a short b');
  });
});

it("the Ecwid app's copy is the same code (each app ships alone, so neither imports the other)", () => {
  const code = (file: string) => readFileSync(file, 'utf8').replace(/^\/\*\*[\s\S]*?\*\/\n/, '');
  expect(code('ecwid/src/lib/apiResponse.ts')).toBe(code('src/lib/apiResponse.ts'));
});
