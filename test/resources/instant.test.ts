import nock from 'nock';
import { LOCATION_ID, ACCESS_TOKEN, appTester, authData, ghlApi, perform, rejectsWith, trigger } from '../helpers.js';
import { rejectsWithAppError } from './zapierErrors.js';

const RELAY = 'https://relay.example.test';
const TARGET = 'https://hooks.zapier.com/hooks/standard/123/abc/';
const CONTACT = 'nmFmQEsNgz6AVpgLVUJ0';

type HookOp = {
  operation: {
    type: string;
    perform: unknown;
    performList: unknown;
    performSubscribe: unknown;
    performUnsubscribe: unknown;
  };
};
const hook = (key: string) => trigger(key) as unknown as HookOp;

const run = <T = any>(fn: unknown, bundle: Record<string, unknown>) =>
  appTester(fn as never, { authData, ...bundle } as never) as Promise<T>;
const deliver = (key: string, event: unknown, inputData: Record<string, unknown> = {}) =>
  run(hook(key).operation.perform, { inputData, cleanedRequest: event });

const relay = () => nock(RELAY, { reqheaders: { authorization: `Bearer ${ACCESS_TOKEN}` }, badheaders: ['version'] });

const KEYS: Array<[string, string]> = [
  ['new_contact_instant', 'ContactCreate'],
  ['contact_updated_instant', 'ContactUpdate'],
  ['contact_deleted_instant', 'ContactDelete'],
  ['contact_tag_added_instant', 'ContactTagUpdate'],
  ['new_task_instant', 'TaskCreate'],
  ['task_completed_instant', 'TaskComplete'],
  ['new_note_instant', 'NoteCreate'],
  ['new_appointment_instant', 'AppointmentCreate'],
];

/** A ContactCreate/…Update/…Delete/…TagUpdate body as GHL documents it (openapi/webhook-events/). */
const contactEvent = (type: string, extra: Record<string, unknown> = {}) => ({
  type,
  locationId: LOCATION_ID,
  id: CONTACT,
  address1: '118 Market Street',
  city: 'San Francisco',
  state: 'CA',
  companyName: 'Delgado Ceramics',
  country: 'US',
  source: 'Ecwid',
  dateAdded: '2026-10-02T14:31:08.000Z',
  dateOfBirth: '1988-04-23T00:00:00.000Z',
  dnd: false,
  email: 'rosa.delgado@example.com',
  name: 'Rosa Delgado',
  firstName: 'Rosa',
  lastName: 'Delgado',
  phone: '+14155550123',
  postalCode: '94105',
  tags: ['ecwid-customer', 'Wholesale'],
  website: 'https://delgadoceramics.example.com',
  attachments: [],
  assignedTo: 'Hk3gp0uYXhRr4xXjT2bV',
  customFields: [{ id: 'cf1', value: '1001' }],
  appId: 'app1',
  timestamp: '2026-12-01T16:20:00.000Z',
  webhookId: 'wh-1',
  ...extra,
});

const contactOut = {
  id: CONTACT,
  contactId: CONTACT,
  locationId: LOCATION_ID,
  name: 'Rosa Delgado',
  firstName: 'Rosa',
  lastName: 'Delgado',
  email: 'rosa.delgado@example.com',
  phone: '+14155550123',
  companyName: 'Delgado Ceramics',
  address1: '118 Market Street',
  city: 'San Francisco',
  state: 'CA',
  postalCode: '94105',
  country: 'US',
  website: 'https://delgadoceramics.example.com',
  source: 'Ecwid',
  dnd: false,
  tags: ['ecwid-customer', 'Wholesale'],
  assignedTo: 'Hk3gp0uYXhRr4xXjT2bV',
  dateOfBirth: '1988-04-23',
  dateAdded: '2026-10-02T14:31:08.000Z',
  customFields: [{ id: 'cf1', value: '1001' }],
  // The values by GHL name, lazily (resolved only when a later step maps one), as in the polling twins.
  customFieldsByName: `hydrate|||${JSON.stringify({ type: 'method', method: 'hydrators.customFieldsByName', bundle: { values: [{ id: 'cf1', value: '1001' }] } })}|||hydrate`,
};
const profile = expect.stringMatching(/^hydrate\|\|\|.*contactId.*nmFmQEsNgz6AVpgLVUJ0.*\|\|\|hydrate$/);

beforeEach(() => {
  process.env.RELAY_URL = `${RELAY}/`;
});
afterAll(() => {
  delete process.env.RELAY_URL;
});

describe('instant triggers: subscribe and unsubscribe at the relay', () => {
  it.each(KEYS)('%s is a REST hook that subscribes to %s for the connection’s sub-account', async (key, event) => {
    expect(hook(key).operation.type).toBe('hook');
    const scope = relay()
      .post('/subscriptions', { locationId: LOCATION_ID, event, targetUrl: TARGET })
      .reply(201, { id: 'sub-1', locationId: LOCATION_ID, event, targetUrl: TARGET });
    expect(await run(hook(key).operation.performSubscribe, { targetUrl: TARGET, inputData: {} })).toEqual({
      id: 'sub-1',
      locationId: LOCATION_ID,
      event,
      targetUrl: TARGET,
    });
    scope.done();
  });

  it('unsubscribes by the subscription id; a subscription already gone (404) is fine', async () => {
    const op = hook('new_contact_instant').operation.performUnsubscribe;
    const scope = relay()
      .delete('/subscriptions/sub-1')
      .reply(200, { id: 'sub-1', removed: true })
      .delete('/subscriptions/sub-2')
      .reply(404, { error: 'No subscription sub-2 (already removed)' });
    expect(await run(op, { subscribeData: { id: 'sub-1' } })).toEqual({ id: 'sub-1', removed: true });
    expect(await run(op, { subscribeData: { id: 'sub-2' } })).toEqual({ id: 'sub-2', removed: false });
    expect(await run(op, { subscribeData: {} })).toEqual({ removed: false });
    scope.done();
  });

  it("maps the relay's answers: 401 → refresh the token, 403 → choose the sub-account, 400 → the reason, 5xx → try later", async () => {
    const op = hook('new_task_instant').operation.performSubscribe;
    const bundle = { targetUrl: TARGET, inputData: {} };
    relay().post('/subscriptions').reply(401, { error: 'GHL rejected the access token (expired or revoked); reconnect the GHL account' });
    // Zapier refreshes the token and calls performSubscribe again (core's tester reports the bundle as the message).
    await rejectsWith(run(op, bundle), 'RefreshAuthError', /.*/);
    relay()
      .post('/subscriptions')
      .reply(403, { error: `The GHL token has no access to location ${LOCATION_ID}` });
    await rejectsWithAppError(
      run(op, bundle),
      `The GHL token has no access to location ${LOCATION_ID}. Reconnect GHL and choose the sub-account this Zap should watch.`,
      'relay_forbidden',
      403,
    );
    relay().post('/subscriptions').reply(400, { error: '"targetUrl" must be a URL under https://hooks.zapier.com' });
    await rejectsWithAppError(
      run(op, bundle),
      'The webhook relay refused subscribing to TaskCreate: "targetUrl" must be a URL under https://hooks.zapier.com',
      'relay_refused',
      400,
    );
    relay().post('/subscriptions').reply(502, 'Bad Gateway');
    await rejectsWithAppError(
      run(op, bundle),
      'The webhook relay is unavailable (HTTP 502) while subscribing to TaskCreate; turn the Zap on again in a few minutes.',
      'relay_unavailable',
      502,
    );
  });

  it('says what to do when the app has no RELAY_URL, before any request', async () => {
    delete process.env.RELAY_URL;
    await rejectsWithAppError(
      run(hook('new_note_instant').operation.performSubscribe, { targetUrl: TARGET, inputData: {} }),
      'Instant triggers need the webhook relay, and this app has no RELAY_URL set. Use the polling trigger of the same name, or ask the app owner to deploy the relay.',
      'relay_not_configured',
      500,
    );
  });
});

describe('instant triggers: a delivered event → the polling twin’s output', () => {
  it('New Contact: the contact with its lazy profile', async () => {
    expect(await deliver('new_contact_instant', contactEvent('ContactCreate'))).toEqual([{ ...contactOut, profile }]);
  });

  it('Contact Updated: one item per change (the event time stands in for GHL’s missing dateUpdated)', async () => {
    expect(await deliver('contact_updated_instant', contactEvent('ContactUpdate'))).toEqual([
      { ...contactOut, id: `${CONTACT}:2026-12-01T16:20:00.000Z`, dateUpdated: '2026-12-01T16:20:00.000Z', profile },
    ]);
  });

  it('Contact Deleted: the details the contact had and when it was deleted (no profile: it is gone)', async () => {
    expect(await deliver('contact_deleted_instant', contactEvent('ContactDelete'))).toEqual([
      { ...contactOut, deletedAt: '2026-12-01T16:20:00.000Z' },
    ]);
  });

  it('Contact Tag Added: with the relay’s tag change, only an added tag counts (any case)', async () => {
    const e = contactEvent('ContactTagUpdate', {
      tags: ['ecwid-customer', 'Wholesale', 'vip'],
      relay: { previousTags: ['ecwid-customer', 'vip'], tagsAdded: ['Wholesale'], tagsRemoved: [] },
    });
    const changed = { ...contactOut, tags: ['ecwid-customer', 'Wholesale', 'vip'], dateUpdated: '2026-12-01T16:20:00.000Z' };
    expect(await deliver('contact_tag_added_instant', e, { tag: 'wholesale' })).toEqual([
      { ...changed, id: `${CONTACT}:Wholesale:2026-12-01T16:20:00.000Z`, tag: 'Wholesale' },
    ]);
    // vip was there before: not added now.
    expect(await deliver('contact_tag_added_instant', e, { tag: 'vip' })).toEqual([]);
    expect(await deliver('contact_tag_added_instant', e)).toEqual([
      { ...changed, id: `${CONTACT}:*:2026-12-01T16:20:00.000Z`, tag: 'Wholesale' },
    ]);
    // Only a removal: nothing was added.
    const removal = contactEvent('ContactTagUpdate', {
      tags: ['vip'],
      relay: { previousTags: ['vip', 'old'], tagsAdded: [], tagsRemoved: ['old'] },
    });
    expect(await deliver('contact_tag_added_instant', removal)).toEqual([]);
  });

  it('Contact Tag Added: a contact the relay has not seen falls back to the tags it has', async () => {
    const e = contactEvent('ContactTagUpdate', { relay: { previousTags: null } });
    const changed = { ...contactOut, dateUpdated: '2026-12-01T16:20:00.000Z' };
    expect(await deliver('contact_tag_added_instant', e, { tag: 'WHOLESALE' })).toEqual([
      { ...changed, id: `${CONTACT}:Wholesale:2026-12-01T16:20:00.000Z`, tag: 'Wholesale' },
    ]);
    expect(await deliver('contact_tag_added_instant', e, { tag: 'vip' })).toEqual([]);
    expect(await deliver('contact_tag_added_instant', contactEvent('ContactTagUpdate'))).toEqual([
      { ...changed, id: `${CONTACT}:*:2026-12-01T16:20:00.000Z`, tag: 'ecwid-customer, Wholesale' },
    ]);
  });

  const taskEvent = (type: string, extra: Record<string, unknown> = {}) => ({
    type,
    locationId: LOCATION_ID,
    id: 'task1',
    assignedTo: 'Hk3gp0uYXhRr4xXjT2bV',
    body: 'Call about the wholesale order',
    contactId: CONTACT,
    title: 'Welcome call',
    dateAdded: '2026-11-29T13:37:28.304Z',
    dueDate: '2026-12-22T06:55:00.000Z',
    timestamp: '2026-12-01T16:20:00.000Z',
    webhookId: 'wh-2',
    ...extra,
  });
  const taskOut = {
    id: 'task1',
    taskId: 'task1',
    contactId: CONTACT,
    title: 'Welcome call',
    body: 'Call about the wholesale order',
    assignedTo: 'Hk3gp0uYXhRr4xXjT2bV',
    dueDate: '2026-12-22T06:55:00.000Z',
    completed: false,
    dateAdded: '2026-11-29T13:37:28.304Z',
  };

  it('New Task: the task; filtered by contact when one is chosen (a TaskCreate without contactId is looked up in that contact’s tasks)', async () => {
    expect(await deliver('new_task_instant', taskEvent('TaskCreate'))).toEqual([taskOut]);
    expect(await deliver('new_task_instant', taskEvent('TaskCreate'), { contactId: CONTACT })).toEqual([taskOut]);
    expect(await deliver('new_task_instant', taskEvent('TaskCreate'), { contactId: 'otherContact00000001' })).toEqual([]);
    const { contactId: _c, body: _b, ...noContact } = taskEvent('TaskCreate');
    expect(await deliver('new_task_instant', noContact)).toEqual([
      {
        id: 'task1',
        taskId: 'task1',
        title: 'Welcome call',
        assignedTo: 'Hk3gp0uYXhRr4xXjT2bV',
        dueDate: '2026-12-22T06:55:00.000Z',
        completed: false,
        dateAdded: '2026-11-29T13:37:28.304Z',
      },
    ]);
    // GHL's real TaskCreate may name no contact (#332): with a Contact chosen, its task list decides (one GET), without one no request.
    ghlApi()
      .get(`/contacts/${CONTACT}/tasks`)
      .reply(200, {
        tasks: [
          { id: 'older', title: 'x', contactId: CONTACT },
          { id: 'task1', title: 'Welcome call', body: 'Call about the wholesale order', contactId: CONTACT },
        ],
      });
    expect(await deliver('new_task_instant', noContact, { contactId: CONTACT })).toEqual([taskOut]);
    ghlApi()
      .get('/contacts/otherContact00000001/tasks')
      .reply(200, { tasks: [{ id: 'older', title: 'x' }] });
    expect(await deliver('new_task_instant', noContact, { contactId: 'otherContact00000001' })).toEqual([]);
    ghlApi()
      .get('/contacts/goneContact000000001/tasks')
      .reply(400, { statusCode: 400, message: 'Contact with id goneContact000000001 not found' });
    expect(await deliver('new_task_instant', noContact, { contactId: 'goneContact000000001' })).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('Task Completed: a completion id (task and time), completed = true', async () => {
    expect(await deliver('task_completed_instant', taskEvent('TaskComplete'))).toEqual([
      { ...taskOut, id: 'task1:2026-12-01T16:20:00.000Z', completed: true, dateUpdated: '2026-12-01T16:20:00.000Z' },
    ]);
  });

  it('New Note: any contact’s note, or only the chosen contact’s', async () => {
    const e = {
      type: 'NoteCreate',
      locationId: LOCATION_ID,
      id: 'note1',
      body: 'Prefers Tuesdays',
      contactId: CONTACT,
      dateAdded: '2026-11-26T12:41:02.193Z',
      timestamp: '2026-11-26T12:41:03.000Z',
      webhookId: 'wh-3',
    };
    const out = { id: 'note1', noteId: 'note1', contactId: CONTACT, body: 'Prefers Tuesdays', dateAdded: '2026-11-26T12:41:02.193Z' };
    expect(await deliver('new_note_instant', e)).toEqual([out]);
    expect(await deliver('new_note_instant', e, { contactId: 'otherContact00000001' })).toEqual([]);
  });

  it('New Appointment: the appointment from GHL’s `appointment` wrapper, times kept with their offset', async () => {
    const e = {
      type: 'AppointmentCreate',
      locationId: LOCATION_ID,
      appointment: {
        id: 'appt1',
        address: 'https://example.com/meeting',
        title: 'Wholesale walkthrough',
        calendarId: 'cal1',
        contactId: CONTACT,
        groupId: 'g1',
        appointmentStatus: 'confirmed',
        assignedUserId: 'Hk3gp0uYXhRr4xXjT2bV',
        users: ['Hk3gp0uYXhRr4xXjT2bV'],
        notes: 'Bring samples',
        source: 'booking_widget',
        startTime: '2026-12-03T10:00:00-05:00',
        endTime: '2026-12-03T10:30:00-05:00',
        dateAdded: '2026-12-01T16:20:00.000Z',
        dateUpdated: '2026-12-01T16:20:00.000Z',
      },
      timestamp: '2026-12-01T16:20:01.000Z',
      webhookId: 'wh-4',
    };
    expect(await deliver('new_appointment_instant', e)).toEqual([
      {
        id: 'appt1',
        appointmentId: 'appt1',
        contactId: CONTACT,
        calendarId: 'cal1',
        title: 'Wholesale walkthrough',
        appointmentStatus: 'confirmed',
        assignedUserId: 'Hk3gp0uYXhRr4xXjT2bV',
        startTime: '2026-12-03T10:00:00-05:00',
        endTime: '2026-12-03T10:30:00-05:00',
        address: 'https://example.com/meeting',
        notes: 'Bring samples',
        dateAdded: '2026-12-01T16:20:00.000Z',
      },
    ]);
  });

  it.each(KEYS)('%s ignores an event of another sub-account or of another type', async (key, event) => {
    expect(await deliver(key, { ...contactEvent(event), locationId: 'otherLocation0000001' })).toEqual([]);
    expect(await deliver(key, contactEvent(event === 'ContactCreate' ? 'ContactDelete' : 'ContactCreate'))).toEqual([]);
  });
});

describe('instant triggers: samples in the Zap editor come from the polling twin', () => {
  const searchReply = { contacts: [{ ...contactEvent('x'), type: 'customer', dateUpdated: '2026-11-20T09:12:44.000Z' }], total: 1 };

  it('New Contact (Instant) lists what New Contact polls, with the same request', async () => {
    const body = { locationId: LOCATION_ID, pageLimit: 100, sort: [{ field: 'dateAdded', direction: 'desc' }] };
    ghlApi().post('/contacts/search', body).reply(200, searchReply);
    const instant = await run(hook('new_contact_instant').operation.performList, { inputData: {} });
    ghlApi().post('/contacts/search', body).reply(200, searchReply);
    expect(instant).toEqual(await perform(trigger('new_contact')));
  });

  it('Contact Deleted (Instant) shows the newest contacts shaped as deleted ones; Tag Added filters by the tag', async () => {
    ghlApi().post('/contacts/search').reply(200, searchReply);
    const [deleted] = await run<any[]>(hook('contact_deleted_instant').operation.performList, { inputData: {} });
    expect(deleted).toEqual({
      ...contactOut,
      type: 'customer',
      dateUpdated: '2026-11-20T09:12:44.000Z',
      deletedAt: '2026-11-20T09:12:44.000Z',
    });
    ghlApi().post('/contacts/search').reply(200, searchReply);
    expect(await run(hook('contact_tag_added_instant').operation.performList, { inputData: { tag: 'vip' } })).toEqual([]);
    ghlApi().post('/contacts/search').reply(200, searchReply);
    expect((await run<any[]>(hook('contact_tag_added_instant').operation.performList, { inputData: { tag: 'WHOLESALE' } }))[0].tag).toBe(
      'Wholesale',
    );
  });

  it('New Note (Instant) lists the chosen contact’s notes; without a contact there is no list (Zapier shows the sample)', async () => {
    ghlApi()
      .get(`/contacts/${CONTACT}/notes`)
      .reply(200, { notes: [{ id: 'n1', body: 'Hi', contactId: CONTACT, dateAdded: '2026-11-18T16:05:00.000Z' }] });
    expect(await run(hook('new_note_instant').operation.performList, { inputData: { contactId: CONTACT } })).toEqual([
      { id: 'n1', noteId: 'n1', contactId: CONTACT, body: 'Hi', dateAdded: '2026-11-18T16:05:00.000Z' },
    ]);
    expect(await run(hook('new_note_instant').operation.performList, { inputData: {} })).toEqual([]);
  });
});
