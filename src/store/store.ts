/**
 * Shared state behind one small interface. `redis.ts` (ioredis, when REDIS_URL is set), `sqlite.ts` (one
 * file, the default otherwise) and `memory.ts` (in-process: tests and the demo) implement it; the cache,
 * outbox, ledger and scheduler lock all sit on it.
 * Values are strings; callers serialise (JSON) themselves. TTLs are in milliseconds.
 */
/**
 * One write inside `compareAndWrite`. Every write is type-checked before any is applied, so a WRONGTYPE
 * key fails the whole call with nothing changed (Redis does not roll back a script half-way).
 */
export type StoreWrite =
  | { op: 'set'; key: string; value: string; ttlMs?: number }
  | { op: 'del'; key: string }
  | { op: 'listPush'; key: string; value: string }
  /** Drop the first `count` items of a list (LTRIM key count -1): safe beside concurrent appends. */
  | { op: 'listTrimFront'; key: string; count: number }
  | { op: 'setAdd'; key: string; member: string }
  | { op: 'setRemove'; key: string; member: string };

/** A string key and the value it must still hold (null: absent) for `compareAndWrite` to go ahead. */
export type StoreExpectation = { key: string; value: string | null };

/**
 * The store could not be reached (Redis down, connection lost, no answer in time): nothing was read or
 * written. The message says so in words, naming host:port, never a password or a library's internals.
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}

export interface Store {
  readonly kind: 'redis' | 'sqlite' | 'memory';
  /**
   * When the store stopped answering, if it is unreachable now; null while it answers. Only stores that can
   * be unreachable (Redis) implement it.
   */
  unreachableSince?(): Date | null;
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
  /** Drop the first `count` items (the oldest); the list is deleted when nothing is left. */
  listTrimFront(key: string, count: number): Promise<void>;
  /** Let a key of any type expire after `ttlMs` (PEXPIRE); false when the key does not exist. */
  expire(key: string, ttlMs: number): Promise<boolean>;
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
  /**
   * The one multi-key atomic step (Redis: a Lua script; SQLite: one transaction; memory: synchronous): if every
   * `expected` key still holds its value, apply all `writes` in order and return true; otherwise change
   * nothing and return false. Callers read, compute, then retry on false (see `transact` in transact.ts),
   * so a crash or a competing instance can never leave half an operation behind.
   */
  compareAndWrite(expected: readonly StoreExpectation[], writes: readonly StoreWrite[]): Promise<boolean>;
  close(): Promise<void>;
}
