/**
 * Number and date formatting for everything a user reads. Values stay exact in the domain objects and are
 * rounded here only, at display. Locale and time zone are fixed (en-US, UTC) so output is the same on every
 * machine and golden tests are stable.
 */

import { formatUsd } from '../core/money.ts';

// Dollars and multipliers are formatted app-wide by ../money.ts (risk reasons use it too), so alerts and
// reasons always agree: `$1,240`, `$0.11`, `1.0x`.
export { formatMultiplier, formatUsd } from '../core/money.ts';

const expiryFormat = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** Tweet-sized dollars: `$950`, `$1k`, `$1.2k`, `$10k`, `$1.5M`. */
export function formatCompactUsd(amountUsd: number): string {
  if (!Number.isFinite(amountUsd)) return 'n/a';
  const abs = Math.abs(amountUsd);
  const sign = amountUsd < 0 ? '-' : '';
  const scaled = (value: number, suffix: string): string => {
    // One decimal below 100 of the unit ($1.2k), none above ($120k); trailing ".0" dropped ($1k).
    const digits = value < 100 ? 1 : 0;
    return `${sign}$${Number(value.toFixed(digits)).toString()}${suffix}`;
  };
  // 999,500 would print as "$1000k" on the k branch, so it already counts as a million.
  if (abs >= 999_500) return scaled(abs / 1_000_000, 'M');
  if (abs >= 1000) return scaled(abs / 1000, 'k');
  return `${sign}${formatUsd(abs)}`;
}

/**
 * A fraction as a percentage: formatPct(0.1) is `10%`, formatPct(-0.0631) is `-6.3%`. `digits` is the most
 * decimals shown (trailing zeros dropped); `signed` adds `+` to positive values.
 */
export function formatPct(fraction: number, opts: { digits?: number; signed?: boolean } = {}): string {
  if (!Number.isFinite(fraction)) return 'n/a';
  const digits = opts.digits ?? 1;
  const text = new Intl.NumberFormat('en-US', { maximumFractionDigits: digits }).format(fraction * 100);
  const positive = opts.signed && fraction > 0 && text !== '0';
  return `${positive ? '+' : ''}${text === '-0' ? '0' : text}%`;
}

/** A signed z-score with two decimals: `+2.41`, `-3.10`. */
export function formatZ(zScore: number): string {
  if (!Number.isFinite(zScore)) return 'n/a';
  return `${zScore > 0 ? '+' : ''}${zScore.toFixed(2)}`;
}

/** An option expiry as traders say it, in UTC: `Nov 28`. */
export function formatExpiry(expiry: Date): string {
  return expiryFormat.format(expiry);
}

/** `2020-03-12`: the UTC calendar date, used in ids and footers. */
export function formatIsoDate(time: Date): string {
  return time.toISOString().slice(0, 10);
}
