/**
 * Zapier's polling semantics as recipes/zap-runner.ts's EcwidTriggerRunner implements them for
 * the demo, against the Ecwid sandbox: the first poll after switch-on only records ids; later polls
 * hand on unseen ids once, oldest first; a poll that sees nothing new runs nothing.
 */
import { EcwidTriggerRunner, ZapRunner } from '../../../recipes/zap-runner.js';
import { startEcwidSandbox, type EcwidSandbox } from '../../sandbox/server.js';

let sb: EcwidSandbox;
let runner: EcwidTriggerRunner;
const saved = { ...process.env };

beforeEach(async () => {
  sb = await startEcwidSandbox();
  runner = new EcwidTriggerRunner(sb, new ZapRunner(undefined as never));
  await runner.connect();
});
afterEach(async () => {
  await sb.close();
  process.env = { ...saved };
});

describe('EcwidTriggerRunner (Zapier dedupe)', () => {
  it('records on the first poll, then hands on each change once, oldest first', async () => {
    expect(runner.connectionLabel).toBe('Maple & Rye Goods (Demo)');
    await expect(runner.poll('new_or_updated_customer')).resolves.toEqual([]);
    expect(runner.isOn('new_or_updated_customer')).toBe(true);

    sb.state.advance(60_000);
    const a = sb.state.register({ email: 'a@example.com', firstName: 'A' });
    sb.state.advance(60_000);
    const b = sb.state.register({ email: 'b@example.com', firstName: 'B' });
    const two = await runner.poll('new_or_updated_customer');
    expect(two.map((i) => i.customerId)).toEqual([String(a.id), String(b.id)]);
    await expect(runner.poll('new_or_updated_customer')).resolves.toEqual([]);

    sb.state.advance(60_000);
    sb.state.edit(a.id, { customerGroupId: 3 });
    sb.state.advance(60_000);
    sb.state.edit(a.id, { acceptMarketing: true });
    // Two edits between polls are one change for the trigger: only the latest state is listed.
    const edits = await runner.poll('new_or_updated_customer');
    expect(edits.map((i) => [i.customerId, i.customerGroupName, i.acceptMarketing])).toEqual([[String(a.id), 'VIP', true]]);

    expect(runner.zap.steps.map((s) => [s.key, s.requests, s.output])).toEqual([
      ['new_or_updated_customer', 1, { items: 2, new: 0, firstPoll: true }],
      ['new_or_updated_customer', 1, { items: 4, new: 2, firstPoll: false }],
      ['new_or_updated_customer', 1, { items: 4, new: 0, firstPoll: false }],
      ['new_or_updated_customer', 1, { items: 4, new: 1, firstPoll: false }],
    ]);
  });

  it('a failing poll records the error and records no id, so the next poll still sees the change', async () => {
    await runner.poll('deleted_customer');
    sb.state.advance(60_000);
    sb.state.remove(274839105);
    sb.faults.failNext(2, { status: 503 });
    await expect(runner.poll('deleted_customer')).rejects.toThrow(/Ecwid failed to process/);
    const next = await runner.poll('deleted_customer');
    expect(next.map((i) => i.customerId)).toEqual(['274839105']);
  });
});
