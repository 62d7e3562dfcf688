/**
 * The JSON state file of earlier releases, moved once into the SQLite state database: every key with its
 * TTL, the file kept as a dated backup; an unreadable file stops start-up with its path and what to do,
 * and changes nothing.
 */
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRuntime } from '../../src/app/runtime.ts';
import { loadConfig } from '../../src/config/config.ts';
import { LegacyStateError } from '../../src/store/legacy-state.ts';
import { tempStateDb, type TempStateDb } from '../support/sqlite.ts';

const NOW_MS = Date.UTC(2026, 2, 2, 15, 0);
const DAY = '2026-03-02';

const legacyFile = {
  version: 1,
  entries: {
    'hx:ledger:book': { type: 'string', value: '{"cashUsd":8951.5}' },
    'hx:ledger:events': { type: 'list', items: ['e1', 'e2', 'e3'] },
    'hx:watch:telegram:-100': { type: 'set', members: ['NFLX', 'TSLA'] },
    'hx:sent:alert-1': { type: 'string', value: '1', expiresAtMs: NOW_MS + 60_000 },
    'hx:sent:old': { type: 'string', value: '1', expiresAtMs: NOW_MS - 1 },
  },
};

describe('migrating the JSON state file into SQLite', () => {
  let db: TempStateDb;
  let json: string;
  let logged: string[];
  beforeEach(() => {
    db = tempStateDb();
    json = join(db.dir, 'hundredx-state.json');
    logged = [];
  });
  afterEach(async () => db.cleanup());

  const open = (nowMs = NOW_MS) => db.owner({ migrateFrom: json, now: () => nowMs, log: (line) => logged.push(line) });

  it('should move every live key with its TTL, keep the file as a dated backup and say so', async () => {
    writeFileSync(json, JSON.stringify(legacyFile));
    const store = open();
    expect(await store.get('hx:ledger:book')).toBe('{"cashUsd":8951.5}');
    expect(await store.listRange('hx:ledger:events')).toEqual(['e1', 'e2', 'e3']);
    expect((await store.setMembers('hx:watch:telegram:-100')).sort()).toEqual(['NFLX', 'TSLA']);
    expect(await store.get('hx:sent:alert-1')).toBe('1');
    expect(await store.keyCount()).toBe(4); // the expired key was not brought along
    expect(readdirSync(db.dir).filter((f) => f.startsWith('hundredx-state'))).toEqual([`hundredx-state.json.migrated-${DAY}`]);
    expect(logged).toEqual([`state: moved 4 keys from ${json} into ${db.path}; the JSON file is kept as ${json}.migrated-${DAY}`]);
    await store.close();

    const later = open(NOW_MS + 60_000);
    expect(await later.get('hx:sent:alert-1')).toBeNull(); // its TTL came along
    expect(await later.get('hx:ledger:book')).toBe('{"cashUsd":8951.5}');
    expect(logged).toHaveLength(1); // nothing to migrate the second time
  });

  it('should only rename a file it already migrated (a crash between the commit and the rename)', async () => {
    writeFileSync(json, JSON.stringify(legacyFile));
    await open().close();
    copyFileSync(`${json}.migrated-${DAY}`, json);
    const store = open();
    expect(await store.listRange('hx:ledger:events')).toEqual(['e1', 'e2', 'e3']);
    expect(existsSync(json)).toBe(false);
    expect(existsSync(`${json}.migrated-${DAY}-2`)).toBe(true);
  });

  it('should refuse a JSON file beside a database that already holds other state, changing neither', async () => {
    const first = db.owner();
    await first.set('hx:ledger:book', 'newer');
    await first.close();
    writeFileSync(json, JSON.stringify(legacyFile));
    expect(() => open()).toThrow(/state file .*hundredx-state\.json is still there, but the state database .* already holds state/);
    expect(await db.guest().get('hx:ledger:book')).toBe('newer');
    expect(existsSync(json)).toBe(true);
  });

  it.each([
    ['entries: null', '{"version":1,"entries":null}', 'it is not a hundredx state file (entries: '],
    ['not JSON', '{"version":1,"entr', 'it is not JSON ('],
    ['another version', '{"version":2,"entries":{}}', 'it is not a hundredx state file (version: '],
    ['a list without items', '{"version":1,"entries":{"k":{"type":"list"}}}', 'it is not a hundredx state file (entries.k.items: '],
  ])('should stop with the path and what to do for a corrupt file (%s), changing nothing', async (_name, text, reason) => {
    writeFileSync(json, text);
    let error: unknown;
    try {
      open();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(LegacyStateError);
    const message = (error as Error).message;
    expect(message).toContain(`the state file ${json} cannot be migrated to the SQLite state database: ${reason}`);
    expect(message).toContain(`Nothing was changed. Repair the file, or move it aside (mv ${json} ${json}.broken)`);
    expect(readFileSync(json, 'utf8')).toBe(text);
    expect(await db.guest().keyCount()).toBe(0);
  });

  it('should migrate STATE_FILE into STATE_DB when the bot starts', async () => {
    writeFileSync(json, JSON.stringify(legacyFile));
    const config = loadConfig({ MARKET_DATA: 'replay', STATE_DB: db.path, STATE_FILE: json });
    const lines: string[] = [];
    const runtime = await createRuntime(config, { logger: { info: (line) => lines.push(line), error: (line) => lines.push(line) } });
    try {
      expect(runtime.store.kind).toBe('sqlite');
      expect(await runtime.store.get('hx:ledger:book')).toBe('{"cashUsd":8951.5}');
      expect(lines[0]).toMatch(/^state: moved \d+ keys from /); // how many depends on today's date: one key has a TTL
      expect(lines[0]).toContain(`from ${json} into ${db.path}`);
    } finally {
      await runtime.close();
    }
  });
});
