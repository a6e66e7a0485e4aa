import { pino } from 'pino';

/**
 * The relay's structured log (pino): one JSON object per line on stdout, `level`, `time`, `msg` and
 * the fields given, e.g. `log.warn({ reason, source, type, locationId }, 'webhook refused')`.
 * Fields name what happened (ids, hosts, statuses, reasons), never a token or a body.
 * `RELAY_LOG_LEVEL` (trace … fatal, silent) sets the level. The start and stop lines (main.ts) use
 * this log; a relay's own lines go to `logFor(cfg.quiet)`.
 */
export const log = pino({ base: { service: 'ghl-zapier-relay' }, level: process.env.RELAY_LOG_LEVEL || 'info' });

export type Log = typeof log;

/** A relay started with `quiet` (RELAY_QUIET: tests, the benchmark) logs nothing per webhook or delivery. */
export const logFor = (quiet: boolean): Log => (quiet ? log.child({}, { level: 'silent' }) : log);
