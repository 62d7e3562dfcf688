/**
 * @module A backtest report as Markdown: the file `--out` writes, and the body of the CLI's answer. Plain
 * tables, every number with its unit, rounded here only.
 */
import { formatUsd } from '../core/money.ts';
import type { CurveMetrics, RunMetrics } from './metrics.ts';
import type { BacktestReport } from './report.ts';

const pct = (x: number | null | undefined, digits = 1) => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : `${(x * 100).toFixed(digits)}%`);
const num = (x: number | null | undefined, digits = 2) => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(digits));
const usd = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : formatUsd(x, { cents: Math.abs(x) < 100 }));

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

const curveRow = (name: string, m: CurveMetrics): string[] => [
  name,
  usd(m.startUsd),
  usd(m.endUsd),
  pct(m.totalReturn),
  pct(m.cagr),
  pct(m.annualVolatility),
  `${pct(m.maxDrawdown?.drawdown ?? null)} (${m.maxDrawdown?.peakDate ?? '?'} to ${m.maxDrawdown?.troughDate ?? '?'})`,
  num(m.sharpe),
  num(m.sortino),
  num(m.calmar),
];

const tradeRow = (name: string, m: RunMetrics): string[] => [
  name,
  String(m.trades.tradeCount),
  pct(m.trades.winRate),
  usd(m.trades.averageWinUsd),
  usd(m.trades.averageLossUsd),
  num(m.trades.profitFactor),
  usd(m.trades.expectancyUsd),
  pct(m.meanTradeReturn),
  usd(m.trades.totalFeesUsd),
  pct(m.exposure),
];

const CURVE_HEADER = ['', 'start', 'end', 'total return', 'CAGR', 'annual vol', 'max drawdown (peak to trough)', 'Sharpe', 'Sortino', 'Calmar'];
const TRADE_HEADER = ['', 'trades', 'win rate', 'avg win', 'avg loss', 'profit factor', 'expectancy', 'per $ risked', 'fees', 'exposure'];

export function reportMarkdown(r: BacktestReport): string {
  const s = r.strategy;
  const refusals = Object.entries(s.plans.byReason).sort((a, b) => b[1] - a[1]);
  return [
    `# hundredx backtest ${r.from} to ${r.to}`,
    '',
    `Universe (${r.universe.length}): ${r.universe.join(', ')}. Paper trading only; option prices modeled. Sharpe and Sortino with a ${pct(r.riskFreeAnnual)} risk-free rate, 252 sessions a year.`,
    '',
    `**${r.conclusion}**`,
    '',
    '## Result',
    '',
    table(CURVE_HEADER, [curveRow('strategy', s), ...(r.buyAndHoldSpy ? [curveRow('buy-and-hold SPY', r.buyAndHoldSpy)] : [])]),
    '',
    table(TRADE_HEADER, [tradeRow('strategy', s)]),
    '',
    `Plans: ${s.plans.total}, of which ${s.plans.rejected} (${pct(s.plans.total ? s.plans.rejected / s.plans.total : null)}) refused: ${refusals.map(([why, n]) => `${why} ${n}`).join(', ') || 'none'}.`,
    `Challenge ${usd(s.startUsd)} to ${usd(r.challenge.targetUsd)} in ${r.challenge.months} months: ${pct(r.challenge.progress, 2)} of the way (${pct(r.challenge.logProgress)} on a log scale).`,
    '',
    '## Do the signals have an edge?',
    '',
    `${r.edge.signalCount} signals; from each signal's close to the close of the expiry it would trade, the underlying moved the signal's way ${pct(r.edge.hitRate)} of the time, by ${pct(r.edge.meanMove, 2)} on average (bootstrap 95% interval ${pct(r.edge.meanMoveCI?.lower, 2)} to ${pct(r.edge.meanMoveCI?.upper, 2)}).`,
    '',
    '## Control: random entries, same pick, sizing and exits',
    '',
    `${r.control.seeds} seeded runs, each symbol-day signalling with probability ${pct(r.control.probability)} on a random side (the strategy's own rate).`,
    '',
    table(['', 'total return', 'per $ risked', 'trades'], [
      ['strategy', pct(s.totalReturn), pct(s.meanTradeReturn), String(s.trades.tradeCount)],
      ...r.control.runs.map((c, i) => [`random seed ${i + 1}`, pct(c.totalReturn), pct(c.meanTradeReturn), String(c.trades.tradeCount)]),
    ]),
    '',
    `Margin per dollar risked: ${pct(r.control.marginTradeReturn)}.`,
    '',
    '## Sensitivity: the option model bent',
    '',
    table(['implied vol', 'spreads', 'total return', 'per $ risked', 'Sharpe', 'max drawdown', 'trades', 'conclusion holds'],
      r.sensitivity.map((x) => [`x${x.ivScale}`, `x${x.spreadScale}`, pct(x.metrics.totalReturn), pct(x.metrics.meanTradeReturn), num(x.metrics.sharpe), pct(x.metrics.maxDrawdown?.drawdown ?? null), String(x.metrics.trades.tradeCount), x.conclusionHolds ? 'yes' : 'NO'])),
    '',
    '## In-sample and held-out',
    '',
    table(CURVE_HEADER, [curveRow(`in-sample to ${r.split.inSample.to}`, r.split.inSample), curveRow(`held-out from ${r.split.heldOut.from}`, r.split.heldOut)]),
    '',
    table(TRADE_HEADER, [tradeRow('in-sample', r.split.inSample), tradeRow('held-out', r.split.heldOut)]),
    '',
    '## What this cannot know',
    '',
    ...r.caveats.map((c) => `- ${c}`),
    '',
    r.kelly
      ? `Kelly inputs measured here (KELLY_SOURCE=backtest): p ${num(r.kelly.winProb, 3)}, b ${num(r.kelly.payoff, 2)} over ${r.kelly.trades} trades.`
      : 'Too few closed trades to measure Kelly inputs.',
    '',
  ].join('\n');
}
