/**
 * Workflows (workflows.json `get-workflow`, the list) and a contact in a workflow (contacts.json
 * `add-contact-to-workflow`, `delete-contact-from-workflow`); the data is in state/automation.ts.
 *
 * Behaviour GHL documents nowhere (sandbox assumptions, see sandbox/README.md):
 * - an unknown workflow id on a contact route → 400 "Workflow with id … not found";
 * - a workflow whose "Allow re-entry" is off (GHL's default) ignores a second add while the contact
 *   is in it (200, no second enrolment); with it on, every add is an enrolment;
 * - adding to a draft workflow is accepted (200) and never runs;
 * - removing a contact that is not in the workflow answers 200 `{ succeded: true }`.
 */
import { automationOf, membership, type SandboxWorkflow } from '../state/automation.js';
import { badRequest } from '../http/errors.js';
import { contactOfPath } from './contact-records.js';
import { bodyObj, type Handler, type HandlerCtx, type HandlerResult } from './context.js';

function listWorkflows(ctx: HandlerCtx): HandlerResult {
  const workflows = [...automationOf(ctx.state, ctx.locationId).workflows.values()].map(({ allowReentry: _r, ...w }) => w);
  return { status: 200, body: { workflows } };
}

function workflowOf(ctx: HandlerCtx): SandboxWorkflow {
  const id = ctx.params['workflowId'] ?? '';
  const w = automationOf(ctx.state, ctx.locationId).workflows.get(id);
  if (!w) throw badRequest(`Workflow with id ${id} not found`);
  return w;
}

function addToWorkflow(ctx: HandlerCtx): HandlerResult {
  const c = contactOfPath(ctx);
  const w = workflowOf(ctx);
  const d = automationOf(ctx.state, ctx.locationId);
  const current = membership(d.inWorkflows, c.id);
  if (!current.has(w.id) || w.allowReentry) {
    const start = bodyObj(ctx)['eventStartTime'];
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
  const c = contactOfPath(ctx);
  const w = workflowOf(ctx);
  membership(automationOf(ctx.state, ctx.locationId).inWorkflows, c.id).delete(w.id);
  return { status: 200, body: { succeded: true } };
}

export const WORKFLOW_HANDLERS: Record<string, Handler> = {
  'workflows:get-workflow': listWorkflows,
  'contacts:add-contact-to-workflow': addToWorkflow,
  'contacts:delete-contact-from-workflow': removeFromWorkflow,
};
