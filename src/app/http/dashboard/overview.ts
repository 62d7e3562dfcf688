/**
 * @module GET / : the account at a glance. The equity curve with its drawdowns (the charts layer's SVG,
 * inline), the $10k -> $1M challenge, the open positions at their marks, the regime with its reasons and
 * the last cycle's numbers and failed tickers. Everything is read from the store; nothing is fetched or run.
 */
import { nyDate } from '../../../analysis/calendar.ts';
import { ledgerEquityChart } from '../../../notify/chart-message.ts';
import { formatPct as pct, formatUsd as usd } from '../../../notify/format.ts';
import type { EquityPoint, LedgerSummary, PaperPosition } from '../../../trading/ledger/types.ts';
import type { DashboardDeps } from './deps.ts';
import { h, type Html, trusted } from './html.ts';
import { cycleSection, positionsTable, regimeSection, StoredCycle, type ShownRegime } from './sections.ts';

export type Overview = {
  at: Date;
  summary: LedgerSummary;
  history: EquityPoint[];
  open: PaperPosition[];
  closed: PaperPosition[];
  regime: ShownRegime | null;
  cycle: StoredCycle | null;
  modeled: boolean;
};

/** Read everything the overview shows, at the runtime's clock. */
export async function readOverview({ services }: DashboardDeps): Promise<Overview> {
  const { runtime, ledger, journal } = services;
  const at = runtime.now();
  const [summary, history, open, closed, rawCycle, today] = await Promise.all([
    ledger.summary(at),
    ledger.equityHistory(),
    ledger.openPositions(),
    ledger.closedPositions(),
    services.lastCycle(),
    journal.day(nyDate(at)),
  ]);
  const parsed = StoredCycle.safeParse(rawCycle);
  const cycle = parsed.success ? parsed.data : null;
  // The newer of the last cycle's regime and today's journal (the pre-market check records there too).
  const checked = today.regimes.at(-1);
  const fromCycle: ShownRegime | null = cycle?.regime ? { ...cycle.regime, at: cycle.startedAt, from: 'the last cycle' } : null;
  const fromCheck: ShownRegime | null = checked ? { ...checked, from: "today's journal" } : null;
  const regime = [fromCycle, fromCheck].filter((r) => r !== null).sort((a, b) => b.at.localeCompare(a.at))[0] ?? null;
  const modeled = runtime.market.name === 'replay' || [...open, ...closed].some((p) => p.modeled) || cycle?.modeled === true;
  return { at, summary, history, open, closed, regime, cycle, modeled };
}

/** The equity chart's SVG: the same chart the bot posts with the diary and /equity (notify/chart-message.ts). */
export function overviewChart(o: Overview): string {
  return ledgerEquityChart({ equity: o.history, closed: o.closed, open: o.open, summary: o.summary }, { title: 'Paper account equity' }).svg;
}

function challengeSection(summary: LedgerSummary): Html {
  const c = summary.challenge;
  const dd = summary.drawdown;
  const required = c.requiredMonthlyReturn === null ? 'out of reach (the target date has passed or the equity is gone)' : pct(c.requiredMonthlyReturn);
  return h`<h2>The challenge: ${usd(c.startingEquityUsd)} to ${usd(c.targetEquityUsd)}</h2>
<p><progress max="1" value="${Math.max(0, Math.min(1, c.logProgress))}" aria-label="Progress on a log scale"></progress></p>
<dl class="facts">
<dt>Equity</dt><dd>${usd(summary.equityUsd)} (cash ${usd(summary.cashUsd)}, positions ${usd(summary.positionsValueUsd)})</dd>
<dt>Progress</dt><dd>${pct(c.logProgress)} of the way compounding, ${pct(c.progress)} of the dollars</dd>
<dt>Needed</dt><dd>${required} a month until ${c.targetDate}</dd>
<dt>Time</dt><dd>day ${c.daysElapsed} since ${c.startDate}, ${c.monthsLeft.toFixed(1)} months left</dd>
<dt>Drawdown</dt><dd>${pct(dd.currentDrawdown)} now, ${pct(dd.maxDrawdown)} at most, from a peak of ${usd(dd.peakUsd)}</dd>
<dt>Closed trades</dt><dd>${usd(summary.realizedPnlUsd)} realised (net of fees); ${usd(summary.feesUsd)} paid in fees so far</dd>
</dl>`;
}

/** The page's body. */
export function overviewBody(o: Overview): Html {
  const s = o.summary;
  const stale = s.staleMarks > 0 ? h` <span class="warn">${s.staleMarks} stale</span>` : '';
  return h`<p class="muted">As of ${s.date} (New York)${o.modeled ? ', option prices modeled (replay), not quoted' : ''}.</p>
<div class="chart">${trusted(overviewChart(o))}</div>
${challengeSection(s)}
<h2>Open positions (${o.open.length})${stale}</h2>
${positionsTable(o.open)}
${regimeSection(o.regime)}
${cycleSection(o.cycle)}`;
}
