import { describe, expect, it } from 'vitest';
import { renderPng } from '../../src/charts/png.ts';
import { regimeText, scanChartSvg, strikeLabel } from '../../src/charts/scan-chart.ts';
import { scanInput, scanPoints } from './fixtures.ts';

/** The attributes of the first element carrying `marker` (e.g. `data-series="close"`), or undefined. */
function element(svg: string, marker: string): string | undefined {
  return svg.match(new RegExp(`<[a-z]+ [^>]*${marker}[^>]*>`))?.[0];
}
const pointsIn = (d: string) => (d.match(/[ML]/g) ?? []).length;
const attr = (tag: string, name: string) => tag.match(new RegExp(` ${name}="([^"]*)"`))?.[1];

describe('charts/scan-chart scanChartSvg', () => {
  it('should draw the last 60 closes as one path of 60 points', () => {
    const svg = scanChartSvg(scanInput());
    const close = element(svg, 'data-series="close"')!;
    expect(close).toMatch(/^<path /);
    expect(attr(close, 'data-points')).toBe('60');
    expect(pointsIn(attr(close, 'd')!)).toBe(60);
  });

  it('should draw fewer when fewer sessions are asked for or given', () => {
    expect(attr(element(scanChartSvg(scanInput({ sessions: 30 })), 'data-series="close"')!, 'data-points')).toBe('30');
    expect(attr(element(scanChartSvg(scanInput({ points: scanPoints(12, 0.05) })), 'data-series="close"')!, 'data-points')).toBe('12');
  });

  it('should draw the band as closed areas only where the points have one', () => {
    const full = element(scanChartSvg(scanInput()), 'data-series="band"')!;
    expect(attr(full, 'data-points')).toBe('60');
    expect(attr(full, 'd')).toMatch(/^M.*Z$/);
    // 30 points, of which the first 21 have no band (lookback 20 + 1): 9 banded sessions remain.
    const early = element(scanChartSvg(scanInput({ points: scanPoints(30, -0.05) })), 'data-series="band"')!;
    expect(attr(early, 'data-points')).toBe('9');
    // With a gap in the middle, the band is two areas in one path.
    const gapped = scanPoints(90, -0.05).map((p, i) => (i === 60 ? { time: p.time, close: p.close } : p));
    const split = element(scanChartSvg(scanInput({ points: gapped })), 'data-series="band"')!;
    expect(attr(split, 'd')!.match(/Z/g)).toHaveLength(2);
    expect(element(scanChartSvg(scanInput({ points: scanPoints(10, 0.01) })), 'data-series="band"')).toBeUndefined();
  });

  it('should mark the breakout bar in the colour of its side', () => {
    const short = scanChartSvg(scanInput());
    expect(element(short, 'data-mark="breakout"')).toContain('data-side="SHORT"');
    expect(short).toMatch(/data-mark="breakout"[^>]*><circle [^>]*fill="#dc2626"/);
    const long = scanChartSvg(scanInput({ side: 'LONG', zScore: 2.5, points: scanPoints(90, 0.07) }));
    expect(long).toMatch(/data-mark="breakout"[^>]*><circle [^>]*fill="#15803d"/);
  });

  it('should place the breakout marker on the close it names', () => {
    const input = scanInput({ breakoutIndex: 80 });
    const svg = scanChartSvg(input);
    const closes = attr(element(svg, 'data-series="close"')!, 'd')!.split(/[ML]/).filter(Boolean);
    const [x, y] = closes[80 - 30]!.split(' ').map(Number);
    const dot = svg.match(/data-mark="breakout"[^>]*><circle cx="([\d.]+)" cy="([\d.]+)"/)!;
    expect(Number(dot[1])).toBeCloseTo(x!, 1);
    expect(Number(dot[2])).toBeCloseTo(y!, 1);
    // A breakout before the window has no marker; one outside the points is an error.
    expect(scanChartSvg(scanInput({ breakoutIndex: 5 }))).not.toContain('data-mark="breakout"');
    expect(() => scanChartSvg(scanInput({ breakoutIndex: 90 }))).toThrow(/breakoutIndex 90 is outside points \(0\.\.89\)/);
  });

  it('should mark and claim no breakout for a quiet ticker (breakoutIndex null)', () => {
    const svg = scanChartSvg(scanInput({ breakoutIndex: null }));
    expect(svg).not.toContain('data-mark="breakout"');
    expect(svg).not.toContain('SHORT breakout');
    expect(svg).toMatch(/· no breakout · z = /);
  });

  it('should draw the strike as a dashed line labelled with the contract', () => {
    const svg = scanChartSvg(scanInput({ option: { strike: 240, right: 'put', expiry: new Date('2020-03-20T00:00:00Z') } }));
    expect(svg).toMatch(/data-mark="strike"><line [^>]*stroke-dasharray="6 4"/);
    expect(svg).toMatch(/data-mark="strike">.*<text [^>]*>\$240 put, Mar 20<\/text>/);
    expect(scanChartSvg(scanInput({ option: undefined }))).not.toContain('data-mark="strike"');
  });

  it('should write the title, the legend and the regime caption', () => {
    const svg = scanChartSvg(scanInput());
    expect(svg).toContain('data-role="title">AAPL \u00B7 SHORT \u00B7 z = \u22123.12</text>');
    expect(svg).toContain('\u00B12\u03C3 band around the previous close');
    expect(svg).toContain('data-role="caption">BEARISH regime \u00B7 long 0.0x / short 1.0x</text>');
  });

  it('should show MODELED PRICES only when the prices are modeled', () => {
    expect(scanChartSvg(scanInput({ modeled: true }))).toMatch(/data-mark="modeled">.*MODELED PRICES/);
    expect(scanChartSvg(scanInput({ modeled: false }))).not.toContain('MODELED');
  });

  it('should label the y axis in dollars and the x axis with session dates', () => {
    const svg = scanChartSvg(scanInput());
    const yAxis = svg.match(/<g data-role="y-axis">(.*?)<\/g>/)![1]!;
    expect([...yAxis.matchAll(/>([^<]+)<\/text>/g)].map((m) => m[1])).toEqual(['$240', '$250', '$260', '$270']);
    expect(svg).toMatch(/data-role="x-axis">.*>Mar \d+<\/text>/);
  });

  it('should escape a symbol that carries markup, and still render', () => {
    const svg = scanChartSvg(scanInput({ symbol: '<script>alert(1)</script>&"' }));
    expect(svg).not.toContain('<script');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;');
    expect(() => renderPng(svg, { widthPx: 200 })).not.toThrow();
  });

  it('should refuse input it cannot draw, saying which', () => {
    expect(() => scanChartSvg(scanInput({ points: [] }))).toThrow(/points is empty/);
    const bad = scanPoints(30, 0.01);
    bad[4] = { ...bad[4]!, close: Number.NaN };
    expect(() => scanChartSvg(scanInput({ points: bad }))).toThrow(/points\[4\] has a close or band that is not a finite number > 0/);
    expect(() => scanChartSvg(scanInput({ sessions: 0 }))).toThrow(/sessions must be a whole number >= 1/);
  });

  it('should draw a single session', () => {
    const svg = scanChartSvg(scanInput({ points: scanPoints(1, 0), option: undefined }));
    expect(attr(element(svg, 'data-series="close"')!, 'data-points')).toBe('1');
  });
});

describe('charts/scan-chart labels', () => {
  it.each([
    [{ strike: 240, right: 'put' as const, expiry: new Date('2020-03-20T00:00:00Z') }, '$240 put, Mar 20'],
    [{ strike: 242.5, right: 'call' as const, expiry: new Date('2021-01-15T00:00:00Z') }, '$242.50 call, Jan 15'],
  ])('strikeLabel should read %j as %s', (option, expected) => {
    expect(strikeLabel(option)).toBe(expected);
  });

  it('should describe the regime with its multipliers', () => {
    expect(regimeText({ state: 'NEUTRAL', long: 0.5, short: 0.5 })).toBe('NEUTRAL regime \u00B7 long 0.5x / short 0.5x');
  });
});
