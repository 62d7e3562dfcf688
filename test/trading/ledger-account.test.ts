import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.ts';
import { Ledger } from '../../src/trading/ledger/ledger.ts';
import { contract, FakeMarket, MONDAY_10AM, plan, STORE_CASES } from './ledger-support.ts';

const put = contract();
const hoursLater = (h: number) => new Date(MONDAY_10AM.getTime() + h * 3600_000);

for (const c of STORE_CASES) {
  describe.skipIf(c.skip)(`paper ledger account on ${c.name}`, () => {
    let h: Awaited<ReturnType<typeof c.make>>;
    let store: Store;
    let ledger: Ledger;
    beforeEach(async () => {
      h = await c.make();
      store = h.store;
      ledger = new Ledger({ store, config: { takeProfitPct: null, stopLossPct: null } });
    });
    afterEach(async () => h.cleanup());

    it('should keep one equity point per trading day, the last write of the day winning', async () => {
      await ledger.open(plan(put), { alertId: 'a', at: MONDAY_10AM });
      await ledger.recordEquity(MONDAY_10AM);
      await ledger.mark([{ symbol: put.symbol, bid: 0.05, ask: 0.07 }], hoursLater(5));
      await ledger.recordEquity(hoursLater(5)); // 15:00 New York, same day
      await ledger.mark([{ symbol: put.symbol, bid: 0.13, ask: 0.15 }], hoursLater(24));
      await ledger.recordEquity(hoursLater(24));
      const history = await ledger.equityHistory();
      expect(history.map((p) => p.date)).toEqual(['2026-03-02', '2026-03-03']);
      expect(history[0]?.equityUsd).toBeCloseTo(8951.5 + 0.06 * 9000, 9);
      expect(history[1]?.equityUsd).toBeCloseTo(8951.5 + 0.14 * 9000, 9);
    });

    it('should measure drawdown from the running peak of the daily curve, today included', async () => {
      await ledger.open(plan(put), { alertId: 'a', at: MONDAY_10AM });
      const day = (n: number) => hoursLater(24 * n);
      // Equity 8951.5 + mid x 9,000: peak on day 1 at mid 0.20, trough on day 2 at 0.02, partial recovery today.
      for (const [n, mid] of [[0, 0.1], [1, 0.2], [2, 0.02]] as const) {
        await ledger.mark([{ symbol: put.symbol, bid: mid - 0.01, ask: mid + 0.01 }], day(n));
        await ledger.recordEquity(day(n));
      }
      await ledger.mark([{ symbol: put.symbol, bid: 0.09, ask: 0.11 }], day(3));
      const peak = 8951.5 + 0.2 * 9000;
      const s = await ledger.summary(day(3));
      expect(s.drawdown.peakUsd).toBeCloseTo(peak, 9);
      expect(s.drawdown.maxDrawdown).toBeCloseTo(1 - (8951.5 + 0.02 * 9000) / peak, 12);
      expect(s.drawdown.currentDrawdown).toBeCloseTo(1 - (8951.5 + 0.1 * 9000) / peak, 12);
      expect(await ledger.equityHistory()).toHaveLength(3); // summary does not write today's point
    });

    it('should measure drawdown from the starting $10,000, not from the first recorded point', async () => {
      await ledger.open(plan(put), { alertId: 'a', at: MONDAY_10AM });
      await ledger.recordEquity(MONDAY_10AM);
      // The first point is already down: $990 at the ask is marked at the $0.10 mid, and $58.50 went in fees.
      const first = 8951.5 + 0.1 * 9000;
      expect((await ledger.equityHistory())[0]?.equityUsd).toBeCloseTo(first, 9);
      const s = await ledger.summary(MONDAY_10AM);
      expect(s.drawdown.peakUsd).toBe(10_000);
      expect(s.drawdown.maxDrawdown).toBeCloseTo(1 - first / 10_000, 12);
      expect(s.drawdown.currentDrawdown).toBeCloseTo(1 - first / 10_000, 12);
    });

    it('should start the challenge at $10,000 needing 46.8% a month, from the first ledger day', async () => {
      const s = await ledger.summary(MONDAY_10AM);
      expect(s.challenge).toMatchObject({ startingEquityUsd: 10_000, targetEquityUsd: 1_000_000, startDate: '2026-03-02', targetDate: '2027-03-02', daysElapsed: 0, monthsLeft: 12, progress: 0, logProgress: 0 });
      expect(s.challenge.requiredMonthlyReturn).toBeCloseTo(0.4678, 4);

      await ledger.recordEquity(MONDAY_10AM); // the first operation fixes the start date
      const later = await ledger.summary(new Date('2026-04-02T15:00:00Z'));
      expect(later.challenge).toMatchObject({ startDate: '2026-03-02', daysElapsed: 31, monthsLeft: 11 });
      expect(later.challenge.requiredMonthlyReturn).toBeCloseTo(100 ** (1 / 11) - 1, 12);
    });

    it('should count open risk as what open positions cost (premium and entry commission) only', async () => {
      expect(await ledger.openRiskUsd()).toBe(0);
      await ledger.open(plan(put), { alertId: 'a', at: MONDAY_10AM });
      await ledger.open(plan(contract({ strike: 85, bid: 1, ask: 1.2 }), { contracts: 2, budgetUsd: 1300, asOf: '2026-03-03' }), { alertId: 'b', at: MONDAY_10AM });
      expect(await ledger.openRiskUsd()).toBeCloseTo(990 + 58.5 + 240 + 1.3, 9);
      await ledger.close('1', { reason: 'manual', at: MONDAY_10AM, bid: 0.09 });
      expect(await ledger.openRiskUsd()).toBeCloseTo(240 + 1.3, 9);
      expect((await ledger.summary(MONDAY_10AM)).openRiskUsd).toBeCloseTo(240 + 1.3, 9);
    });

    it('should show a restarted ledger (new instance, new connection) exactly the same state', async () => {
      await ledger.open(plan(put), { alertId: 'a', at: MONDAY_10AM });
      await ledger.open(plan(contract({ strike: 85 }), { contracts: 1, budgetUsd: 2000, asOf: '2026-03-03' }), { alertId: 'b', at: MONDAY_10AM });
      await ledger.close('2', { reason: 'manual', at: hoursLater(1), bid: 0.1 });
      await ledger.recordEquity(hoursLater(1));
      const before = { summary: await ledger.summary(hoursLater(2)), open: await ledger.openPositions(), closed: await ledger.closedPositions(), events: await ledger.events(), history: await ledger.equityHistory() };

      const restarted = new Ledger({ store: await h.another() });
      expect({ summary: await restarted.summary(hoursLater(2)), open: await restarted.openPositions(), closed: await restarted.closedPositions(), events: await restarted.events(), history: await restarted.equityHistory() }).toEqual(before);
      // ...and the restarted instance still refuses the first signal again and numbers on from 3.
      expect(await restarted.open(plan(put), { alertId: 'a', at: hoursLater(3) })).toMatchObject({ duplicate: true, position: { id: '1' } });
      expect(await restarted.open(plan(contract({ strike: 80 }), { contracts: 1, budgetUsd: 2000, asOf: '2026-03-04' }), { alertId: 'c', at: hoursLater(3) })).toMatchObject({ position: { id: '3' } });
    });

    it('should open one position when two ledger instances open the same signal at once', async () => {
      const second = new Ledger({ store: await h.another() });
      const results = await Promise.all([
        ledger.open(plan(put), { alertId: 'a', at: MONDAY_10AM }),
        second.open(plan(put), { alertId: 'a', at: MONDAY_10AM }),
        ledger.open(plan(put), { alertId: 'a', at: MONDAY_10AM }),
        second.open(plan(put), { alertId: 'a', at: MONDAY_10AM }),
      ]);
      const fresh = results.filter((r) => r.type === 'position.opened' && !r.duplicate);
      expect(fresh).toHaveLength(1);
      expect(new Set(results.map((r) => (r.type === 'position.opened' ? r.position.id : r.type)))).toEqual(new Set(['1']));
      expect(await ledger.openPositions()).toHaveLength(1);
      expect((await second.summary(MONDAY_10AM)).cashUsd).toBeCloseTo(8951.5, 9);
      expect(await second.events()).toHaveLength(1);
    });

    it('should close a position once when a rule and an admin race for it', async () => {
      await ledger.open(plan(put), { alertId: 'a', at: MONDAY_10AM });
      const second = new Ledger({ store: await h.another() });
      const [a, b] = await Promise.all([
        ledger.close('1', { reason: 'take-profit', at: MONDAY_10AM, bid: 0.3 }),
        second.closeAtMarket('1', new FakeMarket().list(contract({ bid: 0.29, ask: 0.31 })), MONDAY_10AM),
      ]);
      expect([a, b].filter(Boolean)).toHaveLength(1);
      expect(await ledger.closedPositions()).toHaveLength(1);
      const { cashUsd } = await ledger.summary(MONDAY_10AM);
      const exit = (await ledger.closedPositions())[0]?.exit;
      expect(cashUsd).toBeCloseTo(8951.5 + (exit?.proceedsUsd ?? 0) - 58.5, 9);
    });
  });
}
