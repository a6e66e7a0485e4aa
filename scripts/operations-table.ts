/**
 * The operations table of docs/operations.md, generated from the app definition so the docs cannot
 * drift: `npm run docs` rewrites it; test/readme.test.ts fails when it is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import App from '../index.js';
import { anyEndpointOperations, declaredEndpoints } from '../src/operations/define.js';
import { lookupEndpoint } from './spec-endpoints.js';

type Op = { key: string; display: { label: string; description: string; hidden?: boolean } };

export const operationsTable = (): string => {
  const rows: string[] = ['| kind | label | key | what it does | GHL endpoints | scopes |', '| --- | --- | --- | --- | --- | --- |'];
  const endpointsOf = (key: string) => {
    const anywhere = anyEndpointOperations.get(key);
    if (anywhere) return `${anywhere} | the connection's (any it was granted)`;
    const endpoints = declaredEndpoints.get(key) ?? [];
    const scopes = [...new Set(endpoints.flatMap((e) => lookupEndpoint(e)?.scopes ?? []))].filter((s) => s.includes('.'));
    return `${endpoints.map((e) => `\`${e}\``).join('<br>')} | ${scopes.map((s) => `\`${s}\``).join(' ')}`;
  };
  const add = (kind: string, ops: Record<string, unknown> | undefined) => {
    for (const op of Object.values(ops ?? {}) as Op[]) {
      if (op.display.hidden) continue;
      rows.push(
        `| ${kind} | **${op.display.label}** | \`${op.key}\` | ${op.display.description.replace(/\|/g, '\\|')} | ${endpointsOf(op.key)} |`,
      );
    }
  };
  add('trigger', App.triggers);
  add('search', App.searches);
  add('action', App.creates);
  for (const [key, soc] of Object.entries(App.searchOrCreates ?? {}) as Array<
    [string, { display: { label: string; description: string }; create: string; update?: string }]
  >) {
    rows.push(
      `| search-or-create | **${soc.display.label}** | \`${key}\` → \`${soc.create}\`${soc.update ? ` / \`${soc.update}\`` : ''} | ${soc.display.description} | the search's, then the create's or update's | |`,
    );
  }
  const hidden = Object.values(App.triggers ?? {}) as Op[];
  const dropdowns = hidden.filter((t) => t.display.hidden).map((t) => `\`${t.key}\``);
  return `${rows.join('\n')}\n\nHidden triggers feeding dropdowns: ${dropdowns.join(', ')}.`;
};

export const START = '<!-- OPERATIONS-TABLE -->';
export const END = '<!-- /OPERATIONS-TABLE -->';

export const OPERATIONS_DOC = 'docs/operations.md';

export const withTable = (doc: string): string => {
  const block = `${START}\n${operationsTable()}\n${END}`;
  if (doc.includes(END)) return doc.replace(new RegExp(`${START}[\\s\\S]*?${END}`), block);
  return doc.replace(START, block);
};

if (process.argv[1]?.endsWith('operations-table.ts')) {
  writeFileSync(OPERATIONS_DOC, withTable(readFileSync(OPERATIONS_DOC, 'utf8')));
  console.log(`${OPERATIONS_DOC} operations table updated`);
}
