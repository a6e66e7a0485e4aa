/**
 * Sandbox handlers for workflows, campaigns, followers and bulk tags (issue 11), and GHL's
 * additional-email bug of the upsert (#337) around the existing upsert handler, registered from the
 * HANDLERS table in handlers.ts. § numbers refer to docs/ghl-api.md.
 *
 * Workflows, campaigns and enrolments hang off the location record (a WeakMap keyed by it):
 * `state.reset()` rebuilds the locations, so they go back to their seed with everything else.
 *
 * Behaviour GHL documents nowhere (sandbox assumptions, see sandbox/README.md):
 * - an unknown workflow / campaign id on a contact route → 400 "Workflow with id … not found" /
 *   "Campaign with id … not found";
 * - a workflow whose "Allow re-entry" is off (GHL's default) ignores a second add while the contact
 *   is in it (200, no second enrolment); with it on, every add is an enrolment;
 * - adding to a draft workflow or campaign is accepted (200) and never runs;
 * - removing a contact that is not in the workflow / campaign answers 200 `{ succeded: true }`;
 * - bulk tags: `type` other than add/remove → 422; per contact, an id that is not 20 alphanumerics
 *   → "contact id is not a valid firebase id", an unknown id → "contact is deleted", another
 *   location's contact → "contact does not belong to location" (the messages of the spec's example).
 */
import type { HandlerCtx, HandlerResult } from './handlers.js';
import type { Contact, Location, SandboxState } from './state.js';

/**
 * handlers.ts passes its HttpError in (see {@link automationHandlers}), so this file needs no
 * runtime import of handlers.ts and the two cannot form an import cycle.
 */
type ErrorMaker = (status: number, body: Record<string, unknown>) => Error;
let httpError: ErrorMaker = (status, body) => Object.assign(new Error(String(body['message'])), { status, body });

export interface SandboxWorkflow {
  id: string;
  name: string;
  status: 'published' | 'draft';
  version: number;
  createdAt: string;
  updatedAt: string;
  locationId: string;
  allowReentry: boolean;
}

export interface SandboxCampaign {
  id: string;
  name: string;
  status: 'published' | 'draft';
  locationId: string;
}

export interface Enrolment {
  contactId: string;
  workflowId: string;
  eventStartTime?: string;
  at: string;
}

export interface AutomationData {
  workflows: Map<string, SandboxWorkflow>;
  campaigns: Map<string, SandboxCampaign>;
  /** Every enrolment made (a replay that enrols again shows up here twice). */
  enrolments: Enrolment[];
  /** contactId → workflow ids the contact is in now. */
  inWorkflows: Map<string, Set<string>>;
  /** contactId → campaign ids the contact is in now. */
  inCampaigns: Map<string, Set<string>>;
}

const data = new WeakMap<Location, AutomationData>();

/** Fixed ids: GHL workflow ids are UUIDs, campaign ids 20 alphanumerics. */
export const SEED_WORKFLOWS = {
  welcome: 'f3b1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  review: '0a9b8c7d-6e5f-4d3c-9b2a-1f0e9d8c7b6a',
  winback: '7c6d5e4f-3a2b-4c1d-8e9f-a0b1c2d3e4f5',
} as const;
export const SEED_CAMPAIGNS = { newsletter: 'cmpNewsletterWinter1', spring: 'cmpSpringPromoDraft1' } as const;

const seed = (state: SandboxState, loc: Location): AutomationData => {
  const d: AutomationData = { workflows: new Map(), campaigns: new Map(), enrolments: [], inWorkflows: new Map(), inCampaigns: new Map() };
  if (state.seed === 'demo' && loc.id === state.locationId) {
    const wf = (id: string, name: string, status: 'published' | 'draft', allowReentry = false): SandboxWorkflow => ({
      id,
      name,
      status,
      version: status === 'published' ? 3 : 1,
      createdAt: '2026-03-02T15:04:11.000Z',
      updatedAt: '2026-09-18T10:22:40.000Z',
      locationId: loc.id,
      allowReentry,
    });
    for (const w of [
      wf(SEED_WORKFLOWS.welcome, 'Welcome new Ecwid customers', 'published'),
      wf(SEED_WORKFLOWS.review, 'Post-purchase review request', 'published', true),
      wf(SEED_WORKFLOWS.winback, 'Win-back (not finished)', 'draft'),
    ])
      d.workflows.set(w.id, w);
    d.campaigns.set(SEED_CAMPAIGNS.newsletter, {
      id: SEED_CAMPAIGNS.newsletter,
      name: 'Winter newsletter drip',
      status: 'published',
      locationId: loc.id,
    });
    d.campaigns.set(SEED_CAMPAIGNS.spring, { id: SEED_CAMPAIGNS.spring, name: 'Spring promo', status: 'draft', locationId: loc.id });
  }
  return d;
};

/** The workflows, campaigns and enrolments of a location (the token's, by default). */
export const automationOf = (state: SandboxState, locationId: string = state.locationId): AutomationData => {
  const loc = state.locations.get(locationId);
  if (!loc) throw httpError(400, { statusCode: 400, message: `Location with id ${locationId} not found` });
  let d = data.get(loc);
  if (!d) {
    d = seed(state, loc);
    data.set(loc, d);
  }
  return d;
};

type Obj = Record<string, unknown>;
const bodyOf = (ctx: HandlerCtx): Obj =>
  typeof ctx.body === 'object' && ctx.body !== null && !Array.isArray(ctx.body) ? (ctx.body as Obj) : {};
const badRequest = (message: string) => httpError(400, { statusCode: 400, message });

const contactOf = (ctx: HandlerCtx): Contact => {
  const id = ctx.params['contactId'] ?? '';
  const c = ctx.state.contacts.get(id);
  if (!c || c.locationId !== ctx.locationId) throw badRequest(`Contact with id ${id} not found`);
  return c;
};

const touch = (ctx: HandlerCtx, c: Contact, change: () => void) => {
  const before = structuredClone(c);
  change();
  c.dateUpdated = ctx.state.nowIso();
  ctx.state.touchSearchIndex(c.id, before);
};

const membership = (m: Map<string, Set<string>>, contactId: string): Set<string> => {
  let s = m.get(contactId);
  if (!s) m.set(contactId, (s = new Set()));
  return s;
};

// ---------------------------------------------------------------- lists

function listWorkflows(ctx: HandlerCtx): HandlerResult {
  const workflows = [...automationOf(ctx.state, ctx.locationId).workflows.values()].map(({ allowReentry: _r, ...w }) => w);
  return { status: 200, body: { workflows } };
}

function listCampaigns(ctx: HandlerCtx): HandlerResult {
  const status = typeof ctx.query['status'] === 'string' ? ctx.query['status'] : undefined;
  const campaigns = [...automationOf(ctx.state, ctx.locationId).campaigns.values()].filter((c) => !status || c.status === status);
  return { status: 200, body: { campaigns } };
}

// ---------------------------------------------------------------- contact ↔ workflow / campaign

function workflowOf(ctx: HandlerCtx): SandboxWorkflow {
  const id = ctx.params['workflowId'] ?? '';
  const w = automationOf(ctx.state, ctx.locationId).workflows.get(id);
  if (!w) throw badRequest(`Workflow with id ${id} not found`);
  return w;
}

function campaignOf(ctx: HandlerCtx): SandboxCampaign {
  const id = ctx.params['campaignId'] ?? '';
  const c = automationOf(ctx.state, ctx.locationId).campaigns.get(id);
  if (!c) throw badRequest(`Campaign with id ${id} not found`);
  return c;
}

function addToWorkflow(ctx: HandlerCtx): HandlerResult {
  const c = contactOf(ctx);
  const w = workflowOf(ctx);
  const d = automationOf(ctx.state, ctx.locationId);
  const current = membership(d.inWorkflows, c.id);
  if (!current.has(w.id) || w.allowReentry) {
    const start = bodyOf(ctx)['eventStartTime'];
    d.enrolments.push({
      contactId: c.id,
      workflowId: w.id,
      at: ctx.state.nowIso(),
      ...(typeof start === 'string' ? { eventStartTime: start } : {}),
    });
    current.add(w.id);
  }
  return { status: 200, body: { succeded: true } };
}

function removeFromWorkflow(ctx: HandlerCtx): HandlerResult {
  const c = contactOf(ctx);
  const w = workflowOf(ctx);
  membership(automationOf(ctx.state, ctx.locationId).inWorkflows, c.id).delete(w.id);
  return { status: 200, body: { succeded: true } };
}

function addToCampaign(ctx: HandlerCtx): HandlerResult {
  const c = contactOf(ctx);
  const campaign = campaignOf(ctx);
  membership(automationOf(ctx.state, ctx.locationId).inCampaigns, c.id).add(campaign.id);
  return { status: 201, body: { succeded: true } };
}

function removeFromCampaign(ctx: HandlerCtx): HandlerResult {
  const c = contactOf(ctx);
  const campaign = campaignOf(ctx);
  membership(automationOf(ctx.state, ctx.locationId).inCampaigns, c.id).delete(campaign.id);
  return { status: 200, body: { succeded: true } };
}

function removeFromAllCampaigns(ctx: HandlerCtx): HandlerResult {
  const c = contactOf(ctx);
  automationOf(ctx.state, ctx.locationId).inCampaigns.delete(c.id);
  return { status: 200, body: { succeded: true } };
}

// ---------------------------------------------------------------- followers

const stringsOf = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '') : [];

function addFollowers(ctx: HandlerCtx): HandlerResult {
  const c = contactOf(ctx);
  const asked = [...new Set(stringsOf(bodyOf(ctx)['followers']))];
  const added = asked.filter((f) => !c.followers.includes(f));
  if (added.length) touch(ctx, c, () => (c.followers = [...c.followers, ...added]));
  return { status: 201, body: { followers: [...c.followers], followersAdded: added } };
}

function removeFollowers(ctx: HandlerCtx): HandlerResult {
  const c = contactOf(ctx);
  const asked = new Set(stringsOf(bodyOf(ctx)['followers']));
  const removed = c.followers.filter((f) => asked.has(f));
  if (removed.length) touch(ctx, c, () => (c.followers = c.followers.filter((f) => !asked.has(f))));
  return { status: 200, body: { followers: [...c.followers], followersRemoved: removed } };
}

// ---------------------------------------------------------------- bulk tags (§2.24)

const FIREBASE_ID = /^[A-Za-z0-9]{20}$/;

function bulkTags(ctx: HandlerCtx): HandlerResult {
  const type = ctx.params['type'] ?? '';
  const b = bodyOf(ctx);
  if (type !== 'add' && type !== 'remove') {
    throw httpError(422, {
      statusCode: 422,
      message: ['type must be one of the following values: add, remove'],
      error: 'Unprocessable Entity',
    });
  }
  const removeAll = b['removeAllTags'] === true;
  if (removeAll && type !== 'remove') {
    throw httpError(422, { statusCode: 422, message: ['removeAllTags can only be used with remove type'], error: 'Unprocessable Entity' });
  }
  const tags = [...new Set(stringsOf(b['tags']).map((t) => t.trim()))];
  const responses: Obj[] = [];
  for (const id of stringsOf(b['contacts'])) {
    if (!FIREBASE_ID.test(id)) {
      responses.push({ contactId: id, message: 'contact id is not a valid firebase id', type: 'error' });
      continue;
    }
    const c = ctx.state.contacts.get(id);
    if (!c) {
      responses.push({ contactId: id, message: 'contact is deleted', type: 'error' });
      continue;
    }
    if (c.locationId !== ctx.locationId) {
      responses.push({ contactId: id, message: 'contact does not belong to location', type: 'error' });
      continue;
    }
    const oldTags = [...c.tags];
    const has = (t: string) => c.tags.some((x) => x.toLowerCase() === t.toLowerCase());
    let tagsAdded: string[] = [];
    let tagsRemoved: string[] = [];
    if (type === 'add') tagsAdded = tags.filter((t, i) => !has(t) && tags.findIndex((u) => u.toLowerCase() === t.toLowerCase()) === i);
    else tagsRemoved = removeAll ? oldTags : c.tags.filter((x) => tags.some((t) => t.toLowerCase() === x.toLowerCase()));
    if (tagsAdded.length || tagsRemoved.length) {
      touch(ctx, c, () => {
        c.tags = type === 'add' ? [...c.tags, ...tagsAdded] : c.tags.filter((x) => !tagsRemoved.includes(x));
      });
      if (tagsAdded.length) ctx.state.ensureTags(ctx.locationId, tagsAdded);
    }
    responses.push({ contactId: id, message: 'Tags updated', type: 'success', oldTags, tagsAdded, tagsRemoved });
  }
  const errorCount = responses.filter((r) => r['type'] === 'error').length;
  return { status: 201, body: { succeded: true, errorCount, responses } };
}

const AUTOMATION_HANDLERS: Record<string, (ctx: HandlerCtx) => HandlerResult> = {
  'workflows:get-workflow': listWorkflows,
  'campaigns:get-campaigns': listCampaigns,
  'contacts:add-contact-to-workflow': addToWorkflow,
  'contacts:delete-contact-from-workflow': removeFromWorkflow,
  'contacts:add-contact-to-campaign': addToCampaign,
  'contacts:remove-contact-from-campaign': removeFromCampaign,
  'contacts:remove-contact-from-every-campaign': removeFromAllCampaigns,
  'contacts:add-followers-contact': addFollowers,
  'contacts:remove-followers-contact': removeFollowers,
  'contacts:create-association': bulkTags,
};

type Handler = (ctx: HandlerCtx) => HandlerResult;

const emailOf = (e: unknown): string | undefined =>
  typeof e === 'string'
    ? e
    : typeof e === 'object' && e !== null && typeof (e as Obj)['email'] === 'string'
      ? ((e as Obj)['email'] as string)
      : undefined;

/**
 * GHL bug highlevel-api-docs#337, around the existing upsert handler: an upsert whose email is no
 * contact's primary email but is one contact's *additional* email makes it that contact's primary
 * and drops the old primary (it is not kept as an additional email). The rest is the usual upsert.
 */
const withAdditionalEmailBug =
  (upsert: Handler): Handler =>
  (ctx) => {
    const b = bodyOf(ctx);
    const email = typeof b['email'] === 'string' ? b['email'].trim().toLowerCase() : '';
    if (email) {
      const contacts = ctx.state.contactsOf(ctx.locationId);
      const primary = contacts.some((c) => c.email?.toLowerCase() === email);
      const holder = primary ? undefined : contacts.find((c) => c.additionalEmails.some((e) => emailOf(e)?.toLowerCase() === email));
      if (holder) {
        holder.email = email;
        holder.additionalEmails = holder.additionalEmails.filter((e) => emailOf(e)?.toLowerCase() !== email);
      }
    }
    return upsert(ctx);
  };

/**
 * The handlers, for the HANDLERS table of handlers.ts, which passes its HttpError and the handlers
 * this file wraps with a GHL quirk (the upsert).
 */
export const automationHandlers = (makeError: ErrorMaker, wrap: { upsertContact: Handler }): Record<string, Handler> => {
  httpError = makeError;
  return { ...AUTOMATION_HANDLERS, 'contacts:upsert-contact': withAdditionalEmailBug(wrap.upsertContact) };
};

/** operationIds per spec file, for IMPLEMENTED in sandbox/spec.ts. */
export const AUTOMATION_IMPLEMENTED: Record<string, string[]> = {};
for (const key of Object.keys(AUTOMATION_HANDLERS)) {
  const [spec, id] = key.split(':') as [string, string];
  (AUTOMATION_IMPLEMENTED[spec] ??= []).push(id);
}

/**
 * Spec patch (called from patchSpec in sandbox/spec.ts): the bulk-tags path has a `{type}`
 * segment that the spec does not declare as a parameter (docs/ghl-api.md §2.24), so every request would
 * fail validation with "property type should not exist". Declared here as GHL's docs describe it.
 */
export const patchAutomationSpec = (name: string, doc: Record<string, unknown>): void => {
  if (name !== 'contacts') return;
  const paths = doc['paths'] as Record<string, Record<string, { parameters?: unknown[] }>> | undefined;
  const op = paths?.['/contacts/bulk/tags/update/{type}']?.['post'];
  if (!op) return;
  op.parameters = [
    ...(op.parameters ?? []),
    { name: 'type', in: 'path', required: true, description: 'add or remove', schema: { type: 'string', enum: ['add', 'remove'] } },
  ];
};

/**
 * A location's automation data as id-keyed rows, the shape of the other collections in the
 * reliability suite's state snapshots (test/reliability/harness.ts).
 */
export const automationSnapshot = (state: SandboxState, locationId: string = state.locationId): Record<string, Array<{ id: string }>> => {
  const d = automationOf(state, locationId);
  const members = (m: Map<string, Set<string>>) =>
    [...m.entries()]
      .flatMap(([contactId, ids]) => [...ids].map((id) => ({ id: `${contactId}:${id}` })))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
  return {
    workflows: [...d.workflows.values()],
    campaigns: [...d.campaigns.values()],
    enrolments: d.enrolments.map((e, i) => ({ id: `${i}:${e.contactId}:${e.workflowId}`, ...e })),
    workflowMembers: members(d.inWorkflows),
    campaignMembers: members(d.inCampaigns),
  };
};
