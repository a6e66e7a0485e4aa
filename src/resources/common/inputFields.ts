import type { InputField } from '../../operations/define.js';

/**
 * Input fields shared by several nouns. ID fields always come with a dropdown (`dynamic`, a hidden
 * trigger) and, for contacts, a search connector, so users never have to type an id (Zapier D004).
 */
export const contactIdField = (overrides: Partial<InputField> = {}): InputField => ({
  key: 'contactId',
  label: 'Contact',
  required: true,
  dynamic: 'contact_list.id.name',
  search: 'find_contact.id',
  helpText: 'The GHL contact. Pick one, or map the **Contact ID** from an earlier step (for example Find Contact).',
  ...overrides,
});

export const taskIdField = (overrides: Partial<InputField> = {}): InputField => ({
  key: 'taskId',
  label: 'Task',
  required: true,
  dynamic: 'task_list.id.title',
  search: 'find_task.id',
  helpText: "One of the contact's tasks. Pick one, or map the **Task ID** from an earlier step (for example Find Task).",
  altersDynamicFields: false,
  ...overrides,
});

export const noteIdField = (overrides: Partial<InputField> = {}): InputField => ({
  key: 'noteId',
  label: 'Note',
  required: true,
  dynamic: 'note_list.id.body',
  search: 'find_note.id',
  helpText: "One of the contact's notes. Pick one, or map the **Note ID** from an earlier step (for example Find Note).",
  ...overrides,
});

export const userIdField = (overrides: Partial<InputField> = {}): InputField => ({
  key: 'assignedTo',
  label: 'Assigned User',
  required: false,
  dynamic: 'user_list.id.name',
  helpText: 'The GHL user responsible. Leave empty for nobody.',
  ...overrides,
});

export const businessIdField = (overrides: Partial<InputField> = {}): InputField => ({
  key: 'businessId',
  label: 'Business',
  required: false,
  dynamic: 'business_list.id.name',
  helpText: 'The GHL business (company record) this contact belongs to.',
  ...overrides,
});

export const tagsField = (overrides: Partial<InputField> = {}): InputField => ({
  key: 'tags',
  label: 'Tags',
  required: false,
  list: true,
  dynamic: 'tag_list.name.name',
  helpText: 'One tag per line. Tags that do not exist yet are created by GHL.',
  ...overrides,
});
