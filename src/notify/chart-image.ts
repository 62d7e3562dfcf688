/**
 * @module A message's chart as the PNG that sinks and chat replies attach. Rendered once per chart: a small
 * cache keyed by the SVG's hash serves every destination's copy of an alert and its retries (the outbox
 * reads each delivery back from the store, so the Message objects differ while the SVG does not). A chart is
 * never a reason to lose a message: one that fails to render is logged once and left out, and the text goes
 * alone.
 */
import { createHash } from 'node:crypto';
import type { Png, PngOptions } from '../charts/png.ts';
import type { Logger } from '../core/log.ts';
import type { MessageChart } from './message.ts';

/**
 * Width of the PNGs we send: 1.5x the 800 px canvas, sharp on a phone's screen and below the 1280 px Telegram
 * scales photos down to. Measured in bench/charts.bench.ts.
 */
export const CHART_WIDTH_PX = 1200;

/** A rendered chart: the PNG and what to call it. `alt` is the chart's description for screen readers. */
export type ChartImage = { png: Buffer; fileName: string; alt: string; widthPx: number; heightPx: number };

/** Turns a message's chart into its PNG, or null when there is none or it could not be drawn (logged). */
export type ChartImages = { image(chart: MessageChart | undefined): Promise<ChartImage | null> };

export type ChartImagesOptions = {
  widthPx?: number;
  logger?: Pick<Logger, 'warn'>;
  /** Charts kept rendered; a cycle's alerts go out one after another, so a few suffice. */
  cacheSize?: number;
  /** The rasteriser (tests: one that fails). Default charts/png.ts's renderPng, loaded on the first chart. */
  render?: (svg: string, opts: PngOptions) => Png;
};

/** resvg's native module takes a while to load and most runs (the CLI, a bot between alerts) draw nothing. */
const loadRenderer = async () => (await import('../charts/png.ts')).renderPng;

const DEFAULT_CACHE_SIZE = 16;

export function createChartImages(opts: ChartImagesOptions = {}): ChartImages {
  const widthPx = opts.widthPx ?? CHART_WIDTH_PX;
  const log = opts.logger ?? console;
  const maxEntries = opts.cacheSize ?? DEFAULT_CACHE_SIZE;
  // Promises, so two destinations asking at once share one render. Map keeps insertion order: re-inserting on a
  // hit makes the first key the least recently used.
  const cache = new Map<string, Promise<Png | null>>();
  const render = async (chart: MessageChart): Promise<Png | null> => {
    try {
      const rasterise = opts.render ?? (await loadRenderer());
      return rasterise(chart.svg, { widthPx });
    } catch (err) {
      // Cached as null too: one warning per chart, not one per destination and retry.
      log.warn(`chart ${chart.fileName} not rendered, sending the text alone: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    }
  };
  return {
    async image(chart) {
      if (!chart) return null;
      const key = createHash('sha1').update(chart.svg).digest('hex');
      const png = cache.get(key) ?? render(chart);
      cache.delete(key);
      cache.set(key, png);
      if (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
      const drawn = await png;
      return drawn ? { png: drawn.png, fileName: chart.fileName, alt: chart.alt, widthPx: drawn.widthPx, heightPx: drawn.heightPx } : null;
    },
  };
}
