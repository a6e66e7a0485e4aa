import { createPublicKey, verify } from 'node:crypto';
import { startSandbox, type Sandbox } from '../../sandbox/server.js';
import { hookReceiver, waitFor, type Received } from '../relay/helpers.js';
import { allowLocalhost, call } from './helpers.js';

/** The sandbox's app-level webhooks: one signed POST per change, GHL's payloads, GHL's retry rule. */

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
    sb = await startSandbox({ webhooks: { retryDelayMs: 50 } });
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

  test('a created contact → ContactCreate with the documented fields, signed with x-ghl-signature (Ed25519 over the raw body)', async () => {
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
      id: res.body.contact.id,
      dateAdded: res.body.contact.dateAdded,
      dnd: false,
      email: 'rosa@example.com',
      name: 'Rosa Delgado',
      firstName: 'Rosa',
      lastName: 'Delgado',
      tags: ['vip'],
      // GHL fills in a country on a create without one (recorded create-contact answer): the location's.
      country: 'US',
      attachments: [],
      customFields: [],
      appId: 'sandbox-app-id',
      versionId: 'sandbox-version-1',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      webhookId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
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
    expect(got[0]!.body).toEqual({
      type: 'TaskCreate',
      locationId: loc,
      id: taskId,
      contactId: id,
      title: 'Call back',
      dateAdded: t.body.task.dateAdded ?? expect.any(String),
      dueDate: '2026-12-05T15:00:00.000Z',
      appId: 'sandbox-app-id',
      versionId: 'sandbox-version-1',
      timestamp: expect.any(String),
      webhookId: expect.any(String),
    });
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

  test("GHL's retry rule: a 429 is retried (same body and webhookId), a 500 is not", async () => {
    status = 429;
    const first = sb.webhooks.emit('ContactCreate', loc, { id: 'c1' })!;
    await waitFor('two attempts', () => hooks.received.length >= 2);
    status = 200;
    await waitFor('the retry accepted', () => first.outcome === 'accepted');
    expect(first).toMatchObject({ attempts: 3, status: 200 });
    expect(new Set(hooks.received.map((r) => JSON.stringify(r.body))).size).toBe(1);
    hooks.received.length = 0;
    status = 500;
    const second = sb.webhooks.emit('ContactCreate', loc, { id: 'c2' })!;
    // The outcome is set only once no retry is scheduled: the answer is final.
    await waitFor('the answer', () => second.outcome !== 'pending');
    expect(second).toMatchObject({ attempts: 1, status: 500, outcome: 'rejected' });
    expect(hooks.received).toHaveLength(1);
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
