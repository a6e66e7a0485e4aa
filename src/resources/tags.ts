import type { ResourceOperations } from '../operations/define.js';

export const tagsOperations: ResourceOperations = { triggers: [], searches: [], creates: [] };
