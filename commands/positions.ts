/**
 * `/positions`: open paper positions with entry, mark, P&L and expiry, plus the account's equity and open risk,
 * with a Refresh button that marks them again in place.
 */
import { z } from 'zod';
import { contractLabel, formatPnl } from '../src/notify/exit-alert.ts';
import { formatExpiry, formatUsd } from '../src/notify/format.ts';
import type { Message, MessageField } from '../src/notify/message.ts';
import { markedValueUsd, paidUsd, unrealizedPnlUsd } from '../src/trading/ledger/math.ts';
import type { LedgerSummary, PaperPosition } from '../src/trading/ledger/types.ts';
import { defineCommand } from './spec.ts';

/** Discord allows 25 fields; three go to the account, one to "and N more". */
const MAX_LISTED = 20;

/** One position as a field: "#3 SPY Mar 20 $240 put x2" / "Entry $4.20 · Mark $5.10 · P&L +$178.70 (+21.3%) · Expires Mar 20". */
export function positionField(p: PaperPosition): MessageField {
  const pnlUsd = unrealizedPnlUsd(p);
  const lines = [
    [
      `Entry ${formatUsd(p.entryPriceUsd, { cents: true })}`,
      `Mark ${formatUsd(p.markPriceUsd, { cents: true })}${p.modeled ? ' (modeled)' : ''}`,
      `Value ${formatUsd(markedValueUsd(p))}`,
      `P&L ${formatPnl(pnlUsd, pnlUsd / paidUsd(p))}`,
      `Expires ${formatExpiry(new Date(`${p.expiryDate}T00:00:00Z`))}`,
    ].join(' · '),
  ];
  if (p.markNote) lines.push(`⚠️ Stale mark: ${p.markNote}`);
  return { name: `#${p.id} ${contractLabel(p)} x${p.contracts}`, value: lines.join('\n') };
}

/** The /positions reply for a ledger's open positions and summary. */
export function positionsReply(open: readonly PaperPosition[], summary: LedgerSummary): Message {
  const account: MessageField[] = [
    { name: 'Equity', value: formatUsd(summary.equityUsd), inline: true },
    { name: 'Cash', value: formatUsd(summary.cashUsd), inline: true },
    { name: 'Open risk', value: formatUsd(summary.openRiskUsd), inline: true },
  ];
  if (open.length === 0) return { kind: 'reply', title: 'No open paper positions.', fields: account, tone: 'info' };
  const fields = open.slice(0, MAX_LISTED).map(positionField);
  if (open.length > MAX_LISTED) fields.push({ name: 'More', value: `…and ${open.length - MAX_LISTED} more` });
  return {
    kind: 'reply',
    title: `Open paper positions (${open.length})`,
    fields: [...fields, ...account],
    tone: 'info',
    footer: 'Marked at the mid; P&L net of the entry commission. Paper trades, not financial advice.',
  };
}

export const positions = defineCommand({
  name: 'positions',
  description: 'Open paper positions with entry, mark, P&L and expiry',
  args: z.object({}),
  async run(ctx) {
    const { open, summary } = await ctx.services.positions(ctx.now());
    // Refresh answers by editing this very message, so a chat keeps one up-to-date list rather than many.
    return { ...positionsReply(open, summary), actions: [{ label: 'Refresh', command: 'positions', edit: true }], data: { open, summary } };
  },
});
