/**
 * How the paper account has done, the way freqtrade's bot answers it: `/pnl [window]` (summary), `/performance
 * [window]` (per ticker), `/daily`, `/weekly`, `/monthly [count]` (per period). Read-only; every figure comes
 * from the ledger's closed positions and its one-equity-point-per-session history, net of commissions.
 */
import { z } from 'zod';
import { nyDate } from '../src/analysis/calendar.ts';
import { formatUsd } from '../src/core/money.ts';
import { formatPnl } from '../src/notify/exit-alert.ts';
import { formatPct } from '../src/notify/format.ts';
import type { Message, MessageField } from '../src/notify/message.ts';
import { byPeriod, byTicker, periodOf, pnlSummary, type Period } from '../src/trading/ledger/performance.ts';
import { defineCommand, type CommandContext } from './spec.ts';

const NAMED_WINDOWS = ['today', 'week', 'month', 'year', 'all'] as const;
/** A named window, or the last N calendar days ("30d": today and the 29 days before it). */
type Window = (typeof NAMED_WINDOWS)[number] | `${number}d`;
const WindowArg = z
  .string()
  .toLowerCase()
  .regex(/^(today|week|month|year|all|\d{1,4}d)$/, { message: 'today, week, month, year, all, or a number of days such as 30d' })
  .refine((w) => !/^0+d$/.test(w), { message: 'a number of days from 1, such as 30d' })
  .transform((w) => w as Window)
  .default('all')
  .describe('today, week, month, year, all (default) or days, e.g. 30d');
const windowChoices = () => ['today', 'week', 'month', 'year', 'all', '7d', '30d', '90d'];

const DAY_MS = 86_400_000;

/** The window's first New York day, or null for "all": the week starts on Monday. */
export function windowStart(window: Window, now: Date): string | null {
  const today = nyDate(now);
  const days = /^(\d+)d$/.exec(window);
  // Noon UTC of the New York date, so stepping whole days never crosses a date line.
  if (days) return new Date(Date.parse(`${today}T12:00:00Z`) - (Number(days[1]) - 1) * DAY_MS).toISOString().slice(0, 10);
  switch (window) {
    case 'today':
      return today;
    case 'week':
      return periodOf(today, 'week');
    case 'month':
      return `${today.slice(0, 7)}-01`;
    case 'year':
      return `${today.slice(0, 4)}-01-01`;
    default:
      return null;
  }
}

const windowLabel = (window: Window, since: string | null) => (since === null ? 'since the start' : window === 'today' ? 'today' : `since ${since}`);
/** "+$178" / "-$72" / "$0". */
const signedUsd = (usd: number) => `${usd > 0 ? '+' : usd < 0 ? '-' : ''}${formatUsd(Math.abs(usd))}`;
const FOOTER = 'Paper trades, net of commissions; open positions at their marks. Not financial advice.';

async function history(ctx: CommandContext) {
  return ctx.services.history(ctx.now());
}

export const pnl = defineCommand({
  name: 'pnl',
  description: 'Paper P&L over a window: trades, win rate, profit factor, fees, drawdown',
  args: z.object({ window: WindowArg }),
  example: '30d',
  autocomplete: { window: windowChoices },
  async run(ctx, { window }) {
    const h = await history(ctx);
    const since = windowStart(window, ctx.now());
    const s = pnlSummary(h.closed, h.equity, { startingEquityUsd: h.summary.challenge.startingEquityUsd, equityNowUsd: h.summary.equityUsd }, since);
    const change = s.equityEndUsd - s.equityStartUsd;
    const fields: MessageField[] = [
      { name: 'Equity', value: `${formatUsd(s.equityStartUsd)} → ${formatUsd(s.equityEndUsd)}: ${formatPnl(change, change / s.equityStartUsd)}` },
      { name: 'Closed trades', value: `${s.tradeCount} (${s.winCount} won, ${s.lossCount} lost)`, inline: true },
      { name: 'Realized P&L', value: signedUsd(s.netPnlUsd), inline: true },
      { name: 'Win rate', value: s.winRate === null ? 'n/a' : formatPct(s.winRate), inline: true },
      { name: 'Avg win / loss', value: `${s.averageWinUsd === null ? 'n/a' : signedUsd(s.averageWinUsd)} / ${s.averageLossUsd === null ? 'n/a' : signedUsd(s.averageLossUsd)}`, inline: true },
      { name: 'Profit factor', value: s.profitFactor === null ? (s.tradeCount ? 'n/a (no losses)' : 'n/a') : s.profitFactor.toFixed(2), inline: true },
      { name: 'Fees', value: formatUsd(s.totalFeesUsd, { cents: true }), inline: true },
      { name: 'Max drawdown', value: s.maxDrawdown === null ? 'n/a' : formatPct(-s.maxDrawdown), inline: true },
      { name: 'Open positions', value: String(h.open.length), inline: true },
    ];
    if (s.best) fields.push({ name: 'Best ticker', value: `${s.best.symbol} ${signedUsd(s.best.pnlUsd)}`, inline: true });
    if (s.worst && s.worst.symbol !== s.best?.symbol) fields.push({ name: 'Worst ticker', value: `${s.worst.symbol} ${signedUsd(s.worst.pnlUsd)}`, inline: true });
    return {
      kind: 'reply',
      title: `📊 Paper P&L ${windowLabel(window, since)}: ${signedUsd(change)}`,
      fields,
      tone: change > 0 ? 'bullish' : change < 0 ? 'bearish' : 'info',
      footer: FOOTER,
      data: s,
    };
  },
});

/** Rows named at most; the rest are summed into one line. */
const MAX_ROWS = 20;

export const performance = defineCommand({
  name: 'performance',
  description: 'Paper P&L per ticker over a window, best first',
  args: z.object({ window: WindowArg }),
  example: 'year',
  autocomplete: { window: windowChoices },
  async run(ctx, { window }) {
    const since = windowStart(window, ctx.now());
    const rows = byTicker((await history(ctx)).closed, since);
    if (rows.length === 0) return { kind: 'reply', title: `No closed paper trades ${windowLabel(window, since)}.`, fields: [], tone: 'info', data: rows };
    const lines = rows
      .slice(0, MAX_ROWS)
      .map((r, i) => `${i + 1}. $${r.symbol} ${signedUsd(r.pnlUsd)} · ${r.trades} trade${r.trades === 1 ? '' : 's'} · ${r.winRate === null ? 'n/a' : formatPct(r.winRate)} won`);
    if (rows.length > MAX_ROWS) {
      const rest = rows.slice(MAX_ROWS);
      lines.push(`…and ${rest.length} more: ${signedUsd(rest.reduce((sum, r) => sum + r.pnlUsd, 0))}`);
    }
    return { kind: 'reply', title: `🏁 Performance per ticker ${windowLabel(window, since)}`, description: lines.join('\n'), fields: [], tone: 'info', footer: FOOTER, data: rows };
  },
});

function periodCommand(name: string, period: Period, unit: string, defaultCount: number) {
  return defineCommand({
    name,
    description: `Paper P&L and closing equity per ${unit}, newest first`,
    args: z.object({
      count: z.coerce.number().int().min(1).max(60).default(defaultCount).describe(`How many ${unit}s, 1-60 (default ${defaultCount})`),
    }),
    example: String(defaultCount),
    async run(ctx, { count }) {
      const h = await history(ctx);
      const rows = byPeriod(h.closed, h.equity, period, count);
      if (rows.length === 0) return { kind: 'reply', title: `No paper ${unit}s recorded yet.`, fields: [], tone: 'info', data: rows };
      const lines = rows.map(
        (r) => `${r.period}: ${signedUsd(r.pnlUsd)} on ${r.trades} trade${r.trades === 1 ? '' : 's'}${r.equityUsd === null ? '' : ` · equity ${formatUsd(r.equityUsd)}`}`,
      );
      return {
        kind: 'reply',
        title: `📅 Paper P&L per ${unit} (last ${rows.length})`,
        description: lines.join('\n'),
        fields: [],
        tone: 'info',
        footer: `A trade counts on the day it closed; equity is the ${unit}'s last session close. ${FOOTER}`,
        data: rows,
      };
    },
  });
}

export const daily = periodCommand('daily', 'day', 'day', 7);
export const weekly = periodCommand('weekly', 'week', 'week', 4);
export const monthly = periodCommand('monthly', 'month', 'month', 6);
