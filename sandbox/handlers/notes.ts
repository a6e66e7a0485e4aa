/**
 * A contact's notes (contacts.json).
 */
import type { Contact, Note } from '../state/records.js';
import { badRequest } from '../http/errors.js';
import { getContact } from './contact-records.js';
import { bodyObj, type Handler, type HandlerCtx, type HandlerResult, type Obj } from './context.js';

/** As recorded: `bodyText`, `userId: null` without an author, `pinned`, `relations`. */
function noteOut(n: Note): Obj {
  return {
    id: n.id,
    body: n.body,
    bodyText: n.body.replace(/<[^>]*>/g, ''),
    userId: n.userId ?? null,
    dateAdded: n.dateAdded,
    contactId: n.contactId,
    title: n.title,
    color: n.color,
    pinned: n.pinned ?? false,
    relations: [],
  };
}

function getNote(ctx: HandlerCtx, c: Contact): Note {
  const id = ctx.params['id'] ?? '';
  const n = ctx.state.notes.get(id);
  if (!n || n.contactId !== c.id) throw badRequest(`Note with id ${id} not found`);
  return n;
}

function listNotes(ctx: HandlerCtx): HandlerResult {
  const c = getContact(ctx, ctx.params['contactId'] ?? '');
  const notes = [...ctx.state.notes.values()]
    .filter((n) => n.contactId === c.id)
    .sort((a, b) => (a.dateAdded < b.dateAdded ? 1 : a.dateAdded > b.dateAdded ? -1 : 0));
  return { status: 200, body: { notes: notes.map(noteOut) } };
}

function createNote(ctx: HandlerCtx): HandlerResult {
  const c = getContact(ctx, ctx.params['contactId'] ?? '');
  const b = bodyObj(ctx);
  const now = ctx.state.nowIso();
  const n: Note = {
    id: ctx.state.newId(),
    contactId: c.id,
    body: String(b['body']),
    userId: typeof b['userId'] === 'string' ? b['userId'] : undefined,
    title: typeof b['title'] === 'string' ? b['title'] : undefined,
    color: typeof b['color'] === 'string' ? b['color'] : undefined,
    pinned: typeof b['pinned'] === 'boolean' ? b['pinned'] : undefined,
    dateAdded: now,
    dateUpdated: now,
  };
  ctx.state.notes.set(n.id, n);
  return { status: 201, body: { note: noteOut(n) } };
}

function getNoteOp(ctx: HandlerCtx): HandlerResult {
  const c = getContact(ctx, ctx.params['contactId'] ?? '');
  return { status: 200, body: { note: noteOut(getNote(ctx, c)) } };
}

function updateNote(ctx: HandlerCtx): HandlerResult {
  const c = getContact(ctx, ctx.params['contactId'] ?? '');
  const n = getNote(ctx, c);
  const b = bodyObj(ctx);
  for (const k of ['body', 'userId', 'title', 'color'] as const) if (typeof b[k] === 'string') n[k] = b[k] as string;
  if (typeof b['pinned'] === 'boolean') n.pinned = b['pinned'];
  n.dateUpdated = ctx.state.nowIso();
  return { status: 200, body: { note: noteOut(n) } };
}

function deleteNote(ctx: HandlerCtx): HandlerResult {
  const c = getContact(ctx, ctx.params['contactId'] ?? '');
  const n = getNote(ctx, c);
  ctx.state.notes.delete(n.id);
  return { status: 200, body: { succeded: true, succeeded: true } };
}

export const NOTE_HANDLERS: Record<string, Handler> = {
  'contacts:get-all-notes': listNotes,
  'contacts:create-note': createNote,
  'contacts:get-note': getNoteOp,
  'contacts:update-note': updateNote,
  'contacts:delete-note': deleteNote,
};
