import { DEFAULT_THROTTLE_DELAY_SECONDS, zapierMessage } from '../../http/errors.js';
import { path } from '../../http/ghl.js';
import type { DeleteContactResponse, Task } from '../../ghl/types.js';
import { action, type InputField } from '../../operations/define.js';
import contactSample from '../../samples/contact.json' with { type: 'json' };
import taskSample from '../../samples/task.json' with { type: 'json' };
import { contactIdField } from '../common/inputFields.js';
import { readContactWithTasks, taskRecord } from './requests.js';

/** Delete Contact: `DELETE /contacts/:contactId` (docs/ghl-api.md §2.18), each of its tasks first if asked. */

/** Task deletes sent at once; GHL allows 100 requests per 10 s per sub-account for all Zaps together. */
const TASK_DELETE_BATCH = 10;
const deleteTasksField: InputField = {
  key: 'deleteTasks',
  label: 'Delete Its Tasks First',
  required: false,
  type: 'boolean',
  default: 'true',
  helpText:
    "Yes deletes each of the contact's tasks one by one before the contact, so the output lists every task removed (GHL would delete them with the contact anyway, without a record). No deletes only the contact.",
};

export const deleteContact = action({
  key: 'delete_contact',
  endpoints: [
    'GET /contacts/{contactId}',
    'GET /contacts/{contactId}/tasks',
    'DELETE /contacts/{contactId}/tasks/{taskId}',
    'DELETE /contacts/{contactId}',
  ],
  noun: 'Contact',
  label: 'Delete Contact',
  description:
    "Deletes a contact for good. Warning: GHL also deletes the contact's tasks and notes, and this cannot be undone. The step's output keeps a record of what was deleted.",
  inputFields: [
    contactIdField({
      helpText: 'The contact to delete. Map the **Contact ID** from an earlier step (for example Find Contact), or pick one.',
    }),
    deleteTasksField,
  ],
  outputFields: [
    { key: 'id', label: 'ID' },
    { key: 'contactId', label: 'Contact ID' },
    { key: 'deleted', label: 'Deleted', type: 'boolean' },
    { key: 'name', label: 'Full Name' },
    { key: 'email', label: 'Email' },
    { key: 'phone', label: 'Phone' },
    { key: 'taskCount', label: 'Number of Tasks Deleted With It', type: 'integer' },
    { key: 'tasksDeleted[]id', label: 'Deleted Task IDs' },
    { key: 'tasksDeleted[]title', label: 'Deleted Task Titles' },
    { key: 'deletedAt', label: 'Deleted At', type: 'datetime' },
  ],
  sample: {
    id: contactSample.id,
    contactId: contactSample.contactId,
    deleted: true,
    name: contactSample.name,
    email: contactSample.email,
    phone: contactSample.phone,
    taskCount: 1,
    tasksDeleted: [{ id: taskSample.id, title: taskSample.title, dueDate: taskSample.dueDate, completed: taskSample.completed }],
    deletedAt: '2026-11-21T10:15:00.000Z',
  },
  parse: (read) => ({ contactId: read.requiredId('contactId'), deleteTasks: read.bool('deleteTasks') ?? true }),
  perform: async ({ z, api, input }) => {
    const { contactId } = input;
    const { contact, tasks } = await readContactWithTasks(z, api, contactId, 'nothing was deleted.');
    const tasksDeleted: ReturnType<typeof taskRecord>[] = [];
    if (input.deleteTasks && tasks.length) {
      // Together, in batches (one round trip per batch, and a contact with hundreds of tasks does not
      // spend GHL's 100-requests-per-10-s budget in one burst); allSettled so that a failure part-way
      // still says exactly which tasks are gone, and the contact is then left in place.
      for (let start = 0; start < tasks.length; start += TASK_DELETE_BATCH) {
        const batch = tasks.slice(start, start + TASK_DELETE_BATCH);
        const results = await Promise.allSettled(batch.map((task) => api.delete(path`/contacts/${contactId}/tasks/${task.id}`)));
        results.forEach((r, i) => r.status === 'fulfilled' && tasksDeleted.push(taskRecord(batch[i] as Task)));
        const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (!failure) continue;
        const done = tasksDeleted.map((t) => `"${t.title ?? t.id}"`).join(', ') || 'none';
        const reason = failure.reason as Error;
        // The token expired part-way: let Zapier refresh it and retry the step, which re-reads the tasks that are left.
        if (reason?.name === 'RefreshAuthError') throw reason;
        if (reason?.name === 'ThrottledError') {
          // Keep Zapier's retry-later with GHL's delay; the retry deletes the tasks that are left.
          const delay = Number((JSON.parse(reason.message) as { delay?: number }).delay) || DEFAULT_THROTTLE_DELAY_SECONDS;
          throw new z.errors.ThrottledError(
            `GHL's rate limit was reached while deleting the contact's tasks, so the contact was NOT deleted yet. Tasks already deleted: ${done}. Zapier will retry in ${delay} s.`,
            delay,
          );
        }
        throw new z.errors.Error(
          `Deleting the contact's tasks failed, so the contact was NOT deleted. Tasks already deleted: ${done}. First failure: ${zapierMessage(reason)}`,
          'partial_task_delete',
          502,
        );
      }
    }
    await api.delete<DeleteContactResponse>(path`/contacts/${contactId}`);
    return {
      id: contactId,
      contactId,
      deleted: true,
      name: contact.name,
      email: contact.email ?? null,
      phone: contact.phone ?? null,
      taskCount: tasks.length,
      tasksDeleted: input.deleteTasks ? tasksDeleted : tasks.map(taskRecord),
      deletedAt: new Date().toISOString(),
    };
  },
});
