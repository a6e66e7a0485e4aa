import { create, ghlApi, perform, rejectsWith, search } from '../helpers.js';

const CONTACT = 'nmFmQEsNgz6AVpgLVUJ0';
const NOTE = 'noteAb12Cd34Ef56Gh78';
const note = {
  id: NOTE,
  body: 'Prefers deliveries on Fridays.',
  userId: 'usr0000000000000001',
  dateAdded: '2026-11-20T09:12:44.000Z',
  contactId: CONTACT,
};
const output = {
  id: NOTE,
  noteId: NOTE,
  contactId: CONTACT,
  body: 'Prefers deliveries on Fridays.',
  userId: 'usr0000000000000001',
  dateAdded: '2026-11-20T09:12:44.000Z',
};

describe('Find Note by ID (find_note_by_id)', () => {
  it('GETs the note by id and returns it', async () => {
    const scope = ghlApi().get(`/contacts/${CONTACT}/notes/${NOTE}`).reply(200, { note });
    await expect(perform(search('find_note_by_id'), { contactId: CONTACT, noteId: NOTE })).resolves.toEqual([output]);
    scope.done();
  });

  it('finds nothing (not an error) for a missing note, or a note of another contact', async () => {
    const scope = ghlApi()
      .get(`/contacts/${CONTACT}/notes/${NOTE}`)
      .reply(400, { statusCode: 400, message: `Note with id ${NOTE} not found` })
      .get(`/contacts/${CONTACT}/notes/otherContactsNote01`)
      .reply(200, { note: { ...note, id: 'otherContactsNote01', contactId: 'someoneElse000000001' } });
    await expect(perform(search('find_note_by_id'), { contactId: CONTACT, noteId: NOTE })).resolves.toEqual([]);
    await expect(perform(search('find_note_by_id'), { contactId: CONTACT, noteId: 'otherContactsNote01' })).resolves.toEqual([]);
    scope.done();
  });

  it('finds nothing for a contact GHL does not know (a search does not fail)', async () => {
    const scope = ghlApi()
      .get(`/contacts/gone000000000000000A/notes/${NOTE}`)
      .reply(400, { statusCode: 400, message: 'Contact with id gone000000000000000A not found' });
    await expect(perform(search('find_note_by_id'), { contactId: 'gone000000000000000A', noteId: NOTE })).resolves.toEqual([]);
    scope.done();
  });
});

describe('Delete Note (delete_note)', () => {
  it('reads the note, DELETEs it and returns what was deleted', async () => {
    const scope = ghlApi()
      .get(`/contacts/${CONTACT}/notes/${NOTE}`)
      .reply(200, { note })
      .delete(`/contacts/${CONTACT}/notes/${NOTE}`)
      .reply(200, { succeded: true });
    await expect(perform(create('delete_note'), { contactId: CONTACT, noteId: NOTE })).resolves.toEqual({ ...output, deleted: true });
    scope.done();
  });

  it('deletes nothing when the note is gone (a replay) and says so', async () => {
    const scope = ghlApi()
      .get(`/contacts/${CONTACT}/notes/${NOTE}`)
      .reply(400, { statusCode: 400, message: `Note with id ${NOTE} not found` });
    const e = await rejectsWith(
      perform(create('delete_note'), { contactId: CONTACT, noteId: NOTE }),
      'AppError',
      `No note "${NOTE}" on this contact; nothing was deleted. It may have been deleted already, or belong to another contact.`,
    );
    expect([e.code, e.status]).toEqual(['note_not_found', 404]);
    scope.done();
  });

  it('does not delete a note that belongs to another contact', async () => {
    const scope = ghlApi()
      .get(`/contacts/${CONTACT}/notes/${NOTE}`)
      .reply(200, { note: { ...note, contactId: 'someoneElse000000001' } });
    await rejectsWith(
      perform(create('delete_note'), { contactId: CONTACT, noteId: NOTE }),
      'AppError',
      /^No note "noteAb12Cd34Ef56Gh78" on this contact/,
    );
    scope.done();
  });

  it('does not report a deletion GHL says it did not do', async () => {
    const scope = ghlApi()
      .get(`/contacts/${CONTACT}/notes/${NOTE}`)
      .reply(200, { note })
      .delete(`/contacts/${CONTACT}/notes/${NOTE}`)
      .reply(200, { succeded: false });
    await rejectsWith(
      perform(create('delete_note'), { contactId: CONTACT, noteId: NOTE }),
      'AppError',
      `GHL did not delete note "${NOTE}" (it answered succeded: false). Nothing was changed; retrying the step may help.`,
    );
    scope.done();
  });

  it('passes a missing contact on as GHL’s error', async () => {
    const scope = ghlApi()
      .get(`/contacts/gone000000000000000A/notes/${NOTE}`)
      .reply(400, { statusCode: 400, message: 'Contact with id gone000000000000000A not found' });
    await rejectsWith(
      perform(create('delete_note'), { contactId: 'gone000000000000000A', noteId: NOTE }),
      'AppError',
      'GHL rejected the request: Contact with id gone000000000000000A not found',
    );
    scope.done();
  });

  it('refuses a missing note id before any request', async () => {
    await rejectsWith(
      perform(create('delete_note'), { contactId: CONTACT }),
      'AppError',
      '"Note" is required but was empty. Map a value to it in the Zap editor.',
    );
  });
});
