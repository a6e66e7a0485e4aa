/**
 * Nothing lost, nothing duplicated: the rate-limit storm, duplicate contacts, search-index lag,
 * replays, deletes of exactly one record and updates that keep what the user did not touch.
 */
import { defineMatrixTests } from './jest-matrix.js';
import { SCENARIOS } from './scenarios.js';

defineMatrixTests('scenarios', SCENARIOS);
