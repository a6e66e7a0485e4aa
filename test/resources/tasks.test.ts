import { toTask as toTaskOutput } from '../../src/resources/common/outputs.js';
import nock from 'nock';
import { LOCATION_ID, create, ghlApi, perform, search, trigger } from '../helpers.js';
import { rejectsWithAppError } from './zapierErrors.js';

const CONTACT = 'nmFmQEsNgz6AVpgLVUJ0';
const USER = 'Hk3gp0uYXhRr4xXjT2bV';
const SEARCH_PATH = `/locations/${LOCATION_ID}/tasks/search`;

const idError = (label: string, value: string) =>
  `"${label}" must be a GHL id (letters and digits, like "nmFmQEsNgz6AVpgLVUJ0"), but got "${value}". Pick a value from the dropdown or map the id field of an earlier step.`;
const requiredError = (label: string) => `"${label}" is required but was empty. Map a value to it in the Zap editor.`;

/** A location task-search item as GHL really sends it: `_id`, dates and extra details. */
const searchItem = (id: string, extra: Record<string, unknown>) => ({
  _id: id,
  title: `Task ${id}`,
  body: 'Details',
  assignedTo: USER,
  dueDate: '2026-12-10T15:00:00.000Z',
  completed: false,
  contactId: CONTACT,
  locationId: LOCATION_ID,
  deleted: false,
  contactDetails: { firstName: 'Rosa', lastName: 'Delgado' },
  assignedToUserDetails: { firstName: 'Marcus', lastName: 'Lee' },
  ...extra,
});

/** What toTask makes of a search item. */
const taskOut = (id: string, extra: Record<string, unknown>) => ({
  id,
  taskId: id,
  contactId: CONTACT,
  title: `Task ${id}`,
  body: 'Details',
  assignedTo: USER,
  dueDate: '2026-12-10T15:00:00.000Z',
  completed: false,
  ...extra,
});

/** A per-contact task (GET /contacts/:id/tasks): TaskSchema, no dates besides dueDate. */
const contactTask = (id: string, dueDate: string, completed: boolean, title = `Task ${id}`) => ({
  id,
  title,
  body: 'Details',
  assignedTo: USER,
  dueDate,
  completed,
  contactId: CONTACT,
});
const contactTaskOut = (id: string, dueDate: string, completed: boolean, title = `Task ${id}`) => ({
  id,
  taskId: id,
  contactId: CONTACT,
  title,
  body: 'Details',
  assignedTo: USER,
  dueDate,
  completed,
});

afterEach(() => nock.cleanAll());

describe('new_task', () => {
  const op = trigger('new_task');

  it('searches open tasks location-wide with the largest page and returns them newest first by dateAdded', async () => {
    const scope = ghlApi()
      .post(SEARCH_PATH, { completed: false, limit: 100, skip: 0 })
      .reply(201, {
        tasks: [
          searchItem('taskOld', { dateAdded: '2026-11-01T10:00:00.000Z' }),
          searchItem('taskNew', { dateAdded: '2026-11-20T10:00:00.000Z', dateUpdated: '2026-11-21T10:00:00.000Z' }),
          searchItem('taskGone', { dateAdded: '2026-11-25T10:00:00.000Z', deleted: true }),
          searchItem('taskMid', { dateAdded: '2026-11-10T10:00:00.000Z' }),
        ],
      });
    const out = await perform(op, {});
    expect(out).toEqual([
      taskOut('taskNew', { dateAdded: '2026-11-20T10:00:00.000Z', dateUpdated: '2026-11-21T10:00:00.000Z' }),
      taskOut('taskMid', { dateAdded: '2026-11-10T10:00:00.000Z' }),
      taskOut('taskOld', { dateAdded: '2026-11-01T10:00:00.000Z' }),
    ]);
    scope.done();
  });

  it('accepts items keyed by `id` and drops completed items if GHL ignores the filter', async () => {
    const scope = ghlApi()
      .post(SEARCH_PATH, { completed: false, limit: 100, skip: 0 })
      .reply(201, {
        tasks: [
          { ...searchItem('x', {}), _id: undefined, id: 'taskById', title: 'Task taskById', dateAdded: '2026-11-02T10:00:00.000Z' },
          searchItem('taskDone', { completed: true, dateAdded: '2026-11-30T10:00:00.000Z' }),
          { ...searchItem('taskNoFlag', { dateAdded: '2026-11-01T10:00:00.000Z' }), completed: undefined },
        ],
      });
    const out = await perform(op, {});
    expect(out).toEqual([
      taskOut('taskById', { dateAdded: '2026-11-02T10:00:00.000Z' }),
      taskOut('taskNoFlag', { dateAdded: '2026-11-01T10:00:00.000Z' }),
    ]);
    scope.done();
  });

  it("with a Contact, lists that contact's open tasks newest first by due date", async () => {
    const scope = ghlApi()
      .get(`/contacts/${CONTACT}/tasks`)
      .reply(200, {
        tasks: [
          contactTask('t1', '2026-12-01T15:00:00.000Z', false),
          contactTask('t2', '2026-12-05T15:00:00.000Z', true),
          contactTask('t3', '2026-12-03T15:00:00.000Z', false),
        ],
      });
    const out = await perform(op, { contactId: CONTACT });
    expect(out).toEqual([contactTaskOut('t3', '2026-12-03T15:00:00.000Z', false), contactTaskOut('t1', '2026-12-01T15:00:00.000Z', false)]);
    scope.done();
  });

  it('returns [] when there are no tasks', async () => {
    const scope = ghlApi().post(SEARCH_PATH, { completed: false, limit: 100, skip: 0 }).reply(201, { tasks: [] });
    expect(await perform(op, {})).toEqual([]);
    scope.done();
  });

  it('rejects a Contact that is not an id before any request', async () => {
    await rejectsWithAppError(perform(op, { contactId: 'Rosa Delgado' }), idError('Contact', 'Rosa Delgado'), 'invalid_input', 400);
  });

  it('reports a missing task scope (403) as a GHL error', async () => {
    const scope = ghlApi()
      .post(SEARCH_PATH, { completed: false, limit: 100, skip: 0 })
      .reply(403, { statusCode: 403, message: 'The token is not authorized for this scope.' });
    await rejectsWithAppError(
      perform(op, {}),
      'GHL denied access: The token is not authorized for this scope. Check that the connected sub-account is the one that holds this record and that the app was granted the needed scope.',
      'ghl_forbidden',
      403,
    );
    scope.done();
  });

  it("lets GHL's error through when the chosen contact no longer exists", async () => {
    const scope = ghlApi()
      .get(`/contacts/${CONTACT}/tasks`)
      .reply(400, { statusCode: 400, message: `Contact with id ${CONTACT} not found` });
    await rejectsWithAppError(
      perform(op, { contactId: CONTACT }),
      `GHL rejected the request: Contact with id ${CONTACT} not found`,
      'ghl_bad_request',
      400,
    );
    scope.done();
  });
});

describe('task_completed', () => {
  const op = trigger('task_completed');

  it('searches completed tasks; each completion is identified by task id and dateUpdated, newest first', async () => {
    const scope = ghlApi()
      .post(SEARCH_PATH, { completed: true, limit: 100, skip: 0 })
      .reply(201, {
        tasks: [
          searchItem('tA', { completed: true, dateAdded: '2026-11-01T10:00:00.000Z', dateUpdated: '2026-11-15T10:00:00.000Z' }),
          searchItem('tB', { completed: true, dateAdded: '2026-11-05T10:00:00.000Z', dateUpdated: '2026-11-28T10:00:00.000Z' }),
        ],
      });
    const out = await perform(op, {});
    expect(out).toEqual([
      taskOut('tB', {
        id: 'tB:2026-11-28T10:00:00.000Z',
        completed: true,
        dateAdded: '2026-11-05T10:00:00.000Z',
        dateUpdated: '2026-11-28T10:00:00.000Z',
      }),
      taskOut('tA', {
        id: 'tA:2026-11-15T10:00:00.000Z',
        completed: true,
        dateAdded: '2026-11-01T10:00:00.000Z',
        dateUpdated: '2026-11-15T10:00:00.000Z',
      }),
    ]);
    scope.done();
  });

  it('gives a task completed again (new dateUpdated) a new id, so it triggers again', async () => {
    const first = ghlApi()
      .post(SEARCH_PATH, { completed: true, limit: 100, skip: 0 })
      .reply(201, { tasks: [searchItem('tA', { completed: true, dateUpdated: '2026-11-15T10:00:00.000Z' })] });
    const [a] = await perform(op, {});
    first.done();
    const second = ghlApi()
      .post(SEARCH_PATH, { completed: true, limit: 100, skip: 0 })
      .reply(201, { tasks: [searchItem('tA', { completed: true, dateUpdated: '2026-12-02T08:00:00.000Z' })] });
    const [b] = await perform(op, {});
    second.done();
    expect([a.id, a.taskId, b.id, b.taskId]).toEqual(['tA:2026-11-15T10:00:00.000Z', 'tA', 'tA:2026-12-02T08:00:00.000Z', 'tA']);
  });

  it('marks items completed even when GHL leaves the flag out, and drops open ones', async () => {
    const scope = ghlApi()
      .post(SEARCH_PATH, { completed: true, limit: 100, skip: 0 })
      .reply(201, {
        tasks: [
          { ...searchItem('tA', { dateUpdated: '2026-11-15T10:00:00.000Z' }), completed: undefined },
          searchItem('tOpen', { completed: false, dateUpdated: '2026-11-30T10:00:00.000Z' }),
        ],
      });
    expect(await perform(op, {})).toEqual([
      taskOut('tA', { id: 'tA:2026-11-15T10:00:00.000Z', completed: true, dateUpdated: '2026-11-15T10:00:00.000Z' }),
    ]);
    scope.done();
  });

  it("with a Contact, lists that contact's completed tasks with id `<taskId>:completed`", async () => {
    const scope = ghlApi()
      .get(`/contacts/${CONTACT}/tasks`)
      .reply(200, {
        tasks: [
          contactTask('t1', '2026-12-01T15:00:00.000Z', true),
          contactTask('t2', '2026-12-05T15:00:00.000Z', false),
          contactTask('t3', '2026-12-03T15:00:00.000Z', true),
        ],
      });
    const out = await perform(op, { contactId: CONTACT });
    expect(out).toEqual([
      { ...contactTaskOut('t3', '2026-12-03T15:00:00.000Z', true), id: 't3:completed' },
      { ...contactTaskOut('t1', '2026-12-01T15:00:00.000Z', true), id: 't1:completed' },
    ]);
    scope.done();
  });

  it('returns [] when no task is completed', async () => {
    const scope = ghlApi()
      .get(`/contacts/${CONTACT}/tasks`)
      .reply(200, { tasks: [contactTask('t2', '2026-12-05T15:00:00.000Z', false)] });
    expect(await perform(op, { contactId: CONTACT })).toEqual([]);
    scope.done();
  });

  it('rejects a Contact that is not an id before any request', async () => {
    await rejectsWithAppError(perform(op, { contactId: 'x/../y' }), idError('Contact', 'x/../y'), 'invalid_input', 400);
  });
});

describe('task_list (dropdown)', () => {
  const op = trigger('task_list');

  it("lists the chosen contact's tasks, open ones first, and labels untitled tasks", async () => {
    const scope = ghlApi()
      .get(`/contacts/${CONTACT}/tasks`)
      .reply(200, {
        tasks: [
          contactTask('t1', '2026-12-01T15:00:00.000Z', true),
          contactTask('t2', '2026-12-03T15:00:00.000Z', false),
          contactTask('t3', '2026-12-02T15:00:00.000Z', false, ''),
        ],
      });
    const out = await perform(op, { contactId: CONTACT, title: 'ignored' });
    expect(out).toEqual([
      contactTaskOut('t2', '2026-12-03T15:00:00.000Z', false),
      contactTaskOut('t3', '2026-12-02T15:00:00.000Z', false, '(untitled task t3)'),
      contactTaskOut('t1', '2026-12-01T15:00:00.000Z', true),
    ]);
    scope.done();
  });

  it('returns [] for a contact without tasks', async () => {
    const scope = ghlApi().get(`/contacts/${CONTACT}/tasks`).reply(200, { tasks: [] });
    expect(await perform(op, { contactId: CONTACT })).toEqual([]);
    scope.done();
  });

  it('asks for a Contact first, before any request', async () => {
    await rejectsWithAppError(
      perform(op, {}),
      'Choose a Contact first: this list shows the tasks of the chosen contact.',
      'invalid_input',
      400,
    );
  });
});

describe('find_task', () => {
  const op = search('find_task');
  const tasks = [
    contactTask('t1', '2026-12-01T15:00:00.000Z', false, 'Call about wholesale order'),
    contactTask('t2', '2026-12-05T15:00:00.000Z', true, 'CALL back re: invoice'),
    contactTask('t3', '2026-12-03T15:00:00.000Z', false, 'Send   catalogue'),
    contactTask('t4', '2026-12-09T15:00:00.000Z', false, 'call  Rosa'),
  ];

  it('matches the title case-insensitively and the status, newest first', async () => {
    const scope = ghlApi().get(`/contacts/${CONTACT}/tasks`).reply(200, { tasks });
    const out = await perform(op, { contactId: CONTACT, title: 'call', status: 'open' });
    expect(out).toEqual([
      contactTaskOut('t4', '2026-12-09T15:00:00.000Z', false, 'call  Rosa'),
      contactTaskOut('t1', '2026-12-01T15:00:00.000Z', false, 'Call about wholesale order'),
    ]);
    scope.done();
  });

  it('finds completed tasks only when asked', async () => {
    const scope = ghlApi().get(`/contacts/${CONTACT}/tasks`).reply(200, { tasks });
    expect(await perform(op, { contactId: CONTACT, status: 'completed' })).toEqual([
      contactTaskOut('t2', '2026-12-05T15:00:00.000Z', true, 'CALL back re: invoice'),
    ]);
    scope.done();
  });

  it('treats runs of spaces as one, and with no criteria returns every task newest first', async () => {
    const one = ghlApi().get(`/contacts/${CONTACT}/tasks`).reply(200, { tasks });
    expect(await perform(op, { contactId: CONTACT, title: 'send catalogue' })).toEqual([
      contactTaskOut('t3', '2026-12-03T15:00:00.000Z', false, 'Send   catalogue'),
    ]);
    one.done();
    const all = ghlApi().get(`/contacts/${CONTACT}/tasks`).reply(200, { tasks });
    expect((await perform(op, { contactId: CONTACT })).map((t: { id: string }) => t.id)).toEqual(['t4', 't2', 't3', 't1']);
    all.done();
  });

  it('returns [] when nothing matches', async () => {
    const scope = ghlApi().get(`/contacts/${CONTACT}/tasks`).reply(200, { tasks });
    expect(await perform(op, { contactId: CONTACT, title: 'quote', status: 'any' })).toEqual([]);
    scope.done();
  });

  it('returns [] when the contact does not exist (GHL 400 "Contact with id … not found")', async () => {
    const scope = ghlApi()
      .get(`/contacts/${CONTACT}/tasks`)
      .reply(400, { statusCode: 400, message: `Contact with id ${CONTACT} not found` });
    expect(await perform(op, { contactId: CONTACT, title: 'call' })).toEqual([]);
    scope.done();
  });

  it('lets other GHL errors through', async () => {
    const scope = ghlApi()
      .get(`/contacts/${CONTACT}/tasks`)
      .reply(422, { statusCode: 422, message: ['contactId must be a string'], error: 'Unprocessable Entity' });
    await rejectsWithAppError(
      perform(op, { contactId: CONTACT }),
      'GHL rejected the request: contactId must be a string',
      'ghl_invalid_input',
      422,
    );
    scope.done();
  });

  it('rejects an unknown status and a missing contact before any request', async () => {
    await rejectsWithAppError(
      perform(op, { contactId: CONTACT, status: 'done' }),
      '"Status" must be one of any, open, completed, but got "done".',
      'invalid_input',
      400,
    );
    await rejectsWithAppError(perform(op, { title: 'call' }), requiredError('Contact'), 'invalid_input', 400);
  });
});

describe('create_task', () => {
  const op = create('create_task');
  const answer = {
    task: {
      id: 'lJpzYrWdpkC2hX6t2yue',
      title: 'Call about wholesale order',
      body: 'Rosa asked for a quote on 40 mugs.',
      assignedTo: USER,
      dueDate: '2026-12-01T15:00:00.000Z',
      completed: false,
      contactId: CONTACT,
    },
  };

  it("sends every field, reading a due date without offset in the Zap's timezone", async () => {
    const scope = ghlApi()
      .get(`/contacts/${CONTACT}/tasks`)
      .reply(200, { tasks: [] })
      .post(`/contacts/${CONTACT}/tasks`, {
        title: 'Call about wholesale order',
        body: 'Rosa asked for a quote on 40 mugs.',
        dueDate: '2026-12-01T15:00:00Z',
        completed: false,
        assignedTo: USER,
      })
      .reply(201, answer);
    const out = await perform(
      op,
      {
        contactId: CONTACT,
        title: ' Call about wholesale order ',
        body: 'Rosa asked for a quote on 40 mugs.',
        dueDate: '2026-12-01 10:00',
        assignedTo: USER,
        completed: 'false',
      },
      { timezone: 'America/New_York' },
    );
    expect(out).toEqual({
      id: 'lJpzYrWdpkC2hX6t2yue',
      taskId: 'lJpzYrWdpkC2hX6t2yue',
      contactId: CONTACT,
      title: 'Call about wholesale order',
      body: 'Rosa asked for a quote on 40 mugs.',
      assignedTo: USER,
      dueDate: '2026-12-01T15:00:00.000Z',
      completed: false,
      existing: false,
    });
    scope.done();
  });

  it('sends only title, due date and completed=false when nothing else is given', async () => {
    const scope = ghlApi()
      .get(`/contacts/${CONTACT}/tasks`)
      .reply(200, { tasks: [] })
      .post(`/contacts/${CONTACT}/tasks`, { title: 'Ship order', dueDate: '2026-12-02T09:30:00Z', completed: false })
      .reply(201, { task: { id: 'newTask1', title: 'Ship order', dueDate: '2026-12-02T09:30:00.000Z', completed: false } });
    const out = await perform(op, { contactId: CONTACT, title: 'Ship order', dueDate: '2026-12-02T10:30:00+01:00' });
    expect(out).toEqual({
      id: 'newTask1',
      taskId: 'newTask1',
      contactId: CONTACT,
      title: 'Ship order',
      dueDate: '2026-12-02T09:30:00.000Z',
      completed: false,
      existing: false,
    });
    scope.done();
  });

  it('can create a task already completed', async () => {
    const scope = ghlApi()
      .get(`/contacts/${CONTACT}/tasks`)
      .reply(200, { tasks: [] })
      .post(`/contacts/${CONTACT}/tasks`, { title: 'Logged call', dueDate: '2026-12-02T09:30:00Z', completed: true })
      .reply(201, {
        task: { id: 'newTask2', title: 'Logged call', dueDate: '2026-12-02T09:30:00.000Z', completed: true, contactId: CONTACT },
      });
    expect(await perform(op, { contactId: CONTACT, title: 'Logged call', dueDate: '2026-12-02T09:30:00Z', completed: 'yes' })).toEqual({
      id: 'newTask2',
      taskId: 'newTask2',
      contactId: CONTACT,
      title: 'Logged call',
      dueDate: '2026-12-02T09:30:00.000Z',
      completed: true,
      existing: false,
    });
    scope.done();
  });

  it('rejects a missing title, a missing or unreadable due date and a bad user before any request', async () => {
    await rejectsWithAppError(
      perform(op, { contactId: CONTACT, dueDate: '2026-12-02T09:30:00Z' }),
      requiredError('Title'),
      'invalid_input',
      400,
    );
    await rejectsWithAppError(perform(op, { contactId: CONTACT, title: 'Ship order' }), requiredError('Due Date'), 'invalid_input', 400);
    await rejectsWithAppError(
      perform(op, { contactId: CONTACT, title: 'Ship order', dueDate: 'next tuesday-ish' }),
      '"Due Date" is not a date and time GHL understands: "next tuesday-ish". Use e.g. 2026-12-01T15:00:00-05:00.',
      'invalid_input',
      400,
    );
    await rejectsWithAppError(
      perform(op, { contactId: CONTACT, title: 'Ship order', dueDate: '2026-12-02T09:30:00Z', assignedTo: 'marcus@example.com' }),
      idError('Assigned User', 'marcus@example.com'),
      'invalid_input',
      400,
    );
  });

  it("reports GHL's validation error", async () => {
    const scope = ghlApi()
      .get(`/contacts/${CONTACT}/tasks`)
      .reply(200, { tasks: [] })
      .post(`/contacts/${CONTACT}/tasks`, { title: 'Ship order', dueDate: '2026-12-02T09:30:00Z', completed: false })
      .reply(422, {
        statusCode: 422,
        message: ['dueDate must be a valid ISO 8601 date string'],
        error: 'Unprocessable Entity',
        traceId: 'trace-1',
      });
    await rejectsWithAppError(
      perform(op, { contactId: CONTACT, title: 'Ship order', dueDate: '2026-12-02T09:30:00Z' }),
      'GHL rejected the request: dueDate must be a valid ISO 8601 date string (GHL traceId: trace-1)',
      'ghl_invalid_input',
      422,
    );
    scope.done();
  });

  it('a replay finds the same task (same title and due instant) and creates nothing', async () => {
    const scope = ghlApi()
      .get(`/contacts/${CONTACT}/tasks`)
      .reply(200, {
        tasks: [
          { ...answer.task, title: 'Call about wholesale order ' },
          { id: 'other', title: 'Call about wholesale order', dueDate: '2026-12-02T15:00:00.000Z' },
        ],
      });
    const out = await perform(op, { contactId: CONTACT, title: 'Call about wholesale order', dueDate: '2026-12-01T10:00:00-05:00' });
    expect(out).toEqual({ ...toTaskOutput(answer.task), title: 'Call about wholesale order ', existing: true });
    scope.done();
  });

  it('with Skip If the Same Task Exists = No it always creates', async () => {
    const scope = ghlApi()
      .post(`/contacts/${CONTACT}/tasks`, { title: 'Call about wholesale order', dueDate: '2026-12-01T15:00:00Z', completed: false })
      .reply(201, answer);
    const out = await perform(op, {
      contactId: CONTACT,
      title: 'Call about wholesale order',
      dueDate: '2026-12-01T15:00:00Z',
      skipIfSame: 'no',
    });
    expect(out).toEqual(expect.objectContaining({ id: 'lJpzYrWdpkC2hX6t2yue', existing: false }));
    scope.done();
  });
});

describe('update_task', () => {
  const op = create('update_task');

  it('sends only the fields given', async () => {
    const scope = ghlApi()
      .put(`/contacts/${CONTACT}/tasks/t1`, { title: 'Call Rosa', dueDate: '2026-12-04T17:00:00Z' })
      .reply(200, { task: contactTask('t1', '2026-12-04T17:00:00.000Z', false, 'Call Rosa') });
    const out = await perform(
      op,
      { contactId: CONTACT, taskId: 't1', title: 'Call Rosa', dueDate: '2026-12-04T09:00:00', body: '  ', assignedTo: '' },
      { timezone: 'America/Los_Angeles' },
    );
    expect(out).toEqual(contactTaskOut('t1', '2026-12-04T17:00:00.000Z', false, 'Call Rosa'));
    scope.done();
  });

  it('can re-open a task through Completed = no, and assign it', async () => {
    const scope = ghlApi()
      .put(`/contacts/${CONTACT}/tasks/t1`, { assignedTo: USER, completed: false })
      .reply(200, { task: contactTask('t1', '2026-12-04T17:00:00.000Z', false) });
    expect(await perform(op, { contactId: CONTACT, taskId: 't1', assignedTo: USER, completed: 'false' })).toEqual(
      contactTaskOut('t1', '2026-12-04T17:00:00.000Z', false),
    );
    scope.done();
  });

  it('requires at least one change, before any request', async () => {
    await rejectsWithAppError(
      perform(op, { contactId: CONTACT, taskId: 't1', title: ' ' }),
      'Nothing to update: fill in at least one of Title, Due Date, Description, Assigned User or Completed.',
      'invalid_input',
      400,
    );
    await rejectsWithAppError(perform(op, { contactId: CONTACT, title: 'x' }), requiredError('Task'), 'invalid_input', 400);
    await rejectsWithAppError(
      perform(op, { contactId: CONTACT, taskId: 't1', completed: 'maybe' }),
      '"Completed" must be yes or no (true/false), but got "maybe".',
      'invalid_input',
      400,
    );
  });

  it("reports GHL's error for an unknown task", async () => {
    const scope = ghlApi().put(`/contacts/${CONTACT}/tasks/t9`, { title: 'x' }).reply(400, { statusCode: 400, message: 'Task not found' });
    await rejectsWithAppError(
      perform(op, { contactId: CONTACT, taskId: 't9', title: 'x' }),
      'GHL rejected the request: Task not found',
      'ghl_bad_request',
      400,
    );
    scope.done();
  });
});

describe('complete_task', () => {
  const op = create('complete_task');

  it('marks a task completed', async () => {
    const scope = ghlApi()
      .put(`/contacts/${CONTACT}/tasks/t1/completed`, { completed: true })
      .reply(200, { task: contactTask('t1', '2026-12-01T15:00:00.000Z', true) });
    expect(await perform(op, { contactId: CONTACT, taskId: 't1', markAs: 'completed' })).toEqual(
      contactTaskOut('t1', '2026-12-01T15:00:00.000Z', true),
    );
    scope.done();
  });

  it('re-opens a task with Mark As = open', async () => {
    const scope = ghlApi()
      .put(`/contacts/${CONTACT}/tasks/t1/completed`, { completed: false })
      .reply(200, { task: contactTask('t1', '2026-12-01T15:00:00.000Z', false) });
    expect(await perform(op, { contactId: CONTACT, taskId: 't1', markAs: 'open' })).toEqual(
      contactTaskOut('t1', '2026-12-01T15:00:00.000Z', false),
    );
    scope.done();
  });

  it('still outputs the task when GHL answers without it', async () => {
    const scope = ghlApi().put(`/contacts/${CONTACT}/tasks/t1/completed`, { completed: true }).reply(200, {});
    expect(await perform(op, { contactId: CONTACT, taskId: 't1' })).toEqual({
      id: 't1',
      taskId: 't1',
      contactId: CONTACT,
      completed: true,
    });
    scope.done();
  });

  it('rejects an unknown Mark As value before any request', async () => {
    await rejectsWithAppError(
      perform(op, { contactId: CONTACT, taskId: 't1', markAs: 'done' }),
      '"Mark As" must be one of completed, open, but got "done".',
      'invalid_input',
      400,
    );
  });

  it("reports GHL's error", async () => {
    const scope = ghlApi()
      .put(`/contacts/${CONTACT}/tasks/t1/completed`, { completed: true })
      .reply(400, { statusCode: 400, message: 'Task not found' });
    await rejectsWithAppError(
      perform(op, { contactId: CONTACT, taskId: 't1' }),
      'GHL rejected the request: Task not found',
      'ghl_bad_request',
      400,
    );
    scope.done();
  });
});

describe('delete_task', () => {
  const op = create('delete_task');
  const missing = (taskId: string) =>
    `No task "${taskId}" on this contact; nothing was deleted. It may have been deleted already, or belong to another contact.`;

  it('looks the task up, deletes it and outputs what was deleted', async () => {
    const scope = ghlApi()
      .get(`/contacts/${CONTACT}/tasks/t1`)
      .reply(200, { task: contactTask('t1', '2026-12-01T15:00:00.000Z', false, 'Call Rosa') })
      .delete(`/contacts/${CONTACT}/tasks/t1`)
      .reply(200, { succeded: true });
    expect(await perform(op, { contactId: CONTACT, taskId: 't1' })).toEqual({
      id: 't1',
      taskId: 't1',
      contactId: CONTACT,
      title: 'Call Rosa',
      dueDate: '2026-12-01T15:00:00.000Z',
      completed: false,
      deleted: true,
    });
    scope.done();
  });

  it.each([
    ['a 400 "Task not found"', 400, { statusCode: 400, message: 'Task not found' }],
    ['a 404', 404, { statusCode: 404, message: 'Not Found' }],
    ['an empty task', 200, { task: null }],
    ["another contact's task", 200, { task: { ...contactTask('t1', '2026-12-01T15:00:00.000Z', false), contactId: 'otherContact00001' } }],
  ])('reports a missing task (%s) and does not send DELETE', async (_name, status, body) => {
    const scope = ghlApi().get(`/contacts/${CONTACT}/tasks/t1`).reply(status, body);
    await rejectsWithAppError(perform(op, { contactId: CONTACT, taskId: 't1' }), missing('t1'), 'task_not_found', 404);
    scope.done();
  });

  it("lets GHL's missing-contact error through and does not send DELETE", async () => {
    const scope = ghlApi()
      .get(`/contacts/${CONTACT}/tasks/t1`)
      .reply(400, { statusCode: 400, message: `Contact with id ${CONTACT} not found` });
    await rejectsWithAppError(
      perform(op, { contactId: CONTACT, taskId: 't1' }),
      `GHL rejected the request: Contact with id ${CONTACT} not found`,
      'ghl_bad_request',
      400,
    );
    scope.done();
  });

  it('fails when GHL says it did not delete', async () => {
    const scope = ghlApi()
      .get(`/contacts/${CONTACT}/tasks/t1`)
      .reply(200, { task: contactTask('t1', '2026-12-01T15:00:00.000Z', false) })
      .delete(`/contacts/${CONTACT}/tasks/t1`)
      .reply(200, { succeded: false });
    await rejectsWithAppError(
      perform(op, { contactId: CONTACT, taskId: 't1' }),
      'GHL did not delete task "t1" (it answered succeded: false). Nothing was changed; retrying the step may help.',
      'ghl_not_deleted',
      502,
    );
    scope.done();
  });

  it('rejects a missing task before any request', async () => {
    await rejectsWithAppError(perform(op, { contactId: CONTACT }), requiredError('Task'), 'invalid_input', 400);
    await rejectsWithAppError(perform(op, { contactId: CONTACT, taskId: 'Call Rosa' }), idError('Task', 'Call Rosa'), 'invalid_input', 400);
  });
});

describe('create_task inside Find or Create Task', () => {
  it('skips its own duplicate check when Zapier says the search just ran (meta.withSearch)', async () => {
    const scope = ghlApi()
      .post(`/contacts/${CONTACT}/tasks`, { title: 'Ship order', dueDate: '2026-12-02T09:30:00Z', completed: false })
      .reply(201, { task: { id: 'newTask9', title: 'Ship order', dueDate: '2026-12-02T09:30:00.000Z', completed: false } });
    const out = await perform(
      create('create_task'),
      { contactId: CONTACT, title: 'Ship order', dueDate: '2026-12-02T09:30:00Z' },
      { withSearch: 'find_task' },
    );
    expect(out).toEqual(expect.objectContaining({ id: 'newTask9', existing: false }));
    scope.done();
  });
});
