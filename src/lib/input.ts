import { DateTime } from 'luxon';

/**
 * Pre-send checks: every operation turns Zapier's raw `inputData` into a typed, validated input
 * before any request is built. A problem becomes an {@link InvalidInputError} whose message tells
 * a no-code user which field to fix; the operation wrapper turns it into `z.errors.Error`.
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

/** GHL ids are short alphanumerics (20–24 chars, some with `_`/`-`); anything else is a mapping mistake. */
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** Deliberately loose (GHL is the judge), but catches the mapping mistakes users actually make. */
const EMAIL_PATTERN = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]{2,}$/;
const MAX_TEXT = 10_000;

const isBlank = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

const describe = (v: unknown): string => {
  const s = typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

interface Opts {
  required?: boolean;
}

export class InputReader {
  constructor(
    private readonly input: Record<string, unknown>,
    private readonly labels: Record<string, string> = {},
  ) {}

  private label(key: string): string {
    return this.labels[key] ?? key;
  }

  private raw(key: string, opts: Opts): unknown {
    const v = this.input[key];
    if (isBlank(v) || (Array.isArray(v) && v.every(isBlank))) {
      if (opts.required) fail(`"${this.label(key)}" is required but was empty. Map a value to it in the Zap editor.`);
      return undefined;
    }
    return v;
  }

  text(key: string, opts: Opts & { max?: number } = {}): string | undefined {
    const v = this.raw(key, opts);
    if (v === undefined) return undefined;
    if (typeof v === 'object') fail(`"${this.label(key)}" must be text, but got a list or object (${describe(v)}).`);
    const s = String(v).trim();
    const max = opts.max ?? MAX_TEXT;
    if (s.length > max) fail(`"${this.label(key)}" is ${s.length} characters long; GHL accepts at most ${max}.`);
    return s;
  }

  requiredText(key: string, opts: { max?: number } = {}): string {
    return this.text(key, { ...opts, required: true }) as string;
  }

  id(key: string, opts: Opts = {}): string | undefined {
    const s = this.text(key, { ...opts, max: 200 });
    // Not given (undefined) passes; given text must be an id.
    if (s?.match(ID_PATTERN) === null) {
      fail(
        `"${this.label(key)}" must be a GHL id (letters and digits, like "nmFmQEsNgz6AVpgLVUJ0"), but got "${describe(s)}". Pick a value from the dropdown or map the id field of an earlier step.`,
      );
    }
    return s;
  }

  requiredId(key: string): string {
    return this.id(key, { required: true }) as string;
  }

  email(key: string, opts: Opts = {}): string | undefined {
    const s = this.text(key, { ...opts, max: 254 });
    if (s === undefined) return undefined;
    if (!EMAIL_PATTERN.test(s)) fail(`"${this.label(key)}" is not a valid email address: "${describe(s)}".`);
    return s.toLowerCase();
  }

  /** Phone numbers: digits with an optional leading +; spaces, dots, dashes and brackets are dropped. */
  phone(key: string, opts: Opts = {}): string | undefined {
    const s = this.text(key, { ...opts, max: 40 });
    if (s === undefined) return undefined;
    const compact = s.replace(/[\s().-]/g, '');
    if (!/^\+?[0-9]{6,15}$/.test(compact)) {
      fail(`"${this.label(key)}" is not a valid phone number: "${describe(s)}". Use international format, e.g. +14155550123.`);
    }
    return compact;
  }

  bool(key: string, opts: Opts = {}): boolean | undefined {
    const v = this.raw(key, opts);
    if (v === undefined) return undefined;
    if (typeof v === 'object') fail(`"${this.label(key)}" must be yes or no (true/false), but got a list or object (${describe(v)}).`);
    const s = String(v).trim().toLowerCase();
    if (['true', 'yes', '1', 'y', 'on'].includes(s)) return true;
    if (['false', 'no', '0', 'n', 'off'].includes(s)) return false;
    return fail(`"${this.label(key)}" must be yes or no (true/false), but got "${describe(v)}".`);
  }

  /** A list field (Zapier `list: true`); a single comma-separated string is split too. */
  list(key: string, opts: Opts & { max?: number } = {}): string[] | undefined {
    const v = this.raw(key, opts);
    if (v === undefined) return undefined;
    if (typeof v === 'object' && !Array.isArray(v)) fail(`"${this.label(key)}" must be a list of text values, but got ${describe(v)}.`);
    const items = (Array.isArray(v) ? v : String(v).split(','))
      // An empty item (null from a mapped empty value) is skipped like "", never sent as the text "null".
      .map((item) =>
        item === null || item === undefined
          ? ''
          : typeof item === 'object'
            ? fail(`"${this.label(key)}" must be a list of text values.`)
            : String(item).trim(),
      )
      .filter((item) => item !== '');
    const max = opts.max ?? 200;
    for (const item of items)
      if (item.length > max) fail(`An item of "${this.label(key)}" is ${item.length} characters long; at most ${max} are allowed.`);
    const unique = [...new Set(items)];
    if (!unique.length && opts.required) fail(`"${this.label(key)}" is required but was empty.`);
    return unique.length ? unique : undefined;
  }

  choice<T extends string>(key: string, choices: readonly T[], opts: Opts = {}): T | undefined {
    const s = this.text(key, opts);
    if (s === undefined) return undefined;
    if (!(choices as readonly string[]).includes(s))
      fail(`"${this.label(key)}" must be one of ${choices.join(', ')}, but got "${describe(s)}".`);
    return s as T;
  }

  /**
   * A date-time as ISO-8601 with offset (what GHL's task `dueDate` takes). Accepts ISO strings,
   * epoch seconds/milliseconds and the common `YYYY-MM-DD HH:mm` forms; a value without an offset
   * is read in the Zap's timezone. Output is UTC with no milliseconds, e.g. `2026-12-01T15:00:00Z`.
   */
  dateTime(key: string, opts: Opts & { timezone?: string } = {}): string | undefined {
    const v = this.raw(key, opts);
    if (v === undefined) return undefined;
    const parsed = parseDateTime(v, opts.timezone);
    if (!parsed) {
      return fail(`"${this.label(key)}" is not a date and time GHL understands: "${describe(v)}". Use e.g. 2026-12-01T15:00:00-05:00.`);
    }
    return parsed.toUTC().set({ millisecond: 0 }).toISO({ suppressMilliseconds: true }) as string;
  }

  /** A calendar date (date of birth) as `YYYY-MM-DD`, one of the formats GHL documents. */
  date(key: string, opts: Opts = {}): string | undefined {
    const v = this.raw(key, opts);
    if (v === undefined) return undefined;
    if (typeof v === 'object') fail(`"${this.label(key)}" is not a date: ${describe(v)}. Use YYYY-MM-DD, e.g. 1990-04-23.`);
    const s = String(v).trim();
    // YYYY-MM-DD itself is read as ISO below.
    const formats = ['yyyy/MM/dd', 'MM/dd/yyyy', 'MM-dd-yyyy', 'yyyy.MM.dd', 'MM.dd.yyyy'];
    for (const f of formats) {
      // Stryker disable next-line ObjectLiteral: equivalent, a calendar date is printed back the same in any zone
      const d = inRange(DateTime.fromFormat(s, f, { zone: 'utc' }));
      if (d) return d.toFormat('yyyy-MM-dd');
    }
    const iso = inRange(DateTime.fromISO(s, { setZone: true }));
    if (iso) return iso.toFormat('yyyy-MM-dd');
    return fail(`"${this.label(key)}" is not a date: "${describe(v)}". Use YYYY-MM-DD, e.g. 1990-04-23.`);
  }
}

/** ISO-8601 (and GHL) need a four-digit year; anything outside is a mapping mistake, not a date. */
const inRange = (d: DateTime): DateTime | undefined => (d.isValid && d.year >= 1000 && d.year <= 9999 ? d : undefined);

export const parseDateTime = (value: unknown, timezone?: string): DateTime | undefined => {
  const d = parseAnyDateTime(value, timezone);
  return d ? inRange(d) : undefined;
};

const parseAnyDateTime = (value: unknown, timezone?: string): DateTime | undefined => {
  const zone = timezone && DateTime.local().setZone(timezone).isValid ? timezone : 'utc';
  // Epoch seconds or milliseconds: whole numbers of 9 to 13 digits, as numbers or as text (not -6, 1.5 or 1e300).
  const epoch = typeof value === 'number' ? (Number.isInteger(value) && value >= 1e8 && value < 1e13 ? value : NaN) : undefined;
  if (typeof value === 'number' || (typeof value === 'string' && /^\d{9,13}$/.test(value.trim()))) {
    const n = epoch ?? Number(value);
    // NaN (a number outside the range) gives an invalid DateTime, which parseDateTime drops;
    // 1e8 s to 1e13 ms is 1973 to 2286, always valid.
    return n > 1e11 ? DateTime.fromMillis(n, { zone: 'utc' }) : DateTime.fromSeconds(n, { zone: 'utc' });
  }
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  const iso = DateTime.fromISO(s, { zone, setZone: false });
  if (iso.isValid) return iso;
  for (const f of ['yyyy-MM-dd HH:mm:ss', 'yyyy-MM-dd HH:mm', 'yyyy-MM-dd HH:mm:ss ZZZ', 'MM/dd/yyyy HH:mm', 'MM/dd/yyyy']) {
    const d = DateTime.fromFormat(s, f, { zone });
    if (d.isValid) return d;
  }
  // RFC 2822 dates always carry their offset.
  const rfc = DateTime.fromRFC2822(s);
  return rfc.isValid ? rfc : undefined;
};
