/**
 * What the SQLite store adds to the Store contract (store.test.ts and compare-and-write.test.ts run that on
 * it): the state survives a restart, TTLs are kept across it, the file's layout is versioned, and a file
 * that is not a state database stops start-up with a message instead of being overwritten.
 */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/index.ts';
import { StateDbError, SCHEMA_VERSION } from '../../src/store/sqlite-db.ts';
import { SqliteStore } from '../../src/store/sqlite.ts';
import { tempStateDb, type TempStateDb } from '../support/sqlite.ts';

const rawRows = (path: string, sql: string) => {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
};

describe('SqliteStore on its file', () => {
  let db: TempStateDb;
  beforeEach(() => {
    db = tempStateDb();
  });
  afterEach(async () => db.cleanup());

  it('should give the next process every string, list and set written before', async () => {
    const first = db.owner();
    await first.set('s', 'v');
    await first.listPush('l', 'a');
    await first.listPush('l', 'b');
    await first.setAdd('set', 'm');
    await first.compareAndWrite([{ key: 's', value: 'v' }], [{ op: 'set', key: 'cas', value: 'yes' }]);
    await first.close();

    const second = db.owner();
    expect(await second.get('s')).toBe('v');
    expect(await second.get('cas')).toBe('yes');
    expect(await second.listRange('l')).toEqual(['a', 'b']);
    expect(await second.setMembers('set')).toEqual(['m']);
  });

  it('should keep TTLs across a restart, drop what expired meanwhile, and sweep expired rows out of the file', async () => {
    let nowMs = Date.UTC(2026, 2, 2);
    const first = db.owner({ now: () => nowMs });
    await first.set('short', 'v', 1000);
    await first.set('long', 'v', 60_000);
    await first.close();
    nowMs += 5000;
    const second = db.owner({ now: () => nowMs });
    expect(await second.get('short')).toBeNull();
    expect(await second.get('long')).toBe('v');
    expect(rawRows(db.path, 'SELECT key FROM kv')).toEqual([{ key: 'long' }]); // swept on open
    nowMs += 60_000;
    expect(await second.get('long')).toBeNull();
    expect(await second.keyCount()).toBe(0);
  });

  it('should sweep expired keys out of the file within a thousand writes, unread', async () => {
    let nowMs = Date.UTC(2026, 2, 2);
    const store = db.owner({ now: () => nowMs });
    await store.set('claim', 'v', 1000);
    nowMs += 2000;
    for (let i = 0; i < 10; i++) await store.set('counter', String(i));
    expect(rawRows(db.path, "SELECT key FROM kv WHERE key = 'claim'")).toHaveLength(1); // hidden, not yet deleted
    for (let i = 0; i < 1000; i++) await store.set('counter', String(i));
    expect(rawRows(db.path, "SELECT key FROM kv WHERE key = 'claim'")).toHaveLength(0);
  });

  it('should keep a list item order and a TTL when the items are written through compareAndWrite', async () => {
    const store = db.owner();
    await store.compareAndWrite([], [{ op: 'listPush', key: 'l', value: '1' }, { op: 'listPush', key: 'l', value: '2' }, { op: 'listTrimFront', key: 'l', count: 1 }]);
    await store.listPush('l', '3');
    expect(await store.listRange('l')).toEqual(['2', '3']);
  });

  it('should write a WAL-mode file, owner-only, at the current layout version', async () => {
    await db.owner().set('k', 'v');
    expect(rawRows(db.path, 'PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    expect(rawRows(db.path, 'PRAGMA user_version')).toEqual([{ user_version: SCHEMA_VERSION }]);
    expect(statSync(db.path).mode & 0o777).toBe(0o600);
  });

  it('should refuse a file written by a newer release, saying so', async () => {
    await db.owner().close();
    const raw = new DatabaseSync(db.path);
    raw.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => new SqliteStore({ path: db.path, mode: 'owner' })).toThrow(StateDbError);
    expect(() => new SqliteStore({ path: db.path, mode: 'owner' })).toThrow(`has layout version ${SCHEMA_VERSION + 1}, written by a newer hundredx`);
  });

  it('should refuse a file that is not a state database, naming it, and leave it as it was', () => {
    writeFileSync(db.path, 'these are my notes, not a database '.repeat(100));
    expect(() => new SqliteStore({ path: db.path, mode: 'owner' })).toThrow(new RegExp(`state database ${db.path} is not usable .*point STATE_DB elsewhere`));
    expect(statSync(db.path).size).toBe(3500);
  });

  it('should be what createStore opens with a state database and no Redis URL', async () => {
    const store = await createStore({ stateDb: db.path });
    try {
      expect(store.kind).toBe('sqlite');
      await store.set('k', 'v');
    } finally {
      await store.close();
    }
    expect(await db.guest().get('k')).toBe('v');
  });
});

describe('the CLI (a guest) where no state file exists yet', () => {
  let db: TempStateDb;
  beforeEach(() => {
    db = tempStateDb();
  });
  afterEach(async () => db.cleanup());

  it('should read an empty state without creating the file, and create it on the first write', async () => {
    const store = await createStore({ stateDb: db.path, guest: true });
    try {
      expect(store.kind).toBe('sqlite');
      expect([await store.get('k'), await store.listRange('l'), await store.setMembers('s')]).toEqual([null, [], []]);
      expect(existsSync(db.path)).toBe(false);
      await store.setAdd('hx:watch:cli:local', 'NFLX');
      expect(await store.setMembers('hx:watch:cli:local')).toEqual(['NFLX']);
    } finally {
      await store.close();
    }
    expect(await db.owner().setMembers('hx:watch:cli:local')).toEqual(['NFLX']);
  });
});
