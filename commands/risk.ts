/** `/risk`: the per-trade risk budget: equity, cap, Kelly, open risk, and what each side may spend now. */
import { z } from 'zod';
import { formatIsoDate, formatMultiplier, formatPct, formatUsd } from '../src/notify/format.ts';
import type { Message } from '../src/notify/message.ts';
import type { RiskView } from './context.ts';
import { defineCommand } from './spec.ts';

/** Trim a number for prose: 0.5 -> "0.5". */
const short = (n: number): string => Number(n.toFixed(3)).toString();

/** The /risk reply for a budget view. Both sides share every input except the regime multiplier. */
export function riskReply(view: RiskView): Message {
  const s = view.sides.LONG;
  const kellyUsd = s.kellySize * s.equityUsd;
  // What the open-risk limit still allows, before the regime scales it per side.
  const remainingUsd = Math.max(0, Math.min(Math.min(s.riskCapUsd, kellyUsd), s.maxOpenRiskUsd - s.openRiskUsd));
  const side = (name: 'LONG' | 'SHORT') => {
    const x = view.sides[name];
    return `${formatMultiplier(x.regimeMultiplier)} → ${formatUsd(x.budgetUsd)} per trade`;
  };
  return {
    kind: 'reply',
    title: `Risk budget (${view.regime.state} regime)`,
    fields: [
      { name: 'Equity', value: formatUsd(s.equityUsd), inline: true },
      { name: 'Risk cap', value: `${formatPct(s.riskCapPct / 100)} = ${formatUsd(s.riskCapUsd)} per trade`, inline: true },
      {
        name: 'Kelly',
        value: `p ${short(s.kellyWinProb)}, payoff ${short(s.kellyPayoff)}: ${short(s.kellyFraction)} × ${formatPct(s.kellyFull)} = ${formatPct(s.kellySize)} (${formatUsd(kellyUsd)})`,
        inline: true,
      },
      { name: 'Open risk', value: `${formatUsd(s.openRiskUsd)} of ${formatUsd(s.maxOpenRiskUsd)} limit`, inline: true },
      { name: 'Remaining budget', value: `${formatUsd(remainingUsd)} per trade`, inline: true },
      { name: 'Longs (calls)', value: side('LONG'), inline: true },
      { name: 'Shorts (puts)', value: side('SHORT'), inline: true },
    ],
    tone: 'info',
    footer: `Open risk is what the open paper positions cost, premium and commission (see /positions). Regime as of ${formatIsoDate(view.regime.asOf)}. Paper trading only.`,
  };
}

export const risk = defineCommand({
  name: 'risk',
  description: 'Risk budget: equity, risk cap, Kelly fraction, open risk, per-side budget',
  args: z.object({}),
  // Fetches SPY and VIX bars for the regime: may pass Discord's 3 s reply window on a cold cache.
  slow: true,
  async run(ctx) {
    const view = await ctx.services.risk();
    return { ...riskReply(view), data: view };
  },
});
