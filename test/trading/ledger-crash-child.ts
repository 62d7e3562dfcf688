/**
 * Child process for the kill -9 test (ledger-durability.test.ts): opens `count` one-contract positions, one
 * per signal, printing "opened <i>" after each, until the parent kills it with SIGKILL part-way through.
 * Usage: node --import tsx ledger-crash-child.ts <redis|file> <key prefix | state file> <count>
 */
import { MemoryStore } from '../../src/store/memory.ts';
import { RedisStore } from '../../src/store/redis.ts';
import type { Store } from '../../src/store/store.ts';
import { crashPlan, CRASH_LEDGER_CONFIG } from './ledger-support.ts';
import { Ledger } from '../../src/trading/ledger.ts';

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
await store.close();
