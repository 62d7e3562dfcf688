import { afterAll, describe, expect, it } from 'vitest';
import { cycleAlerts } from '../../src/notify/messages.ts';
import { decisionOf, reasonClass, ReportedSignals, type SignalReport } from '../../src/notify/reported.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { RedisStore } from '../../src/store/redis.ts';
import type { TickerResult } from '../../src/scanner/types.ts';
import { deleteKeys, pttl, REDIS_URL, skipRedis, uniquePrefix } from '../support/redis.ts';
import * as s from './samples.ts';

const told = (reports: SignalReport[]): Map<string, string> => new Map(reports.map((r) => [r.key, r.decision]));
const keysOf = (results: TickerResult[]) => results.filter((r) => r.signal).map((r) => `${r.signal!.symbol}|${r.signal!.side}|2026-11-20`);

describe('notify/reported: what counts as news about a signal', () => {
  it.each([
    ['new entries paused by an admin (/resume to allow)', 'paused'],
    ['not opened: cash $120.00 < $376.00 needed', 'not-opened'],
    ['BEARISH regime: long exposure 0.0x', 'regime'],
    ['NEUTRAL regime: long exposure 0.0x', 'regime'],
    ['1 contract costs $1,240 > $1,000 risk cap', 'limits'],
    ['1 contract costs $680 + $1.00 fee > $386.28 budget (cap $974.49, $4,486.15 of the $4,872.43 open-risk limit in use)', 'limits'],
    ['5 new positions this cycle already (MAX_NEW_POSITIONS)', 'limits'],
    ['one name: GOOGL and GOOG are share classes of one company, and GOOG was sized first', 'limits'],
    ['too thin to trade: 10% of open interest 9', 'limits'],
    ['no tradable put on 2026-11-27', 'no-contract'],
    ['nearest expiry is 1 day(s) away, needs >= 2', 'no-contract'],
    ['contract has no ask price', 'no-contract'],
    ['Halted by the exchange at $12.50, -8%', 'halted by the exchange at #, #'],
  ])('should class "%s" as %s', (reason, expected) => {
    expect(reasonClass(reason)).toBe(expected);
  });

  it('should compare decisions, not contracts or sizes', () => {
    expect(decisionOf(s.nflxShortAccepted())).toBe('ACCEPTED');
    expect(decisionOf(s.nflxShortAccepted({ contracts: 3, costUsd: 300 }))).toBe('ACCEPTED');
    expect(decisionOf(s.mstrShortRejected())).toBe('REJECTED:limits');
    expect(decisionOf(null)).toBe('NO-PLAN');
  });
});

describe('notify/messages cycleAlerts: only news', () => {
  const opts = { digestThreshold: 3, previousRegime: 'BEARISH' as const };

  it('should report nothing again in a second cycle of the day, and say how many it left out', () => {
    const first = cycleAlerts(s.busyReport(), opts);
    expect(first.alerts.map((a) => a.message.kind)).toEqual(['trade', 'trade', 'digest']);
    expect(first.alreadyReported).toBe(0);
    const second = cycleAlerts(s.busyReport(), { ...opts, reported: told(first.alerts.flatMap((a) => a.reports)) });
    expect(second).toEqual({ alerts: [], alreadyReported: 4 });
  });

  it('should report a signal again when its decision changes, with an alert id of its own', () => {
    const report = s.busyReport();
    const reported = told(cycleAlerts(report, opts).alerts.flatMap((a) => a.reports));
    const mstr = report.results.findIndex((r) => r.symbol === 'MSTR');
    const before = s.mstrShortRejected();
    const paused = { ...before, reason: 'new entries paused by an admin (/resume to allow)' };
    const results = report.results.map((r, i) => (i === mstr ? { ...r, plan: paused } : r));
    const again = cycleAlerts({ ...report, results }, { ...opts, reported });
    expect(again.alerts.map((a) => a.message.title)).toEqual(['⛔ MSTR breakdown: put skipped']);
    expect(again.alerts[0]!.reports).toEqual([{ key: 'MSTR|SHORT|2026-11-20', decision: 'REJECTED:paused' }]);
    expect(again.alerts[0]!.message.id).not.toBe(cycleAlerts(s.report([s.result(before)]), opts).alerts[0]!.message.id);
    expect(again.alreadyReported).toBe(3);
  });

  it('should list only the new signals in a digest and say how many were reported already', () => {
    const report = s.busyReport();
    const [coin, nflx] = keysOf(report.results).filter((k) => /^(COIN|NFLX)/.test(k));
    const { alerts } = cycleAlerts(report, { digestThreshold: 1, previousRegime: 'BEARISH', reported: new Map([[coin!, 'ACCEPTED'], [nflx!, 'ACCEPTED']]) });
    const digest = alerts.at(-1)!;
    expect(alerts.map((a) => a.message.kind)).toEqual(['digest']);
    expect(digest.message.title).toBe('🔎 Scan digest: 2 new signals, 0 accepted; 2 already reported today');
    expect(digest.message.tweet).toMatch(/^🔎 Scan: 2 new breakouts across 100 tickers \(2 reported earlier today\)\./);
    expect(digest.message.description?.split('\n').map((l) => l.split(' ')[1])).toEqual(['MSTR', 'AAPL']);
    expect(digest.reports.map((r) => r.decision)).toEqual(['REJECTED:limits', 'REJECTED:regime']);
  });
});

type Made = { store: MemoryStore | RedisStore; key: (k: string) => string };

function storeSuite(name: string, make: (now: () => number) => Promise<Made>) {
  describe(`notify/reported ReportedSignals on ${name}`, () => {
    const DAY = '2020-03-12';
    const at = new Date('2020-03-12T15:00:00Z'); // 11:00 in New York (EDT)

    it('should give back the last decision told per signal, for that New York day only', async () => {
      let nowMs = at.getTime();
      const { store } = await make(() => nowMs);
      const memory = new ReportedSignals(store);
      await memory.remember(DAY, [{ key: 'SPY|SHORT|2020-03-12', decision: 'REJECTED:limits' }, { key: 'FB|SHORT|2020-03-12', decision: 'REJECTED:limits' }], at);
      await memory.remember(DAY, [{ key: 'FB|SHORT|2020-03-12', decision: 'ACCEPTED' }], at);
      expect(await memory.on(DAY)).toEqual(new Map([['SPY|SHORT|2020-03-12', 'REJECTED:limits'], ['FB|SHORT|2020-03-12', 'ACCEPTED']]));
      expect(await memory.on('2020-03-13')).toEqual(new Map());
      if (name !== 'Redis') {
        // Redis keeps its own time: its TTL is checked below.
        nowMs = Date.parse('2020-03-13T05:00:01Z'); // New York midnight + the hour's margin
        expect(await memory.on(DAY)).toEqual(new Map());
      }
      await store.close();
    });

    if (name === 'Redis') {
      it('should let the day expire with the store TTL: New York midnight plus an hour', async () => {
        const { store, key } = await make(Date.now);
        await new ReportedSignals(store).remember(DAY, [{ key: 'SPY|SHORT|2020-03-12', decision: 'ACCEPTED' }], at);
        const ttlMs = await pttl(key(`hx:reported:${DAY}`));
        expect(ttlMs).toBeLessThanOrEqual(14 * 3_600_000); // 13 h to midnight (EDT) + 1 h
        expect(ttlMs).toBeGreaterThan(14 * 3_600_000 - 60_000);
        await store.close();
      });
    }
  });
}

storeSuite('the memory store', async (now) => ({ store: new MemoryStore({ now }), key: (k) => k }));

describe.skipIf(skipRedis)('with Redis', () => {
  const prefix = uniquePrefix();
  afterAll(() => deleteKeys(prefix));
  storeSuite('Redis', async () => {
    const store = new RedisStore(REDIS_URL, { keyPrefix: prefix });
    await store.connect();
    return { store, key: (k) => `${prefix}${k}` };
  });
});
