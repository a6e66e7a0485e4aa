/**
 * The route table: `<spec file>:<operationId>` → the handler of that operation, GHL API v2
 * behaviour on top of SandboxState. One file per GHL noun; http/api-pipeline.ts calls them after
 * auth, rate limit, scopes, location access and spec validation.
 */
import { APPOINTMENT_HANDLERS } from './appointments.js';
import { BUSINESS_HANDLERS } from './businesses.js';
import { CAMPAIGN_HANDLERS } from './campaigns.js';
import { CONTACT_SEARCH_HANDLERS } from './contact-search.js';
import { CONTACT_HANDLERS } from './contacts.js';
import type { Handler } from './context.js';
import { FOLLOWER_HANDLERS } from './followers.js';
import { LOCATION_HANDLERS } from './locations.js';
import { NOTE_HANDLERS } from './notes.js';
import { TAG_HANDLERS } from './tags.js';
import { TASK_HANDLERS } from './tasks.js';
import { USER_HANDLERS } from './users.js';
import { WORKFLOW_HANDLERS } from './workflows.js';

export type { Handler, HandlerCtx, HandlerResult } from './context.js';

export const HANDLERS: Record<string, Handler> = {
  ...CONTACT_HANDLERS,
  ...CONTACT_SEARCH_HANDLERS,
  ...TAG_HANDLERS,
  ...FOLLOWER_HANDLERS,
  ...TASK_HANDLERS,
  ...NOTE_HANDLERS,
  ...APPOINTMENT_HANDLERS,
  ...LOCATION_HANDLERS,
  ...USER_HANDLERS,
  ...BUSINESS_HANDLERS,
  ...WORKFLOW_HANDLERS,
  ...CAMPAIGN_HANDLERS,
};
