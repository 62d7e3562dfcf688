/**
 * `/equity`: the paper account's equity curve as a picture (drawdowns shaded, the challenge's required path, every
 * trade marked) with the numbers beside it: equity, drawdown and where the $10k -> $1M challenge stands.
 */
import { z } from 'zod';
import { formatUsd } from '../src/core/money.ts';
import type { LedgerRecord } from '../src/notify/chart-message.ts';
import { formatPct } from '../src/notify/format.ts';
import type { Message } from '../src/notify/message.ts';
import { defineCommand } from './spec.ts';

/** The /equity reply for the ledger's record, without its chart (see the command). */
export function equityReply(record: LedgerRecord): Message {
  const { summary } = record;
  const c = summary.challenge;
  const change = summary.equityUsd - c.startingEquityUsd;
  const needed =
    c.requiredMonthlyReturn === null ? 'out of reach (the target date has passed or the equity is gone)' : `${formatPct(c.requiredMonthlyReturn)} a month from here`;
  return {
    kind: 'reply',
    title: `📈 Paper equity ${formatUsd(summary.equityUsd)} (${change >= 0 ? '+' : '-'}${formatUsd(Math.abs(change))} since ${c.startDate})`,
    fields: [
      { name: 'Equity', value: `${formatUsd(summary.equityUsd)} (cash ${formatUsd(summary.cashUsd)})`, inline: true },
      { name: 'Drawdown', value: `${formatPct(summary.drawdown.currentDrawdown)} now, ${formatPct(summary.drawdown.maxDrawdown)} at worst`, inline: true },
      { name: 'Trades', value: `${record.closed.length} closed, ${record.open.length} open`, inline: true },
      {
        name: 'Challenge',
        value: `${formatUsd(c.startingEquityUsd)} → ${formatUsd(c.targetEquityUsd)} by ${c.targetDate}: ${formatPct(c.progress)} of the way, ${needed}`,
      },
    ],
    tone: change > 0 ? 'bullish' : change < 0 ? 'bearish' : 'info',
    footer: 'Open positions at their marks (the mid). Paper trades, not financial advice.',
  };
}

export const equity = defineCommand({
  name: 'equity',
  description: 'The paper equity curve against the challenge path, as a chart',
  args: z.object({}),
  async run(ctx) {
    const record = await ctx.services.history(ctx.now());
    // Loaded here, not at start-up: every CLI command loads this file, few draw a chart.
    const { ledgerEquityChart } = await import('../src/notify/chart-message.ts');
    return { ...equityReply(record), chart: ledgerEquityChart(record), data: { equity: record.equity, summary: record.summary } };
  },
});
