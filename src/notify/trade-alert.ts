/** Trade alerts: one sized (or refused) TradePlan -> Message. Pure. */
import type { TradePlan } from '../trading/types.ts';
import { alertId } from './alert-id.ts';
import { formatCompactUsd, formatExpiry, formatMultiplier, formatPct, formatUsd, formatZ } from './format.ts';
import type { Message, MessageField } from './message.ts';
import { decisionOf } from './reported.ts';
import { composeTweet, type TweetPart } from './tweet.ts';

/** Closes every trade alert: its footer and (always, it is short and required) its tweet. */
export const DISCLAIMER = 'Paper trade, not financial advice.';
export const MODELED_NOTE = 'Modeled option price, not a quote.';

/** Trim a number for prose: 0.5 -> "0.5", 0.333333 -> "0.33". */
const short = (n: number): string => (Number.isFinite(n) ? Number(n.toFixed(2)).toString() : 'n/a');

/** One item as is, several as a bulleted list. */
export const bullets = (items: readonly string[]): string =>
  items.length === 1 ? (items[0] ?? '') : items.map((item) => `• ${item}`).join('\n');

/** End a sentence with one full stop unless it already ends in punctuation. */
const sentence = (s: string): string => (/[.!?…]$/u.test(s.trim()) ? s.trim() : `${s.trim()}.`);

/**
 * A trade alert for an ACCEPTED or REJECTED plan. `modeled` overrides the contract's own flag (true when the
 * option price came from a model rather than a quote); modeled prices say so in the tweet and the fields.
 */
export function tradeAlert(plan: TradePlan, opts: { modeled?: boolean } = {}): Message {
  const { signal, contract, sizing } = plan;
  const long = signal.side === 'LONG';
  const right = contract?.right ?? (long ? 'call' : 'put');
  const move = long ? 'breakout' : 'breakdown';
  const modeled = opts.modeled ?? contract?.modeled ?? false;
  const accepted = plan.status === 'ACCEPTED';
  const emoji = accepted ? (long ? '📈' : '📉') : '⛔';
  const strike = contract ? formatUsd(contract.strike) : '';
  const expiry = contract ? formatExpiry(contract.expiry) : '';
  const ask = contract ? formatUsd(contract.ask, { cents: true }) : 'n/a';
  const plural = plan.contracts === 1 ? '' : 's';

  const title = accepted
    ? `${emoji} ${signal.symbol} ${move}: buying ${plan.contracts}x ${expiry} ${strike} ${right}${plural}`
    : `${emoji} ${signal.symbol} ${move}: ${right} skipped`;

  const fields: MessageField[] = [
    { name: 'Side', value: `${signal.side} (${right})`, inline: true },
    { name: 'Z-score', value: formatZ(signal.zScore), inline: true },
    {
      name: 'Move',
      value: `${formatPct(signal.dailyReturn, { signed: true })} to ${formatUsd(signal.price, { cents: true })} (σ ${formatPct(signal.sigma)})`,
      inline: true,
    },
    {
      name: 'Contract',
      value: contract ? `${expiry} ${strike} ${right} (${contract.symbol})` : 'none picked',
      inline: true,
    },
    { name: 'Price', value: contract ? `${ask} ask${modeled ? ' (modeled)' : ''}` : 'n/a', inline: true },
    { name: 'Contracts', value: String(plan.contracts), inline: true },
    {
      name: 'Cost',
      value: !accepted && contract
        ? `${formatUsd(plan.costUsd)} (1 contract costs ${formatUsd(plan.contractCostUsd)})`
        : plan.feesUsd > 0
          ? `${formatUsd(plan.costUsd)} + ${formatUsd(plan.feesUsd, { cents: true })} fees = ${formatUsd(plan.totalUsd, { cents: true })}`
          : formatUsd(plan.costUsd),
      inline: true,
    },
    { name: 'Status', value: plan.status, inline: true },
    {
      name: 'Kelly',
      value: `${short(sizing.kellyFraction)} × ${formatPct(sizing.kellyFull)} = ${formatPct(sizing.kellySize)} of equity (p ${short(sizing.kellyWinProb)}, b ${short(sizing.kellyPayoff)}, ${sizing.kellySource ?? 'config'})`,
      inline: true,
    },
    {
      name: 'Risk cap',
      value: `${formatPct(sizing.riskCapPct / 100)} of ${formatUsd(sizing.equityUsd)} = ${formatUsd(sizing.riskCapUsd)}`,
      inline: true,
    },
    {
      name: 'Regime',
      value: `${sizing.regimeState} · ${long ? 'long' : 'short'} ${formatMultiplier(sizing.regimeMultiplier)}`,
      inline: true,
    },
    {
      name: 'Budget',
      value:
        sizing.openRiskUsd > 0
          ? `${formatUsd(sizing.budgetUsd)} (after ${formatUsd(sizing.openRiskUsd)} open risk)`
          : formatUsd(sizing.budgetUsd),
      inline: true,
    },
    // A bought option can lose at most its premium (and the commission paid for it): the whole amount at risk.
    { name: 'At risk', value: formatUsd(plan.totalUsd, { cents: plan.feesUsd > 0 }), inline: true },
  ];
  if (plan.notes.length > 0) fields.push({ name: plan.notes.length === 1 ? 'Note' : 'Notes', value: bullets(plan.notes) });

  const tweetParts: TweetPart[] = accepted
    ? [
        { text: `${emoji} Trade Alert: $${signal.symbol} ${move}.` },
        { text: `System flagged high-vol ${long ? 'upside' : 'downside'}.`, dropRank: 3 },
        { text: `Buying ${plan.contracts}x ${expiry} ${strike} ${right}${plural} at ${ask}${modeled ? ' (modeled)' : ''}.` },
        {
          text: `Risk capped at ${formatPct(sizing.riskCapPct / 100)} (${formatCompactUsd(sizing.riskCapUsd)}).`,
          dropRank: 1,
        },
        { text: DISCLAIMER },
        { text: '#Options #Trading', dropRank: 2 },
      ]
    : [
        { text: `${emoji} Skipped $${signal.symbol} ${right}:` },
        { text: sentence(plan.reason), shorten: true },
        { text: modeled ? 'Price modeled.' : '' },
        { text: 'Discipline > Action.', dropRank: 3 },
        { text: DISCLAIMER },
        { text: '#RiskManagement', dropRank: 2 },
      ];

  return {
    kind: 'trade',
    id: alertId({
      kind: 'trade',
      asOf: signal.asOf,
      symbol: signal.symbol,
      side: signal.side,
      // A trade is its contract; a skip is the same news whichever strike the cycle looked at.
      contract: plan.status === 'ACCEPTED' ? (contract?.symbol ?? 'none') : undefined,
      // A skip for another kind of reason is news (and sent), the same kind in other numbers is not.
      detail: decisionOf(plan),
    }),
    event: accepted ? 'accepted' : 'rejected',
    tweet: composeTweet(tweetParts),
    title,
    // The reason leads: it is the one sentence that explains the decision.
    description: plan.reason,
    fields,
    tone: accepted ? (long ? 'bullish' : 'bearish') : 'neutral',
    footer: modeled ? `${MODELED_NOTE} ${DISCLAIMER}` : DISCLAIMER,
  };
}
