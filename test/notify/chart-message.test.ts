import { describe, expect, it } from 'vitest';
import { equityChart } from '../../src/notify/chart-message.ts';
import type { EquityPoint, PaperPosition } from '../../src/trading/ledger/types.ts';

const point = (date: string, equityUsd: number): EquityPoint => ({ date, equityUsd, cashUsd: equityUsd, at: `${date}T21:00:00.000Z` });
/** A position opened at `openedAt` and closed at `exitAt` for `pnlUsd`. */
const position = (openedAt: string, exitAt: string, pnlUsd: number) =>
  ({ openedAt, modeled: true, exit: { at: exitAt, pnlUsd } }) as unknown as PaperPosition;
const attr = (svg: string, name: string) => [...svg.matchAll(new RegExp(`${name}="([^"]*)"`, 'g'))].map((m) => m[1]);

describe('equityChart', () => {
  const base = {
    history: [point('2020-03-12', 9_900), point('2020-03-13', 10_400)],
    startingEquityUsd: 10_000,
    startDate: '2020-03-12',
    targetEquityUsd: 1_000_000,
    targetMonths: 12,
  };

  it('should start from the starting equity, keep day 0 close as its own point and end at equity now', () => {
    const chart = equityChart({ ...base, positions: [], now: { date: '2020-03-16', equityUsd: 10_250 } });
    expect(attr(chart.svg, 'data-points')).toEqual(['4']);
    expect(chart.alt).toBe("Paper equity from 2020-03-12 to 2020-03-16 against the challenge's path");
  });

  it('should let equity now stand for the session it is in rather than add a second point that day', () => {
    expect(attr(equityChart({ ...base, positions: [], now: { date: '2020-03-13', equityUsd: 10_300 } }).svg, 'data-points')).toEqual(['3']);
  });

  it('should mark trades on their New York day, a break-even close as neither a win nor a loss, and say modeled', () => {
    const chart = equityChart({
      ...base,
      positions: [
        position('2020-03-12T19:00:00Z', '2020-03-13T15:00:00Z', 120),
        // Closed at 20:30 New York on Mar 13: Mar 14 in UTC, still the 13th on the chart.
        position('2020-03-12T19:00:00Z', '2020-03-14T00:30:00Z', 0),
      ],
    });
    expect(attr(chart.svg, 'data-kind')).toEqual(['open', 'close', 'open', 'close']);
    expect(attr(chart.svg, 'data-outcome')).toEqual(['win']);
    expect(chart.alt).toContain('(modeled option prices)');
  });
});
