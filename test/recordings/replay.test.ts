import nock from 'nock';
import App from '../../index.js';
import { ACCESS_TOKEN, API, appTester } from '../helpers.js';
import { exchanges, recorded, REC_CONTACT, REC_LOCATION } from './recordings.js';

/**
 * Replay: GHL's recorded answers (fixtures/ghl-recordings/) fed through every operation they can
 * feed, on a connection to the recorded sub-account, with each output checked field by field.
 * Endpoints GHL was not recorded answering (appointments of a contact, GET of one task) are
 * answered with a declared stand-in, named where it is used.
 */

const authData = {
  access_token: ACCESS_TOKEN,
  refresh_token: 'test-refresh-token',
  locationId: REC_LOCATION,
  companyId: 'cmp0000000000000001',
  userId: 'usr0000000000000001',
  userType: 'Location',
  locationTimezone: 'Europe/Zurich',
};
type Op = { operation: { perform: unknown } };
const op = (kind: 'triggers' | 'searches' | 'creates', key: string) => (App[kind] as Record<string, Op>)[key] as Op;
const run = (o: Op, inputData: Record<string, unknown> = {}) =>
  appTester(o.operation.perform as never, { authData, inputData, meta: {} } as never) as Promise<any>;
const ghl = () => nock(API, { reqheaders: { authorization: `Bearer ${ACCESS_TOKEN}`, version: '2021-07-28' } });

/** Stand-in for GET /contacts/:id/appointments, which was not recorded: a contact without appointments. */
const NO_APPOINTMENTS = { events: [], traceId: 'not-recorded' };

afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

// ---- The recorded contact jKy701hlSIPdiw0x12WA as each answer gives it ----

/** GET /contacts/:id (10:19:43): the output, field by field. */
const gotContact = {
  id: REC_CONTACT,
  contactId: REC_CONTACT,
  locationId: REC_LOCATION,
  name: 'NangoUpdated TestOne',
  firstName: 'NangoUpdated',
  lastName: 'TestOne',
  email: 'nango.test.one@example.com',
  phone: '+15550100001',
  country: 'US',
  type: 'lead',
  tags: ['nango-test-tag'],
  additionalEmails: [],
  additionalPhones: [],
  dateAdded: '2026-07-17T09:39:04.169Z',
  dateUpdated: '2026-07-17T10:19:24.594Z',
  customFields: [],
};

describe('POST /contacts/search (contacts.json: 13 contacts, list-contacts.json: 2)', () => {
  const contacts = recorded('contacts').contacts as Array<Record<string, any>>;

  /** The first recorded search result, field by field. */
  const taylor = {
    id: 'C0oEKxTxx1bz7036v71B',
    contactId: 'C0oEKxTxx1bz7036v71B',
    locationId: REC_LOCATION,
    name: '(Example) Taylor Reynolds',
    firstName: '(Example) Taylor',
    lastName: 'Reynolds',
    email: null,
    phone: '+178655689546',
    companyName: "(Example) MacLaren's Pub",
    businessName: '(Example) MacLarens Pub',
    city: null,
    state: null,
    postalCode: null,
    country: 'US',
    website: null,
    timezone: null,
    source: null,
    type: 'lead',
    dnd: true,
    dndSettings: {
      Call: { status: 'inactive', code: '103' },
      Email: { status: 'inactive', code: '103' },
      SMS: { status: 'inactive', code: '103' },
    },
    tags: ['follow-up'],
    assignedTo: null,
    followers: [],
    businessId: '6a59d5ac9c11104155404fb9',
    additionalEmails: [],
    additionalPhones: ['+19060001111', '+1807654321'],
    dateAdded: '2026-07-17T07:11:54.324Z',
    dateUpdated: '2026-07-17T07:11:57.939Z',
    customFields: [],
  };

  /** Output key ← recorded key, for every search result (the correspondence the app promises). */
  const SAME_VALUE: Record<string, string> = {
    id: 'id',
    contactId: 'id',
    locationId: 'locationId',
    firstName: 'firstName',
    lastName: 'lastName',
    email: 'email',
    phone: 'phone',
    companyName: 'companyName',
    businessName: 'businessName',
    city: 'city',
    state: 'state',
    postalCode: 'postalCode',
    country: 'country',
    website: 'website',
    timezone: 'timezone',
    source: 'source',
    type: 'type',
    dnd: 'dnd',
    tags: 'tags',
    assignedTo: 'assignedTo',
    followers: 'followers',
    businessId: 'businessId',
    dateAdded: 'dateAdded',
    dateUpdated: 'dateUpdated',
    customFields: 'customFields',
  };
  const checkAgainstRecording = (out: Record<string, any>, c: Record<string, any>) => {
    for (const [key, from] of Object.entries(SAME_VALUE)) expect({ key, value: out[key] }).toEqual({ key, value: c[from] });
    expect(out.name).toBe([c.firstName, c.lastName].filter(Boolean).join(' '));
    expect(out.address1).toBe(c.address ?? undefined);
    expect(out.additionalEmails).toEqual(c.additionalEmails.map((e: { email: string }) => e.email));
    expect(out.additionalPhones).toEqual(c.additionalPhones.map((p: { phone: string }) => p.phone));
    expect(out.dndSettings).toEqual(Object.keys(c.dndSettings).length ? c.dndSettings : undefined);
    expect(out).not.toHaveProperty('dateOfBirth');
  };

  it('New Contact: one request, every contact field by field', async () => {
    ghl()
      .post('/contacts/search', { locationId: REC_LOCATION, pageLimit: 100, sort: [{ field: 'dateAdded', direction: 'desc' }] })
      .reply(200, recorded('contacts'));
    const out = await run(op('triggers', 'new_contact'));
    expect(out).toHaveLength(13);
    const { profile, ...first } = out[0];
    expect(first).toEqual(taylor);
    expect(profile).toBe(
      'hydrate|||{"type":"method","method":"hydrators.contactProfile","bundle":{"contactId":"C0oEKxTxx1bz7036v71B"}}|||hydrate',
    );
    out.forEach((o: Record<string, any>, i: number) => checkAgainstRecording(o, contacts[i]!));
  });

  it('New or Updated Contact: the change id is the contact id and its update time', async () => {
    ghl().post('/contacts/search').reply(200, recorded('contacts'));
    const out = await run(op('triggers', 'new_or_updated_contact'));
    expect(out.map((o: { id: string }) => o.id)).toEqual(contacts.map((c) => `${c.id}:${c.dateUpdated}`));
    out.forEach((o: Record<string, any>, i: number) => checkAgainstRecording({ ...o, id: o.contactId }, contacts[i]!));
  });

  it('the contact dropdown names every contact', async () => {
    ghl().post('/contacts/search').reply(200, recorded('list-contacts'));
    const out = await run(op('triggers', 'contact_list'));
    expect(out.map((o: { id: string; name: string }) => [o.id, o.name])).toEqual([
      ['G5o416ExpefphW2NwydB', 'Test Contact'],
      ['Ko3FNoWcNTzgtiaBKBMK', 'Nango TestContact'],
    ]);
  });

  it('Find Contact by search text: the first result, with the total as Match Count', async () => {
    ghl().post('/contacts/search', { locationId: REC_LOCATION, pageLimit: 10, query: 'Nango' }).reply(200, recorded('list-contacts'));
    const [out] = await run(op('searches', 'find_contact'), { query: 'Nango' });
    expect(out).toMatchObject({ id: 'G5o416ExpefphW2NwydB', matchedBy: 'query', matchCount: 12, ambiguous: true });
    checkAgainstRecording(out, recorded('list-contacts').contacts[0]);
  });
});

describe('GET /contacts/search/duplicate (check-duplicate-contact.json)', () => {
  it('Find Contact by email', async () => {
    ghl()
      .get('/contacts/search/duplicate')
      .query({ locationId: REC_LOCATION, email: 'nango.test.one@example.com' })
      .reply(200, recorded('check-duplicate-contact'));
    expect(await run(op('searches', 'find_contact'), { email: 'nango.test.one@example.com' })).toEqual([
      {
        ...gotContact,
        name: 'NangoUpdated TestOneUpdated',
        lastName: 'TestOneUpdated',
        tags: [],
        dateUpdated: '2026-07-17T10:25:56.663Z',
        matchedBy: 'email',
        matchCount: 1,
        ambiguous: false,
      },
    ]);
  });
});

describe('GET /contacts/:id with its tasks and notes (get-contact, list-contact-tasks, list-contact-notes)', () => {
  const note = {
    id: 'hBBtLesMY4JCPJ7jI0Gq',
    noteId: 'hBBtLesMY4JCPJ7jI0Gq',
    contactId: REC_CONTACT,
    body: 'Nango test note',
    userId: null,
    dateAdded: '2026-07-17T09:45:03.653Z',
  };
  const profile = {
    ...gotContact,
    mostRecentTask: null,
    nextOpenTask: null,
    latestNote: note,
    taskCount: 0,
    openTaskCount: 0,
    noteCount: 1,
    appointmentCount: 0,
    tasks: [],
    notes: [note],
    appointments: [],
  };
  const feedProfile = () =>
    ghl()
      .get(`/contacts/${REC_CONTACT}`)
      .reply(200, recorded('get-contact'))
      .get(`/contacts/${REC_CONTACT}/tasks`)
      .reply(200, recorded('list-contact-tasks'))
      .get(`/contacts/${REC_CONTACT}/notes`)
      .reply(200, recorded('list-contact-notes'))
      .get(`/contacts/${REC_CONTACT}/appointments`)
      .reply(200, NO_APPOINTMENTS);

  it('Find Contact by ID: the profile', async () => {
    feedProfile();
    expect(await run(op('searches', 'find_contact_by_id'), { contactId: REC_CONTACT })).toEqual([profile]);
  });

  it('the lazy profile of the contact triggers', async () => {
    feedProfile();
    const out = await appTester(App.hydrators!.contactProfile as never, { authData, inputData: { contactId: REC_CONTACT } } as never);
    expect(out).toEqual(profile);
  });

  it('New Note, Find Note and the note dropdown', async () => {
    ghl().get(`/contacts/${REC_CONTACT}/notes`).times(3).reply(200, recorded('list-contact-notes'));
    expect(await run(op('triggers', 'new_note'), { contactId: REC_CONTACT })).toEqual([note]);
    expect(await run(op('searches', 'find_note'), { contactId: REC_CONTACT, text: 'test note' })).toEqual([note]);
    const list = await run(op('triggers', 'note_list'), { contactId: REC_CONTACT });
    expect(list.map((n: { id: string }) => n.id)).toEqual([note.id]);
  });

  it('New Task, Task Completed, Find Task and the task dropdown on a contact without tasks', async () => {
    ghl().get(`/contacts/${REC_CONTACT}/tasks`).times(4).reply(200, recorded('list-contact-tasks'));
    expect(await run(op('triggers', 'new_task'), { contactId: REC_CONTACT })).toEqual([]);
    expect(await run(op('triggers', 'task_completed'), { contactId: REC_CONTACT })).toEqual([]);
    expect(await run(op('searches', 'find_task'), { contactId: REC_CONTACT, title: 'x' })).toEqual([]);
    expect(await run(op('triggers', 'task_list'), { contactId: REC_CONTACT })).toEqual([]);
  });
});

describe('writes', () => {
  it('Create Contact (create-contact.json)', async () => {
    const { request } = exchanges('create-contact')[0]!;
    ghl()
      .post('/contacts/', request.data as nock.DataMatcherMap)
      .reply(200, recorded('create-contact'));
    const out = await run(op('creates', 'create_contact'), { firstName: 'Nango Dryrun', email: 'dryrun-save-v3-2026-07-17@example.com' });
    expect(out).toEqual({
      id: 'MB7tx4NBjFJKvmnYjcly',
      contactId: 'MB7tx4NBjFJKvmnYjcly',
      locationId: REC_LOCATION,
      name: 'Nango Dryrun',
      firstName: 'Nango Dryrun',
      email: 'dryrun-save-v3-2026-07-17@example.com',
      country: 'US',
      type: 'lead',
      tags: [],
      dateAdded: '2026-07-17T10:26:20.635Z',
      dateUpdated: '2026-07-17T10:26:20.635Z',
      customFields: [],
      existing: false,
    });
  });

  it('Update Contact (update-contact.json: the `{ succeded, succeeded, contact }` answer)', async () => {
    ghl().put(`/contacts/${REC_CONTACT}`, { lastName: 'TestOneUpdated' }).reply(200, recorded('update-contact'));
    expect(await run(op('creates', 'update_contact'), { contactId: REC_CONTACT, lastName: 'TestOneUpdated' })).toEqual({
      ...gotContact,
      name: 'NangoUpdated TestOneUpdated',
      lastName: 'TestOneUpdated',
      tags: [],
      followers: [],
      dateUpdated: '2026-07-17T10:20:50.581Z',
    });
  });

  it('Add Tags and Remove Tags (add-tags-to-contact.json, remove-tags-from-contact.json)', async () => {
    ghl()
      .post(`/contacts/${REC_CONTACT}/tags`, { tags: ['nango-test-tag'] })
      .reply(200, recorded('add-tags-to-contact'))
      .delete(`/contacts/${REC_CONTACT}/tags`, { tags: ['nango-test-tag'] })
      .reply(200, recorded('remove-tags-from-contact'));
    expect(await run(op('creates', 'add_tags_to_contact'), { contactId: REC_CONTACT, tags: ['nango-test-tag'] })).toEqual({
      id: REC_CONTACT,
      contactId: REC_CONTACT,
      tags: ['nango-test-tag'],
      tagsAdded: [],
    });
    expect(await run(op('creates', 'remove_tags_from_contact'), { contactId: REC_CONTACT, tags: ['nango-test-tag'] })).toEqual({
      id: REC_CONTACT,
      contactId: REC_CONTACT,
      tags: [],
      tagsRemoved: [],
    });
  });

  it('Archive Contact (get-contact, list-contact-tasks, add-tags-to-contact)', async () => {
    ghl()
      .get(`/contacts/${REC_CONTACT}`)
      .reply(200, recorded('get-contact'))
      .get(`/contacts/${REC_CONTACT}/tasks`)
      .reply(200, recorded('list-contact-tasks'))
      .post(`/contacts/${REC_CONTACT}/tags`, { tags: ['nango-test-tag'] })
      .reply(200, recorded('add-tags-to-contact'));
    const out = await run(op('creates', 'archive_contact'), { contactId: REC_CONTACT, tag: 'nango-test-tag', completeTasks: 'true' });
    expect(out).toEqual({
      id: REC_CONTACT,
      contactId: REC_CONTACT,
      archived: true,
      name: 'NangoUpdated TestOne',
      email: 'nango.test.one@example.com',
      tags: ['nango-test-tag'],
      tasksCompleted: [],
      archivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it('Delete Contact (get-contact, list-contact-tasks, delete-contact.json: `{ succeded, succeeded }`)', async () => {
    ghl()
      .get(`/contacts/${REC_CONTACT}`)
      .reply(200, recorded('get-contact'))
      .get(`/contacts/${REC_CONTACT}/tasks`)
      .reply(200, recorded('list-contact-tasks'))
      .delete(`/contacts/${REC_CONTACT}`)
      .reply(200, recorded('delete-contact'));
    expect(await run(op('creates', 'delete_contact'), { contactId: REC_CONTACT })).toEqual({
      id: REC_CONTACT,
      contactId: REC_CONTACT,
      deleted: true,
      name: 'NangoUpdated TestOne',
      email: 'nango.test.one@example.com',
      phone: '+15550100001',
      taskCount: 0,
      tasksDeleted: [],
      deletedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it('Create Task (list-contact-tasks, create-contact-task.json: no dates but the due date)', async () => {
    const { request } = exchanges('create-contact-task')[0]!;
    ghl()
      .get(`/contacts/${REC_CONTACT}/tasks`)
      .reply(200, recorded('list-contact-tasks'))
      .post(`/contacts/${REC_CONTACT}/tasks`, request.data as nock.DataMatcherMap)
      .reply(200, recorded('create-contact-task'));
    expect(
      await run(op('creates', 'create_task'), { contactId: REC_CONTACT, title: 'Nango test task', dueDate: '2026-07-20T10:00:00Z' }),
    ).toEqual({
      id: 'Lz21CTOwEXIkupiPXZqV',
      taskId: 'Lz21CTOwEXIkupiPXZqV',
      contactId: REC_CONTACT,
      title: 'Nango test task',
      dueDate: '2026-07-20T10:00:00.000Z',
      completed: false,
      existing: false,
    });
  });

  it('Update Task (update-contact-task.json)', async () => {
    ghl().put(`/contacts/${REC_CONTACT}/tasks/XCdHTSJs8e40ZwSCK25T`, { completed: true }).reply(200, recorded('update-contact-task'));
    expect(await run(op('creates', 'update_task'), { contactId: REC_CONTACT, taskId: 'XCdHTSJs8e40ZwSCK25T', completed: 'true' })).toEqual({
      id: 'XCdHTSJs8e40ZwSCK25T',
      taskId: 'XCdHTSJs8e40ZwSCK25T',
      contactId: REC_CONTACT,
      title: 'Nango Test Task',
      body: 'Test task for dryrun',
      dueDate: '2026-07-20T10:00:00.000Z',
      completed: true,
    });
  });

  it('Create Note (list-contact-notes, create-contact-note.json)', async () => {
    ghl()
      .get(`/contacts/${REC_CONTACT}/notes`)
      .reply(200, recorded('list-contact-notes'))
      .post(`/contacts/${REC_CONTACT}/notes`, { body: 'Test note from Nango action' })
      .reply(200, recorded('create-contact-note'));
    expect(await run(op('creates', 'create_note'), { contactId: REC_CONTACT, body: 'Test note from Nango action' })).toEqual({
      id: 'TK1DcSZOaQmpfTQmoPYZ',
      noteId: 'TK1DcSZOaQmpfTQmoPYZ',
      contactId: REC_CONTACT,
      body: 'Test note from Nango action',
      userId: null,
      dateAdded: '2026-07-17T10:27:18.167Z',
      existing: false,
    });
  });
});

describe('sub-account: custom fields, users, location', () => {
  it('the custom field dropdown (list-custom-fields.json)', async () => {
    ghl().get(`/locations/${REC_LOCATION}/customFields`).query({ model: 'contact' }).reply(200, recorded('list-custom-fields'));
    expect(await run(op('triggers', 'custom_field_list'))).toEqual([
      {
        id: 'IIaGLFlqcxMhFsnmVKkt',
        customFieldId: 'IIaGLFlqcxMhFsnmVKkt',
        name: 'Nango Dryrun Field',
        fieldKey: 'contact.nango_dryrun_field',
        dataType: 'TEXT',
      },
      {
        id: '6Mh9UM2rC15NFbUdZ3Zv',
        customFieldId: '6Mh9UM2rC15NFbUdZ3Zv',
        name: 'Nango Update Test',
        fieldKey: 'contact.temp_create_test',
        dataType: 'TEXT',
      },
      {
        id: 'rVp0yZEJb48R5Spn69a6',
        customFieldId: 'rVp0yZEJb48R5Spn69a6',
        name: 'NangoTestFieldCreate',
        fieldKey: 'contact.nangotestfieldcreate',
        dataType: 'TEXT',
      },
    ]);
  });

  it('custom field values by name (custom-fields.json)', async () => {
    ghl().get(`/locations/${REC_LOCATION}/customFields`).query({ model: 'contact' }).reply(200, recorded('custom-fields'));
    const values = [
      { id: 'hSl300gRRL3cLp9bk5OV', value: 'a' },
      { id: '6Mh9UM2rC15NFbUdZ3Zv', value: 'b' },
    ];
    const out = await appTester(App.hydrators!.customFieldsByName as never, { authData, inputData: { values } } as never);
    expect(out).toEqual({ nangotestfield: 'a', temp_create_test: 'b' });
  });

  it.each(['list-users', 'users'])('the user dropdown (%s.json: no users)', async (name) => {
    ghl().get('/users/').query({ locationId: REC_LOCATION }).reply(200, recorded(name));
    expect(await run(op('triggers', 'user_list'))).toEqual([]);
  });

  it('the connection test and label (get-location.json)', async () => {
    ghl().get(`/locations/${REC_LOCATION}`).reply(200, recorded('get-location'));
    const test = await appTester(App.authentication!.test as never, { authData } as never);
    expect(test).toEqual({ id: REC_LOCATION, name: 'Nango' });
    expect(await appTester(App.authentication!.connectionLabel as never, { authData, inputData: test } as never)).toBe('Nango');
  });
});
