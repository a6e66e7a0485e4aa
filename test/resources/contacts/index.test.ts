import App from '../../../index.js';

describe('Find or Create Contact (searchOrCreates)', () => {
  it('pairs Find Contact with Create Contact, and Update Contact when found', () => {
    expect({ find_contact: (App.searchOrCreates as Record<string, unknown>).find_contact }).toEqual({
      find_contact: {
        key: 'find_contact',
        display: {
          label: 'Find or Create Contact',
          description: 'Finds a contact by email, phone or custom field, or creates one if none exists.',
        },
        search: 'find_contact',
        create: 'create_contact',
        update: 'update_contact',
        updateInputFromSearchOutput: { contactId: 'id' },
      },
    });
  });
});
