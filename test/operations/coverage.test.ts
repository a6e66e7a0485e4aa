import { readFileSync } from 'node:fs';
import { END, OPERATIONS_DOC, START } from '../../scripts/operations-table.js';

/**
 * Every non-deprecated operation of GHL's Contacts spec is reachable from a step a user can see:
 * its `METHOD /path` is listed in a row of the generated operations table in docs/operations.md (which leaves
 * hidden dropdown triggers out, and test/readme.test.ts keeps in sync with the app).
 */
type Spec = { paths: Record<string, Record<string, { operationId?: string; deprecated?: boolean }>> };

const spec = JSON.parse(readFileSync('openapi/apps/contacts.json', 'utf8')) as Spec;
const operations = Object.entries(spec.paths).flatMap(([p, methods]) =>
  Object.entries(methods)
    .filter(([, op]) => op && typeof op === 'object' && op.operationId && !op.deprecated)
    .map(([m, op]) => ({ endpoint: `${m.toUpperCase()} ${p}`, operationId: op.operationId as string })),
);

const doc = readFileSync(OPERATIONS_DOC, 'utf8');
const table = doc.slice(doc.indexOf(START), doc.indexOf(END));
const visibleRows = table.split('\n').filter((l) => /^\| (trigger|search|action) \| \*\*/.test(l));

describe('Contacts API coverage', () => {
  it('reads the 31 non-deprecated operations of contacts.json', () => {
    expect(operations).toHaveLength(31);
  });

  it.each(operations.map((o) => [o.operationId, o.endpoint] as const))(
    '%s (%s) is used by a visible step in the operations table',
    (_id, endpoint) => {
      const rows = visibleRows.filter((r) => r.includes(`\`${endpoint}\``));
      expect({ endpoint, rows: rows.length > 0 }).toEqual({ endpoint, rows: true });
    },
  );

  it('the table has no row for a hidden trigger (a dropdown is not a step)', () => {
    expect(visibleRows.some((r) => /`\w+_list`/.test(r))).toBe(false);
  });
});
