import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/store/redis.ts';
import { SqliteStore } from '../../src/store/sqlite.ts';
import type { Store } from '../../src/store/store.ts';
import { Ledger } from '../../src/trading/ledger/ledger.ts';
import { deleteKeys, REDIS_URL, skipRedis, uniquePrefix } from '../support/redis.ts';
import { contract, CRASH_LEDGER_CONFIG, crashPlan, MONDAY_10AM, plan } from './ledger-support.ts';

const CHILD = fileURLToPath(new URL('./ledger-crash-child.ts', import.meta.url));
/** Signals in the cycle the restarted ledger runs again. */
const SIGNALS = 200;
/** Positions the child opens before it is killed. */
const KILL_AFTER = 25;

/**
 * Run the child opening `count` positions and SIGKILL it once it reports "ready": a kill -9 in the middle
 * of a cycle. The child blocks after its opens until it is killed, so the kill never races its exit.
 * Resolves with the number of opens it reported.
 */
function openThenKill(mode: 'redis' | 'sqlite', target: string, count: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, mode, target, String(count)], {
      env: { ...process.env, REDIS_URL },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.split('\n').includes('ready')) child.kill('SIGKILL');
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const reported = out.split('\n').filter((l) => l.startsWith('opened')).length;
      if (signal === 'SIGKILL') resolve(reported);
      else reject(new Error(`child exited ${code} before it was killed (opened ${reported}): ${stderr}`));
    });
  });
}

/** The books balance: every open position paid for once, one event each, ids 1..n without gaps. */
async function expectConsistent(ledger: Ledger): Promise<number> {
  const open = await ledger.openPositions();
  const summary = await ledger.summary(MONDAY_10AM);
  expect(new Set(open.map((p) => p.signalKey)).size).toBe(open.length);
  expect(open.map((p) => p.id)).toEqual(open.map((_, i) => String(i + 1)));
  expect(summary.cashUsd).toBeCloseTo(CRASH_LEDGER_CONFIG.startingEquityUsd - open.length * 51, 6);
  expect(await ledger.events()).toHaveLength(open.length);
  return open.length;
}

/** Re-run the whole cycle after the restart: the signals opened before the kill are recognised, the rest open. */
async function rerunCycle(ledger: Ledger, openedBefore: number): Promise<void> {
  let duplicates = 0;
  for (let i = 0; i < SIGNALS; i++) {
    const e = await ledger.open(crashPlan(i), { alertId: `crash-${i}`, at: MONDAY_10AM });
    if (e.type === 'position.opened' && e.duplicate) duplicates++;
  }
  expect(duplicates).toBe(openedBefore);
  expect(await expectConsistent(ledger)).toBe(SIGNALS);
}

describe('paper ledger durability', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hx-ledger-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('should keep positions in the state database across a restart', async () => {
    const path = join(dir, 'state.db');
    const first = new SqliteStore({ path, mode: 'owner' });
    const ledger = new Ledger({ store: first });
    await ledger.open(plan(contract()), { alertId: 'a', at: MONDAY_10AM });
    await ledger.recordEquity(MONDAY_10AM);
    await first.close();

    const second = new SqliteStore({ path, mode: 'owner' });
    const restarted = new Ledger({ store: second });
    expect((await restarted.openPositions()).map((p) => p.contractSymbol)).toEqual([contract().symbol]);
    expect((await restarted.summary(MONDAY_10AM)).cashUsd).toBeCloseTo(8951.5, 9);
    expect(await restarted.equityHistory()).toHaveLength(1);
    expect(await restarted.open(plan(contract()), { alertId: 'a', at: MONDAY_10AM })).toMatchObject({ duplicate: true });
    await second.close();
  });

  it('should lose and double-count nothing when the owner is killed (-9) mid-transaction, and be taken over at once', async () => {
    const path = join(dir, 'state.db');
    expect(await openThenKill('sqlite', path, KILL_AFTER)).toBe(KILL_AFTER);
    // The dead owner's pid is gone on this host: its file is taken over without waiting for the heartbeat to go stale.
    const store = new SqliteStore({ path, mode: 'owner' });
    const ledger = new Ledger({ store, config: CRASH_LEDGER_CONFIG });
    // Every open the child reported was committed before it printed; its uncommitted delete-everything never happened.
    expect(await expectConsistent(ledger)).toBe(KILL_AFTER);
    await rerunCycle(ledger, KILL_AFTER);
    await store.close();
  }, 60_000);

  describe.skipIf(skipRedis)('on Redis', () => {
    let prefix: string;
    let store: Store;
    beforeEach(() => {
      prefix = uniquePrefix();
    });
    afterEach(async () => {
      await store?.close();
      await deleteKeys(prefix);
    });

    it('should lose and double-count nothing when the process is killed (-9) mid-cycle', async () => {
      expect(await openThenKill('redis', prefix, KILL_AFTER)).toBe(KILL_AFTER);
      const redis = new RedisStore(REDIS_URL, { keyPrefix: prefix });
      await redis.connect();
      store = redis;
      const ledger = new Ledger({ store, config: CRASH_LEDGER_CONFIG });
      expect(await expectConsistent(ledger)).toBe(KILL_AFTER);
      await rerunCycle(ledger, KILL_AFTER);
    }, 60_000);
  });
});
