/**
 * SQLite state files for tests: each in its own temp folder, every store opened on it closed and the
 * folder removed by `cleanup()`. `owner()` opens the file as the bot does, `guest()` as the CLI does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore, type SqliteStoreOptions } from '../../src/store/sqlite.ts';

export type TempStateDb = {
  dir: string;
  path: string;
  owner(opts?: Partial<SqliteStoreOptions>): SqliteStore;
  guest(opts?: Partial<SqliteStoreOptions>): SqliteStore;
  cleanup(): Promise<void>;
};

export function tempStateDb(): TempStateDb {
  const dir = mkdtempSync(join(tmpdir(), 'hx-sqlite-'));
  const path = join(dir, 'state.db');
  const opened: SqliteStore[] = [];
  const open = (mode: 'owner' | 'guest', opts: Partial<SqliteStoreOptions> = {}) => {
    const store = new SqliteStore({ path, mode, ...opts });
    opened.push(store);
    return store;
  };
  return {
    dir,
    path,
    owner: (opts) => open('owner', opts),
    guest: (opts) => open('guest', opts),
    async cleanup() {
      await Promise.all(opened.splice(0).map((s) => s.close()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
