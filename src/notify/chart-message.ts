/**
 * @module Pictures for messages: the /scan chart (closes, the ±kσ band the breakout rule draws, the breakout
 * bar, the chosen strike, the regime) and the equity chart (equity, drawdown, the challenge's required path,
 * the trades), built from the data the messages already have. Pure: SVG text out; a sink rasterises it.
 */
import { nyDate } from '../analysis/calendar.ts';
import { breakoutBands, type BreakoutConfig } from '../analysis/volatility.ts';
import { formatUsd } from '../core/money.ts';
// The builders only: charts/index.ts also loads resvg, which commands (and `hundredx regime`) never need.
import { equityChartSvg } from '../charts/equity-chart.ts';
import { scanChartSvg } from '../charts/scan-chart.ts';
import type { Bar, Regime, Signal } from '../core/types.ts';
import type { TickerResult } from '../scanner/types.ts';
import type { EquityPoint, LedgerSummary, PaperPosition } from '../trading/ledger/types.ts';
import type { TradePlan } from '../trading/types.ts';
import type { MessageChart } from './message.ts';

/** Sessions the /scan chart shows. */
const SCAN_SESSIONS = 60;

const day = (date: string) => new Date(`${date}T00:00:00Z`);
const DAY_MS = 86_400_000;
const outcomeOf = (pnlUsd: number) => (pnlUsd > 0 ? { outcome: 'win' as const } : pnlUsd < 0 ? { outcome: 'loss' as const } : {});

/** The /scan chart of `signal` (or of the latest bar when there is none) from the bars the decision saw. */
export function scanChart(input: {
  symbol: string;
  bars: readonly Bar[];
  breakout: BreakoutConfig;
  signal: Signal | null;
  zScore: number;
  plan: TradePlan | null;
  regime: Regime;
}): MessageChart {
  const bands = breakoutBands(input.bars, input.breakout);
  const points = input.bars.map((bar, i) => ({ time: bar.time, close: bar.close, ...(bands[i] ? { band: bands[i] } : {}) }));
  const contract = input.plan?.contract;
  const modeled = contract?.modeled ?? false;
  const side = input.signal?.side ?? (input.zScore >= 0 ? 'LONG' : 'SHORT');
  const svg = scanChartSvg({
    symbol: input.symbol,
    side,
    zScore: input.zScore,
    k: input.breakout.k,
    points,
    sessions: SCAN_SESSIONS,
    ...(contract ? { option: { strike: contract.strike, right: contract.right, expiry: contract.expiry } } : {}),
    regime: { state: input.regime.state, long: input.regime.long, short: input.regime.short },
    modeled,
    ...(input.signal ? {} : { breakoutIndex: null }),
  });
  const what = contract ? `, the ${formatUsd(contract.strike)} ${contract.right} strike marked` : '';
  return {
    svg,
    fileName: `${input.symbol.replace(/[^A-Z0-9.-]/gi, '')}-scan.png`,
    alt: `${input.symbol}: the last ${Math.min(SCAN_SESSIONS, points.length)} closes with the ±${input.breakout.k}σ band${what}${modeled ? ' (modeled prices)' : ''}`,
  };
}

/**
 * The /scan chart of one scanned ticker, from the bars its reading was made from; none when it has no reading
 * (a data error) or too little history for one.
 */
export function resultChart(result: TickerResult, regime: Regime, breakout: BreakoutConfig): MessageChart | undefined {
  const { reading, bars } = result;
  if (!bars || bars.length < 2 || !reading || reading.status === 'insufficient-data') return undefined;
  return scanChart({ symbol: result.symbol, bars, breakout, signal: result.signal, zScore: reading.zScore, plan: result.plan, regime });
}

/** The equity chart: one point per session, the challenge's path, each position's open and exit. */
export function equityChart(input: {
  history: readonly EquityPoint[];
  positions: readonly PaperPosition[];
  startingEquityUsd: number;
  startDate: string;
  targetEquityUsd: number;
  targetMonths: number;
  title?: string;
  /** Equity now, marked to market: the curve ends here rather than at the last session's close. */
  now?: { date: string; equityUsd: number };
}): MessageChart {
  const closes = input.history.filter((p) => p.date >= input.startDate).map((p) => ({ time: day(p.date), equityUsd: p.equityUsd }));
  const current = input.now && { time: day(input.now.date), equityUsd: input.now.equityUsd };
  const points = [
    // The starting equity the evening before day 0, so day 0's own close is a point of its own.
    { time: new Date(day(input.startDate).getTime() - DAY_MS), equityUsd: input.startingEquityUsd },
    ...closes.filter((p) => !current || p.time < current.time),
    ...(current ? [current] : []),
  ];
  // New York days (an exit at 20:30 ET is already tomorrow in UTC); a break-even trade is neither a win nor a loss.
  const trades = input.positions.flatMap((p) => [
    { time: day(nyDate(new Date(p.openedAt))), kind: 'open' as const },
    ...(p.exit ? [{ time: day(nyDate(new Date(p.exit.at))), kind: 'close' as const, ...outcomeOf(p.exit.pnlUsd) }] : []),
  ]);
  const modeled = input.positions.some((p) => p.modeled);
  return {
    svg: equityChartSvg({
      title: input.title ?? 'Paper equity',
      points,
      challenge: { startUsd: input.startingEquityUsd, targetUsd: input.targetEquityUsd, months: input.targetMonths, start: day(input.startDate) },
      trades,
      modeled,
    }),
    fileName: 'equity.png',
    alt: `Paper equity from ${input.startDate} to ${points.at(-1)!.time.toISOString().slice(0, 10)} against the challenge's path${modeled ? ' (modeled option prices)' : ''}`,
  };
}

/** What the paper ledger's record gives (CommandServices.history). */
export type LedgerRecord = { equity: readonly EquityPoint[]; closed: readonly PaperPosition[]; open: readonly PaperPosition[]; summary: LedgerSummary };

/**
 * The equity chart of the paper ledger: its sessions' closes ending at the equity now (marked to market), every
 * position's open and exit, and the challenge from the ledger's own summary.
 */
export function ledgerEquityChart(record: LedgerRecord, opts: { title?: string } = {}): MessageChart {
  const { challenge, date, equityUsd } = record.summary;
  // The target date is the start plus whole months (ledger/math.ts addMonths), so year and month give them back.
  const months = (ym: string) => Number(ym.slice(0, 4)) * 12 + Number(ym.slice(5, 7));
  return equityChart({
    history: record.equity,
    positions: [...record.closed, ...record.open],
    startingEquityUsd: challenge.startingEquityUsd,
    startDate: challenge.startDate,
    targetEquityUsd: challenge.targetEquityUsd,
    targetMonths: Math.max(1, months(challenge.targetDate) - months(challenge.startDate)),
    now: { date, equityUsd },
    ...(opts.title ? { title: opts.title } : {}),
  });
}
