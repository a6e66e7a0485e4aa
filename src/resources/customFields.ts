import type { ResourceOperations } from '../operations/define.js';

export const customFieldsOperations: ResourceOperations = { triggers: [], searches: [], creates: [] };
