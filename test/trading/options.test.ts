import { PICK } from '../support/defaults.ts';
import { describe, expect, it } from 'vitest';
import type { Signal } from '../../src/core/types.ts';
import type { OptionChain, OptionContract } from '../../src/market/types.ts';
import { daysToExpiry, pickContract, pickExpiry, SPOT_FROM_SIGNAL_NOTE } from '../../src/trading/options.ts';

const d = (s: string) => new Date(`${s}T00:00:00Z`);
const asOf = d('2026-11-24'); // a Tuesday
const signal: Signal = { symbol: 'NFLX', side: 'SHORT', zScore: -2.5, sigma: 0.02, dailyReturn: -0.05, price: 100, asOf, strategy: 'volatility-breakout' };
const contract = (strike: number, bid: number, ask: number, over: Partial<OptionContract> = {}): OptionContract => ({
  symbol: `NFLX261127P${String(strike * 1000).padStart(8, '0')}`, underlying: 'NFLX', right: 'put', strike, expiry: d('2026-11-27'),
  bid, ask, last: ask, volume: 10, openInterest: 100, impliedVol: 0.5, modeled: false, ...over,
});
const chain = (puts: OptionContract[], expiry = d('2026-11-27')): OptionChain => ({
  underlying: 'NFLX', underlyingPrice: 100, expiries: [expiry], expiry, calls: [], puts, modeled: false, asOf,
});

describe('pickExpiry', () => {
  it('should take the nearest expiry at least minDays away', () => {
    const expiries = [d('2026-11-25'), d('2026-11-27'), d('2026-12-04')];
    expect(pickExpiry(expiries, asOf, 2)).toEqual(d('2026-11-27'));
    expect(pickExpiry(expiries, asOf, 1)).toEqual(d('2026-11-25'));
    expect(pickExpiry(expiries, asOf, 4)).toEqual(d('2026-12-04'));
    expect(pickExpiry(expiries, asOf, 30)).toBeNull();
    expect(daysToExpiry(d('2026-11-27'), asOf)).toBe(3);
  });
});

describe('pickContract', () => {
  it('should pick the put whose |delta| is nearest the target', () => {
    const puts = [contract(90, 0.1, 0.12), contract(95, 0.6, 0.65), contract(98, 1.5, 1.6), contract(100, 2.4, 2.5)];
    const pick = pickContract(signal, chain(puts), asOf, PICK);
    // S=100, 3 days, 50% vol: the 98 put has delta -0.32, the 95 put -0.13.
    expect(pick.contract?.strike).toBe(98);
    if (pick.contract) expect(pick.delta).toBeCloseTo(-0.32, 2);
  });

  it('should pick a call for a LONG signal', () => {
    const calls = [contract(105, 0.6, 0.65, { right: 'call' }), contract(100, 2.4, 2.5, { right: 'call' })];
    const c = { ...chain([]), calls };
    const pick = pickContract({ ...signal, side: 'LONG' }, c, asOf, PICK);
    expect(pick.contract?.right).toBe('call');
    expect(pick.contract?.strike).toBe(105);
  });

  it('should skip stale quotes (ask below bid, or below intrinsic) and say so', () => {
    const puts = [contract(95, 0.7, 0.6), contract(120, 15, 16), contract(97, 1.0, 1.1)];
    const pick = pickContract(signal, chain(puts), asOf, PICK);
    expect(pick.contract?.strike).toBe(97);
    expect(pick.notes).toEqual(['skipped 2 puts: stale quote (ask below bid or below intrinsic value)']);
  });

  it('should skip no-bid, zero open interest and wide-spread contracts', () => {
    const puts = [contract(95, 0, 0.05), contract(96, 0.5, 0.6, { openInterest: 0 }), contract(97, 0.2, 1.0)];
    const pick = pickContract(signal, chain(puts), asOf, PICK);
    expect(pick.contract).toBeNull();
    if (!pick.contract) expect(pick.reason).toBe('no tradable put on 2026-11-27 (1 no bid, 1 no open interest, 1 spread too wide)');
  });

  it('should recover a missing implied volatility from the mid', () => {
    const pick = pickContract(signal, chain([contract(95, 0.6, 0.65, { impliedVol: Number.NaN })]), asOf, PICK);
    expect(pick.contract?.strike).toBe(95);
  });

  describe('when the chain had only the previous close', () => {
    // Yesterday closed at 110; today's breakout bar (the signal) closed at 100. The 105 put's ask of 3 is below
    // its intrinsic value at 100 (5), a stale quote that only the right spot exposes.
    const puts = [contract(90, 0.1, 0.12), contract(95, 0.6, 0.65), contract(98, 1.5, 1.6), contract(100, 2.4, 2.5), contract(105, 2.8, 3)];
    const stale = (source?: OptionChain['underlyingPriceSource']): OptionChain => ({
      ...chain(puts),
      underlyingPrice: 110,
      ...(source ? { underlyingPriceSource: source } : {}),
    });

    it('should price deltas and the intrinsic check at the signal bar, and say so', () => {
      const pick = pickContract(signal, stale('previous-close'), asOf, PICK);
      // The same pick as with spot 100: the 98 put (delta -0.32), the stale 105 put skipped.
      expect(pick.contract?.strike).toBe(98);
      if (pick.contract) expect(pick.delta).toBeCloseTo(-0.32, 2);
      expect(pick.notes).toEqual([SPOT_FROM_SIGNAL_NOTE, 'skipped 1 put: stale quote (ask below bid or below intrinsic value)']);
      expect(SPOT_FROM_SIGNAL_NOTE).toBe('spot from the signal bar, the chain had only the previous close');
    });

    it('should keep the note when nothing is tradable', () => {
      const c = { ...stale('previous-close'), puts: [contract(95, 0, 0.05)] };
      const pick = pickContract(signal, c, asOf, PICK);
      expect(pick.contract).toBeNull();
      expect(pick.notes).toEqual([SPOT_FROM_SIGNAL_NOTE]);
    });

    it.each(['quote', 'last-trade', undefined] as const)('should trust the chain price when its source is %s', (source) => {
      // Spot 110, as the chain says: the 105 put (out of the money there) is nearest 0.30 delta, with no note.
      const pick = pickContract(signal, stale(source), asOf, PICK);
      expect(pick.contract?.strike).toBe(105);
      expect(pick.notes).toEqual([]);
    });

    it('should add no note when the previous close equals the signal price', () => {
      const pick = pickContract(signal, { ...stale('previous-close'), underlyingPrice: 100 }, asOf, PICK);
      expect(pick.contract?.strike).toBe(98);
      expect(pick.notes).toEqual(['skipped 1 put: stale quote (ask below bid or below intrinsic value)']);
    });
  });

  it('should refuse an expiry closer than minDaysToExpiry', () => {
    const pick = pickContract(signal, chain([contract(95, 0.6, 0.65)], d('2026-11-25')), asOf, PICK);
    expect(pick.contract).toBeNull();
    if (!pick.contract) expect(pick.reason).toBe('nearest expiry is 1 day(s) away, needs >= 2');
  });
});
