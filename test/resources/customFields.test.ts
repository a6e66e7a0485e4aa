import type { CustomFieldDefinition } from '../../src/ghl/types.js';
import { InvalidInputError } from '../../src/lib/input.js';
import { customFieldInputs, customFieldInputsForCreate, customFieldValues } from '../../src/resources/customFields.js';
import { LOCATION_ID, appTester, authData, create, ghlApi, perform, rejectsWith, trigger } from '../helpers.js';

const defs: CustomFieldDefinition[] = [
  {
    id: 'cfText00000000000001',
    name: 'Ecwid Customer ID',
    fieldKey: 'contact.ecwid_customer_id',
    placeholder: 'e.g. 123456789',
    dataType: 'TEXT',
    position: 0,
    model: 'contact',
  },
  {
    id: 'cfLarge0000000000001',
    name: 'Notes for Staff',
    fieldKey: 'contact.notes_for_staff',
    dataType: 'LARGE_TEXT',
    position: 250,
    model: 'contact',
  },
  { id: 'cfNum000000000000001', name: 'Orders', fieldKey: 'contact.orders', dataType: 'NUMERICAL', position: 90, model: 'contact' },
  {
    id: 'cfMoney0000000000001',
    name: 'Lifetime Value',
    fieldKey: 'contact.lifetime_value',
    dataType: 'MONETORY',
    position: 100,
    model: 'contact',
  },
  {
    id: 'cfDate00000000000001',
    name: 'First Order Date',
    fieldKey: 'contact.first_order_date',
    dataType: 'DATE',
    position: 200,
    model: 'contact',
  },
  {
    id: 'cfCheck000000000001',
    name: 'Marketing Opt-in',
    fieldKey: 'contact.marketing_optin',
    dataType: 'CHECKBOX',
    position: 150,
    picklistOptions: ['Yes'],
    model: 'contact',
  },
  {
    id: 'cfMulti000000000001',
    name: 'Interests',
    fieldKey: 'contact.interests',
    dataType: 'MULTIPLE_OPTIONS',
    position: 160,
    picklistOptions: ['Mugs', 'Plates'],
    model: 'contact',
  },
  {
    id: 'cfSingle00000000001',
    name: 'Customer Group',
    fieldKey: 'contact.customer_group',
    dataType: 'SINGLE_OPTIONS',
    position: 50,
    picklistOptions: ['General', 'VIP'],
    model: 'contact',
  },
  {
    id: 'cfRadio000000000001',
    name: 'Channel',
    fieldKey: 'contact.channel',
    dataType: 'RADIO',
    position: 60,
    picklistOptions: ['Web', 'Shop'],
    isAllowedCustomOption: true,
    model: 'contact',
  },
  { id: 'cfPhone000000000001', name: 'Office Phone', fieldKey: 'contact.office_phone', dataType: 'PHONE', position: 70, model: 'contact' },
  { id: 'cfFile0000000000001', name: 'Contract', fieldKey: 'contact.contract', dataType: 'FILE_UPLOAD', position: 80, model: 'contact' },
];

describe('custom_field_list (hidden dropdown)', () => {
  it('lists the contact custom fields by name, id = custom field id', async () => {
    const scope = ghlApi()
      .get(`/locations/${LOCATION_ID}/customFields`)
      .query({ model: 'contact' })
      .reply(200, {
        customFields: [
          defs[4],
          defs[0],
          { id: 'cfOpp0000000000000001', name: 'Deal Size', dataType: 'NUMERICAL', model: 'opportunity' },
          defs[7],
        ],
      });
    const out = await perform(trigger('custom_field_list'));
    expect(out).toEqual([
      {
        id: 'cfSingle00000000001',
        customFieldId: 'cfSingle00000000001',
        name: 'Customer Group',
        fieldKey: 'contact.customer_group',
        dataType: 'SINGLE_OPTIONS',
        picklistOptions: ['General', 'VIP'],
      },
      {
        id: 'cfText00000000000001',
        customFieldId: 'cfText00000000000001',
        name: 'Ecwid Customer ID',
        fieldKey: 'contact.ecwid_customer_id',
        dataType: 'TEXT',
      },
      {
        id: 'cfDate00000000000001',
        customFieldId: 'cfDate00000000000001',
        name: 'First Order Date',
        fieldKey: 'contact.first_order_date',
        dataType: 'DATE',
      },
    ]);
    scope.done();
  });

  it('returns [] when the sub-account has no custom fields', async () => {
    const scope = ghlApi().get(`/locations/${LOCATION_ID}/customFields`).query({ model: 'contact' }).reply(200, { customFields: [] });
    await expect(perform(trigger('custom_field_list'))).resolves.toEqual([]);
    scope.done();
  });

  it('explains a missing scope', async () => {
    const scope = ghlApi()
      .get(`/locations/${LOCATION_ID}/customFields`)
      .query({ model: 'contact' })
      .reply(403, { statusCode: 403, message: 'The token is not authorized for this scope.' });
    await rejectsWith(
      perform(trigger('custom_field_list')),
      'AppError',
      /^GHL denied access: The token is not authorized for this scope\. Check that/,
    );
    scope.done();
  });
});

describe('customFieldInputs (dynamic input fields of Create/Update Contact)', () => {
  it('is what Create Contact and Update Contact load at run time', () => {
    for (const [key, inputs] of [
      ['create_contact', customFieldInputsForCreate],
      ['update_contact', customFieldInputs],
    ] as const) {
      const fields = (create(key).operation as unknown as { inputFields: unknown[] }).inputFields;
      expect({ key, dynamic: fields.includes(inputs) }).toEqual({ key, dynamic: true });
    }
  });

  it('maps every GHL data type to a Zapier field, in GHL’s order, skipping file fields', async () => {
    const scope = ghlApi().get(`/locations/${LOCATION_ID}/customFields`).query({ model: 'contact' }).reply(200, { customFields: defs });
    const fields = await appTester(customFieldInputs as never, { authData, inputData: {} } as never);
    const help = (fieldKey: string, extra = '') => `GHL custom field \`${fieldKey}\`.${extra} Leave empty to leave it unchanged.`;
    expect(fields).toEqual([
      {
        key: 'customField__cfText00000000000001',
        label: 'Ecwid Customer ID',
        required: false,
        type: 'string',
        helpText: help('contact.ecwid_customer_id'),
        placeholder: 'e.g. 123456789',
      },
      {
        key: 'customField__cfSingle00000000001',
        label: 'Customer Group',
        required: false,
        type: 'string',
        choices: ['General', 'VIP'],
        helpText: help('contact.customer_group'),
      },
      {
        key: 'customField__cfRadio000000000001',
        label: 'Channel',
        required: false,
        type: 'string',
        choices: ['Web', 'Shop'],
        helpText: help('contact.channel'),
      },
      {
        key: 'customField__cfPhone000000000001',
        label: 'Office Phone',
        required: false,
        type: 'string',
        helpText: help('contact.office_phone'),
      },
      { key: 'customField__cfNum000000000000001', label: 'Orders', required: false, type: 'number', helpText: help('contact.orders') },
      {
        key: 'customField__cfMoney0000000000001',
        label: 'Lifetime Value',
        required: false,
        type: 'number',
        helpText: help('contact.lifetime_value'),
      },
      {
        key: 'customField__cfCheck000000000001',
        label: 'Marketing Opt-in',
        required: false,
        type: 'string',
        list: true,
        choices: ['Yes'],
        helpText: help('contact.marketing_optin', ' One option per line.'),
      },
      {
        key: 'customField__cfMulti000000000001',
        label: 'Interests',
        required: false,
        type: 'string',
        list: true,
        choices: ['Mugs', 'Plates'],
        helpText: help('contact.interests', ' One option per line.'),
      },
      {
        key: 'customField__cfDate00000000000001',
        label: 'First Order Date',
        required: false,
        type: 'datetime',
        helpText: help('contact.first_order_date', ' Sent to GHL as a date (YYYY-MM-DD).'),
      },
      {
        key: 'customField__cfLarge0000000000001',
        label: 'Notes for Staff',
        required: false,
        type: 'text',
        helpText: help('contact.notes_for_staff'),
      },
    ]);
    scope.done();
  });

  it('gives no fields when the sub-account has none', async () => {
    const scope = ghlApi().get(`/locations/${LOCATION_ID}/customFields`).query({ model: 'contact' }).reply(200, {});
    await expect(appTester(customFieldInputs as never, { authData, inputData: {} } as never)).resolves.toEqual([]);
    scope.done();
  });
});

describe('customFieldValues (pre-send conversion)', () => {
  it('converts each input by its data type and leaves empty ones out', () => {
    const out = customFieldValues(
      {
        firstName: 'Rosa',
        customField__cfText00000000000001: ' 274839105 ',
        customField__cfLarge0000000000001: '',
        customField__cfNum000000000000001: 12,
        customField__cfMoney0000000000001: '-3.50',
        customField__cfDate00000000000001: '2026-01-09T23:30:00+01:00',
        customField__cfCheck000000000001: ['yes'],
        customField__cfMulti000000000001: 'plates, Mugs',
        customField__cfSingle00000000001: 'vip',
        customField__cfRadio000000000001: 'Market stall',
        customField__cfPhone000000000001: null,
      },
      defs,
    );
    expect(out).toEqual([
      { id: 'cfText00000000000001', fieldValue: '274839105' },
      { id: 'cfNum000000000000001', fieldValue: 12 },
      { id: 'cfMoney0000000000001', fieldValue: -3.5 },
      { id: 'cfDate00000000000001', fieldValue: '2026-01-09' },
      { id: 'cfCheck000000000001', fieldValue: ['Yes'] },
      { id: 'cfMulti000000000001', fieldValue: ['Plates', 'Mugs'] },
      { id: 'cfSingle00000000001', fieldValue: 'VIP' },
      { id: 'cfRadio000000000001', fieldValue: 'Market stall' },
    ]);
  });

  it.each([
    [
      { customField__cfGone0000000000001: 'x' },
      'The custom field with id "cfGone0000000000001" no longer exists in this GHL sub-account. Open the step in the Zap editor, refresh the fields and map the value again.',
    ],
    [
      { customField__cfNum000000000000001: 'twelve' },
      '"Orders" must be a number like 1840.50 (digits, with a dot for decimals), but got "twelve".',
    ],
    [{ customField__cfDate00000000000001: 'soon' }, '"First Order Date" is not a date: "soon". Use YYYY-MM-DD, e.g. 1990-04-23.'],
    [
      { customField__cfMulti000000000001: ['Mugs', 'Bowls'] },
      '"Interests" must be one of Mugs, Plates, but got "Bowls". Pick an option from the dropdown.',
    ],
    [
      { customField__cfFile0000000000001: 'https://example.com/contract.pdf' },
      '"Contract" is a file field; GHL cannot store a value from a Zap in it. Remove the value.',
    ],
  ])('refuses %p with a message the user can act on', (inputData, message) => {
    expect(() => customFieldValues(inputData, defs)).toThrow(new InvalidInputError(message));
  });
});
