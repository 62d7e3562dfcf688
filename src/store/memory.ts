/**
 * @module In-process Store: the store unit tests and the demo sandbox use; state lives as long as the
 * process (the bot keeps its state in SQLite, sqlite.ts, or Redis). It mirrors Redis semantics where
 * callers could notice the difference (SET clears an old TTL, SET NX sees keys of any type, a string read
 * of a list is a WRONGTYPE error) so code tested here behaves the same on Redis and SQLite.
 */
import { randomUUID } from 'node:crypto';
import type { Store, StoreExpectation, StoreWrite } from './store.ts';

/** Any key may carry an expiry (epoch ms), like Redis' PEXPIRE on any type. */
type Entry = { expiresAtMs?: number | undefined } & (
  | { type: 'string'; value: string }
  | { type: 'list'; items: string[] }
  | { type: 'set'; members: Set<string> }
);

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

/** How often writes sweep out expired keys. */
const SWEEP_EVERY_WRITES = 1000;

function wrongType(key: string, wanted: Entry['type']): Error {
  return new Error(`WRONGTYPE key "${key}" holds a value that is not a ${wanted}`);
}

/** In-process Store with lazy expiry on an injectable clock. */
export class MemoryStore implements Store {
  readonly kind = 'memory' as const;
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;
  #writes = 0;

  constructor(opts: MemoryStoreOptions = {}) {
    this.#now = opts.now ?? Date.now;
  }

  /** After a write: now and then, sweep out expired keys. */
  #changed(): void {
    if (++this.#writes % SWEEP_EVERY_WRITES === 0) this.#sweep();
  }

  /** The live entry for `key`, dropping it first if it has expired (lazy expiry, like Redis on access). */
  #entry(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry?.expiresAtMs !== undefined && entry.expiresAtMs <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /**
   * Drop every expired key (Redis samples and deletes expired keys in the background too): lazy expiry alone
   * would keep keys nobody reads again, such as old claims, for the life of the process.
   */
  #sweep(): void {
    const nowMs = this.#now();
    for (const [key, e] of this.#entries) if (e.expiresAtMs !== undefined && e.expiresAtMs <= nowMs) this.#entries.delete(key);
  }

  /** Live keys (expired ones swept first), for tests and operators. */
  async keyCount(): Promise<number> {
    this.#sweep();
    return this.#entries.size;
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
    this.#changed();
  }

  async setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean> {
    const expiresAtMs = this.#expiresAt(ttlMs);
    if (this.#entry(key)) return false;
    this.#entries.set(key, { type: 'string', value, expiresAtMs });
    this.#changed();
    return true;
  }

  async del(key: string): Promise<void> {
    if (this.#entries.delete(key)) this.#changed();
  }

  async listPush(key: string, value: string): Promise<number> {
    const length = this.#listPush(key, value);
    this.#changed();
    return length;
  }

  #listPush(key: string, value: string): number {
    const entry = this.#entry(key);
    if (!entry) {
      this.#entries.set(key, { type: 'list', items: [value] });
      return 1;
    }
    if (entry.type !== 'list') throw wrongType(key, 'list');
    return entry.items.push(value);
  }

  async listTrimFront(key: string, count: number): Promise<void> {
    if (this.#listTrimFront(key, count)) this.#changed();
  }

  #listTrimFront(key: string, count: number): boolean {
    const entry = this.#entry(key);
    if (!entry || count <= 0) return false;
    if (entry.type !== 'list') throw wrongType(key, 'list');
    entry.items.splice(0, count);
    // Redis deletes a list when its last item goes.
    if (entry.items.length === 0) this.#entries.delete(key);
    return true;
  }

  async expire(key: string, ttlMs: number): Promise<boolean> {
    const expiresAtMs = this.#expiresAt(ttlMs);
    const entry = this.#entry(key);
    if (!entry) return false;
    entry.expiresAtMs = expiresAtMs;
    this.#changed();
    return true;
  }

  async listRange(key: string): Promise<string[]> {
    const entry = this.#entry(key);
    if (!entry) return [];
    if (entry.type !== 'list') throw wrongType(key, 'list');
    return [...entry.items];
  }

  async setAdd(key: string, member: string): Promise<void> {
    this.#setAdd(key, member);
    this.#changed();
  }

  #setAdd(key: string, member: string): void {
    const entry = this.#entry(key);
    if (!entry) this.#entries.set(key, { type: 'set', members: new Set([member]) });
    else if (entry.type !== 'set') throw wrongType(key, 'set');
    else entry.members.add(member);
  }

  async setRemove(key: string, member: string): Promise<void> {
    if (this.#setRemove(key, member)) this.#changed();
  }

  #setRemove(key: string, member: string): boolean {
    const entry = this.#entry(key);
    if (!entry) return false;
    if (entry.type !== 'set') throw wrongType(key, 'set');
    const removed = entry.members.delete(member);
    // Redis deletes a set when its last member goes; keep SET NX / exists semantics identical.
    if (entry.members.size === 0) this.#entries.delete(key);
    return removed;
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
    this.#changed();
    return true;
  }

  async releaseLock(key: string, token: string): Promise<boolean> {
    const entry = this.#entry(key);
    if (entry?.type !== 'string' || entry.value !== token) return false;
    this.#entries.delete(key);
    this.#changed();
    return true;
  }

  async compareAndWrite(expected: readonly StoreExpectation[], writes: readonly StoreWrite[]): Promise<boolean> {
    // No await from here to the end: the check and the writes are one step for every other caller.
    for (const e of expected) if ((this.#string(e.key)?.value ?? null) !== e.value) return false;
    for (const w of writes) {
      if (w.op === 'set' && w.ttlMs !== undefined) checkTtlMs(w.ttlMs);
      const type = this.#entry(w.key)?.type;
      const wanted = w.op === 'listPush' || w.op === 'listTrimFront' ? 'list' : w.op === 'setAdd' || w.op === 'setRemove' ? 'set' : undefined;
      if (wanted && type && type !== wanted) throw wrongType(w.key, wanted);
    }
    for (const w of writes) {
      if (w.op === 'set') this.#entries.set(w.key, { type: 'string', value: w.value, expiresAtMs: this.#expiresAt(w.ttlMs) });
      else if (w.op === 'del') this.#entries.delete(w.key);
      else if (w.op === 'listPush') this.#listPush(w.key, w.value);
      else if (w.op === 'listTrimFront') this.#listTrimFront(w.key, w.count);
      else if (w.op === 'setAdd') this.#setAdd(w.key, w.member);
      else this.#setRemove(w.key, w.member);
    }
    this.#changed();
    return true;
  }

  /** Forget the in-process state. */
  async close(): Promise<void> {
    this.#entries.clear();
  }
}
