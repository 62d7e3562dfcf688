/**
 * Labels the charts print. Locale and time zone are fixed (en-US, UTC) so the same input draws the same
 * picture on every machine; the style matches the alerts (`$1,240`, `1.0x`, "Mar 20").
 * @module
 */

import { formatMultiplier, formatUsd } from '../core/money.ts';

const dayFormat = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const monthFormat = new Intl.DateTimeFormat('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' });
const fullDate = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });

/** "$12,500"; cents only when the amount has them ("$242.50") or `withCents` asks. Negative: "−$1,200" (a real minus). */
export function usd(amount: number, withCents?: boolean): string {
  const text = formatUsd(Math.abs(amount), withCents === undefined ? {} : { cents: withCents });
  return Math.round(amount * 100) < 0 ? `\u2212${text}` : text;
}

/** Axis labels for ticks `step` apart: cents only when the step is below a dollar. */
export function usdTick(value: number, step: number): string {
  return usd(value, step < 1);
}

/** A signed number with a real minus sign: "−2.41", "3.10". */
export function signed(value: number, digits: number): string {
  const text = Math.abs(value).toFixed(digits);
  return value < 0 && Number(text) !== 0 ? `\u2212${text}` : text;
}

/** "Mar 20" */
export const day = (time: Date): string => dayFormat.format(time);
/** "Mar 2024" */
export const month = (time: Date): string => monthFormat.format(time);
/** "Mar 20, 2024" */
export const date = (time: Date): string => fullDate.format(time);

/** "0.0x" */
export const multiplier = formatMultiplier;

/** A fraction as a percentage with one decimal: 0.1234 -> "12.3%". */
export const pct = (fraction: number): string => `${(fraction * 100).toFixed(1)}%`;

// Advance widths of DejaVu Sans in em, rounded: enough to size a badge or a margin, not to kern.
const NARROW = new Set([...' .,:;!|il1\'()[]ftrIj']);
const WIDE = new Set([...'MWmw@%']);

/** Approximate width in pixels of `text` set in DejaVu Sans at `sizePx` (bold ~8% wider). */
export function textWidth(text: string, sizePx: number, bold = false): number {
  let em = 0;
  for (const c of text) em += NARROW.has(c) ? 0.34 : WIDE.has(c) ? 0.9 : c >= 'A' && c <= 'Z' ? 0.7 : 0.62;
  return em * sizePx * (bold ? 1.08 : 1);
}
