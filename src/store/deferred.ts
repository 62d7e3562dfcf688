/**
 * @module A Store opened on its first write: for the CLI as a guest when no state file exists yet, so
 * `hundredx regime` or `hundredx status` run in a fresh folder read an empty state without leaving a
 * data/state/ behind, while `hundredx watch add NFLX` still creates the file and writes to it.
 */
import type { Store } from './store.ts';

/** Until something writes, reads answer as an empty store does; the first other call opens the real one. */
export function openOnFirstWrite(kind: Store['kind'], open: () => Store): Store {
  let store: Store | undefined;
  const real = () => (store ??= open());
  return {
    kind,
    get: async (key) => (store ? store.get(key) : null),
    listRange: async (key) => (store ? store.listRange(key) : []),
    setMembers: async (key) => (store ? store.setMembers(key) : []),
    set: async (key, value, ttlMs) => real().set(key, value, ttlMs),
    setIfAbsent: async (key, value, ttlMs) => real().setIfAbsent(key, value, ttlMs),
    del: async (key) => real().del(key),
    listPush: async (key, value) => real().listPush(key, value),
    listTrimFront: async (key, count) => real().listTrimFront(key, count),
    expire: async (key, ttlMs) => real().expire(key, ttlMs),
    setAdd: async (key, member) => real().setAdd(key, member),
    setRemove: async (key, member) => real().setRemove(key, member),
    acquireLock: async (key, ttlMs) => real().acquireLock(key, ttlMs),
    renewLock: async (key, token, ttlMs) => real().renewLock(key, token, ttlMs),
    releaseLock: async (key, token) => real().releaseLock(key, token),
    compareAndWrite: async (expected, writes) => real().compareAndWrite(expected, writes),
    close: async () => store?.close(),
  };
}
