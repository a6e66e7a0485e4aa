import type { RelayStore } from '../../relay/store.js';

/** What every store must do (test/relay/store.test.ts runs it on SQLite and, when reachable, Postgres). */
export const storeContract = (open: () => Promise<RelayStore>) => {
  let store: RelayStore;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => {
    await store.close();
  });

  const event = (id: string, type = 'ContactCreate', locationId = 'locA', receivedAt = 1000) => ({
    id,
    type,
    locationId,
    body: JSON.stringify({ type, locationId, webhookId: id }),
    receivedAt,
  });
  const sub = (id: string, locationId = 'locA', event = 'ContactCreate') => ({
    id,
    locationId,
    event,
    targetUrl: `http://127.0.0.1:9/${id}`,
    createdAt: 1,
  });

  test('an event is queued once per matching subscription, a known id is a duplicate', async () => {
    await store.addSubscription(sub('s1'));
    await store.addSubscription(sub('s2'));
    await store.addSubscription(sub('s3', 'locB'));
    await store.addSubscription(sub('s4', 'locA', 'TaskCreate'));
    expect(await store.recordEvent(event('e1'))).toEqual({ duplicate: false, queued: 2 });
    expect(await store.recordEvent(event('e1'))).toEqual({ duplicate: true, queued: 0 });
    expect(await store.stats()).toEqual({ pending: 2, dead: 0, subscriptions: 4, events: 1 });
    const claimed = await store.claimDue(2000, 10, 30_000);
    expect(claimed.map((d) => [d.eventId, d.subscriptionId, d.targetUrl, d.attempts, d.body, d.receivedAt]).sort()).toEqual([
      ['e1', 's1', 'http://127.0.0.1:9/s1', 1, event('e1').body, 1000],
      ['e1', 's2', 'http://127.0.0.1:9/s2', 1, event('e1').body, 1000],
    ]);
  });

  test('a claim is leased: not claimed again until the lease ends or it is rescheduled; done is removed', async () => {
    await store.addSubscription(sub('s1'));
    await store.recordEvent(event('e1'));
    const [d] = await store.claimDue(2000, 10, 30_000);
    expect(await store.claimDue(2001, 10, 30_000)).toEqual([]);
    expect((await store.claimDue(32_001, 10, 30_000)).map((x) => x.attempts)).toEqual([2]);
    await store.retryAt(d!.id, 40_000, 'HTTP 503');
    expect(await store.nextDueAt()).toBe(40_000);
    expect(await store.claimDue(39_999, 10, 30_000)).toEqual([]);
    const [again] = await store.claimDue(40_000, 10, 30_000);
    expect(again!.attempts).toBe(3);
    await store.complete(again!.id);
    expect(await store.stats()).toMatchObject({ pending: 0, dead: 0 });
    expect(await store.nextDueAt()).toBeUndefined();
  });

  test('buried deliveries stay, dead; removing a subscription drops its pending deliveries', async () => {
    await store.addSubscription(sub('s1'));
    await store.addSubscription(sub('s2'));
    await store.recordEvent(event('e1'));
    const claimed = await store.claimDue(2000, 10, 30_000);
    const d1 = claimed.find((d) => d.subscriptionId === 's1')!;
    await store.bury(d1.id, 'gave up');
    expect(await store.removeSubscription('s2')).toBe(true);
    expect(await store.removeSubscription('s2')).toBe(false);
    expect(await store.getSubscription('s2')).toBeUndefined();
    expect(await store.stats()).toEqual({ pending: 0, dead: 1, subscriptions: 1, events: 1 });
  });

  test('UNINSTALL (removeLocation) drops the location’s subscriptions and their pending deliveries only', async () => {
    await store.addSubscription(sub('s1'));
    await store.addSubscription(sub('s2', 'locB'));
    await store.recordEvent(event('e1'));
    await store.recordEvent(event('e2', 'ContactCreate', 'locB'));
    expect(await store.recordEvent(event('u1', 'UNINSTALL'), { removeLocation: true })).toEqual({
      duplicate: false,
      queued: 0,
      removed: 1,
    });
    expect(await store.getSubscription('s1')).toBeUndefined();
    expect((await store.getSubscription('s2'))?.locationId).toBe('locB');
    expect((await store.claimDue(2000, 10, 30_000)).map((d) => d.eventId)).toEqual(['e2']);
  });

  test('an agency-level UNINSTALL (removeCompany) drops the subscriptions of every location of that company only', async () => {
    await store.addSubscription({ ...sub('s1', 'locA'), companyId: 'co1' });
    await store.addSubscription({ ...sub('s2', 'locB', 'TaskCreate'), companyId: 'co1' });
    await store.addSubscription({ ...sub('s3', 'locC'), companyId: 'co2' });
    await store.addSubscription(sub('s4', 'locD'));
    await store.recordEvent(event('e1'));
    expect(await store.getSubscription('s1')).toEqual({ ...sub('s1', 'locA'), companyId: 'co1' });
    const uninstall = { ...event('u1', 'UNINSTALL', ''), locationId: '' };
    expect(await store.recordEvent(uninstall, { removeCompany: 'co1' })).toEqual({ duplicate: false, queued: 0, removed: 2 });
    expect(await store.getSubscription('s1')).toBeUndefined();
    expect(await store.getSubscription('s2')).toBeUndefined();
    expect((await store.getSubscription('s3'))?.companyId).toBe('co2');
    expect(await store.getSubscription('s4')).toEqual(sub('s4', 'locD'));
    expect(await store.stats()).toMatchObject({ pending: 0, subscriptions: 2 });
  });

  test('prune forgets delivered events older than the cut-off, keeps those still to deliver', async () => {
    await store.addSubscription(sub('s1'));
    await store.recordEvent(event('old-done', 'ContactCreate', 'locA', 100));
    await store.recordEvent(event('old-pending', 'ContactCreate', 'locA', 100));
    await store.recordEvent(event('new', 'ContactCreate', 'locA', 5000));
    for (const d of await store.claimDue(6000, 10, 30_000)) if (d.eventId !== 'old-pending') await store.complete(d.id);
    expect(await store.prune({ events: 1000, dead: 0, tags: 0, disabled: 0 })).toEqual({ events: 1, dead: 0, tags: 0, disabled: 0 });
    expect(await store.recordEvent(event('old-done', 'ContactCreate', 'locA', 100))).toEqual({ duplicate: false, queued: 1 });
    expect(await store.recordEvent(event('old-pending'))).toEqual({ duplicate: true, queued: 0 });
  });

  test('writes that arrive together all land (and a failing one does not undo the others)', async () => {
    await store.addSubscription(sub('s1'));
    const results = await Promise.allSettled([
      ...Array.from({ length: 50 }, (_, i) => store.recordEvent(event(`b${i}`))),
      store.addSubscription(sub('s1')), // duplicate id: fails alone
    ]);
    expect(results.slice(0, 50).every((r) => r.status === 'fulfilled')).toBe(true);
    expect(results[50]!.status).toBe('rejected');
    expect(await store.stats()).toMatchObject({ pending: 50, events: 50, subscriptions: 1 });
  });

  test('contact tags are remembered per location: a tag update learns what was there before; older events do not overwrite', async () => {
    const seen: Array<string[] | undefined> = [];
    const enrich = (previous: string[] | undefined) => {
      seen.push(previous);
      return JSON.stringify({ enriched: previous ?? null });
    };
    await store.addSubscription(sub('s1', 'locA', 'ContactTagUpdate'));
    await store.recordEvent(event('t0', 'ContactTagUpdate'), { contact: { contactId: 'c1', tags: ['a'], at: 10, enrich } });
    await store.recordEvent(event('c1', 'ContactCreate'), { contact: { contactId: 'c1', tags: ['a', 'b'], at: 20 } });
    await store.recordEvent(event('c2', 'ContactCreate', 'locB'), { contact: { contactId: 'c1', tags: ['other'], at: 30 } });
    await store.recordEvent(event('old', 'ContactUpdate'), { contact: { contactId: 'c1', tags: ['stale'], at: 15 } });
    await store.recordEvent(event('t1', 'ContactTagUpdate'), { contact: { contactId: 'c1', tags: ['a', 'b', 'c'], at: 40, enrich } });
    await store.recordEvent(event('t1', 'ContactTagUpdate'), { contact: { contactId: 'c1', tags: ['x'], at: 41, enrich } }); // duplicate: ignored
    await store.recordEvent(event('d1', 'ContactDelete'), { contact: { contactId: 'c1', deleted: true, at: 50 } });
    await store.recordEvent(event('t2', 'ContactTagUpdate'), { contact: { contactId: 'c1', tags: ['z'], at: 60, enrich } });
    expect(seen).toEqual([undefined, ['a', 'b'], undefined]);
    const bodies = (await store.claimDue(100_000, 10, 30_000)).map((d) => [d.eventId, d.body]).sort();
    expect(bodies).toEqual([
      ['t0', JSON.stringify({ enriched: null })],
      ['t1', JSON.stringify({ enriched: ['a', 'b'] })],
      ['t2', JSON.stringify({ enriched: null })],
    ]);
  });
};
