import zapier, { defineApp } from 'zapier-platform-core';
import packageJson from './package.json' with { type: 'json' };
import authentication from './src/authentication.js';
import { befores } from './src/http/middleware.js';
import { byKey, type ResourceOperations } from './src/operations/define.js';
import { apiRequestOperations } from './src/resources/apiRequest.js';
import { customerOperations } from './src/resources/customers.js';
import { deletedCustomerOperations } from './src/resources/deletedCustomers.js';
import { instantCustomerOperations } from './src/resources/instantCustomers.js';

/** Every Ecwid noun declares its operations in src/resources/<noun>.ts; this file only gathers them. */
const resources: ResourceOperations[] = [customerOperations, deletedCustomerOperations, instantCustomerOperations, apiRequestOperations];

export default defineApp({
  version: packageJson.version,
  platformVersion: zapier.version,
  authentication,
  beforeRequest: [...befores],
  triggers: byKey(resources.flatMap((r) => r.triggers ?? [])),
  searches: byKey(resources.flatMap((r) => r.searches ?? [])),
  creates: byKey(resources.flatMap((r) => r.creates ?? [])),
});
