import nock from 'nock';
import { RelayCounters } from '../../relay/counters.js';
import { Deliverer } from '../../relay/deliver.js';
import { createLog } from '../../relay/log.js';
import type { Delivery, RelayStore } from '../../relay/store.js';
import { hookReceiver, relayConfig, testKeys, waitFor } from './helpers.js';

/** The Deliverer alone (relay/deliver.ts), against a store that says what the test needs it to say. */

test('a claim re-taken while its attempt still runs (its lease ended) is not sent again by the same process', async () => {
  nock.enableNetConnect('127.0.0.1');
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const hooks = await hookReceiver(async () => {
    await held;
    return 200;
  });
  const d: Delivery = {
    id: 'd1',
    eventId: 'e1',
    subscriptionId: 's1',
    targetUrl: `${hooks.url}/hook`,
    body: '{"type":"ContactCreate"}',
    attempts: 1,
    receivedAt: Date.now(),
    type: 'ContactCreate',
    locationId: 'loc1',
  };
  // A store whose lease on d1 is always over: every claim hands d1 out again until it is completed.
  let claims = 0;
  const completed: string[] = [];
  const store = {
    claimDue: async () => {
      claims += 1;
      return completed.includes(d.id) ? [] : [{ ...d, attempts: claims }];
    },
    complete: async (id: string) => void completed.push(id),
  } as unknown as RelayStore;
  const cfg = relayConfig(testKeys(), { RELAY_CONCURRENCY: '4', RELAY_POLL_MS: '10' });
  const deliverer = new Deliverer(store, cfg, createLog({ quiet: true }), new RelayCounters());
  deliverer.start();
  try {
    await waitFor('the first attempt at the hook', () => hooks.received.length >= 1);
    const before = claims;
    // d1 handed out again by three more polls while the first attempt is held at the hook.
    await waitFor('three more claims of d1', () => claims >= before + 3);
    release();
    await waitFor('d1 completed', () => completed.length >= 1);
  } finally {
    release();
    await deliverer.stop();
    await hooks.close();
  }
  expect(hooks.received.map((r) => [r.path, r.headers['x-relay-attempt']])).toEqual([['/hook', '1']]);
  expect(completed).toEqual(['d1']);
  expect(deliverer.log).toEqual({ delivered: 1, retried: 0, gone: 0, dead: 0 });
});
