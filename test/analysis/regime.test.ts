import { REGIME } from '../support/defaults.ts';
import { describe, expect, it } from 'vitest';
import { classifyRegime, type RegimeConfig } from '../../src/analysis/regime.ts';
import type { RegimeState, Bar } from '../../src/core/types.ts';

const DAY_MS = 86_400_000;
const START_MS = Date.UTC(2025, 0, 2);

function barsFromCloses(closes: number[], startMs = START_MS): Bar[] {
  return closes.map((close, i) => ({
    time: new Date(startMs + i * DAY_MS),
    open: close,
    high: close,
    low: close,
    close,
    volume: 0,
  }));
}

const vixAt = (close: number): Bar[] => barsFromCloses([close], START_MS + 49 * DAY_MS);
/** 50 SPY closes: 49 at `base`, then `last`; the 50-day SMA is (49·base + last)/50. */
const spySeries = (last: number, base = 100): Bar[] => barsFromCloses([...Array.from({ length: 49 }, () => base), last]);

const SPY_BELOW = spySeries(95); // SMA 99.90
const SPY_AT = spySeries(100); // SMA exactly 100
const SPY_ABOVE = spySeries(110); // SMA 100.20

const BELOW = 'SPY 95.00 below its 50-day average 99.90';
const AT = 'SPY 100.00 at its 50-day average 100.00';
const ABOVE = 'SPY 110.00 above its 50-day average 100.20';
const BEARISH_EXPOSURE = 'Exposure: long 0.0x, short 1.0x';
const NEUTRAL_EXPOSURE = 'Exposure: long 0.5x, short 0.5x';
const BULLISH_EXPOSURE = 'Exposure: long 1.0x, short 0.5x';
const NEITHER =
  'NEUTRAL: BEARISH needs VIX > 20 and SPY below its 50-day average, BULLISH needs VIX < 18 and SPY at or above it';
const BEARISH_RELEASED = 'BEARISH released: holding it needs VIX > 18 and SPY below its 50-day average';
const BULLISH_RELEASED = 'BULLISH released: holding it needs VIX < 20 and SPY at or above its 50-day average';

type Row = [label: string, vix: number, spy: Bar[], previous: RegimeState | undefined, state: RegimeState, reasons: string[]];

const rows: Row[] = [
  ['high VIX and SPY below enter BEARISH', 23.66, SPY_BELOW, undefined, 'BEARISH', ['VIX 23.66 > 20', BELOW, BEARISH_EXPOSURE]],
  ['VIX exactly 20 does not enter BEARISH', 20, SPY_BELOW, undefined, 'NEUTRAL', ['VIX 20.00 between 18 and 20', BELOW, NEITHER, NEUTRAL_EXPOSURE]],
  ['VIX just above 20 enters BEARISH', 20.01, SPY_BELOW, 'NEUTRAL', 'BEARISH', ['VIX 20.01 > 20', BELOW, BEARISH_EXPOSURE]],
  ['SPY exactly at its SMA is not below', 23.66, SPY_AT, undefined, 'NEUTRAL', ['VIX 23.66 > 20', AT, NEITHER, NEUTRAL_EXPOSURE]],
  ['high VIX with SPY above is NEUTRAL', 30, SPY_ABOVE, undefined, 'NEUTRAL', ['VIX 30.00 > 20', ABOVE, NEITHER, NEUTRAL_EXPOSURE]],
  ['low VIX and SPY above enter BULLISH', 15, SPY_ABOVE, undefined, 'BULLISH', ['VIX 15.00 < 18', ABOVE, BULLISH_EXPOSURE]],
  ['SPY exactly at its SMA counts as above', 15, SPY_AT, undefined, 'BULLISH', ['VIX 15.00 < 18', AT, BULLISH_EXPOSURE]],
  ['VIX exactly 18 does not enter BULLISH', 18, SPY_ABOVE, undefined, 'NEUTRAL', ['VIX 18.00 between 18 and 20', ABOVE, NEITHER, NEUTRAL_EXPOSURE]],
  ['low VIX with SPY below is NEUTRAL', 15, SPY_BELOW, undefined, 'NEUTRAL', ['VIX 15.00 < 18', BELOW, NEITHER, NEUTRAL_EXPOSURE]],
  ['in the band without a previous state is NEUTRAL', 19.1, SPY_BELOW, 'NEUTRAL', 'NEUTRAL', ['VIX 19.10 between 18 and 20', BELOW, NEITHER, NEUTRAL_EXPOSURE]],
  [
    'BEARISH holds in the band while SPY stays below',
    19.1, SPY_BELOW, 'BEARISH', 'BEARISH',
    ['VIX 19.10 between 18 and 20: BEARISH holds until VIX <= 18 or SPY regains its 50-day average', BELOW, BEARISH_EXPOSURE],
  ],
  [
    'BEARISH holds at VIX exactly 20',
    20, SPY_BELOW, 'BEARISH', 'BEARISH',
    ['VIX 20.00 between 18 and 20: BEARISH holds until VIX <= 18 or SPY regains its 50-day average', BELOW, BEARISH_EXPOSURE],
  ],
  ['BEARISH stays on above 20', 25, SPY_BELOW, 'BEARISH', 'BEARISH', ['VIX 25.00 > 20', BELOW, BEARISH_EXPOSURE]],
  ['BEARISH releases at VIX exactly 18', 18, SPY_BELOW, 'BEARISH', 'NEUTRAL', ['VIX 18.00 between 18 and 20', BELOW, BEARISH_RELEASED, NEUTRAL_EXPOSURE]],
  ['BEARISH releases below 18', 17.9, SPY_BELOW, 'BEARISH', 'NEUTRAL', ['VIX 17.90 < 18', BELOW, BEARISH_RELEASED, NEUTRAL_EXPOSURE]],
  ['BEARISH releases when SPY regains its SMA', 19.1, SPY_AT, 'BEARISH', 'NEUTRAL', ['VIX 19.10 between 18 and 20', AT, BEARISH_RELEASED, NEUTRAL_EXPOSURE]],
  ['BEARISH turns BULLISH on a full reversal', 15, SPY_ABOVE, 'BEARISH', 'BULLISH', ['VIX 15.00 < 18', ABOVE, BULLISH_EXPOSURE]],
  [
    'BULLISH holds in the band while SPY stays above',
    19.1, SPY_ABOVE, 'BULLISH', 'BULLISH',
    ['VIX 19.10 between 18 and 20: BULLISH holds until VIX >= 20 or SPY falls below its 50-day average', ABOVE, BULLISH_EXPOSURE],
  ],
  ['BULLISH releases at VIX exactly 20', 20, SPY_ABOVE, 'BULLISH', 'NEUTRAL', ['VIX 20.00 between 18 and 20', ABOVE, BULLISH_RELEASED, NEUTRAL_EXPOSURE]],
  ['BULLISH releases when SPY falls below', 19.1, SPY_BELOW, 'BULLISH', 'NEUTRAL', ['VIX 19.10 between 18 and 20', BELOW, BULLISH_RELEASED, NEUTRAL_EXPOSURE]],
  ['BULLISH turns BEARISH on a full reversal', 23, SPY_BELOW, 'BULLISH', 'BEARISH', ['VIX 23.00 > 20', BELOW, BEARISH_EXPOSURE]],
];

describe('classifyRegime', () => {
  it.each(rows)('should classify: %s', (_label, vix, spy, previous, state, reasons) => {
    const regime = classifyRegime({ vix: vixAt(vix), spy, ...(previous ? { previous } : {}) }, REGIME);
    expect(regime.state).toBe(state);
    expect(regime.reasons).toEqual(reasons);
    expect({ long: regime.long, short: regime.short }).toEqual(REGIME.exposure[state]);
  });

  it('should print the reasons of a real BEARISH day', () => {
    const base = (668.4 * 50 - 659.03) / 49; // puts the 50-day SMA at 668.40
    const regime = classifyRegime({ vix: vixAt(23.66), spy: spySeries(659.03, base) }, REGIME);
    expect(regime.reasons).toEqual(['VIX 23.66 > 20', 'SPY 659.03 below its 50-day average 668.40', BEARISH_EXPOSURE]);
  });

  it('should report the numbers it decided on', () => {
    const regime = classifyRegime({ vix: vixAt(23.66), spy: SPY_BELOW }, REGIME);
    expect(regime.vix).toBe(23.66);
    expect(regime.spy).toBe(95);
    expect(regime.spySma).toBeCloseTo(99.9, 12);
    expect(regime.spyTrend).toBeCloseTo(95 / 99.9 - 1, 12);
  });

  it('should use only the last bar of each series', () => {
    const vix = barsFromCloses([40, 45, 50, 15], START_MS + 46 * DAY_MS);
    expect(classifyRegime({ vix, spy: SPY_ABOVE }, REGIME).state).toBe('BULLISH');
  });

  it('should date the regime at the later of the two last bars', () => {
    const laterVix = barsFromCloses([23.66], START_MS + 60 * DAY_MS);
    expect(classifyRegime({ vix: laterVix, spy: SPY_BELOW }, REGIME).asOf).toEqual(new Date(START_MS + 60 * DAY_MS));
    const earlierVix = barsFromCloses([23.66], START_MS);
    expect(classifyRegime({ vix: earlierVix, spy: SPY_BELOW }, REGIME).asOf).toEqual(new Date(START_MS + 49 * DAY_MS));
  });

  it.each([
    ['no VIX bars', [] as Bar[]],
    ['a NaN VIX close', vixAt(NaN)],
    ['a zero VIX close', vixAt(0)],
  ])('should fall back to NEUTRAL with %s', (_label, vix) => {
    const regime = classifyRegime({ vix, spy: SPY_BELOW, previous: 'BEARISH' }, REGIME);
    expect(regime.state).toBe('NEUTRAL');
    expect(regime.vix).toBeNaN();
    expect(regime.reasons).toEqual(['VIX data missing: NEUTRAL by default', NEUTRAL_EXPOSURE]);
    expect(regime.spy).toBe(95);
  });

  it('should fall back to NEUTRAL when SPY has fewer bars than its average needs', () => {
    const regime = classifyRegime({ vix: vixAt(30), spy: barsFromCloses(Array.from({ length: 12 }, () => 100)) }, REGIME);
    expect(regime.state).toBe('NEUTRAL');
    expect(regime.spySma).toBeNaN();
    expect(regime.reasons).toEqual([
      'SPY has 12 bars, fewer than the 50 its 50-day average needs: NEUTRAL by default',
      NEUTRAL_EXPOSURE,
    ]);
  });

  it('should fall back to NEUTRAL on a bad SPY close inside the average', () => {
    const spy = spySeries(95);
    spy[30] = { ...spy[30]!, close: NaN };
    expect(classifyRegime({ vix: vixAt(30), spy }, REGIME).reasons[0]).toBe(
      'SPY data has bad closes in its last 50 bars: NEUTRAL by default',
    );
  });

  it('should list every missing input, with an invalid asOf when nothing was given', () => {
    const regime = classifyRegime({ vix: [], spy: [] }, REGIME);
    expect(regime.reasons).toEqual([
      'VIX data missing: NEUTRAL by default',
      'SPY has 0 bars, fewer than the 50 its 50-day average needs: NEUTRAL by default',
      NEUTRAL_EXPOSURE,
    ]);
    expect(regime.asOf.getTime()).toBeNaN();
  });

  it('should honour custom thresholds, SMA length and exposure', () => {
    const config: RegimeConfig = {
      vixHigh: 25,
      vixLow: 17.5,
      smaDays: 10,
      exposure: { ...REGIME.exposure, BEARISH: { long: 0.25, short: 0.75 } },
    };
    const spy = barsFromCloses([...Array.from({ length: 9 }, () => 100), 90]);
    const vix = barsFromCloses([22], START_MS + 9 * DAY_MS);
    expect(classifyRegime({ vix, spy }, config).state).toBe('NEUTRAL'); // 22 would be BEARISH at the default 20
    const held = classifyRegime({ vix, spy, previous: 'BEARISH' }, config);
    expect(held.reasons).toEqual([
      'VIX 22.00 between 17.5 and 25: BEARISH holds until VIX <= 17.5 or SPY regains its 10-day average',
      'SPY 90.00 below its 10-day average 99.00',
      'Exposure: long 0.25x, short 0.75x',
    ]);
    expect(held).toMatchObject({ state: 'BEARISH', long: 0.25, short: 0.75 });
  });
});
