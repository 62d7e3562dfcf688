/**
 * @module The overview's parts that are tables and lists: open positions at their marks, the regime with its
 * reasons, and the last cycle (read back from its stored JSON, checked with zod like /status does).
 */
import { z } from 'zod';
import { contractLabel, formatPnl } from '../../../notify/exit-alert.ts';
import { formatExpiry, formatMultiplier, formatUsd } from '../../../notify/format.ts';
import { StoredScanStats } from '../../../scanner/types.ts';
import { markedValueUsd, paidUsd, unrealizedPnlUsd } from '../../../trading/ledger/math.ts';
import type { PaperPosition } from '../../../trading/ledger/types.ts';
import { h, type Html, nyTime, signedUsd, table } from './html.ts';

const cents = (usd: number) => formatUsd(usd, { cents: true });

/** Open positions: entry, the mark ("modeled" where a model priced it, the reason where it is stale), P&L. */
export function positionsTable(open: readonly PaperPosition[]): Html {
  if (open.length === 0) return h`<p class="muted">No open paper positions.</p>`;
  const rows = open.map((p) => {
    const pnl = unrealizedPnlUsd(p);
    const mark = h`${cents(p.markPriceUsd)}${p.modeled ? h` <small>modeled</small>` : ''}${p.markNote ? h`<br><small class="warn">stale: ${p.markNote}</small>` : ''}`;
    return h`<tr><td>#${p.id}</td><td>${contractLabel(p)}</td><td>${p.side}</td><td class="num">${p.contracts}</td>
<td class="num">${cents(p.entryPriceUsd)}</td><td class="num">${mark}</td><td class="num">${formatUsd(markedValueUsd(p))}</td>
<td class="num">${signedUsd(pnl, formatPnl(pnl, pnl / paidUsd(p)))}</td><td>${nyTime(p.openedAt)}</td><td>${formatExpiry(new Date(`${p.expiryDate}T00:00:00Z`))}</td></tr>`;
  });
  return h`${table(['#', 'Contract', 'Side', { label: 'Qty', num: true }, { label: 'Entry', num: true }, { label: 'Mark (mid)', num: true }, { label: 'Value', num: true }, { label: 'P&L', num: true }, 'Opened', 'Expires'], rows)}
<p class="muted"><small>Marked at the mid of the last quote; P&amp;L net of the entry commission.</small></p>`;
}

const State = z.enum(['BULLISH', 'NEUTRAL', 'BEARISH']);
/** A regime as stored (a cycle's report or a journal entry); missing numbers were written as null. */
const StoredRegime = z.object({
  state: State,
  vix: z.number().nullable(),
  spy: z.number().nullable(),
  spySma: z.number().nullable(),
  long: z.number(),
  short: z.number(),
  reasons: z.array(z.string()),
});
export type ShownRegime = z.infer<typeof StoredRegime> & { at: string; from: string };

/** The parts of a stored CycleReport (JSON: dates are ISO strings, NaN became null) the overview shows. */
export const StoredCycle = z.object({
  source: z.string(),
  modeled: z.boolean().optional(),
  startedAt: z.string(),
  regime: StoredRegime.optional(),
  results: z.array(z.object({ symbol: z.string(), error: z.object({ kind: z.string(), message: z.string() }).optional() })),
  stats: StoredScanStats,
});
export type StoredCycle = z.infer<typeof StoredCycle>;

const TONE = { BULLISH: 'good', NEUTRAL: '', BEARISH: 'bad' } as const;
const num = (x: number | null, digits = 2) => (x === null ? 'n/a' : x.toFixed(digits));

export function regimeSection(regime: ShownRegime | null): Html {
  if (!regime) return h`<h2>Regime</h2><p class="muted">No regime decided yet: the pre-market check or a cycle decides one.</p>`;
  const reasons = regime.reasons.map((r) => h`<li>${r}</li>`);
  return h`<h2>Regime: <span class="${TONE[regime.state]}">${regime.state}</span></h2>
<dl class="facts">
<dt>VIX</dt><dd>${num(regime.vix)}</dd>
<dt>SPY</dt><dd>${num(regime.spy)} against its average ${num(regime.spySma)}</dd>
<dt>Exposure</dt><dd>long ${formatMultiplier(regime.long)}, short ${formatMultiplier(regime.short)}</dd>
<dt>Decided</dt><dd>${nyTime(regime.at)} by ${regime.from}</dd>
</dl>
<ul>${reasons}</ul>`;
}

export function cycleSection(cycle: StoredCycle | null): Html {
  if (!cycle) return h`<h2>Last cycle</h2><p class="muted">No cycle has run yet.</p>`;
  const s = cycle.stats;
  const failed = cycle.results.filter((r) => r.error);
  const failedRows = failed.map((r) => h`<tr><td>${r.symbol}</td><td>${r.error?.kind}</td><td class="text">${r.error?.message}</td></tr>`);
  return h`<h2>Last cycle</h2>
<dl class="facts">
<dt>Started</dt><dd>${nyTime(cycle.startedAt)} on ${cycle.source} data${cycle.modeled ? ' (option prices modeled)' : ''}</dd>
<dt>Scanned</dt><dd>${s.scanned} tickers in ${(s.durationMs / 1000).toFixed(1)} s</dd>
<dt>Signals</dt><dd>${s.signals}: ${s.accepted} accepted, ${s.rejected} rejected</dd>
<dt>Errors</dt><dd class="${s.errors > 0 ? 'warn' : ''}">${s.errors}</dd>
</dl>
${failed.length > 0 ? h`<h2>Failed tickers (${failed.length})</h2>${table(['Ticker', 'Kind', 'Error'], failedRows)}` : ''}`;
}
