/**
 * The demo data of the GHL sandbox's seed 'demo' (a shop, "Maple & Rye Goods"): users, businesses,
 * tags, custom fields, contacts, tasks, notes and appointments of the demo location. Ids come from
 * the state's seeded sequence in this order, so they are the same on every run.
 */
import type { CustomFieldDef, CustomFieldValue, Note, SeedTarget } from './records.js';

export function seedDemo(st: SeedTarget): void {
  const loc = st.locationId;
  const t = (iso: string) => new Date(iso).toISOString();

  // users
  const userSpecs: [string, string, string, 'admin' | 'user'][] = [
    ['Dana', 'Whitfield', 'dana@maple-and-rye.example.com', 'admin'],
    ['Marcus', 'Lee', 'marcus@maple-and-rye.example.com', 'user'],
    ['Priya', 'Natarajan', 'priya@maple-and-rye.example.com', 'user'],
  ];
  const userIds: string[] = [];
  userSpecs.forEach(([firstName, lastName, email, role], i) => {
    const id = st.newId();
    userIds.push(id);
    st.users.set(id, {
      id,
      name: `${firstName} ${lastName}`,
      firstName,
      lastName,
      email,
      phone: `+1802555010${i + 1}`,
      extension: '',
      companyId: st.companyId,
      roles: { type: 'account', role, locationIds: [loc] },
      deleted: false,
    });
  });
  const [dana, marcus, priya] = userIds as [string, string, string];

  // businesses
  const wholesale = st.newId();
  const cafe = st.newId();
  st.businesses.set(wholesale, {
    id: wholesale,
    name: 'Maple & Rye Wholesale',
    phone: '+18025550150',
    email: 'orders@mr-wholesale.example.com',
    website: 'https://wholesale.maple-and-rye.example.com',
    address: '80 Industrial Pkwy',
    city: 'Burlington',
    state: 'VT',
    postalCode: '05401',
    country: 'US',
    description: 'Wholesale arm: cafés and grocers',
    locationId: loc,
    createdAt: t('2026-01-05T14:00:00Z'),
    updatedAt: t('2026-01-05T14:00:00Z'),
  });
  st.businesses.set(cafe, {
    id: cafe,
    name: 'Rye Street Café',
    phone: '+18025550160',
    email: 'hello@ryestreetcafe.example.com',
    website: 'https://ryestreetcafe.example.com',
    address: '12 Rye Street',
    city: 'Burlington',
    state: 'VT',
    postalCode: '05401',
    country: 'US',
    description: 'Wholesale customer',
    locationId: loc,
    createdAt: t('2026-01-06T15:30:00Z'),
    updatedAt: t('2026-01-06T15:30:00Z'),
  });

  // tags
  for (const name of ['customer', 'wholesale', 'vip', 'newsletter', 'ecwid', 'follow-up']) {
    const id = st.newId();
    st.tags.set(id, { id, name, locationId: loc });
  }

  // custom fields
  const cf = (name: string, key: string, dataType: string, position: number, extra: Partial<CustomFieldDef> = {}) => {
    const id = st.newId();
    st.customFields.set(id, {
      id,
      name,
      fieldKey: `contact.${key}`,
      placeholder: '',
      dataType,
      position,
      locationId: loc,
      model: 'contact',
      ...extra,
    });
    return id;
  };
  const cfEcwid = cf('Ecwid Customer ID', 'ecwid_customer_id', 'TEXT', 0, { placeholder: 'e.g. 123456789' });
  const cfGroup = cf('Customer Group', 'customer_group', 'SINGLE_OPTIONS', 50, {
    picklistOptions: ['General', 'Wholesale', 'VIP'],
  });
  const cfLtv = cf('Lifetime Value', 'lifetime_value', 'MONETORY', 100);
  const cfOptIn = cf('Marketing Opt-in', 'marketing_optin', 'CHECKBOX', 150, { picklistOptions: ['Yes'] });
  const cfFirstOrder = cf('First Order Date', 'first_order_date', 'DATE', 200);
  cf('Notes for Staff', 'notes_for_staff', 'LARGE_TEXT', 250);

  // contacts
  interface Seed {
    firstName: string;
    lastName: string;
    email: string;
    phone: string;
    companyName?: string;
    city: string;
    state: string;
    postalCode: string;
    tags: string[];
    customFields: CustomFieldValue[];
    businessId?: string;
    assignedTo?: string;
    source: string;
    dateAdded: string;
    dateUpdated: string;
    type?: string;
  }
  const seeds: Seed[] = [
    {
      firstName: 'Olivia',
      lastName: 'Bennett',
      email: 'olivia.bennett@example.com',
      phone: '+18025550123',
      city: 'Burlington',
      state: 'VT',
      postalCode: '05401',
      tags: ['customer', 'ecwid', 'vip'],
      customFields: [
        { id: cfEcwid, value: '274839105' },
        { id: cfGroup, value: 'VIP' },
        { id: cfLtv, value: 1840.5 },
        { id: cfOptIn, value: ['Yes'] },
        { id: cfFirstOrder, value: '2026-01-09' },
      ],
      assignedTo: dana,
      source: 'ecwid',
      dateAdded: '2026-01-09T15:04:11.000Z',
      dateUpdated: '2026-02-14T10:22:45.000Z',
      type: 'customer',
    },
    {
      firstName: 'Jamal',
      lastName: 'Carter',
      email: 'jamal.carter@example.net',
      phone: '+16175550188',
      companyName: 'Rye Street Café',
      city: 'Boston',
      state: 'MA',
      postalCode: '02108',
      tags: ['wholesale', 'customer'],
      customFields: [{ id: cfGroup, value: 'Wholesale' }],
      businessId: cafe,
      assignedTo: marcus,
      source: 'public api',
      dateAdded: '2026-01-21T18:45:00.000Z',
      dateUpdated: '2026-01-28T09:10:00.000Z',
    },
    {
      firstName: 'Sofia',
      lastName: 'Marquez',
      email: 'sofia.marquez@example.org',
      phone: '+13055550142',
      city: 'Miami',
      state: 'FL',
      postalCode: '33101',
      tags: ['newsletter'],
      customFields: [{ id: cfOptIn, value: ['Yes'] }],
      source: 'form',
      dateAdded: '2026-02-03T12:00:00.000Z',
      dateUpdated: '2026-02-03T12:00:00.000Z',
    },
    {
      firstName: 'Ethan',
      lastName: 'Nguyen',
      email: 'ethan.nguyen@example.com',
      phone: '+14155550199',
      companyName: 'Maple & Rye Wholesale',
      city: 'San Francisco',
      state: 'CA',
      postalCode: '94103',
      tags: ['wholesale', 'follow-up'],
      customFields: [{ id: cfGroup, value: 'Wholesale' }],
      businessId: wholesale,
      assignedTo: priya,
      source: 'public api',
      dateAdded: '2026-02-17T08:30:00.000Z',
      dateUpdated: '2026-03-01T16:05:30.000Z',
    },
    {
      firstName: 'Grace',
      lastName: "O'Neill",
      email: 'grace.oneill@example.com',
      phone: '+12125550177',
      city: 'New York',
      state: 'NY',
      postalCode: '10001',
      tags: [],
      customFields: [],
      source: 'manual',
      dateAdded: '2026-03-02T20:15:00.000Z',
      dateUpdated: '2026-03-02T20:15:00.000Z',
    },
    {
      firstName: 'Henrik',
      lastName: 'Larsen',
      email: 'henrik.larsen@example.dk',
      phone: '+18025550164',
      city: 'Montpelier',
      state: 'VT',
      postalCode: '05602',
      tags: ['customer'],
      customFields: [{ id: cfGroup, value: 'General' }],
      source: 'ecwid',
      dateAdded: '2026-03-10T13:40:20.000Z',
      dateUpdated: '2026-03-11T09:00:00.000Z',
    },
  ];
  const contactIds: string[] = [];
  for (const s of seeds) {
    const id = st.newId();
    contactIds.push(id);
    st.contacts.set(id, {
      id,
      locationId: loc,
      firstName: s.firstName,
      lastName: s.lastName,
      email: s.email,
      phone: s.phone,
      companyName: s.companyName,
      address1: undefined,
      city: s.city,
      state: s.state,
      postalCode: s.postalCode,
      country: 'US',
      timezone: 'America/New_York',
      source: s.source,
      type: s.type ?? 'lead',
      dnd: false,
      dndSettings: {},
      tags: [...s.tags],
      customFields: s.customFields.map((c) => ({ ...c })),
      assignedTo: s.assignedTo,
      businessId: s.businessId,
      followers: [],
      additionalEmails: [],
      additionalPhones: [],
      dateAdded: s.dateAdded,
      dateUpdated: s.dateUpdated,
    });
  }
  const [olivia, jamal, , ethan, , henrik] = contactIds as [string, string, string, string, string, string];

  // tasks
  const task = (
    contactId: string,
    title: string,
    body: string,
    dueDate: string,
    completed: boolean,
    assignedTo: string,
    dateAdded: string,
  ) => {
    const id = st.newId();
    st.tasks.set(id, {
      id,
      locationId: loc,
      contactId,
      title,
      body,
      dueDate,
      completed,
      assignedTo,
      dateAdded,
      dateUpdated: dateAdded,
    });
  };
  task(
    olivia,
    'Send VIP welcome box',
    'Include the maple syrup sampler.',
    '2026-01-16T15:00:00.000Z',
    true,
    dana,
    '2026-01-09T15:10:00.000Z',
  );
  task(
    olivia,
    'Ask for a product review',
    'Follow up on the January order.',
    '2026-03-20T14:00:00.000Z',
    false,
    dana,
    '2026-02-14T10:25:00.000Z',
  );
  task(
    jamal,
    'Confirm wholesale price list',
    'Send the Q1 wholesale sheet.',
    '2026-02-01T17:00:00.000Z',
    true,
    marcus,
    '2026-01-21T19:00:00.000Z',
  );
  task(
    ethan,
    'Schedule tasting visit',
    'Bring rye crackers and jams.',
    '2026-03-25T16:00:00.000Z',
    false,
    priya,
    '2026-03-01T16:10:00.000Z',
  );

  // notes
  const note = (contactId: string, body: string, userId: string, dateAdded: string, extra: Partial<Note> = {}) => {
    const id = st.newId();
    st.notes.set(id, { id, contactId, body, userId, dateAdded, dateUpdated: dateAdded, ...extra });
  };
  note(olivia, 'Prefers deliveries on Fridays.', dana, '2026-01-10T09:00:00.000Z', { title: 'Delivery preference', pinned: true });
  note(olivia, 'Asked about gift wrapping for the holidays.', marcus, '2026-02-14T10:30:00.000Z');
  note(jamal, 'Café opens a second location in May.', marcus, '2026-01-28T09:12:00.000Z', { color: '#FFAA00' });
  note(henrik, 'Imported from Ecwid store.', priya, '2026-03-10T13:41:00.000Z');

  // appointments
  const calendarId = st.newId();
  const groupId = st.newId();
  const appt = (contactId: string, title: string, start: string, end: string, status: string, userId: string, dateAdded: string) => {
    const id = st.newId();
    st.appointments.set(id, {
      id,
      locationId: loc,
      contactId,
      calendarId,
      groupId,
      title,
      status: status,
      appointmentStatus: status,
      assignedUserId: userId,
      users: [userId],
      notes: '',
      address: '214 Rye Street, Burlington, VT',
      startTime: start,
      endTime: end,
      dateAdded,
      dateUpdated: dateAdded,
      assignedResources: [],
    });
  };
  appt(olivia, 'VIP tasting', '2026-03-12T10:00:00-04:00', '2026-03-12T10:30:00-04:00', 'confirmed', dana, '2026-02-20T12:00:00.000Z');
  appt(
    ethan,
    'Wholesale onboarding call',
    '2026-03-18T14:00:00-04:00',
    '2026-03-18T14:45:00-04:00',
    'booked',
    priya,
    '2026-03-01T16:15:00.000Z',
  );
}
