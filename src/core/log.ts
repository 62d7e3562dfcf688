/**
 * @module The process logger: pino, one JSON line per event on stderr (pretty on a terminal), with secrets
 * scrubbed from every line. Lower layers see only the small `Logger` shape below, so tests pass a collecting
 * object and a pino instance fits as it is.
 */
import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import type PinoPretty from 'pino-pretty';
import { redactSecrets } from './errors.ts';

/** Fields a child logger adds to each of its lines, e.g. `{ job: 'intraday' }` or `{ platform: 'telegram' }`. */
export type LogBindings = Record<string, string | number | boolean>;

/**
 * What callers use. `child` is optional so a plain collecting object (or `console`) still fits; reach it
 * through `childLogger`. Messages are strings: pino's `(fields, msg)` order differs from most loggers', and a
 * second argument would be read as a format argument, so fields travel in bindings only.
 */
export type Logger = {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
  child?(bindings: LogBindings): Logger;
};

import type { LogFormat, LogLevel } from './log-levels.ts';

export { LOG_LEVELS, type LogFormat, type LogLevel } from './log-levels.ts';

export type LoggerOptions = {
  /** Default 'info'. */
  level?: LogLevel;
  /** Default: pretty when stderr is a terminal (and no `write` is given), JSON otherwise. */
  format?: LogFormat;
  /** Values to scrub from every line (tokens, keys), besides the patterns redactSecrets knows. */
  secrets?: readonly (string | undefined)[];
  /** Where lines go instead of stderr (tests); one call per line, newline included. */
  write?: (line: string) => void;
  /** The clock stamped on each line (tests); default the wall clock. */
  now?: () => Date;
};

/** The logger's child with `bindings`, or the logger itself when it has no children (a test's collector). */
export function childLogger(logger: Logger, bindings: LogBindings): Logger {
  return logger.child ? logger.child(bindings) : logger;
}

// Loaded only in pretty mode: a server logging JSON never needs it.
const requirePretty = (): typeof PinoPretty => createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;

function destination(opts: LoggerOptions, format: LogFormat): DestinationStream {
  const write = opts.write;
  if (format === 'pretty') {
    // pino-pretty's formatter called in line, not its stream: synchronous like the JSON path, so the last
    // lines before a crash are never left in a buffer.
    const prettify = requirePretty().prettyFactory({
      colorize: !write && process.stderr.isTTY === true,
      translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l',
      // "INFO: intraday: cycle: ..." reads better than the job on a line of its own; other fields stay inline.
      messageFormat: '{if job}{job}: {end}{msg}',
      ignore: 'pid,hostname,job',
      singleLine: true,
    });
    const out = write ?? ((text: string) => void process.stderr.write(text));
    return { write: (line: string) => out(prettify(line)) };
  }
  return write ? { write } : pino.destination({ dest: 2, sync: true });
}

/** Each secret as it appears raw and inside a JSON string (quotes and backslashes escaped). */
const secretForms = (secrets: readonly (string | undefined)[]): string[] =>
  secrets.flatMap((s) => (s ? [s, JSON.stringify(s).slice(1, -1)] : []));

/**
 * A pino logger writing to stderr. Secrets are scrubbed in pino's `streamWrite` hook, which sees each
 * finished line (message, fields, bindings, error stacks alike) just before it is written: the place pino's
 * docs give for it, and the one place no field can slip past.
 */
export function createLogger(opts: LoggerOptions = {}): PinoLogger {
  const format = opts.format ?? (!opts.write && process.stderr.isTTY ? 'pretty' : 'json');
  const secrets = secretForms(opts.secrets ?? []);
  const now = opts.now;
  return pino(
    {
      level: opts.level ?? 'info',
      timestamp: now ? () => `,"time":"${now().toISOString()}"` : pino.stdTimeFunctions.isoTime,
      hooks: { streamWrite: (line) => redactSecrets(line, secrets) },
    },
    destination(opts, format),
  );
}
