/**
 * @module A Store opened on its first write: for the CLI as a guest when no state file exists yet, so
 * `hundredx regime` or `hundredx status` run in a fresh folder read an empty state without leaving a
 * data/state/ behind, while `hundredx watch add NFLX` still creates the file and writes to it.
 */
import type { Store } from './store.ts';

/** Until something writes, reads answer as an empty store does; the first other call opens the real one. */
export function openOnFirstWrite(kind: Store['kind'], open: () => Promise<Store>): Store {
  let opening: Promise<Store> | undefined;
  // One open however many writes arrive together; reads after it wait for it too.
  const real = () => (opening ??= open());
  return {
    kind,
    get: async (key) => (opening ? (await opening).get(key) : null),
    listRange: async (key) => (opening ? (await opening).listRange(key) : []),
    setMembers: async (key) => (opening ? (await opening).setMembers(key) : []),
    set: async (key, value, ttlMs) => (await real()).set(key, value, ttlMs),
    setIfAbsent: async (key, value, ttlMs) => (await real()).setIfAbsent(key, value, ttlMs),
    del: async (key) => (await real()).del(key),
    listPush: async (key, value) => (await real()).listPush(key, value),
    listTrimFront: async (key, count) => (await real()).listTrimFront(key, count),
    expire: async (key, ttlMs) => (await real()).expire(key, ttlMs),
    setAdd: async (key, member) => (await real()).setAdd(key, member),
    setRemove: async (key, member) => (await real()).setRemove(key, member),
    acquireLock: async (key, ttlMs) => (await real()).acquireLock(key, ttlMs),
    renewLock: async (key, token, ttlMs) => (await real()).renewLock(key, token, ttlMs),
    releaseLock: async (key, token) => (await real()).releaseLock(key, token),
    compareAndWrite: async (expected, writes) => (await real()).compareAndWrite(expected, writes),
    close: async () => (opening ? (await opening).close() : undefined),
  };
}
