import { describe, expect, it } from 'vitest';
import { bsGreeks, bsPrice } from '../../src/analysis/black-scholes.ts';
import {
  modelOptionQuote,
  OPTION_MODEL_DEFAULTS,
  quoteFromLevel,
  realizedVolAnnual,
  smileVolAnnual,
  volLevel,
  type ContractSpec,
  type VolLevel,
} from '../../src/analysis/option-model.ts';
import {
  EARLY_CLOSE_SESSION_FRACTION,
  roundAskUpUsd,
  roundBidDownUsd,
  tickSizeUsd,
  tradingDaysToExpiry,
  tradingYears,
} from '../../src/analysis/option-quote-units.ts';

const HALF = EARLY_CLOSE_SESSION_FRACTION;

describe('tickSizeUsd', () => {
  it.each([
    [0.05, 'penny', 0.01],
    [2.99, 'penny', 0.01],
    [3.0, 'penny', 0.05],
    [25, 'penny', 0.05],
    [0.05, 'nickel', 0.05],
    [2.99, 'nickel', 0.05],
    [3.0, 'nickel', 0.1],
  ] as const)('should quote a $%s premium in a %s class in steps of $%s', (price, tickClass, tick) => {
    expect(tickSizeUsd(price, tickClass)).toBe(tick);
  });
});

describe('bid and ask rounding', () => {
  it.each([
    // price, class, bid rounded down, ask rounded up
    [1.234, 'penny', 1.23, 1.24],
    [1.23, 'penny', 1.23, 1.23],
    [0.1 + 0.2, 'nickel', 0.3, 0.3], // 0.30000000000000004 is on the grid, not above it
    [0.32, 'nickel', 0.3, 0.35],
    [2.97, 'nickel', 2.95, 3.0],
    [3.07, 'nickel', 3.0, 3.1],
    [3.02, 'penny', 3.0, 3.05],
    [-0.02, 'penny', 0, 0.01], // no bid; an ask is at least one tick
    [0, 'nickel', 0, 0.05],
  ] as const)('should round %s (%s) to bid %s and ask %s', (price, tickClass, bid, ask) => {
    expect(roundBidDownUsd(price, tickClass)).toBeCloseTo(bid, 10);
    expect(roundAskUpUsd(price, tickClass)).toBeCloseTo(ask, 10);
  });
});

describe('tradingDaysToExpiry', () => {
  it.each([
    ['2015-12-23', '2015-12-24', HALF, 'Christmas Eve closes at 13:00: half a session'],
    ['2015-12-24', '2015-12-31', 4, 'Christmas Day and the weekend are not sessions'],
    ['2015-12-23', '2016-01-08', 9 + HALF, 'New Year holiday skipped'],
    ['2013-06-28', '2013-07-20', 13 + HALF, 'a Saturday expiry counts through Friday; July 3 early, July 4 shut'],
    ['2016-01-15', '2016-01-18', 0, 'Friday to Martin Luther King Day: no session'],
    ['2016-01-15', '2016-01-19', 1, 'Friday to Tuesday after the holiday'],
    ['2016-03-24', '2016-03-25', 0, 'Good Friday is no session'],
    ['2016-01-15', '2016-01-15', 0, 'expiring at this close'],
    ['2016-01-15', '2016-01-08', 0, 'already expired'],
  ])('should count %s -> %s as %s (%s)', (asOf, expiry, days) => {
    expect(tradingDaysToExpiry(asOf, expiry)).toBeCloseTo(days, 12);
  });

  it('should turn trading days into years of 252 sessions', () => {
    expect(tradingYears(252)).toBe(1);
    expect(tradingYears(21)).toBeCloseTo(1 / 12, 12);
  });

  it('should reject a malformed date', () => {
    expect(() => tradingDaysToExpiry('2016-1-15', '2016-01-22')).toThrow(RangeError);
  });
});

describe('realizedVolAnnual and volLevel', () => {
  const steady = Array.from({ length: 25 }, (_, i) => 100 * 1.001 ** i);
  const zigzag = Array.from({ length: 21 }, (_, i) => (i % 2 === 0 ? 100 : 101));

  it('should annualise the population SD of the last N log returns', () => {
    expect(realizedVolAnnual(steady, 20)).toBeCloseTo(0, 12);
    // Returns alternate +ln(1.01) and -ln(1.01): SD = ln(1.01).
    expect(realizedVolAnnual(zigzag, 20)).toBeCloseTo(Math.log(1.01) * Math.sqrt(252), 12);
    expect(realizedVolAnnual(zigzag.slice(1), 20)).toBeNull();
  });

  it('should blend the VIX leg and realized vol in variance: ivAtm² = w·(β·VIX)² + (1-w)·RV²', () => {
    const p = OPTION_MODEL_DEFAULTS;
    const rv = realizedVolAnnual(zigzag, 20)!;
    const level = volLevel(zigzag, 16, p);
    const expected = Math.sqrt(p.vixWeight * (p.vixMultiple * 0.16) ** 2 + (1 - p.vixWeight) * rv ** 2);
    expect(level).toEqual({ ivAtmAnnual: expected, realizedVolAnnual: rv, vixClose: 16, source: 'vix+realized' });
  });

  it('should stand in fallbackVixMultiple·VIX for the realized vol of a stock with no history', () => {
    const p = OPTION_MODEL_DEFAULTS;
    const level = volLevel([32.69, 32.6], 16.86, p);
    expect(level.source).toBe('vix+fallback');
    expect(level.realizedVolAnnual).toBeNull();
    const expected = Math.sqrt(p.vixWeight * (p.vixMultiple * 0.1686) ** 2 + (1 - p.vixWeight) * (p.fallbackVixMultiple * 0.1686) ** 2);
    expect(level.ivAtmAnnual).toBeCloseTo(expected, 12);
  });

  it('should rest on realized vol alone without a VIX close, and refuse to guess with neither', () => {
    expect(volLevel(zigzag, undefined)).toMatchObject({ source: 'realized', vixClose: null });
    expect(() => volLevel([100, 101], undefined)).toThrow(/needs a VIX close or 21 closes/);
  });
});

describe('smileVolAnnual', () => {
  it('should be the ATM vol at the money, richer for puts (z < 0) and cheaper for calls, flat beyond 3 SD', () => {
    expect(smileVolAnnual(0.2, 0)).toBe(0.2);
    const zs = [-3, -2, -1, -0.5, 0, 0.5, 1, 2, 3];
    const vols = zs.map((z) => smileVolAnnual(0.2, z));
    for (let i = 1; i < vols.length; i++) expect(vols[i]!).toBeLessThan(vols[i - 1]!);
    expect(smileVolAnnual(0.2, -8)).toBe(smileVolAnnual(0.2, -3));
    expect(smileVolAnnual(0.2, 8)).toBe(smileVolAnnual(0.2, 3));
  });
});

describe('quoteFromLevel', () => {
  const level: VolLevel = { ivAtmAnnual: 0.3, realizedVolAnnual: 0.3, vixClose: 20, source: 'vix+realized' };
  const spec = (over: Partial<ContractSpec>): ContractSpec => ({
    right: 'call', spot: 500, strike: 520, asOfDate: '2016-01-04', expiryDate: '2016-02-01', rate: 0.01, tickClass: 'penny', ...over,
  });

  it('should price at the smile vol with trading-day time, bid <= fair <= ask on the tick grid', () => {
    const q = quoteFromLevel(level, spec({}));
    const days = tradingDaysToExpiry('2016-01-04', '2016-02-01');
    expect(q.tradingDaysToExpiry).toBe(days);
    const bs = { right: 'call' as const, spot: 500, strike: 520, years: days / 252, rate: 0.01, vol: q.ivAnnual };
    expect(q.fairUsd).toBeCloseTo(bsPrice(bs), 12);
    expect(q.delta).toBeCloseTo(bsGreeks(bs).delta, 12);
    expect(q.ivAnnual).toBeLessThan(0.3); // an out-of-the-money call sits on the cheap side of the skew
    expect(q.bidUsd).toBeLessThanOrEqual(q.fairUsd);
    expect(q.askUsd).toBeGreaterThanOrEqual(q.fairUsd);
    expect(q.midUsd).toBe((q.bidUsd + q.askUsd) / 2);
    const tick = tickSizeUsd(q.askUsd, 'penny');
    expect(Math.round(q.askUsd * 100) % Math.round(tick * 100)).toBe(0);
  });

  it('should widen the spread in percent as strikes go further out of the money', () => {
    const spreads = [505, 520, 540, 560, 580].map((strike) => quoteFromLevel(level, spec({ strike })).spreadPct);
    for (let i = 1; i < spreads.length; i++) expect(spreads[i]!).toBeGreaterThan(spreads[i - 1]!);
  });

  it('should widen the spread in percent as expiry nears, at a fixed strike', () => {
    const expiries = ['2016-03-04', '2016-02-05', '2016-01-22', '2016-01-08'];
    const spreads = expiries.map((expiryDate) => quoteFromLevel(level, spec({ strike: 540, expiryDate })).spreadPct);
    for (let i = 1; i < spreads.length; i++) expect(spreads[i]!).toBeGreaterThan(spreads[i - 1]!);
  });

  it('should quote cheap options at least one tick wide, so they are wide in percent', () => {
    const cheap = quoteFromLevel(level, spec({ spot: 30, strike: 36, tickClass: 'nickel' }));
    expect(cheap.askUsd - cheap.bidUsd).toBeGreaterThanOrEqual(0.05 - 1e-12);
    expect(cheap.spreadPct).toBeGreaterThan(30);
  });

  it('should give puts a negative delta and richer vol below spot', () => {
    const put = quoteFromLevel(level, spec({ right: 'put', strike: 480 }));
    expect(put.delta).toBeLessThan(0);
    expect(put.ivAnnual).toBeGreaterThan(0.3);
  });
});

describe('modelOptionQuote', () => {
  it('should model one contract from closes and the VIX, returning the level it used', () => {
    const closes = Array.from({ length: 30 }, (_, i) => 100 + (i % 3));
    const q = modelOptionQuote({ right: 'put', spot: 101, strike: 98, asOfDate: '2016-01-04', expiryDate: '2016-01-15', rate: 0.01, tickClass: 'penny', closes, vixClose: 18 });
    expect(q.level).toEqual(volLevel(closes, 18));
    expect(q).toMatchObject(quoteFromLevel(q.level, { right: 'put', spot: 101, strike: 98, asOfDate: '2016-01-04', expiryDate: '2016-01-15', rate: 0.01, tickClass: 'penny' }));
  });
});
