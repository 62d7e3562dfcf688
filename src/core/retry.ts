/**
 * The one place that decides whether a failed call is tried again, and after how long: market data
 * requests, alert deliveries, anything whose errors say `{ retryable, retryAfterMs }` (see Retryable).
 * Errors that are not retryable, and anything without that shape (a bug), are rethrown at once.
 * @module
 */

/**
 * What an error says about trying again: `retryable` (429, 5xx, network failures) and how long the other
 * side asked us to wait. MarketDataError and DeliveryError both have this shape.
 */
export type Retryable = { readonly retryable: boolean; readonly retryAfterMs?: number | undefined };

/** True for an error that says trying again may help. */
export function isRetryable(err: unknown): err is Error & Retryable {
  return err instanceof Error && (err as Partial<Retryable>).retryable === true;
}

/** How many times to try and how long to wait between tries. Units are milliseconds. */
export type RetryPolicy = {
  /** Total tries including the first one (1 = no retries). */
  maxAttempts: number;
  /** Backoff ceiling of the first retry; doubles per retry. */
  baseDelayMs: number;
  /** Ceiling of the exponential backoff. A server's Retry-After is honoured beyond it, up to maxRetryAfterMs. */
  maxDelayMs: number;
  /** The longest Retry-After waited for; a server asking for more still gets a pause of this length. Default MAX_RETRY_AFTER_MS. */
  maxRetryAfterMs?: number;
};

/** 4 tries, waits drawn from [0, 0.5 s], [0, 1 s], [0, 2 s] (capped at 8 s for longer policies). */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 8_000 };

/**
 * The longest Retry-After we wait for. A scan must finish in minutes; a server asking for more than
 * this still gets a pause of this length, and the retry budget bounds the total.
 */
export const MAX_RETRY_AFTER_MS = 60_000;

export type RetryOptions = {
  policy?: RetryPolicy;
  /** Injected in tests to record delays instead of waiting. */
  sleep?: (delayMs: number) => Promise<void>;
  /** Source of jitter in [0, 1); injected in tests for exact delays. */
  random?: () => number;
  /** Called before each wait, with the error that caused it and the wait about to happen. */
  onRetry?: (err: Error & Retryable, delayMs: number) => void;
  /**
   * Epoch ms by which the call must have succeeded (a platform's reply window): a retry whose wait would end
   * after it is not made, and the error is rethrown instead.
   */
  deadlineMs?: number;
  /** Clock for `deadlineMs`. Default Date.now. */
  now?: () => number;
};

/** Resolve after `delayMs` milliseconds of real time. */
export const realSleep = (delayMs: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, delayMs));

/**
 * The wait before retry number `retry` (1 = the first retry). Full jitter: uniform in
 * [0, min(maxDelayMs, baseDelayMs * 2^(retry-1))], so many clients hitting one limit spread out.
 */
export function backoffDelayMs(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceilingMs = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * ceilingMs);
}

/**
 * Parse an HTTP Retry-After header (delta-seconds or an HTTP date) into milliseconds from now.
 * A date is measured against `referenceMs`: pass the response's own Date header when there is one so
 * that clock skew between us and the server does not matter. Returns undefined when absent or unreadable.
 */
export function parseRetryAfterMs(header: string | null | undefined, referenceMs: number): number | undefined {
  if (header === null || header === undefined || header.trim() === '') return undefined;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const atMs = Date.parse(value);
  if (Number.isNaN(atMs)) return undefined;
  return Math.max(0, atMs - referenceMs);
}

/**
 * The wait before retry number `retry` after `err`: the error's own retryAfterMs when it has one (at most
 * the policy's maxRetryAfterMs), else the exponential backoff with full jitter.
 */
export function retryDelayMs(err: Retryable, retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const retryAfterMs = err.retryAfterMs;
  if (retryAfterMs !== undefined && retryAfterMs >= 0) return Math.min(retryAfterMs, policy.maxRetryAfterMs ?? MAX_RETRY_AFTER_MS);
  return backoffDelayMs(retry, policy, random);
}

/**
 * Run `fn(attempt)` (attempt counts from 1) until it succeeds, fails with a non-retryable error, or
 * `policy.maxAttempts` tries are spent, or the next try could not start before `deadlineMs`; then the last
 * error is rethrown unchanged. Waits retryDelayMs.
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const policy = opts.policy ?? DEFAULT_RETRY;
  const sleep = opts.sleep ?? realSleep;
  const random = opts.random ?? Math.random;
  const maxAttempts = Math.max(1, Math.floor(policy.maxAttempts));
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (!isRetryable(err) || attempt >= maxAttempts) throw err;
      const delayMs = retryDelayMs(err, attempt, policy, random);
      if (opts.deadlineMs !== undefined && (opts.now ?? Date.now)() + delayMs >= opts.deadlineMs) throw err;
      opts.onRetry?.(err, delayMs);
      await sleep(delayMs);
    }
  }
}
