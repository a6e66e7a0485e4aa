import { readFileSync } from 'node:fs';
import { OPERATIONS_DOC, operationsTable, withTable } from '../scripts/operations-table.js';

describe('docs/operations.md', () => {
  const doc = readFileSync(OPERATIONS_DOC, 'utf8');

  it('lists exactly the operations the app has (run `npm run docs` after adding one)', () => {
    expect(withTable(doc)).toBe(doc);
    expect(operationsTable()).toContain('**Find or Create Contact**');
  });
});

describe('README', () => {
  const readme = readFileSync('README.md', 'utf8');

  it('quick start names the demo and the test commands that CI and people run', () => {
    expect(readme).toContain('npm run demo');
    expect(readme).toContain('npm test');
    expect(readFileSync('.ci/run', 'utf8')).toContain('npm test');
  });
});
