import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { equityChartSvg } from '../../src/charts/equity-chart.ts';
import { FONT_FILES, renderPng } from '../../src/charts/png.ts';
import { scanChartSvg } from '../../src/charts/scan-chart.ts';
import { equityInput, scanInput, scanPoints } from './fixtures.ts';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the IHDR chunk, which must come first after the signature. */
function ihdr(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(SIGNATURE)).toBe(true);
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Share of pixels that are not (near) white, decoded by pngjs rather than by resvg itself. */
function inkShare(png: Buffer, region?: { x0: number; y0: number; x1: number; y1: number }): number {
  const image = PNG.sync.read(png);
  const { x0 = 0, y0 = 0, x1 = image.width, y1 = image.height } = region ?? {};
  let inked = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * image.width + x) * 4;
      if (image.data[i]! < 235 || image.data[i + 1]! < 235 || image.data[i + 2]! < 235) inked++;
    }
  }
  return inked / ((x1 - x0) * (y1 - y0));
}

describe('charts/png renderPng', () => {
  it('should render the scan chart to a PNG of the asked width and the canvas aspect ratio', () => {
    const { png, widthPx, heightPx } = renderPng(scanChartSvg(scanInput()), { widthPx: 1200 });
    expect({ widthPx, heightPx }).toEqual({ widthPx: 1200, heightPx: 675 });
    expect(ihdr(png)).toEqual({ width: 1200, height: 675 });
    const image = PNG.sync.read(png);
    expect([image.width, image.height]).toEqual([1200, 675]);
    // A line chart on white: some ink, but mostly background.
    const share = inkShare(png);
    expect(share).toBeGreaterThan(0.03);
    expect(share).toBeLessThan(0.5);
  });

  it('should render the equity chart with its drawdown area filled', () => {
    const { png } = renderPng(equityChartSvg(equityInput()), { widthPx: 800 });
    expect(ihdr(png)).toEqual({ width: 800, height: 450 });
    expect(inkShare(png)).toBeGreaterThan(0.03);
  });

  it('should draw text with the bundled font alone (system fonts are never loaded)', () => {
    for (const file of FONT_FILES) expect(statSync(file).size).toBeGreaterThan(10_000);
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><rect width="200" height="40" fill="#fff"/>' +
      '<text x="10" y="28" font-size="24" font-family="DejaVu Sans">HELLO</text></svg>';
    const blank = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><rect width="200" height="40" fill="#fff"/></svg>';
    expect(inkShare(renderPng(svg, { widthPx: 200 }).png)).toBeGreaterThan(0.05);
    expect(inkShare(renderPng(blank, { widthPx: 200 }).png)).toBe(0);
  });

  it('should draw the MODELED PRICES badge in the top right corner only when modeled', () => {
    const corner = { x0: 620, y0: 10, x1: 790, y1: 40 };
    expect(inkShare(renderPng(scanChartSvg(scanInput({ modeled: true })), { widthPx: 800 }).png, corner)).toBeGreaterThan(0.5);
    expect(inkShare(renderPng(scanChartSvg(scanInput({ modeled: false })), { widthPx: 800 }).png, corner)).toBe(0);
  });

  it('should refuse a width it will not make, and SVG that does not parse', () => {
    const svg = scanChartSvg(scanInput());
    for (const widthPx of [0, 1.5, 5000, Number.NaN]) {
      expect(() => renderPng(svg, { widthPx })).toThrow(/widthPx must be a whole number in 1\.\.3200/);
    }
    expect(() => renderPng('<svg', { widthPx: 100 })).toThrow();
  });

  it('should write sample PNGs for a person to look at', () => {
    const dir = join(tmpdir(), 'hundredx-charts');
    mkdirSync(dir, { recursive: true });
    const samples = {
      'scan-short-modeled.png': scanChartSvg(scanInput()),
      'scan-long.png': scanChartSvg(scanInput({ side: 'LONG', zScore: 2.61, modeled: false, points: scanPoints(90, 0.06), option: { strike: 275, right: 'call', expiry: new Date('2020-05-15T00:00:00Z') }, regime: { state: 'BULLISH', long: 1, short: 0 } })),
      'equity-120d-log.png': equityChartSvg(equityInput()),
      'equity-60d-linear.png': equityChartSvg(equityInput({ modeled: false }, 60)),
    };
    for (const [name, svg] of Object.entries(samples)) {
      const path = join(dir, name);
      writeFileSync(path, renderPng(svg, { widthPx: 1200 }).png);
      console.log(`chart sample: ${path}`);
      expect(statSync(path).size).toBeGreaterThan(10_000);
    }
  });
});
