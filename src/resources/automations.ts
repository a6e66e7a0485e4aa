import type { ZObject } from 'zapier-platform-core';
import { InvalidInputError } from '../lib/input.js';

/**
 * What workflows and campaigns share: the dropdown rows, and the check, made before any write,
 * that the chosen one still exists in the sub-account and is published. GHL's list endpoints
 * (`GET /workflows/`, `GET /campaigns/`) return every item at once, without paging.
 */

export interface AutomationItem {
  id?: string;
  name?: string;
  status?: string;
}

export type AutomationRow = {
  id: string;
  name: string;
  status: string;
  /** The dropdown label: the name, with the status when it is not published. */
  label: string;
};

const isPublished = (status: string) => status.toLowerCase() === 'published';

export const toAutomationRow = (item: AutomationItem & { id: string }): AutomationRow => {
  const name = item.name?.trim() || item.id;
  const status = item.status?.trim() || 'unknown';
  return { id: item.id, name, status, label: isPublished(status) ? name : `${name} (${status})` };
};

/** Published first, then by name: the dropdown shows the usable ones on top. */
export const dropdownRows = (items: AutomationItem[] | undefined): AutomationRow[] =>
  (items ?? [])
    .filter((i): i is AutomationItem & { id: string } => typeof i.id === 'string' && i.id !== '')
    .map(toAutomationRow)
    .sort(
      (a, b) =>
        Number(isPublished(b.status)) - Number(isPublished(a.status)) ||
        a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) ||
        a.id.localeCompare(b.id),
    );

/**
 * The chosen item, or our words when it is gone (deleted in GHL after the Zap was set up) or, for
 * an add, not published: GHL does not run drafts, so the contact would silently go nowhere.
 */
export const requireItem = (
  kind: 'workflow' | 'campaign',
  items: AutomationItem[] | undefined,
  id: string,
  opts: { mustBePublished: boolean },
): AutomationRow => {
  const found = (items ?? []).find((i) => i.id === id);
  const where = kind === 'workflow' ? 'Automation → Workflows' : 'Marketing → Campaigns';
  if (!found) {
    throw new InvalidInputError(
      `This sub-account has no ${kind} with id "${id}" (it may have been deleted in GHL). Pick one from the ${kind === 'workflow' ? 'Workflow' : 'Campaign'} dropdown again. Nothing was changed.`,
    );
  }
  const row = toAutomationRow(found as AutomationItem & { id: string });
  if (opts.mustBePublished && !isPublished(row.status)) {
    throw new InvalidInputError(
      `The ${kind} "${row.name}" is ${row.status} in GHL, and GHL only runs published ${kind}s, so the contact would not go through it. Publish it in GHL (${where}), then replay this step. Nothing was changed.`,
    );
  }
  return row;
};

/**
 * GHL's writes here answer `{ succeded: true }` (sic). An answer that says `false` is not a
 * success, even with HTTP 200; one without the flag is taken as GHL's usual terse success.
 */
export const assertSucceeded = (z: ZObject, data: { succeded?: boolean } | undefined, what: string): true => {
  if (data?.succeded === false) {
    throw new z.errors.Error(
      `GHL answered that it did not ${what} (succeded: false). Check the contact in GHL, then replay this step.`,
      'ghl_not_succeeded',
      502,
    );
  }
  return true;
};
