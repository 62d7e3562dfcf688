/**
 * The /scan chart: the last sessions' closes, the ±kσ band the breakout rule measured against, the
 * breakout bar, and the chosen option's strike. Pure: input in, SVG text out.
 * @module
 */
import { captionRow, legendRow, plotBox, spreadIndexes, svgDocument, THEME, titleRow, xAxis, yAxis, type LegendItem } from './frame.ts';
import { date, day, multiplier, signed, usd, usdTick } from './format.ts';
import { areaPath, el, linearScale, linePath, text, type Point } from './svg.ts';
import type { ScanChartInput, ScanPoint } from './types.ts';

export const DEFAULT_SESSIONS = 60;

/**
 * The /scan chart as an SVG document (800×450 user units). Marked for tests and tools with
 * `data-series="close" | "band"` and `data-mark="breakout" | "strike" | "modeled"`.
 * @throws RangeError when there is nothing to draw or a price is not a finite number > 0.
 */
export function scanChartSvg(input: ScanChartInput): string {
  const sessions = input.sessions ?? DEFAULT_SESSIONS;
  if (!Number.isInteger(sessions) || sessions < 1) {
    throw new RangeError(`scanChartSvg: sessions must be a whole number >= 1, got ${sessions}`);
  }
  checkPoints(input.points);
  const from = Math.max(0, input.points.length - sessions);
  const shown = input.points.slice(from);
  // null: the last move was no breakout (a /scan of a quiet ticker), so nothing is marked or claimed.
  const breakoutIndex = input.breakoutIndex === null ? null : (input.breakoutIndex ?? input.points.length - 1);
  if (breakoutIndex !== null && (!Number.isInteger(breakoutIndex) || breakoutIndex < 0 || breakoutIndex >= input.points.length)) {
    throw new RangeError(`scanChartSvg: breakoutIndex ${breakoutIndex} is outside points (0..${input.points.length - 1})`);
  }
  if (input.option && !(input.option.strike > 0)) {
    throw new RangeError(`scanChartSvg: option.strike must be a number > 0, got ${input.option.strike}`);
  }

  const prices = shown.flatMap((p) => (p.band ? [p.close, p.band.lower, p.band.upper] : [p.close]));
  if (input.option) prices.push(input.option.strike);
  const lo = Math.min(...prices);
  const hi = Math.max(...prices);
  const pad = (hi - lo) * 0.08 || hi * 0.05;
  // Label width depends on the ticks, and the ticks on the box height only: measure them first.
  const probe = linearScale(lo - pad, hi + pad, 0, 1);
  const step = probe.ticks.length > 1 ? probe.ticks[1]! - probe.ticks[0]! : 1;
  const box = plotBox(probe.ticks.map((t) => usdTick(t, step)));
  const y = linearScale(lo - pad, hi + pad, box.bottom, box.top);
  const slot = shown.length > 1 ? (box.right - box.left - 16) / (shown.length - 1) : 0;
  const x = (i: number) => (shown.length > 1 ? box.left + 8 + i * slot : (box.left + box.right) / 2);

  const sideColor = input.side === 'LONG' ? THEME.long : THEME.short;
  const legend: LegendItem[] = [
    { label: 'close', color: THEME.ink, swatch: 'line' },
    { label: `\u00B1${input.k}\u03C3 band around the previous close`, color: THEME.band, swatch: 'area' },
  ];
  if (breakoutIndex !== null) legend.push({ label: `${input.side} breakout`, color: sideColor, swatch: 'dot' });
  if (input.option) legend.push({ label: 'option strike', color: THEME.strike, swatch: 'dashed' });

  const closes: Point[] = shown.map((p, i) => [x(i), y(p.close)]);
  const last = shown[shown.length - 1]!;
  const body = [
    titleRow(`${input.symbol} \u00B7 ${breakoutIndex === null ? 'no breakout' : input.side} \u00B7 z = ${signed(input.zScore, 2)}`, input.modeled),
    legendRow(legend),
    yAxis(y, box, (v) => usdTick(v, step)),
    xAxis(spreadIndexes(shown.length, 5).map((i) => ({ x: x(i), label: day(shown[i]!.time) })), box),
    bandPath(shown, x, y),
    el('path', { d: linePath(closes), fill: 'none', stroke: THEME.ink, 'stroke-width': 2, 'stroke-linejoin': 'round', 'data-series': 'close', 'data-points': closes.length }),
    input.option ? strikeLine(input.option, y(input.option.strike), box) : '',
    breakoutIndex !== null && breakoutIndex >= from ? breakoutMark(closes[breakoutIndex - from]!, input.side, sideColor, box) : '',
    captionRow(input.regime ? regimeText(input.regime) : '', `last close ${usd(last.close, true)} on ${date(last.time)}`),
  ].join('');
  return svgDocument(`${input.symbol} ${breakoutIndex === null ? 'scan' : `${input.side} breakout`} chart`, body);
}

/** "BEARISH regime · long 0.0x / short 1.0x" */
export function regimeText(regime: NonNullable<ScanChartInput['regime']>): string {
  return `${regime.state} regime \u00B7 long ${multiplier(regime.long)} / short ${multiplier(regime.short)}`;
}

/** "$240 put, Mar 20" */
export function strikeLabel(option: NonNullable<ScanChartInput['option']>): string {
  return `${usd(option.strike)} ${option.right}, ${day(option.expiry)}`;
}

function checkPoints(points: ScanPoint[]): void {
  if (points.length === 0) throw new RangeError('scanChartSvg: points is empty; there is nothing to draw');
  points.forEach((p, i) => {
    const values = p.band ? [p.close, p.band.lower, p.band.upper] : [p.close];
    if (!values.every((v) => Number.isFinite(v) && v > 0)) {
      throw new RangeError(`scanChartSvg: points[${i}] has a close or band that is not a finite number > 0`);
    }
    if (!(p.time instanceof Date) || Number.isNaN(p.time.getTime())) throw new RangeError(`scanChartSvg: points[${i}].time is not a valid Date`);
  });
}

/** The band as one path: a closed area for each run of sessions that have a band. */
function bandPath(shown: ScanPoint[], x: (i: number) => number, y: (v: number) => number): string {
  const runs: Array<{ top: Point[]; bottom: Point[] }> = [];
  let open = false;
  shown.forEach((p, i) => {
    if (!p.band) return void (open = false);
    if (!open) runs.push({ top: [], bottom: [] });
    open = true;
    const run = runs[runs.length - 1]!;
    run.top.push([x(i), y(p.band.upper)]);
    run.bottom.push([x(i), y(p.band.lower)]);
  });
  if (runs.length === 0) return '';
  const d = runs.map((r) => areaPath(r.top, r.bottom)).join('');
  return el('path', { d, fill: THEME.band, 'fill-opacity': 0.18, stroke: THEME.band, 'stroke-opacity': 0.45, 'stroke-width': 1, 'data-series': 'band', 'data-points': runs.reduce((n, r) => n + r.top.length, 0) });
}

/** A dashed line across the plot at the strike, labelled at its left end (the breakout sits at the right). */
function strikeLine(option: NonNullable<ScanChartInput['option']>, at: number, box: { left: number; right: number; top: number }): string {
  const labelY = at - box.top < 18 ? at + 16 : at - 6;
  return el(
    'g',
    { 'data-mark': 'strike' },
    el('line', { x1: box.left, y1: at, x2: box.right, y2: at, stroke: THEME.strike, 'stroke-width': 1.5, 'stroke-dasharray': '6 4' }) +
      text(box.left + 6, labelY, strikeLabel(option), {
        'font-size': 12,
        'font-weight': 'bold',
        fill: THEME.strike,
        stroke: THEME.background,
        'stroke-width': 3,
        'paint-order': 'stroke',
      }),
  );
}

/**
 * A dot on the breakout close and an arrow pointing the way the price broke: beyond the dot, or behind it
 * when beyond would leave the plot (a breakout is often the extreme of the window).
 */
function breakoutMark([cx, cy]: Point, side: 'LONG' | 'SHORT', color: string, box: { top: number; bottom: number }): string {
  const dir = side === 'LONG' ? -1 : 1;
  const beyond = cy + dir * 24;
  const fits = beyond >= box.top && beyond <= box.bottom;
  const tip = fits ? beyond : cy - dir * 12;
  const base = fits ? cy + dir * 12 : cy - dir * 24;
  const arrow = `M${cx.toFixed(1)} ${tip.toFixed(1)}L${(cx - 7).toFixed(1)} ${base.toFixed(1)}L${(cx + 7).toFixed(1)} ${base.toFixed(1)}Z`;
  return el(
    'g',
    { 'data-mark': 'breakout', 'data-side': side },
    el('circle', { cx, cy, r: 5.5, fill: color, stroke: THEME.background, 'stroke-width': 2 }) + el('path', { d: arrow, fill: color }),
  );
}
