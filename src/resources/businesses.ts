import type { ResourceOperations } from '../operations/define.js';

export const businessesOperations: ResourceOperations = { triggers: [], searches: [], creates: [] };
