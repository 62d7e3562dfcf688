/**
 * The equity chart: the account's equity over time, its drawdowns shaded, the challenge's required path
 * ($10k -> $1M in N months, exponential) and the trades on the curve. Pure: input in, SVG text out.
 * @module
 */
import { captionRow, legendRow, plotBox, svgDocument, THEME, titleRow, xAxis, yAxis, type LegendItem } from './frame.ts';
import { date, day, month, pct, usd } from './format.ts';
import { areaPath, el, linearScale, linePath, logScale, type Point, type Scale } from './svg.ts';
import type { ChallengePath, EquityChartInput, EquityTrade } from './types.ts';

const DAY_MS = 86_400_000;
/** Samples of the required path: enough for a smooth curve on a linear axis. */
const PATH_SAMPLES = 48;

type Sample = { t: number; usd: number };

/**
 * The equity chart as an SVG document (800×450 user units). Marked with `data-series="equity" | "drawdown" |
 * "challenge"`, `data-mark="trade" | "modeled"` and `data-scale` on the document's y axis group.
 * @throws RangeError when there are no points, a point is not finite, or a log scale is asked for equity <= 0.
 */
export function equityChartSvg(input: EquityChartInput): string {
  const points = input.points.map((p, i) => {
    if (!(p.time instanceof Date) || !Number.isFinite(p.time.getTime()) || !Number.isFinite(p.equityUsd)) {
      throw new RangeError(`equityChartSvg: points[${i}] needs a valid time and a finite equityUsd`);
    }
    return { t: p.time.getTime(), usd: p.equityUsd };
  });
  if (points.length === 0) throw new RangeError('equityChartSvg: points is empty; there is nothing to draw');
  const t0 = points[0]!.t;
  const t1 = Math.max(points[points.length - 1]!.t, t0 + DAY_MS);
  const challenge = input.challenge ? challengeSamples(input.challenge, t0, t1) : null;

  const values = [...points, ...(challenge?.samples ?? [])].map((s) => s.usd);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const scaleKind = chooseScale(input.scale ?? 'auto', lo, hi);
  const makeY = (r0: number, r1: number): Scale => {
    if (scaleKind === 'log') return logScale(lo / 1.06, hi * 1.06, r0, r1);
    const pad = (hi - lo) * 0.06 || Math.abs(hi) * 0.05 || 1;
    return linearScale(lo - pad, hi + pad, r0, r1);
  };
  const box = plotBox(makeY(0, 1).ticks.map((v) => usd(v)));
  const y = makeY(box.bottom, box.top);
  const x = (t: number) => box.left + 8 + ((t - t0) / (t1 - t0)) * (box.right - box.left - 16);

  const curve: Point[] = points.map((p) => [x(p.t), y(p.usd)]);
  const { peaks, maxDrawdown } = drawdowns(points);
  const trades = (input.trades ?? []).filter((tr) => tr.time.getTime() >= t0 && tr.time.getTime() <= points[points.length - 1]!.t);
  const legend: LegendItem[] = [{ label: 'equity', color: THEME.accent, swatch: 'line' }];
  if (maxDrawdown > 0) legend.push({ label: 'drawdown', color: THEME.short, swatch: 'area' });
  if (challenge) legend.push({ label: `required path to ${usd(input.challenge!.targetUsd)}`, color: THEME.path, swatch: 'dashed' });
  if (trades.length > 0) {
    legend.push({ label: 'opened', color: THEME.accent, swatch: 'ring' }, { label: 'win', color: THEME.long, swatch: 'dot' }, { label: 'loss', color: THEME.short, swatch: 'dot' });
  }

  const last = points[points.length - 1]!;
  let caption = `${usd(last.usd, false)} on ${date(new Date(last.t))} \u00B7 max drawdown ${pct(maxDrawdown)}`;
  if (challenge) {
    const needed = pathValue(input.challenge!, challenge.start, challenge.end, last.t);
    caption += ` \u00B7 ${last.usd >= needed ? 'ahead of' : 'behind'} the path (${usd(needed, false)})`;
  }
  const note = `${scaleKind} scale${challenge ? ` \u00B7 target by ${date(new Date(challenge.end))}` : ''}`;
  const spanDays = (t1 - t0) / DAY_MS;
  // Five evenly spaced labels, each shown once: over a day or two several fall on the same date.
  const xLabels = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => {
      const t = t0 + f * (t1 - t0);
      return { x: x(t), label: spanDays > 300 ? month(new Date(t)) : day(new Date(t)) };
    })
    .filter((l, i, all) => i === 0 || l.label !== all[i - 1]!.label);

  const body = [
    titleRow(input.title ?? 'Equity', input.modeled ?? false),
    legendRow(legend),
    el('g', { 'data-scale': scaleKind }, yAxis(y, box, (v) => usd(v))),
    xAxis(xLabels, box),
    maxDrawdown > 0
      ? el('path', { d: areaPath(peaks.map((p) => [x(p.t), y(p.usd)]), curve), fill: THEME.short, 'fill-opacity': 0.2, 'data-series': 'drawdown', 'data-max-drawdown': maxDrawdown.toFixed(4) })
      : '',
    challenge ? challengeLine(challenge.samples, x, y) : '',
    el('path', { d: linePath(curve), fill: 'none', stroke: THEME.accent, 'stroke-width': 2, 'stroke-linejoin': 'round', 'data-series': 'equity', 'data-points': curve.length }),
    trades.map((tr) => tradeMark(tr, x(tr.time.getTime()), y(equityAt(points, tr.time.getTime())))).join(''),
    captionRow(caption, note),
  ].join('');
  return svgDocument(`${input.title ?? 'Equity'} chart`, body);
}

/** From this highest/lowest ratio on, `auto` draws a log axis. */
export const LOG_FROM_RATIO = 5;

/**
 * Log when the values span 5x or more: the required path is then a straight line (on pace = parallel to
 * it), a drawdown of a given percentage looks the same size at $10k and at $500k, and the early curve is
 * not pressed into the bottom fifth of the plot. Linear below that, where dollar steps read more easily.
 */
export function chooseScale(asked: 'auto' | 'linear' | 'log', lo: number, hi: number): 'linear' | 'log' {
  if (asked === 'log' && !(lo > 0)) throw new RangeError(`equityChartSvg: a log scale needs every value > 0, the lowest is ${lo}`);
  if (asked !== 'auto') return asked;
  return lo > 0 && hi / lo >= LOG_FROM_RATIO ? 'log' : 'linear';
}

/** The equity the challenge needs at time `t`: start × (target/start)^(elapsed / duration). */
export function pathValue(c: ChallengePath, start: number, end: number, t: number): number {
  return c.startUsd * (c.targetUsd / c.startUsd) ** ((t - start) / (end - start));
}

function challengeSamples(c: ChallengePath, t0: number, t1: number) {
  if (!(c.startUsd > 0) || !(c.targetUsd > 0) || !(c.months > 0)) {
    throw new RangeError('equityChartSvg: challenge needs startUsd > 0, targetUsd > 0 and months > 0');
  }
  const startDate = c.start ?? new Date(t0);
  const start = startDate.getTime();
  const endDate = new Date(start);
  // Calendar months, as the challenge is stated ("in 12 months"); fractional months count as 30.44 days.
  endDate.setUTCMonth(endDate.getUTCMonth() + Math.floor(c.months));
  const end = endDate.getTime() + (c.months % 1) * 30.44 * DAY_MS;
  const from = Math.max(t0, start);
  const samples: Sample[] = [];
  if (from <= t1) {
    for (let i = 0; i <= PATH_SAMPLES; i++) {
      const t = from + ((t1 - from) * i) / PATH_SAMPLES;
      samples.push({ t, usd: pathValue(c, start, end, t) });
    }
  }
  return { start, end, samples };
}

function challengeLine(samples: Sample[], x: (t: number) => number, y: (v: number) => number): string {
  if (samples.length === 0) return '';
  const d = linePath(samples.map((s) => [x(s.t), y(s.usd)]));
  return el('path', { d, fill: 'none', stroke: THEME.path, 'stroke-width': 1.75, 'stroke-dasharray': '7 5', 'data-series': 'challenge' });
}

/** Running peaks, and the largest fall from a peak as a fraction of it (0 when the curve never falls). */
export function drawdowns(points: Sample[]): { peaks: Sample[]; maxDrawdown: number } {
  let peak = -Infinity;
  let maxDrawdown = 0;
  const peaks = points.map((p) => {
    peak = Math.max(peak, p.usd);
    if (peak > 0) maxDrawdown = Math.max(maxDrawdown, 1 - p.usd / peak);
    return { t: p.t, usd: peak };
  });
  return { peaks, maxDrawdown };
}

/** Equity at `t`, interpolated linearly between the points around it. */
function equityAt(points: Sample[], t: number): number {
  const hi = points.findIndex((p) => p.t >= t);
  if (hi <= 0) return points[Math.max(hi, 0)]!.usd;
  const a = points[hi - 1]!;
  const b = points[hi]!;
  return a.usd + ((b.usd - a.usd) * (t - a.t)) / (b.t - a.t || 1);
}

/** Opened: a hollow ring. Closed: a dot, green for a win, red for a loss, grey when the outcome is not given. */
function tradeMark(trade: EquityTrade, cx: number, cy: number): string {
  const closed = trade.outcome === 'win' ? THEME.long : trade.outcome === 'loss' ? THEME.short : THEME.path;
  const color = trade.kind === 'open' ? THEME.accent : closed;
  const fill = trade.kind === 'open' ? THEME.background : color;
  return el('circle', { cx, cy, r: 4.5, fill, stroke: color, 'stroke-width': 1.75, 'data-mark': 'trade', 'data-kind': trade.kind, 'data-outcome': trade.outcome });
}

