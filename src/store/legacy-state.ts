/**
 * @module The JSON state file of earlier releases (STATE_FILE; by default data/state/hundredx-state.json, or
 * hundredx-replay.json in replay), moved once into the SQLite state database: every key with its TTL, in
 * one transaction. The file is then renamed `<file>.migrated-<date>` and kept as a backup. A file that does
 * not parse stops start-up with its path and what to do; nothing is changed then.
 */
import { createHash } from 'node:crypto';
import { existsSync, renameSync } from 'node:fs';
import type { DatabaseSync } from 'node:sqlite';
import { z } from 'zod';
import { readFileIfExists } from '../core/atomic-file.ts';

const expiry = { expiresAtMs: z.number().int().optional() };
const LegacyEntry = z.discriminatedUnion('type', [
  z.object({ type: z.literal('string'), value: z.string(), ...expiry }),
  z.object({ type: z.literal('list'), items: z.array(z.string()), ...expiry }),
  z.object({ type: z.literal('set'), members: z.array(z.string()), ...expiry }),
]);
const LegacyFile = z.object({ version: z.literal(1), entries: z.record(z.string(), LegacyEntry) });
type LegacyEntry = z.infer<typeof LegacyEntry>;

/** The JSON state file is unreadable; it was left as it is. */
export class LegacyStateError extends Error {
  override readonly name = 'LegacyStateError';
}

const unreadable = (path: string, reason: string, cause?: unknown) =>
  new LegacyStateError(
    `the state file ${path} cannot be migrated to the SQLite state database: ${reason}. Nothing was changed. ` +
      `Repair the file, or move it aside (mv ${path} ${path}.broken) to start without the state it holds`,
    { cause },
  );

/** The file's entries, validated; null when there is no file. */
function readLegacy(path: string): { entries: Record<string, LegacyEntry>; sha256: string } | null {
  const text = readFileIfExists(path);
  if (text === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw unreadable(path, `it is not JSON (${(err as Error).message})`, err);
  }
  const parsed = LegacyFile.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`);
    throw unreadable(path, `it is not a hundredx state file (${issues.join('; ')})`);
  }
  return { entries: parsed.data.entries, sha256: createHash('sha256').update(text).digest('hex') };
}

/** `<file>.migrated-<YYYY-MM-DD>`, or with -2, -3... when a backup of that day exists already. */
function backupPath(path: string, nowMs: number): string {
  const base = `${path}.migrated-${new Date(nowMs).toISOString().slice(0, 10)}`;
  let candidate = base;
  for (let n = 2; existsSync(candidate); n++) candidate = `${base}-${n}`;
  return candidate;
}

export type MigrateOptions = {
  db: DatabaseSync;
  /** The state database's path, for messages. */
  dbPath: string;
  /** The JSON state file. */
  source: string;
  nowMs: number;
  /** Inside the migration's transaction, before the first write: throw to stop (the owner check). */
  check?: () => void;
  log?: (line: string) => void;
};

/**
 * Move the JSON state file at `source` into `db` once. Idempotent: a file whose content was migrated
 * before (a crash between the commit and the rename) is only renamed. A file beside a database that
 * already holds other state is refused: it comes from an older hundredx still running, or from a backup.
 */
export function migrateLegacyState(opts: MigrateOptions): void {
  const { db, dbPath, source, nowMs } = opts;
  const legacy = readLegacy(source);
  if (!legacy) return;
  const marker = `migrated:${legacy.sha256}`;
  db.exec('BEGIN IMMEDIATE');
  let imported = 0;
  try {
    opts.check?.();
    const done = db.prepare('SELECT value FROM meta WHERE name = ?').get(marker) !== undefined;
    if (!done) {
      if (db.prepare('SELECT 1 FROM kv LIMIT 1').get() !== undefined) {
        throw new LegacyStateError(
          `the state file ${source} is still there, but the state database ${dbPath} already holds state: the file comes from an older hundredx ` +
            `still running (stop it), or was put back from a backup. Move ${source} aside to keep the database, or move ${dbPath} aside to migrate the file afresh`,
        );
      }
      imported = importEntries(db, legacy.entries, nowMs);
      db.prepare('INSERT INTO meta (name, value) VALUES (?, ?)').run(marker, JSON.stringify({ source, atMs: nowMs, keys: imported }));
    }
    db.exec('COMMIT');
  } catch (err) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw err;
  }
  const backup = backupPath(source, nowMs);
  renameSync(source, backup);
  opts.log?.(`state: moved ${imported} keys from ${source} into ${dbPath}; the JSON file is kept as ${backup}`);
}

/** Insert every live entry (expired ones are dropped, as loading the file did). Returns how many. */
function importEntries(db: DatabaseSync, entries: Record<string, LegacyEntry>, nowMs: number): number {
  const key = db.prepare('INSERT INTO kv (key, type, value, expires_at_ms) VALUES (?, ?, ?, ?)');
  const item = db.prepare('INSERT INTO list_item (key, seq, value) VALUES (?, ?, ?)');
  const member = db.prepare('INSERT OR IGNORE INTO set_member (key, member) VALUES (?, ?)');
  let count = 0;
  for (const [name, e] of Object.entries(entries)) {
    if (e.expiresAtMs !== undefined && e.expiresAtMs <= nowMs) continue;
    // An empty list or set is no key at all (as in Redis).
    if ((e.type === 'list' && e.items.length === 0) || (e.type === 'set' && e.members.length === 0)) continue;
    key.run(name, e.type, e.type === 'string' ? e.value : null, e.expiresAtMs ?? null);
    if (e.type === 'list') e.items.forEach((v, i) => item.run(name, i + 1, v));
    if (e.type === 'set') for (const m of e.members) member.run(name, m);
    count++;
  }
  return count;
}
