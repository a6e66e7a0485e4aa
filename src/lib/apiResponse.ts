/**
 * API Request's output (src/resources/apiRequest.ts): the parsed body flattened into mappable
 * fields, the raw text, and secrets the answer might echo replaced.
 */

/** Past this many fields the rest is only in the raw body (a Zap editor cannot show thousands). */
export const MAX_FLAT_FIELDS = 500;
/** Zapier keeps a step's output small; the raw text is cut here (the flattened fields hold the data). */
export const MAX_RAW_BODY = 100_000;

export interface Flattened {
  fields: Record<string, unknown>;
  truncated: boolean;
}

/**
 * `{ contact: { id, tags: ['a'] }, items: [{ id }] }` → `{ contact__id, contact__tags: ['a'], items__0__id }`:
 * nested keys joined with `__` (Zapier's own separator for nested output), lists of plain values
 * kept as lists (Zapier maps them as one comma-separated value), lists of objects by index.
 * A body that is a list starts at `items`.
 */
export const flatten = (body: unknown): Flattened => {
  const fields: Record<string, unknown> = {};
  let truncated = false;
  const put = (key: string, value: unknown) => {
    if (Object.keys(fields).length >= MAX_FLAT_FIELDS) truncated = true;
    else fields[key] = value;
  };
  const walk = (value: unknown, key: string) => {
    if (truncated) return;
    if (Array.isArray(value)) {
      if (value.every((v) => v === null || typeof v !== 'object')) put(key, value);
      else value.forEach((v, i) => walk(v, `${key}__${i}`));
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length === 0 && key !== '') put(key, {});
      for (const [k, v] of entries) walk(v, key === '' ? k : `${key}__${k}`);
    } else if (key !== '') put(key, value);
  };
  walk(Array.isArray(body) ? { items: body } : body, '');
  return { fields, truncated };
};

/** Replaces every occurrence of the given secrets in any string of a value (keys included). */
export const scrub = <T>(value: T, secrets: string[]): T => {
  const live = secrets.filter((s) => typeof s === 'string' && s.length >= 8);
  if (!live.length) return value;
  const clean = (s: string) => live.reduce((out, secret) => out.split(secret).join('[hidden]'), s);
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return clean(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [clean(k), walk(x)]));
    return v;
  };
  return walk(value) as T;
};
