import { create, ghlApi, perform, search, trigger } from '../helpers.js';
import { rejectsWithAppError } from './zapierErrors.js';

const CONTACT = 'nmFmQEsNgz6AVpgLVUJ0';
const USER = 'Hk3gp0uYXhRr4xXjT2bV';
const NOTES_PATH = `/contacts/${CONTACT}/notes`;

const requiredError = (label: string) => `"${label}" is required but was empty. Map a value to it in the Zap editor.`;
const idError = (label: string, value: string) =>
  `"${label}" must be a GHL id (letters and digits, like "nmFmQEsNgz6AVpgLVUJ0"), but got "${value}". Pick a value from the dropdown or map the id field of an earlier step.`;

const note = (id: string, body: string, dateAdded: string) => ({
  id,
  body,
  userId: USER,
  dateAdded,
  contactId: CONTACT,
  title: '',
  color: '#FFAA00',
  pinned: false,
});
const noteOut = (id: string, body: string, dateAdded: string) => ({ id, noteId: id, contactId: CONTACT, body, userId: USER, dateAdded });

const notes = [
  note('n1', 'Prefers delivery on Tuesdays.', '2026-11-18T16:05:00.000Z'),
  note('n2', '<p>Asked for a <b>wholesale</b> quote</p>', '2026-11-25T09:00:00.000Z'),
  note('n3', 'Wholesale pricing sent by email.', '2026-11-20T12:00:00.000Z'),
];

describe('new_note', () => {
  const op = trigger('new_note');

  it("lists the contact's notes newest first", async () => {
    const scope = ghlApi().get(NOTES_PATH).reply(200, { notes });
    expect(await perform(op, { contactId: CONTACT })).toEqual([
      noteOut('n2', '<p>Asked for a <b>wholesale</b> quote</p>', '2026-11-25T09:00:00.000Z'),
      noteOut('n3', 'Wholesale pricing sent by email.', '2026-11-20T12:00:00.000Z'),
      noteOut('n1', 'Prefers delivery on Tuesdays.', '2026-11-18T16:05:00.000Z'),
    ]);
    scope.done();
  });

  it('returns [] for a contact without notes', async () => {
    const scope = ghlApi().get(NOTES_PATH).reply(200, { notes: [] });
    expect(await perform(op, { contactId: CONTACT })).toEqual([]);
    scope.done();
  });

  it('requires a contact, before any request', async () => {
    await rejectsWithAppError(perform(op, {}), requiredError('Contact'), 'invalid_input', 400);
  });

  it("lets GHL's error through when the contact no longer exists", async () => {
    const scope = ghlApi()
      .get(NOTES_PATH)
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

describe('note_list (dropdown)', () => {
  const op = trigger('note_list');

  it('lists notes newest first with a readable one-line label in `body`', async () => {
    const long = `Called about the order. ${'x'.repeat(100)}`;
    const scope = ghlApi()
      .get(NOTES_PATH)
      .reply(200, { notes: [...notes, note('n4', long, '2026-11-01T00:00:00.000Z'), note('n5', '<p> </p>', '2026-10-01T00:00:00.000Z')] });
    expect(await perform(op, { contactId: CONTACT })).toEqual([
      noteOut('n2', 'Asked for a wholesale quote', '2026-11-25T09:00:00.000Z'),
      noteOut('n3', 'Wholesale pricing sent by email.', '2026-11-20T12:00:00.000Z'),
      noteOut('n1', 'Prefers delivery on Tuesdays.', '2026-11-18T16:05:00.000Z'),
      noteOut('n4', `${long.slice(0, 77)}...`, '2026-11-01T00:00:00.000Z'),
      noteOut('n5', '(empty note n5)', '2026-10-01T00:00:00.000Z'),
    ]);
    scope.done();
  });

  it('asks for a Contact first, before any request', async () => {
    await rejectsWithAppError(
      perform(op, {}),
      'Choose a Contact first: this list shows the notes of the chosen contact.',
      'invalid_input',
      400,
    );
  });
});

describe('find_note', () => {
  const op = search('find_note');

  it('finds notes containing the text, case-insensitively, newest first', async () => {
    const scope = ghlApi().get(NOTES_PATH).reply(200, { notes });
    expect(await perform(op, { contactId: CONTACT, text: 'WHOLESALE' })).toEqual([
      noteOut('n2', '<p>Asked for a <b>wholesale</b> quote</p>', '2026-11-25T09:00:00.000Z'),
      noteOut('n3', 'Wholesale pricing sent by email.', '2026-11-20T12:00:00.000Z'),
    ]);
    scope.done();
  });

  it('without text returns all notes, newest first', async () => {
    const scope = ghlApi().get(NOTES_PATH).reply(200, { notes });
    expect((await perform(op, { contactId: CONTACT })).map((n: { id: string }) => n.id)).toEqual(['n2', 'n3', 'n1']);
    scope.done();
  });

  it('returns [] when no note matches', async () => {
    const scope = ghlApi().get(NOTES_PATH).reply(200, { notes });
    expect(await perform(op, { contactId: CONTACT, text: 'invoice' })).toEqual([]);
    scope.done();
  });

  it('returns [] when the contact does not exist', async () => {
    const scope = ghlApi()
      .get(NOTES_PATH)
      .reply(400, { statusCode: 400, message: `Contact with id ${CONTACT} not found` });
    expect(await perform(op, { contactId: CONTACT, text: 'quote' })).toEqual([]);
    scope.done();
  });

  it('retries a 5xx once, then reports it', async () => {
    const scope = ghlApi().get(NOTES_PATH).times(2).reply(503, { statusCode: 503, message: 'Service Unavailable' });
    await rejectsWithAppError(
      perform(op, { contactId: CONTACT, text: 'quote' }),
      `GHL failed to process GET ${NOTES_PATH}: Service Unavailable. This is usually temporary; retrying the step may help.`,
      'ghl_server_error',
      503,
    );
    scope.done();
  });

  it('rejects a contact that is not an id before any request', async () => {
    await rejectsWithAppError(
      perform(op, { contactId: 'rosa@example.com', text: 'quote' }),
      idError('Contact', 'rosa@example.com'),
      'invalid_input',
      400,
    );
  });
});

describe('create_note', () => {
  const op = create('create_note');

  it('creates a note with an author', async () => {
    const scope = ghlApi()
      .get(NOTES_PATH)
      .reply(200, { notes: [] })
      .post(NOTES_PATH, { body: 'Prefers delivery on Tuesdays.', userId: USER })
      .reply(201, { note: note('n9', 'Prefers delivery on Tuesdays.', '2026-11-18T16:05:00.000Z') });
    expect(await perform(op, { contactId: CONTACT, body: 'Prefers delivery on Tuesdays.', userId: USER })).toEqual({
      ...noteOut('n9', 'Prefers delivery on Tuesdays.', '2026-11-18T16:05:00.000Z'),
      existing: false,
    });
    scope.done();
  });

  it('sends only the body when no author is given', async () => {
    const scope = ghlApi()
      .get(NOTES_PATH)
      .reply(200, { notes: [] })
      .post(NOTES_PATH, { body: 'Left a voicemail.' })
      .reply(201, { note: { id: 'n10', body: 'Left a voicemail.', dateAdded: '2026-11-19T08:00:00.000Z', contactId: CONTACT } });
    expect(await perform(op, { contactId: CONTACT, body: 'Left a voicemail.', userId: '' })).toEqual({
      id: 'n10',
      noteId: 'n10',
      contactId: CONTACT,
      body: 'Left a voicemail.',
      dateAdded: '2026-11-19T08:00:00.000Z',
      existing: false,
    });
    scope.done();
  });

  it('requires the note text, before any request', async () => {
    await rejectsWithAppError(perform(op, { contactId: CONTACT, body: '   ' }), requiredError('Note'), 'invalid_input', 400);
    await rejectsWithAppError(
      perform(op, { contactId: CONTACT, body: 'x', userId: 'Marcus Lee' }),
      idError('Author', 'Marcus Lee'),
      'invalid_input',
      400,
    );
  });

  it("reports GHL's error for a missing contact", async () => {
    const scope = ghlApi()
      .get(NOTES_PATH)
      .reply(400, { statusCode: 400, message: `Contact with id ${CONTACT} not found` });
    await rejectsWithAppError(
      perform(op, { contactId: CONTACT, body: 'x' }),
      `GHL rejected the request: Contact with id ${CONTACT} not found`,
      'ghl_bad_request',
      400,
    );
    scope.done();
  });

  it('a replay finds the note with the same text and creates nothing', async () => {
    const scope = ghlApi()
      .get(NOTES_PATH)
      .reply(200, { notes: [note('n9', 'Prefers delivery on Tuesdays.', '2026-11-18T16:05:00.000Z')] });
    expect(await perform(op, { contactId: CONTACT, body: ' Prefers delivery on Tuesdays. ' })).toEqual({
      ...noteOut('n9', 'Prefers delivery on Tuesdays.', '2026-11-18T16:05:00.000Z'),
      existing: true,
    });
    scope.done();
  });
});

describe('update_note', () => {
  const op = create('update_note');

  it('puts only the given fields to /notes/:id', async () => {
    const scope = ghlApi()
      .put(`${NOTES_PATH}/n1`, { body: 'Prefers delivery on Wednesdays.' })
      .reply(200, { note: note('n1', 'Prefers delivery on Wednesdays.', '2026-11-18T16:05:00.000Z') });
    expect(await perform(op, { contactId: CONTACT, noteId: 'n1', body: 'Prefers delivery on Wednesdays.' })).toEqual(
      noteOut('n1', 'Prefers delivery on Wednesdays.', '2026-11-18T16:05:00.000Z'),
    );
    scope.done();
  });

  it('can change only the author', async () => {
    const scope = ghlApi()
      .put(`${NOTES_PATH}/n1`, { userId: USER })
      .reply(200, { note: note('n1', 'Prefers delivery on Tuesdays.', '2026-11-18T16:05:00.000Z') });
    expect(await perform(op, { contactId: CONTACT, noteId: 'n1', userId: USER })).toEqual(
      noteOut('n1', 'Prefers delivery on Tuesdays.', '2026-11-18T16:05:00.000Z'),
    );
    scope.done();
  });

  it('requires a change and a note, before any request', async () => {
    await rejectsWithAppError(
      perform(op, { contactId: CONTACT, noteId: 'n1' }),
      'Nothing to update: fill in the Note Text or the Author.',
      'invalid_input',
      400,
    );
    await rejectsWithAppError(perform(op, { contactId: CONTACT, body: 'x' }), requiredError('Note'), 'invalid_input', 400);
  });

  it("reports GHL's error for an unknown note", async () => {
    const scope = ghlApi().put(`${NOTES_PATH}/n404`, { body: 'x' }).reply(400, { statusCode: 400, message: 'Note not found' });
    await rejectsWithAppError(
      perform(op, { contactId: CONTACT, noteId: 'n404', body: 'x' }),
      'GHL rejected the request: Note not found',
      'ghl_bad_request',
      400,
    );
    scope.done();
  });
});
