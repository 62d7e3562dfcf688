import { afterEach, describe, expect, it, vi } from 'vitest';
import { MarketDataError, type MarketDataErrorKind } from '../../src/core/errors.ts';
import {
  backoffDelayMs,
  DEFAULT_RETRY,
  MAX_RETRY_AFTER_MS,
  parseRetryAfterMs,
  withRetry,
  type RetryPolicy,
} from '../../src/core/retry.ts';

const err = (kind: MarketDataErrorKind, retryAfterMs?: number) =>
  new MarketDataError(kind, 'test', 'AAPL', `${kind} failure`, retryAfterMs === undefined ? {} : { retryAfterMs });

/** A function that throws the given errors in order, then returns 'ok'; records the attempts it saw. */
function failing(...errors: unknown[]) {
  const attempts: number[] = [];
  const fn = async (attempt: number) => {
    attempts.push(attempt);
    const next = errors.shift();
    if (next !== undefined) throw next;
    return 'ok';
  };
  return { fn, attempts };
}

/** An injected sleep that records each delay and resolves at once. */
function recordingSleep() {
  const delaysMs: number[] = [];
  return { delaysMs, sleep: async (ms: number) => void delaysMs.push(ms) };
}

describe('withRetry', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('should return the first success without waiting', async () => {
    const { fn, attempts } = failing();
    const { sleep, delaysMs } = recordingSleep();
    await expect(withRetry(fn, { sleep })).resolves.toBe('ok');
    expect(attempts).toEqual([1]);
    expect(delaysMs).toEqual([]);
  });

  it('should wait each Retry-After exactly, through the second and third retries', async () => {
    const { fn, attempts } = failing(err('rate_limited', 2_000), err('rate_limited', 3_000), err('rate_limited', 1_500));
    const { sleep, delaysMs } = recordingSleep();
    await expect(withRetry(fn, { sleep, random: () => 0.99 })).resolves.toBe('ok');
    expect(delaysMs).toEqual([2_000, 3_000, 1_500]);
    expect(attempts).toEqual([1, 2, 3, 4]);
  });

  it('should back off exponentially with full jitter when there is no Retry-After', async () => {
    const { fn } = failing(err('upstream'), err('upstream'), err('rate_limited'));
    const { sleep, delaysMs } = recordingSleep();
    await withRetry(fn, { sleep, random: () => 0.5 });
    // ceilings 500, 1000, 2000 ms (DEFAULT_RETRY), half of each
    expect(delaysMs).toEqual([250, 500, 1_000]);
  });

  it('should cap the backoff ceiling at maxDelayMs', async () => {
    const policy: RetryPolicy = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 1_500 };
    const { fn } = failing(err('upstream'), err('upstream'), err('upstream'), err('upstream'), err('upstream'));
    const { sleep, delaysMs } = recordingSleep();
    await withRetry(fn, { policy, sleep, random: () => 0.5 });
    expect(delaysMs).toEqual([250, 500, 750, 750, 750]);
  });

  it('should honour a Retry-After beyond maxDelayMs but never wait more than MAX_RETRY_AFTER_MS', async () => {
    const { fn } = failing(err('rate_limited', 20_000), err('rate_limited', 3_600_000));
    const { sleep, delaysMs } = recordingSleep();
    await withRetry(fn, { sleep });
    expect(delaysMs).toEqual([20_000, MAX_RETRY_AFTER_MS]);
  });

  it('should rethrow the last error once maxAttempts tries are spent', async () => {
    const last = err('upstream');
    const { fn, attempts } = failing(err('upstream'), err('upstream'), last, err('upstream'));
    const { sleep, delaysMs } = recordingSleep();
    const policy: RetryPolicy = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 };
    await expect(withRetry(fn, { policy, sleep, random: () => 0 })).rejects.toBe(last);
    expect(attempts).toEqual([1, 2, 3]);
    expect(delaysMs).toHaveLength(2);
  });

  it.each([
    ['bad_data', err('bad_data')],
    ['not_found', err('not_found')],
    ['a plain Error (a bug, not an upstream failure)', new Error('boom')],
    ['a thrown string', 'boom'],
  ])('should never retry %s', async (_label, thrown) => {
    const { fn, attempts } = failing(thrown);
    const { sleep, delaysMs } = recordingSleep();
    await expect(withRetry(fn, { sleep })).rejects.toBe(thrown);
    expect(attempts).toEqual([1]);
    expect(delaysMs).toEqual([]);
  });

  it('should not start a retry whose wait would end past the deadline, and rethrow the error instead', async () => {
    let nowMs = 0;
    const sleep = async (ms: number) => void (nowMs += ms);
    const last = err('rate_limited', 2_000);
    const { fn, attempts } = failing(err('rate_limited', 2_000), err('rate_limited', 2_000), last);
    // A 5 s window: the waits of 2 s and 2 s fit, the third would end at 6 s.
    await expect(withRetry(fn, { sleep, deadlineMs: 5_000, now: () => nowMs })).rejects.toBe(last);
    expect(attempts).toEqual([1, 2, 3]);
    expect(nowMs).toBe(4_000);
  });

  it('should report each retry with its error and delay before waiting', async () => {
    const first = err('rate_limited', 1_000);
    const second = err('upstream');
    const { fn } = failing(first, second);
    const seen: [Error, number][] = [];
    await withRetry(fn, { sleep: async () => {}, random: () => 0.5, onRetry: (e, delayMs) => seen.push([e, delayMs]) });
    expect(seen).toEqual([
      [first, 1_000],
      [second, 500],
    ]);
  });

  it('should wait with real timers when no sleep is injected', async () => {
    vi.useFakeTimers();
    const { fn, attempts } = failing(err('upstream'), err('upstream'));
    const result = withRetry(fn, { random: () => 0.5 });
    await vi.advanceTimersByTimeAsync(249);
    expect(attempts).toEqual([1]);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempts).toEqual([1, 2]);
    await vi.advanceTimersByTimeAsync(500);
    await expect(result).resolves.toBe('ok');
    expect(attempts).toEqual([1, 2, 3]);
  });
});

describe('backoffDelayMs', () => {
  it('should double the ceiling per retry up to maxDelayMs', () => {
    const top = () => 0.999_999;
    expect([1, 2, 3, 4, 5, 6].map((retry) => backoffDelayMs(retry, DEFAULT_RETRY, top))).toEqual([
      499, 999, 1_999, 3_999, 7_999, 7_999,
    ]);
    expect(backoffDelayMs(3, DEFAULT_RETRY, () => 0)).toBe(0);
  });
});

describe('parseRetryAfterMs', () => {
  const referenceMs = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
  it.each([
    ['120', 120_000],
    ['0', 0],
    ['1.5', 1_500],
    ['Wed, 21 Oct 2015 07:28:30 GMT', 30_000],
    ['Wed, 21 Oct 2015 07:27:00 GMT', 0],
    ['soon', undefined],
    ['', undefined],
    [null, undefined],
    [undefined, undefined],
  ])('should read %j as %j ms', (header, expected) => {
    expect(parseRetryAfterMs(header, referenceMs)).toBe(expected);
  });
});
