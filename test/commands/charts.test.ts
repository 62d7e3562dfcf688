/** Which replies carry a chart, and what the chart shows: /scan of one ticker and /equity. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChartImages } from '../../src/notify/chart-image.ts';
import { decodePng } from '../support/png.ts';
import { createHarness, type Harness } from './harness.ts';
import { ADMIN, createLedgerHarness } from './ledger-harness.ts';

const series = (svg: string, name: string) => Number(new RegExp(`data-series="${name}"[^>]*data-points="(\\d+)"`).exec(svg)?.[1] ?? 0);

describe('charts on command replies', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => h.close());

  it('should give /scan of one ticker its chart: 60 closes, a full band, the breakout, the strike, the regime, modeled', async () => {
    const msg = await h.send('/scan SPY');
    expect(msg.chart).toMatchObject({ fileName: 'SPY-scan.png', alt: 'SPY: the last 60 closes with the ±2σ band, the $235 put strike marked (modeled prices)' });
    const svg = msg.chart!.svg;
    expect(series(svg, 'close')).toBe(60);
    expect(series(svg, 'band')).toBe(60); // the scan fetched the band's history too
    for (const mark of ['breakout', 'strike', 'modeled']) expect(svg).toContain(`data-mark="${mark}"`);
    expect(svg).toContain('$235 put, Mar 20');
    expect(svg).toContain('BEARISH regime · long 0.0x / short 1.0x');
    const png = decodePng((await createChartImages().image(msg.chart))!.png);
    expect([png.width, png.height]).toEqual([1200, 675]);
    expect(png.inkShare).toBeGreaterThan(0.03);
  });

  it('should chart a ticker without a breakout without marking one, and give none to a failed or many-ticker scan', async () => {
    const quiet = await h.send('/scan TSLA');
    expect(quiet.chart?.svg).toContain('TSLA · no breakout · z = −1.78');
    expect(quiet.chart?.svg).not.toContain('data-mark="breakout"');
    expect(quiet.chart?.svg).not.toContain('data-mark="modeled"'); // real recorded closes, no option priced
    expect((await h.send('/scan NFLX')).chart).toBeUndefined(); // not recorded: nothing to draw
    expect((await h.send('/scan SPY TSLA')).chart).toBeUndefined();
  });
});

describe('/equity', () => {
  it('should chart the equity against the challenge path with the trades, and give the numbers', async () => {
    const l = await createLedgerHarness();
    try {
      await l.openFromScan('SPY');
      await l.send('/close 1', { user: ADMIN });
      const msg = await l.send('/equity');
      expect(msg.title).toBe('📈 Paper equity $9,928 (-$72 since 2020-03-12)');
      expect(msg.fields.find((f) => f.name === 'Challenge')?.value).toMatch(/^\$10,000 → \$1,000,000 by 2021-03-12: /);
      expect(msg.fields.find((f) => f.name === 'Trades')?.value).toBe('1 closed, 0 open');
      const svg = msg.chart!.svg;
      expect(msg.chart).toMatchObject({ fileName: 'equity.png' });
      for (const name of ['equity', 'challenge']) expect(svg).toContain(`data-series="${name}"`);
      expect(svg.match(/data-mark="trade"/g)?.length).toBeGreaterThanOrEqual(1);
      expect(svg).toContain('data-mark="modeled"'); // the SPY put was priced by the model
      expect(msg.data).toMatchObject({ summary: { equityUsd: expect.any(Number) } });
    } finally {
      await l.close();
    }
  });
});
