/** Money at display time only: amounts stay unrounded numbers everywhere else. */

// Made on first use: building a currency formatter costs ~10 ms, which a CLI command that shows no money need not pay.
let whole: Intl.NumberFormat | undefined;
let withCents: Intl.NumberFormat | undefined;

/**
 * "$1,240" for whole-dollar amounts, "$0.11" / "$12.50" otherwise (cents only when they are not zero).
 * `cents: true` always shows them ("$1,240.00"), `cents: false` never does.
 */
export function formatUsd(amountUsd: number, opts: { cents?: boolean } = {}): string {
  if (!Number.isFinite(amountUsd)) return 'n/a';
  const rounded = Math.round(amountUsd * 100) / 100;
  const showCents = opts.cents ?? !Number.isInteger(rounded);
  if (showCents) {
    withCents ??= new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2 });
    return withCents.format(rounded);
  }
  whole ??= new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
  return whole.format(Math.round(amountUsd));
}

/** A multiplier as shown to users: 0 -> "0.0x", 0.5 -> "0.5x", 1 -> "1.0x". */
export function formatMultiplier(x: number): string {
  return `${x.toFixed(1)}x`;
}
