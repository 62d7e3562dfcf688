/**
 * What every chart shares: the canvas, colours, title row with the MODELED PRICES badge, legend, axes and
 * caption. A chart builder computes its scales and series and hands the pieces to these.
 * @module
 */
import { el, text, type Scale } from './svg.ts';
import { textWidth } from './format.ts';

/** Canvas in SVG user units (16:9, as chat apps show an image); renderPng scales it to the width asked. */
export const THEME = {
  width: 800,
  height: 450,
  font: 'DejaVu Sans',
  background: '#ffffff',
  ink: '#1f2328',
  muted: '#57606a',
  grid: '#e6e8eb',
  long: '#15803d',
  short: '#dc2626',
  accent: '#2563eb',
  band: '#3b82f6',
  strike: '#7c3aed',
  path: '#6b7280',
  modeledFill: '#fef3c7',
  modeledInk: '#92400e',
} as const;

/** The plot area, in user units. */
export type Box = { left: number; top: number; right: number; bottom: number };

const PAD = 16;
const LABEL_PX = 12;

/** The plot area left of which the widest of `yLabels` fits. */
export function plotBox(yLabels: string[]): Box {
  const widest = Math.max(0, ...yLabels.map((label) => textWidth(label, LABEL_PX)));
  return { left: PAD + Math.ceil(widest) + 8, top: 70, right: THEME.width - PAD, bottom: THEME.height - 60 };
}

/** The whole document: white canvas (chat apps in dark mode would show a transparent one black) and `body`. */
export function svgDocument(label: string, body: string): string {
  const { width, height } = THEME;
  return el(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      'font-family': THEME.font,
      role: 'img',
      'aria-label': label,
    },
    el('rect', { width, height, fill: THEME.background }) + body,
  );
}

/** Title at the top left; when `modeled`, an amber MODELED PRICES badge at the top right. */
export function titleRow(title: string, modeled: boolean): string {
  const heading = text(PAD, 32, title, { 'font-size': 20, 'font-weight': 'bold', fill: THEME.ink, 'data-role': 'title' });
  if (!modeled) return heading;
  const label = 'MODELED PRICES';
  const w = Math.ceil(textWidth(label, 13, true)) + 20;
  const x = THEME.width - PAD - w;
  const badge =
    el('rect', { x, y: 12, width: w, height: 26, rx: 4, fill: THEME.modeledFill, stroke: THEME.modeledInk, 'stroke-width': 1.5 }) +
    text(x + w / 2, 30, label, { 'font-size': 13, 'font-weight': 'bold', fill: THEME.modeledInk, 'text-anchor': 'middle' });
  return heading + el('g', { 'data-mark': 'modeled' }, badge);
}

export type LegendItem = { label: string; color: string; swatch: 'line' | 'dashed' | 'area' | 'dot' | 'ring' };

/** One row of swatches and labels under the title. */
export function legendRow(items: LegendItem[]): string {
  let x = PAD;
  const y = 54;
  let out = '';
  for (const { label, color, swatch } of items) {
    const round = swatch === 'dot' || swatch === 'ring';
    if (swatch === 'area') out += el('rect', { x, y: y - 9, width: 18, height: 10, fill: color, 'fill-opacity': 0.25 });
    else if (round) {
      out += el('circle', { cx: x + 5, cy: y - 4, r: 4, fill: swatch === 'dot' ? color : THEME.background, stroke: color, 'stroke-width': 1.5 });
    } else {
      const dash = swatch === 'dashed' ? '5 3' : undefined;
      out += el('line', { x1: x, y1: y - 4, x2: x + 18, y2: y - 4, stroke: color, 'stroke-width': 2, 'stroke-dasharray': dash });
    }
    const labelX = x + (round ? 15 : 24);
    out += text(labelX, y, label, { 'font-size': LABEL_PX, fill: THEME.muted });
    x = labelX + textWidth(label, LABEL_PX) + 18;
  }
  return el('g', { 'data-role': 'legend' }, out);
}

/** Horizontal grid lines at the scale's ticks inside the box, labelled on the left by `format`. */
export function yAxis(y: Scale, box: Box, format: (value: number) => string): string {
  let out = '';
  for (const tick of y.ticks) {
    const at = y(tick);
    if (at < box.top - 0.5 || at > box.bottom + 0.5) continue;
    out += el('line', { x1: box.left, y1: at, x2: box.right, y2: at, stroke: THEME.grid, 'stroke-width': 1 });
    out += text(box.left - 8, at + 4, format(tick), { 'font-size': LABEL_PX, fill: THEME.muted, 'text-anchor': 'end' });
  }
  return el('g', { 'data-role': 'y-axis' }, out);
}

/** A baseline with ticks and labels under the box; labels near an edge are kept inside the canvas. */
export function xAxis(labels: Array<{ x: number; label: string }>, box: Box): string {
  let out = el('line', { x1: box.left, y1: box.bottom, x2: box.right, y2: box.bottom, stroke: THEME.muted, 'stroke-width': 1 });
  for (const { x, label } of labels) {
    const half = textWidth(label, LABEL_PX) / 2;
    const at = Math.min(Math.max(x, half + 4), THEME.width - half - 4);
    out += el('line', { x1: x, y1: box.bottom, x2: x, y2: box.bottom + 5, stroke: THEME.muted, 'stroke-width': 1 });
    out += text(at, box.bottom + 20, label, { 'font-size': LABEL_PX, fill: THEME.muted, 'text-anchor': 'middle' });
  }
  return el('g', { 'data-role': 'x-axis' }, out);
}

/** The bottom line: `left` (e.g. the regime) and an optional right-aligned note. */
export function captionRow(left: string, right?: string): string {
  const y = THEME.height - 14;
  let out = text(PAD, y, left, { 'font-size': 13, fill: THEME.ink, 'data-role': 'caption' });
  if (right) out += text(THEME.width - PAD, y, right, { 'font-size': 12, fill: THEME.muted, 'text-anchor': 'end' });
  return out;
}

/** Evenly spaced indexes 0..n-1 for about `count` axis labels, always including the first and last. */
export function spreadIndexes(n: number, count: number): number[] {
  if (n <= 0) return [];
  if (n <= count) return [...Array(n).keys()];
  const out = new Set<number>();
  for (let j = 0; j < count; j++) out.add(Math.round((j * (n - 1)) / (count - 1)));
  return [...out];
}

