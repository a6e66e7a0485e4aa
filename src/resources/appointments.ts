import type { ResourceOperations } from '../operations/define.js';

export const appointmentsOperations: ResourceOperations = { triggers: [], searches: [], creates: [] };
