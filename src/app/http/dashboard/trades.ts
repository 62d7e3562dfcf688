/**
 * @module GET /trades : the closed paper trades, newest exit first, filtered by the query string
 * (`symbol`, `side`, `outcome` win|loss, `from` and `to` as the New York exit date, both included), with the
 * filtered set's count, win rate, net P&L and fees by /pnl's conventions (analysis/trade-stats.ts: a win
 * made money net of fees, a loss lost it, break-even is neither). The filters are checked with zod; a bad one
 * is a 400 page naming the field. An empty field (what a form sends for "any") counts as unset.
 */
import { z } from 'zod';
import { tickerArg } from '../../../../commands/args.ts';
import { nyDate } from '../../../analysis/calendar.ts';
import { tradeStats } from '../../../analysis/trade-stats.ts';
import { isoDate } from '../../../config/fields.ts';
import { contractLabel, formatPnl } from '../../../notify/exit-alert.ts';
import { formatPct, formatUsd } from '../../../notify/format.ts';
import { paidUsd } from '../../../trading/ledger/math.ts';
import type { PaperPosition } from '../../../trading/ledger/types.ts';
import { h, type Html, nyTime, signedUsd, table } from './html.ts';

const FIELDS = ['symbol', 'side', 'outcome', 'from', 'to'] as const;

export const TradeFilters = z
  .strictObject({
    symbol: tickerArg('ticker').optional(),
    side: z
      .string()
      .transform((s) => s.toUpperCase())
      .pipe(z.enum(['LONG', 'SHORT'], { error: 'must be LONG or SHORT' }))
      .optional(),
    outcome: z.enum(['win', 'loss'], { error: 'must be win or loss' }).optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
  })
  .refine((f) => !(f.from && f.to && f.from > f.to), { path: ['to'], message: 'must not be before from' });
export type TradeFilters = z.infer<typeof TradeFilters>;

/** The filters from a query, or the problem in words naming the field ("side: must be LONG or SHORT"). */
export function parseTradeFilters(query: Record<string, string>): { filters: TradeFilters } | { problem: string } {
  const given = Object.fromEntries(Object.entries(query).filter(([, v]) => v.trim() !== ''));
  const parsed = TradeFilters.safeParse(given);
  if (parsed.success) return { filters: parsed.data };
  const issue = parsed.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const names = issue.keys.map((k) => JSON.stringify(k.slice(0, 30))).join(', ');
    return { problem: `${names}: not a filter; the filters are ${FIELDS.join(', ')}` };
  }
  return { problem: `${String(issue.path[0] ?? 'filters')}: ${issue.message}` };
}

const pnlOf = (p: PaperPosition) => p.exit?.pnlUsd ?? 0;
const outcomeOf = (p: PaperPosition) => (pnlOf(p) > 0 ? 'win' : pnlOf(p) < 0 ? 'loss' : 'even');
const exitDate = (p: PaperPosition) => (p.exit ? nyDate(new Date(p.exit.at)) : '');

/** The closed positions that pass every filter, newest exit first. */
export function filterTrades(closed: readonly PaperPosition[], f: TradeFilters): PaperPosition[] {
  return closed
    .filter((p) => p.exit)
    .filter((p) => !f.symbol || p.underlying === f.symbol)
    .filter((p) => !f.side || p.side === f.side)
    .filter((p) => !f.outcome || outcomeOf(p) === f.outcome)
    .filter((p) => (!f.from || exitDate(p) >= f.from) && (!f.to || exitDate(p) <= f.to))
    .sort((a, b) => b.exit!.at.localeCompare(a.exit!.at));
}

function filterForm(f: TradeFilters, symbols: readonly string[]): Html {
  const option = (value: string, label: string, current: string | undefined) =>
    value === (current ?? '') ? h`<option value="${value}" selected>${label}</option>` : h`<option value="${value}">${label}</option>`;
  return h`<form class="filters" method="get" action="/trades">
<label>Symbol <input name="symbol" value="${f.symbol ?? ''}" list="symbols" size="8" autocapitalize="characters"></label>
<datalist id="symbols">${symbols.map((s) => h`<option value="${s}">`)}</datalist>
<label>Side <select name="side">${option('', 'any', f.side)}${option('LONG', 'long (calls)', f.side)}${option('SHORT', 'short (puts)', f.side)}</select></label>
<label>Outcome <select name="outcome">${option('', 'any', f.outcome)}${option('win', 'win', f.outcome)}${option('loss', 'loss', f.outcome)}</select></label>
<label>Closed from <input type="date" name="from" value="${f.from ?? ''}"></label>
<label>to <input type="date" name="to" value="${f.to ?? ''}"></label>
<button>Filter</button> <a href="/trades">clear</a>
</form>`;
}

/** The page's body for the filtered trades. */
export function tradesBody(closed: readonly PaperPosition[], f: TradeFilters): Html {
  const trades = filterTrades(closed, f);
  const symbols = [...new Set(closed.map((p) => p.underlying))].sort();
  const stats = tradeStats(trades.map((p) => ({ pnlUsd: pnlOf(p), feesUsd: p.entryCommissionUsd + (p.exit?.commissionUsd ?? 0) })));
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const even = stats.breakevenCount > 0 ? `, ${stats.breakevenCount} even` : '';
  const rows = trades.map((p) => {
    const exit = p.exit!;
    return h`<tr><td>#${p.id}</td><td>${contractLabel(p)}</td><td>${p.side}</td><td class="num">${p.contracts}</td>
<td>${nyTime(p.openedAt)}</td><td>${nyTime(exit.at)}</td><td>${exit.reason}</td>
<td class="num">${formatUsd(p.entryPriceUsd, { cents: true })}</td><td class="num">${formatUsd(exit.priceUsd, { cents: true })}${p.modeled ? h` <small>modeled</small>` : ''}</td>
<td class="num">${signedUsd(exit.pnlUsd, formatPnl(exit.pnlUsd, exit.pnlUsd / paidUsd(p)))}</td><td>${outcomeOf(p)}</td></tr>`;
  });
  const summary =
    trades.length === 0
      ? h`<p class="muted">${closed.length === 0 ? 'No closed paper trades yet.' : 'No closed trade matches these filters.'}</p>`
      : h`<p>${plural(stats.tradeCount, 'trade', 'trades')}: ${plural(stats.winCount, 'win', 'wins')}, ${plural(stats.lossCount, 'loss', 'losses')}${even} (win rate ${formatPct(stats.winRate ?? 0)}), net ${signedUsd(stats.netPnlUsd, formatUsd(stats.netPnlUsd, { cents: true }))} after ${formatUsd(stats.totalFeesUsd, { cents: true })} in fees.</p>
${table(['#', 'Contract', 'Side', { label: 'Qty', num: true }, 'Opened', 'Closed', 'Exit', { label: 'Entry', num: true }, { label: 'Exit price', num: true }, { label: 'P&L', num: true }, 'Outcome'], rows)}`;
  return h`${filterForm(f, symbols)}${summary}`;
}
