/** @module Picks the Store for this process: Redis when configured, else in-process memory. */
import { MemoryStore } from './memory.ts';
import { RedisStore } from './redis.ts';
import type { Store } from './store.ts';

/**
 * A ready Store: a connected RedisStore when `redisUrl` is set (throws RedisConnectError, naming
 * host:port, when Redis does not answer within ~2 s), otherwise a MemoryStore. `keyPrefix` applies to
 * Redis only; the memory store is private to the process anyway.
 */
export async function createStore(opts: { redisUrl?: string; keyPrefix?: string }): Promise<Store> {
  if (!opts.redisUrl) return new MemoryStore();
  const store = new RedisStore(opts.redisUrl, { keyPrefix: opts.keyPrefix });
  await store.connect();
  return store;
}
