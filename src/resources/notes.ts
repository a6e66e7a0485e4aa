import type { ResourceOperations } from '../operations/define.js';

export const notesOperations: ResourceOperations = { triggers: [], searches: [], creates: [] };
