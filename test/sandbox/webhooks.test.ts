import { createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../sandbox/server.js';
import { ManualClock } from '../relay/clock.js';
import { hookReceiver, type Received } from '../relay/helpers.js';
import { allowLocalhost, call } from './helpers.js';

/** The sandbox's app-level webhooks: one signed POST per change, the bodies GHL really sends, GHL's current retry policy. */

allowLocalhost();

describe('sandbox webhooks', () => {
  let sb: Sandbox;
  let token: string;
  let loc: string;
  let status = 200;
  let hooks: Awaited<ReturnType<typeof hookReceiver>>;
  const raw: string[] = [];

  beforeAll(async () => {
    allowLocalhost();
    hooks = await hookReceiver(() => status);
    sb = await startSandbox({ webhooks: { retryBaseMs: 50 } });
    token = sb.issueTokens().access_token;
    loc = sb.locationId;
  });
  afterAll(async () => {
    await sb.close();
    await hooks.close();
  });
  beforeEach(async () => {
    allowLocalhost();
    await sb.webhooks.flush();
    sb.reset();
    sb.webhooks.setUrl(hooks.url);
    sb.webhooks.log.length = 0;
    hooks.received.length = 0;
    raw.length = 0;
    status = 200;
  });

  const events = async (n: number, from: Sandbox = sb): Promise<Received[]> => {
    // The changes were answered, so their webhooks are in the sandbox's log: wait until each got its answer.
    await from.webhooks.flush();
    expect(hooks.received).toHaveLength(n);
    // In the order the sandbox sent them (deliveries run in parallel and may arrive out of order).
    const order = (r: Received) => sb.webhooks.log.findIndex((l) => l.webhookId === r.body.webhookId);
    return [...hooks.received].sort((a, b) => order(a) - order(b));
  };
  const types = (rs: Received[]) => rs.map((r) => r.body.type);

  test('a created contact → ContactCreate shaped as GHL’s captured deliveries, signed with x-ghl-signature (Ed25519 over the raw body)', async () => {
    const sentAfter = Date.now();
    const res = await call(sb, token, 'POST', '/contacts/', {
      body: { locationId: loc, firstName: 'Rosa', lastName: 'Delgado', email: 'rosa@example.com', tags: ['vip'] },
    });
    expect(res.status).toBe(201);
    const [e] = await events(1);
    expect(hooks.received).toHaveLength(1);
    expect(e!.body).toEqual({
      type: 'ContactCreate',
      locationId: loc,
      versionId: 'sandbox-version-1',
      appId: 'sandbox-app-id',
      id: res.body.contact.id,
      firstName: 'Rosa',
      lastName: 'Delgado',
      email: 'rosa@example.com',
      tags: ['vip'],
      // GHL fills in a country on a create without one (recorded create-contact answer): the location's.
      country: 'US',
      dateAdded: res.body.contact.dateAdded,
      customFields: [],
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      webhookId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
    });
    // The keys, in order, of the captured real delivery (fixtures/ghl-webhook-examples, jarlengit-ContactCreate), minus those this contact lacks.
    const examples = JSON.parse(readFileSync(join(__dirname, '../../fixtures/ghl-webhook-examples/bodies.json'), 'utf8')) as {
      bodies: Array<{ id: string; body: Record<string, unknown> }>;
    };
    const captured = Object.keys(examples.bodies.find((b) => b.id === 'jarlengit-ContactCreate')!.body);
    expect(Object.keys(e!.body)).toEqual(captured.filter((k) => k in e!.body));
    expect(Date.parse(e!.body.timestamp)).toBeGreaterThanOrEqual(sentAfter);
    expect(Date.parse(e!.body.timestamp)).toBeLessThanOrEqual(Date.now());
    const signature = Buffer.from(String(e!.headers['x-ghl-signature']), 'base64');
    const key = createPublicKey({ key: Buffer.from(sb.webhooks.publicKey, 'base64'), format: 'der', type: 'spki' });
    expect(verify(null, Buffer.from(JSON.stringify(e!.body)), key, signature)).toBe(true);
    expect(e!.headers['x-wh-signature']).toBeUndefined();
    expect(sb.webhooks.log.map((l) => [l.type, l.status, l.attempts, l.outcome])).toEqual([['ContactCreate', 200, 1, 'accepted']]);
  });

  test('update → ContactUpdate; tags added or removed → ContactTagUpdate only; delete → ContactDelete with the details it had', async () => {
    const [contact] = [...sb.state.contacts.values()];
    const id = contact!.id;
    await call(sb, token, 'PUT', `/contacts/${id}`, { body: { city: 'Portland' } });
    await call(sb, token, 'POST', `/contacts/${id}/tags`, { body: { tags: ['brand-new-tag'] } });
    await call(sb, token, 'DELETE', `/contacts/${id}/tags`, { body: { tags: ['brand-new-tag'] } });
    await call(sb, token, 'PUT', `/contacts/${id}`, { body: { city: 'Portland' } }); // no change but dateUpdated: nothing
    const before = structuredClone(sb.state.contacts.get(id)!);
    await call(sb, token, 'DELETE', `/contacts/${id}`);
    const got = await events(4);
    expect(types(got)).toEqual(['ContactUpdate', 'ContactTagUpdate', 'ContactTagUpdate', 'ContactDelete']);
    expect(got[0]!.body).toMatchObject({ id, city: 'Portland' });
    expect(got[1]!.body.tags).toEqual([...before.tags, 'brand-new-tag']);
    expect(got[2]!.body.tags).toEqual(before.tags);
    expect(got[3]!.body).toMatchObject({ id, email: before.email, tags: before.tags, city: 'Portland' });
  });

  test('tasks: create → TaskCreate; completing (either endpoint) → TaskComplete once; notes → NoteCreate', async () => {
    const [contact] = [...sb.state.contacts.values()];
    const id = contact!.id;
    const t = await call(sb, token, 'POST', `/contacts/${id}/tasks`, {
      body: { title: 'Call back', dueDate: '2026-12-05T15:00:00Z', completed: false },
    });
    const taskId = t.body.task.id;
    await call(sb, token, 'PUT', `/contacts/${id}/tasks/${taskId}/completed`, { body: { completed: true } });
    await call(sb, token, 'PUT', `/contacts/${id}/tasks/${taskId}/completed`, { body: { completed: true } }); // already completed
    await call(sb, token, 'PUT', `/contacts/${id}/tasks/${taskId}`, { body: { completed: false } });
    await call(sb, token, 'PUT', `/contacts/${id}/tasks/${taskId}`, { body: { completed: true } });
    const n = await call(sb, token, 'POST', `/contacts/${id}/notes`, { body: { body: 'Prefers Tuesdays' } });
    const got = await events(4);
    expect(types(got)).toEqual(['TaskCreate', 'TaskComplete', 'TaskComplete', 'NoteCreate']);
    // Like GHL's real TaskCreate (highlevel-api-docs#332): no contactId, no body.
    expect(got[0]!.body).toEqual({
      type: 'TaskCreate',
      locationId: loc,
      versionId: 'sandbox-version-1',
      appId: 'sandbox-app-id',
      id: taskId,
      title: 'Call back',
      dateAdded: t.body.task.dateAdded ?? expect.any(String),
      dueDate: '2026-12-05T15:00:00.000Z',
      timestamp: expect.any(String),
      webhookId: expect.any(String),
    });
    expect(got[1]!.body).toMatchObject({ type: 'TaskComplete', id: taskId, contactId: id });
    expect(got[3]!.body).toMatchObject({
      type: 'NoteCreate',
      locationId: loc,
      id: n.body.note.id,
      contactId: id,
      body: 'Prefers Tuesdays',
    });
  });

  test('a refused request sends nothing; no URL, nothing is sent', async () => {
    expect((await call(sb, token, 'POST', '/contacts/', { body: { locationId: loc, notAField: 'x' } })).status).toBe(422);
    expect((await call(sb, token, 'PUT', '/contacts/nope0000000000000000', { body: { city: 'x' } })).status).toBe(400);
    sb.webhooks.setUrl(undefined);
    await call(sb, token, 'POST', '/contacts/', { body: { locationId: loc, email: 'nobody@example.com' } });
    await sb.webhooks.flush();
    expect(sb.webhooks.log).toEqual([]);
    expect(hooks.received).toHaveLength(0);
  });

  test("GHL's current policy: any non-2xx is retried with exponential backoff and jitter, the same bytes each time, until a 2xx", async () => {
    const clock = new ManualClock();
    const answers = [500, 429, 404, 301, 400, 200];
    const hook = await hookReceiver((n) => answers[n - 1] ?? 200);
    const ghl = await startSandbox({ seed: 'empty', webhooks: { url: hook.url, clock, retryBaseMs: 10_000 } });
    const settle = () => ghl.webhooks.flush();
    try {
      const entry = ghl.webhooks.emit('ContactCreate', ghl.locationId, { id: 'c1' })!;
      await settle();
      const waits: number[] = [];
      while (entry.outcome === 'pending') {
        const wait = entry.nextAttemptAt! - clock.now();
        waits.push(wait);
        await clock.advance(wait, settle);
      }
      expect(entry).toMatchObject({ outcome: 'accepted', attempts: 6, statuses: answers });
      // Retry n waits 10 s × 2^(n-1), ±25 %.
      expect(waits).toHaveLength(5);
      waits.forEach((w, i) => {
        expect(w).toBeGreaterThanOrEqual(0.75 * 10_000 * 2 ** i);
        expect(w).toBeLessThanOrEqual(1.25 * 10_000 * 2 ** i);
      });
      expect(new Set(hook.received.map((r) => JSON.stringify(r.body))).size).toBe(1);
      expect(new Set(hook.received.map((r) => r.headers['x-ghl-signature'])).size).toBe(1);
      expect(hook.received[0]!.body.timestamp).toBe(new Date(clock.now() - waits.reduce((a, b) => a + b, 0)).toISOString());
      expect(clock.scheduled).toEqual([]);
    } finally {
      await ghl.close();
      await hook.close();
    }
  });

  test('a refused connection is retried too; after the last retry it is failed, and a manual re-send delivers the original bytes', async () => {
    const clock = new ManualClock();
    const hook = await hookReceiver(() => 200);
    const closedUrl = `http://127.0.0.1:${new URL(hook.url).port}`;
    await hook.close();
    const ghl = await startSandbox({ seed: 'empty', webhooks: { url: closedUrl, clock, retryBaseMs: 1000, maxRetries: 12 } });
    const settle = () => ghl.webhooks.flush();
    try {
      const entry = ghl.webhooks.emit('ContactCreate', ghl.locationId, { id: 'c1' })!;
      await settle();
      while (entry.outcome === 'pending') await clock.advance(entry.nextAttemptAt! - clock.now(), settle);
      expect(entry).toMatchObject({ outcome: 'failed', attempts: 13, statuses: Array(13).fill(0) });
      expect(clock.scheduled).toEqual([]);
      const back = await hookReceiver(() => 200);
      try {
        ghl.webhooks.setUrl(back.url);
        await clock.advance(86_400_000);
        ghl.webhooks.resend(entry.webhookId);
        await settle();
        expect(entry).toMatchObject({ outcome: 'accepted', attempts: 14 });
        expect(back.received).toHaveLength(1);
        expect(JSON.stringify(back.received[0]!.body)).toBe(entry.body);
        // A manual re-send is one attempt: it schedules no retries.
        expect(clock.scheduled).toEqual([]);
      } finally {
        await back.close();
      }
    } finally {
      await ghl.close();
    }
  });

  test('with legacySignature, x-wh-signature (RSA-SHA256) is sent too; AppointmentCreate wraps the appointment', async () => {
    const legacy = await startSandbox({ webhooks: { url: hooks.url, legacySignature: true } });
    try {
      const appt = [...legacy.state.appointments.values()][0]!;
      legacy.webhooks.around({}, legacy.locationId, () => {
        legacy.state.appointments.set('newAppt0000000000001', { ...appt, id: 'newAppt0000000000001' });
        return { status: 201 };
      });
      const [e] = await events(1, legacy);
      expect(e!.body).toMatchObject({
        type: 'AppointmentCreate',
        locationId: legacy.locationId,
        appointment: { id: 'newAppt0000000000001', contactId: appt.contactId, startTime: appt.startTime },
      });
      const ok = (await import('node:crypto'))
        .createVerify('sha256')
        .update(JSON.stringify(e!.body))
        .verify(legacy.webhooks.legacyPublicKeyPem!, String(e!.headers['x-wh-signature']), 'base64');
      expect(ok).toBe(true);
    } finally {
      await legacy.close();
    }
  });
});
