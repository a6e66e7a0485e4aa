import type { Bundle, ZObject } from 'zapier-platform-core';
import { ghl, path, type GhlClient } from '../http/ghl.js';
import type { CustomFieldDefinition, CustomFieldsResponse, CustomFieldValueInput } from '../ghl/types.js';
import { InputReader, InvalidInputError } from '../lib/input.js';
import { pollingTrigger, type InputField, type OutputField, type ResourceOperations } from '../operations/define.js';

/**
 * Contact custom fields: GHL's `GET /locations/:locationId/customFields?model=contact`
 * (docs/ghl-api.md §2.25). Gives the hidden `custom_field_list` dropdown, the dynamic input fields
 * that let Create/Update Contact set custom field values ({@link customFieldInputs}) and the
 * pre-send conversion of those inputs into GHL's `customFields` body ({@link customFieldValues}).
 *
 * Decisions (written here, the one place they are made):
 * - Input keys are `customField__<custom field id>`: the id is what GHL's write API takes and
 *   what responses carry, and it survives a rename of the field in GHL (a `fieldKey` does not
 *   exist on responses, GHL issue #177).
 * - Values are sent as `{ id, fieldValue }` (decision and sources in `CustomFieldValueInput`,
 *   src/ghl/types.ts, and docs/ghl-recordings.md). GHL merges custom fields by id, so only
 *   the fields the user filled in are sent; an empty input is never sent (it would not clear
 *   the value reliably and must never wipe one by accident).
 * - FILE_UPLOAD and SIGNATURE fields get no input: GHL stores an uploaded-file object there,
 *   which text from a Zap cannot produce (spec `FileField`).
 */

export const CUSTOM_FIELD_PREFIX = 'customField__';
export const customFieldKey = (id: string): string => `${CUSTOM_FIELD_PREFIX}${id}`;

/**
 * The definitions, read at most once per run: the cache is keyed by the run's request client
 * (`ghl(z, bundle)`, made once per Zapier invocation), so a step that needs them twice (the body of
 * a create and the values by name in its output) sends one request, and nothing outlives the run.
 */
const definitionsOfRun = new WeakMap<GhlClient, Map<string, Promise<CustomFieldDefinition[]>>>();

export const fetchCustomFieldDefinitions = (api: GhlClient, locationId: string): Promise<CustomFieldDefinition[]> => {
  const run = definitionsOfRun.get(api) ?? new Map<string, Promise<CustomFieldDefinition[]>>();
  definitionsOfRun.set(api, run);
  const cached = run.get(locationId);
  if (cached) return cached;
  const pending = api
    .get<CustomFieldsResponse>(path`/locations/${locationId}/customFields`, { model: 'contact' })
    // `model=contact` is a filter GHL applies; keep the guard in case an account answers with every model.
    .then((res) =>
      (res.data.customFields ?? []).filter((d) => typeof d.id === 'string' && d.id !== '' && (!d.model || d.model === 'contact')),
    );
  // A failed read is not kept: a retry in the same run asks again.
  pending.catch(() => run.delete(locationId));
  run.set(locationId, pending);
  return pending;
};

/** The definitions if this run has already read them (no request). */
export const definitionsReadInRun = (api: GhlClient, locationId: string): Promise<CustomFieldDefinition[]> | undefined =>
  definitionsOfRun.get(api)?.get(locationId);

type Kind = 'text' | 'largeText' | 'number' | 'date' | 'multi' | 'single' | 'unsupported';

/** GHL `dataType` → how the value is entered in Zapier and sent to GHL. */
export const kindOf = (dataType: string | undefined): Kind => {
  switch ((dataType ?? '').toUpperCase()) {
    case 'LARGE_TEXT':
      return 'largeText';
    case 'NUMERICAL':
    case 'MONETORY':
      return 'number';
    case 'DATE':
      return 'date';
    case 'CHECKBOX':
    case 'MULTIPLE_OPTIONS':
      return 'multi';
    case 'SINGLE_OPTIONS':
    case 'RADIO':
      return 'single';
    case 'FILE_UPLOAD':
    case 'SIGNATURE':
      return 'unsupported';
    default:
      return 'text';
  }
};

const optionsOf = (d: CustomFieldDefinition): string[] => (d.picklistOptions ?? []).filter((o) => typeof o === 'string' && o.trim() !== '');

/** On a create an empty input leaves the field blank; on an update it keeps the contact's value. */
type Purpose = 'create' | 'update';
const EMPTY_MEANS: Record<Purpose, string> = { create: 'Leave empty to leave it blank.', update: 'Leave empty to leave it unchanged.' };

/** One Zapier input field for a GHL custom field, or undefined when Zapier cannot fill it. */
export const customFieldInputField = (d: CustomFieldDefinition, purpose: Purpose = 'update'): InputField | undefined => {
  const kind = kindOf(d.dataType);
  if (kind === 'unsupported') return undefined;
  const name = d.name?.trim() || d.fieldKey || (d.id as string);
  const field: InputField = {
    key: customFieldKey(d.id as string),
    label: name,
    required: false,
    type: kind === 'largeText' ? 'text' : kind === 'number' ? 'number' : kind === 'date' ? 'datetime' : 'string',
  };
  const options = optionsOf(d);
  if ((kind === 'multi' || kind === 'single') && options.length) field.choices = options;
  if (kind === 'multi') field.list = true;
  const what = kind === 'date' ? ' Sent to GHL as a date (YYYY-MM-DD).' : kind === 'multi' ? ' One option per line.' : '';
  field.helpText = `GHL custom field${d.fieldKey ? ` \`${d.fieldKey}\`` : ''}.${what} ${EMPTY_MEANS[purpose]}`;
  if (d.placeholder) field.placeholder = d.placeholder;
  return field;
};

const byPosition = (definitions: CustomFieldDefinition[]) => [...definitions].sort((a, b) => (a.position ?? 0) - (b.position ?? 0));

const inputsFor =
  (purpose: Purpose) =>
  async (z: ZObject, bundle: Bundle): Promise<InputField[]> => {
    const locationId = bundle.authData?.locationId;
    if (!locationId) return [];
    const definitions = await fetchCustomFieldDefinitions(ghl(z, bundle), String(locationId));
    return byPosition(definitions)
      .map((d) => customFieldInputField(d, purpose))
      .filter((f): f is InputField => f !== undefined);
  };

/**
 * Dynamic input fields (one per contact custom field), built when the Zap editor loads the step:
 * `customFieldInputs` for Update Contact (empty keeps the value), `customFieldInputsForCreate` for Create Contact.
 */
export const customFieldInputs = inputsFor('update');
export const customFieldInputsForCreate = inputsFor('create');

// ---- Values by name (outputs) ----

/**
 * GHL's contact answers give custom fields as `[{ id, value }]` only (#177: GHL will not add the
 * name). Outputs keep that list and add `customFieldsByName`: each value under its field key
 * without `contact.` (`contact.ecwid_customer_id` → `ecwid_customer_id`, which survives a rename),
 * labelled in the editor with the field's GHL name by {@link customFieldOutputFields}.
 */
export const CUSTOM_FIELDS_BY_NAME = 'customFieldsByName';

export const readableKey = (d: CustomFieldDefinition): string =>
  (d.fieldKey ?? '').replace(/^contact\./, '').replace(/[^A-Za-z0-9_]+/g, '_') || (d.id as string);

export const customFieldsByName = (values: Array<{ id?: string; value?: unknown }>, definitions: CustomFieldDefinition[]) => {
  const byId = new Map(definitions.map((d) => [d.id as string, d]));
  const out: Record<string, unknown> = {};
  // A value of a field deleted since is left out: it has no name any more.
  for (const v of values) {
    const d = typeof v.id === 'string' ? byId.get(v.id) : undefined;
    if (d) out[readableKey(d)] = v.value;
  }
  return out;
};

/** Dynamic output fields: one per custom field, keyed like `customFieldsByName` and labelled with the GHL name. */
export const customFieldOutputFields = async (z: ZObject, bundle: Bundle): Promise<OutputField[]> => {
  const locationId = bundle.authData?.locationId;
  if (!locationId) return [];
  const definitions = await fetchCustomFieldDefinitions(ghl(z, bundle), String(locationId));
  return byPosition(definitions).map((d) => ({
    key: `${CUSTOM_FIELDS_BY_NAME}__${readableKey(d)}`,
    label: `${d.name?.trim() || d.fieldKey || (d.id as string)} (custom field)`,
  }));
};

/**
 * Hydrator (registered in index.ts as `customFieldsByName`): the values by name, resolved only when
 * a later Zap step maps one, so a poll stays one request. Its input is the contact's own
 * `[{ id, value }]`, so resolving costs one definitions request.
 */
export const hydrateCustomFieldsByName = async (z: ZObject, bundle: Bundle) => {
  const locationId = String(bundle.authData?.locationId ?? '');
  const raw = (bundle.inputData as { values?: unknown }).values;
  const values = Array.isArray(raw) ? (raw as Array<{ id?: string; value?: unknown }>) : [];
  if (!locationId || !values.length) return {};
  return customFieldsByName(values, await fetchCustomFieldDefinitions(ghl(z, bundle), locationId));
};

/**
 * Adds `customFieldsByName` to a contact output that has custom field values: computed when this
 * run already read the definitions (no extra request), else a lazy pointer to the hydrator
 * (`lazy: false` leaves it out, e.g. for creates).
 */
export const withCustomFieldsByName = async <T extends { customFields?: Array<{ id?: string; value?: unknown }> }>(
  z: ZObject,
  api: GhlClient,
  locationId: string,
  out: T,
  opts: { lazy?: boolean } = {},
): Promise<T & { customFieldsByName?: unknown }> => {
  const values = out.customFields ?? [];
  if (!values.length) return out;
  const read = definitionsReadInRun(api, locationId);
  if (read) return { ...out, [CUSTOM_FIELDS_BY_NAME]: customFieldsByName(values, await read) };
  if (opts.lazy === false) return out;
  return { ...out, [CUSTOM_FIELDS_BY_NAME]: z.dehydrate(hydrateCustomFieldsByName, { values }) };
};

const isBlank = (v: unknown): boolean =>
  v === undefined ||
  v === null ||
  (typeof v === 'string' && v.trim() === '') ||
  (Array.isArray(v) && v.every((x) => x === null || x === undefined || String(x).trim() === ''));

/** True when the step was given at least one custom field value (so the definitions are worth fetching). */
export const hasCustomFieldValues = (inputData: Record<string, unknown>): boolean =>
  Object.entries(inputData).some(([k, v]) => k.startsWith(CUSTOM_FIELD_PREFIX) && !isBlank(v));

const fail = (message: string): never => {
  throw new InvalidInputError(message);
};

const NUMBER = /^[-+]?\d+(\.\d+)?$/;

const pickOption = (d: CustomFieldDefinition, label: string, value: string): string => {
  const options = optionsOf(d);
  if (!options.length || d.isAllowedCustomOption) return value;
  const match = options.find((o) => o.toLowerCase() === value.toLowerCase());
  if (match === undefined) fail(`"${label}" must be one of ${options.join(', ')}, but got "${value}". Pick an option from the dropdown.`);
  return match as string;
};

/**
 * Pre-send helper: the step's `customField__<id>` inputs → GHL's `customFields` body items,
 * checked against the field definitions (numbers are numbers, dates become YYYY-MM-DD, options
 * are one of the field's options). Empty inputs are left out. Throws InvalidInputError.
 */
export const customFieldValues = (inputData: Record<string, unknown>, definitions: CustomFieldDefinition[]): CustomFieldValueInput[] => {
  const byId = new Map(definitions.map((d) => [d.id as string, d]));
  const labels: Record<string, string> = {};
  for (const d of definitions) labels[customFieldKey(d.id as string)] = d.name?.trim() || d.fieldKey || (d.id as string);
  const read = new InputReader(inputData, labels);
  const out: CustomFieldValueInput[] = [];
  for (const [key, raw] of Object.entries(inputData)) {
    if (!key.startsWith(CUSTOM_FIELD_PREFIX) || isBlank(raw)) continue;
    const id = key.slice(CUSTOM_FIELD_PREFIX.length);
    const d = byId.get(id);
    if (!d) {
      return fail(
        `The custom field with id "${id}" no longer exists in this GHL sub-account. Open the step in the Zap editor, refresh the fields and map the value again.`,
      );
    }
    const label = labels[key] as string;
    const kind = kindOf(d.dataType);
    if (kind === 'unsupported') fail(`"${label}" is a file field; GHL cannot store a value from a Zap in it. Remove the value.`);
    if (kind === 'multi') {
      const items = (read.list(key, { max: 500 }) ?? []).map((v) => pickOption(d, label, v));
      out.push({ id, fieldValue: items });
    } else if (kind === 'number') {
      const s = (read.text(key, { max: 40 }) as string).replace(/\s+/g, '');
      if (!NUMBER.test(s)) fail(`"${label}" must be a number like 1840.50 (digits, with a dot for decimals), but got "${s}".`);
      out.push({ id, fieldValue: Number(s) });
    } else if (kind === 'date') {
      out.push({ id, fieldValue: read.date(key) as string });
    } else if (kind === 'single') {
      out.push({ id, fieldValue: pickOption(d, label, read.text(key, { max: 500 }) as string) });
    } else {
      out.push({ id, fieldValue: read.text(key) as string });
    }
  }
  return out;
};

/** Fetches the definitions only when custom field values were given; undefined means "send no customFields". */
export const customFieldsBody = async (
  api: GhlClient,
  locationId: string,
  inputData: Record<string, unknown>,
): Promise<CustomFieldValueInput[] | undefined> => {
  if (!hasCustomFieldValues(inputData)) return undefined;
  const values = customFieldValues(inputData, await fetchCustomFieldDefinitions(api, locationId));
  return values.length ? values : undefined;
};

// ---- Hidden dropdown ----

export const toCustomField = (d: CustomFieldDefinition) => ({
  id: d.id as string,
  customFieldId: d.id as string,
  name: d.name?.trim() || d.fieldKey || (d.id as string),
  fieldKey: d.fieldKey,
  dataType: d.dataType,
  ...(optionsOf(d).length ? { picklistOptions: optionsOf(d) } : {}),
});

export const customFieldList = pollingTrigger({
  key: 'custom_field_list',
  endpoints: ['GET /locations/{locationId}/customFields'],
  noun: 'Custom Field',
  label: 'Custom Field List',
  description: 'Triggers when a contact custom field is added; lists contact custom fields for dropdowns.',
  hidden: true,
  inputFields: [],
  parse: () => ({}),
  perform: async ({ api, locationId }) =>
    (await fetchCustomFieldDefinitions(api, locationId)).map(toCustomField).sort((a, b) => a.name.localeCompare(b.name)),
});

/** The custom-field picker used by Find Contact (value = custom field id, label = its name). */
export const customFieldIdField = (overrides: Partial<InputField> = {}): InputField => ({
  key: 'customFieldId',
  label: 'Custom Field',
  required: false,
  dynamic: 'custom_field_list.id.name',
  helpText: 'A contact custom field, e.g. **Ecwid Customer ID**.',
  ...overrides,
});

export const customFieldsOperations: ResourceOperations = { triggers: [customFieldList], searches: [], creates: [] };
