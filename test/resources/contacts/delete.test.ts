import { create, freezeClock, ghlApi, perform, rejectsWith } from '../../helpers.js';
import { rosaGhl, rosa } from './fixtures.js';

describe('Delete Contact (delete_contact)', () => {
  afterEach(() => jest.useRealTimers());

  it('looks the contact and its tasks up first, deletes each task, then the contact, and returns a record of it', async () => {
    freezeClock('2026-11-21T10:15:00.000Z');
    const scope = ghlApi()
      .get(`/contacts/${rosa.id}`)
      .reply(200, { contact: rosaGhl })
      .get(`/contacts/${rosa.id}/tasks`)
      .reply(200, {
        tasks: [
          { id: 't1', title: 'A' },
          { id: 't2', title: 'B' },
        ],
      })
      .delete(`/contacts/${rosa.id}/tasks/t1`)
      .reply(200, { succeded: true })
      .delete(`/contacts/${rosa.id}/tasks/t2`)
      .reply(200, { succeded: true })
      .delete(`/contacts/${rosa.id}`)
      .reply(200, { succeded: true });
    const out = await perform(create('delete_contact'), { contactId: rosa.id });
    expect(out).toEqual({
      id: rosa.id,
      contactId: rosa.id,
      deleted: true,
      name: 'Rosa Delgado',
      email: 'rosa.delgado@example.com',
      phone: '+14155550123',
      taskCount: 2,
      tasksDeleted: [
        { id: 't1', title: 'A', completed: false },
        { id: 't2', title: 'B', completed: false },
      ],
      deletedAt: '2026-11-21T10:15:00.000Z',
    });
    scope.done();
  });

  it('with Delete Its Tasks First = No, deletes only the contact (GHL removes the tasks) and still lists them', async () => {
    freezeClock('2026-11-21T10:15:00.000Z');
    const scope = ghlApi()
      .get(`/contacts/${rosa.id}`)
      .reply(200, { contact: rosaGhl })
      .get(`/contacts/${rosa.id}/tasks`)
      .reply(200, {
        tasks: [
          { id: 't1', title: 'A' },
          { id: 't2', title: 'B' },
        ],
      })
      .delete(`/contacts/${rosa.id}`)
      .reply(200, { succeded: true });
    const out = await perform(create('delete_contact'), { contactId: rosa.id, deleteTasks: 'false' });
    expect(out).toEqual({
      id: rosa.id,
      contactId: rosa.id,
      deleted: true,
      name: 'Rosa Delgado',
      email: 'rosa.delgado@example.com',
      phone: '+14155550123',
      taskCount: 2,
      tasksDeleted: [
        { id: 't1', title: 'A', completed: false },
        { id: 't2', title: 'B', completed: false },
      ],
      deletedAt: '2026-11-21T10:15:00.000Z',
    });
    scope.done();
  });

  it('says clearly that nothing was deleted when the contact does not exist', async () => {
    const id = 'gone000000000000000A';
    const scope = ghlApi()
      .get(`/contacts/${id}`)
      .reply(400, { statusCode: 400, message: `Contact with id ${id} not found` })
      .get(`/contacts/${id}/tasks`)
      .reply(400, { statusCode: 400, message: `Contact with id ${id} not found` });
    await rejectsWith(
      perform(create('delete_contact'), { contactId: id }),
      'AppError',
      `No contact with ID ${id} in this sub-account; nothing was deleted.`,
    );
    scope.done();
  });

  it('refuses something that is not an id before any request', async () => {
    await rejectsWith(
      perform(create('delete_contact'), { contactId: 'rosa@example.com' }),
      'AppError',
      '"Contact" must be a GHL id (letters and digits, like "nmFmQEsNgz6AVpgLVUJ0"), but got "rosa@example.com". Pick a value from the dropdown or map the id field of an earlier step.',
    );
  });

  it('does not delete when GHL fails to return the contact', async () => {
    const scope = ghlApi()
      .get(`/contacts/${rosa.id}`)
      .reply(403, { statusCode: 403, message: 'The token does not have access to this location.' })
      .get(`/contacts/${rosa.id}/tasks`)
      .reply(200, { tasks: [] });
    await rejectsWith(
      perform(create('delete_contact'), { contactId: rosa.id }),
      'AppError',
      /^GHL denied access: The token does not have access to this location\./,
    );
    scope.done();
  });
});

describe('Delete Contact when a task delete fails', () => {
  it('leaves the contact in place and says which tasks are already gone', async () => {
    const scope = ghlApi()
      .get(`/contacts/${rosa.id}`)
      .reply(200, { contact: rosaGhl })
      .get(`/contacts/${rosa.id}/tasks`)
      .reply(200, {
        tasks: [
          { id: 't1', title: 'A' },
          { id: 't2', title: 'B' },
        ],
      })
      .delete(`/contacts/${rosa.id}/tasks/t1`)
      .reply(200, { succeded: true })
      .delete(`/contacts/${rosa.id}/tasks/t2`)
      .reply(422, { statusCode: 422, message: ['task is locked'] });
    const e = await rejectsWith(
      perform(create('delete_contact'), { contactId: rosa.id }),
      'AppError',
      `Deleting the contact's tasks failed, so the contact was NOT deleted. Tasks already deleted: "A". First failure: GHL rejected the request: task is locked`,
    );
    expect([e.code, e.status]).toEqual(['partial_task_delete', 502]);
    scope.done();
  });

  it('an access token that expires part-way ends in RefreshAuthError (Zapier refreshes and retries), not in a failed step', async () => {
    const scope = ghlApi()
      .get(`/contacts/${rosa.id}`)
      .reply(200, { contact: rosaGhl })
      .get(`/contacts/${rosa.id}/tasks`)
      .reply(200, { tasks: [{ id: 't1', title: 'A' }] })
      .delete(`/contacts/${rosa.id}/tasks/t1`)
      .reply(401, { statusCode: 401, message: 'Invalid JWT' });
    await rejectsWith(perform(create('delete_contact'), { contactId: rosa.id }), 'RefreshAuthError', /.*/);
    scope.done();
  });

  it('lists the deleted tasks with ISO-8601 due dates (a zone-less GHL date is read as UTC)', async () => {
    const scope = ghlApi()
      .get(`/contacts/${rosa.id}`)
      .reply(200, { contact: rosaGhl })
      .get(`/contacts/${rosa.id}/tasks`)
      .reply(200, { tasks: [{ id: 't1', title: 'A', dueDate: '2026-12-01 15:00:00' }] })
      .delete(`/contacts/${rosa.id}/tasks/t1`)
      .reply(200, { succeded: true })
      .delete(`/contacts/${rosa.id}`)
      .reply(200, { succeded: true });
    const out = (await perform(create('delete_contact'), { contactId: rosa.id })) as { tasksDeleted: unknown[] };
    expect(out.tasksDeleted).toEqual([{ id: 't1', title: 'A', dueDate: '2026-12-01T15:00:00.000Z', completed: false }]);
    scope.done();
  });
});

describe('Delete Contact on a contact with many tasks', () => {
  const tasks = Array.from({ length: 12 }, (_, i) => ({ id: `task${String(i).padStart(16, '0')}`, title: `T${i}` }));

  it('deletes the tasks in batches of 10, then the contact', async () => {
    let scope = ghlApi()
      .get(`/contacts/${rosa.id}`)
      .reply(200, { contact: rosaGhl })
      .get(`/contacts/${rosa.id}/tasks`)
      .reply(200, { tasks });
    for (const t of tasks) scope = scope.delete(`/contacts/${rosa.id}/tasks/${t.id}`).reply(200, { succeded: true });
    scope = scope.delete(`/contacts/${rosa.id}`).reply(200, { succeded: true });
    const out = (await perform(create('delete_contact'), { contactId: rosa.id })) as { tasksDeleted: unknown[]; taskCount: number };
    expect([out.taskCount, out.tasksDeleted.length]).toEqual([12, 12]);
    scope.done();
  });

  it('a 429 on a task delete keeps Zapier’s retry-later with the delay and leaves the contact', async () => {
    let scope = ghlApi()
      .get(`/contacts/${rosa.id}`)
      .reply(200, { contact: rosaGhl })
      .get(`/contacts/${rosa.id}/tasks`)
      .reply(200, { tasks: tasks.slice(0, 2) });
    scope = scope.delete(`/contacts/${rosa.id}/tasks/${tasks[0]!.id}`).reply(200, { succeded: true });
    scope = scope
      .delete(`/contacts/${rosa.id}/tasks/${tasks[1]!.id}`)
      .reply(429, { statusCode: 429 }, { 'X-RateLimit-Interval-Milliseconds': '10000' });
    const e = await rejectsWith(
      perform(create('delete_contact'), { contactId: rosa.id }),
      'ThrottledError',
      `GHL's rate limit was reached while deleting the contact's tasks, so the contact was NOT deleted yet. Tasks already deleted: "T0". Zapier will retry in 10 s.`,
    );
    expect(e.delay).toBe(10);
    scope.done();
  });
});
