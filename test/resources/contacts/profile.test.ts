import App from '../../../index.js';
import { appTester, authData, ghlApi } from '../../helpers.js';
import { rosaGhl, rosa } from './fixtures.js';

describe('contact profile hydrator (contactProfile)', () => {
  it('fetches the contact, its tasks, notes and appointments when a later step maps the profile', async () => {
    const id = rosa.id;
    const scope = ghlApi()
      .get(`/contacts/${id}`)
      .reply(200, { contact: rosaGhl })
      .get(`/contacts/${id}/tasks`)
      .reply(200, { tasks: [{ id: 'task1', title: 'Call back', dueDate: '2026-12-01T15:00:00.000Z', completed: false, contactId: id }] })
      .get(`/contacts/${id}/notes`)
      .reply(200, { notes: [{ id: 'note1', body: 'Likes mugs.', dateAdded: '2026-11-18T16:05:00.000Z', contactId: id }] })
      .get(`/contacts/${id}/appointments`)
      .reply(200, { events: [] });
    const hydrator = (App.hydrators as Record<string, unknown>).contactProfile;
    const out = await appTester(hydrator as never, { authData, inputData: { contactId: id } } as never);
    const task = { id: 'task1', taskId: 'task1', contactId: id, title: 'Call back', dueDate: '2026-12-01T15:00:00.000Z', completed: false };
    const note = { id: 'note1', noteId: 'note1', contactId: id, body: 'Likes mugs.', dateAdded: '2026-11-18T16:05:00.000Z' };
    expect(out).toEqual({
      ...rosa,
      mostRecentTask: task,
      nextOpenTask: task,
      latestNote: note,
      taskCount: 1,
      openTaskCount: 1,
      noteCount: 1,
      appointmentCount: 0,
      tasks: [task],
      notes: [note],
      appointments: [],
    });
    scope.done();
  });
});
