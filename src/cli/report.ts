/**
 * Human-readable and JSON views of cycle results for the terminal. Pure: strings in, strings out.
 */
import type { Regime } from '../core/types.ts';
import type { Config } from '../config/config.ts';
import { formatMultiplier, formatUsd } from '../core/money.ts';
import type { CycleReport, TickerResult } from '../scanner/types.ts';
import type { RiskView } from '../app/services.ts';
import type { TradePlan } from '../trading/types.ts';

const PAPER = 'Paper trading only: nothing here places a real order. Not financial advice.';
const date = (d: Date) => d.toISOString().slice(0, 10);
const signed = (x: number, digits = 2) => `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`;

export function regimeText(regime: Regime): string {
  const vix = Number.isFinite(regime.vix) ? regime.vix.toFixed(2) : 'n/a';
  return [
    `Regime ${regime.state} (as of ${date(regime.asOf)}): VIX ${vix}, long ${formatMultiplier(regime.long)}, short ${formatMultiplier(regime.short)}`,
    ...regime.reasons.map((r) => `  - ${r}`),
  ].join('\n');
}

function contractText(plan: TradePlan): string {
  const c = plan.contract;
  if (!c) return '';
  const right = c.right === 'put' ? 'put' : 'call';
  return `${date(c.expiry)} $${c.strike} ${right} @ ${formatUsd(c.ask, { cents: true })} ask${c.modeled ? ' (modeled)' : ''}`;
}

export function planText(plan: TradePlan): string {
  const s = plan.signal;
  const head = `${plan.status === 'ACCEPTED' ? 'ACCEPTED' : 'REJECTED'} ${s.symbol} ${s.side} z=${signed(s.zScore)} close ${formatUsd(s.price, { cents: true })}`;
  const lines = [head];
  if (plan.contract) lines.push(`    contract: ${contractText(plan)}`);
  if (plan.status === 'ACCEPTED') lines.push(`    size: ${plan.contracts} contract${plan.contracts === 1 ? "" : "s"}, cost ${formatUsd(plan.costUsd)}`);
  lines.push(`    reason: ${plan.reason}`);
  lines.push(
    `    sizing: Kelly ${plan.sizing.kellyFraction} x ${plan.sizing.kellyFull.toFixed(2)} = ${(plan.sizing.kellySize * 100).toFixed(1)}% of ${formatUsd(plan.sizing.equityUsd)}, cap ${formatUsd(plan.sizing.riskCapUsd)}, ${plan.sizing.regimeState} ${formatMultiplier(plan.sizing.regimeMultiplier)} -> budget ${formatUsd(plan.sizing.budgetUsd)}`,
  );
  for (const note of plan.notes) lines.push(`    note: ${note}`);
  return lines.join('\n');
}

function resultLine(r: TickerResult): string {
  if (r.error && !r.signal) return `  ${r.symbol.padEnd(6)} error (${r.error.kind}): ${r.error.message}`;
  if (r.reading?.status === 'insufficient-data') {
    return `  ${r.symbol.padEnd(6)} not enough history (${r.reading.barsGiven} bars, needs ${r.reading.barsNeeded})`;
  }
  const z = r.reading ? signed(r.reading.zScore) : 'n/a';
  if (!r.signal) return `  ${r.symbol.padEnd(6)} no breakout (z ${z})`;
  if (r.held) return `  ${r.symbol.padEnd(6)} ${r.signal.side} z ${z}, position already open`;
  if (!r.plan) return `  ${r.symbol.padEnd(6)} ${r.signal.side} z ${z}, no plan: ${r.error?.message ?? 'unknown'}`;
  return `  ${r.symbol.padEnd(6)} ${r.signal.side} z ${z} -> ${r.plan.status}`;
}

export function cycleText(report: CycleReport, opts: { title?: string } = {}): string {
  const plans = report.results.flatMap((r) => (r.plan ? [r.plan] : []));
  const st = report.stats;
  const parts = [
    opts.title ?? `hundredx cycle on ${report.source} data`,
    '',
    regimeText(report.regime),
    '',
    `Scanned ${st.scanned} tickers: ${st.signals} signals, ${st.accepted} accepted, ${st.rejected} rejected, ${st.errors} errors (${Math.round(st.durationMs)} ms, ${st.upstreamRequests} upstream requests)`,
    ...report.results.map(resultLine),
  ];
  if (plans.length > 0) parts.push('', 'Trade plans:', ...plans.map(planText));
  if (report.modeled) parts.push('', 'Option prices are modeled (Black-Scholes on realized volatility), not market quotes.');
  parts.push('', PAPER);
  return parts.join('\n');
}

/** The `--json` shape: one object, stable keys. */
export function cycleJson(report: CycleReport): unknown {
  const { state, vix, long, short, reasons, spy, spySma, asOf } = report.regime;
  return {
    source: report.source,
    modeled: report.modeled,
    regime: { state, vix: Number.isFinite(vix) ? vix : null, long, short, reasons, spy, spySma, asOf },
    results: report.results.map((r) => ({
      symbol: r.symbol,
      signal: r.signal,
      plan: r.plan,
      ...(r.reading && r.reading.status !== 'insufficient-data' ? { zScore: r.reading.zScore } : {}),
      ...(r.error ? { error: r.error } : {}),
    })),
    stats: report.stats,
  };
}

export function riskText(view: RiskView, config: Config): string {
  const s = view.sides.LONG;
  const lines = [
    `Risk budget (${view.regime.state} regime)`,
    `  equity ${formatUsd(s.equityUsd)}, risk cap ${config.riskCapPct}% = ${formatUsd(s.riskCapUsd)} per trade`,
    `  Kelly: p=${s.kellyWinProb}, b=${s.kellyPayoff} -> f*=${s.kellyFull.toFixed(3)}, x ${s.kellyFraction} = ${(s.kellySize * 100).toFixed(1)}% (${formatUsd(s.kellySize * s.equityUsd)})`,
    `  open risk ${formatUsd(s.openRiskUsd)}`,
  ];
  for (const side of ['LONG', 'SHORT'] as const) {
    const x = view.sides[side];
    lines.push(`  ${side.toLowerCase()} (${side === 'LONG' ? 'calls' : 'puts'}): ${formatMultiplier(x.regimeMultiplier)} -> ${formatUsd(x.budgetUsd)} per trade`);
  }
  lines.push('', PAPER);
  return lines.join('\n');
}
