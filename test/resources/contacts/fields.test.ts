import nock from 'nock';
import App from '../../../index.js';
import { LOCATION_ID, appTester, authData, create, ghlApi, perform, search, trigger } from '../../helpers.js';
import { toContact } from '../../../src/resources/common/outputs.js';
import { recorded } from '../../recordings/recordings.js';

/**
 * What a no-code user sees (issue 10): the fields GHL really returns, custom fields by their GHL
 * name, and labels and help texts that say what each field is.
 */

const searched = (id: string) =>
  (recorded('contacts').contacts as Array<Record<string, unknown>>).find((c) => c.id === id) as Record<string, unknown>;

type Op = { key: string; operation: { inputFields?: unknown[]; outputFields?: unknown[] } };
const ops = (): Array<[string, Op]> =>
  (['triggers', 'searches', 'creates'] as const).flatMap((kind) =>
    Object.values((App[kind] ?? {}) as Record<string, Op>).map((o) => [`${kind}/${o.key}`, o] as [string, Op]),
  );
const staticOutputs = (o: Op) =>
  (o.operation.outputFields ?? []).filter((f): f is { key: string; label?: string; important?: boolean } => typeof f !== 'function');

describe('the real fields GHL returns', () => {
  it('a recorded search result: business name, additional phones, per-channel DND, followers', () => {
    expect(toContact(searched('C0oEKxTxx1bz7036v71B') as never)).toEqual({
      id: 'C0oEKxTxx1bz7036v71B',
      contactId: 'C0oEKxTxx1bz7036v71B',
      locationId: 'AYg6rIXHN1fXdXjGcYvI',
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
    });
  });

  it('additional emails as a list of addresses', () => {
    expect(toContact(searched('cRltUA3uXowYiiT2ZI0P') as never).additionalEmails).toEqual([
      'jordan.office@example.com',
      'jordan@corporate.net',
      'jsmith@email.com',
    ]);
  });

  it.each(['triggers/new_contact', 'searches/find_contact', 'searches/find_contact_by_id', 'creates/create_contact'])(
    '%s labels them',
    (name) => {
      const o = ops().find(([n]) => n === name)![1];
      const labels = Object.fromEntries(staticOutputs(o).map((f) => [f.key, f.label]));
      expect(labels).toMatchObject({
        businessName: 'Business Name',
        additionalEmails: 'Additional Emails',
        additionalPhones: 'Additional Phones',
        dndSettings__SMS__status: 'Do Not Disturb for SMS (active or inactive)',
        dndSettings__Email__status: 'Do Not Disturb for Email (active or inactive)',
        dndSettings__Call__status: 'Do Not Disturb for Calls (active or inactive)',
        assignedTo: 'Assigned User ID',
        followers: 'Follower User IDs',
        timezone: 'Timezone',
        website: 'Website',
      });
    },
  );
});

describe('labels and help texts', () => {
  it('no output field is labelled "(copy)"', () => {
    const copies = ops().flatMap(([n, o]) =>
      staticOutputs(o)
        .filter((f) => /\(copy\)/i.test(f.label ?? ''))
        .map((f) => `${n}.${f.key}`),
    );
    expect(copies).toEqual([]);
  });

  it('the fields users map most come first (the CLI 19.1.0 output field schema has no `important`)', () => {
    const first = (name: string, n: number) =>
      staticOutputs(ops().find(([k]) => k === name)![1])
        .slice(0, n)
        .map((f) => f.key);
    expect(first('triggers/new_contact', 6)).toEqual(['id', 'contactId', 'name', 'email', 'phone', 'tags']);
    expect(first('creates/create_task', 6)).toEqual(['id', 'taskId', 'contactId', 'title', 'dueDate', 'completed']);
  });

  it('Find Contact opens with a short, labelled explanation', () => {
    const [first] = (App.searches as any).find_contact.operation.inputFields as Array<Record<string, string>>;
    expect(first?.type).toBe('copy');
    expect(first?.label).toBe('How Find Contact Searches');
    expect((first?.helpText ?? '').length).toBeLessThanOrEqual(400);
  });

  const customFieldInputs = async (op: string) => {
    ghlApi().get(`/locations/${LOCATION_ID}/customFields`).query({ model: 'contact' }).reply(200, recorded('list-custom-fields'));
    const fn = ((App.creates as any)[op].operation.inputFields as unknown[]).find((f) => typeof f === 'function') as never;
    return (await appTester(fn, { authData, inputData: {} } as never)) as Array<{ key: string; helpText: string }>;
  };

  it('Create Contact’s custom fields do not speak of "unchanged"', async () => {
    const fields = await customFieldInputs('create_contact');
    expect(fields[0]).toMatchObject({
      key: 'customField__6Mh9UM2rC15NFbUdZ3Zv',
      helpText: 'GHL custom field `contact.temp_create_test`. Leave empty to leave it blank.',
    });
  });

  it('Update Contact’s custom fields keep "unchanged"', async () => {
    const fields = await customFieldInputs('update_contact');
    expect(fields[0]?.helpText).toBe('GHL custom field `contact.temp_create_test`. Leave empty to leave it unchanged.');
  });

  it('Create Contact never sends an empty value', async () => {
    const scope = ghlApi()
      .post('/contacts/', (body) => {
        expect(body).toEqual({ locationId: LOCATION_ID, email: 'rosa@example.com' });
        return true;
      })
      .reply(200, recorded('create-contact'));
    await perform(create('create_contact'), {
      email: 'rosa@example.com',
      firstName: '',
      lastName: '  ',
      name: '',
      phone: '',
      companyName: '',
      address1: '',
      city: ' ',
      state: '',
      postalCode: '',
      country: '',
      website: '',
      timezone: '',
      source: '',
      tags: ['', ' '],
      assignedTo: '',
      businessId: '',
      dateOfBirth: '',
      dnd: '',
      customField__IIaGLFlqcxMhFsnmVKkt: '',
    });
    scope.done();
  });
});

describe('custom fields by their GHL name', () => {
  const definitions = recorded('list-custom-fields');
  const withValues = {
    ...searched('G5o416ExpefphW2NwydB'),
    customFields: [
      { id: 'IIaGLFlqcxMhFsnmVKkt', value: '274839105' },
      { id: 'rVp0yZEJb48R5Spn69a6', value: 'wholesale' },
      { id: 'gone0000000000000001', value: 'of a deleted field' },
    ],
  };
  const pointer = (values: unknown) =>
    `hydrate|||${JSON.stringify({ type: 'method', method: 'hydrators.customFieldsByName', bundle: { values } })}|||hydrate`;

  it('a poll stays at one request: the values by name are resolved only if a later step maps them', async () => {
    const scope = ghlApi()
      .post('/contacts/search')
      .reply(200, { contacts: [withValues, searched('Ko3FNoWcNTzgtiaBKBMK')], total: 2 });
    const [first, second] = await perform(trigger('new_contact'));
    expect(first.customFields).toEqual(withValues.customFields);
    expect(first.customFieldsByName).toBe(pointer(withValues.customFields));
    expect(second).not.toHaveProperty('customFieldsByName');
    scope.done();
  });

  it('the hydrator reads the definitions once and keys each value by the field key', async () => {
    const scope = ghlApi().get(`/locations/${LOCATION_ID}/customFields`).query({ model: 'contact' }).once().reply(200, definitions);
    const out = await appTester(
      App.hydrators!.customFieldsByName as never,
      { authData, inputData: { values: withValues.customFields } } as never,
    );
    expect(out).toEqual({ nango_dryrun_field: '274839105', nangotestfieldcreate: 'wholesale' });
    scope.done();
  });

  it.each(['triggers/new_contact', 'triggers/new_or_updated_contact', 'searches/find_contact', 'searches/find_contact_by_id'])(
    '%s: dynamic output fields labelled by the GHL name (one definitions request)',
    async (name) => {
      const o = ops().find(([n]) => n === name)![1];
      const fn = (o.operation.outputFields ?? []).find((f) => typeof f === 'function');
      const scope = ghlApi().get(`/locations/${LOCATION_ID}/customFields`).query({ model: 'contact' }).once().reply(200, definitions);
      const fields = await appTester(fn as never, { authData, inputData: {} } as never);
      expect(fields).toEqual([
        { key: 'customFieldsByName__temp_create_test', label: 'Nango Update Test (custom field)' },
        { key: 'customFieldsByName__nango_dryrun_field', label: 'Nango Dryrun Field (custom field)' },
        { key: 'customFieldsByName__nangotestfieldcreate', label: 'NangoTestFieldCreate (custom field)' },
      ]);
      scope.done();
    },
  );

  it('Find Contact offers them lazily too (one request)', async () => {
    const scope = ghlApi()
      .post('/contacts/search')
      .reply(200, { contacts: [withValues], total: 1 });
    const [out] = await perform(search('find_contact'), { query: 'Test' });
    expect(out.customFieldsByName).toBe(pointer(withValues.customFields));
    scope.done();
  });

  it('Create Contact with a custom field value outputs them by name from the definitions it already read (one definitions request)', async () => {
    const scope = ghlApi()
      .get(`/locations/${LOCATION_ID}/customFields`)
      .query({ model: 'contact' })
      .once()
      .reply(200, definitions)
      .post('/contacts/')
      .reply(200, {
        contact: { ...recorded('create-contact').contact, customFields: [{ id: 'IIaGLFlqcxMhFsnmVKkt', value: '274839105' }] },
      });
    const out = await perform(create('create_contact'), { email: 'rosa@example.com', customField__IIaGLFlqcxMhFsnmVKkt: '274839105' });
    expect(out.customFieldsByName).toEqual({ nango_dryrun_field: '274839105' });
    scope.done();
    nock.cleanAll();
  });
});
