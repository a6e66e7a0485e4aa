import type { AddWorkflowBody, SucceededResponse, WorkflowsResponse } from '../ghl/automationTypes.js';
import { path, type GhlClient } from '../http/ghl.js';
import { action, pollingTrigger, type InputField, type OutputField, type ResourceOperations } from '../operations/define.js';
import workflowSample from '../samples/workflow.json' with { type: 'json' };
import { assertSucceeded, dropdownRows, requireItem } from './automations.js';
import { contactIdField } from './common/inputFields.js';

/**
 * Workflows: the sub-account's list (`GET /workflows/?locationId`, workflows.json, scope
 * `workflows.readonly`) feeds the dropdown and the pre-write check; a contact enters or leaves one
 * with `POST` / `DELETE /contacts/:contactId/workflow/:workflowId` (contacts.json, `contacts.write`,
 * body `{ eventStartTime? }`, answer `{ succeded }`, docs/ghl-api.md §2.24). GHL has no way to read which
 * workflows a contact is in, so a replay is kept from enrolling twice only by the workflow's own
 * "Allow re-entry" setting (off by default in GHL).
 */

const listWorkflows = async (api: GhlClient, locationId: string) =>
  (await api.get<WorkflowsResponse>(path`/workflows/`, { locationId })).data?.workflows;

export const workflowList = pollingTrigger({
  key: 'workflow_list',
  endpoints: ['GET /workflows/'],
  noun: 'Workflow',
  label: 'Workflow List',
  description: 'Triggers when a workflow is added to the sub-account; lists workflows for dropdowns.',
  hidden: true,
  inputFields: [],
  sample: workflowSample,
  parse: () => ({}),
  perform: async ({ api, locationId }) => dropdownRows(await listWorkflows(api, locationId)),
});

const workflowField: InputField = {
  key: 'workflowId',
  label: 'Workflow',
  required: true,
  dynamic: 'workflow_list.id.label',
  altersDynamicFields: false,
  helpText:
    'The GHL workflow. Pick one (drafts are marked), or map a workflow id. A deleted or draft workflow is reported before anything is changed.',
};

const outputFields: OutputField[] = [
  { key: 'id', label: 'ID' },
  { key: 'contactId', label: 'Contact ID' },
  { key: 'workflowId', label: 'Workflow ID' },
  { key: 'workflowName', label: 'Workflow Name' },
  { key: 'workflowStatus', label: 'Workflow Status' },
  { key: 'succeeded', label: 'Succeeded', type: 'boolean' },
];

const sample = (extra: Record<string, unknown> = {}) => ({
  id: 'nmFmQEsNgz6AVpgLVUJ0',
  contactId: 'nmFmQEsNgz6AVpgLVUJ0',
  workflowId: workflowSample.id,
  workflowName: workflowSample.name,
  workflowStatus: 'published',
  succeeded: true,
  ...extra,
});

export const addContactToWorkflow = action({
  key: 'add_contact_to_workflow',
  endpoints: ['GET /workflows/', 'POST /contacts/{contactId}/workflow/{workflowId}'],
  noun: 'Workflow',
  label: 'Add Contact to Workflow',
  description: 'Adds a contact to a published workflow (e.g. a welcome sequence), now or from a chosen start time.',
  inputFields: [
    contactIdField(),
    workflowField,
    {
      key: 'eventStartTime',
      label: 'Start Time',
      type: 'datetime',
      required: false,
      helpText:
        "When the workflow's time-based steps start for this contact (ISO 8601, e.g. 2026-12-01T09:00:00-05:00). Leave empty to start now.",
    },
  ],
  outputFields: [...outputFields, { key: 'eventStartTime', label: 'Start Time', type: 'datetime' }],
  sample: sample({ eventStartTime: '2026-12-01T14:00:00Z' }),
  parse: (read, { bundle }) => ({
    contactId: read.requiredId('contactId'),
    workflowId: read.requiredId('workflowId'),
    eventStartTime: read.dateTime('eventStartTime', { timezone: bundle.meta?.timezone ?? undefined }),
  }),
  perform: async ({ z, api, input, locationId }) => {
    const workflow = requireItem('workflow', await listWorkflows(api, locationId), input.workflowId, { mustBePublished: true });
    const body: AddWorkflowBody = input.eventStartTime ? { eventStartTime: input.eventStartTime } : {};
    const res = await api.post<SucceededResponse>(path`/contacts/${input.contactId}/workflow/${input.workflowId}`, body);
    return {
      id: input.contactId,
      contactId: input.contactId,
      workflowId: workflow.id,
      workflowName: workflow.name,
      workflowStatus: workflow.status,
      succeeded: assertSucceeded(z, res.data, 'add the contact to the workflow'),
      ...(input.eventStartTime ? { eventStartTime: input.eventStartTime } : {}),
    };
  },
});

export const removeContactFromWorkflow = action({
  key: 'remove_contact_from_workflow',
  endpoints: ['GET /workflows/', 'DELETE /contacts/{contactId}/workflow/{workflowId}'],
  noun: 'Workflow',
  label: 'Remove Contact from Workflow',
  description: 'Removes a contact from a workflow, so none of its remaining steps run for the contact.',
  inputFields: [contactIdField(), workflowField],
  outputFields,
  sample: sample(),
  parse: (read) => ({ contactId: read.requiredId('contactId'), workflowId: read.requiredId('workflowId') }),
  perform: async ({ z, api, input, locationId }) => {
    const workflow = requireItem('workflow', await listWorkflows(api, locationId), input.workflowId, { mustBePublished: false });
    // The spec requires a JSON body here too (CreateWorkflowDto, all optional).
    const res = await api.delete<SucceededResponse>(path`/contacts/${input.contactId}/workflow/${input.workflowId}`, {});
    return {
      id: input.contactId,
      contactId: input.contactId,
      workflowId: workflow.id,
      workflowName: workflow.name,
      workflowStatus: workflow.status,
      succeeded: assertSucceeded(z, res.data, 'remove the contact from the workflow'),
    };
  },
});

export const workflowsOperations: ResourceOperations = {
  triggers: [workflowList],
  searches: [],
  creates: [addContactToWorkflow, removeContactFromWorkflow],
};
