import { describe, expect, it } from 'vitest';
import { bsGreeks, bsPrice, impliedVol, normCdf, normPdf, type BsInputs } from '../../src/analysis/black-scholes.ts';
import { vectors } from './vectors.ts';

const bs = vectors.black_scholes;
const iv = vectors.implied_volatility;
type Right = BsInputs['right'];

/** A vectors row ({S, K, T, r, q?, sigma}) as our inputs. */
const inputs = (row: { S: number; K: number; T: number; r: number; q?: number; sigma: number }, right: Right): BsInputs => ({
  right,
  spot: row.S,
  strike: row.K,
  years: row.T,
  rate: row.r,
  dividendYield: row.q ?? 0,
  vol: row.sigma,
});

const near = (actual: number, expected: number, tol: number, label = ''): void => {
  expect(Math.abs(actual - expected), `${label} ${actual} vs ${expected}`).toBeLessThanOrEqual(tol);
};

describe('normCdf and normPdf', () => {
  it('should match reference values of the standard normal to ~1e-15 relative, tails included', () => {
    // Values of R's pnorm / scipy.stats.norm.cdf (both Cody's algorithm, double precision).
    const table: [number, number][] = [
      [0, 0.5],
      [-1, 0.15865525393145707],
      [1.96, 0.9750021048517795],
      [-3, 0.0013498980316301035],
      [-5, 2.866515718791939e-7],
      [-10, 7.619853024160527e-24],
      [-20, 2.7536241186062337e-89],
    ];
    for (const [x, expected] of table) near(normCdf(x) / expected, 1, 1e-14, `Φ(${x})`);
  });

  it('should be symmetric and bounded', () => {
    for (let x = -8; x <= 8; x += 0.37) near(normCdf(x) + normCdf(-x), 1, 2e-16, `x=${x}`);
    expect(normCdf(-Infinity)).toBe(0);
    expect(normCdf(Infinity)).toBe(1);
    expect(normCdf(-40)).toBe(0);
    expect(normCdf(NaN)).toBeNaN();
  });

  it('should give the density 1/sqrt(2π)·exp(-x²/2)', () => {
    near(normPdf(0), 0.3989422804014327, 1e-17);
    near(normPdf(1), 0.24197072451914337, 1e-17);
  });
});

describe('bsPrice', () => {
  it('should match Hull example 13.6 (S=42, K=40, r=10%, σ=20%, T=0.5)', () => {
    const row = bs.hull_textbook[0];
    near(bsPrice(inputs(row, 'call')), row.expected.call, row.tol.call);
    near(bsPrice(inputs(row, 'put')), row.expected.put, row.tol.put);
    // delta = N(d1), so the textbook d1 pins it (|Δd1| <= 1e-4 moves N by < 1e-4·φ).
    near(bsGreeks(inputs(row, 'call')).delta, normCdf(row.expected.d1), 1e-4);
  });

  it('should match all 43 Haug rows tabulated in QuantLib (generalized BSM with dividend yield)', () => {
    const rows = bs.haug_via_quantlib_values.rows;
    expect(rows).toHaveLength(43);
    for (const [n, row] of rows.entries()) near(bsPrice(inputs(row, row.type)), row.price, row.tol, `row ${n}`);
  });

  it('should match the py_vollib benchmark grid to 1e-6, including a 3.65-day σ=200% row', () => {
    for (const row of bs.py_vollib_benchmark_grid.rows) {
      near(bsPrice(inputs(row, 'call')), row.call, 1e-6, `call S=${row.S} T=${row.T}`);
      near(bsPrice(inputs(row, 'put')), row.put, 1e-6, `put S=${row.S} T=${row.T}`);
    }
  });

  it('should match the py_vollib docstring prices', () => {
    for (const row of bs.py_vollib_docstrings) {
      if (row.call !== undefined) near(bsPrice(inputs(row, 'call')), row.call, row.tol);
      if (row.put !== undefined) near(bsPrice(inputs(row, 'put')), row.put, row.tol);
    }
  });

  it('should match the npm black-scholes package, including the t=0 and σ=0 limits', () => {
    for (const row of bs.npm_black_scholes_package.rows) {
      near(bsPrice(inputs(row, row.type)), row.price, 1e-13, `${row.type} S=${row.S} T=${row.T} σ=${row.sigma}`);
    }
  });

  it('should value a dated option with no vol or no time at its intrinsic value against the discounted forward', () => {
    const base = { spot: 100, strike: 90, years: 1, rate: 0.05, dividendYield: 0.02 };
    near(bsPrice({ ...base, right: 'call', vol: 0 }), 100 * Math.exp(-0.02) - 90 * Math.exp(-0.05), 1e-12);
    expect(bsPrice({ ...base, right: 'put', vol: 0 })).toBe(0);
    expect(bsPrice({ ...base, right: 'call', vol: 0.3, years: 0 })).toBe(10);
    expect(bsPrice({ ...base, right: 'call', vol: 0.3, years: -0.01 })).toBe(10);
  });

  it('should price a zero strike or zero spot without NaN', () => {
    near(bsPrice({ right: 'call', spot: 50, strike: 0, years: 1, rate: 0.03, dividendYield: 0.01, vol: 0.2 }), 50 * Math.exp(-0.01), 1e-12);
    near(bsPrice({ right: 'put', spot: 0, strike: 50, years: 1, rate: 0.03, vol: 0.2 }), 50 * Math.exp(-0.03), 1e-12);
  });

  it.each([
    ['a NaN spot', { spot: NaN }],
    ['an infinite vol', { vol: Infinity }],
    ['a negative strike', { strike: -1 }],
    ['a negative spot', { spot: -1 }],
    ['a NaN dividend yield', { dividendYield: NaN }],
  ])('should throw a RangeError on %s', (_label, change) => {
    const good: BsInputs = { right: 'call', spot: 100, strike: 100, years: 1, rate: 0.05, vol: 0.2 };
    expect(() => bsPrice({ ...good, ...change })).toThrow(RangeError);
    expect(() => bsGreeks({ ...good, ...change })).toThrow(RangeError);
  });

  it('should obey put-call parity C - P = S·e^{-qT} - K·e^{-rT}', () => {
    for (const spot of [50, 95, 100, 105, 200])
      for (const years of [0.01, 0.25, 2])
        for (const vol of [0.05, 0.3, 1.5])
          for (const [rate, q] of [[0, 0], [0.05, 0], [0.05, 0.03], [-0.01, 0.02]] as const) {
            const i = { spot, strike: 100, years, rate, dividendYield: q, vol };
            const parity = bsPrice({ ...i, right: 'call' }) - bsPrice({ ...i, right: 'put' });
            near(parity, spot * Math.exp(-q * years) - 100 * Math.exp(-rate * years), 1e-11, JSON.stringify(i));
          }
  });
});

describe('bsGreeks', () => {
  it('should match the Hull greek letters example (S=49, K=50, T=20 weeks)', () => {
    const row = bs.hull_textbook[1];
    const g = bsGreeks(inputs(row, 'call'));
    near(bsPrice(inputs(row, 'call')), row.expected.call, row.tol.call);
    near(g.delta, row.expected.delta, row.tol.delta);
    near(g.gamma, row.expected.gamma, row.tol.gamma);
    near(g.thetaPerYear, row.expected.theta_per_year, row.tol.theta_per_year);
    near(g.vegaPerUnit, row.expected.vega_per_unit_vol, row.tol.vega_per_unit_vol);
    near(g.rhoPerUnit, row.expected.rho_per_unit_rate, row.tol.rho_per_unit_rate);
    near(bsGreeks(inputs(row, 'put')).thetaPerYear, row.expected.put_theta_per_year, row.tol.put_theta_per_year);
    // py_vollib's full-precision values for the same inputs (vega and rho quoted per 1%).
    const lib = row.library_values;
    near(g.delta, lib.delta, 1e-11);
    near(g.gamma, lib.gamma, 1e-12);
    near(g.thetaPerYear, lib.theta_per_year, 1e-10);
    near(g.vegaPerUnit / 100, lib.vega_per_1pct, 1e-12);
    near(g.rhoPerUnit / 100, lib.rho_per_1pct, 1e-12);
  });

  it('should match the Haug greeks tabulated in QuantLib to 1e-4', () => {
    for (const row of bs.haug_via_quantlib_greeks.rows) {
      const i = inputs(row, row.type);
      const g = bsGreeks(i);
      const value: Record<string, number> = {
        delta: g.delta,
        gamma: g.gamma,
        vega: g.vegaPerUnit,
        theta_per_year: g.thetaPerYear,
        theta_per_day: g.thetaPerDay,
        rho: g.rhoPerUnit,
        dividend_rho: g.dividendRhoPerUnit,
        elasticity: (g.delta * row.S) / bsPrice(i),
      };
      expect(value[row.greek], row.greek).toBeDefined();
      near(value[row.greek]!, row.value, 1e-4, `${row.type} ${row.greek}`);
    }
  });

  it('should match the py_vollib benchmark grid greeks to 1e-6 (theta per year, vega and rho per 1.00)', () => {
    for (const row of bs.py_vollib_benchmark_grid.rows) {
      const call = bsGreeks(inputs(row, 'call'));
      const put = bsGreeks(inputs(row, 'put'));
      const at = `S=${row.S} T=${row.T}`;
      near(call.delta, row.call_delta, 1e-6, `call delta ${at}`);
      near(put.delta, row.put_delta, 1e-6, `put delta ${at}`);
      near(call.gamma, row.gamma, 1e-6, `gamma ${at}`);
      near(put.gamma, row.gamma, 1e-6, `put gamma ${at}`);
      near(call.thetaPerYear, row.call_theta_per_year, 1e-6, `call theta ${at}`);
      near(put.thetaPerYear, row.put_theta_per_year, 1e-6, `put theta ${at}`);
      near(call.vegaPerUnit, row.vega_per_unit_vol, 1e-6, `vega ${at}`);
      near(put.vegaPerUnit, row.vega_per_unit_vol, 1e-6, `put vega ${at}`);
      near(call.rhoPerUnit, row.call_rho_per_unit_rate, 1e-6, `call rho ${at}`);
      near(put.rhoPerUnit, row.put_rho_per_unit_rate, 1e-6, `put rho ${at}`);
      expect(call.thetaPerDay).toBe(call.thetaPerYear / 365);
    }
  });

  it('should match the npm greeks package deltas, including the step at t=0 and σ=0', () => {
    for (const row of bs.npm_greeks_package.rows) {
      near(bsGreeks(inputs(row, row.type)).delta, row.delta, 1e-12, `${row.type} S=${row.S} T=${row.T} σ=${row.sigma}`);
    }
  });

  it('should give the greeks of a certain payoff when vol is 0', () => {
    const i = { spot: 100, strike: 90, years: 0.5, rate: 0.05, dividendYield: 0.02, vol: 0 };
    const call = bsGreeks({ ...i, right: 'call' });
    near(call.delta, Math.exp(-0.01), 1e-15);
    expect(call.gamma).toBe(0);
    expect(call.vegaPerUnit).toBe(0);
    near(call.thetaPerYear, 0.02 * 100 * Math.exp(-0.01) - 0.05 * 90 * Math.exp(-0.025), 1e-12);
    near(call.rhoPerUnit, 0.5 * 90 * Math.exp(-0.025), 1e-12);
    near(call.dividendRhoPerUnit, -0.5 * 100 * Math.exp(-0.01), 1e-12);
    expect(bsGreeks({ ...i, right: 'put' })).toEqual({
      delta: 0, gamma: 0, thetaPerYear: 0, thetaPerDay: 0, vegaPerUnit: 0, rhoPerUnit: 0, dividendRhoPerUnit: 0,
    });
  });

  it('should give equal gamma and vega for a call and a put (QuantLib invariant)', () => {
    const i = { spot: 103, strike: 97, years: 0.3, rate: 0.04, dividendYield: 0.015, vol: 0.45 };
    const call = bsGreeks({ ...i, right: 'call' });
    const put = bsGreeks({ ...i, right: 'put' });
    near(call.gamma, put.gamma, 1e-15);
    near(call.vegaPerUnit, put.vegaPerUnit, 1e-12);
    near(call.delta - put.delta, Math.exp(-0.015 * 0.3), 1e-15);
  });
});

describe('impliedVol', () => {
  const solve = (row: { S: number; K: number; T: number; r: number; q?: number }, right: Right, price: number) =>
    impliedVol({ right, spot: row.S, strike: row.K, years: row.T, rate: row.r, dividendYield: row.q ?? 0, price });

  it('should recover the vols of the round-trip vectors (py_vollib, Hull 1.875 -> 0.235)', () => {
    for (const row of iv.round_trips) {
      const result = solve(row, row.type, row.price);
      expect(result.ok).toBe(true);
      if (result.ok) near(result.vol, row.iv_out, row.tol);
    }
  });

  it('should find the true vols behind the npm implied-volatility rows (its own outputs are bisection artefacts)', () => {
    for (const row of iv.edge_cases[1].rows) {
      const result = solve(row, row.type, row.price);
      expect(result.ok && Math.abs(result.vol - row.true_iv_helper) <= 1e-6, JSON.stringify(result)).toBe(true);
      expect(result.ok && Math.abs(result.vol - row.npm_iv) <= 1e-3).toBe(true);
    }
  });

  it('should refuse the deep in-the-money put priced at its lower bound instead of inventing a vol', () => {
    const row = iv.edge_cases[0];
    const result = solve(row, row.type, row.price);
    expect(result.ok).toBe(false);
    // Priced exactly on the model's own σ=0.3 value, it is still indistinguishable from the bound.
    const exact = solve(row, row.type, bsPrice(inputs({ ...row, sigma: row.sigma_in }, 'put')));
    expect(exact).toEqual({ ok: false, reason: expect.stringContaining('no time value left') });
  });

  it('should round-trip the QuantLib grid (accept |Δσ| <= 1e-6 or a relative repricing error <= 1e-6)', () => {
    const g = iv.grid_recipe;
    let checked = 0;
    for (const right of g.types as Right[])
      for (const strike of g.strikes as number[])
        for (const days of g.days_act360 as number[])
          for (const spot of g.spots as number[])
            for (const q of g.q as number[])
              for (const rate of g.r as number[])
                for (const vol of g.sigma as number[]) {
                  const i = { right, spot, strike, years: days / 360, rate, dividendYield: q };
                  const price = bsPrice({ ...i, vol });
                  if (Math.abs(price - bsPrice({ ...i, vol: vol / 2 })) <= 1e-12) continue; // flat in vol: skipped
                  const result = impliedVol({ ...i, price });
                  const label = JSON.stringify({ ...i, vol, price, result });
                  expect(result.ok, label).toBe(true);
                  if (!result.ok) continue;
                  const repriced = bsPrice({ ...i, vol: result.vol });
                  const good = Math.abs(result.vol - vol) <= 1e-6 || Math.abs(repriced - price) / price <= 1e-6;
                  expect(good, label).toBe(true);
                  checked++;
                }
    expect(checked).toBeGreaterThan(11_000);
  });

  it.each([
    ['below the lower bound', 'call', 5, 'price 5 is below the no-arbitrage lower bound 11.094518'],
    ['above the upper bound', 'call', 130, 'price 130 is above the no-arbitrage upper bound 120'],
    ['at the upper bound', 'call', 120, 'price 120 is at the upper bound 120: it implies an infinite vol'],
    ['negative', 'put', -1, 'price -1 is below the no-arbitrage lower bound 0'],
  ] as const)('should explain a price %s', (_label, right, price, reason) => {
    const result = impliedVol({ right, spot: 120, strike: 110, years: 0.5, rate: 0.02, price });
    expect(result).toEqual({ ok: false, reason: expect.stringContaining(reason) });
  });

  it('should refuse a price that needs more than 500% vol, and an expired option', () => {
    const i = { right: 'call', spot: 100, strike: 100, years: 0.1, rate: 0.01 } as const;
    expect(impliedVol({ ...i, price: bsPrice({ ...i, vol: 5.5 }) })).toEqual({
      ok: false,
      reason: expect.stringContaining('needs a vol above 500%'),
    });
    expect(impliedVol({ ...i, years: 0, price: 1 })).toEqual({ ok: false, reason: expect.stringContaining('expired') });
  });

  it('should recover a 450% vol on a short-dated weekly', () => {
    const i = { right: 'put', spot: 20, strike: 18, years: 3 / 365, rate: 0.04 } as const;
    const result = impliedVol({ ...i, price: bsPrice({ ...i, vol: 4.5 }) });
    expect(result.ok && Math.abs(result.vol - 4.5) < 1e-9).toBe(true);
  });

  it('should throw a RangeError on a non-finite price', () => {
    expect(() => impliedVol({ right: 'call', spot: 100, strike: 100, years: 1, rate: 0, price: NaN })).toThrow(RangeError);
  });
});
