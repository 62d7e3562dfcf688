/**
 * Child process for the kill -9 test (ledger-durability.test.ts): opens `count` one-contract positions, one
 * per signal, printing "opened <i>" after each, then prints "ready" and blocks until its stdin closes. The
 * parent SIGKILLs it on "ready", so the kill always lands mid-run with the store's connection still open,
 * however fast the opens were: no race between the opens finishing and the signal arriving.
 * On SQLite it then also opens a transaction on a second connection that deletes every key and leaves it
 * uncommitted, so the kill lands mid-transaction: the restart must see none of it.
 * Usage: node --import tsx ledger-crash-child.ts <redis|sqlite> <key prefix | state database> <count>
 */
import { DatabaseSync } from 'node:sqlite';
import { RedisStore } from '../../src/store/redis.ts';
import { SqliteStore } from '../../src/store/sqlite.ts';
import type { Store } from '../../src/store/store.ts';
import { Ledger } from '../../src/trading/ledger/ledger.ts';
import { crashPlan, CRASH_LEDGER_CONFIG } from './ledger-support.ts';

const [mode, target = '', countText = '0'] = process.argv.slice(2);
let store: Store;
if (mode === 'redis') {
  const redis = new RedisStore(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { keyPrefix: target });
  await redis.connect();
  store = redis;
} else {
  store = new SqliteStore({ path: target, mode: 'owner' });
}
const ledger = new Ledger({ store, config: CRASH_LEDGER_CONFIG });
for (let i = 0; i < Number(countText); i++) {
  await ledger.open(crashPlan(i), { alertId: `crash-${i}`, at: new Date('2026-03-02T15:00:00Z') });
  process.stdout.write(`opened ${i}\n`);
}
if (mode === 'sqlite') {
  const raw = new DatabaseSync(target);
  raw.exec('BEGIN IMMEDIATE');
  raw.exec('DELETE FROM kv');
}
process.stdout.write('ready\n');
// The open stdin pipe keeps the process alive until the kill; if the parent dies first, stdin ends and the
// child exits instead of lingering.
await new Promise<void>((resolve) => process.stdin.once('end', resolve).resume());
await store.close();
