/**
 * The fault matrix (test/reliability/matrix.ts): auth, throttling, server errors and GHL quirks, for
 * every operation and flow, over real HTTP against the sandbox. `npm run matrix` prints the table.
 */
import { defineMatrixTests } from './jest-matrix.js';
import { FAULT_CASES } from './matrix.js';

defineMatrixTests(
  'faults',
  FAULT_CASES.filter((c) => c.group !== 'transport'),
);
