/**
 * `npm run bench:ecwid` (or `tsx ecwid/bench.ts`): requests per poll of each Ecwid trigger at 100
 * and 10,000 customers, and of Deleted Customer with a small and a large window, for both orders
 * the deleted list could have (Ecwid documents none). Goal: 1 request per poll, and at most 2 for
 * Deleted Customer in a large window. Runs the app's real triggers through Zapier's app tester
 * against the Ecwid sandbox on 127.0.0.1; exits 1 if a goal is missed.
 */
import zapier from 'zapier-platform-core';
import App from './index.js';
import { startEcwidSandbox } from './sandbox/server.js';
import type { DeletedOrder } from './sandbox/state.js';

type Op = { operation: { perform: unknown } };
const tester = zapier.createAppTester(App);

interface Row {
  trigger: string;
  store: string;
  requests: number;
  items: number;
  ms: number;
  goal: number;
}

const measure = async (opts: { customers: number; deleted: number; order: DeletedOrder }, keys: string[]): Promise<Row[]> => {
  const sb = await startEcwidSandbox({ rateLimit: false, deletedOrder: opts.order });
  try {
    process.env.ECWID_API_BASE_URL = sb.apiBaseUrl;
    sb.state.seedBulk({ customers: Math.max(0, opts.customers - sb.state.customers.size), deleted: opts.deleted });
    const authData = { ...sb.issueToken(), store_id: String(sb.state.store.id) };
    const rows: Row[] = [];
    for (const key of keys) {
      const perform = (App.triggers as Record<string, Op>)[key]!.operation.perform;
      await tester(perform as never, { authData, inputData: {} } as never); // warm-up
      const before = sb.requests.length;
      const started = performance.now();
      const items = (await tester(perform as never, { authData, inputData: {} } as never)) as unknown[];
      rows.push({
        trigger: key,
        store:
          key === 'deleted_customer'
            ? `${opts.deleted.toLocaleString('en-US')} deletions in the window (${opts.order})`
            : `${sb.state.customers.size.toLocaleString('en-US')} customers`,
        requests: sb.requests.length - before,
        items: items.length,
        ms: Math.round(performance.now() - started),
        goal: key === 'deleted_customer' && opts.deleted > 100 ? 2 : 1,
      });
    }
    return rows;
  } finally {
    await sb.close();
  }
};

const rows: Row[] = [];
for (const customers of [100, 10_000])
  rows.push(
    ...(await measure({ customers, deleted: 0, order: 'oldest-first' }, ['new_customer', 'new_or_updated_customer', 'customer_list'])),
  );
for (const order of ['oldest-first', 'newest-first'] as const)
  for (const deleted of [40, 5_000]) rows.push(...(await measure({ customers: 100, deleted, order }, ['deleted_customer'])));

console.log('| Trigger | Store | Requests per poll | Goal | Items returned | ms (in-process sandbox) |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const r of rows) console.log(`| ${r.trigger} | ${r.store} | ${r.requests} | ≤ ${r.goal} | ${r.items} | ${r.ms} |`);
const missed = rows.filter((r) => r.requests > r.goal);
console.log(
  missed.length ? `\nMISSED: ${missed.map((r) => `${r.trigger} (${r.store})`).join(', ')}` : `\nAll ${rows.length} rows meet their goal.`,
);
process.exitCode = missed.length ? 1 : 0;
