import { ghlErrorFor, ghlMessage } from '../http/errors.js';
import { path, type GhlClient } from '../http/ghl.js';
import { InvalidInputError } from '../lib/input.js';
import type { CreateTaskBody, LocationTaskSearchBody, SearchedTasksResponse, Task, UpdateTaskBody } from '../ghl/types.js';
import { action, pollingTrigger, search, type OperationContext, type OutputField, type ResourceOperations } from '../operations/define.js';
import taskSample from '../samples/task.json' with { type: 'json' };
import { containsText, getContactTasks, newestFirst } from './contacts/records.js';
import { contactIdField, taskIdField, userIdField } from './common/inputFields.js';
import { taskOutputFields, toTask, type TaskOutput } from './common/outputs.js';

/**
 * Tasks: `/contacts/:contactId/tasks/*` (docs/ghl-api.md §2.2–2.7) and the location-wide task search
 * `POST /locations/:locationId/tasks/search` (§2.25, scope `locations/tasks.readonly`).
 *
 * How New Task / Task Completed avoid missing a task (one request per poll):
 *
 * - With a Contact chosen, `GET /contacts/:contactId/tasks` returns ALL of that contact's tasks
 *   (no pagination), so nothing can be missed; we only sort them newest first.
 * - Without one, we poll the location task search. Its spec (openapi/apps/locations.json,
 *   `task-search`, TaskSearchParamsDto) documents no order and no sort parameter: its only paging
 *   fields are `limit` ("Limit To Api", `default: 25`, no maximum) and `skip` ("Number Of Tasks To
 *   Skip", `default: 0`), and it types the items as arrays. So we ask for the largest page we can
 *   justify (100: the spec documents no maximum, and Zapier's polling guide calls ~100 newest
 *   items plenty), narrow the set with the `completed` filter (New Task asks for open tasks only,
 *   Task Completed for completed ones) and sort the page client-side, newest first by `dateAdded`
 *   (falling back to `dueDate`) — or, for completions, by `dateUpdated`.
 * - Remaining risk, stated plainly: if GHL's own order is not newest first and the sub-account
 *   has more than 100 open (or completed) tasks, a new task can fall outside the page and is
 *   missed. Choosing a Contact removes the risk for that contact. A task created already
 *   completed is not a New Task (Task Completed reports it).
 */

/** Largest page asked of the task search (spec: `limit` default 25, no maximum documented). */
export const TASK_SEARCH_PAGE_SIZE = 100;

export const searchLocationTasks = async (api: GhlClient, locationId: string, completed: boolean): Promise<TaskOutput[]> => {
  const body: LocationTaskSearchBody = { completed, limit: TASK_SEARCH_PAGE_SIZE, skip: 0 };
  // A search only reads, so it may be retried after a dropped connection.
  const res = await api.request<SearchedTasksResponse>({
    method: 'POST',
    path: path`/locations/${locationId}/tasks/search`,
    body,
    idempotent: true,
  });
  // The spec types the items as arrays and GHL's answers are not checked: keep only objects with an id,
  // so that no output is ever keyed "undefined" (Task Completed's id is `<taskId>:<dateUpdated>`).
  const items: unknown[] = Array.isArray(res.data?.tasks) ? res.data.tasks : [];
  return (items.filter(isIdentifiedTask) as NonNullable<SearchedTasksResponse['tasks']>)
    .filter((t) => t.deleted !== true && (t.completed === undefined || t.completed === completed))
    .map((t) => toTask({ ...t, completed: t.completed ?? completed }));
};

const isIdentifiedTask = (t: unknown): boolean => {
  if (t === null || typeof t !== 'object' || Array.isArray(t)) return false;
  const { id, _id } = t as { id?: unknown; _id?: unknown };
  return (typeof id === 'string' && id !== '') || (typeof _id === 'string' && _id !== '');
};

const addedAt = (t: TaskOutput) => t.dateAdded ?? t.dueDate;

/** Task Completed: a completion is identified by the task and when it was last updated (see below). */
export const toCompletion = (t: TaskOutput) => ({ ...t, id: `${t.taskId}:${t.dateUpdated ?? 'completed'}` });

const contactFilter = contactIdField({
  required: false,
  helpText: "Only this contact's tasks. Leave empty to watch every contact in the sub-account.",
});

// ---- Triggers ----

export const newTask = pollingTrigger({
  key: 'new_task',
  endpoints: ['POST /locations/{locationId}/tasks/search', 'GET /contacts/{contactId}/tasks'],
  noun: 'Task',
  label: 'New Task',
  description: 'Triggers when a new open task is added, in the whole sub-account or for one contact.',
  inputFields: [contactFilter],
  outputFields: taskOutputFields,
  sample: taskSample,
  parse: (read) => ({ contactId: read.id('contactId') }),
  perform: async ({ z, api, input, locationId }) => {
    const tasks = input.contactId
      ? (await getContactTasks({ z, api }, input.contactId)).filter((t) => !t.completed)
      : await searchLocationTasks(api, locationId, false);
    return newestFirst(tasks, addedAt);
  },
});

/**
 * The item id is `${taskId}:${dateUpdated ?? 'completed'}`. Location search items carry
 * `dateUpdated`, so a task completed, re-opened and completed again triggers again (each
 * completion is a new event); the cost is that editing a task while it is completed also changes
 * `dateUpdated` and re-triggers it. The per-contact list has no `dateUpdated`, so there a task
 * triggers once, on its first completion. `taskId` always holds the real task id.
 */
export const taskCompleted = pollingTrigger({
  key: 'task_completed',
  endpoints: ['POST /locations/{locationId}/tasks/search', 'GET /contacts/{contactId}/tasks'],
  noun: 'Task',
  label: 'Task Completed',
  description: 'Triggers when a task is marked completed, in the whole sub-account or for one contact.',
  inputFields: [contactFilter],
  outputFields: taskOutputFields.map((f): OutputField => {
    if (f.key === 'id') return { ...f, label: 'Completion ID (Task ID and Completion Time)' };
    if (f.key === 'taskId') return { ...f, label: 'Task ID' };
    return f;
  }),
  sample: {
    ...taskSample,
    id: `${taskSample.id}:2026-12-01T16:20:00.000Z`,
    completed: true,
    dateAdded: '2026-11-20T09:30:00.000Z',
    dateUpdated: '2026-12-01T16:20:00.000Z',
  },
  parse: (read) => ({ contactId: read.id('contactId') }),
  perform: async ({ z, api, input, locationId }) => {
    const tasks = input.contactId
      ? (await getContactTasks({ z, api }, input.contactId)).filter((t) => t.completed)
      : await searchLocationTasks(api, locationId, true);
    return newestFirst(tasks.map(toCompletion), (t) => t.dateUpdated ?? addedAt(t));
  },
});

export const taskList = pollingTrigger({
  key: 'task_list',
  endpoints: ['GET /contacts/{contactId}/tasks'],
  noun: 'Task',
  label: 'Task List',
  description: "Triggers when a task is added to a contact; lists the chosen contact's tasks for dropdowns.",
  hidden: true,
  inputFields: [],
  sample: taskSample,
  // The dropdown sits on an action whose Contact field is filled first (`dependsOn`); Zapier passes
  // that action's input here.
  parse: (read) => {
    const contactId = read.id('contactId');
    if (!contactId) throw new InvalidInputError('Choose a Contact first: this list shows the tasks of the chosen contact.');
    return { contactId };
  },
  perform: async ({ z, api, input }) => {
    const tasks = await getContactTasks({ z, api }, input.contactId);
    // Open tasks first (the ones users act on), each group newest first; untitled tasks stay pickable.
    const open = newestFirst(
      tasks.filter((t) => !t.completed),
      addedAt,
    );
    const done = newestFirst(
      tasks.filter((t) => t.completed),
      addedAt,
    );
    return [...open, ...done].map((t) => ({ ...t, title: t.title || `(untitled task ${t.id})` }));
  },
});

// ---- Search ----

const STATUSES = ['any', 'open', 'completed'] as const;

export const findTask = search({
  key: 'find_task',
  endpoints: ['GET /contacts/{contactId}/tasks'],
  noun: 'Task',
  label: 'Find Task',
  description: "Finds a contact's task by title and/or status, newest first.",
  inputFields: [
    contactIdField({ helpText: 'The contact whose tasks are searched.' }),
    {
      key: 'title',
      label: 'Title Contains',
      required: false,
      helpText: 'Text the task title contains (not case-sensitive). Leave empty to match any title.',
    },
    {
      key: 'status',
      label: 'Status',
      required: false,
      choices: { any: 'Any', open: 'Open', completed: 'Completed' },
      default: 'any',
      helpText: 'Only open tasks, only completed tasks, or both.',
    },
  ],
  outputFields: taskOutputFields,
  sample: taskSample,
  parse: (read) => ({
    contactId: read.requiredId('contactId'),
    title: read.text('title', { max: 500 }),
    status: read.choice('status', STATUSES) ?? 'any',
  }),
  perform: async ({ z, api, input }) => {
    const tasks = await getContactTasks({ z, api }, input.contactId, 'empty');
    const matches = tasks.filter(
      (t) =>
        (input.title === undefined || containsText(t.title, input.title)) &&
        (input.status === 'any' || (input.status === 'completed') === t.completed),
    );
    return newestFirst(matches, addedAt);
  },
});

// ---- Actions ----

const dueDateField = (required: boolean) => ({
  key: 'dueDate',
  label: 'Due Date',
  type: 'datetime',
  required,
  helpText: required
    ? 'When the task is due. GHL requires a due date. A value without a time zone is read in the Zap’s time zone.'
    : 'The new due date. Leave empty to keep the current one. A value without a time zone is read in the Zap’s time zone.',
});

const contactField = contactIdField({ helpText: 'The contact the task belongs to.' });

const skipIfSameField = {
  key: 'skipIfSame',
  label: 'Skip If the Same Task Exists',
  type: 'boolean',
  required: false,
  default: 'true',
  helpText:
    'Yes (recommended) returns the existing task (Existing = true) when the contact already has one with this title and due date, so a replayed Zap never adds it twice. No always creates a new task.',
};
const taskField = taskIdField({ dependsOn: ['contactId'] });

const taskFromAnswer = (data: { task?: Task } | undefined, fallback: Task, contactId: string): TaskOutput =>
  toTask({ ...fallback, ...(data?.task ?? {}) }, contactId);

export const createTask = action({
  key: 'create_task',
  endpoints: ['GET /contacts/{contactId}/tasks', 'POST /contacts/{contactId}/tasks'],
  noun: 'Task',
  label: 'Create Task',
  description: 'Creates a task on a contact, unless the contact already has a task with the same title and due date.',
  inputFields: [
    contactField,
    { key: 'title', label: 'Title', required: true, helpText: 'What has to be done, e.g. "Call about the wholesale order".' },
    dueDateField(true),
    { key: 'body', label: 'Description', type: 'text', required: false, helpText: 'Details of the task.' },
    userIdField({ helpText: 'The GHL user the task is assigned to. Leave empty for nobody.' }),
    {
      key: 'completed',
      label: 'Completed',
      type: 'boolean',
      required: false,
      default: 'false',
      helpText: 'Create the task already marked as completed.',
    },
    skipIfSameField,
  ],
  outputFields: [...taskOutputFields, { key: 'existing', label: 'Existing (Same Task Was Already There)', type: 'boolean' }],
  sample: { ...taskSample, existing: false },
  parse: (read, { bundle }) => ({
    contactId: read.requiredId('contactId'),
    skipIfSame: read.bool('skipIfSame') ?? true,
    body: {
      title: read.requiredText('title', { max: 500 }),
      body: read.text('body'),
      dueDate: read.dateTime('dueDate', { required: true, timezone: bundle.meta?.timezone ?? undefined }) as string,
      completed: read.bool('completed') ?? false,
      assignedTo: read.id('assignedTo'),
    } satisfies CreateTaskBody,
  }),
  perform: async ({ z, api, input, bundle }) => {
    const body = Object.fromEntries(Object.entries(input.body).filter(([, v]) => v !== undefined)) as CreateTaskBody;
    // Inside Find or Create Task the search has just looked (Zapier sets meta.withSearch): no second look.
    if (input.skipIfSame && !bundle.meta?.withSearch) {
      // GHL has no idempotency key: a replayed Zap (or Zapier's retry after a lost answer) would add
      // the same task again, so look first. Same title and same due instant = the same task.
      const due = Date.parse(body.dueDate);
      const same = (await getContactTasks({ z, api }, input.contactId)).find(
        (t) => (t.title ?? '').trim() === body.title && Date.parse(t.dueDate ?? '') === due,
      );
      if (same) return { ...same, existing: true };
    }
    const res = await api.post<{ task?: Task }>(path`/contacts/${input.contactId}/tasks`, body);
    return { ...taskFromAnswer(res.data, body, input.contactId), existing: false };
  },
});

export const updateTask = action({
  key: 'update_task',
  endpoints: ['PUT /contacts/{contactId}/tasks/{taskId}'],
  noun: 'Task',
  label: 'Update Task',
  description: "Updates a task's title, description, due date, assignee or completion; fields left empty are not changed.",
  inputFields: [
    contactField,
    taskField,
    { key: 'title', label: 'Title', required: false, helpText: 'The new title. Leave empty to keep the current one.' },
    dueDateField(false),
    {
      key: 'body',
      label: 'Description',
      type: 'text',
      required: false,
      helpText: 'The new description. Leave empty to keep the current one.',
    },
    userIdField({ helpText: 'The user to assign the task to. Leave empty to keep the current assignee.' }),
    {
      key: 'completed',
      label: 'Completed',
      type: 'boolean',
      required: false,
      helpText: 'Yes marks the task completed, No re-opens it. Leave empty to keep its state.',
    },
  ],
  outputFields: taskOutputFields,
  sample: taskSample,
  parse: (read, { bundle }) => {
    const contactId = read.requiredId('contactId');
    const taskId = read.requiredId('taskId');
    const changes: UpdateTaskBody = {};
    const title = read.text('title', { max: 500 });
    const body = read.text('body');
    const dueDate = read.dateTime('dueDate', { timezone: bundle.meta?.timezone ?? undefined });
    const assignedTo = read.id('assignedTo');
    const completed = read.bool('completed');
    if (title !== undefined) changes.title = title;
    if (body !== undefined) changes.body = body;
    if (dueDate !== undefined) changes.dueDate = dueDate;
    if (assignedTo !== undefined) changes.assignedTo = assignedTo;
    if (completed !== undefined) changes.completed = completed;
    if (Object.keys(changes).length === 0) {
      throw new InvalidInputError('Nothing to update: fill in at least one of Title, Due Date, Description, Assigned User or Completed.');
    }
    return { contactId, taskId, changes };
  },
  perform: async ({ api, input }) => {
    const res = await api.put<{ task?: Task }>(path`/contacts/${input.contactId}/tasks/${input.taskId}`, input.changes);
    return taskFromAnswer(res.data, { id: input.taskId, ...input.changes }, input.contactId);
  },
});

export const completeTask = action({
  key: 'complete_task',
  endpoints: ['PUT /contacts/{contactId}/tasks/{taskId}/completed'],
  noun: 'Task',
  label: 'Complete Task',
  description: 'Marks a task as completed, or re-opens it.',
  inputFields: [
    contactField,
    taskField,
    {
      key: 'markAs',
      label: 'Mark As',
      required: true,
      choices: { completed: 'Completed', open: 'Open (re-open the task)' },
      default: 'completed',
      helpText: 'Completed closes the task; Open re-opens a completed task.',
    },
  ],
  outputFields: taskOutputFields,
  sample: { ...taskSample, completed: true },
  parse: (read) => ({
    contactId: read.requiredId('contactId'),
    taskId: read.requiredId('taskId'),
    completed: (read.choice('markAs', ['completed', 'open'] as const) ?? 'completed') === 'completed',
  }),
  perform: async ({ api, input }) => {
    const res = await api.put<{ task?: Task }>(path`/contacts/${input.contactId}/tasks/${input.taskId}/completed`, {
      completed: input.completed,
    });
    return taskFromAnswer(res.data, { id: input.taskId, completed: input.completed }, input.contactId);
  },
});

/**
 * Looks the task up before deleting it, so the step's output still describes what was deleted and a
 * task that is not there (wrong id, another contact's task, already deleted) is reported instead of
 * being passed to DELETE. GHL's answer for a missing task is not documented: a 404, a 400 "… not
 * found" that does not name the contact, an empty `task`, or a task of another contact all count.
 */
const fetchTaskToDelete = async ({ z, api, input }: OperationContext<{ contactId: string; taskId: string }>): Promise<TaskOutput> => {
  const res = await api.request<{ task?: Task | null }>({
    method: 'GET',
    path: path`/contacts/${input.contactId}/tasks/${input.taskId}`,
    idempotent: true,
    skipThrowForStatus: true,
  });
  const missing = () =>
    new z.errors.Error(
      `No task "${input.taskId}" on this contact; nothing was deleted. It may have been deleted already, or belong to another contact.`,
      'task_not_found',
      404,
    );
  if (res.status === 404) throw missing();
  if (res.status === 400) {
    const says = ghlMessage(res.data) ?? '';
    if (/not found/i.test(says) && !/contact/i.test(says)) throw missing();
  }
  const error = ghlErrorFor(z, res);
  if (error) throw error;
  const task = res.data?.task;
  if (!task || (task.contactId && task.contactId !== input.contactId)) throw missing();
  return toTask({ id: input.taskId, ...task }, input.contactId);
};

export const deleteTask = action({
  key: 'delete_task',
  endpoints: ['GET /contacts/{contactId}/tasks/{taskId}', 'DELETE /contacts/{contactId}/tasks/{taskId}'],
  noun: 'Task',
  label: 'Delete Task',
  description: 'Deletes a task from a contact and returns what was deleted.',
  inputFields: [contactField, taskField],
  outputFields: [
    { key: 'id', label: 'ID' },
    { key: 'taskId', label: 'Task ID' },
    { key: 'contactId', label: 'Contact ID' },
    { key: 'title', label: 'Title' },
    { key: 'dueDate', label: 'Due Date', type: 'datetime' },
    { key: 'completed', label: 'Completed', type: 'boolean' },
    { key: 'deleted', label: 'Deleted', type: 'boolean' },
  ],
  sample: {
    id: taskSample.id,
    taskId: taskSample.taskId,
    contactId: taskSample.contactId,
    title: taskSample.title,
    dueDate: taskSample.dueDate,
    completed: false,
    deleted: true,
  },
  parse: (read) => ({ contactId: read.requiredId('contactId'), taskId: read.requiredId('taskId') }),
  perform: async (ctx) => {
    const task = await fetchTaskToDelete(ctx);
    const res = await ctx.api.delete<{ succeded?: boolean }>(path`/contacts/${ctx.input.contactId}/tasks/${ctx.input.taskId}`);
    // GHL answers `{ succeded: true }` (sic, docs/ghl-api.md §2.7); an explicit false means nothing was deleted.
    if (res.data?.succeded === false) {
      throw new ctx.z.errors.Error(
        `GHL did not delete task "${ctx.input.taskId}" (it answered succeded: false). Nothing was changed; retrying the step may help.`,
        'ghl_not_deleted',
        502,
      );
    }
    return {
      id: task.id,
      taskId: task.taskId,
      contactId: task.contactId ?? ctx.input.contactId,
      title: task.title,
      dueDate: task.dueDate,
      completed: task.completed,
      deleted: true,
    };
  },
});

export const tasksOperations: ResourceOperations = {
  triggers: [newTask, taskCompleted, taskList],
  searches: [findTask],
  creates: [createTask, updateTask, completeTask, deleteTask],
};

/**
 * Find or Create Task: a replayed Zap (the same Ecwid event twice) finds the task it created the
 * first time instead of adding a second one. Contact and title are the natural key.
 */
export const taskSearchOrCreates = {
  find_task: {
    key: 'find_task',
    display: {
      label: 'Find or Create Task',
      description: 'Finds a task on a contact by title, or creates it if the contact has no such task.',
    },
    search: 'find_task',
    create: 'create_task',
  },
};
