/**
 * Optional steps of the Ecwid recipes that use issue 11's operations (flows.ts runs them inside a
 * Zap run when its settings choose a workflow, mapped from the contact the run found or created):
 * - flow 2, an optional step after the welcome task — Add Contact to Workflow: start the shop's welcome workflow for the contact
 *   (a replay, or a customer.updated event, does not enrol again while the workflow's "Allow
 *   re-entry" is off, GHL's default);
 * - flow 3, before the archive — Remove Contact from All Campaigns and Remove Contact from
 *   Workflow, so an archived (or deleted) customer gets no more drip messages.
 */
import { mapFields } from './ecwid.js';
import type { ZapRunner } from './zap-runner.js';

type Row = Record<string, any>;

/** Chosen once in the Zap editor from the Workflow dropdown. */
export interface AutomationSettings {
  welcomeWorkflowId?: string;
  /** Workflows to take an archived customer out of (GHL has no "remove from all workflows"). */
  stopWorkflowIds?: string[];
}

/** Flow 2, optional step after the welcome task — Add Contact to Workflow (welcome). */
export const syncWelcomeWorkflowMapping = (workflowId: string) => ({ contactId: '{{contact.id}}', workflowId });

/** Flow 3, before step 4 — Remove Contact from All Campaigns. */
export const removalCampaignsMapping = () => ({ contactId: '{{contact.id}}' });

/** Flow 3, before step 4 — Remove Contact from Workflow, once per workflow chosen. */
export const removalWorkflowMapping = (workflowId: string) => ({ contactId: '{{contact.id}}', workflowId });

/** Runs flow 2's optional welcome-workflow step for the contact flow 2 found or created (`data.contact`). */
export const startWelcomeWorkflow = async (zap: ZapRunner, data: Row, s: AutomationSettings) =>
  s.welcomeWorkflowId
    ? zap.step<Row>(
        'Add Contact to Workflow (welcome)',
        'creates',
        'add_contact_to_workflow',
        mapFields(syncWelcomeWorkflowMapping(s.welcomeWorkflowId), data),
      )
    : undefined;

/** Runs flow 3's automation stop for the contact flow 3 found (`data.contact`), before it is archived or deleted. */
export const stopAutomations = async (zap: ZapRunner, data: Row, s: AutomationSettings) => {
  const campaigns = await zap.step<Row>(
    'Remove Contact from All Campaigns',
    'creates',
    'remove_contact_from_all_campaigns',
    mapFields(removalCampaignsMapping(), data),
  );
  const workflows: Row[] = [];
  for (const id of s.stopWorkflowIds ?? [])
    workflows.push(
      await zap.step<Row>(
        'Remove Contact from Workflow',
        'creates',
        'remove_contact_from_workflow',
        mapFields(removalWorkflowMapping(id), data),
      ),
    );
  return { campaigns, workflows };
};
