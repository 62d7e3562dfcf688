import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserInputError } from '../../src/core/errors.ts';
import type { Store } from '../../src/store/store.ts';
import { Ledger } from '../../src/trading/ledger/ledger.ts';
import type { PositionEvent } from '../../src/trading/ledger/types.ts';
import { bar, contract, FakeMarket, FRIDAY, MONDAY_10AM, plan, STORE_CASES } from './ledger-support.ts';

const put = contract(); // NFLX Mar 6 $90 put, 0.09 / 0.11
const opened = (e: Awaited<ReturnType<Ledger['open']>>): PositionEvent => {
  if (e.type === 'open.skipped') throw new Error(`expected an open, got: ${e.reason}`);
  return e;
};

for (const c of STORE_CASES) {
  describe.skipIf(c.skip)(`paper ledger trades on ${c.name}`, () => {
    let h: Awaited<ReturnType<typeof c.make>>;
    let store: Store;
    let ledger: Ledger;
    beforeEach(async () => {
      h = await c.make();
      store = h.store;
      ledger = new Ledger({ store });
    });
    afterEach(async () => h.cleanup());

    it('should open at the ask with $0.65 a contract: 90 x $0.11 = $990 + $58.50 out of cash', async () => {
      const e = opened(await ledger.open(plan(put), { alertId: 'trade:NFLX:a1', at: MONDAY_10AM }));
      expect(e.type).toBe('position.opened');
      expect(e.position).toMatchObject({ id: '1', contracts: 90, entryPriceUsd: 0.11, entryCommissionUsd: 58.5, status: 'open', alertId: 'trade:NFLX:a1', expiryDate: FRIDAY });
      expect(e.position.costUsd).toBeCloseTo(990, 9);
      expect(e.position.markPriceUsd).toBeCloseTo(0.1, 12); // valued at the mid right away
      expect(e.pnlUsd).toBe(-58.5);
      expect(e.cashUsd).toBeCloseTo(10_000 - 990 - 58.5, 9);
      expect(await ledger.openRiskUsd()).toBeCloseTo(990 + 58.5, 9); // premium and the commission paid for it
    });

    it('should charge the $1 minimum on a one-contract order', async () => {
      const e = opened(await ledger.open(plan(contract({ bid: 4.0, ask: 4.2 }), { contracts: 1 }), { alertId: 'a', at: MONDAY_10AM }));
      expect(e.position.entryCommissionUsd).toBe(1);
      expect(e.cashUsd).toBeCloseTo(10_000 - 420 - 1, 9);
    });

    it('should return the same position for the same signal and charge nothing twice', async () => {
      const first = opened(await ledger.open(plan(put), { alertId: 'a', at: MONDAY_10AM }));
      const again = opened(await ledger.open(plan(put), { alertId: 'a', at: new Date(MONDAY_10AM.getTime() + 1800_000) }));
      expect(again.duplicate).toBe(true);
      expect(again.position.id).toBe(first.position.id);
      expect(await ledger.openPositions()).toHaveLength(1);
      expect((await ledger.summary(MONDAY_10AM)).cashUsd).toBeCloseTo(first.cashUsd, 9);
      expect((await ledger.events()).map((x) => x.type)).toEqual(['position.opened']);
    });

    it('should treat the same signal with another contract (the strike moved) as a duplicate', async () => {
      const first = opened(await ledger.open(plan(put), { alertId: 'a', at: MONDAY_10AM }));
      const moved = contract({ strike: 85, bid: 0.05, ask: 0.07 });
      const again = opened(await ledger.open(plan(moved, { budgetUsd: 2000 }), { alertId: 'a2', at: new Date(MONDAY_10AM.getTime() + 1800_000) }));
      expect(again).toMatchObject({ duplicate: true, position: { id: first.position.id, contractSymbol: put.symbol, status: 'open' } });
      expect(await ledger.openPositions()).toHaveLength(1);
      expect((await ledger.summary(MONDAY_10AM)).cashUsd).toBeCloseTo(first.cashUsd, 9);
    });

    it('should not reopen a signal whose position already closed the same day', async () => {
      opened(await ledger.open(plan(put), { alertId: 'a', at: MONDAY_10AM }));
      const exit = await ledger.close('1', { reason: 'take-profit', at: new Date(MONDAY_10AM.getTime() + 3600_000), bid: 0.25 });
      const cashAfterExit = exit?.cashUsd ?? Number.NaN;
      const later = new Date(MONDAY_10AM.getTime() + 7200_000);
      const again = opened(await ledger.open(plan(contract({ strike: 88 }), { budgetUsd: 2000 }), { alertId: 'a', at: later }));
      expect(again).toMatchObject({ duplicate: true, position: { id: '1', status: 'closed', exit: { reason: 'take-profit' } } });
      expect(await ledger.openPositions()).toEqual([]);
      expect((await ledger.summary(later)).cashUsd).toBeCloseTo(cashAfterExit, 9);
      expect((await ledger.events()).map((e) => e.type)).toEqual(['position.opened', 'position.closed']);
    });

    it('should open a new position for the same symbol and side on another signal date', async () => {
      opened(await ledger.open(plan(put), { alertId: 'a', at: MONDAY_10AM }));
      const next = opened(await ledger.open(plan(put, { asOf: '2026-03-03', budgetUsd: 2200 }), { alertId: 'b', at: new Date('2026-03-03T15:00:00Z') }));
      expect(next.duplicate).toBeUndefined();
      expect(next.position).toMatchObject({ id: '2', signalKey: 'NFLX|SHORT|2026-03-03' });
      expect((await ledger.openPositions()).map((p) => p.signalKey)).toEqual(['NFLX|SHORT|2026-03-02', 'NFLX|SHORT|2026-03-03']);
    });

    it('should ignore a REJECTED plan', async () => {
      const e = await ledger.open(plan(put, { status: 'REJECTED' }), { alertId: 'a', at: MONDAY_10AM });
      expect(e).toEqual({ type: 'open.skipped', reason: 'plan REJECTED: 1 contract costs $1,240 > $1,000 risk cap', alertId: 'a' });
      expect(await ledger.openPositions()).toEqual([]);
    });

    it('should skip a plan sized before another position took its budget, and one cash cannot pay for', async () => {
      opened(await ledger.open(plan(put), { alertId: 'a', at: MONDAY_10AM }));
      const call = contract({ right: 'call', strike: 100 });
      const stale = await ledger.open(plan(call), { alertId: 'b', at: MONDAY_10AM });
      expect(stale).toMatchObject({ type: 'open.skipped', reason: 'open risk $1,048.50 + $1,048.50 would exceed the $1,048.50 budget' });
      const tooDear = await ledger.open(plan(contract({ ask: 11, bid: 10.5, strike: 95 }), { contracts: 9, budgetUsd: 1e9, asOf: '2026-03-03' }), { alertId: 'c', at: MONDAY_10AM });
      expect(tooDear).toMatchObject({ type: 'open.skipped', reason: '$9,905.85 with commission exceeds $8,951.50 cash' });
      expect(await ledger.openPositions()).toHaveLength(1);
    });

    it('should mark at the mid, and keep the last mark with the reason when a quote is missing', async () => {
      const a = opened(await ledger.open(plan(put), { alertId: 'a', at: MONDAY_10AM }));
      const other = contract({ strike: 85, bid: 0.05, ask: 0.07 });
      const b = opened(await ledger.open(plan(other, { contracts: 1, budgetUsd: 2000, asOf: '2026-03-03' }), { alertId: 'b', at: MONDAY_10AM }));
      const later = new Date(MONDAY_10AM.getTime() + 3600_000);
      const report = await ledger.mark([{ symbol: put.symbol, bid: 0.15, ask: 0.17 }, { symbol: other.symbol, bid: 0, ask: 0.02 }], later);
      expect(report.marked).toEqual([a.position.id]);
      expect(report.stale).toEqual([{ positionId: b.position.id, contractSymbol: other.symbol, reason: 'no two-sided quote (bid 0, ask 0.02); kept the $0.06 mark of 2026-03-02 15:00 UTC' }]);
      const [pa, pb] = await ledger.openPositions();
      expect(pa).toMatchObject({ markPriceUsd: 0.16, markBidUsd: 0.15, markedAt: later.toISOString() });
      expect(pa?.markNote).toBeUndefined();
      expect(pb?.markPriceUsd).toBeCloseTo(0.06, 12);
      const summary = await ledger.summary(later);
      expect(summary.equityUsd).toBeCloseTo(summary.cashUsd + 0.16 * 100 * 90 + 0.06 * 100, 9);
      expect(summary.staleMarks).toBe(1);
    });

    it('should fetch one chain per underlying and expiry in markAll and report a failed chain per position', async () => {
      const market = new FakeMarket().list(contract({ bid: 0.1, ask: 0.12 }), contract({ strike: 85, bid: 0.04, ask: 0.06 }));
      opened(await ledger.open(plan(put), { alertId: 'a', at: MONDAY_10AM }));
      opened(await ledger.open(plan(contract({ strike: 85, bid: 0.05, ask: 0.07 }), { contracts: 1, budgetUsd: 2000, asOf: '2026-03-03' }), { alertId: 'b', at: MONDAY_10AM }));
      const report = await ledger.markAll(market, MONDAY_10AM);
      expect(market.calls).toEqual([`chain NFLX ${FRIDAY}`]);
      expect(report.marked).toEqual(['1', '2']);

      market.failing.add('NFLX');
      const failed = await ledger.markAll(market, MONDAY_10AM);
      expect(failed.stale.map((s) => s.reason)).toEqual([
        'option chain failed: NFLX chain: HTTP 503; kept the $0.11 mark of 2026-03-02 15:00 UTC',
        'option chain failed: NFLX chain: HTTP 503; kept the $0.05 mark of 2026-03-02 15:00 UTC',
      ]);
    });

    it('should take profit at the bid once the mid has doubled', async () => {
      opened(await ledger.open(plan(put), { alertId: 'trade:a', at: MONDAY_10AM }));
      const market = new FakeMarket().list(contract({ bid: 0.21, ask: 0.25 }));
      const report = await ledger.markAll(market, MONDAY_10AM);
      const [e] = report.events;
      expect(e).toMatchObject({ type: 'position.closed', alertId: 'trade:a', position: { status: 'closed', exit: { reason: 'take-profit', priceUsd: 0.21, commissionUsd: 58.5 } } });
      // 90 x $0.21 x 100 = $1,890 - $58.50, against $990 + $58.50 paid.
      expect(e?.pnlUsd).toBeCloseTo(1890 - 58.5 - 990 - 58.5, 9);
      expect(e?.cashUsd).toBeCloseTo(10_000 - 990 - 58.5 + 1890 - 58.5, 9);
      expect(await ledger.openPositions()).toEqual([]);
      expect(await ledger.openRiskUsd()).toBe(0);
      expect((await ledger.closedPositions()).map((p) => p.id)).toEqual(['1']);
    });

    it('should stop out at the bid once the mid has halved', async () => {
      opened(await ledger.open(plan(put), { alertId: 'a', at: MONDAY_10AM }));
      const report = await ledger.markAll(new FakeMarket().list(contract({ bid: 0.04, ask: 0.06 })), MONDAY_10AM);
      expect(report.events.map((e) => [e.type, e.position.exit?.reason])).toEqual([['position.stopped', 'stop-loss']]);
      expect(report.events[0]?.pnlUsd).toBeCloseTo(360 - 58.5 - 1048.5, 9);
    });

    it('should settle in the money at intrinsic value from the expiry-day close, without commission', async () => {
      opened(await ledger.open(plan(put), { alertId: 'a', at: MONDAY_10AM }));
      const market = new FakeMarket();
      market.bars.set('NFLX', [bar('2026-03-05', 91), bar(FRIDAY, 89.5), bar('2026-03-09', 80)]);
      const { events, unsettled } = await ledger.settleExpired(market, new Date('2026-03-09T15:00:00Z'));
      expect(unsettled).toEqual([]);
      expect(events[0]).toMatchObject({ type: 'position.expired', position: { status: 'expired', exit: { reason: 'expiry', priceUsd: 0.5, proceedsUsd: 4500, commissionUsd: 0, underlyingCloseUsd: 89.5 } } });
      expect(events[0]?.reason).toBe('expired in the money: NFLX closed $89.50, $0.50 intrinsic');
      expect(events[0]?.pnlUsd).toBeCloseTo(4500 - 1048.5, 9);
    });

    it('should settle out of the money at zero, only after the expiry-day close', async () => {
      opened(await ledger.open(plan(put), { alertId: 'a', at: MONDAY_10AM }));
      const market = new FakeMarket();
      market.bars.set('NFLX', [bar('2026-03-05', 91)]); // the feed has no Friday bar yet
      market.quotes.set('NFLX', { price: 92, time: new Date('2026-03-06T21:00:00Z') }); // 16:00 New York
      expect((await ledger.settleExpired(market, new Date('2026-03-06T20:00:00Z'))).events).toEqual([]); // 15:00 New York
      const { events } = await ledger.settleExpired(market, new Date('2026-03-06T21:30:00Z')); // 16:30
      expect(events[0]).toMatchObject({ type: 'position.expired', pnlUsd: -1048.5, reason: 'expired worthless: NFLX closed $92.00' });
      expect((await ledger.summary(new Date('2026-03-06T21:30:00Z'))).cashUsd).toBeCloseTo(8951.5, 9);
    });

    it('should leave an expired position open, and say why, when the close is unknown', async () => {
      opened(await ledger.open(plan(put), { alertId: 'a', at: MONDAY_10AM }));
      const { events, unsettled } = await ledger.settleExpired(new FakeMarket(), new Date('2026-03-09T15:00:00Z'));
      expect(events).toEqual([]);
      expect(unsettled).toEqual([{ positionId: '1', reason: 'awaiting the expiry-day close: NFLX bars failed: no bars for NFLX' }]);
    });

    it('should not settle at the close before a missing expiry-day bar, but wait for it with a stale mark', async () => {
      opened(await ledger.open(plan(put), { alertId: 'a', at: MONDAY_10AM }));
      const market = new FakeMarket().list(contract({ bid: 0.5, ask: 0.6 })); // a chain still answering would be no mark
      market.bars.set('NFLX', [bar('2026-03-04', 95), bar('2026-03-05', 91), bar('2026-03-09', 80)]); // no Friday bar
      const monday = new Date('2026-03-09T15:00:00Z');
      const cycle = await ledger.update(market, monday);
      const reason = 'awaiting the expiry-day close: no NFLX bar for 2026-03-06 yet';
      expect(cycle.events).toEqual([]);
      expect(cycle.unsettled).toEqual([{ positionId: '1', reason }]);
      // The marking pass leaves a position due for settlement alone, so the note survives it.
      expect(cycle.marked).toEqual([]);
      expect(market.calls.filter((call) => call.startsWith('chain'))).toEqual([]);
      const [waiting] = await ledger.openPositions();
      expect(waiting?.markNote).toBe(`${reason}; kept the $0.10 mark of 2026-03-02 15:00 UTC`);
      expect(waiting?.markPriceUsd).toBeCloseTo(0.1, 12);
      expect(cycle.summary.staleMarks).toBe(1);

      market.bars.set('NFLX', [bar('2026-03-05', 91), bar(FRIDAY, 89.5), bar('2026-03-09', 80)]); // the gap filled
      const { events, unsettled } = await ledger.settleExpired(market, new Date('2026-03-10T15:00:00Z'));
      expect(unsettled).toEqual([]);
      expect(events[0]).toMatchObject({ type: 'position.expired', position: { exit: { priceUsd: 0.5, underlyingCloseUsd: 89.5 } } });
      expect(events[0]?.position.markNote).toBeUndefined();
      expect(await ledger.openPositions()).toEqual([]);
    });

    it('should settle on the expiry day only at a quote of that day', async () => {
      opened(await ledger.open(plan(put), { alertId: 'a', at: MONDAY_10AM }));
      const market = new FakeMarket();
      market.bars.set('NFLX', [bar('2026-03-05', 91)]);
      market.quotes.set('NFLX', { price: 91, time: new Date('2026-03-05T21:00:00Z') }); // Thursday's, the feed lags
      const evening = new Date('2026-03-06T22:00:00Z'); // 17:00 New York on the expiry day
      expect(await ledger.settleExpired(market, evening)).toEqual({
        events: [],
        unsettled: [{ positionId: '1', reason: 'awaiting the expiry-day close: the NFLX quote of 2026-03-05T21:00:00.000Z is not from 2026-03-06' }],
      });
      market.quotes.set('NFLX', { price: 88, time: new Date('2026-03-06T21:00:00Z') });
      const { events } = await ledger.settleExpired(market, new Date('2026-03-06T22:30:00Z'));
      expect(events[0]).toMatchObject({ position: { exit: { priceUsd: 2, underlyingCloseUsd: 88 } } });
    });

    it('should settle a weekly moved to Thursday by a Friday holiday at the Thursday close', async () => {
      // Good Friday 2026-04-03: the week's expiry is listed on Thursday 2026-04-02.
      const thursday = contract({ expiry: new Date('2026-04-02T00:00:00Z') });
      opened(await ledger.open(plan(thursday, { asOf: '2026-03-30' }), { alertId: 'a', at: new Date('2026-03-30T14:00:00Z') }));
      const market = new FakeMarket();
      market.bars.set('NFLX', [bar('2026-04-01', 92), bar('2026-04-02', 87), bar('2026-04-06', 85)]);
      const { events } = await ledger.settleExpired(market, new Date('2026-04-06T15:00:00Z'));
      expect(events[0]).toMatchObject({ position: { expiryDate: '2026-04-02', exit: { priceUsd: 3, underlyingCloseUsd: 87 } } });
    });

    it('should close by hand at the current bid once, and refuse a position with no bid', async () => {
      opened(await ledger.open(plan(put), { alertId: 'a', at: MONDAY_10AM }));
      const market = new FakeMarket().list(contract({ bid: 0.12, ask: 0.14 }));
      const e = await ledger.closeAtMarket('#1', market, MONDAY_10AM);
      expect(e).toMatchObject({ type: 'position.closed', position: { exit: { reason: 'manual', priceUsd: 0.12 } } });
      expect(await ledger.closeAtMarket('1', market, MONDAY_10AM)).toBeNull();
      expect(await ledger.close('1', { reason: 'manual', at: MONDAY_10AM, bid: 0.5 })).toBeNull();

      opened(await ledger.open(plan(contract({ strike: 80 }), { budgetUsd: 2000, asOf: '2026-03-03' }), { alertId: 'b', at: MONDAY_10AM }));
      market.list(contract({ strike: 80, bid: 0, ask: 0.01 }));
      await expect(ledger.closeAtMarket('2', market, MONDAY_10AM)).rejects.toThrow(UserInputError);
      await expect(ledger.closeAtMarket('2', market, MONDAY_10AM)).rejects.toThrow('Position #2 has no bid to sell into (bid 0, ask 0.01); it settles at expiry.');
    });

    it('should journal every new event once, and none for a duplicate open', async () => {
      opened(await ledger.open(plan(put), { alertId: 'a', at: MONDAY_10AM }));
      opened(await ledger.open(plan(put), { alertId: 'a', at: MONDAY_10AM })); // duplicate: not an event
      await ledger.close('1', { reason: 'manual', at: new Date('2026-03-03T15:00:00Z'), bid: 0.1 });
      expect((await ledger.events()).map((e) => e.type)).toEqual(['position.opened', 'position.closed']);
      expect((await ledger.events({ sinceDate: '2026-03-03' })).map((e) => e.type)).toEqual(['position.closed']);
    });
  });
}
