/**
 * Campaigns (campaigns.json `get-campaigns`, the list) and a contact in campaigns (contacts.json
 * `add-contact-to-campaign`, `remove-contact-from-campaign`, `remove-contact-from-every-campaign`);
 * the data is in state/automation.ts.
 *
 * Behaviour GHL documents nowhere (sandbox assumptions, see sandbox/README.md):
 * - an unknown campaign id on a contact route → 400 "Campaign with id … not found";
 * - adding to a draft campaign is accepted and never runs;
 * - removing a contact that is not in the campaign answers 200 `{ succeded: true }`.
 */
import { automationOf, membership, type SandboxCampaign } from '../state/automation.js';
import { badRequest } from '../http/errors.js';
import { contactOfPath } from './contact-records.js';
import type { Handler, HandlerCtx, HandlerResult } from './context.js';

function listCampaigns(ctx: HandlerCtx): HandlerResult {
  const status = typeof ctx.query['status'] === 'string' ? ctx.query['status'] : undefined;
  const campaigns = [...automationOf(ctx.state, ctx.locationId).campaigns.values()].filter((c) => !status || c.status === status);
  return { status: 200, body: { campaigns } };
}

function campaignOf(ctx: HandlerCtx): SandboxCampaign {
  const id = ctx.params['campaignId'] ?? '';
  const c = automationOf(ctx.state, ctx.locationId).campaigns.get(id);
  if (!c) throw badRequest(`Campaign with id ${id} not found`);
  return c;
}

function addToCampaign(ctx: HandlerCtx): HandlerResult {
  const c = contactOfPath(ctx);
  const campaign = campaignOf(ctx);
  membership(automationOf(ctx.state, ctx.locationId).inCampaigns, c.id).add(campaign.id);
  return { status: 201, body: { succeded: true } };
}

function removeFromCampaign(ctx: HandlerCtx): HandlerResult {
  const c = contactOfPath(ctx);
  const campaign = campaignOf(ctx);
  membership(automationOf(ctx.state, ctx.locationId).inCampaigns, c.id).delete(campaign.id);
  return { status: 200, body: { succeded: true } };
}

function removeFromAllCampaigns(ctx: HandlerCtx): HandlerResult {
  const c = contactOfPath(ctx);
  automationOf(ctx.state, ctx.locationId).inCampaigns.delete(c.id);
  return { status: 200, body: { succeded: true } };
}

export const CAMPAIGN_HANDLERS: Record<string, Handler> = {
  'campaigns:get-campaigns': listCampaigns,
  'contacts:add-contact-to-campaign': addToCampaign,
  'contacts:remove-contact-from-campaign': removeFromCampaign,
  'contacts:remove-contact-from-every-campaign': removeFromAllCampaigns,
};
