/**
 * `npm run bench` (second part): 31 days of running, replayed on each store. The bot is composed as
 * `npm start` composes it (composeBot, MARKET_DATA=replay, the default replay universe and schedules), and
 * its scheduler is ticked at every time the default cron expressions fire in the window, on a fake clock
 * (test/e2e/multi-day.test.ts does the same): per trading day the premarket check, 13 cycles and the close
 * (run locks, ledger, outbox, journal, diary). Only the store differs between runs, so the wall times compare
 * the stores under the bot's real access pattern. Printed: each run's wall time and the time spent in store
 * calls, and the medians per store.
 * Target: SQLite within 1.5x of Redis (medians).
 * Usage: node --import tsx bench/replay.bench.ts [first-day] [last-day] (default 2020-03-01 .. 2020-03-31).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { addNyDays, lastClosedSession } from '../src/analysis/calendar.ts';
import { composeBot } from '../src/app/bot.ts';
import { loadConfig } from '../src/config/config.ts';
import { DEFAULTS, JOB_NAMES, type JobName } from '../src/config/defaults.ts';
import { createLogger } from '../src/core/log.ts';
import type { Sink } from '../src/notify/sinks/sink.ts';
import { CronSchedule } from '../src/schedule/cron.ts';
import { MemoryStore } from '../src/store/memory.ts';
import { RedisStore } from '../src/store/redis.ts';
import { SqliteStore } from '../src/store/sqlite.ts';
import type { Store } from '../src/store/store.ts';

const [FIRST_DAY = '2020-03-01', LAST_DAY = '2020-03-31'] = process.argv.slice(2);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const TARGET_RATIO = 1.5;
/** BENCH_ROUNDS: how many times each store runs the window (default 3). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** A chat that accepts everything at once. */
const sink: Sink = { name: 'bench', destinations: () => ['bench:1'], partCount: () => 1, sendPart: async () => ({ messageId: '1' }) };

/** 00:00 UTC of the last closed session's date: what a replay at `now` may know. */
const lastClosedSessionTime = (now: Date) => new Date(`${lastClosedSession(now)}T00:00:00Z`);

/** Every tick of the default schedules in the window, in time order; the scheduler's calendar gate decides which run. */
function ticks(): { job: JobName; at: Date }[] {
  const schedules = JOB_NAMES.map((job) => ({ job, cron: new CronSchedule(DEFAULTS.schedules[job]) }));
  const out: { job: JobName; at: Date }[] = [];
  for (let day = FIRST_DAY; day <= LAST_DAY; day = addNyDays(day, 1)) {
    for (const { job, cron } of schedules) for (const at of cron.firesOn(day)) out.push({ job, at });
  }
  return out.sort((a, b) => a.at.getTime() - b.at.getTime());
}

type Variant = { name: string; open(dir: string): Promise<{ store: Store; cleanup(): Promise<void> }> };

const VARIANTS: Variant[] = [
  {
    name: 'memory',
    open: async () => ({ store: new MemoryStore(), cleanup: async () => undefined }),
  },
  {
    name: 'sqlite',
    async open(dir) {
      const store = new SqliteStore({ path: join(dir, 'state.db'), mode: 'owner' });
      return { store, cleanup: async () => undefined };
    },
  },
  {
    name: 'redis',
    async open() {
      const prefix = `hxbench:${randomUUID()}:`;
      const store = new RedisStore(REDIS_URL, { keyPrefix: prefix });
      await store.connect();
      return {
        store,
        async cleanup() {
          // Delete only this run's keys (SCAN + DEL under the prefix), never FLUSHDB.
          const { Redis } = await import('ioredis');
          const client = new Redis(REDIS_URL);
          let cursor = '0';
          do {
            const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
            if (keys.length > 0) await client.del(...keys);
            cursor = next;
          } while (cursor !== '0');
          client.disconnect();
        },
      };
    },
  },
];

/**
 * The store, adding up the time from each call to its answer: the store's share of the wall time, which
 * the market data and the cycle's computing otherwise hide. Calls run on the real store (its private fields).
 */
function timed(store: Store): { store: Store; calls: () => number; spentMs: () => number } {
  let calls = 0;
  let spentMs = 0;
  const proxy = new Proxy(store, {
    get(target, prop) {
      const value = Reflect.get(target, prop) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const started = performance.now();
        calls++;
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          spentMs += performance.now() - started;
        }
      };
    },
  });
  return { store: proxy, calls: () => calls, spentMs: () => spentMs };
}

type RunResult = { seconds: number; storeSeconds: number; storeCalls: number; ran: number; trades: number };

/** Run `window` on one store; the wall time of the jobs only (composing and closing excluded). */
async function run(variant: Variant, window: { job: JobName; at: Date }[]): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'hx-bench-replay-'));
  const opened = await variant.open(dir);
  const { store, calls, spentMs } = timed(opened.store);
  let nowMs = 0;
  const now = () => new Date(nowMs);
  const config = loadConfig({ MARKET_DATA: 'replay', DIARY_DIR: join(dir, 'diary') });
  const bot = await composeBot(config, { store, now, asOf: () => lastClosedSessionTime(now()), sinks: [sink], logger: createLogger({ write: () => {} }) });
  let ran = 0;
  const started = performance.now();
  for (const { job, at } of window) {
    nowMs = at.getTime();
    const outcome = await bot.scheduler.tick(job, at);
    if (outcome === 'ran') ran++;
    else if (outcome !== 'market-closed') throw new Error(`${job} at ${at.toISOString()}: ${outcome}`);
  }
  const seconds = (performance.now() - started) / 1000;
  const ledger = bot.services.ledger;
  const trades = (await ledger.openPositions()).length + (await ledger.closedPositions()).length;
  const storeSeconds = spentMs() / 1000;
  const storeCalls = calls();
  await bot.close();
  await opened.cleanup();
  rmSync(dir, { recursive: true, force: true });
  return { seconds, storeSeconds, storeCalls, ran, trades };
}

console.log(`replay bench: ${FIRST_DAY} .. ${LAST_DAY}, every default schedule tick, composeBot on MARKET_DATA=replay, ${ROUNDS} rounds`);
// Without a Redis to compare with, the others still run (and the target is not checked).
try {
  const probe = await VARIANTS.find((v) => v.name === 'redis')!.open('');
  await probe.store.close();
} catch (err) {
  console.log(`redis: skipped (${(err as Error).message})`);
  VARIANTS.splice(VARIANTS.findIndex((v) => v.name === 'redis'), 1);
}
const window = ticks();
// A throwaway run of the first days: module loading and JIT warm-up would otherwise be charged to the first store.
await run(VARIANTS[0]!, window.slice(0, 30));
// Rounds interleave the stores, so a busy moment on the machine spreads over all of them; the median counts.
const times = new Map<string, number[]>(VARIANTS.map((v) => [v.name, []]));
const storeTimes = new Map<string, number[]>(VARIANTS.map((v) => [v.name, []]));
for (let round = 1; round <= ROUNDS; round++) {
  for (const variant of VARIANTS) {
    const r = await run(variant, window);
    times.get(variant.name)!.push(r.seconds);
    storeTimes.get(variant.name)!.push(r.storeSeconds);
    console.log(
      `round ${round}: ${variant.name.padEnd(8)} ${r.seconds.toFixed(2).padStart(6)} s, of which ${r.storeSeconds.toFixed(2)} s in ${r.storeCalls} store calls  (${r.ran} jobs run, ${r.trades} positions)`,
    );
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const results = new Map([...times].map(([name, xs]) => [name, median(xs)]));
console.log(`median wall: ${[...results].map(([name, s]) => `${name} ${s.toFixed(2)} s`).join(', ')}`);
console.log(`median time in store calls: ${[...storeTimes].map(([name, xs]) => `${name} ${median(xs).toFixed(2)} s`).join(', ')}`);
const redis = results.get('redis');
const sqlite = results.get('sqlite');
if (redis !== undefined && sqlite !== undefined) {
  const ratio = sqlite / redis;
  console.log(`sqlite / redis = ${ratio.toFixed(2)} (target <= ${TARGET_RATIO})`);
  console.log(ratio <= TARGET_RATIO ? 'target met' : 'TARGET MISSED');
  process.exitCode = ratio <= TARGET_RATIO ? 0 : 1;
}
