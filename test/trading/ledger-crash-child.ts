/**
 * Child process for the kill -9 test (ledger-durability.test.ts): opens `count` one-contract positions, one
 * per signal, printing "opened <i>" after each, then prints "ready" and blocks until its stdin closes. The
 * parent SIGKILLs it on "ready", so the kill always lands mid-run with the store's connection still open,
 * however fast the opens were: no race between the opens finishing and the signal arriving.
 * Usage: node --import tsx ledger-crash-child.ts <redis|file> <key prefix | state file> <count>
 */
import { MemoryStore } from '../../src/store/memory.ts';
import { RedisStore } from '../../src/store/redis.ts';
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
  store = new MemoryStore({ persistPath: target });
}
const ledger = new Ledger({ store, config: CRASH_LEDGER_CONFIG });
for (let i = 0; i < Number(countText); i++) {
  await ledger.open(crashPlan(i), { alertId: `crash-${i}`, at: new Date('2026-03-02T15:00:00Z') });
  process.stdout.write(`opened ${i}\n`);
}
process.stdout.write('ready\n');
// The open stdin pipe keeps the process alive until the kill; if the parent dies first, stdin ends and the
// child exits instead of lingering.
await new Promise<void>((resolve) => process.stdin.once('end', resolve).resume());
await store.close();
