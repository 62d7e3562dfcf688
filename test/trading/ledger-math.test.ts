import { commissionUsd, FLAT_IB_FEES, LEAN_IB_OPTION_FEES } from '../../src/trading/fees.ts';
import { describe, expect, it } from 'vitest';
import {
  addMonths, challengeProgress, DEFAULT_LEDGER_CONFIG, drawdownOf, drawdownRecoveryDays, exitRuleFor,
  intrinsicValueUsd, monthsBetween, signalKeyOf, summarize, twoSidedMid,
  upsertEquityPoint,
} from '../../src/trading/ledger/math.ts';
import type { Book, PaperPosition } from '../../src/trading/ledger/types.ts';
import { vectors } from '../analysis/vectors.ts';
import { contract, plan } from './ledger-support.ts';

type FeeCase = { contracts: number; premium: number; fee: number };
type RecoveryCase = { equity: number[]; days: number };

/** Equity from 100 compounded by percentage returns (a leading null is the first period, with no return). */
const equityFromReturnsPct = (returnsPct: (number | null)[]): number[] => {
  let e = 100;
  return returnsPct.map((r) => (e *= 1 + (r ?? 0) / 100));
};

describe('commissions', () => {
  it('should charge $0.65 a contract: 90 contracts cost $58.50', () => {
    expect(commissionUsd(90, 0.11, FLAT_IB_FEES)).toBeCloseTo(58.5, 10);
  });

  it('should charge the $1 minimum for one contract', () => {
    expect(commissionUsd(1, 4.2, FLAT_IB_FEES)).toBe(1);
  });

  it('should charge nothing for no contracts (settlement at expiry is free)', () => {
    expect(commissionUsd(0, 1, FLAT_IB_FEES)).toBe(0);
  });

  it.each(vectors.fees.ib_us_equity_options_lean_model.cases as FeeCase[])(
    'should match LEAN IB fee model with its premium tiers: $contracts contracts at $premium -> $fee',
    ({ contracts, premium, fee }) => {
      expect(commissionUsd(contracts, premium, LEAN_IB_OPTION_FEES)).toBeCloseTo(fee, 10);
    },
  );
});

describe('prices', () => {
  it('should value an option at intrinsic: call S-K, put K-S, never below 0', () => {
    expect(intrinsicValueUsd('call', 100, 104.5)).toBeCloseTo(4.5, 10);
    expect(intrinsicValueUsd('put', 100, 97)).toBe(3);
    expect(intrinsicValueUsd('put', 100, 101)).toBe(0);
    expect(intrinsicValueUsd('call', 100, 100)).toBe(0);
  });

  it('should take the mid only of a two-sided, uncrossed quote', () => {
    expect(twoSidedMid(0.09, 0.11)).toBeCloseTo(0.1, 12);
    expect(twoSidedMid(0, 0.05)).toBeNull();
    expect(twoSidedMid(0, 0)).toBeNull();
    expect(twoSidedMid(0.2, 0.1)).toBeNull();
    expect(twoSidedMid(Number.NaN, 0.1)).toBeNull();
  });

  it('should key a signal by symbol, side and signal date, whatever contract it picked', () => {
    expect(signalKeyOf(plan())).toBe('NFLX|SHORT|2026-03-02');
    expect(signalKeyOf(plan(contract({ strike: 85 })))).toBe('NFLX|SHORT|2026-03-02');
    expect(signalKeyOf(plan(contract(), { asOf: '2026-03-03' }))).toBe('NFLX|SHORT|2026-03-03');
    expect(signalKeyOf(plan(contract({ right: 'call' })))).toBe('NFLX|LONG|2026-03-02');
  });
});

describe('exit rules', () => {
  const at = (markPriceUsd: number, markNote?: string) =>
    ({ entryPriceUsd: 0.11, markPriceUsd, ...(markNote ? { markNote } : {}) }) as PaperPosition;
  const rules = { takeProfitPct: 100, stopLossPct: 50 };

  it('should take profit when the mark has doubled, even with float noise (0.22 / 0.11)', () => {
    expect(exitRuleFor(at(0.22), rules)).toBe('take-profit');
    expect(exitRuleFor(at(0.2199), rules)).toBeNull();
  });

  it('should stop out when the mark has halved', () => {
    expect(exitRuleFor(at(0.055), rules)).toBe('stop-loss');
    expect(exitRuleFor(at(0.0551), rules)).toBeNull();
  });

  it('should ignore stale marks and disabled rules', () => {
    expect(exitRuleFor(at(0.5, 'no quote'), rules)).toBeNull();
    expect(exitRuleFor(at(0.5), { takeProfitPct: null, stopLossPct: null })).toBeNull();
  });
});

describe('drawdown', () => {
  it('should match empyrical max drawdown on its mixed returns vector (-10%, reported positive)', () => {
    const m = vectors.performance_metrics.empyrical_mixed_returns;
    const dd = drawdownOf(equityFromReturnsPct(m.returns_pct));
    expect(dd.maxDrawdown).toBeCloseTo(-m.expected.max_drawdown, 12);
    expect(dd.currentDrawdown).toBeCloseTo(0.1, 12); // the -10% is the last period: still in it
  });

  it('should match empyrical max drawdown on [+10%, -10%, +10%]', () => {
    const v = vectors.performance_metrics.empyrical_other[0];
    expect(drawdownOf(equityFromReturnsPct(v.returns_pct)).maxDrawdown).toBeCloseTo(-v.max_drawdown, 12);
  });

  it('should report no drawdown for a rising or empty curve', () => {
    expect(drawdownOf([100, 101, 105])).toEqual({ maxDrawdown: 0, currentDrawdown: 0, peakUsd: 105 });
    expect(drawdownOf([])).toEqual({ maxDrawdown: 0, currentDrawdown: 0, peakUsd: 0 });
  });

  it.each(vectors.performance_metrics.lean_drawdown_recovery_days.cases as RecoveryCase[])(
    'should match LEAN drawdown recovery days for $equity -> $days',
    ({ equity, days }) => {
      expect(drawdownRecoveryDays(equity)).toBe(days);
    },
  );

  it('should start the account curve at the starting equity: $10,000 -> $9,500 -> $9,000 is 10%, not 5.3%', () => {
    const book: Book = { version: 1, cashUsd: 9000, startingEquityUsd: 10_000, startDate: '2026-03-02', nextId: 1, realizedPnlUsd: -1000, feesUsd: 0, open: [] };
    const history = [{ date: '2026-03-02', equityUsd: 9500, cashUsd: 9500, at: '2026-03-02T21:00:00Z' }];
    const s = summarize(book, history, new Date('2026-03-03T21:00:00Z'), '2026-03-03', DEFAULT_LEDGER_CONFIG);
    expect(s.drawdown.peakUsd).toBe(10_000);
    expect(s.drawdown.maxDrawdown).toBeCloseTo(0.1, 12);
    expect(s.drawdown.currentDrawdown).toBeCloseTo(0.1, 12);
    // The pure function on the recorded points alone is what the report used to show.
    expect(drawdownOf([9500, 9000]).maxDrawdown).toBeCloseTo(1 - 9000 / 9500, 12);
  });

  it('should keep one equity point per date, the later write winning', () => {
    const p = (date: string, equityUsd: number) => ({ date, equityUsd, cashUsd: 0, at: `${date}T20:00:00Z` });
    const curve = upsertEquityPoint(upsertEquityPoint([p('2026-03-03', 1), p('2026-03-02', 2)], p('2026-03-03', 3)), p('2026-03-04', 4));
    expect(curve.map((x) => [x.date, x.equityUsd])).toEqual([['2026-03-02', 2], ['2026-03-03', 3], ['2026-03-04', 4]]);
  });
});

describe('challenge', () => {
  const base = { startingEquityUsd: 10_000, targetEquityUsd: 1_000_000, targetMonths: 12, startDate: '2026-03-02' };

  it("should need 46.8% a month at the start: the seed's \"47% monthly\" is 100^(1/12) - 1", () => {
    const c = challengeProgress({ ...base, date: '2026-03-02', equityUsd: 10_000 });
    expect(c.monthsLeft).toBe(12);
    expect(c.requiredMonthlyReturn).toBeCloseTo(100 ** (1 / 12) - 1, 12);
    expect(c.requiredMonthlyReturn).toBeCloseTo(0.468, 3);
    expect(c).toMatchObject({ targetDate: '2027-03-02', daysElapsed: 0, progress: 0, logProgress: 0 });
  });

  it('should show $100k as 9.1% of the way linearly but halfway on the log scale', () => {
    const c = challengeProgress({ ...base, date: '2026-09-02', equityUsd: 100_000 });
    expect(c.progress).toBeCloseTo(90_000 / 990_000, 12);
    expect(c.logProgress).toBeCloseTo(0.5, 12);
    expect(c.monthsLeft).toBe(6);
    expect(c.requiredMonthlyReturn).toBeCloseTo(10 ** (1 / 6) - 1, 12);
    expect(c.daysElapsed).toBe(184);
  });

  it('should need nothing once reached and have no answer after the target date or with no equity', () => {
    expect(challengeProgress({ ...base, date: '2026-05-01', equityUsd: 1_200_000 }).requiredMonthlyReturn).toBe(0);
    expect(challengeProgress({ ...base, date: '2027-03-03', equityUsd: 50_000 }).requiredMonthlyReturn).toBeNull();
    expect(challengeProgress({ ...base, date: '2026-05-01', equityUsd: 0 }).requiredMonthlyReturn).toBeNull();
  });

  it('should count calendar months, clamping month ends', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2026-03-02', 12)).toBe('2027-03-02');
    expect(monthsBetween('2026-03-02', '2026-03-17')).toBeCloseTo(15 / 31, 12);
    expect(monthsBetween('2026-04-02', '2026-03-02')).toBe(-1);
  });
});
