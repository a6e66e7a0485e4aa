/**
 * The fault matrix, transport part: connection resets, timeouts, truncated, HTML and empty bodies,
 * on reads (retried once) and on every write (never re-sent), with a replay after each.
 */
import { defineMatrixTests } from './jest-matrix.js';
import { FAULT_CASES } from './matrix.js';

defineMatrixTests(
  'transport',
  FAULT_CASES.filter((c) => c.group === 'transport'),
);
