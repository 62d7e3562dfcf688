/**
 * @module Picks the Store for this process: Redis when configured, else in-process memory. ioredis is
 * imported only when REDIS_URL is set (it takes ~50 ms to load, which a CLI command on a state file need not pay).
 */
import { MemoryStore } from './memory.ts';
import type { Store } from './store.ts';

/** Keys the in-process store does not write to its state file: the market-data cache is rebuilt on demand. */
/**
 * What the state file keeps: everything but rebuildable bulk, i.e. the market-data cache and the last cycle's
 * full report (it is rewritten every cycle; /status shows "none yet" after a restart until the next one).
 */
export const isPersistedKey = (key: string): boolean => !key.startsWith('hx:md:') && key !== 'hx:md' && key !== 'hx:cycle:last';

/**
 * A ready Store: a connected RedisStore when `redisUrl` is set (throws RedisConnectError, naming
 * host:port, when Redis does not answer within ~2 s), otherwise a MemoryStore. `keyPrefix` applies to
 * Redis only; the memory store is private to the process anyway. `statePath` (memory only) keeps the
 * memory store's state, except the market-data cache, in that file across restarts.
 */
export async function createStore(opts: { redisUrl?: string; keyPrefix?: string; statePath?: string; readOnlyState?: boolean }): Promise<Store> {
  if (!opts.redisUrl) {
    return new MemoryStore(
      opts.statePath ? { persistPath: opts.statePath, persistKey: isPersistedKey, readOnly: opts.readOnlyState } : {},
    );
  }
  const { RedisStore } = await import('./redis.ts');
  const store = new RedisStore(opts.redisUrl, { keyPrefix: opts.keyPrefix });
  await store.connect();
  return store;
}
