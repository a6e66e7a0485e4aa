import { ghlErrorFor, ghlMessage } from '../http/errors.js';
import { path } from '../http/ghl.js';
import { InvalidInputError } from '../lib/input.js';
import type { CreateNoteBody, Note, UpdateNoteBody } from '../ghl/types.js';
import { action, pollingTrigger, search, type OperationContext, type ResourceOperations } from '../operations/define.js';
import noteSample from '../samples/note.json' with { type: 'json' };
import { containsText, getContactNotes, isNotFoundResponse, newestFirst, type MissingContact } from './contacts/records.js';
import { contactIdField, noteIdField, userIdField } from './common/inputFields.js';
import { noteOutputFields, toNote, type NoteOutput } from './common/outputs.js';

/**
 * Notes: `/contacts/:contactId/notes/*` (docs/ghl-api.md §2.8–2.11). GHL has no location-wide note list
 * (§7), so New Note watches one chosen contact; `GET /contacts/:contactId/notes` returns all of its
 * notes at once, so none can be missed, and we sort them newest first by `dateAdded`.
 */

const byDateAdded = (n: NoteOutput) => n.dateAdded;

const authorField = userIdField({
  key: 'userId',
  label: 'Author',
  helpText: 'The GHL user shown as the author of the note. Leave empty for none.',
});

export const newNote = pollingTrigger({
  key: 'new_note',
  endpoints: ['GET /contacts/{contactId}/notes'],
  noun: 'Note',
  label: 'New Note',
  description: 'Triggers when a note is added to the chosen contact.',
  inputFields: [contactIdField({ helpText: 'The contact whose notes are watched. GHL can only list notes per contact.' })],
  outputFields: noteOutputFields,
  sample: noteSample,
  parse: (read) => ({ contactId: read.requiredId('contactId') }),
  perform: async ({ z, api, input }) => newestFirst(await getContactNotes({ z, api }, input.contactId), byDateAdded),
});

/** Dropdown labels: notes are often long or HTML; show the first line of text. */
const noteLabel = (body: string | undefined, id: string): string => {
  const text = (body ?? '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!text) return `(empty note ${id})`;
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

export const noteList = pollingTrigger({
  key: 'note_list',
  endpoints: ['GET /contacts/{contactId}/notes'],
  noun: 'Note',
  label: 'Note List',
  description: "Triggers when a note is added to a contact; lists the chosen contact's notes for dropdowns.",
  hidden: true,
  inputFields: [],
  sample: noteSample,
  // The dropdown sits on an action whose Contact field is filled first (`dependsOn`).
  parse: (read) => {
    const contactId = read.id('contactId');
    if (!contactId) throw new InvalidInputError('Choose a Contact first: this list shows the notes of the chosen contact.');
    return { contactId };
  },
  perform: async ({ z, api, input }) =>
    newestFirst(await getContactNotes({ z, api }, input.contactId), byDateAdded).map((n) => ({ ...n, body: noteLabel(n.body, n.id) })),
});

export const findNote = search({
  key: 'find_note',
  endpoints: ['GET /contacts/{contactId}/notes'],
  noun: 'Note',
  label: 'Find Note',
  description: "Finds a contact's note by text in its body, newest first.",
  inputFields: [
    contactIdField({ helpText: 'The contact whose notes are searched.' }),
    {
      key: 'text',
      label: 'Text Contains',
      required: false,
      helpText: "Text the note contains (not case-sensitive). Leave empty to get the contact's newest note.",
    },
  ],
  outputFields: noteOutputFields,
  sample: noteSample,
  parse: (read) => ({ contactId: read.requiredId('contactId'), text: read.text('text', { max: 1000 }) }),
  perform: async ({ z, api, input }) => {
    const notes = await getContactNotes({ z, api }, input.contactId, 'empty');
    const matches = input.text === undefined ? notes : notes.filter((n) => containsText(n.body, input.text as string));
    return newestFirst(matches, byDateAdded);
  },
});

const contactField = contactIdField({ helpText: 'The contact the note belongs to.' });

export const createNote = action({
  key: 'create_note',
  endpoints: ['GET /contacts/{contactId}/notes', 'POST /contacts/{contactId}/notes'],
  noun: 'Note',
  label: 'Create Note',
  description: 'Creates a note on a contact, unless the contact already has a note with the same text.',
  inputFields: [
    contactField,
    { key: 'body', label: 'Note', type: 'text', required: true, helpText: 'The text of the note.' },
    authorField,
    {
      key: 'skipIfSame',
      label: 'Skip If the Same Note Exists',
      type: 'boolean',
      required: false,
      default: 'true',
      helpText:
        'Yes (recommended) returns the existing note (Existing = true) when the contact already has a note with exactly this text, so a replayed Zap never adds it twice. No always creates a new note.',
    },
  ],
  outputFields: [...noteOutputFields, { key: 'existing', label: 'Existing (Same Note Was Already There)', type: 'boolean' }],
  sample: { ...noteSample, existing: false },
  parse: (read) => {
    const body: CreateNoteBody = { body: read.requiredText('body') };
    const userId = read.id('userId');
    if (userId) body.userId = userId;
    return { contactId: read.requiredId('contactId'), body, skipIfSame: read.bool('skipIfSame') ?? true };
  },
  perform: async ({ z, api, input }) => {
    if (input.skipIfSame) {
      // GHL has no idempotency key: look first, so a replay or a retry after a lost answer adds nothing.
      const same = (await getContactNotes({ z, api }, input.contactId)).find((n) => (n.body ?? '').trim() === input.body.body);
      if (same) return { ...same, existing: true };
    }
    const res = await api.post<{ note?: Note }>(path`/contacts/${input.contactId}/notes`, input.body);
    return { ...toNote({ ...input.body, ...(res.data?.note ?? {}) }, input.contactId), existing: false };
  },
});

export const updateNote = action({
  key: 'update_note',
  endpoints: ['PUT /contacts/{contactId}/notes/{id}'],
  noun: 'Note',
  label: 'Update Note',
  description: "Updates a note's text or author; fields left empty are not changed.",
  inputFields: [
    contactField,
    noteIdField({ dependsOn: ['contactId'] }),
    {
      key: 'body',
      label: 'Note Text',
      type: 'text',
      required: false,
      helpText: 'The new text of the note. Leave empty to keep the current text.',
    },
    userIdField({ key: 'userId', label: 'Author', helpText: 'The user to show as the author. Leave empty to keep the current author.' }),
  ],
  outputFields: noteOutputFields,
  sample: noteSample,
  parse: (read) => {
    const contactId = read.requiredId('contactId');
    const noteId = read.requiredId('noteId');
    const changes: UpdateNoteBody = {};
    const body = read.text('body');
    const userId = read.id('userId');
    if (body !== undefined) changes.body = body;
    if (userId !== undefined) changes.userId = userId;
    if (Object.keys(changes).length === 0) throw new InvalidInputError('Nothing to update: fill in the Note Text or the Author.');
    return { contactId, noteId, changes };
  },
  perform: async ({ api, input }) => {
    // The spec names this path parameter `id` (docs/ghl-api.md §2.11).
    const res = await api.put<{ note?: Note }>(path`/contacts/${input.contactId}/notes/${input.noteId}`, input.changes);
    return toNote({ id: input.noteId, ...input.changes, ...(res.data?.note ?? {}) }, input.contactId);
  },
});

/**
 * One note by id: `GET /contacts/:contactId/notes/:id` → `{ note }` (docs/ghl-api.md §2.10). A note that
 * is missing, or that belongs to another contact, is `undefined`: GHL answers 400 "Note with id …
 * not found" (404 on some paths). A missing contact is also `undefined` for a search (`'empty'`,
 * a Zapier search must not fail when nothing is found) and GHL's error for an action.
 */
const fetchNote = async (
  { z, api, input }: OperationContext<{ contactId: string; noteId: string }>,
  missingContact: MissingContact,
): Promise<NoteOutput | undefined> => {
  const res = await api.request<{ note?: Note | null }>({
    method: 'GET',
    path: path`/contacts/${input.contactId}/notes/${input.noteId}`,
    idempotent: true,
    skipThrowForStatus: true,
  });
  const says = ghlMessage(res.data) ?? '';
  if (isNotFoundResponse(res) && (missingContact === 'empty' || !/contact/i.test(says))) return undefined;
  const error = ghlErrorFor(z, res);
  if (error) throw error;
  const note = res.data?.note;
  if (!note || (note.contactId && note.contactId !== input.contactId)) return undefined;
  return toNote({ id: input.noteId, ...note }, input.contactId);
};

export const findNoteById = search({
  key: 'find_note_by_id',
  endpoints: ['GET /contacts/{contactId}/notes/{id}'],
  noun: 'Note',
  label: 'Find Note by ID',
  description: "Finds a contact's note by its ID.",
  inputFields: [contactIdField({ helpText: 'The contact the note belongs to.' }), noteIdField({ dependsOn: ['contactId'] })],
  outputFields: noteOutputFields,
  sample: noteSample,
  parse: (read) => ({ contactId: read.requiredId('contactId'), noteId: read.requiredId('noteId') }),
  perform: async (ctx) => {
    const note = await fetchNote(ctx, 'empty');
    return note ? [note] : [];
  },
});

export const deleteNote = action({
  key: 'delete_note',
  endpoints: ['GET /contacts/{contactId}/notes/{id}', 'DELETE /contacts/{contactId}/notes/{id}'],
  noun: 'Note',
  label: 'Delete Note',
  description: 'Deletes a note from a contact and returns what was deleted.',
  inputFields: [contactField, noteIdField({ dependsOn: ['contactId'] })],
  outputFields: [...noteOutputFields, { key: 'deleted', label: 'Deleted', type: 'boolean' }],
  sample: { ...noteSample, deleted: true },
  parse: (read) => ({ contactId: read.requiredId('contactId'), noteId: read.requiredId('noteId') }),
  perform: async (ctx) => {
    // Read first: the output keeps what was deleted, and a wrong id is reported instead of sent to DELETE.
    const note = await fetchNote(ctx, 'throw');
    if (!note) {
      throw new ctx.z.errors.Error(
        `No note "${ctx.input.noteId}" on this contact; nothing was deleted. It may have been deleted already, or belong to another contact.`,
        'note_not_found',
        404,
      );
    }
    const res = await ctx.api.delete<{ succeded?: boolean }>(path`/contacts/${ctx.input.contactId}/notes/${ctx.input.noteId}`);
    if (res.data?.succeded === false) {
      throw new ctx.z.errors.Error(
        `GHL did not delete note "${ctx.input.noteId}" (it answered succeded: false). Nothing was changed; retrying the step may help.`,
        'ghl_not_deleted',
        502,
      );
    }
    return { ...note, deleted: true };
  },
});

export const notesOperations: ResourceOperations = {
  triggers: [newNote, noteList],
  searches: [findNote, findNoteById],
  creates: [createNote, updateNote, deleteNote],
};
