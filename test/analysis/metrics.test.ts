import { describe, expect, it } from 'vitest';
import {
  annualizedMeanReturn,
  annualVolatility,
  cagr,
  calmarRatio,
  downsideRisk,
  equityFromReturns,
  exposure,
  maxDrawdownOfReturns,
  perPeriodRate,
  returnsFromEquity,
  sharpeRatio,
  sortinoRatio,
  totalReturn,
} from '../../src/analysis/metrics.ts';
import { vectors } from './vectors.ts';

/** The vectors give returns in percent, with null for empyrical's NaN row. */
const fromPct = (pct: (number | null)[]): number[] => pct.map((p) => (p === null ? NaN : p / 100));

const TOL = 1e-8; // the tolerance the vector file states for the empyrical group
/** empyrical checks cumulative returns with assert_almost_equal(..., 4): |actual - expected| < 1.5e-4. */
const CUM_TOL = 1.5e-4;
const close = (actual: number | null, expected: number, tol = TOL): void => {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(tol);
};

describe('empyrical mixed returns [NaN,1,10,-4,2,3,2,1,-10]%', () => {
  const v = vectors.performance_metrics.empyrical_mixed_returns;
  const returns = fromPct(v.returns_pct);
  const e = v.expected;

  it('should annualise with 252 periods, as the vector does', () => {
    expect(v.periods_per_year).toBe(252);
  });

  it('should compound a total return of 3.893% (to 4 decimals, as empyrical checks it)', () => {
    close(totalReturn(returns), e.cum_return_final, CUM_TOL);
  });

  it('should find the max drawdown of -10%', () => {
    close(maxDrawdownOfReturns(returns), e.max_drawdown);
  });

  it('should count the NaN row as a period in CAGR (N = 9, not 8)', () => {
    close(cagr(returns), e.annual_return_cagr);
    close(cagr(returns.slice(1)), 2.3303, 1e-4); // the vector's note: N = 8 would give 2.3303
  });

  it('should annualise the sample (ddof = 1) standard deviation', () => {
    close(annualVolatility(returns), e.annual_volatility);
  });

  it('should match Sharpe, downside risk, Sortino and Calmar at a zero risk-free rate', () => {
    close(sharpeRatio(returns), e.sharpe_rf0);
    close(downsideRisk(returns), e.downside_risk_mar0);
    close(sortinoRatio(returns), e.sortino_mar0);
    close(calmarRatio(returns), e.calmar);
  });
});

describe('empyrical other return series', () => {
  const rows = vectors.performance_metrics.empyrical_other as any[];

  it.each(rows.filter((row) => 'max_drawdown' in row))('should give max drawdown $max_drawdown', (row) => {
    close(maxDrawdownOfReturns(fromPct(row.returns_pct)), row.max_drawdown);
  });

  it.each(rows.filter((row) => 'sharpe_rf0' in row))('should give Sharpe $sharpe_rf0', (row) => {
    close(sharpeRatio(fromPct(row.returns_pct)), row.sharpe_rf0);
  });

  it.each(rows.filter((row) => 'sortino_mar0' in row))('should give Sortino $sortino_mar0', (row) => {
    close(sortinoRatio(fromPct(row.returns_pct)), row.sortino_mar0);
  });

  it.each(rows.filter((row) => 'cum_returns' in row))('should compound the cumulative returns (4 decimals)', (row) => {
    const returns = fromPct(row.returns_pct);
    const curve = equityFromReturns(returns).slice(1);
    curve.forEach((value, i) => close(value - 1, row.cum_returns[i], CUM_TOL));
    close(totalReturn(returns), row.cum_returns.at(-1), CUM_TOL);
  });
});

describe('LEAN annual performance', () => {
  it('should give 15.0 for 176 × 0.5 then 176 × 1.5 at 4 periods a year ((1 + 1)^4 - 1)', () => {
    const c = vectors.performance_metrics.lean_annual_performance.case;
    const returns = [...Array(176).fill(0.5), ...Array(176).fill(1.5)];
    expect(annualizedMeanReturn(returns, c.periods_per_year)).toBe(c.expected);
  });

  it('should give 0 for 252 zero returns and null for none', () => {
    expect(annualizedMeanReturn(Array(252).fill(0))).toBe(0);
    expect(annualizedMeanReturn([])).toBeNull();
  });
});

describe('risk-free rate', () => {
  const returns = fromPct(vectors.performance_metrics.empyrical_mixed_returns.returns_pct);

  it('should de-annualise geometrically: 252 daily periods compound back to the annual rate', () => {
    expect(Math.pow(1 + perPeriodRate(0.05), 252)).toBeCloseTo(1.05, 13);
    expect(perPeriodRate(0.05, 12)).toBeCloseTo(Math.pow(1.05, 1 / 12) - 1, 15);
  });

  // Computed with numpy from empyrical's formulas, passing rf = 1.05^(1/252) - 1 per day (not an external vector).
  it('should subtract the per-period rate in Sharpe and use it as the Sortino threshold', () => {
    close(sharpeRatio(returns, { riskFreeAnnual: 0.05 }), 1.6704546513143455, 1e-12);
    close(downsideRisk(returns, { riskFreeAnnual: 0.05 }), 0.6058961817938953, 1e-12);
    close(sortinoRatio(returns, { riskFreeAnnual: 0.05 }), 2.5189218189694436, 1e-12);
  });
});

describe('undefined metrics are null', () => {
  it('should return null for an empty series', () => {
    for (const f of [totalReturn, cagr, annualVolatility, sharpeRatio, downsideRisk, sortinoRatio, calmarRatio, maxDrawdownOfReturns]) {
      expect(f([]), f.name).toBeNull();
    }
  });

  it('should return null for a single return where a deviation is needed', () => {
    expect(annualVolatility([0.01])).toBeNull();
    expect(sharpeRatio([NaN, 0.01])).toBeNull();
    expect(sortinoRatio([-0.01])).toBeNull();
  });

  it('should return null for Sharpe on a constant series (no 1e16 from rounding noise)', () => {
    expect(sharpeRatio([0.1, 0.1, 0.1])).toBeNull();
    expect(annualVolatility([0.1, 0.1, 0.1])).toBeCloseTo(0, 12);
  });

  it('should return null for Sortino and Calmar without a loss, but downside risk 0', () => {
    const gains = [0.01, 0.02, 0.005];
    expect(downsideRisk(gains)).toBe(0);
    expect(sortinoRatio(gains)).toBeNull();
    expect(calmarRatio(gains)).toBeNull();
    expect(maxDrawdownOfReturns(gains)).toBe(0);
  });

  it('should count a first-day loss as a drawdown from the starting equity', () => {
    close(maxDrawdownOfReturns([-0.05, 0.01]), -0.05, 1e-15);
  });
});

describe('equity and returns', () => {
  it('should round-trip an equity curve', () => {
    const equity = [100, 110, 99, 108.9];
    const returns = returnsFromEquity(equity);
    returns.forEach((r, i) => expect(r).toBeCloseTo([0.1, -0.1, 0.1][i]!, 12));
    equityFromReturns(returns, 100).forEach((value, i) => expect(value).toBeCloseTo(equity[i]!, 9));
  });

  it('should compound a total loss to 0 and no further', () => {
    expect(totalReturn([0.5, -1, 0.2])).toBe(-1);
    expect(cagr([0.5, -1, 0.2])).toBe(-1);
  });

  it.each([[[-1.01]], [[Infinity]], [[0.01, -Infinity]]])('should reject impossible returns %j', (returns) => {
    expect(() => totalReturn(returns)).toThrow(RangeError);
    expect(() => sharpeRatio(returns)).toThrow(RangeError);
  });

  it('should reject a non-positive equity value and a bad annualisation', () => {
    expect(() => returnsFromEquity([100, 0, 50])).toThrow(RangeError);
    expect(() => cagr([0.01], 0)).toThrow(RangeError);
    expect(() => perPeriodRate(-1)).toThrow(RangeError);
  });
});

describe('exposure', () => {
  it.each([
    [[true, false, false, true], 0.5],
    [[0, 250, -100, 0, 0], 0.4],
    [[false, false], 0],
    [[1], 1],
  ])('should count open-risk periods in %j as %s', (series, expected) => {
    expect(exposure(series)).toBe(expected);
  });

  it('should be null for no periods and reject NaN', () => {
    expect(exposure([])).toBeNull();
    expect(() => exposure([1, NaN])).toThrow(RangeError);
  });
});
