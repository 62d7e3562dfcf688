/**
 * @module Exit alerts: a paper position closed (take-profit or manual), stopped out or expired -> a Message
 * that goes out as a follow-up of the trade alert that opened it:
 * `outbox.post(exitAlert(event), { replyToAlertId: event.alertId })`. Pure.
 */
import type { ExitEvent, PaperPosition, PositionEvent } from '../trading/ledger/types.ts';
import { alertId } from './alert-id.ts';
import { formatExpiry, formatPct, formatUsd } from './format.ts';
import type { Message, Tone } from './message.ts';
import { DISCLAIMER, MODELED_NOTE } from './trade-alert.ts';
import { composeTweet } from './tweet.ts';

const DAY_MS = 86_400_000;

/** True for the events that get a follow-up alert (all but `position.opened`). */
export function isExitEvent(event: PositionEvent): event is ExitEvent {
  return event.type !== 'position.opened';
}

/** "SPY Mar 20 $240 put": the contract as traders say it. */
export function contractLabel(p: Pick<PaperPosition, 'underlying' | 'expiryDate' | 'strike' | 'right'>): string {
  return `${p.underlying} ${formatExpiry(new Date(`${p.expiryDate}T00:00:00Z`))} ${formatUsd(p.strike)} ${p.right}`;
}

/** "+$837.40 (+99.5%)": net P&L in dollars and as a share of what was paid. */
export function formatPnl(pnlUsd: number, pnlFraction: number): string {
  const sign = pnlUsd > 0 ? '+' : pnlUsd < 0 ? '-' : '';
  return `${sign}${formatUsd(Math.abs(pnlUsd))} (${formatPct(pnlFraction, { signed: true })})`;
}

/** What happened, in the title's words, and its emoji. */
function headline(event: ExitEvent): { emoji: string; what: string } {
  const exit = event.position.exit;
  switch (event.type) {
    case 'position.stopped':
      return { emoji: '🛑', what: 'stopped out' };
    case 'position.expired':
      return { emoji: '⌛', what: exit && exit.priceUsd > 0 ? 'expired in the money' : 'expired worthless' };
    case 'position.closed':
      return exit?.reason === 'take-profit' ? { emoji: '✅', what: 'closed at take-profit' } : { emoji: '👋', what: 'closed by admin' };
  }
}

/** The follow-up alert for an exit event. Its id is derived from the position and the event, so it is sent once. */
export function exitAlert(event: ExitEvent): Message {
  const p = event.position;
  const exit = p.exit;
  if (!exit) throw new Error(`exit event ${event.type} for position ${p.id} has no exit details`);
  const { emoji, what } = headline(event);
  const label = contractLabel(p);
  const pnl = formatPnl(event.pnlUsd, event.pnlFraction);
  const heldDays = Math.max(0, Math.round((Date.parse(exit.at) - Date.parse(p.openedAt)) / DAY_MS));
  const sold = exit.reason === 'expiry'
    ? `settled at ${formatUsd(exit.priceUsd, { cents: true })} intrinsic${exit.underlyingCloseUsd === undefined ? '' : ` (${p.underlying} closed ${formatUsd(exit.underlyingCloseUsd, { cents: true })})`}`
    : `sold at ${formatUsd(exit.priceUsd, { cents: true })} bid${p.modeled ? ' (modeled)' : ''}`;

  return {
    kind: 'trade',
    id: alertId({
      kind: 'trade',
      asOf: new Date(p.openedAt),
      symbol: p.underlying,
      side: p.side,
      contract: p.contractSymbol,
      detail: `${event.type}:${p.id}:${p.signalKey}`,
    }),
    event: 'exit',
    tweet: composeTweet([
      { text: `${emoji} $${label} ${what}:` },
      { text: `${sold}, ${pnl}.`, shorten: true },
      { text: DISCLAIMER },
      { text: '#Options #Trading', dropRank: 1 },
    ]),
    title: `${emoji} ${label} ${what}: ${pnl}`,
    description: event.reason,
    fields: [
      { name: 'Position', value: `#${p.id} · ${p.contracts}x ${p.contractSymbol}`, inline: true },
      {
        name: 'Entry',
        value: `${p.contracts} x ${formatUsd(p.entryPriceUsd, { cents: true })} ask = ${formatUsd(p.costUsd)} + ${formatUsd(p.entryCommissionUsd, { cents: true })} commission`,
        inline: true,
      },
      {
        name: 'Exit',
        value: `${sold} = ${formatUsd(exit.proceedsUsd)}${exit.commissionUsd > 0 ? ` - ${formatUsd(exit.commissionUsd, { cents: true })} commission` : ''}`,
        inline: true,
      },
      { name: 'P&L', value: `${pnl} net of commissions`, inline: true },
      { name: 'Held', value: `${heldDays} day${heldDays === 1 ? '' : 's'}`, inline: true },
      { name: 'Cash', value: formatUsd(event.cashUsd), inline: true },
    ],
    tone: (event.pnlUsd >= 0 ? 'bullish' : 'bearish') satisfies Tone,
    footer: p.modeled ? `${MODELED_NOTE} ${DISCLAIMER}` : DISCLAIMER,
  };
}
