/**
 * @module Sending a command's reply, retried on 429 (after the platform's retry_after) and 5xx/network errors
 * (backoff), through the one retry helper (core/retry.ts), inside the platform's reply window: 3 s for a
 * Discord interaction's first answer, 15 min for its edits and follow-ups (the interaction token's life);
 * Telegram has none, so only the attempts bound it. Each part is sent on its own, so a retry never repeats a
 * part that went out. Errors are mapped by the notify sinks' mappers (one status -> retryable table).
 */
import { withRetry, type Retryable, type RetryPolicy } from '../core/retry.ts';
import type { Logger } from '../core/log.ts';

/** A reply is worth a few tries: 5, with waits of up to 1, 2, 4, 8 s, and a retry_after of up to a minute. */
export const REPLY_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 8000, maxRetryAfterMs: 60_000 };

/** Discord: an interaction must be answered (or deferred) within 3 s; its token then lasts 15 min. */
export const DISCORD_FIRST_ANSWER_MS = 3_000;
export const DISCORD_TOKEN_LIFE_MS = 15 * 60_000;

export type ReplyRetryOptions = {
  /** What the send threw, as an error that says whether to retry (DeliveryError from the sinks' mappers). */
  toError: (err: unknown) => Error & Retryable;
  /** Epoch ms by which the reply must be out; none on Telegram. */
  deadlineMs?: number;
  logger: Logger;
  /** For the log line: "telegram reply command=scan chat=telegram:42". */
  what: string;
  /** Injected in tests. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
};

/** Run `send` until it succeeds or retrying cannot help (final error, tries spent, window closing); then throw. */
export function sendReply<T>(send: () => Promise<T>, opts: ReplyRetryOptions): Promise<T> {
  return withRetry(
    async () => {
      try {
        return await send();
      } catch (err) {
        throw opts.toError(err);
      }
    },
    {
      policy: REPLY_RETRY,
      ...(opts.deadlineMs !== undefined ? { deadlineMs: opts.deadlineMs } : {}),
      ...(opts.sleep ? { sleep: opts.sleep } : {}),
      ...(opts.random ? { random: opts.random } : {}),
      ...(opts.now ? { now: opts.now } : {}),
      onRetry: (err, delayMs) => opts.logger.warn(`${opts.what}: ${err.message}; retrying in ${delayMs} ms`),
    },
  );
}
