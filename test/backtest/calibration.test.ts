/**
 * The calibration on real quotes (data/options, see SOURCE.md): these assertions check real numbers
 * and fail when the model drifts away from the market.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildChainDays, parseRealQuotesCsv, tickClassOf, type ChainDay } from '../../src/backtest/calibration-data.ts';
import { calibrate, CALIBRATION_TARGET, percentile, selectContracts, type CalibrationReport, type DayReport } from '../../src/backtest/calibration.ts';
import { loadChainDays } from '../../src/backtest/calibration-files.ts';
import { renderCalibrationTable } from '../../src/backtest/calibration-table.ts';
import { barsFromCloses, previousModelQuote } from '../../src/backtest/previous-model.ts';

let days: ChainDay[];
let selected: ReturnType<typeof selectContracts>[];
let report: CalibrationReport;
beforeAll(() => {
  days = loadChainDays();
  selected = days.map(selectContracts);
  report = calibrate(days);
});

const key = (d: { symbol: string; date: string }) => `${d.symbol} ${d.date}`;
const row = (day: DayReport, scope: 'all' | 'exEvent', model: string) => day[scope].models.find((m) => m.model === model)!;

/**
 * FOXA 2013-07-02 is quoted 3-4x wider (60-94% of mid) than NWSA a few days earlier (10-36%), with the same
 * inputs: spot ~$30, no price history, VIX ~16.5, the same July expiry, option prices of $0.10-0.60. No
 * function of the model's inputs lands inside both ranges; we fit the tighter, more common one (NWSA, GOOG).
 */
const SPREAD_TARGET_EXCEPTIONS: Record<string, string> = { 'FOXA 2013-07-02': 'spreads 3-4x NWSA on identical inputs' };

describe('calibration data', () => {
  it('should hold the five real chain-days, with the history each model may use', () => {
    expect(days.map((d) => `${key(d)} ${d.closes.length} closes`)).toEqual([
      'FOXA 2013-07-02 1 closes',
      'GOOG 2015-12-23 247 closes',
      'GOOG 2015-12-24 248 closes',
      'NWSA 2013-06-27 1 closes',
      'NWSA 2013-06-28 2 closes',
    ]);
    const goog = days[1]!;
    expect(goog.closes.at(-1)).toBe(goog.spot); // the bars file and the quotes file agree on the close
    expect(goog).toMatchObject({ spot: 750.31, vixClose: 15.57, rate: 0.002 });
  });

  it('should read the quoting increment off the quotes: all three classes were nickel classes then', () => {
    expect(days.map((d) => d.tickClass)).toEqual(['nickel', 'nickel', 'nickel', 'nickel', 'nickel']);
    const q = days[1]!.quotes[0]!;
    expect(tickClassOf([{ ...q, bidUsd: 1.23, askUsd: 1.3 }])).toBe('penny');
  });

  it('should reject a malformed quote row, naming its line', () => {
    const header = 'symbol,date,expiry,right,strike,bid,ask,underlying_close,vix_close';
    expect(() => parseRealQuotesCsv(`${header}\nGOOG,2015-12-23,2016-01-08,cal,700,1,2,750,15`)).toThrow(/line 2/);
    expect(() => parseRealQuotesCsv('symbol,date\nGOOG,2015-12-23')).toThrow(/header lacks/);
    expect(() => buildChainDays(parseRealQuotesCsv(`${header}\nGOOG,2019-01-02,2019-01-18,call,700,1,2,750,15`))).toThrow(/no risk-free rate/);
  });
});

describe('scored contracts', () => {
  it('should pick two-sided OTM quotes with market |delta| 0.10-0.50 and <= 45 days, the same for every model', () => {
    expect(selected.map((s) => s.length)).toEqual([4, 177, 199, 6, 4]);
    for (const [i, day] of days.entries()) {
      for (const s of selected[i]!) {
        expect(s.quote.right === 'call' ? s.quote.strike > day.spot : s.quote.strike < day.spot).toBe(true);
        expect(s.quote.bidUsd! > 0 && s.quote.askUsd! >= s.quote.bidUsd!).toBe(true);
        expect(s.tradingDays).toBeGreaterThan(0);
      }
    }
  });

  it('should use type-7 percentiles', () => {
    expect(percentile([4, 1, 3, 2], 50)).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5], 25)).toBe(2);
    expect(percentile([10, 20], 75)).toBe(17.5);
    expect(percentile([], 50)).toBeNull();
  });
});

describe('calibrated model against real quotes (the targets)', () => {
  it(`should keep the median error <= ${CALIBRATION_TARGET.maxMedianErrorPct}% on every chain-day, outside event-priced expiries`, () => {
    const errors = Object.fromEntries(report.days.map((d) => [key(d), row(d, 'exEvent', 'calibrated').medianErrorPct]));
    for (const [day, error] of Object.entries(errors)) expect(error, day).toBeLessThanOrEqual(CALIBRATION_TARGET.maxMedianErrorPct);
  });

  it('should meet the target on all contracts of every chain-day that has no event-priced expiry', () => {
    const calm = report.days.filter((d) => d.expiries.every((e) => !e.eventPriced));
    expect(calm.map(key)).toEqual(['FOXA 2013-07-02', 'NWSA 2013-06-27', 'NWSA 2013-06-28']);
    for (const d of calm) expect(row(d, 'all', 'calibrated').meetsErrorTarget, key(d)).toBe(true);
  });

  it('should flag exactly the GOOG expiries priced for the late-January 2016 earnings report', () => {
    const flagged = report.days.map((d) => `${key(d)}: ${d.expiries.filter((e) => e.eventPriced).map((e) => e.expiry).join(' ')}`);
    expect(flagged).toEqual([
      'FOXA 2013-07-02: ',
      'GOOG 2015-12-23: 2016-01-22 2016-01-29',
      'GOOG 2015-12-24: 2016-01-22 2016-01-29 2016-02-05',
      'NWSA 2013-06-27: ',
      'NWSA 2013-06-28: ',
    ]);
  });

  it('should put the model median spread inside the real interquartile range (FOXA excepted, see above)', () => {
    for (const d of report.days) {
      if (SPREAD_TARGET_EXCEPTIONS[key(d)]) continue;
      expect(row(d, 'all', 'calibrated').spreadInIqr, key(d)).toBe(true);
      expect(row(d, 'exEvent', 'calibrated').spreadInIqr, key(d)).toBe(true);
    }
  });

  it('should beat the previous flat-vol model on every chain-day, all contracts included', () => {
    for (const d of report.days) {
      expect(row(d, 'all', 'calibrated').medianErrorPct!, key(d)).toBeLessThan(row(d, 'all', 'previous').medianErrorPct!);
      expect(row(d, 'exEvent', 'calibrated').medianErrorPct!, key(d)).toBeLessThan(row(d, 'exEvent', 'previous').medianErrorPct!);
    }
  });

  // Not the Christmas weeklies (GOOG Dec 24 and Dec 31 2015, < 5 sessions): they trade 15-25% below any level
  // the VIX and realized vol give, a holiday-week quiet the model has no input for (see the per-expiry table).
  it('should hold the at-the-money level within 10% of the market on expiries of 5+ sessions without an event', () => {
    for (const d of report.days) {
      for (const e of d.expiries.filter((x) => !x.eventPriced && x.tradingDays >= 5)) {
        expect(Math.abs(e.modelAtmIv.calibrated! / e.marketAtmIv - 1), `${key(d)} ${e.expiry}`).toBeLessThan(0.1);
      }
    }
  });
});

describe('renderCalibrationTable', () => {
  it('should print one row per model and scope, and the per-expiry breakdown', () => {
    const text = renderCalibrationTable(report);
    expect(text).toContain('Target: error <= 15% and model spread in the real p25-p75.');
    expect(text).toMatch(/^GOOG 2015-12-23 all +177 {2}previous +\d+\.\d%/m);
    expect(text).toMatch(/^ +ex-event +91 {2}previous/m);
    expect(text).toMatch(/^NWSA 2013-06-28 2013-07-20 +13\.5 +4 {2}0\.233 \| 0\.080 \/ 0\.2\d\d/m);
    expect(text.split('\n').filter((l) => /^ +calibrated +\d/.test(l))).toHaveLength(7);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report); // plain data
  });
});
