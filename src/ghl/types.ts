/**
 * GHL request and response types. Everything comes from the official OpenAPI files
 * (`openapi/apps/*.json`, generated into openapi/types/ by `npm run generate:types`), except the
 * corrections below, each of which names why the spec is wrong or empty.
 */
import type { components as ContactsSpec } from '../../openapi/types/contacts.js';
import type { components as LocationsSpec } from '../../openapi/types/locations.js';
import type { components as UsersSpec } from '../../openapi/types/users.js';
import type { components as BusinessesSpec } from '../../openapi/types/businesses.js';
import type { components as OAuthSpec } from '../../openapi/types/oauth.js';

type C = ContactsSpec['schemas'];
type L = LocationsSpec['schemas'];

export type TokenResponse = OAuthSpec['schemas']['GetAccessCodeSuccessfulResponseDto'];

export type Contact = C['GetContectByIdSchema'] & {
  /** Present in real answers and in the create schema, missing from GetContectByIdSchema. */
  dateUpdated?: string;
};
export type ContactResponse = C['ContactsByIdSuccessfulResponseDto'];
export type CreateContactBody = Omit<C['CreateContactDto'], 'customFields'> & { customFields?: CustomFieldValueInput[] };
export type CreateContactResponse = C['CreateContactsSuccessfulResponseDto'];
export type UpdateContactBody = Omit<C['UpdateContactDto'], 'customFields'> & { customFields?: CustomFieldValueInput[] };
export type UpdateContactResponse = C['UpdateContactsSuccessfulResponseDto'];
export type Task = C['TaskSchema'] & {
  /** Not in TaskSchema; GHL's location task search and webhooks carry them (docs/ghl-api.md §5.2). */
  dateAdded?: string;
  dateUpdated?: string;
};
export type CreateTaskBody = C['CreateTaskParams'];
export type UpdateTaskBody = C['UpdateTaskBody'];
export type Note = C['GetNoteSchema'];
export type CreateNoteBody = C['NotesDTO'];
export type UpdateNoteBody = C['UpdateNoteDTO'];
export type Appointment = C['GetEventSchema'];

/**
 * Correction (decision of issue 10): custom field values are sent as `{ id, fieldValue }`, not
 * the v2 spec's `field_value`. Evidence, strongest first:
 * - GHL's own newest spec of the same endpoints (openapi v3 contacts-v3.json, 2026-06-19) lists
 *   both keys on every custom-field input, `fieldValue` "(preferred)" and `field_value`
 *   "Deprecated. Use `fieldValue` instead." That spec describes the live v2 backend's DTOs more
 *   closely than the v2 file: its `{ succeeded, succeded }` answers are what live v2 sends
 *   (fixtures/ghl-recordings/delete-contact.json, update-contact.json), the v2 file has only `succeded`.
 * - n8n-io/n8n#35392 (2026-08): a live v2 `PUT /contacts/:id` with `[{ id, fieldValue }]` works;
 *   the fix PR n8n-io/n8n#35988 sends `{ id, fieldValue }` on create and update.
 * - GoHighLevel/highlevel-api-docs#320 mirrors the v3 contract into the v2 file (open).
 * - For `field_value` only the v2 spec and GHL's SDK generated from it (GoHighLevel/highlevel-api-sdk,
 *   lib/code/contacts/models/contacts.ts); the failing n8n requests also nested the id in a `fieldId`
 *   object, so they do not show that `field_value` is refused.
 * - The recordings write no custom field, so they cannot decide; `value` (mastanley13/GoHighLevel-MCP#14)
 *   is one report without a source. Responses always use `{ id, value }` (spec CustomFieldSchema).
 * The sandbox accepts `fieldValue`, `field_value` and `value` (sandbox/handlers/contact-records.ts).
 */
export interface CustomFieldValueInput {
  id: string;
  fieldValue: string | number | string[];
}
export type CustomFieldValue = C['CustomFieldSchema'];

/**
 * Correction: `POST /contacts/search` has an empty body schema (`SearchBodyV2DTO: {}`) and no
 * response schema. Contract from GHL's Search Contacts doc, issues #31 and #289 (docs/ghl-api.md §2.21).
 */
export type SearchFilter =
  | { field: string; operator: 'eq' | 'not_eq' | 'contains' | 'not_contains' | 'exists' | 'not_exists'; value?: unknown }
  | {
      field: string;
      operator: 'range';
      value: { gte?: string | number; gt?: string | number; lte?: string | number; lt?: string | number };
    }
  | { group: 'AND' | 'OR'; filters: SearchFilter[] };
export interface SearchContactsBody {
  locationId: string;
  pageLimit: number;
  page?: number;
  searchAfter?: Array<string | number>;
  query?: string;
  filters?: SearchFilter[];
  sort?: Array<{ field: string; direction: 'asc' | 'desc' }>;
}
export type SearchedContact = Contact & { searchAfter?: Array<string | number> };
export interface SearchContactsResponse {
  contacts: SearchedContact[];
  total: number;
  traceId?: string;
}

/** Correction: `GET /contacts/search/duplicate` has no response schema; observed `{ contact }` or `{ contact: null }`. */
export interface DuplicateContactResponse {
  contact: Contact | null;
}

/** Correction: the spec types task-search items as `array` of arrays; real items are task objects. */
export interface LocationTaskSearchBody {
  contactId?: string[];
  completed?: boolean;
  assignedTo?: string[];
  query?: string;
  limit?: number;
  skip?: number;
  businessId?: string;
}
export interface LocationTaskSearchResponse {
  tasks: Task[];
}

export type LocationResponse = L['GetLocationByIdSuccessfulResponseDto'];
export type CustomFieldDefinition = L['CustomFieldSchema'];
export type CustomFieldsResponse = L['CustomFieldsListSuccessfulResponseDto'];
export type LocationTagsResponse = L['LocationTagsSuccessfulResponseDto'];
export type User = UsersSpec['schemas']['UserSchema'];
export type UsersResponse = UsersSpec['schemas']['LocationSuccessfulResponseDto'];
export type Business = BusinessesSpec['schemas']['BusinessDto'];
export type BusinessesResponse = BusinessesSpec['schemas']['GetBusinessByLocationResponseDto'];
export type ContactsByBusinessResponse = C['ContactsSearchSuccessfulResponseDto'];

/**
 * Correction: items of `POST /locations/:locationId/tasks/search` (spec: `LocationTaskListSuccessfulResponseDto`,
 * typed as arrays of arrays) are task objects that real answers key by `_id` rather than `id`, and carry
 * `deleted`, `locationId`, `dateAdded`, `dateUpdated` besides TaskSchema's fields (third-party live probes of the
 * endpoint; not in the spec). `SearchedTask` accepts both id forms; `toTask` reads either.
 */
export type SearchedTask = Task & { _id?: string; deleted?: boolean; locationId?: string };
export interface SearchedTasksResponse {
  tasks?: SearchedTask[];
}

/** Spec `TagsDTO` (add/remove tags body) and the `{ tags }` both tag endpoints answer with (the contact's tags after the change). */
export type ContactTagsBody = C['TagsDTO'];
export type ContactTagsResponse = C['CreateAddTagSuccessfulResponseDto'];
export type DeleteContactResponse = C['DeleteContactsSuccessfulResponseDto'];
/** `POST /contacts/bulk/business` (spec `add-remove-contact-from-business`): the only documented way to set a contact's business. */
export type ContactsBusinessUpdateBody = C['ContactsBusinessUpdate'];
export type ContactsBusinessUpdateResponse = C['ContactsBulkUpateResponse'];
export type LocationTag = L['LocationTagsSchema'];
/**
 * Correction: `GET /contacts/business/:businessId` items are typed `ContactsSearchSchema` (no name,
 * phone or address), but they are contact records; we read them with the contact shape, whose
 * fields are all optional, so a missing field simply stays absent.
 */
export type BusinessContact = C['ContactsSearchSchema'] & Partial<Contact>;
/**
 * Correction: the spec types `dateOfBirth` on CreateContactDto/UpdateContactDto as an empty object
 * (`Record<string, never>`); its description and GHL's docs list date strings (`YYYY-MM-DD`,
 * `MM/DD/YYYY`, …), which is what we send.
 */
export type CreateContactRequest = Omit<CreateContactBody, 'dateOfBirth'> & { dateOfBirth?: string | null };
export type UpdateContactRequest = Omit<UpdateContactBody, 'dateOfBirth'> & { dateOfBirth?: string | null };
