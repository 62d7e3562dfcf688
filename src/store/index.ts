/**
 * @module Picks the Store for this process: Redis when configured, else the SQLite state file. Each is
 * imported only when used (ioredis takes ~50 ms to load, which a CLI command on a state file need not pay; a
 * CLI command that only reads where no state file exists loads neither).
 */
import { existsSync } from 'node:fs';
import { openOnFirstWrite } from './deferred.ts';
import { MemoryStore } from './memory.ts';
import type { Store } from './store.ts';

export type CreateStoreOptions = {
  /** Redis (shared by every instance) when set. */
  redisUrl?: string;
  /** Prepended to every Redis key; the SQLite file and the memory store are private to their state anyway. */
  keyPrefix?: string;
  /** The SQLite state database (STATE_DB) used without `redisUrl`. Neither: an in-process MemoryStore. */
  stateDb?: string;
  /**
   * Open the state database without owning it (the CLI beside a running bot): reads and writes go through
   * transactions, and a bot may own the file meanwhile. Default: own it, refusing when a live bot does.
   */
  guest?: boolean;
  /** A JSON state file of an earlier release (STATE_FILE), moved into the database once if it exists. */
  legacyStateFile?: string;
  /** Notes worth a log line (the migration). */
  log?: (line: string) => void;
  /** The SQLite owner found another process took the file over: its writes fail from now on. */
  onOwnershipLost?: (error: Error) => void;
};

/**
 * A ready Store: a connected RedisStore when `redisUrl` is set (throws RedisConnectError, naming
 * host:port, when Redis does not answer within ~2 s), otherwise a SqliteStore on `stateDb` (throws
 * StateDbInUseError when another live process owns it; a guest opens it on its first write when the file
 * does not exist yet), otherwise a MemoryStore.
 */
export async function createStore(opts: CreateStoreOptions): Promise<Store> {
  if (opts.redisUrl) {
    const { RedisStore } = await import('./redis.ts');
    const store = new RedisStore(opts.redisUrl, { keyPrefix: opts.keyPrefix });
    await store.connect();
    return store;
  }
  const { stateDb, legacyStateFile } = opts;
  if (stateDb) {
    const open = async () => {
      const { SqliteStore } = await import('./sqlite.ts');
      return new SqliteStore({
        path: stateDb,
        mode: opts.guest ? 'guest' : 'owner',
        ...(legacyStateFile ? { migrateFrom: legacyStateFile } : {}),
        ...(opts.log ? { log: opts.log } : {}),
        ...(opts.onOwnershipLost ? { lease: { onLost: opts.onOwnershipLost } } : {}),
      });
    };
    // A guest with no state anywhere yet (the CLI in a fresh folder) creates the file only if it writes.
    const nothingYet = !existsSync(stateDb) && !(legacyStateFile && existsSync(legacyStateFile));
    return opts.guest && nothingYet ? openOnFirstWrite('sqlite', open) : open();
  }
  return new MemoryStore();
}
