import { describe, expect, it } from 'vitest';
import { chooseScale, drawdowns, equityChartSvg, pathValue } from '../../src/charts/equity-chart.ts';
import { renderPng } from '../../src/charts/png.ts';
import { equityInput, sessions } from './fixtures.ts';

const attr = (tag: string, name: string) => tag.match(new RegExp(` ${name}="([^"]*)"`))?.[1];
const element = (svg: string, marker: string) => svg.match(new RegExp(`<[a-z]+ [^>]*${marker}[^>]*>`))?.[0];
const curve = (values: number[]) => sessions('2024-01-02', values.length).map((time, i) => ({ time, equityUsd: values[i]! }));

describe('charts/equity-chart equityChartSvg', () => {
  it('should draw the equity as one path through every point', () => {
    const svg = equityChartSvg(equityInput());
    const equity = element(svg, 'data-series="equity"')!;
    expect(attr(equity, 'data-points')).toBe('120');
    expect(attr(equity, 'd')!.match(/[ML]/g)).toHaveLength(120);
  });

  it('should shade the drawdown when the curve falls, with its depth', () => {
    const svg = equityChartSvg({ points: curve([10_000, 12_000, 9_000, 11_000, 13_000]) });
    const area = element(svg, 'data-series="drawdown"')!;
    expect(attr(area, 'data-max-drawdown')).toBe('0.2500');
    expect(attr(area, 'd')).toMatch(/Z$/);
    expect(svg).toContain('max drawdown 25.0%');
  });

  it('should not shade anything when the curve never falls', () => {
    const svg = equityChartSvg({ points: curve([10_000, 10_500, 10_500, 12_000]) });
    expect(svg).not.toContain('data-series="drawdown"');
    expect(svg).not.toContain('>drawdown<');
  });

  it('should draw the challenge path from the start to the last day, and say where it stands', () => {
    const svg = equityChartSvg(equityInput());
    const path = element(svg, 'data-series="challenge"')!;
    expect(attr(path, 'stroke-dasharray')).toBe('7 5');
    expect(attr(path, 'd')!.match(/[ML]/g)).toHaveLength(49);
    expect(svg).toContain('required path to $1,000,000');
    expect(svg).toMatch(/behind the path \(\$[\d,]+\)/);
    expect(svg).toContain('target by Jan 2, 2025');
    expect(equityChartSvg(equityInput({ challenge: undefined }))).not.toContain('data-series="challenge"');
  });

  it('should put each trade on the curve, coloured by kind and outcome', () => {
    const t = sessions('2024-01-02', 4);
    const svg = equityChartSvg({
      points: curve([10_000, 11_000, 10_000, 10_500]),
      trades: [
        { time: t[0]!, kind: 'open' },
        { time: t[1]!, kind: 'close', outcome: 'win' },
        { time: t[2]!, kind: 'close', outcome: 'loss' },
        { time: new Date('2030-01-01T00:00:00Z'), kind: 'open' },
      ],
    });
    const marks = [...svg.matchAll(/<circle [^>]*data-mark="trade"[^>]*>/g)].map((m) => m[0]);
    expect(marks).toHaveLength(3);
    expect(marks[0]).toMatch(/fill="#ffffff" stroke="#2563eb".*data-kind="open"/);
    expect(marks[1]).toMatch(/fill="#15803d".*data-kind="close" data-outcome="win"/);
    expect(marks[2]).toMatch(/fill="#dc2626".*data-kind="close" data-outcome="loss"/);
    // The win sits on the $11,000 peak: the highest point of the equity path.
    const ys = attr(element(svg, 'data-series="equity"')!, 'd')!.split(/[ML]/).filter(Boolean).map((p) => Number(p.split(' ')[1]));
    expect(Number(attr(marks[1]!, 'cy'))).toBeCloseTo(Math.min(...ys), 1);
  });

  it('should label the y axis in dollars with thousands separators', () => {
    const svg = equityChartSvg({ points: curve([10_000, 12_500, 15_000]) });
    const labels = [...svg.match(/<g data-role="y-axis">(.*?)<\/g>/)![1]!.matchAll(/>([^<]+)<\/text>/g)].map((m) => m[1]);
    expect(labels).toEqual(['$10,000', '$11,000', '$12,000', '$13,000', '$14,000', '$15,000']);
  });

  it('should pick a log axis when the values span 5x or more, and say so', () => {
    expect(equityChartSvg(equityInput({}, 250))).toMatch(/data-scale="log".*log scale/);
    expect(equityChartSvg(equityInput({}, 40))).toMatch(/data-scale="linear".*linear scale/);
    expect(equityChartSvg(equityInput({ scale: 'linear' }, 250))).toContain('data-scale="linear"');
  });

  it('should show MODELED PRICES only when asked', () => {
    expect(equityChartSvg(equityInput({ modeled: true }))).toContain('data-mark="modeled"');
    expect(equityChartSvg(equityInput({ modeled: undefined }))).not.toContain('MODELED');
  });

  it('should escape the title', () => {
    const svg = equityChartSvg({ title: '</text><script>x</script>', points: curve([1, 2]) });
    expect(svg).not.toContain('<script');
    expect(svg).toContain('&lt;/text&gt;&lt;script&gt;x&lt;/script&gt;');
    expect(() => renderPng(svg, { widthPx: 100 })).not.toThrow();
  });

  it('should refuse input it cannot draw, saying which', () => {
    expect(() => equityChartSvg({ points: [] })).toThrow(/points is empty/);
    expect(() => equityChartSvg({ points: curve([1, Number.NaN]) })).toThrow(/points\[1\] needs a valid time and a finite equityUsd/);
    expect(() => equityChartSvg({ points: curve([0, 5]), scale: 'log' })).toThrow(/log scale needs every value > 0, the lowest is 0/);
    expect(() => equityChartSvg({ points: curve([1, 2]), challenge: { startUsd: 0, targetUsd: 1, months: 1 } })).toThrow(/challenge needs/);
  });

  it('should draw a single point', () => {
    expect(attr(element(equityChartSvg({ points: curve([10_000]) }), 'data-series="equity"')!, 'data-points')).toBe('1');
  });

  it('should name each day on the x axis once, even when the chart spans a single day', () => {
    const svg = equityChartSvg({ points: curve([10_000, 10_200]) });
    const axis = svg.match(/<g data-role="x-axis">(.*?)<\/g>/)![1]!;
    const labels = [...axis.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(labels.length).toBeGreaterThan(0);
    expect(new Set(labels).size).toBe(labels.length);
  });
});

describe('charts/equity-chart math', () => {
  it('should grow the required path exponentially: half way in time is the geometric mean', () => {
    const c = { startUsd: 10_000, targetUsd: 1_000_000, months: 12 };
    expect(pathValue(c, 0, 100, 0)).toBe(10_000);
    expect(pathValue(c, 0, 100, 50)).toBeCloseTo(100_000, 6);
    expect(pathValue(c, 0, 100, 100)).toBeCloseTo(1_000_000, 6);
  });

  it('should track running peaks and the deepest fall from one', () => {
    const { peaks, maxDrawdown } = drawdowns([10, 12, 6, 15, 12].map((usd, t) => ({ t, usd })));
    expect(peaks.map((p) => p.usd)).toEqual([10, 12, 12, 15, 15]);
    expect(maxDrawdown).toBe(0.5);
  });

  it.each([
    ['auto', 10_000, 49_000, 'linear'],
    ['auto', 10_000, 50_000, 'log'],
    ['auto', 0, 50_000, 'linear'],
    ['log', 1, 2, 'log'],
    ['linear', 1, 1_000, 'linear'],
  ] as const)('chooseScale(%s, %s, %s) should be %s', (asked, lo, hi, expected) => {
    expect(chooseScale(asked, lo, hi)).toBe(expected);
  });
});
