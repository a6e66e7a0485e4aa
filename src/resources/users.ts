import type { ResourceOperations } from '../operations/define.js';

export const usersOperations: ResourceOperations = { triggers: [], searches: [], creates: [] };
