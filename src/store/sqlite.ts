/**
 * @module Store on one SQLite file (Node's built-in node:sqlite): the default without REDIS_URL. Every
 * operation is one transaction (BEGIN IMMEDIATE for writes), so a kill -9 leaves each operation whole or
 * absent, and the CLI can read and write beside the running bot. Semantics follow Redis where callers could
 * notice (see memory.ts): WRONGTYPE errors, SET clears a TTL, an emptied list or set is deleted, and
 * compareAndWrite type-checks every write before the first. TTLs are epoch ms, checked on access and swept
 * every SWEEP_EVERY_WRITES writes. The file, its layout and the one-owner rule: sqlite-db.ts, sqlite-owner.ts.
 */
import { randomUUID } from 'node:crypto';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { migrateLegacyState } from './legacy-state.ts';
import { checkTtlMs } from './memory.ts';
import { openStateDb, prepareStatements } from './sqlite-db.ts';
import { OwnerLease, type OwnerLeaseOptions } from './sqlite-owner.ts';
import type { Store, StoreExpectation, StoreWrite } from './store.ts';

export type SqliteStoreOptions = {
  path: string;
  /**
   * `owner` (the bot): takes the file, refusing to start when another live process owns it. `guest` (the
   * CLI): reads and writes through transactions without taking it, beside a running bot.
   */
  mode: 'owner' | 'guest';
  /** A JSON state file of an earlier release to move into the database once (see legacy-state.ts). */
  migrateFrom?: string;
  /** Clock for TTLs, in epoch ms; inject one to test expiry without waiting. Default Date.now. */
  now?: () => number;
  /** Default 5000 ms: how long a write waits for another process' write before failing. */
  busyTimeoutMs?: number;
  lease?: OwnerLeaseOptions;
  /** One-off notes (the migration). */
  log?: (line: string) => void;
};

type Type = 'string' | 'list' | 'set';

/** How often writes sweep out expired keys (memory.ts does the same). */
const SWEEP_EVERY_WRITES = 1000;

const wrongType = (key: string, wanted: Type) => new Error(`WRONGTYPE key "${key}" holds a value that is not a ${wanted}`);
const WRITE_TYPE: Partial<Record<StoreWrite['op'], Type>> = { listPush: 'list', listTrimFront: 'list', setAdd: 'set', setRemove: 'set' };

/** Store on a SQLite file. Opening is synchronous; `createStore` is the usual way in. */
export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  readonly path: string;
  readonly #db: DatabaseSync;
  readonly #now: () => number;
  readonly #owner: OwnerLease | undefined;
  readonly #q: ReturnType<typeof prepareStatements>;
  #writes = 0;

  constructor(opts: SqliteStoreOptions) {
    this.path = opts.path;
    this.#now = opts.now ?? Date.now;
    this.#db = openStateDb(opts.path, { busyTimeoutMs: opts.busyTimeoutMs ?? 5000 });
    const owner = opts.mode === 'owner' ? new OwnerLease(this.#db, opts.path, opts.lease) : undefined;
    this.#owner = owner;
    try {
      owner?.take();
      if (opts.migrateFrom) {
        migrateLegacyState({ db: this.#db, dbPath: opts.path, source: opts.migrateFrom, nowMs: this.#now(), check: owner && (() => owner.check()), log: opts.log });
      }
      this.#q = prepareStatements(this.#db);
      // The owner sweeps; a guest (one CLI command) opening the file should not have to write to it.
      if (owner) this.#sweep();
    } catch (err) {
      owner?.release();
      this.#db.close();
      throw err;
    }
  }

  /** Delete every expired key (lazy expiry alone would keep keys nobody reads again, such as old claims). */
  #sweep(): void {
    this.#write((nowMs) => this.#q.sweep.run(nowMs));
  }

  /** One write transaction: the owner check, `fn`, commit; rolled back whole if anything throws. */
  #write<T>(fn: (nowMs: number) => T): T {
    this.#q.begin.run();
    let result: T;
    try {
      this.#owner?.check();
      result = fn(this.#now());
      this.#q.commit.run();
    } catch (err) {
      if (this.#db.isTransaction) this.#q.rollback.run();
      throw err;
    }
    if (++this.#writes % SWEEP_EVERY_WRITES === 0) this.#trySweep();
    return result;
  }

  /** A periodic sweep that fails (busy, or this process lost the file) waits for the next one: the write it followed is done. */
  #trySweep(): void {
    try {
      if (this.#db.isOpen) this.#sweep();
    } catch {
      // next time
    }
  }

  /** The live type of `key` inside a write, dropping the key first if it has expired (lazy expiry). */
  #typeOf(key: string, nowMs: number): Type | undefined {
    this.#q.purge.run(key, nowMs);
    return (this.#q.type.get(key) as { type: Type } | undefined)?.type;
  }

  #expect(key: string, nowMs: number, wanted: Type): boolean {
    const type = this.#typeOf(key, nowMs);
    if (type && type !== wanted) throw wrongType(key, wanted);
    return type !== undefined;
  }

  /** Rows of a one-statement read (one consistent snapshot); [] when absent, WRONGTYPE when another type. */
  #read(statement: StatementSync, key: string, wanted: Type): { type: Type; value: string | null }[] {
    const rows = statement.all(key, this.#now()) as { type: Type; value: string | null }[];
    if (rows[0] && rows[0].type !== wanted) throw wrongType(key, wanted);
    return rows;
  }

  async get(key: string): Promise<string | null> {
    return this.#read(this.#q.get!, key, 'string')[0]?.value ?? null;
  }

  #set(key: string, value: string, expiresAtMs: number | null): void {
    // Like Redis SET: replaces a value of any type (its items go with it) and clears any previous TTL.
    this.#q.dropOther.run(key);
    this.#q.setString.run(key, value, expiresAtMs);
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    const ttl = ttlMs === undefined ? undefined : checkTtlMs(ttlMs);
    this.#write((nowMs) => this.#set(key, value, ttl === undefined ? null : nowMs + ttl));
  }

  async setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean> {
    const ttl = ttlMs === undefined ? undefined : checkTtlMs(ttlMs);
    return this.#write((nowMs) => {
      this.#q.purge.run(key, nowMs);
      return Number(this.#q.insertAbsent.run(key, value, ttl === undefined ? null : nowMs + ttl).changes) === 1;
    });
  }

  async del(key: string): Promise<void> {
    this.#write(() => this.#q.del.run(key));
  }

  #listPush(key: string, value: string, nowMs: number): number {
    if (!this.#expect(key, nowMs, 'list')) this.#q.newKey.run(key, 'list');
    this.#q.push.run(key, key, value);
    return (this.#q.length.get(key) as { n: number }).n;
  }

  async listPush(key: string, value: string): Promise<number> {
    return this.#write((nowMs) => this.#listPush(key, value, nowMs));
  }

  async listRange(key: string): Promise<string[]> {
    return this.#read(this.#q.list!, key, 'list').flatMap((r) => (r.value === null ? [] : [r.value]));
  }

  #listTrimFront(key: string, count: number, nowMs: number): void {
    if (count <= 0 || !this.#expect(key, nowMs, 'list')) return;
    this.#q.trim.run(key, key, Math.floor(count));
    // Redis deletes a list when its last item goes.
    if (this.#q.anyItem.get(key) === undefined) this.#q.del.run(key);
  }

  async listTrimFront(key: string, count: number): Promise<void> {
    this.#write((nowMs) => this.#listTrimFront(key, count, nowMs));
  }

  async expire(key: string, ttlMs: number): Promise<boolean> {
    const ttl = checkTtlMs(ttlMs);
    return this.#write((nowMs) => this.#typeOf(key, nowMs) !== undefined && Number(this.#q.expire.run(nowMs + ttl, key).changes) === 1);
  }

  #setAdd(key: string, member: string, nowMs: number): void {
    if (!this.#expect(key, nowMs, 'set')) this.#q.newKey.run(key, 'set');
    this.#q.add.run(key, member);
  }

  async setAdd(key: string, member: string): Promise<void> {
    this.#write((nowMs) => this.#setAdd(key, member, nowMs));
  }

  #setRemove(key: string, member: string, nowMs: number): void {
    if (!this.#expect(key, nowMs, 'set')) return;
    this.#q.remove.run(key, member);
    // Redis deletes a set when its last member goes, so SET NX can take the key again.
    if (this.#q.anyMember.get(key) === undefined) this.#q.del.run(key);
  }

  async setRemove(key: string, member: string): Promise<void> {
    this.#write((nowMs) => this.#setRemove(key, member, nowMs));
  }

  async setMembers(key: string): Promise<string[]> {
    return this.#read(this.#q.members!, key, 'set').flatMap((r) => (r.value === null ? [] : [r.value]));
  }

  async acquireLock(key: string, ttlMs: number): Promise<string | null> {
    const token = randomUUID();
    return (await this.setIfAbsent(key, token, ttlMs)) ? token : null;
  }

  async renewLock(key: string, token: string, ttlMs: number): Promise<boolean> {
    const ttl = checkTtlMs(ttlMs);
    return this.#write((nowMs) => {
      this.#q.purge.run(key, nowMs);
      return Number(this.#q.renew.run(nowMs + ttl, key, token).changes) === 1;
    });
  }

  async releaseLock(key: string, token: string): Promise<boolean> {
    return this.#write((nowMs) => {
      this.#q.purge.run(key, nowMs);
      return Number(this.#q.release.run(key, token).changes) === 1;
    });
  }

  async compareAndWrite(expected: readonly StoreExpectation[], writes: readonly StoreWrite[]): Promise<boolean> {
    for (const w of writes) if (w.op === 'set' && w.ttlMs !== undefined) checkTtlMs(w.ttlMs);
    return this.#write((nowMs) => {
      for (const e of expected) {
        this.#expect(e.key, nowMs, 'string');
        const value = (this.#q.get.get(e.key, nowMs) as { value: string } | undefined)?.value ?? null;
        if (value !== e.value) return false;
      }
      // Every type checked before the first write, against the state before any of them (as the Redis script).
      for (const w of writes) {
        const wanted = WRITE_TYPE[w.op];
        if (wanted) this.#expect(w.key, nowMs, wanted);
      }
      for (const w of writes) {
        if (w.op === 'set') this.#set(w.key, w.value, w.ttlMs === undefined ? null : nowMs + checkTtlMs(w.ttlMs));
        else if (w.op === 'del') this.#q.del.run(w.key);
        else if (w.op === 'listPush') this.#listPush(w.key, w.value, nowMs);
        else if (w.op === 'listTrimFront') this.#listTrimFront(w.key, w.count, nowMs);
        else if (w.op === 'setAdd') this.#setAdd(w.key, w.member, nowMs);
        else this.#setRemove(w.key, w.member, nowMs);
      }
      return true;
    });
  }

  /** Live keys, for tests and operators. */
  async keyCount(): Promise<number> {
    return (this.#q.count.get(this.#now()) as { n: number }).n;
  }

  /** Give up ownership (the next process takes the file at once) and close the file. */
  async close(): Promise<void> {
    if (!this.#db.isOpen) return;
    this.#owner?.release();
    this.#db.close();
  }
}
