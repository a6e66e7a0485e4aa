import type { ResourceOperations } from '../operations/define.js';

export const tasksOperations: ResourceOperations = { triggers: [], searches: [], creates: [] };
