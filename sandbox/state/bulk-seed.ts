/**
 * Fast deterministic bulk data for benchmarks (`sandbox.seedBulk`): contacts, and tasks per
 * contact, added to the demo location.
 */
import { makeRng } from './ids.js';
import type { SeedTarget } from './records.js';

export function seedBulk(st: SeedTarget, opts: { contacts: number; tasksPerContact?: number }): void {
  const rng = makeRng(0xb01c + opts.contacts);
  const firsts = [
    'Ava',
    'Ben',
    'Chloe',
    'Diego',
    'Emma',
    'Finn',
    'Gia',
    'Hugo',
    'Isla',
    'Jack',
    'Kira',
    'Liam',
    'Maya',
    'Noah',
    'Olga',
    'Paul',
  ];
  const lasts = [
    'Adams',
    'Brown',
    'Clark',
    'Davis',
    'Evans',
    'Foster',
    'Garcia',
    'Hill',
    'Ito',
    'Jones',
    'King',
    'Lopez',
    'Moore',
    'Novak',
  ];
  const tagPool = ['customer', 'wholesale', 'vip', 'newsletter', 'ecwid', 'follow-up'];
  const users = [...st.users.values()].filter((u) => u.roles.locationIds.includes(st.locationId)).map((u) => u.id);
  const base = Date.parse('2026-01-01T00:00:00.000Z');
  const span = 300 * 24 * 3600 * 1000;
  const existing = st.contacts.size;
  const tpc = opts.tasksPerContact ?? 0;
  const pick = <T>(arr: T[]): T => arr[Math.floor(rng() * arr.length)] as T;
  for (let i = 0; i < opts.contacts; i++) {
    const n = existing + i;
    const id = st.newId();
    const firstName = pick(firsts);
    const lastName = pick(lasts);
    const added = base + Math.floor(rng() * span);
    const updated = added + Math.floor(rng() * 7 * 24 * 3600 * 1000);
    const tags = rng() < 0.5 ? [pick(tagPool)] : [];
    st.contacts.set(id, {
      id,
      locationId: st.locationId,
      firstName,
      lastName,
      email: `${firstName.toLowerCase()}.${lastName.toLowerCase()}.${n}@bulk.example.com`,
      phone: `+1555${String(1000000 + n)
        .padStart(7, '0')
        .slice(-7)}`,
      country: 'US',
      timezone: 'America/New_York',
      source: 'bulk',
      type: 'lead',
      dnd: false,
      tags,
      customFields: [],
      assignedTo: users.length ? pick(users) : undefined,
      followers: [],
      additionalEmails: [],
      additionalPhones: [],
      dateAdded: new Date(added).toISOString(),
      dateUpdated: new Date(updated).toISOString(),
    });
    for (let k = 0; k < tpc; k++) {
      const tid = st.newId();
      const tAdded = added + (k + 1) * 60_000;
      st.tasks.set(tid, {
        id: tid,
        locationId: st.locationId,
        contactId: id,
        title: `Follow up #${k + 1} with ${firstName}`,
        body: 'Bulk task',
        dueDate: new Date(tAdded + 3 * 24 * 3600 * 1000).toISOString(),
        completed: rng() < 0.3,
        assignedTo: users.length ? pick(users) : undefined,
        dateAdded: new Date(tAdded).toISOString(),
        dateUpdated: new Date(tAdded).toISOString(),
      });
    }
  }
}
