/**
 * Tasks: a contact's tasks (contacts.json) and the location's task search (locations.json `task-search`).
 */
import type { Contact, Task } from '../state/records.js';
import { badRequest } from '../http/errors.js';
import { getContact } from './contact-records.js';
import { bodyObj, type Handler, type HandlerCtx, type HandlerResult, type Obj } from './context.js';

/**
 * A task as the contact task endpoints answer it: no dates besides `dueDate` (recorded; the spec's
 * TaskSchema has none either). The location task search keeps its dates (see taskSearch).
 */
export function taskOut(t: Task, opts: { withDates?: boolean } = {}): Obj {
  return {
    id: t.id,
    title: t.title,
    body: t.body,
    dueDate: t.dueDate,
    completed: t.completed,
    contactId: t.contactId,
    assignedTo: t.assignedTo,
    ...(opts.withDates ? { dateAdded: t.dateAdded, dateUpdated: t.dateUpdated } : {}),
  };
}

function getTask(ctx: HandlerCtx, contact: Contact): Task {
  const id = ctx.params['taskId'] ?? '';
  const t = ctx.state.tasks.get(id);
  if (!t || t.contactId !== contact.id) throw badRequest(`Task with id ${id} not found`);
  return t;
}

function normalizeDue(v: unknown): string {
  if (typeof v !== 'string') return String(v);
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? v : d.toISOString();
}

function listTasks(ctx: HandlerCtx): HandlerResult {
  const c = getContact(ctx, ctx.params['contactId'] ?? '');
  const tasks = [...ctx.state.tasks.values()]
    .filter((t) => t.contactId === c.id)
    .sort((a, b) => (a.dateAdded < b.dateAdded ? -1 : a.dateAdded > b.dateAdded ? 1 : 0));
  return { status: 200, body: { tasks: tasks.map((t) => taskOut(t)) } };
}

function createTask(ctx: HandlerCtx): HandlerResult {
  const c = getContact(ctx, ctx.params['contactId'] ?? '');
  const b = bodyObj(ctx);
  const now = ctx.state.nowIso();
  const t: Task = {
    id: ctx.state.newId(),
    locationId: c.locationId,
    contactId: c.id,
    title: String(b['title']),
    body: typeof b['body'] === 'string' ? b['body'] : undefined,
    dueDate: normalizeDue(b['dueDate']),
    completed: b['completed'] === true,
    assignedTo: typeof b['assignedTo'] === 'string' ? b['assignedTo'] : undefined,
    dateAdded: now,
    dateUpdated: now,
  };
  ctx.state.tasks.set(t.id, t);
  return { status: 201, body: { task: taskOut(t) } };
}

function getTaskOp(ctx: HandlerCtx): HandlerResult {
  const c = getContact(ctx, ctx.params['contactId'] ?? '');
  return { status: 200, body: { task: taskOut(getTask(ctx, c)) } };
}

function updateTask(ctx: HandlerCtx): HandlerResult {
  const c = getContact(ctx, ctx.params['contactId'] ?? '');
  const t = getTask(ctx, c);
  const b = bodyObj(ctx);
  if (typeof b['title'] === 'string') t.title = b['title'];
  if (typeof b['body'] === 'string') t.body = b['body'];
  if (b['dueDate'] !== undefined) t.dueDate = normalizeDue(b['dueDate']);
  if (typeof b['completed'] === 'boolean') t.completed = b['completed'];
  if (typeof b['assignedTo'] === 'string') t.assignedTo = b['assignedTo'];
  t.dateUpdated = ctx.state.nowIso();
  return { status: 200, body: { task: taskOut(t) } };
}

function completeTask(ctx: HandlerCtx): HandlerResult {
  const c = getContact(ctx, ctx.params['contactId'] ?? '');
  const t = getTask(ctx, c);
  t.completed = bodyObj(ctx)['completed'] === true;
  t.dateUpdated = ctx.state.nowIso();
  return { status: 200, body: { task: taskOut(t) } };
}

function deleteTask(ctx: HandlerCtx): HandlerResult {
  const c = getContact(ctx, ctx.params['contactId'] ?? '');
  const t = getTask(ctx, c);
  ctx.state.tasks.delete(t.id);
  return { status: 200, body: { succeded: true, succeeded: true } };
}

/**
 * POST /locations/:locationId/tasks/search. The spec gives no order for the results; the sandbox
 * ASSUMES newest first (dateAdded descending, then id). Output items are
 * `{ id, title, body, dueDate, completed, contactId, assignedTo, dateAdded, dateUpdated }`.
 */
function taskSearch(ctx: HandlerCtx): HandlerResult {
  const b = bodyObj(ctx);
  const contactIds = Array.isArray(b['contactId']) ? (b['contactId'] as string[]) : undefined;
  const assignedTo = Array.isArray(b['assignedTo']) ? (b['assignedTo'] as string[]) : undefined;
  const completed = typeof b['completed'] === 'boolean' ? b['completed'] : undefined;
  const query = typeof b['query'] === 'string' ? b['query'].toLowerCase() : '';
  const businessId = typeof b['businessId'] === 'string' ? b['businessId'] : undefined;
  const limit = typeof b['limit'] === 'number' ? b['limit'] : 25;
  const skip = typeof b['skip'] === 'number' ? b['skip'] : 0;
  const list = [...ctx.state.tasks.values()]
    .filter((t) => {
      if (t.locationId !== ctx.locationId) return false;
      if (contactIds && !contactIds.includes(t.contactId)) return false;
      if (assignedTo && !(t.assignedTo && assignedTo.includes(t.assignedTo))) return false;
      if (completed !== undefined && t.completed !== completed) return false;
      if (query && !`${t.title} ${t.body ?? ''}`.toLowerCase().includes(query)) return false;
      if (businessId && ctx.state.contacts.get(t.contactId)?.businessId !== businessId) return false;
      return true;
    })
    .sort((a, b2) => (a.dateAdded < b2.dateAdded ? 1 : a.dateAdded > b2.dateAdded ? -1 : a.id < b2.id ? 1 : a.id > b2.id ? -1 : 0));
  return { status: 200, body: { tasks: list.slice(skip, skip + limit).map((t) => taskOut(t, { withDates: true })) } };
}

export const TASK_HANDLERS: Record<string, Handler> = {
  'contacts:get-all-tasks': listTasks,
  'contacts:create-task': createTask,
  'contacts:get-task': getTaskOp,
  'contacts:update-task': updateTask,
  'contacts:delete-task': deleteTask,
  'contacts:update-task-completed': completeTask,
  'locations:task-search': taskSearch,
};
