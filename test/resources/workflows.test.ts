import nock from 'nock';
import { LOCATION_ID, create, ghlApi, perform, rejectsWith, trigger } from '../helpers.js';

const CONTACT = 'nmFmQEsNgz6AVpgLVUJ0';
const WELCOME = '78559bb3-b920-461e-b010-7b2a2816d2a9';
const DRAFT = '0a9b8c7d-6e5f-4d3c-9b2a-1f0e9d8c7b6a';

const workflows = {
  workflows: [
    {
      id: DRAFT,
      name: 'Win-back',
      status: 'draft',
      version: 1,
      createdAt: '2026-03-02T15:04:11.000Z',
      updatedAt: '2026-03-02T15:04:11.000Z',
      locationId: LOCATION_ID,
    },
    {
      id: WELCOME,
      name: 'Welcome new Ecwid customers',
      status: 'published',
      version: 3,
      createdAt: '2026-03-02T15:04:11.000Z',
      updatedAt: '2026-09-18T10:22:40.000Z',
      locationId: LOCATION_ID,
    },
    { id: 'aaaa', name: 'another published', status: 'published', locationId: LOCATION_ID },
    { name: 'no id', status: 'published' },
  ],
};

const listed = () => ghlApi().get('/workflows/').query({ locationId: LOCATION_ID }).reply(200, workflows);

afterEach(() => nock.cleanAll());

describe('workflow_list (hidden dropdown)', () => {
  it('lists workflows from GET /workflows/?locationId, published first, drafts marked in the label', async () => {
    const scope = listed();
    await expect(perform(trigger('workflow_list'))).resolves.toEqual([
      { id: 'aaaa', name: 'another published', status: 'published', label: 'another published' },
      { id: WELCOME, name: 'Welcome new Ecwid customers', status: 'published', label: 'Welcome new Ecwid customers' },
      { id: DRAFT, name: 'Win-back', status: 'draft', label: 'Win-back (draft)' },
    ]);
    scope.done();
  });

  it('returns [] for a sub-account without workflows (GHL answers { workflows: [] })', async () => {
    const scope = ghlApi().get('/workflows/').query({ locationId: LOCATION_ID }).reply(200, { workflows: [] });
    await expect(perform(trigger('workflow_list'))).resolves.toEqual([]);
    scope.done();
  });
});

describe('Add Contact to Workflow (add_contact_to_workflow)', () => {
  it('checks the workflow, then POSTs the start time, and says which workflow', async () => {
    const scope = listed()
      .post(`/contacts/${CONTACT}/workflow/${WELCOME}`, { eventStartTime: '2026-12-01T14:00:00Z' })
      .matchHeader('content-type', 'application/json')
      .reply(200, { succeded: true });
    const out = await perform(create('add_contact_to_workflow'), {
      contactId: CONTACT,
      workflowId: WELCOME,
      eventStartTime: '2026-12-01T09:00:00-05:00',
    });
    expect(out).toEqual({
      id: CONTACT,
      contactId: CONTACT,
      workflowId: WELCOME,
      workflowName: 'Welcome new Ecwid customers',
      workflowStatus: 'published',
      succeeded: true,
      eventStartTime: '2026-12-01T14:00:00Z',
    });
    scope.done();
  });

  it('sends an empty body when no start time is given', async () => {
    const scope = listed().post(`/contacts/${CONTACT}/workflow/${WELCOME}`, {}).reply(200, { succeded: true });
    const out = await perform(create('add_contact_to_workflow'), { contactId: CONTACT, workflowId: WELCOME });
    expect(out).not.toHaveProperty('eventStartTime');
    scope.done();
  });

  it('refuses a workflow the sub-account does not have, before any write', async () => {
    const scope = listed();
    const e = await rejectsWith(
      perform(create('add_contact_to_workflow'), { contactId: CONTACT, workflowId: 'deleted-workflow-id' }),
      'AppError',
      'This sub-account has no workflow with id "deleted-workflow-id" (it may have been deleted in GHL). Pick one from the Workflow dropdown again. Nothing was changed.',
    );
    expect([e.code, e.status]).toEqual(['invalid_input', 400]);
    scope.done();
  });

  it('refuses a draft workflow (GHL does not run drafts), before any write', async () => {
    const scope = listed();
    await rejectsWith(
      perform(create('add_contact_to_workflow'), { contactId: CONTACT, workflowId: DRAFT }),
      'AppError',
      'The workflow "Win-back" is draft in GHL, and GHL only runs published workflows, so the contact would not go through it. Publish it in GHL (Automation → Workflows), then replay this step. Nothing was changed.',
    );
    scope.done();
  });

  it('refuses a malformed start time and a missing workflow before any request', async () => {
    await rejectsWith(
      perform(create('add_contact_to_workflow'), { contactId: CONTACT, workflowId: WELCOME, eventStartTime: 'next tuesday' }),
      'AppError',
      '"Start Time" is not a date and time GHL understands: "next tuesday". Use e.g. 2026-12-01T15:00:00-05:00.',
    );
    await rejectsWith(
      perform(create('add_contact_to_workflow'), { contactId: CONTACT }),
      'AppError',
      '"Workflow" is required but was empty. Map a value to it in the Zap editor.',
    );
  });

  it('passes GHL’s unknown-contact error on', async () => {
    const scope = listed()
      .post(`/contacts/gone000000000000000A/workflow/${WELCOME}`, {})
      .reply(400, { statusCode: 400, message: 'Contact with id gone000000000000000A not found' });
    await rejectsWith(
      perform(create('add_contact_to_workflow'), { contactId: 'gone000000000000000A', workflowId: WELCOME }),
      'AppError',
      'GHL rejected the request: Contact with id gone000000000000000A not found',
    );
    scope.done();
  });

  it('does not report success when GHL answers succeded: false', async () => {
    const scope = listed().post(`/contacts/${CONTACT}/workflow/${WELCOME}`, {}).reply(200, { succeded: false });
    const e = await rejectsWith(
      perform(create('add_contact_to_workflow'), { contactId: CONTACT, workflowId: WELCOME }),
      'AppError',
      'GHL answered that it did not add the contact to the workflow (succeded: false). Check the contact in GHL, then replay this step.',
    );
    expect(e.code).toBe('ghl_not_succeeded');
    scope.done();
  });
});

describe('Remove Contact from Workflow (remove_contact_from_workflow)', () => {
  it('checks the workflow, then DELETEs with the empty JSON body the spec requires', async () => {
    const scope = listed()
      .delete(`/contacts/${CONTACT}/workflow/${DRAFT}`, {})
      .matchHeader('content-type', 'application/json')
      .reply(200, { succeded: true });
    const out = await perform(create('remove_contact_from_workflow'), { contactId: CONTACT, workflowId: DRAFT });
    expect(out).toEqual({
      id: CONTACT,
      contactId: CONTACT,
      workflowId: DRAFT,
      workflowName: 'Win-back',
      workflowStatus: 'draft',
      succeeded: true,
    });
    scope.done();
  });

  it('refuses an unknown workflow before any write', async () => {
    const scope = listed();
    await rejectsWith(
      perform(create('remove_contact_from_workflow'), { contactId: CONTACT, workflowId: 'nope' }),
      'AppError',
      /^This sub-account has no workflow with id "nope"/,
    );
    scope.done();
  });
});
