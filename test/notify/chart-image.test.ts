import { describe, expect, it } from 'vitest';
import { renderPng } from '../../src/charts/index.ts';
import { CHART_WIDTH_PX, createChartImages } from '../../src/notify/chart-image.ts';
import { decodePng } from '../support/png.ts';
import { withChart } from './samples.ts';

const chart = withChart({}).chart;

describe('notify/chart-image', () => {
  it('should render a chart once for every copy of it, keyed by its SVG', async () => {
    let renders = 0;
    const images = createChartImages({ render: (svg, opts) => (renders++, renderPng(svg, opts)) });
    // Two destinations at once, then a copy read back from the store (another object with the same SVG).
    const [first] = await Promise.all([images.image(chart), images.image(chart)]);
    const again = await images.image(JSON.parse(JSON.stringify(chart)) as typeof chart);
    expect(renders).toBe(1);
    expect(again?.png).toBe(first?.png);
    expect(first).toMatchObject({ fileName: 'NFLX-scan.png', alt: chart.alt, widthPx: CHART_WIDTH_PX, heightPx: 675 });
    const decoded = decodePng(first!.png);
    expect([decoded.width, decoded.height]).toEqual([1200, 675]);
    expect(decoded.inkShare).toBeGreaterThan(0.03);
  });

  it('should give null for a message without a chart', async () => {
    expect(await createChartImages().image(undefined)).toBeNull();
  });

  it('should warn once and give null when a chart cannot be rendered, then render the next one', async () => {
    const warnings: string[] = [];
    let fail = true;
    const images = createChartImages({
      logger: { warn: (m) => warnings.push(m) },
      render: (svg, opts) => {
        if (fail) throw new Error('SVG data parsing failed');
        return renderPng(svg, opts);
      },
    });
    expect(await images.image(chart)).toBeNull();
    expect(await images.image(chart)).toBeNull();
    expect(warnings).toEqual(['chart NFLX-scan.png not rendered, sending the text alone: SVG data parsing failed']);
    fail = false;
    expect(await images.image(withChart({}, 'SPY-scan.png').chart)).toBeNull(); // same SVG: the failure is remembered
    expect(await images.image({ ...chart, svg: `${chart.svg}<!-- another -->` })).not.toBeNull();
  });

  it('should forget the least recently used chart beyond its cache size', async () => {
    let renders = 0;
    const images = createChartImages({ cacheSize: 2, render: (svg, opts) => (renders++, renderPng(svg, opts)) });
    const charts = ['A', 'B', 'C'].map((s) => ({ ...chart, svg: `${chart.svg}<!-- ${s} -->` }));
    for (const c of charts) await images.image(c);
    await images.image(charts[2]);
    await images.image(charts[1]);
    expect(renders).toBe(3);
    await images.image(charts[0]);
    expect(renders).toBe(4);
  });
});
