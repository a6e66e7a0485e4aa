import { pino } from 'pino';

/**
 * The relay's structured log (pino): one JSON object per line on stdout, `level`, `time`, `msg` and
 * the fields given, e.g. `log.warn({ reason, source, type, locationId }, 'webhook refused')`.
 * Fields name what happened (ids, hosts, statuses, reasons), never a token or a body.
 * `RELAY_LOG_LEVEL` (trace … fatal, silent) sets the level; `RELAY_QUIET=true` is `silent`.
 */
const level = /^(1|true|yes|on)$/i.test(process.env.RELAY_QUIET ?? '') ? 'silent' : process.env.RELAY_LOG_LEVEL || 'info';

export const log = pino({ base: { service: 'ghl-zapier-relay' }, level });

export type Log = typeof log;

/** A relay started with `quiet` (tests, the benchmark) logs nothing, whatever the process-wide level. */
export const logFor = (quiet: boolean): Log => (quiet ? log.child({}, { level: 'silent' }) : log);
