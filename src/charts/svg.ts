/**
 * SVG primitives for the charts: escaping, elements, paths, scales and ticks. Pure string building.
 * @module
 */

// XML 1.0 forbids most C0 controls and U+FFFE/U+FFFF; one of them makes resvg reject the whole document.
// Lone surrogates go too: they cannot be written as UTF-8 at all.
const FORBIDDEN_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe inside an SVG text node or a quoted attribute value. Every user-influenced string goes through here. */
export function esc(text: string): string {
  return text.replace(FORBIDDEN_XML, '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** A number as SVG writes it: at most two decimals, no "-0", no exponent for the sizes charts use. */
export function num(x: number): string {
  const rounded = Math.round(x * 100) / 100;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

export type Attrs = Record<string, string | number | undefined>;

/** `<tag a="1">children</tag>`, or self-closing without children. Attribute values are escaped; undefined ones left out. */
export function el(tag: string, attrs: Attrs, children?: string): string {
  let out = `<${tag}`;
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined) continue;
    out += ` ${key}="${typeof value === 'number' ? num(value) : esc(value)}"`;
  }
  return children === undefined ? `${out}/>` : `${out}>${children}</${tag}>`;
}

/** A text element whose content is escaped here. */
export function text(x: number, y: number, content: string, attrs: Attrs = {}): string {
  return el('text', { x, y, ...attrs }, esc(content));
}

export type Point = readonly [x: number, y: number];

/** Path data through the points: "M1 2L3 4". One decimal is a tenth of a pixel before scaling. */
export function linePath(points: readonly Point[]): string {
  return points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${x.toFixed(1)} ${y.toFixed(1)}`).join('');
}

/** A closed area between two lines over the same x positions: `top` left to right, then `bottom` back. */
export function areaPath(top: readonly Point[], bottom: readonly Point[]): string {
  if (top.length === 0) return '';
  return `${linePath([...top, ...[...bottom].reverse()])}Z`;
}

export type Scale = ((value: number) => number) & { ticks: number[] };

/** Maps [d0, d1] onto [r0, r1] (r0 > r1 for a y axis, where SVG grows downwards). */
export function linearScale(d0: number, d1: number, r0: number, r1: number, tickCount = 5): Scale {
  const span = d1 - d0 || 1;
  const scale = ((v: number) => r0 + ((v - d0) / span) * (r1 - r0)) as Scale;
  scale.ticks = niceTicks(d0, d1, tickCount);
  return scale;
}

/** Maps [d0, d1] (both > 0) onto [r0, r1] by their logarithms: equal ratios are equal distances. */
export function logScale(d0: number, d1: number, r0: number, r1: number): Scale {
  const l0 = Math.log(d0);
  const span = Math.log(d1) - l0 || 1;
  const scale = ((v: number) => r0 + ((Math.log(v) - l0) / span) * (r1 - r0)) as Scale;
  scale.ticks = logTicks(d0, d1);
  return scale;
}

/** Round steps (1, 2, 2.5 or 5 × 10^k) inside [min, max]: the step whose tick count is nearest `count`. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const span = max - min;
  const power = 10 ** Math.floor(Math.log10(span / Math.max(1, count)));
  const candidates = [1, 2, 2.5, 5, 10].map((m) => m * power);
  const step = candidates.reduce((best, s) => (Math.abs(span / s - count) < Math.abs(span / best - count) ? s : best));
  // Whole multiples of the step, printed at its precision: 7 × 0.05 is 0.35, not 0.35000000000000003.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  const ticks: number[] = [];
  for (let k = Math.ceil(min / step - 1e-9); k * step <= max + step * 1e-9; k++) ticks.push(Number((k * step).toFixed(decimals)));
  return ticks;
}

/** 1-2-5 per decade inside [min, max]; only the powers of ten when that gives more than eight. */
export function logTicks(min: number, max: number): number[] {
  const ticks = (multipliers: number[]) => {
    const out: number[] = [];
    for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
      for (const m of multipliers) {
        const v = m * 10 ** e;
        if (v >= min && v <= max) out.push(v);
      }
    }
    return out;
  };
  const dense = ticks([1, 2, 5]);
  if (dense.length > 8) return ticks([1]);
  // Within one decade 1-2-5 may leave a single tick: fall back to round linear steps there.
  return dense.length >= 3 ? dense : niceTicks(min, max, 4);
}
