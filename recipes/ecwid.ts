/**
 * Ecwid by Lightspeed → GHL: the field mappings of the three Zap recipes, written the way a user
 * fills in the Zap editor — each input is a template over the trigger's (or an earlier step's)
 * output. Step numbers are those of the recipe tables in docs/recipes.md (step 1 is the Catch Hook). Ecwid
 * shapes follow its REST API v3 customer object and webhook body
 * (Ecwid's public REST API v3 reference, docs.ecwid.com: customers and webhooks; docs/ecwid-app.md); the fixtures are in fixtures/ecwid/.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface EcwidBillingPerson {
  name?: string;
  firstName?: string;
  lastName?: string;
  companyName?: string;
  street?: string;
  city?: string;
  countryCode?: string;
  postalCode?: string;
  stateOrProvinceCode?: string;
  phone?: string;
}
export interface EcwidCustomer {
  id: number;
  email: string;
  registered?: string;
  updated?: string;
  customerGroupId?: number;
  customerGroupName?: string;
  billingPerson?: EcwidBillingPerson;
  acceptMarketing?: boolean;
}
export interface EcwidWebhook {
  eventId: string;
  eventCreated: number;
  storeId: number;
  entityId: number;
  eventType: 'customer.created' | 'customer.updated' | 'customer.deleted';
  data?: { customerEmail?: string };
}
export interface EcwidEvent {
  webhook: EcwidWebhook;
  customer?: EcwidCustomer;
}

export const loadEcwidEvent = (name: 'customer-created' | 'customer-updated' | 'customer-deleted'): EcwidEvent =>
  JSON.parse(readFileSync(resolve(process.cwd(), 'fixtures/ecwid', `${name}.json`), 'utf8')) as EcwidEvent;

/** Resolves `{{a.b.c}}` against data like Zapier's field mapping; a template that is exactly one mapping keeps the value's type. */
export const render = (template: unknown, data: Record<string, unknown>): unknown => {
  if (Array.isArray(template)) return template.map((t) => render(t, data));
  if (typeof template !== 'string') return template;
  const lookup = (p: string): unknown =>
    p.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), data);
  const whole = /^\{\{\s*([\w.]+)\s*\}\}$/.exec(template);
  if (whole) return lookup(whole[1] as string) ?? '';
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_m, p: string) => {
    const v = lookup(p);
    return v === undefined || v === null ? '' : String(v);
  });
};

export const mapFields = (mapping: Record<string, unknown>, data: Record<string, unknown>): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [key, template] of Object.entries(mapping)) out[key] = render(template, data);
  return out;
};

/** Settings the user picks once in the Zap editor (dropdown values), not per event. */
export interface RecipeSettings {
  /** The GHL custom field that stores Ecwid's customer id ("Ecwid Customer ID"). */
  ecwidIdFieldId: string;
  /** Optional GHL user to own contacts and tasks. */
  assignedTo?: string;
  /**
   * The shop's Ecwid customer groups, typed once into the Remove Tags step of the group swap
   * (flow 2, step 6). A group added in Ecwid later must be added there too.
   */
  groups?: string[];
  /**
   * Ecwid extra fields (checkout questions) → GHL custom fields, picked in the Zap editor: the
   * Ecwid app's output "<title> (extra field)" (`extraFields__<key>`) mapped into the GHL custom
   * field's input. Ecwid app recipe only.
   */
  extraFields?: Array<{ ecwidKey: string; customFieldId: string }>;
}

/** The demo shop's groups (the Ecwid sandbox's: ecwid/sandbox/state.ts GROUPS). */
export const DEMO_SHOP_GROUPS = ['General', 'Retail', 'Wholesale', 'VIP'];

/**
 * Flow 2, step 2 — Find or Create Business: the customer's Ecwid group is a GHL business of the same
 * name (letter case and spaces aside), created the first time a customer of the group comes by.
 * Its id goes into the contact's Business in step 3, so a customer moved to another group in Ecwid
 * moves to that group's business. The same mapping serves the webhook and the Ecwid app recipe
 * (both outputs call the group `customerGroupName`).
 */
export const syncBusinessSearchMapping = () => ({ name: '{{customer.customerGroupName}}' });
export const syncBusinessCreateMapping = () => ({
  name: '{{customer.customerGroupName}}',
  description: 'Ecwid customer group: {{customer.customerGroupName}}',
});

/** Flow 2, step 3 — Find or Create Contact: the search half (Ecwid id first, then email). */
export const syncSearchMapping = (s: RecipeSettings) => ({
  customFieldId: s.ecwidIdFieldId,
  customFieldValue: '{{customer.id}}',
  email: '{{customer.email}}',
});

/** Flow 2, step 3 — Find or Create Contact: the create half; Business ← step 2's business. */
export const syncContactMapping = (s: RecipeSettings) => ({
  firstName: '{{customer.billingPerson.firstName}}',
  lastName: '{{customer.billingPerson.lastName}}',
  email: '{{customer.email}}',
  phone: '{{customer.billingPerson.phone}}',
  companyName: '{{customer.billingPerson.companyName}}',
  address1: '{{customer.billingPerson.street}}',
  city: '{{customer.billingPerson.city}}',
  state: '{{customer.billingPerson.stateOrProvinceCode}}',
  postalCode: '{{customer.billingPerson.postalCode}}',
  country: '{{customer.billingPerson.countryCode}}',
  source: 'Ecwid',
  tags: ['ecwid-customer'],
  ...(s.assignedTo ? { assignedTo: s.assignedTo } : {}),
  businessId: '{{business.id}}',
  [`customField__${s.ecwidIdFieldId}`]: '{{customer.id}}',
});

/**
 * Flow 2, step 3 — Find or Create Contact: the update half (runs when the contact exists). Tags are
 * left out on purpose: Update Contact would replace them all; the group tag is swapped in steps 5–7.
 * Company name is updated too (GHL's PUT accepts it, highlevel-api-docs#314). The business stays:
 * it moves the contact to its group's business when the group changed in Ecwid, and if a first run
 * created the contact but failed before attaching it, the replay's update attaches it.
 */
export const syncUpdateMapping = (s: RecipeSettings) => {
  const { tags: _tags, ...rest } = syncContactMapping(s) as Record<string, unknown>;
  return rest;
};

/**
 * Flow 2, steps 5–7 — the group swap, so a contact carries one `ecwid-group:*` tag (a GHL segment
 * on `ecwid-group:General` must not keep wholesale buyers). Built from plain Zap editor steps:
 * step 5, a Filter: only continue if step 3's Tags do not contain `ecwid-group:{{Customer Group}}`
 * (a new customer, or the group changed; otherwise nothing is touched and no "tag added" fires
 * again in GHL); step 6, Remove Tags from Contact with every group tag of the shop; step 7, Add
 * Tags to Contact with the current group's tag. The steps come last so the filter stops nothing else.
 */
export const GROUP_TAG = 'ecwid-group:{{customer.customerGroupName}}';

export const groupTagsOf = (s: RecipeSettings): string[] => (s.groups ?? DEMO_SHOP_GROUPS).map((g) => `ecwid-group:${g}`);

/** Flow 2, step 6 — Remove Tags from Contact: every group tag of the shop (tags the contact lacks are ignored). */
export const syncRemoveGroupTagsMapping = (s: RecipeSettings) => ({
  contactId: '{{contact.id}}',
  tags: groupTagsOf(s),
});

/** Flow 2, step 7 — Add Tags to Contact: Ecwid's customer group as a tag. */
export const syncGroupTagMapping = () => ({
  contactId: '{{contact.id}}',
  tags: [GROUP_TAG],
});

/** Flow 2, step 4 — Find or Create Task: the welcome task; the search makes a replay harmless. */
export const WELCOME_TASK_TITLE = 'Welcome call for new Ecwid customer';
export const syncTaskSearchMapping = () => ({
  contactId: '{{contact.id}}',
  title: WELCOME_TASK_TITLE,
  status: 'any',
});
export const syncTaskCreateMapping = (s: RecipeSettings) => ({
  contactId: '{{contact.id}}',
  title: WELCOME_TASK_TITLE,
  body: 'Ecwid customer #{{customer.id}} ({{customer.customerGroupName}}) signed up on {{customer.registered}}. Say hello and offer help with the first order.',
  dueDate: '{{welcomeDue}}',
  ...(s.assignedTo ? { assignedTo: s.assignedTo } : {}),
});

/** Flow 3, step 2 — Find Contact for a deleted customer: the webhook only has the id and the email. */
export const removalSearchMapping = (s: RecipeSettings) => ({
  customFieldId: s.ecwidIdFieldId,
  customFieldValue: '{{webhook.entityId}}',
  email: '{{webhook.data.customerEmail}}',
});

/** Flow 3, step 4a (hard) — Delete Contact, tasks first so the output lists every task removed. */
export const removalDeleteMapping = () => ({ contactId: '{{contact.id}}', deleteTasks: true });

/** Flow 3, step 4b (soft) — Archive Contact: tag it and complete its open tasks; nothing is deleted. */
export const removalArchiveMapping = () => ({ contactId: '{{contact.id}}', tag: 'ecwid-deleted' });

// ---- Recipes 2 and 3 with the Ecwid Customers app (ecwid/): its triggers' flat, labelled outputs ----
// `customer` is the New or Updated Customer output (ecwid/src/resources/shape.ts), `deleted` the
// Deleted Customer output. These are the recipes docs/recipes.md recommends; the webhook mappings above
// are the instant alternative.

/** Flow 2, step 3 — Find or Create Contact: the search half (Ecwid id first, then email). */
export const appSyncSearchMapping = (s: RecipeSettings) => ({
  customFieldId: s.ecwidIdFieldId,
  customFieldValue: '{{customer.customerId}}',
  email: '{{customer.email}}',
});

/** Flow 2, step 3 — Find or Create Contact: the create half; Business ← step 2's business. */
export const appSyncContactMapping = (s: RecipeSettings) => ({
  firstName: '{{customer.firstName}}',
  lastName: '{{customer.lastName}}',
  email: '{{customer.email}}',
  phone: '{{customer.phone}}',
  companyName: '{{customer.companyName}}',
  address1: '{{customer.billingStreet}}',
  city: '{{customer.billingCity}}',
  state: '{{customer.billingStateCode}}',
  postalCode: '{{customer.billingPostalCode}}',
  country: '{{customer.billingCountryCode}}',
  source: 'Ecwid',
  tags: ['ecwid-customer'],
  ...(s.assignedTo ? { assignedTo: s.assignedTo } : {}),
  businessId: '{{business.id}}',
  [`customField__${s.ecwidIdFieldId}`]: '{{customer.customerId}}',
  // An unanswered question maps to '' and Update Contact leaves the GHL value as it is.
  ...Object.fromEntries((s.extraFields ?? []).map((f) => [`customField__${f.customFieldId}`, `{{customer.extraFields.${f.ecwidKey}}}`])),
});

/** Flow 2, step 3 — the update half: as the create, less tags (see syncUpdateMapping; company name is updated too). */
export const appSyncUpdateMapping = (s: RecipeSettings) => {
  const { tags: _tags, ...rest } = appSyncContactMapping(s) as Record<string, unknown>;
  return rest;
};

export const appSyncTaskCreateMapping = (s: RecipeSettings) => ({
  contactId: '{{contact.id}}',
  title: WELCOME_TASK_TITLE,
  body: 'Ecwid customer #{{customer.customerId}} ({{customer.customerGroupName}}) signed up on {{customer.registeredAt}}. Say hello and offer help with the first order.',
  dueDate: '{{welcomeDue}}',
  ...(s.assignedTo ? { assignedTo: s.assignedTo } : {}),
});

/** Flow 3, step 2 — Find Contact by the Ecwid id custom field (Ecwid's deleted list has the id only). */
export const appRemovalSearchMapping = (s: RecipeSettings) => ({
  customFieldId: s.ecwidIdFieldId,
  customFieldValue: '{{deleted.customerId}}',
});
