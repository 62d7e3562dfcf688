/**
 * DayJournal on both stores: what a day records reads back exactly (JSON-safe, NaN as null), retries are
 * de-duplicated on read, each write is one store operation, and a damaged entry costs only itself.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DayJournal, journalKey, type DiaryTradeLine } from '../../src/diary/journal.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { RedisStore } from '../../src/store/redis.ts';
import type { Store } from '../../src/store/store.ts';
import { deleteKeys, REDIS_URL, skipRedis, uniquePrefix } from '../support/redis.ts';
import * as s from '../notify/samples.ts';

const DATE = '2026-11-20';
const T0945 = new Date('2026-11-20T14:45:00Z');
const T1245 = new Date('2026-11-20T17:45:00Z');

const expired: DiaryTradeLine = {
  event: 'expired', at: '2026-11-20T21:00:00.000Z', symbol: 'SPY', right: 'call', strike: 600, expiry: DATE,
  contracts: 5, priceUsd: 0, amountUsd: 0, pnlUsd: -725, note: 'expired out of the money',
};

/** Counts the store operations a journal call makes (a decorator, not a mock). */
function counting(store: Store): { store: Store; writes: () => number } {
  let writes = 0;
  const wrapped: Store = Object.create(store) as Store;
  for (const op of ['set', 'setIfAbsent', 'del', 'listPush', 'setAdd', 'setRemove', 'compareAndWrite'] as const) {
    const original = store[op].bind(store) as (...args: unknown[]) => Promise<unknown>;
    (wrapped as unknown as Record<string, unknown>)[op] = (...args: unknown[]) => {
      writes++;
      return original(...args);
    };
  }
  return { store: wrapped, writes: () => writes };
}

const stores = [
  { name: 'MemoryStore', skip: false, make: async () => ({ store: new MemoryStore() as Store, cleanup: async () => {} }) },
  {
    name: 'RedisStore',
    skip: skipRedis,
    make: async () => {
      const prefix = uniquePrefix();
      const store = new RedisStore(REDIS_URL, { keyPrefix: prefix });
      await store.connect();
      return { store: store as Store, cleanup: async () => { await store.close(); await deleteKeys(prefix); } };
    },
  },
];

for (const { name, skip, make } of stores) {
  describe.skipIf(skip)(`DayJournal on ${name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let journal: DayJournal;
    beforeEach(async () => {
      ({ store, cleanup } = await make());
      journal = new DayJournal(store);
    });
    afterEach(async () => cleanup());

    it('should read back an empty day when nothing was recorded', async () => {
      expect(await journal.day(DATE)).toEqual({ date: DATE, regimes: [], cycles: [], tweets: [], trades: [], unreadable: 0 });
    });

    it('should round-trip regimes, cycles, tweets and trades exactly', async () => {
      const missingVix = s.regime('NEUTRAL', { vix: Number.NaN, reasons: ['VIX data missing: NEUTRAL by default'] });
      await journal.recordRegime(DATE, T0945, s.regime('BEARISH'));
      await journal.recordCycle(DATE, T0945, s.busyReport());
      await journal.recordTweet(DATE, 'first tweet');
      await journal.recordRegime(DATE, T1245, missingVix);
      await journal.recordTrade(DATE, expired);

      const day = await journal.day(DATE);
      expect(day.regimes).toEqual([
        {
          at: '2026-11-20T14:45:00.000Z', state: 'BEARISH', vix: 27.35, spy: 561.2, spySma: 598.9, long: 0, short: 1,
          reasons: ['VIX 27.35 > 20', 'SPY 561.20 below its 50-day average 598.90', 'Exposure: long 0.0x, short 1.0x'],
        },
        expect.objectContaining({ state: 'NEUTRAL', vix: null, reasons: ['VIX data missing: NEUTRAL by default'] }),
      ]);
      const [cycle] = day.cycles;
      expect(cycle?.stats).toEqual({ scanned: 100, signals: 4, accepted: 2, rejected: 2, errors: 1, durationMs: 2345 });
      expect(cycle?.signals.map((x) => `${x.symbol} ${x.side} ${x.zScore} ${x.price}`)).toEqual([
        'AAPL LONG 2.2 236.1', 'COIN SHORT -2.41 265.4', 'MSTR SHORT -2.7 231.5', 'NFLX SHORT -3.1 512.3',
      ]);
      expect(cycle?.decisions.find((d) => d.symbol === 'NFLX')).toEqual({
        symbol: 'NFLX', side: 'SHORT', zScore: -3.1, status: 'ACCEPTED', reason: '90 contracts x $0.11 = $990 within $1,000 risk cap',
        contract: { symbol: 'NFLX261127P00500000', right: 'put', strike: 500, expiry: '2026-11-27', ask: 0.11, modeled: false },
        contracts: 90, costUsd: 90 * 0.11 * 100,
      });
      expect(cycle?.failed).toEqual(['XYZ']);
      expect(day.tweets).toEqual(['first tweet']);
      expect(day.trades).toEqual([expired]);
      expect(day.unreadable).toBe(0);
    });

    it('should keep the open regime and each change, not every unchanged reading', async () => {
      for (const [hour, state] of [[14, 'BEARISH'], [15, 'BEARISH'], [16, 'NEUTRAL'], [17, 'NEUTRAL'], [18, 'BEARISH']] as const) {
        await journal.recordRegime(DATE, new Date(Date.UTC(2026, 10, 20, hour)), s.regime(state));
      }
      const regimes = (await journal.day(DATE)).regimes;
      expect(regimes.map((r) => `${r.at.slice(11, 16)} ${r.state}`)).toEqual(['14:00 BEARISH', '16:00 NEUTRAL', '18:00 BEARISH']);
    });

    it('should keep a retried cycle, a resent tweet and a repeated trade event once each, in first order', async () => {
      await journal.recordTweet(DATE, 'a');
      await journal.recordCycle(DATE, T0945, s.busyReport());
      await journal.recordTweet(DATE, 'b');
      await journal.recordTrade(DATE, expired);
      await journal.recordCycle(DATE, T0945, s.busyReport()); // re-run after a restart
      await journal.recordTweet(DATE, 'a');
      await journal.recordTrade(DATE, expired);
      const day = await journal.day(DATE);
      expect(day.tweets).toEqual(['a', 'b']);
      expect(day.cycles).toHaveLength(1);
      expect(day.trades).toHaveLength(1);
    });

    it('should write each record with a single store operation', async () => {
      const counted = counting(store);
      const j = new DayJournal(counted.store);
      await j.recordRegime(DATE, T0945, s.regime('BEARISH'));
      await j.recordCycle(DATE, T0945, s.busyReport());
      await j.recordTweet(DATE, 'a');
      await j.recordTrade(DATE, expired);
      expect(counted.writes()).toBe(4);
    });

    it('should keep days apart', async () => {
      await journal.recordTweet(DATE, 'friday');
      await journal.recordTweet('2026-11-23', 'monday');
      expect((await journal.day(DATE)).tweets).toEqual(['friday']);
      expect((await journal.day('2026-11-23')).tweets).toEqual(['monday']);
    });

    it('should count a damaged entry as unreadable and still read the rest', async () => {
      await journal.recordTweet(DATE, 'ok');
      await store.listPush(journalKey(DATE), '{not json');
      await store.listPush(journalKey(DATE), JSON.stringify({ t: 'trade', v: { event: 'exploded' } }));
      const day = await journal.day(DATE);
      expect(day.tweets).toEqual(['ok']);
      expect(day.unreadable).toBe(2);
    });
  });
}

describe('DayJournal input checks', () => {
  it('should refuse a date that is not YYYY-MM-DD before touching the store', async () => {
    const journal = new DayJournal(new MemoryStore());
    await expect(journal.day('yesterday')).rejects.toThrow('date must be YYYY-MM-DD (New York), got "yesterday"');
    await expect(journal.recordTweet('../etc', 'x')).rejects.toThrow(RangeError);
  });

  it('should refuse a malformed trade line instead of recording it', async () => {
    const journal = new DayJournal(new MemoryStore());
    await expect(journal.recordTrade(DATE, { ...expired, expiry: 'Nov 20' })).rejects.toThrow(/invalid trade line.*expiry/s);
    expect((await journal.day(DATE)).trades).toEqual([]);
  });
});
