import { readFileSync } from 'node:fs';
import { operationsTable, withTable } from '../scripts/readme-operations.js';

describe('README', () => {
  const readme = readFileSync('README.md', 'utf8');

  it('lists exactly the operations the app has (run `npm run docs` after adding one)', () => {
    expect(withTable(readme)).toBe(readme);
    expect(operationsTable()).toContain('**Find or Create Contact**');
  });

  it('quick start names the demo and the test commands that CI and people run', () => {
    expect(readme).toContain('npm run demo');
    expect(readme).toContain('npm test');
    expect(readFileSync('.ci/run', 'utf8')).toContain('npm test');
  });
});
