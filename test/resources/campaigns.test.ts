import nock from 'nock';
import { LOCATION_ID, create, freezeClock, ghlApi, perform, rejectsWith, trigger } from '../helpers.js';

const CONTACT = 'nmFmQEsNgz6AVpgLVUJ0';
const NEWSLETTER = 'mIVALPYuTD7YjUHnFEx4';
const SPRING = 'cmpSpringPromoDraft1';

const campaigns = {
  campaigns: [
    { id: SPRING, name: 'Spring promo', status: 'draft', locationId: LOCATION_ID },
    { id: NEWSLETTER, name: 'Winter newsletter drip', status: 'published', locationId: LOCATION_ID },
  ],
};
const listed = () => ghlApi().get('/campaigns/').query({ locationId: LOCATION_ID }).reply(200, campaigns);

afterEach(() => {
  nock.cleanAll();
  jest.useRealTimers();
});

describe('campaign_list (hidden dropdown)', () => {
  it('lists campaigns from GET /campaigns/?locationId, published first, drafts marked', async () => {
    const scope = listed();
    await expect(perform(trigger('campaign_list'))).resolves.toEqual([
      { id: NEWSLETTER, name: 'Winter newsletter drip', status: 'published', label: 'Winter newsletter drip' },
      { id: SPRING, name: 'Spring promo', status: 'draft', label: 'Spring promo (draft)' },
    ]);
    scope.done();
  });
});

describe('Add Contact to Campaign (add_contact_to_campaign)', () => {
  it('checks the campaign, then POSTs {} and names the campaign', async () => {
    const scope = listed().post(`/contacts/${CONTACT}/campaigns/${NEWSLETTER}`, {}).reply(201, { succeded: true });
    await expect(perform(create('add_contact_to_campaign'), { contactId: CONTACT, campaignId: NEWSLETTER })).resolves.toEqual({
      id: CONTACT,
      contactId: CONTACT,
      campaignId: NEWSLETTER,
      campaignName: 'Winter newsletter drip',
      campaignStatus: 'published',
      succeeded: true,
    });
    scope.done();
  });

  it('refuses a removed campaign before any write', async () => {
    const scope = listed();
    await rejectsWith(
      perform(create('add_contact_to_campaign'), { contactId: CONTACT, campaignId: 'cmpRemoved0000000000' }),
      'AppError',
      'This sub-account has no campaign with id "cmpRemoved0000000000" (it may have been deleted in GHL). Pick one from the Campaign dropdown again. Nothing was changed.',
    );
    scope.done();
  });

  it('refuses a draft campaign before any write', async () => {
    const scope = listed();
    await rejectsWith(
      perform(create('add_contact_to_campaign'), { contactId: CONTACT, campaignId: SPRING }),
      'AppError',
      'The campaign "Spring promo" is draft in GHL, and GHL only runs published campaigns, so the contact would not go through it. Publish it in GHL (Marketing → Campaigns), then replay this step. Nothing was changed.',
    );
    scope.done();
  });
});

describe('Remove Contact from Campaign (remove_contact_from_campaign)', () => {
  it('checks the campaign (a draft may be left), then DELETEs without a body', async () => {
    const scope = listed()
      .delete(`/contacts/${CONTACT}/campaigns/${SPRING}`, (body) => body === '' || body === undefined)
      .reply(200, { succeded: true });
    await expect(perform(create('remove_contact_from_campaign'), { contactId: CONTACT, campaignId: SPRING })).resolves.toEqual({
      id: CONTACT,
      contactId: CONTACT,
      campaignId: SPRING,
      campaignName: 'Spring promo',
      campaignStatus: 'draft',
      succeeded: true,
    });
    scope.done();
  });

  it('refuses an id with a slash before any request', async () => {
    await rejectsWith(
      perform(create('remove_contact_from_campaign'), { contactId: CONTACT, campaignId: 'a/../b' }),
      'AppError',
      /^"Campaign" must be a GHL id/,
    );
  });
});

describe('Remove Contact from All Campaigns (remove_contact_from_all_campaigns)', () => {
  it('sends one DELETE …/campaigns/removeAll and records when', async () => {
    freezeClock('2026-12-01T14:00:00.000Z');
    const scope = ghlApi().delete(`/contacts/${CONTACT}/campaigns/removeAll`).reply(200, { succeded: true });
    await expect(perform(create('remove_contact_from_all_campaigns'), { contactId: CONTACT })).resolves.toEqual({
      id: CONTACT,
      contactId: CONTACT,
      succeeded: true,
      removedAt: '2026-12-01T14:00:00.000Z',
    });
    scope.done();
  });

  it('passes GHL’s unknown-contact error on', async () => {
    const scope = ghlApi()
      .delete('/contacts/gone000000000000000A/campaigns/removeAll')
      .reply(400, { statusCode: 400, message: 'Contact with id gone000000000000000A not found' });
    await rejectsWith(
      perform(create('remove_contact_from_all_campaigns'), { contactId: 'gone000000000000000A' }),
      'AppError',
      'GHL rejected the request: Contact with id gone000000000000000A not found',
    );
    scope.done();
  });
});
