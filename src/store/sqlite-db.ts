/**
 * @module The SQLite state file: opening it (WAL, busy timeout, foreign keys) and its layout, versioned
 * with PRAGMA user_version so a later release can migrate a file an older one wrote.
 *
 * Layout: every key is a row of `kv` (its type, a string's value, its expiry in epoch ms); list items and
 * set members hang off their key (ON DELETE CASCADE, so deleting or expiring a key takes them along).
 * `owner` holds the one process that owns the file (sqlite-owner.ts); `meta` notes one-off facts such as
 * a migrated JSON state file.
 */
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/** The layout this release reads and writes (prepareStatements, at the end, is the SQL the store runs on it). */
export const SCHEMA_VERSION = 1;

/** MIGRATIONS[v] takes a file from user_version v to v + 1; a fresh file (0) runs them all. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE kv (
     key TEXT PRIMARY KEY,
     type TEXT NOT NULL CHECK (type IN ('string', 'list', 'set')),
     value TEXT,
     expires_at_ms INTEGER
   ) WITHOUT ROWID;
   CREATE INDEX kv_expiry ON kv (expires_at_ms) WHERE expires_at_ms IS NOT NULL;
   CREATE TABLE list_item (
     key TEXT NOT NULL REFERENCES kv (key) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     value TEXT NOT NULL,
     PRIMARY KEY (key, seq)
   ) WITHOUT ROWID;
   CREATE TABLE set_member (
     key TEXT NOT NULL REFERENCES kv (key) ON DELETE CASCADE,
     member TEXT NOT NULL,
     PRIMARY KEY (key, member)
   ) WITHOUT ROWID;
   CREATE TABLE owner (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     token TEXT NOT NULL,
     pid INTEGER NOT NULL,
     host TEXT NOT NULL,
     started_ms INTEGER NOT NULL,
     heartbeat_ms INTEGER NOT NULL
   );
   CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;`,
];

/** The state database could not be opened or is not one this release can use; the message says what to do. */
export class StateDbError extends Error {
  override readonly name = 'StateDbError';
}

export type OpenOptions = {
  /** How long a write waits for another connection's write to finish before failing (SQLITE_BUSY). */
  busyTimeoutMs: number;
};

/**
 * Open (creating when missing) the state database at `path` and bring its layout to SCHEMA_VERSION.
 * A new file is created owner-only (0600; SQLite gives its -wal and -shm files the same mode): it holds the
 * paper book.
 */
export function openStateDb(path: string, opts: OpenOptions): DatabaseSync {
  mkdirSync(dirname(path), { recursive: true });
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path, { timeout: opts.busyTimeoutMs, enableForeignKeyConstraints: true });
  } catch (err) {
    throw new StateDbError(`cannot open the state database ${path} (${(err as Error).message}); check STATE_DB and the folder's permissions`, { cause: err });
  }
  try {
    // WAL: readers (the CLI next to the bot) never block the writer, and a commit is one append.
    // NORMAL: a commit survives the process being killed (-9); only a power cut can undo the last few
    // commits (never corrupt the file), the same window as Redis' default appendfsync everysec.
    const mode = db.prepare('PRAGMA journal_mode = WAL').get() as { journal_mode: string };
    if (mode.journal_mode !== 'wal') throw new Error(`journal_mode is ${mode.journal_mode}, WAL is needed`);
    db.exec('PRAGMA synchronous = NORMAL');
    migrate(db, path);
    return db;
  } catch (err) {
    db.close();
    if (err instanceof StateDbError) throw err;
    const reason = (err as Error).message;
    throw new StateDbError(
      `the state database ${path} is not usable (${reason}); if it is not a hundredx state file, point STATE_DB elsewhere, otherwise restore it from a backup`,
      { cause: err },
    );
  }
}

function migrate(db: DatabaseSync, path: string): void {
  const version = () => (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
  if (version() === SCHEMA_VERSION) return;
  // IMMEDIATE: two processes opening a new file at once must not both create the tables.
  db.exec('BEGIN IMMEDIATE');
  try {
    const from = version();
    if (from > SCHEMA_VERSION) {
      throw new StateDbError(
        `the state database ${path} has layout version ${from}, written by a newer hundredx (this one reads up to ${SCHEMA_VERSION}); upgrade hundredx, or point STATE_DB at another file`,
      );
    }
    for (let v = from; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]!);
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
    db.exec('COMMIT');
  } catch (err) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw err;
  }
}

/** Every statement, prepared once: parsing SQL on each call would cost more than most operations. */
export function prepareStatements(db: DatabaseSync) {
  const live = '(expires_at_ms IS NULL OR expires_at_ms > ?)';
  const p = (sql: string) => db.prepare(sql);
  return {
    begin: p('BEGIN IMMEDIATE'),
    commit: p('COMMIT'),
    rollback: p('ROLLBACK'),
    get: p(`SELECT type, value FROM kv WHERE key = ? AND ${live}`),
    list: p(`SELECT kv.type AS type, li.value AS value FROM kv LEFT JOIN list_item li ON li.key = kv.key WHERE kv.key = ? AND ${live} ORDER BY li.seq`),
    members: p(`SELECT kv.type AS type, sm.member AS value FROM kv LEFT JOIN set_member sm ON sm.key = kv.key WHERE kv.key = ? AND ${live}`),
    purge: p('DELETE FROM kv WHERE key = ? AND expires_at_ms <= ?'),
    type: p('SELECT type FROM kv WHERE key = ?'),
    del: p('DELETE FROM kv WHERE key = ?'),
    dropOther: p("DELETE FROM kv WHERE key = ? AND type <> 'string'"),
    setString: p("INSERT INTO kv (key, type, value, expires_at_ms) VALUES (?, 'string', ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at_ms = excluded.expires_at_ms"),
    insertAbsent: p("INSERT INTO kv (key, type, value, expires_at_ms) VALUES (?, 'string', ?, ?) ON CONFLICT (key) DO NOTHING"),
    newKey: p('INSERT INTO kv (key, type) VALUES (?, ?)'),
    push: p('INSERT INTO list_item (key, seq, value) VALUES (?, COALESCE((SELECT MAX(seq) FROM list_item WHERE key = ?), 0) + 1, ?)'),
    // Items are numbered without gaps (pushed at the end, trimmed from the front), so the length is
    // last - first + 1: two index lookups instead of counting a long list on every push.
    length: p('SELECT (SELECT MAX(seq) FROM list_item WHERE key = ?1) - (SELECT MIN(seq) FROM list_item WHERE key = ?1) + 1 AS n'),
    anyItem: p('SELECT 1 AS found FROM list_item WHERE key = ? LIMIT 1'),
    trim: p('DELETE FROM list_item WHERE key = ? AND seq IN (SELECT seq FROM list_item WHERE key = ? ORDER BY seq LIMIT ?)'),
    add: p('INSERT OR IGNORE INTO set_member (key, member) VALUES (?, ?)'),
    remove: p('DELETE FROM set_member WHERE key = ? AND member = ?'),
    anyMember: p('SELECT 1 AS found FROM set_member WHERE key = ? LIMIT 1'),
    expire: p('UPDATE kv SET expires_at_ms = ? WHERE key = ?'),
    renew: p("UPDATE kv SET expires_at_ms = ? WHERE key = ? AND type = 'string' AND value = ?"),
    release: p("DELETE FROM kv WHERE key = ? AND type = 'string' AND value = ?"),
    sweep: p('DELETE FROM kv WHERE expires_at_ms <= ?'),
    count: p(`SELECT COUNT(*) AS n FROM kv WHERE ${live}`),
  };
}
