import { LOCATION_ID, create, ghlApi, perform, rejectsWith } from '../../helpers.js';

const A = 'nmFmQEsNgz6AVpgLVUJ0';
const B = 'qFSqySFkVvNzOSqgGqFi';

const ok = (contactId: string, tagsAdded: string[] = [], tagsRemoved: string[] = []) => ({
  contactId,
  message: 'Tags updated',
  type: 'success',
  oldTags: ['ecwid-customer'],
  tagsAdded,
  tagsRemoved,
});

describe('Add or Remove Tags on Several Contacts (update_tags_on_contacts)', () => {
  it('adds: one POST …/bulk/tags/update/add with the ids, tags and location', async () => {
    const scope = ghlApi()
      .post('/contacts/bulk/tags/update/add', { contacts: [A, B], tags: ['vip', 'wholesale'], locationId: LOCATION_ID })
      .reply(201, { succeded: true, errorCount: 0, responses: [ok(A, ['vip', 'wholesale']), ok(B, ['vip'])] });
    const out = await perform(create('update_tags_on_contacts'), { action: 'add', contactIds: [A, B, A], tags: 'vip, wholesale' });
    expect(out).toEqual({
      id: 'add:vip,wholesale',
      action: 'add',
      tags: ['vip', 'wholesale'],
      removeAllTags: false,
      contactCount: 2,
      updatedContactIds: [A, B],
      errorCount: 0,
      failed: [],
    });
    scope.done();
  });

  it('removes all tags with removeAllTags and no tags', async () => {
    const scope = ghlApi()
      .post('/contacts/bulk/tags/update/remove', { contacts: [A], tags: [], locationId: LOCATION_ID, removeAllTags: true })
      .reply(201, { succeded: true, errorCount: 0, responses: [ok(A, [], ['ecwid-customer'])] });
    const out = await perform(create('update_tags_on_contacts'), { action: 'remove', contactIds: [A], removeAllTags: 'yes' });
    expect(out).toMatchObject({ id: 'remove:*', removeAllTags: true, updatedContactIds: [A], errorCount: 0 });
    scope.done();
  });

  it('stops with the list of contacts GHL refused (default), saying the others were updated', async () => {
    const scope = ghlApi()
      .post('/contacts/bulk/tags/update/add', { contacts: [A, B], tags: ['vip'], locationId: LOCATION_ID })
      .reply(201, {
        succeded: true,
        errorCount: 1,
        responses: [ok(A, ['vip']), { contactId: B, message: 'contact is deleted', type: 'error' }],
      });
    const e = await rejectsWith(
      perform(create('update_tags_on_contacts'), { action: 'add', contactIds: [A, B], tags: ['vip'] }),
      'AppError',
      `GHL did not add the tags for 1 of 2 contacts (${B}: contact is deleted). 1 contacts were updated; a replay is safe. Fix or drop those ids, or set Stop If a Contact Fails to No.`,
    );
    expect(e.code).toBe('bulk_tags_partial');
    scope.done();
  });

  it('continues and lists the failures when asked to', async () => {
    const scope = ghlApi()
      .post('/contacts/bulk/tags/update/remove', { contacts: [A, B], tags: ['vip'], locationId: LOCATION_ID })
      .reply(201, {
        succeded: true,
        errorCount: 1,
        responses: [ok(A, [], ['vip']), { contactId: B, message: 'contact does not belong to location', type: 'error' }],
      });
    const out = await perform(create('update_tags_on_contacts'), {
      action: 'remove',
      contactIds: [A, B],
      tags: ['vip'],
      stopOnFailure: 'no',
    });
    expect(out).toMatchObject({
      updatedContactIds: [A],
      errorCount: 1,
      failed: [{ contactId: B, message: 'contact does not belong to location' }],
    });
    scope.done();
  });

  it('refuses bad input before any request', async () => {
    const op = create('update_tags_on_contacts');
    await rejectsWith(
      perform(op, { action: 'add', contactIds: [A] }),
      'AppError',
      '"Tags" is required but was empty. Map the tags to add.',
    );
    await rejectsWith(
      perform(op, { action: 'remove', contactIds: [A] }),
      'AppError',
      '"Tags" is empty: map the tags to remove, or set Remove All Tags to Yes.',
    );
    await rejectsWith(
      perform(op, { action: 'toggle', contactIds: [A], tags: ['x'] }),
      'AppError',
      '"Add or Remove" must be one of add, remove, but got "toggle".',
    );
    await rejectsWith(
      perform(op, { action: 'add', contactIds: [], tags: ['x'] }),
      'AppError',
      '"Contact IDs" is required but was empty. Map a value to it in the Zap editor.',
    );
    await rejectsWith(
      perform(op, { action: 'add', contactIds: [A, 'olivia@example.com'], tags: ['x'] }),
      'AppError',
      '"Contact IDs" must list GHL contact ids (like "nmFmQEsNgz6AVpgLVUJ0"), but one item is "olivia@example.com".',
    );
    const many = Array.from({ length: 101 }, (_, i) => `c${String(i).padStart(19, '0')}`);
    await rejectsWith(
      perform(op, { action: 'add', contactIds: many, tags: ['x'] }),
      'AppError',
      '"Contact IDs" has 101 ids; send at most 100 in one step (split the list).',
    );
  });
});

describe('Add or Remove Tags on Several Contacts: answers without per-contact detail', () => {
  it('a contact missing from GHL’s per-contact answers is reported, not counted as updated', async () => {
    const scope = ghlApi()
      .post('/contacts/bulk/tags/update/add', { contacts: [A, B], tags: ['vip'], locationId: LOCATION_ID })
      .reply(201, { succeded: true, errorCount: 0, responses: [ok(A, ['vip'])] });
    const out = await perform(create('update_tags_on_contacts'), {
      action: 'add',
      contactIds: [A, B],
      tags: ['vip'],
      stopOnFailure: false,
    });
    expect(out).toMatchObject({
      updatedContactIds: [A],
      errorCount: 1,
      failed: [{ contactId: B, message: 'GHL gave no answer for this contact' }],
    });
    scope.done();
  });

  it('succeded: false without any per-contact answer is an error', async () => {
    const scope = ghlApi()
      .post('/contacts/bulk/tags/update/add', { contacts: [A], tags: ['vip'], locationId: LOCATION_ID })
      .reply(201, { succeded: false, errorCount: 0, responses: [] });
    await rejectsWith(
      perform(create('update_tags_on_contacts'), { action: 'add', contactIds: [A], tags: ['vip'] }),
      'AppError',
      'GHL answered that it did not add the tags (succeded: false) and named no contact. Check the contacts in GHL, then replay this step (it is safe to repeat).',
    );
    scope.done();
  });

  it('succeded: true without per-contact answers counts every contact as updated', async () => {
    const scope = ghlApi()
      .post('/contacts/bulk/tags/update/remove', { contacts: [A, B], tags: ['vip'], locationId: LOCATION_ID })
      .reply(201, { succeded: true, errorCount: 0 });
    const out = await perform(create('update_tags_on_contacts'), { action: 'remove', contactIds: [A, B], tags: ['vip'] });
    expect(out).toMatchObject({ updatedContactIds: [A, B], errorCount: 0, failed: [] });
    scope.done();
  });
});
