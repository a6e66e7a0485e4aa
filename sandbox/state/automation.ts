/**
 * Workflows, campaigns and enrolments of the GHL sandbox (issue 11; their handlers are
 * handlers/workflows.ts and handlers/campaigns.ts). They hang off the location record (a WeakMap
 * keyed by it): `state.reset()` rebuilds the locations, so they go back to their seed with
 * everything else.
 */
import { badRequest } from '../http/errors.js';
import type { Location } from './records.js';
import type { SandboxState } from './sandbox-state.js';

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
  if (!loc) throw badRequest(`Location with id ${locationId} not found`);
  let d = data.get(loc);
  if (!d) {
    d = seed(state, loc);
    data.set(loc, d);
  }
  return d;
};

/** The ids a contact is in now (of `inWorkflows` or `inCampaigns`), created empty on first use. */
export const membership = (m: Map<string, Set<string>>, contactId: string): Set<string> => {
  let s = m.get(contactId);
  if (!s) m.set(contactId, (s = new Set()));
  return s;
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
