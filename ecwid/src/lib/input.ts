/**
 * Pre-send checks: every operation turns Zapier's raw `inputData` into a typed input before any
 * request is built. A problem becomes an {@link InvalidInputError} whose message says which field
 * to fix; the operation wrapper (src/operations/define.ts) turns it into a Zapier error.
 */
export class InvalidInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidInputError';
  }
}

const fail = (message: string): never => {
  throw new InvalidInputError(message);
};

/** Ecwid customer ids are positive integers (e.g. 177737165). */
const ECWID_ID = /^[1-9][0-9]{0,17}$/;
/** Deliberately loose (Ecwid is the judge), but catches the mapping mistakes users actually make. */
const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]{2,}$/;

const isBlank = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

const describe = (v: unknown): string => {
  const s = typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

export class InputReader {
  constructor(
    private readonly input: Record<string, unknown>,
    private readonly labels: Record<string, string> = {},
  ) {}

  private label(key: string): string {
    return this.labels[key] ?? key;
  }

  text(key: string, max = 500): string | undefined {
    const v = this.input[key];
    if (isBlank(v)) return undefined;
    if (typeof v === 'object') fail(`"${this.label(key)}" must be text, but got a list or object (${describe(v)}).`);
    const s = String(v).trim();
    if (s.length > max) fail(`"${this.label(key)}" is ${s.length} characters long; at most ${max} are allowed.`);
    return s;
  }

  /** An Ecwid customer id; a number mapped from an earlier step arrives as a number or as text. */
  ecwidId(key: string): string | undefined {
    const s = this.text(key, 40);
    if (s === undefined) return undefined;
    if (!ECWID_ID.test(s)) {
      fail(
        `"${this.label(key)}" must be an Ecwid customer ID (digits only, like 177737165), but got "${describe(s)}". Map the Customer ID field of an Ecwid trigger, or leave it empty and search by email.`,
      );
    }
    return s;
  }

  email(key: string): string | undefined {
    const s = this.text(key, 254);
    if (s === undefined) return undefined;
    if (!EMAIL.test(s)) fail(`"${this.label(key)}" is not a valid email address: "${describe(s)}".`);
    return s.toLowerCase();
  }
}
