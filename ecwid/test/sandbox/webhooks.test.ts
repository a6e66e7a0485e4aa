import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { startEcwidSandbox, type EcwidSandbox } from '../../sandbox/server.js';
import { ECWID_ACCEPTED_STATUSES, ManualClock } from '../../sandbox/webhooks.js';

/**
 * The Ecwid sandbox's signed customer webhooks (ecwid/sandbox/webhooks.ts) over real HTTP on
 * 127.0.0.1: body, signature, Ecwid's accepted statuses, its retry schedule on a manual clock
 * (hours pass in no time), a 2-hour outage, the answer timeout and giving up after 24 hours.
 */

const MIN = 60_000;
interface Hit {
  url: string;
  headers: http.IncomingHttpHeaders;
  body: any;
}

/** A webhook receiver answering each request with `answer(n)` (`'hang'`: never answers). */
const receiver = async (answer: (n: number) => number | 'hang', port = 0) => {
  const hits: Hit[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hits.push({ url: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      const a = answer(hits.length);
      if (a !== 'hang') res.writeHead(a).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return {
    hits,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};

let sb: EcwidSandbox;
let clock: ManualClock;
const open: Array<{ close(): Promise<void> }> = [];
beforeEach(async () => {
  nock.enableNetConnect('127.0.0.1');
  clock = new ManualClock(Date.parse('2026-12-01T10:00:00Z'));
  sb = await startEcwidSandbox({ rateLimit: false, webhooks: { clock, responseTimeoutMs: 300 } });
  open.push(sb);
});
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});
const offsets = (at: number[]) => at.map((t) => (t - at[0]!) / MIN);

test('a registration is sent once, signed over "{eventCreated}.{eventId}" with the client secret', async () => {
  const r = await receiver(() => 200);
  open.push(r);
  sb.webhooks.setUrl(`http://127.0.0.1:${r.port}/ecwid-hook`);
  const c = sb.state.register({ email: 'jules@example.com', firstName: 'Jules' });
  await sb.webhooks.flush();
  expect(r.hits).toHaveLength(1);
  const [hit] = r.hits;
  expect(hit!.url).toBe('/ecwid-hook?eventtype=customer.created');
  expect(hit!.body).toEqual({
    eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    eventCreated: Math.floor(sb.state.now() / 1000),
    storeId: 1003,
    entityId: c.id,
    eventType: 'customer.created',
    data: { customerEmail: 'jules@example.com' },
  });
  const expected = createHmac('sha256', 'ecwid-sandbox-client-secret')
    .update(`${hit!.body.eventCreated}.${hit!.body.eventId}`)
    .digest('base64');
  expect(hit!.headers['x-ecwid-webhook-signature']).toBe(expected);
  expect(hit!.headers['content-type']).toBe('application/json');
  expect(sb.webhooks.log.map((e) => [e.eventType, e.statuses, e.outcome])).toEqual([['customer.created', [200], 'delivered']]);
});

test.each([...ECWID_ACCEPTED_STATUSES])('%s counts as delivered', async (status) => {
  const r = await receiver(() => status);
  open.push(r);
  sb.webhooks.setUrl(`http://127.0.0.1:${r.port}/`);
  sb.state.edit(274839105, { acceptMarketing: true });
  await sb.webhooks.advance(24 * 60 * MIN);
  expect(sb.webhooks.log.map((e) => [e.eventType, e.statuses, e.outcome])).toEqual([['customer.updated', [status], 'delivered']]);
});

test.each([203, 208, 301, 404, 429, 500])('%s is retried after 15 min, then 30 min more', async (status) => {
  const r = await receiver((n) => (n < 3 ? status : 200));
  open.push(r);
  sb.webhooks.setUrl(`http://127.0.0.1:${r.port}/`);
  sb.state.remove(183304217);
  await sb.webhooks.advance(14 * MIN);
  expect(sb.webhooks.log[0]!.statuses).toEqual([status]);
  await sb.webhooks.advance(2 * 60 * MIN);
  const [entry] = sb.webhooks.log;
  expect([entry!.eventType, entry!.statuses, entry!.outcome, offsets(entry!.attemptAt)]).toEqual([
    'customer.deleted',
    [status, status, 200],
    'delivered',
    [0, 15, 45],
  ]);
  expect(new Set(r.hits.map((h) => h.body.eventId)).size).toBe(1);
});

test('a 2-hour outage: attempts at 0, 15, 45 and 90 min fail, the one at 150 min is delivered', async () => {
  const probe = await receiver(() => 200);
  const port = probe.port;
  await probe.close(); // nothing listens on the port: connections are refused
  sb.webhooks.setUrl(`http://127.0.0.1:${port}/`);
  sb.state.register({ email: 'during.outage@example.com' });
  await sb.webhooks.advance(120 * MIN);
  expect(sb.webhooks.log[0]!.statuses).toEqual([0, 0, 0, 0]);
  const r = await receiver(() => 200, port);
  open.push(r);
  await sb.webhooks.advance(60 * MIN);
  const [entry] = sb.webhooks.log;
  expect([entry!.statuses, entry!.outcome, offsets(entry!.attemptAt)]).toEqual([[0, 0, 0, 0, 200], 'delivered', [0, 15, 45, 90, 150]]);
  expect(r.hits).toHaveLength(1);
});

test('an answer later than the timeout is a failure and retried', async () => {
  const r = await receiver((n) => (n === 1 ? 'hang' : 204));
  open.push(r);
  sb.webhooks.setUrl(`http://127.0.0.1:${r.port}/`);
  sb.state.register({ email: 'slow@example.com' });
  await sb.webhooks.flush();
  expect(sb.webhooks.log[0]!.statuses).toEqual([0]);
  await sb.webhooks.advance(15 * MIN);
  expect(sb.webhooks.log[0]!.statuses).toEqual([0, 204]);
  expect(sb.webhooks.log[0]!.outcome).toBe('delivered');
});

test('Ecwid gives up 24 hours after the event: 12 attempts on its schedule', async () => {
  const r = await receiver(() => 500);
  open.push(r);
  sb.webhooks.setUrl(`http://127.0.0.1:${r.port}/`);
  sb.state.register({ email: 'never@example.com' });
  await sb.webhooks.advance(30 * 60 * MIN);
  const [entry] = sb.webhooks.log;
  expect([entry!.outcome, offsets(entry!.attemptAt)]).toEqual(['given-up', [0, 15, 45, 90, 150, 270, 450, 630, 810, 990, 1170, 1350]]);
  expect(r.hits).toHaveLength(12);
});

test('no URL, no webhooks; the seed customers of a reset send none', async () => {
  sb.state.register({ email: 'quiet@example.com' });
  const r = await receiver(() => 200);
  open.push(r);
  sb.webhooks.setUrl(`http://127.0.0.1:${r.port}/`);
  sb.state.reset();
  await sb.webhooks.flush();
  expect([sb.webhooks.log, r.hits]).toEqual([[], []]);
});
