/**
 * Locations (locations.json): the location, its tags and its custom fields.
 */
import { badRequest } from '../http/errors.js';
import { q1, type Handler, type HandlerCtx, type HandlerResult } from './context.js';

const PERMISSION_KEYS = [
  'dashboardStatsEnabled',
  'funnelsEnabled',
  'phoneCallEnabled',
  'formsEnabled',
  'quizzesEnabled',
  'textToPayEnabled',
  'gmbMessagingEnabled',
  'htmlBuilderEnabled',
  'contactsEnabled',
  'tagsEnabled',
  'botServiceEnabled',
  'websitesEnabled',
  'appointmentsEnabled',
  'proposalsEnabled',
  'qrCodesEnabled',
  'webChatEnabled',
  'facebookMessengerEnabled',
  'launchpadEnabled',
  'affiliateManagerEnabled',
  'gmbCallTrackingEnabled',
  'marketingEnabled',
  'emailBuilderEnabled',
  'attributionsReportingEnabled',
  'triggerLinksEnabled',
  'membershipEnabled',
  'settingsEnabled',
  'surveysEnabled',
  'opportunitiesEnabled',
  'reviewsEnabled',
  'smsEmailTemplatesEnabled',
  'facebookAdsReportingEnabled',
  'adManagerEnabled',
  'bloggingEnabled',
  'workflowsEnabled',
  'campaignsEnabled',
  'conversationsEnabled',
  'adwordsReportingEnabled',
  'bulkRequestsEnabled',
  'agentReportingEnabled',
  'triggersEnabled',
];

const SOCIAL_KEYS = [
  'facebookUrl',
  'googlePlus',
  'linkedIn',
  'foursquare',
  'twitter',
  'yelp',
  'instagram',
  'youtube',
  'pinterest',
  'blogRss',
  'googlePlacesId',
];

function getLocation(ctx: HandlerCtx): HandlerResult {
  const id = ctx.params['locationId'] ?? '';
  const loc = ctx.state.locations.get(id);
  if (!loc) throw badRequest(`Location with id ${id} not found`);
  const l = structuredClone(loc);
  // Keys every recorded location answer has (fixtures/ghl-recordings/get-location.json), with neutral values.
  const location = {
    brandId: `brand-${l.companyId}`,
    logoUrl: '',
    automaticMobileAppInvite: false,
    dateAdded: '2026-01-05T14:00:00.000Z',
    domain: '',
    currency: '',
    isAgencySubAccount: false,
    defaultEmailService: '',
    permissions: Object.fromEntries(PERMISSION_KEYS.map((k) => [k, true])),
    snapshotId: '',
    ...l,
    business: { email: l.email, ...l.business },
    social: { ...Object.fromEntries(SOCIAL_KEYS.map((k) => [k, ''])), ...l.social },
    settings: {
      contactUniqueIdentifiers: ['email', 'phone'],
      crmSettings: { deSyncOwners: true, syncFollowers: { contact: true, opportunity: true } },
      saasSettings: { saasMode: 'not_activated', twilioRebilling: { markup: 10, enabled: false } },
      ...l.settings,
    },
  };
  return { status: 200, body: { location } };
}

function locationTags(ctx: HandlerCtx): HandlerResult {
  const tags = [...ctx.state.tags.values()].filter((t) => t.locationId === ctx.params['locationId']);
  return { status: 200, body: { tags: tags.map((t) => ({ ...t })) } };
}

function locationCustomFields(ctx: HandlerCtx): HandlerResult {
  const model = q1(ctx, 'model') ?? 'all';
  const fields = ctx.state.customFieldsOf(ctx.params['locationId'] ?? '').filter((f) => model === 'all' || f.model === model);
  // As recorded: every field also carries documentType, parentId (its folder), standard and dateAdded.
  const out = fields.map((f) => ({
    documentType: 'field',
    parentId: `folder-${f.locationId}`,
    standard: false,
    dateAdded: '2026-01-05T14:00:00.000Z',
    ...structuredClone(f),
  }));
  return { status: 200, body: { customFields: out } };
}

export const LOCATION_HANDLERS: Record<string, Handler> = {
  'locations:get-location': getLocation,
  'locations:get-location-tags': locationTags,
  'locations:get-custom-fields': locationCustomFields,
};
