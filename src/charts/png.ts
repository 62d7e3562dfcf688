/**
 * SVG -> PNG through resvg (Rust, shipped as a prebuilt binary per platform in the npm package): no browser,
 * no system libraries, and only the bundled fonts, so a chart looks the same on every machine.
 * @module
 */
import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';
import { fileURLToPath } from 'node:url';
import { THEME } from './frame.ts';

/** DejaVu Sans, subset to the characters charts use; see fonts/README.md for what is in them and why. */
export const FONT_FILES = ['DejaVuSans-subset.ttf', 'DejaVuSans-Bold-subset.ttf'].map((name) =>
  fileURLToPath(new URL(`./fonts/${name}`, import.meta.url)),
);

/** Widest PNG we make: 4x the canvas. Past that a chat app only scales it down again. */
export const MAX_WIDTH_PX = 3200;

export type PngOptions = {
  /** Width of the PNG in pixels; the height follows the SVG's aspect ratio. */
  widthPx: number;
};

export type Png = { png: Buffer; widthPx: number; heightPx: number };

const FONT_OPTIONS: NonNullable<ResvgRenderOptions['font']> = {
  fontFiles: FONT_FILES,
  // Never the system's fonts: a machine with other fonts would draw other pictures (and a container with
  // none would draw no text at all).
  loadSystemFonts: false,
  defaultFontFamily: THEME.font,
  sansSerifFamily: THEME.font,
};

/**
 * Rasterise `svg` to a PNG `widthPx` wide. Synchronous: about 10-20 ms for a chart at 800 px on one core,
 * which a caller that must not block its event loop that long can move to a worker.
 * @throws RangeError when widthPx is not a whole number in 1..MAX_WIDTH_PX; resvg's own Error when the
 *   SVG does not parse.
 */
export function renderPng(svg: string, { widthPx }: PngOptions): Png {
  if (!Number.isInteger(widthPx) || widthPx < 1 || widthPx > MAX_WIDTH_PX) {
    throw new RangeError(`renderPng: widthPx must be a whole number in 1..${MAX_WIDTH_PX}, got ${widthPx}`);
  }
  const image = new Resvg(svg, { font: FONT_OPTIONS, fitTo: { mode: 'width', value: widthPx } }).render();
  return { png: image.asPng(), widthPx: image.width, heightPx: image.height };
}
