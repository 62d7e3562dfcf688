/**
 * @module In-process Store: the default without REDIS_URL, and the store every unit test uses.
 * It mirrors Redis semantics where callers could notice the difference (SET clears an old TTL, SET NX
 * sees keys of any type, a string read of a list is a WRONGTYPE error) so code tested here behaves the
 * same on Redis. State lives only as long as the process.
 */
import { randomUUID } from 'node:crypto';
import type { Store } from './store.ts';

type Entry =
  | { type: 'string'; value: string; expiresAtMs: number | undefined }
  | { type: 'list'; items: string[] }
  | { type: 'set'; members: Set<string> };

/** Options for MemoryStore. */
export type MemoryStoreOptions = {
  /** Clock in epoch milliseconds; inject one to test expiry without waiting. Defaults to Date.now. */
  now?: () => number;
};

/** Reject TTLs Redis would reject (PX needs a positive integer), so both stores fail the same way. */
export function checkTtlMs(ttlMs: number): number {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new RangeError(`ttlMs must be a positive number of milliseconds, got ${ttlMs}`);
  }
  return Math.ceil(ttlMs);
}

function wrongType(key: string, wanted: Entry['type']): Error {
  return new Error(`WRONGTYPE key "${key}" holds a value that is not a ${wanted}`);
}

/** In-process Store with lazy expiry on an injectable clock. */
export class MemoryStore implements Store {
  readonly kind = 'memory' as const;
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;

  constructor(opts: MemoryStoreOptions = {}) {
    this.#now = opts.now ?? Date.now;
  }

  /** The live entry for `key`, dropping it first if it has expired (lazy expiry, like Redis on access). */
  #entry(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry?.type === 'string' && entry.expiresAtMs !== undefined && entry.expiresAtMs <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #string(key: string): Extract<Entry, { type: 'string' }> | undefined {
    const entry = this.#entry(key);
    if (entry && entry.type !== 'string') throw wrongType(key, 'string');
    return entry;
  }

  #expiresAt(ttlMs: number | undefined): number | undefined {
    return ttlMs === undefined ? undefined : this.#now() + checkTtlMs(ttlMs);
  }

  async get(key: string): Promise<string | null> {
    return this.#string(key)?.value ?? null;
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    // Like Redis SET: replaces a value of any type and clears any previous TTL.
    this.#entries.set(key, { type: 'string', value, expiresAtMs: this.#expiresAt(ttlMs) });
  }

  async setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean> {
    const expiresAtMs = this.#expiresAt(ttlMs);
    if (this.#entry(key)) return false;
    this.#entries.set(key, { type: 'string', value, expiresAtMs });
    return true;
  }

  async del(key: string): Promise<void> {
    this.#entries.delete(key);
  }

  async listPush(key: string, value: string): Promise<number> {
    const entry = this.#entry(key);
    if (!entry) {
      this.#entries.set(key, { type: 'list', items: [value] });
      return 1;
    }
    if (entry.type !== 'list') throw wrongType(key, 'list');
    return entry.items.push(value);
  }

  async listRange(key: string): Promise<string[]> {
    const entry = this.#entry(key);
    if (!entry) return [];
    if (entry.type !== 'list') throw wrongType(key, 'list');
    return [...entry.items];
  }

  async setAdd(key: string, member: string): Promise<void> {
    const entry = this.#entry(key);
    if (!entry) this.#entries.set(key, { type: 'set', members: new Set([member]) });
    else if (entry.type !== 'set') throw wrongType(key, 'set');
    else entry.members.add(member);
  }

  async setRemove(key: string, member: string): Promise<void> {
    const entry = this.#entry(key);
    if (!entry) return;
    if (entry.type !== 'set') throw wrongType(key, 'set');
    entry.members.delete(member);
    // Redis deletes a set when its last member goes; keep SET NX / exists semantics identical.
    if (entry.members.size === 0) this.#entries.delete(key);
  }

  async setMembers(key: string): Promise<string[]> {
    const entry = this.#entry(key);
    if (!entry) return [];
    if (entry.type !== 'set') throw wrongType(key, 'set');
    return [...entry.members];
  }

  async acquireLock(key: string, ttlMs: number): Promise<string | null> {
    const token = randomUUID();
    return (await this.setIfAbsent(key, token, ttlMs)) ? token : null;
  }

  async renewLock(key: string, token: string, ttlMs: number): Promise<boolean> {
    const expiresAtMs = this.#expiresAt(ttlMs);
    const entry = this.#entry(key);
    if (entry?.type !== 'string' || entry.value !== token) return false;
    entry.expiresAtMs = expiresAtMs;
    return true;
  }

  async releaseLock(key: string, token: string): Promise<boolean> {
    const entry = this.#entry(key);
    if (entry?.type !== 'string' || entry.value !== token) return false;
    this.#entries.delete(key);
    return true;
  }

  async close(): Promise<void> {
    this.#entries.clear();
  }
}
