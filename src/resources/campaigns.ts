import type { CampaignsResponse, SucceededResponse } from '../ghl/automationTypes.js';
import { path, type GhlClient } from '../http/ghl.js';
import { action, pollingTrigger, type InputField, type OutputField, type ResourceOperations } from '../operations/define.js';
import campaignSample from '../samples/campaign.json' with { type: 'json' };
import { assertSucceeded, dropdownRows, requireItem } from './automations.js';
import { contactIdField } from './common/inputFields.js';

/**
 * Campaigns (GHL's older drip sequences; new sub-accounts use workflows): the list
 * (`GET /campaigns/?locationId`, campaigns.json, scope `campaigns.readonly`) feeds the dropdown and
 * the pre-write check; `POST` / `DELETE /contacts/:contactId/campaigns/:campaignId` and
 * `DELETE /contacts/:contactId/campaigns/removeAll` (contacts.json, `contacts.write`, answer
 * `{ succeded }`, docs/ghl-api.md §2.24) add and remove a contact.
 */

const listCampaigns = async (api: GhlClient, locationId: string) =>
  (await api.get<CampaignsResponse>(path`/campaigns/`, { locationId })).data?.campaigns;

export const campaignList = pollingTrigger({
  key: 'campaign_list',
  endpoints: ['GET /campaigns/'],
  noun: 'Campaign',
  label: 'Campaign List',
  description: 'Triggers when a campaign is added to the sub-account; lists campaigns for dropdowns.',
  hidden: true,
  inputFields: [],
  sample: campaignSample,
  parse: () => ({}),
  perform: async ({ api, locationId }) => dropdownRows(await listCampaigns(api, locationId)),
});

const campaignField: InputField = {
  key: 'campaignId',
  label: 'Campaign',
  required: true,
  dynamic: 'campaign_list.id.label',
  altersDynamicFields: false,
  helpText:
    'The GHL campaign. Pick one (drafts are marked), or map a campaign id. A deleted or draft campaign is reported before anything is changed.',
};

const outputFields: OutputField[] = [
  { key: 'id', label: 'ID' },
  { key: 'contactId', label: 'Contact ID' },
  { key: 'campaignId', label: 'Campaign ID' },
  { key: 'campaignName', label: 'Campaign Name' },
  { key: 'campaignStatus', label: 'Campaign Status' },
  { key: 'succeeded', label: 'Succeeded', type: 'boolean' },
];

const sample = {
  id: 'nmFmQEsNgz6AVpgLVUJ0',
  contactId: 'nmFmQEsNgz6AVpgLVUJ0',
  campaignId: campaignSample.id,
  campaignName: campaignSample.name,
  campaignStatus: 'published',
  succeeded: true,
};

export const addContactToCampaign = action({
  key: 'add_contact_to_campaign',
  endpoints: ['GET /campaigns/', 'POST /contacts/{contactId}/campaigns/{campaignId}'],
  noun: 'Campaign',
  label: 'Add Contact to Campaign',
  description: 'Adds a contact to a published campaign.',
  inputFields: [contactIdField(), campaignField],
  outputFields,
  sample,
  parse: (read) => ({ contactId: read.requiredId('contactId'), campaignId: read.requiredId('campaignId') }),
  perform: async ({ z, api, input, locationId }) => {
    const campaign = requireItem('campaign', await listCampaigns(api, locationId), input.campaignId, { mustBePublished: true });
    // AddContactToCampaignDto has no properties, but the body is required.
    const res = await api.post<SucceededResponse>(path`/contacts/${input.contactId}/campaigns/${input.campaignId}`, {});
    return {
      id: input.contactId,
      contactId: input.contactId,
      campaignId: campaign.id,
      campaignName: campaign.name,
      campaignStatus: campaign.status,
      succeeded: assertSucceeded(z, res.data, 'add the contact to the campaign'),
    };
  },
});

export const removeContactFromCampaign = action({
  key: 'remove_contact_from_campaign',
  endpoints: ['GET /campaigns/', 'DELETE /contacts/{contactId}/campaigns/{campaignId}'],
  noun: 'Campaign',
  label: 'Remove Contact from Campaign',
  description: 'Removes a contact from one campaign.',
  inputFields: [contactIdField(), campaignField],
  outputFields,
  sample,
  parse: (read) => ({ contactId: read.requiredId('contactId'), campaignId: read.requiredId('campaignId') }),
  perform: async ({ z, api, input, locationId }) => {
    const campaign = requireItem('campaign', await listCampaigns(api, locationId), input.campaignId, { mustBePublished: false });
    const res = await api.delete<SucceededResponse>(path`/contacts/${input.contactId}/campaigns/${input.campaignId}`);
    return {
      id: input.contactId,
      contactId: input.contactId,
      campaignId: campaign.id,
      campaignName: campaign.name,
      campaignStatus: campaign.status,
      succeeded: assertSucceeded(z, res.data, 'remove the contact from the campaign'),
    };
  },
});

export const removeContactFromAllCampaigns = action({
  key: 'remove_contact_from_all_campaigns',
  endpoints: ['DELETE /contacts/{contactId}/campaigns/removeAll'],
  noun: 'Campaign',
  label: 'Remove Contact from All Campaigns',
  description: 'Removes a contact from every campaign it is in (e.g. before archiving it).',
  inputFields: [contactIdField()],
  outputFields: [
    { key: 'id', label: 'ID' },
    { key: 'contactId', label: 'Contact ID' },
    { key: 'succeeded', label: 'Succeeded', type: 'boolean' },
    { key: 'removedAt', label: 'Removed At', type: 'datetime' },
  ],
  sample: { id: sample.id, contactId: sample.contactId, succeeded: true, removedAt: '2026-12-01T14:00:00.000Z' },
  parse: (read) => ({ contactId: read.requiredId('contactId') }),
  perform: async ({ z, api, input }) => {
    const res = await api.delete<SucceededResponse>(path`/contacts/${input.contactId}/campaigns/removeAll`);
    return {
      id: input.contactId,
      contactId: input.contactId,
      succeeded: assertSucceeded(z, res.data, 'remove the contact from its campaigns'),
      removedAt: new Date().toISOString(),
    };
  },
});

export const campaignsOperations: ResourceOperations = {
  triggers: [campaignList],
  searches: [],
  creates: [addContactToCampaign, removeContactFromCampaign, removeContactFromAllCampaigns],
};
