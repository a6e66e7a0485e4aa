/**
 * First and last name from an Ecwid customer, keeping every word (docs/ecwid-app.md "Names").
 *
 * Ecwid's own `billingPerson.firstName`/`lastName` are the first and the last word of the name:
 * a live answer has `[DEMO] Actualización para desbloquear` → `[DEMO]` / `desbloquear`, so a
 * three-word name loses its middle. The app therefore splits the full name itself:
 * - the last word is the last name, together with the lower-case name particles right before it
 *   (`van der Berg`, `da Silva`, `de la Cruz`); everything before is the first name, so
 *   `Mary Ann van der Berg` → `Mary Ann` / `van der Berg`;
 * - a name of one word is a first name;
 * - Ecwid's own split is used only when there is no full name;
 * - no name at all gives empty texts (never "undefined").
 */

/** Lower-case particles that belong to the surname that follows them. Capitalised ones ("Van") are left alone: they may be given names. */
const PARTICLES = new Set([
  'van',
  'von',
  'der',
  'den',
  'de',
  'del',
  'della',
  'di',
  'da',
  'das',
  'dos',
  'du',
  'la',
  'le',
  'ter',
  'ten',
  'bin',
  'ibn',
  'al',
  'el',
]);

export interface SplitName {
  name: string;
  firstName: string;
  lastName: string;
}

const clean = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

export const splitFullName = (full: string): { firstName: string; lastName: string } => {
  const words = full.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { firstName: '', lastName: '' };
  if (words.length === 1) return { firstName: words[0]!, lastName: '' };
  // The first word always stays in the first name.
  let start = words.length - 1;
  while (start > 1 && PARTICLES.has(words[start - 1]!)) start -= 1;
  return { firstName: words.slice(0, start).join(' '), lastName: words.slice(start).join(' ') };
};

/**
 * `fullName`: the customer's `name` (search answers) or `billingPerson.name` (get-by-id answers
 * have no top-level `name`); `own`: Ecwid's billingPerson first/last name.
 */
export const namesOf = (fullName: unknown, own: { firstName?: unknown; lastName?: unknown } = {}): SplitName => {
  const name = clean(fullName);
  if (name) return { name, ...splitFullName(name) };
  const firstName = clean(own.firstName);
  const lastName = clean(own.lastName);
  return { name: [firstName, lastName].filter(Boolean).join(' '), firstName, lastName };
};
