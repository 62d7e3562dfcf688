import { describe, expect, it } from 'vitest';
import { formatCompactUsd, formatExpiry, formatIsoDate, formatPct, formatUsd, formatZ } from '../../src/notify/format.ts';

describe('notify/format', () => {
  it('should show dollars with thousands separators and cents only when there are some', () => {
    expect(formatUsd(1240)).toBe('$1,240');
    expect(formatUsd(0.11)).toBe('$0.11');
    expect(formatUsd(90 * 0.11 * 100)).toBe('$990'); // 990.0000000000001: rounding happens only here
    expect(formatUsd(4.1, { cents: true })).toBe('$4.10');
    expect(formatUsd(Number.NaN)).toBe('n/a');
  });

  it('should shorten dollars for tweets', () => {
    expect(formatCompactUsd(1000)).toBe('$1k');
    expect(formatCompactUsd(1240)).toBe('$1.2k');
    expect(formatCompactUsd(10_000)).toBe('$10k');
    expect(formatCompactUsd(125_000)).toBe('$125k');
    expect(formatCompactUsd(999_600)).toBe('$1M');
    expect(formatCompactUsd(1_500_000)).toBe('$1.5M');
    expect(formatCompactUsd(950)).toBe('$950');
    expect(formatCompactUsd(-2500)).toBe('-$2.5k');
  });

  it('should show fractions as percentages with at most the given decimals', () => {
    expect(formatPct(0.1)).toBe('10%');
    expect(formatPct(-0.0631)).toBe('-6.3%');
    expect(formatPct(0.0523, { signed: true })).toBe('+5.2%');
    expect(formatPct(-0.00001, { signed: true })).toBe('0%');
    expect(formatPct(0.12345, { digits: 2 })).toBe('12.35%');
  });

  it('should show expiries as "Nov 28" in UTC whatever the local zone', () => {
    expect(formatExpiry(new Date('2026-11-28T00:00:00Z'))).toBe('Nov 28');
    expect(formatExpiry(new Date('2026-12-01T00:00:00Z'))).toBe('Dec 1');
    expect(formatIsoDate(new Date('2026-11-20T23:59:00Z'))).toBe('2026-11-20');
  });

  it('should sign z-scores', () => {
    expect(formatZ(2.456)).toBe('+2.46');
    expect(formatZ(-3.1)).toBe('-3.10');
  });
});
