import { create, freezeClock, ghlApi, perform, rejectsWith } from '../../helpers.js';
import { rosaGhl, rosa } from './fixtures.js';

describe('Archive Contact (archive_contact)', () => {
  const fakeNow = () => freezeClock('2026-11-21T10:15:00.000Z');
  afterEach(() => jest.useRealTimers());

  it('tags the contact and completes only its open tasks; deletes nothing', async () => {
    fakeNow();
    const scope = ghlApi()
      .get(`/contacts/${rosa.id}`)
      .reply(200, { contact: rosaGhl })
      .get(`/contacts/${rosa.id}/tasks`)
      .reply(200, {
        tasks: [
          { id: 't1', title: 'Open one', dueDate: '2026-12-01T15:00:00.000Z', completed: false },
          { id: 't2', title: 'Done already', dueDate: '2026-11-01T15:00:00.000Z', completed: true },
        ],
      })
      .post(`/contacts/${rosa.id}/tags`, { tags: ['ecwid-deleted'] })
      .reply(201, { tags: ['ecwid-customer', 'ecwid-deleted'] })
      .put(`/contacts/${rosa.id}/tasks/t1/completed`, { completed: true })
      .reply(200, { task: { id: 't1', completed: true } });
    const out = await perform(create('archive_contact'), { contactId: rosa.id, tag: 'ecwid-deleted' });
    expect(out).toEqual({
      id: rosa.id,
      contactId: rosa.id,
      archived: true,
      name: 'Rosa Delgado',
      email: 'rosa.delgado@example.com',
      tags: ['ecwid-customer', 'ecwid-deleted'],
      tasksCompleted: [{ id: 't1', title: 'Open one', dueDate: '2026-12-01T15:00:00.000Z', completed: true }],
      archivedAt: '2026-11-21T10:15:00.000Z',
    });
    scope.done();
  });

  it('with Complete Open Tasks = No only adds the tag', async () => {
    fakeNow();
    const scope = ghlApi()
      .get(`/contacts/${rosa.id}`)
      .reply(200, { contact: rosaGhl })
      .get(`/contacts/${rosa.id}/tasks`)
      .reply(200, { tasks: [{ id: 't1', title: 'Open one', completed: false }] })
      .post(`/contacts/${rosa.id}/tags`, { tags: ['archived'] })
      .reply(201, { tags: ['ecwid-customer', 'archived'] });
    const out = await perform(create('archive_contact'), { contactId: rosa.id, tag: 'archived', completeTasks: 'no' });
    expect(out).toEqual(expect.objectContaining({ archived: true, tags: ['ecwid-customer', 'archived'], tasksCompleted: [] }));
    scope.done();
  });

  it('a missing contact: clear error, nothing changed', async () => {
    const scope = ghlApi()
      .get('/contacts/gone0000000000000001')
      .reply(400, { statusCode: 400, message: 'Contact with id gone0000000000000001 not found' })
      .get('/contacts/gone0000000000000001/tasks')
      .reply(400, { statusCode: 400, message: 'Contact with id gone0000000000000001 not found' });
    const e = await rejectsWith(
      perform(create('archive_contact'), { contactId: 'gone0000000000000001', tag: 'archived' }),
      'AppError',
      'No contact with ID gone0000000000000001 in this sub-account; nothing was archived.',
    );
    expect([e.code, e.status]).toEqual(['contact_not_found', 404]);
    scope.done();
  });

  it('an empty tag is refused before any request', async () => {
    await rejectsWith(
      perform(create('archive_contact'), { contactId: rosa.id, tag: '  ' }),
      'AppError',
      '"Archive Tag" is required but was empty. Map a value to it in the Zap editor.',
    );
  });
});
