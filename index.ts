import zapier, { defineApp } from 'zapier-platform-core';
import packageJson from './package.json' with { type: 'json' };
import authentication from './src/authentication.js';
import { afters, befores } from './src/http/middleware.js';
import { byKey, type ResourceOperations } from './src/operations/define.js';
import { apiRequestOperations } from './src/resources/apiRequest.js';
import { appointmentsOperations } from './src/resources/appointments.js';
import { businessSearchOrCreates, businessesOperations } from './src/resources/businesses/index.js';
import {
  contactOperations,
  contactSearchOrCreates,
  contactUpsertOperations,
  hydrateContactProfile,
} from './src/resources/contacts/index.js';
import { customFieldsOperations, hydrateCustomFieldsByName } from './src/resources/customFields.js';
import { instantOperations } from './src/resources/instant.js';
import { notesOperations } from './src/resources/notes.js';
import { bulkTagsOperations, tagTriggerOperations, tagsOperations } from './src/resources/tags/index.js';
import { taskSearchOrCreates, tasksOperations } from './src/resources/tasks.js';
import { usersOperations } from './src/resources/users.js';
import { campaignsOperations } from './src/resources/campaigns.js';
import { followersOperations } from './src/resources/followers.js';
import { workflowsOperations } from './src/resources/workflows.js';

/** Every GHL noun declares its operations in src/resources/<noun>.ts (or <noun>/index.ts when it has several files); this file only gathers them. */
const resources: ResourceOperations[] = [
  contactOperations,
  tasksOperations,
  notesOperations,
  appointmentsOperations,
  tagsOperations,
  businessesOperations,
  usersOperations,
  customFieldsOperations,
  contactUpsertOperations,
  tagTriggerOperations,
  bulkTagsOperations,
  followersOperations,
  workflowsOperations,
  campaignsOperations,
  instantOperations,
  apiRequestOperations,
];

export default defineApp({
  version: packageJson.version,
  platformVersion: zapier.version,
  authentication,
  beforeRequest: [...befores],
  afterResponse: [...afters],
  hydrators: { contactProfile: hydrateContactProfile, customFieldsByName: hydrateCustomFieldsByName },
  triggers: byKey(resources.flatMap((r) => r.triggers ?? [])),
  searches: byKey(resources.flatMap((r) => r.searches ?? [])),
  creates: byKey(resources.flatMap((r) => r.creates ?? [])),
  searchOrCreates: { ...contactSearchOrCreates, ...taskSearchOrCreates, ...businessSearchOrCreates },
});
