import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { modelOptionQuote, OPTION_MODEL_DEFAULTS } from '../../src/analysis/option-model.ts';
import { calibratedOptionChain, defaultStrikes, type CalibratedChainInputs } from '../../src/market/calibrated-chain.ts';
import { occSymbol } from '../../src/market/modeled-chain.ts';
import { parseBarsCsv } from '../../src/market/replay.ts';
import type { Signal } from '../../src/core/types.ts';
import type { OptionChain } from '../../src/market/types.ts';
import { pickContract } from '../../src/trading/options.ts';
import { PICK } from '../support/defaults.ts';

const d = (s: string) => new Date(`${s}T00:00:00Z`);
const bars = parseBarsCsv(readFileSync(new URL('../../data/options/GOOG-2015-bars.csv', import.meta.url), 'utf8'), 'GOOG').filter(
  (b) => b.time <= d('2015-12-23'),
);
const expiries = [d('2015-12-24'), d('2015-12-31'), d('2016-01-08')];
const inputs: CalibratedChainInputs = { underlying: 'GOOG', bars, asOf: d('2015-12-23'), expiries, expiry: d('2016-01-08'), rate: 0.002, vixClose: 15.57 };

describe('calibratedOptionChain', () => {
  it('should list calls and puts on the listed strike grid, 70%-130% of spot, with OCC symbols and model deltas', () => {
    const chain: OptionChain = calibratedOptionChain(inputs);
    expect(chain).toMatchObject({ underlying: 'GOOG', underlyingPrice: 750.31, expiries, expiry: d('2016-01-08'), modeled: true });
    const strikes = defaultStrikes(750.31);
    expect([strikes[0], strikes.at(-1), strikes[1]! - strikes[0]!]).toEqual([525, 980, 5]);
    expect(chain.calls.map((c) => c.strike)).toEqual(strikes);
    expect(chain.puts.map((c) => c.strike)).toEqual(strikes);
    expect(chain.puts.find((c) => c.strike === 700)?.symbol).toBe(occSymbol('GOOG', d('2016-01-08'), 'put', 700));
    for (const c of [...chain.calls, ...chain.puts]) {
      expect(c.modeled).toBe(true);
      expect(c.right === 'call' ? c.delta! > 0 : c.delta! < 0).toBe(true);
    }
  });

  it('should say which inputs produced the prices, and each contract should be the model quote at its IV', () => {
    const chain = calibratedOptionChain({ ...inputs, strikes: [700, 747.5, 780] });
    expect(chain.model).toMatchObject({
      model: 'calibrated', source: 'vix+realized', vixClose: 15.57, spot: 750.31, rate: 0.002,
      asOfDate: '2015-12-23', expiryDate: '2016-01-08', tickClass: 'penny', params: OPTION_MODEL_DEFAULTS,
    });
    expect(chain.model.tradingDaysToExpiry).toBeCloseTo(9 + 3.5 / 6.5, 12);
    expect(chain.model.ivAtmAnnual).toBeCloseTo(0.1935, 3); // GOOG's at-the-money weeklies traded at 0.19-0.195
    const closes = bars.map((b) => b.close);
    for (const c of [...chain.calls, ...chain.puts]) {
      const q = modelOptionQuote({ right: c.right, spot: 750.31, strike: c.strike, asOfDate: '2015-12-23', expiryDate: '2016-01-08', rate: 0.002, tickClass: 'penny', closes, vixClose: 15.57 });
      expect([c.bid, c.ask, c.impliedVol, c.modeled]).toEqual([q.bidUsd, q.askUsd, q.ivAnnual, true]);
    }
    // Skew: the 700 put carries more vol than the 780 call.
    expect(chain.puts[0]!.impliedVol).toBeGreaterThan(chain.calls[2]!.impliedVol);
  });

  it('should quote on the class tick grid it is given', () => {
    const chain = calibratedOptionChain({ ...inputs, tickClass: 'nickel' });
    for (const c of [...chain.calls, ...chain.puts]) {
      for (const price of [c.bid, c.ask]) expect(Math.round(price * 100) % 5, `${c.symbol} ${price}`).toBe(0);
      expect(c.ask).toBeGreaterThan(c.bid);
    }
  });

  it('should work with the contract picker, as the old chain does', () => {
    const signal: Signal = { symbol: 'GOOG', side: 'SHORT', zScore: -2.5, dailyReturn: -0.03, price: 750.31, sigma: 0.012, asOf: d('2015-12-23'), strategy: 'volatility-breakout' };
    const pick = pickContract(signal, calibratedOptionChain(inputs), d('2015-12-23'), PICK);
    expect(pick.contract?.right).toBe('put');
    expect(pick.contract!.strike).toBeLessThan(750.31);
  });

  it('should refuse to model without bars, or with neither a VIX close nor enough history', () => {
    expect(() => calibratedOptionChain({ ...inputs, bars: [] })).toThrow(/without bars/);
    expect(() => calibratedOptionChain({ ...inputs, bars: bars.slice(-5), vixClose: undefined })).toThrow(RangeError);
  });
});
