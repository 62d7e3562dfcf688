import { describe, expect, it } from 'vitest';
import { areaPath, el, esc, linePath, logTicks, niceTicks, num, text } from '../../src/charts/svg.ts';
import { day, signed, textWidth, usd, usdTick } from '../../src/charts/format.ts';

describe('charts/svg esc', () => {
  it('should escape the five XML specials', () => {
    expect(esc(`<script>alert("x" & 'y')</script>`)).toBe('&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;');
  });

  it('should drop characters XML 1.0 forbids, which would make resvg reject the whole document', () => {
    expect(esc('A\u0000B\u0007C\u001FD\uFFFE\uD800E')).toBe('ABCDE');
  });

  it('should keep tabs, newlines and astral characters', () => {
    expect(esc('a\tb\nc \u{1F680}')).toBe('a\tb\nc \u{1F680}');
  });

  it('should escape attribute values and text content built by el and text', () => {
    expect(el('g', { 'data-x': '"><script>' }, '')).toBe('<g data-x="&quot;&gt;&lt;script&gt;"></g>');
    expect(text(1, 2, '<b>')).toBe('<text x="1" y="2">&lt;b&gt;</text>');
  });
});

describe('charts/svg numbers and paths', () => {
  it.each([
    [1, '1'],
    [1.006, '1.01'],
    [-0.001, '0'],
    [123.456, '123.46'],
  ])('should write %s as %s', (value, expected) => {
    expect(num(value)).toBe(expected);
  });

  it('should build path data with one decimal, and close an area', () => {
    expect(linePath([[0, 0], [10.26, 5]])).toBe('M0.0 0.0L10.3 5.0');
    expect(areaPath([[0, 1], [2, 3]], [[0, 5], [2, 6]])).toBe('M0.0 1.0L2.0 3.0L2.0 6.0L0.0 5.0Z');
    expect(areaPath([], [])).toBe('');
  });
});

describe('charts/svg ticks', () => {
  it.each([
    [0, 10, 5, [0, 2, 4, 6, 8, 10]],
    [236.2, 271.9, 5, [240, 250, 260, 270]],
    [0.31, 0.42, 4, [0.325, 0.35, 0.375, 0.4]],
    [5, 5, 5, [5]],
  ])('niceTicks(%s, %s, %s) should be %j', (min, max, count, expected) => {
    expect(niceTicks(min, max, count)).toEqual(expected);
  });

  it.each([
    [9000, 850_000, [10_000, 20_000, 50_000, 100_000, 200_000, 500_000]],
    [9000, 90_000, [10_000, 20_000, 50_000]],
    [900, 2_000_000_000, [1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000]],
    [11_000, 19_000, [12_000, 14_000, 16_000, 18_000]],
  ])('logTicks(%s, %s) should be %j', (min, max, expected) => {
    expect(logTicks(min, max)).toEqual(expected);
  });
});

describe('charts/format', () => {
  it.each([
    [12_500, undefined, '$12,500'],
    [242.5, undefined, '$242.50'],
    [1_000_000, undefined, '$1,000,000'],
    [-1200, undefined, '\u2212$1,200'],
    [20_924.91, false, '$20,925'],
  ])('usd(%s, %s) should be %s', (amount, withCents, expected) => {
    expect(usd(amount, withCents)).toBe(expected);
  });

  it('should show cents on axis labels only when the step is below a dollar', () => {
    expect(usdTick(24, 2)).toBe('$24');
    expect(usdTick(24.5, 0.5)).toBe('$24.50');
  });

  it('should sign with a real minus and never print a negative zero', () => {
    expect(signed(-2.414, 2)).toBe('\u22122.41');
    expect(signed(3.1, 2)).toBe('3.10');
    expect(signed(-0.001, 2)).toBe('0.00');
  });

  it('should print dates in UTC', () => {
    expect(day(new Date('2020-03-20T00:00:00Z'))).toBe('Mar 20');
    expect(day(new Date('2020-03-20T23:59:00Z'))).toBe('Mar 20');
  });

  it('should estimate wider text for wider and bolder strings', () => {
    expect(textWidth('MODELED', 13)).toBeGreaterThan(textWidth('modeled', 13));
    expect(textWidth('abc', 12, true)).toBeGreaterThan(textWidth('abc', 12));
  });
});
