/**
 * The process logger: one line per event on stderr, timestamped, with secrets scrubbed. Small on purpose;
 * the outbox, dispatcher and scheduler take any object of this shape, so tests pass a collecting one.
 */
import { redactSecrets } from './errors.ts';

export type Logger = { info(msg: string): void; warn(msg: string): void; error(msg: string): void };

export function createLogger(opts: { secrets?: (string | undefined)[]; write?: (line: string) => void; now?: () => Date } = {}): Logger {
  const write = opts.write ?? ((line: string) => void process.stderr.write(line));
  const now = opts.now ?? (() => new Date());
  const line = (level: string) => (msg: string) =>
    write(`${now().toISOString()} ${level} ${redactSecrets(msg, opts.secrets ?? [])}\n`);
  return { info: line('INFO'), warn: line('WARN'), error: line('ERROR') };
}
