/**
 * Shared state behind one small interface. `redis.ts` (ioredis, when REDIS_URL is set) and `memory.ts`
 * (in-process) implement it; the cache, outbox, ledger and scheduler lock all sit on it.
 * Values are strings; callers serialise (JSON) themselves. TTLs are in milliseconds.
 */
export interface Store {
  readonly kind: 'redis' | 'memory';
  get(key: string): Promise<string | null>;
  /** Set a value; with `ttlMs`, it expires after that many milliseconds. */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Set only if absent (SET NX). Returns true when this call set it. */
  setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean>;
  del(key: string): Promise<void>;
  /** Append to a list (RPUSH) and return the new length. */
  listPush(key: string, value: string): Promise<number>;
  /** The whole list, oldest first. */
  listRange(key: string): Promise<string[]>;
  setAdd(key: string, member: string): Promise<void>;
  setRemove(key: string, member: string): Promise<void>;
  setMembers(key: string): Promise<string[]>;
  /**
   * Take a lock: succeeds only if nobody holds `key`. Returns a token to renew/release with, or null.
   * Only the holder of the token can renew or release it.
   */
  acquireLock(key: string, ttlMs: number): Promise<string | null>;
  renewLock(key: string, token: string, ttlMs: number): Promise<boolean>;
  releaseLock(key: string, token: string): Promise<boolean>;
  close(): Promise<void>;
}
