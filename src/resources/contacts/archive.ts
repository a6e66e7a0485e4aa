import { path } from '../../http/ghl.js';
import type { Task } from '../../ghl/types.js';
import { action } from '../../operations/define.js';
import contactSample from '../../samples/contact.json' with { type: 'json' };
import taskSample from '../../samples/task.json' with { type: 'json' };
import { contactIdField } from '../common/inputFields.js';
import { readContactWithTasks, taskRecord } from './requests.js';

/** Archive Contact (the soft removal): a tag and its open tasks completed, nothing deleted. */

export const archiveContact = action({
  key: 'archive_contact',
  endpoints: [
    'GET /contacts/{contactId}',
    'GET /contacts/{contactId}/tasks',
    'POST /contacts/{contactId}/tags',
    'PUT /contacts/{contactId}/tasks/{taskId}/completed',
  ],
  noun: 'Contact',
  label: 'Archive Contact',
  description:
    'Archives a contact without deleting anything: adds a tag (e.g. ecwid-deleted) and marks its open tasks completed. Use it instead of Delete Contact to keep the history.',
  inputFields: [
    contactIdField({
      helpText: 'The contact to archive. Map the **Contact ID** from an earlier step (for example Find Contact), or pick one.',
    }),
    {
      key: 'tag',
      label: 'Archive Tag',
      required: true,
      default: 'archived',
      helpText: 'The tag that marks the contact as archived, so other Zaps and smart lists can leave it out. Other tags stay.',
    },
    {
      key: 'completeTasks',
      label: 'Complete Open Tasks',
      required: false,
      type: 'boolean',
      default: 'true',
      helpText: 'Yes marks every open task of the contact completed, so nobody follows up with a customer who left.',
    },
  ],
  outputFields: [
    { key: 'id', label: 'ID' },
    { key: 'contactId', label: 'Contact ID' },
    { key: 'archived', label: 'Archived', type: 'boolean' },
    { key: 'name', label: 'Full Name' },
    { key: 'email', label: 'Email' },
    { key: 'tags', label: 'Tags (After the Change)', list: true },
    { key: 'tasksCompleted[]id', label: 'Completed Task IDs' },
    { key: 'tasksCompleted[]title', label: 'Completed Task Titles' },
    { key: 'archivedAt', label: 'Archived At', type: 'datetime' },
  ],
  sample: {
    id: contactSample.id,
    contactId: contactSample.contactId,
    archived: true,
    name: contactSample.name,
    email: contactSample.email,
    tags: [...contactSample.tags, 'ecwid-deleted'],
    tasksCompleted: [{ id: taskSample.id, title: taskSample.title, dueDate: taskSample.dueDate, completed: true }],
    archivedAt: '2026-11-21T10:15:00.000Z',
  },
  parse: (read) => ({
    contactId: read.requiredId('contactId'),
    tag: read.requiredText('tag', { max: 100 }),
    completeTasks: read.bool('completeTasks') ?? true,
  }),
  perform: async ({ z, api, input }) => {
    const { contactId } = input;
    const { contact, tasks } = await readContactWithTasks(z, api, contactId, 'nothing was archived.');
    const open = input.completeTasks ? tasks.filter((t) => !t.completed) : [];
    // The tag and the task completions are independent: one round trip for all of them.
    const [tagged, completed] = await Promise.all([
      api.post<{ tags?: string[] }>(path`/contacts/${contactId}/tags`, { tags: [input.tag] }),
      Promise.all(
        open.map((t) =>
          api
            .put<{ task?: Task }>(path`/contacts/${contactId}/tasks/${t.id}/completed`, { completed: true })
            .then(() => ({ ...taskRecord(t), completed: true })),
        ),
      ),
    ]);
    return {
      id: contactId,
      contactId,
      archived: true,
      name: contact.name,
      email: contact.email ?? null,
      tags: tagged.data.tags ?? [...contact.tags, input.tag],
      tasksCompleted: completed,
      archivedAt: new Date().toISOString(),
    };
  },
});
