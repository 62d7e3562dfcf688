/**
 * @module `hundredx backtest`: the strategy's run and the evidence around it, as plain data.
 * 1. The strategy on the bundled data, with its metrics, against buy-and-hold SPY over the same days.
 * 2. The signals' own edge on the underlying: the move from the signal's close to the expiry the bot would
 *    buy, in the signal's direction, with a bootstrap 95% interval.
 * 3. A control: seeded random entries through the same pick, sizing and exits; the strategy's margin over it.
 * 4. Sensitivity: the option model's implied vol x 0.85 / 1.0 / 1.15 / 1.3 and spreads x 1 / x 2.
 * 5. In-sample and held-out parts of the run, reported apart.
 * And what it cannot know, said plainly.
 */
import { challengeProgress } from '../trading/ledger/math.ts';
import { signalEdge, type SignalEdge } from '../analysis/signal-edge.ts';
import { pickExpiry } from '../trading/options.ts';
import { fridayExpiries } from '../market/modeled-chain.ts';
import { createReplayMarketData } from '../market/replay.ts';
import { randomSignals } from './control.ts';
import { runBacktest, type BacktestOptions, type BacktestRun } from './engine.ts';
import { curveMetrics, runMetrics, RISK_FREE_ANNUAL, type CurveMetrics, type RunMetrics } from './metrics.ts';

export const IV_SCALES = [0.85, 1, 1.15, 1.3] as const;
export const SPREAD_SCALES = [1, 2] as const;
/** Control runs (seeds 1..N): their mean is what random entries earn. */
export const CONTROL_SEEDS = 3;
/** The first 70% of the sessions are in-sample; the rest is held out. */
export const IN_SAMPLE_SHARE = 0.7;

export type BacktestReport = {
  from: string;
  to: string;
  universe: string[];
  riskFreeAnnual: number;
  strategy: RunMetrics;
  buyAndHoldSpy: CurveMetrics | null;
  challenge: { targetUsd: number; months: number; progress: number; logProgress: number };
  edge: SignalEdge & { horizon: string };
  control: {
    seeds: number;
    probability: number;
    runs: RunMetrics[];
    meanTotalReturn: number | null;
    /** The random entries' mean P&L per dollar a trade cost, and the strategy's margin over it. */
    meanTradeReturn: number | null;
    marginTradeReturn: number | null;
  };
  /** `conclusionHolds`: the run still makes (or still loses) money, as the unbent model's run does. */
  sensitivity: { ivScale: number; spreadScale: number; metrics: RunMetrics; conclusionHolds: boolean }[];
  split: { inSample: RunMetrics & { to: string }; heldOut: RunMetrics & { from: string } };
  conclusion: string;
  caveats: string[];
  /** The strategy's trade statistics as sizing can use them (KELLY_SOURCE=backtest). */
  kelly: { winProb: number; payoff: number; trades: number } | null;
  /** Every equity point of the strategy run, for charts and files. */
  equity: BacktestRun['equity'];
};

export type ReportOptions = Omit<BacktestOptions, 'stress' | 'signalSource'> & {
  /** Progress lines ("control 2 of 3"), e.g. to a terminal. */
  onProgress?: (what: string) => void;
};

const mean = (xs: readonly number[]): number | null => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);

/**
 * Each signal's move from its close to the close of the expiry it would trade, in its direction (positive:
 * the underlying went the way the signal said). Both closes on the expiry day's terms, so a split in between
 * moves neither.
 */
async function signalMoves(run: BacktestRun, opts: ReportOptions): Promise<number[]> {
  const moves: number[] = [];
  for (const { signal, tradeDate } of run.signals) {
    const trade = new Date(`${tradeDate}T00:00:00Z`);
    const expiry = pickExpiry(fridayExpiries(trade, 3), trade, opts.config.options.minDaysToExpiry);
    if (!expiry || expiry.toISOString().slice(0, 10) > opts.to) continue;
    const market = createReplayMarketData({ asOf: () => expiry, ...(opts.dataDir ? { dataDir: opts.dataDir } : {}) });
    const bars = await market.dailyBars(signal.symbol, 20).catch(() => []);
    const at = (date: Date) => bars.find((b) => b.time.getTime() === date.getTime())?.close;
    const from = at(signal.asOf);
    const to = at(expiry);
    if (from === undefined || to === undefined) continue;
    moves.push((signal.side === 'LONG' ? 1 : -1) * (to / from - 1));
  }
  return moves;
}

/** Buy-and-hold SPY from the backtest's first day to its last, on total-return (dividend-adjusted) closes. */
async function buyAndHoldSpy(run: BacktestRun, opts: ReportOptions): Promise<CurveMetrics | null> {
  const last = run.equity.at(-1)?.date;
  if (!last) return null;
  const market = createReplayMarketData({ asOf: () => new Date(`${last}T00:00:00Z`), ...(opts.dataDir ? { dataDir: opts.dataDir } : {}) });
  const days = new Set([run.from, ...run.equity.map((p) => p.date)]);
  const spanDays = (Date.parse(last) - Date.parse(run.from)) / 86_400_000 + 10;
  const bars = (await market.dailyBars('SPY', spanDays).catch(() => [])).filter((b) => days.has(b.time.toISOString().slice(0, 10)));
  if (bars.length < 2) return null;
  const start = run.startingEquityUsd / bars[0]!.close;
  return curveMetrics(bars.map((b) => b.close * start), bars.map((b) => b.time.toISOString().slice(0, 10)));
}

/** The strategy's p and b as the backtest measured them: what KELLY_SOURCE=backtest sizes with. */
function kellyInputs(m: RunMetrics): BacktestReport['kelly'] {
  const t = m.trades;
  if (t.tradeCount < 20 || t.winRate === null || t.averageWinUsd === null || t.averageLossUsd === null || t.averageLossUsd === 0) return null;
  return { winProb: t.winRate, payoff: t.averageWinUsd / Math.abs(t.averageLossUsd), trades: t.tradeCount };
}

const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);

export async function backtestReport(opts: ReportOptions): Promise<BacktestReport> {
  const progress = opts.onProgress ?? (() => undefined);
  progress('strategy');
  const base = await runBacktest(opts);
  const strategy = runMetrics(base);
  const symbolDays = base.equity.length * Math.max(1, opts.universe.length);
  const probability = Math.min(0.5, base.signals.length / symbolDays);
  const controls: RunMetrics[] = [];
  for (let seed = 1; seed <= CONTROL_SEEDS; seed++) {
    progress(`control ${seed} of ${CONTROL_SEEDS}`);
    controls.push(runMetrics(await runBacktest({ ...opts, signalSource: randomSignals({ seed, probability }) })));
  }
  const controlMean = mean(controls.flatMap((c) => (c.totalReturn === null ? [] : [c.totalReturn])));
  const controlTrade = mean(controls.flatMap((c) => (c.meanTradeReturn === null ? [] : [c.meanTradeReturn])));
  // Per trade, not in total: two runs that both lose the account read -99% whatever their trades did.
  const beatsControl = (m: RunMetrics) => m.meanTradeReturn !== null && controlTrade !== null && m.meanTradeReturn > controlTrade;
  const positive = (m: RunMetrics) => (m.totalReturn ?? 0) > 0;
  const sensitivity: BacktestReport['sensitivity'] = [];
  for (const spreadScale of SPREAD_SCALES) {
    for (const ivScale of IV_SCALES) {
      const metrics = ivScale === 1 && spreadScale === 1
        ? strategy
        : (progress(`sensitivity iv x${ivScale} spreads x${spreadScale}`), runMetrics(await runBacktest({ ...opts, stress: { ivScale, spreadScale } })));
      sensitivity.push({ ivScale, spreadScale, metrics, conclusionHolds: positive(metrics) === positive(strategy) });
    }
  }
  const cut = Math.max(1, Math.floor(base.equity.length * IN_SAMPLE_SHARE));
  const moves = await signalMoves(base, opts);
  const edge = signalEdge(moves, { seed: 1 });
  const challenge = challengeProgress({
    startingEquityUsd: base.startingEquityUsd,
    equityUsd: strategy.endUsd,
    targetEquityUsd: opts.config.ledger.targetEquityUsd,
    targetMonths: opts.config.ledger.targetMonths,
    startDate: base.from,
    date: base.equity.at(-1)?.date ?? base.from,
  });
  const margin = strategy.meanTradeReturn !== null && controlTrade !== null ? strategy.meanTradeReturn - controlTrade : null;
  const verdict = `The strategy ${positive(strategy) ? 'made' : 'lost'} ${pct(strategy.totalReturn === null ? null : Math.abs(strategy.totalReturn))} over ${strategy.days} sessions, ${beatsControl(strategy) ? 'beating' : 'not beating'} random entries per trade (${pct(strategy.meanTradeReturn)} against ${pct(controlTrade)} of what a trade cost).`;
  const signals = `The signals' own move to expiry averaged ${pct(edge.meanMove)} in their direction (95% interval ${pct(edge.meanMoveCI?.lower ?? null)} to ${pct(edge.meanMoveCI?.upper ?? null)}, hit rate ${pct(edge.hitRate)}).`;
  const robust = sensitivity.every((r) => r.conclusionHolds)
    ? `It ${positive(strategy) ? 'makes' : 'loses'} money under every bend of the option model tried.`
    : `Whether it makes money depends on the option model: ${sensitivity.filter((r) => !r.conclusionHolds).length} of ${sensitivity.length} sensitivity rows say otherwise.`;
  const conclusion = [verdict, signals, robust].join(' ');
  return {
    from: base.from,
    to: base.to,
    universe: base.universe,
    riskFreeAnnual: RISK_FREE_ANNUAL,
    strategy,
    buyAndHoldSpy: await buyAndHoldSpy(base, opts),
    challenge: { targetUsd: opts.config.ledger.targetEquityUsd, months: opts.config.ledger.targetMonths, progress: challenge.progress, logProgress: challenge.logProgress },
    edge: { ...edge, horizon: 'signal close to the close of the expiry it would trade' },
    control: { seeds: CONTROL_SEEDS, probability, runs: controls, meanTotalReturn: controlMean, meanTradeReturn: controlTrade, marginTradeReturn: margin },
    sensitivity,
    split: {
      inSample: { ...runMetrics(base, { to: cut }), to: base.equity[cut - 1]!.date },
      heldOut: { ...runMetrics(base, { from: cut }), from: base.equity[cut]?.date ?? base.to },
    },
    conclusion,
    caveats: CAVEATS,
    kelly: kellyInputs(strategy),
    equity: base.equity,
  };
}

/** What this backtest cannot know. */
export const CAVEATS = [
  'Survivorship: the universe is a list of symbols that exist today; companies that were delisted or merged are missing, which flatters any stock strategy.',
  'Option prices are modeled, not recorded: a model calibrated on five real chain-days (median error 3-11% outside event-priced expiries), with no earnings or event volatility, no dividends and no holiday effects. The sensitivity rows show how much the result leans on it.',
  'Fills: buys at the modeled ask at the next open, sells at the modeled bid; size capped at a share of modeled open interest. A real order book could fill worse, or not at all.',
  'Daily bars only: take-profit and stop-loss are checked at the close, never intraday; settlement at intrinsic value on the expiry-day close.',
  'No assignment or early exercise: options are held to their exit or expiry as European, cash-settled positions.',
  'One path: the results are one history of one parameter set; the held-out part is the closest thing to an out-of-sample test here.',
];
