/**
 * Market regime from the VIX level and SPY's trend, with hysteresis so the regime does not flip-flop
 * while VIX hovers around one threshold. Uses the LAST bar of each series as given: the caller passes
 * only what was known at decision time (normally up to yesterday's close).
 * @module
 */
import type { Regime, RegimeState, Bar } from '../core/types.ts';
import { lastSma } from './indicators.ts';

/**
 * `vixHigh`: VIX above it (with SPY below its average) enters BEARISH; `vixLow`: VIX below it (with SPY
 * at or above its average) enters BULLISH. Between the two, a previous BEARISH/BULLISH state holds.
 * `smaDays`: SPY moving-average length in bars. `exposure`: long/short budget multipliers (0..1) per state.
 */
export type RegimeConfig = {
  vixHigh: number;
  vixLow: number;
  smaDays: number;
  exposure: Record<RegimeState, { long: number; short: number }>;
};

/** Prices with 2 decimals ("23.66"). */
const price = (x: number): string => x.toFixed(2);
/** Thresholds without trailing zeros ("20", "17.5"). */
const threshold = (x: number): string => String(Number(x.toFixed(2)));
/** Multipliers with 1 or 2 decimals ("0.0x", "0.75x"). */
const multiplier = (x: number): string => `${x.toFixed(2).replace(/(\.\d)0$/, '$1')}x`;

const isGoodClose = (x: number | undefined): x is number => x !== undefined && Number.isFinite(x) && x > 0;

/**
 * Classify the market regime from the last VIX close and the last SPY close against its `smaDays` SMA
 * (which includes that last bar). SPY is "below" when close < SMA and "above" when close >= SMA.
 * - BEARISH on entry: VIX > vixHigh and SPY below; it holds (previous 'BEARISH') while VIX > vixLow and SPY below.
 * - BULLISH on entry: VIX < vixLow and SPY above; it holds (previous 'BULLISH') while VIX < vixHigh and SPY above.
 * - Otherwise NEUTRAL; also NEUTRAL (fail safe) when VIX is missing or SPY has fewer than `smaDays` bars.
 * `reasons` explain the decision in words and end with the exposure; `asOf` is the later of the two last
 * bars' times (an invalid Date when both series are empty).
 */
export function classifyRegime(
  input: { vix: Bar[]; spy: Bar[]; previous?: RegimeState },
  config: RegimeConfig,
): Regime {
  const { vixHigh, vixLow, smaDays } = config;
  const lastVix = input.vix[input.vix.length - 1];
  const lastSpy = input.spy[input.spy.length - 1];
  const asOf = new Date(Math.max(lastVix?.time.getTime() ?? -Infinity, lastSpy?.time.getTime() ?? -Infinity));

  const vix = isGoodClose(lastVix?.close) ? lastVix.close : NaN;
  const spyCloses = input.spy.map((bar) => bar.close);
  const spy = isGoodClose(lastSpy?.close) ? lastSpy.close : NaN;
  const spySma = spyCloses.length >= smaDays ? lastSma(spyCloses, smaDays) : NaN;
  const spyTrend = spy / spySma - 1;

  const finish = (state: RegimeState, reasons: string[]): Regime => {
    const { long, short } = config.exposure[state];
    reasons.push(`Exposure: long ${multiplier(long)}, short ${multiplier(short)}`);
    return { state, vix, spy, spySma, spyTrend, long, short, reasons, asOf };
  };

  const missing: string[] = [];
  if (Number.isNaN(vix)) missing.push('VIX data missing: NEUTRAL by default');
  if (spyCloses.length < smaDays) {
    missing.push(
      `SPY has ${spyCloses.length} ${spyCloses.length === 1 ? 'bar' : 'bars'}, ` +
        `fewer than the ${smaDays} its ${smaDays}-day average needs: NEUTRAL by default`,
    );
  } else if (!Number.isFinite(spyTrend)) {
    missing.push(`SPY data has bad closes in its last ${smaDays} bars: NEUTRAL by default`);
  }
  if (missing.length > 0) return finish('NEUTRAL', missing);

  const spyBelow = spy < spySma;
  const average = `its ${smaDays}-day average`;
  const spyReason = spyBelow
    ? `SPY ${price(spy)} below ${average} ${price(spySma)}`
    : `SPY ${price(spy)} ${spy === spySma ? 'at' : 'above'} ${average} ${price(spySma)}`;
  const band = `VIX ${price(vix)} between ${threshold(vixLow)} and ${threshold(vixHigh)}`;
  const vixReason =
    vix > vixHigh ? `VIX ${price(vix)} > ${threshold(vixHigh)}`
    : vix < vixLow ? `VIX ${price(vix)} < ${threshold(vixLow)}`
    : band;

  if (spyBelow && vix > vixHigh) return finish('BEARISH', [vixReason, spyReason]);
  if (!spyBelow && vix < vixLow) return finish('BULLISH', [vixReason, spyReason]);

  // Hysteresis: inside the band a previous state holds, so one noisy close near a threshold cannot flip it.
  if (input.previous === 'BEARISH' && spyBelow && vix > vixLow) {
    return finish('BEARISH', [
      `${band}: BEARISH holds until VIX <= ${threshold(vixLow)} or SPY regains ${average}`,
      spyReason,
    ]);
  }
  if (input.previous === 'BULLISH' && !spyBelow && vix < vixHigh) {
    return finish('BULLISH', [
      `${band}: BULLISH holds until VIX >= ${threshold(vixHigh)} or SPY falls below ${average}`,
      spyReason,
    ]);
  }

  const why =
    input.previous === 'BEARISH' ? `BEARISH released: holding it needs VIX > ${threshold(vixLow)} and SPY below ${average}`
    : input.previous === 'BULLISH' ? `BULLISH released: holding it needs VIX < ${threshold(vixHigh)} and SPY at or above ${average}`
    : `NEUTRAL: BEARISH needs VIX > ${threshold(vixHigh)} and SPY below ${average}, ` +
      `BULLISH needs VIX < ${threshold(vixLow)} and SPY at or above it`;
  return finish('NEUTRAL', [vixReason, spyReason, why]);
}
