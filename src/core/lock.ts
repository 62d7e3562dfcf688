/**
 * @module The one lock with renewal: a lease on a Store key (SET NX PX with an owner token), renewed every
 * third of its TTL while held and released owner-only. On Redis it makes one instance of several the
 * holder (a job run, the Telegram poller); on the memory store it guards one process.
 *
 * A lease is lost, and its `signal` aborts, when a renewal finds the key gone or someone else's, or when
 * renewals have failed for a whole TTL (the store is unreachable from here, so the key may have expired
 * and been taken): from then on the holder must stop what the lease guarded.
 *
 * A release that fails (the store is down) is tried again every third of the TTL until it succeeds or the
 * key must have expired anyway, so after an outage the key goes as soon as the store answers again.
 */

/** What a lease needs from a store; the Store interface (store/store.ts) provides it. */
export type LockStore = {
  /** Take `key` if nobody holds it; a token to renew/release with, or null. */
  acquireLock(key: string, ttlMs: number): Promise<string | null>;
  renewLock(key: string, token: string, ttlMs: number): Promise<boolean>;
  releaseLock(key: string, token: string): Promise<boolean>;
};

/** Runs `fn` after `delayMs` and returns a cancel function. Tests inject one driven by fake time. */
export type Timer = (fn: () => Promise<void>, delayMs: number) => () => void;

/** setTimeout, unref'd: a pending renewal or release retry never keeps a stopping process alive. */
export const realTimer: Timer = (fn, delayMs) => {
  const handle = setTimeout(() => void fn(), delayMs);
  handle.unref();
  return () => clearTimeout(handle);
};

export type LeaseOptions = {
  /** How long the key outlives a holder that dies without releasing it; renewed every third of it. */
  ttlMs: number;
  timer?: Timer;
  /** Epoch milliseconds, to tell how long renewals have failed. Default Date.now. */
  clock?: () => number;
  /** A renewal failed but the lease still holds (the key cannot have expired yet). */
  onWarning?: (message: string) => void;
  /** Called once when the lease is lost (after `signal` aborts), awaited by the renewal that found it. */
  onLost?: (reason: Error) => Promise<void> | void;
};

export type Lease = {
  readonly key: string;
  /** Aborts when the lease is lost; never on release. */
  readonly signal: AbortSignal;
  /**
   * Stop renewing and give the key back (owner-only). If the store cannot be reached, the release is retried
   * in the background every third of the TTL until it succeeds or the key has expired by itself.
   */
  release(): Promise<void>;
};

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Take `key` as a lease; null when someone else holds it. Store errors on acquire are thrown. */
export async function acquireLease(store: LockStore, key: string, opts: LeaseOptions): Promise<Lease | null> {
  const { ttlMs, timer = realTimer, clock = Date.now } = opts;
  const askedAt = clock();
  const token = await store.acquireLock(key, ttlMs);
  if (token === null) return null;
  const controller = new AbortController();
  // When the store last confirmed the key was ours: the key lives at least until confirmedAt + ttlMs.
  let confirmedAt = askedAt;
  let released = false;
  let cancel: (() => void) | undefined;

  const lose = async (message: string) => {
    const reason = new Error(message);
    controller.abort(reason);
    await opts.onLost?.(reason);
  };

  const renew = async () => {
    if (released || controller.signal.aborted) return;
    const sentAt = clock();
    try {
      if (await store.renewLock(key, token, ttlMs)) confirmedAt = sentAt;
      else return await lose(`lost ${key} (expired or taken)`);
    } catch (err) {
      if (clock() - confirmedAt >= ttlMs) return await lose(`${key} not renewed for ${ttlMs} ms (${messageOf(err)})`);
      opts.onWarning?.(`could not renew ${key}: ${messageOf(err)}`);
    }
    if (!released) cancel = timer(renew, Math.max(1, Math.floor(ttlMs / 3)));
  };
  cancel = timer(renew, Math.max(1, Math.floor(ttlMs / 3)));

  return {
    key,
    signal: controller.signal,
    async release() {
      if (released) return;
      released = true;
      cancel?.();
      const retryEveryMs = Math.max(1, Math.floor(ttlMs / 3));
      const giveBack = async (first: boolean): Promise<void> => {
        try {
          await store.releaseLock(key, token);
        } catch (err) {
          // Past confirmedAt + ttlMs the key has expired (and may be someone else's; releaseLock is owner-only).
          const expiresInMs = confirmedAt + ttlMs - clock();
          if (first) {
            const within = Math.max(0, expiresInMs);
            opts.onWarning?.(`could not release ${key} (${messageOf(err)}); retrying, it expires by itself within ${within} ms`);
          }
          if (expiresInMs > retryEveryMs) timer(() => giveBack(false), retryEveryMs);
        }
      };
      await giveBack(true);
    },
  };
}

/** `acquired: false` means someone else holds the lock and `fn` did not run. */
export type LockedResult<T> = { acquired: false } | { acquired: true; value: T };

/**
 * Take `key`, run `fn` and release. `fn` gets the lease's AbortSignal, which fires if the lock is lost
 * (another holder may start). Errors of `fn` are rethrown after the release.
 */
export async function runWithLock<T>(
  store: LockStore,
  key: string,
  fn: (signal: AbortSignal) => Promise<T>,
  opts: LeaseOptions,
): Promise<LockedResult<T>> {
  const lease = await acquireLease(store, key, opts);
  if (!lease) return { acquired: false };
  try {
    return { acquired: true, value: await fn(lease.signal) };
  } finally {
    await lease.release();
  }
}
