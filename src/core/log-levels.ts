/**
 * @module The logger's levels and formats, apart from log.ts: config.ts validates LOG_LEVEL with them, and
 * importing log.ts for that would load pino into every CLI command, which logs nothing.
 */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFormat = 'json' | 'pretty';
