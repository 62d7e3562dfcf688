/**
 * @module Run a function while holding a Store lock (SET NX PX with a token), renewing it every ttl/3
 * while the function runs and releasing it afterwards, owner-only. On Redis this makes one instance out
 * of several run the function; on the memory store it guards one process.
 */
import type { Store } from '../store/store.ts';

export type LockOptions = {
  /** Lock lifetime if the holder dies without releasing it; renewed every third of it while running. */
  ttlMs: number;
  /** Renewal problems, in words: the lock was lost (another holder may start) or a renew call failed. */
  onWarning?: (message: string) => void;
};

/** `acquired: false` means someone else holds the lock and `fn` did not run. */
export type LockedResult<T> = { acquired: false } | { acquired: true; value: T };

/**
 * Take `key`, run `fn` and release. `fn` gets an AbortSignal that fires if the lock is lost (a renew
 * found another token or none: the TTL passed, e.g. while Redis was unreachable). Errors of `fn` are
 * rethrown after the release; store errors on acquire are thrown as they are.
 */
export async function runWithLock<T>(
  store: Store,
  key: string,
  fn: (signal: AbortSignal) => Promise<T>,
  opts: LockOptions,
): Promise<LockedResult<T>> {
  const token = await store.acquireLock(key, opts.ttlMs);
  if (token === null) return { acquired: false };
  const controller = new AbortController();
  const warn = opts.onWarning ?? (() => undefined);
  let renewing = false;
  const timer = setInterval(() => {
    // A slow store must not stack renewals; the next interval tries again.
    if (renewing || controller.signal.aborted) return;
    renewing = true;
    store
      .renewLock(key, token, opts.ttlMs)
      .then((renewed) => {
        if (renewed || controller.signal.aborted) return;
        const message = `lost lock ${key}: it expired or another holder took it; another instance may run now`;
        controller.abort(new Error(message));
        warn(message);
      })
      .catch((err: unknown) => warn(`could not renew lock ${key}: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        renewing = false;
      });
  }, Math.max(1, Math.floor(opts.ttlMs / 3)));
  try {
    return { acquired: true, value: await fn(controller.signal) };
  } finally {
    clearInterval(timer);
    await store.releaseLock(key, token).catch((err: unknown) => {
      // Not fatal: the lock expires on its own after ttlMs.
      warn(`could not release lock ${key}: ${err instanceof Error ? err.message : String(err)}`);
    });
  }
}
