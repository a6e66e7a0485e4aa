import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * The relay's structured log: one JSON line per event (pino), `log.info/warn/error({ ...fields }, 'message')`.
 * Fields name what happened (reason, type, locationId, status, attempt); they never carry a token or a
 * webhook body — callers pass only those fields, and `redact` removes the usual suspects should one slip in.
 */

export type RelayLog = Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;

export interface LogOptions {
  /** No output at all (tests, RELAY_QUIET). */
  quiet?: boolean;
  /** Where lines go (default stdout); tests pass a stream to read the lines back. */
  destination?: DestinationStream;
  /** Default: `RELAY_LOG_LEVEL` (trace … fatal, silent), else info. */
  level?: string;
}

export const createLog = (opts: LogOptions = {}): Logger =>
  pino(
    {
      level: opts.quiet ? 'silent' : (opts.level ?? (process.env.RELAY_LOG_LEVEL || 'info')),
      base: { service: 'relay' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: ['token', 'authorization', 'body', 'headers', '*.authorization', '*.token'], remove: true },
    },
    opts.destination ?? pino.destination({ dest: 1, sync: true }),
  );

/** Collects log lines in memory (tests): every line parsed back to its JSON object. */
export const memoryLog = () => {
  const lines: Array<Record<string, unknown>> = [];
  const destination: DestinationStream = { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) };
  return { lines, log: createLog({ destination }) };
};

/**
 * The process-wide log of `npm run relay` / the image (its start and stop lines): `RELAY_LOG_LEVEL`
 * (trace … fatal, silent) sets the level. `RELAY_QUIET` silences a relay's own lines (startRelay's
 * log), not these: a supervisor or a test still sees "listening on" and "stopped".
 */
export const log = createLog();
