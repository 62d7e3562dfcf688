/**
 * @module The backtest: the bot's own cycle, option pick, sizing and paper ledger run day by day over the
 * bundled recorded data, as the scheduler would run them. Each trading day D:
 * - decide at D's close: signals and regime on bars up to D (completed sessions only);
 * - fill at the next session's open (09:45 New York): replay prices quotes and chains at that open, never an
 *   earlier close, and expiries count from that day;
 * - mark, apply take-profit / stop-loss and settle at that session's close, and record the equity.
 * Nothing after a decision's day is visible to it (the replay's as-of guard); a test changes every bar after
 * a day and shows the decisions up to it unchanged.
 */
import { nextTradingDay, nyWallTimeToInstant, sessionFor } from '../analysis/calendar.ts';
import type { Config } from '../config/config.ts';
import type { Signal } from '../core/types.ts';
import type { ModelStress } from '../market/calibrated-chain.ts';
import { createReplayMarketData } from '../market/replay.ts';
import { scanCycle } from '../scanner/cycle.ts';
import type { ScanDeps } from '../scanner/scan.ts';
import { cycleDepsFromConfig } from '../scanner/settings.ts';
import { MemoryStore } from '../store/memory.ts';
import { accountOf } from '../trading/ledger/account.ts';
import { Ledger, ledgerConfigOf } from '../trading/ledger/ledger.ts';
import type { PaperPosition } from '../trading/ledger/types.ts';
import type { TradePlan } from '../trading/types.ts';

export type BacktestOptions = {
  /** First and last decision days, YYYY-MM-DD (New York). */
  from: string;
  to: string;
  universe: readonly string[];
  config: Config;
  dataDir?: string;
  /** Bend the option model (sensitivity runs). */
  stress?: ModelStress;
  /** Replace the breakout as the source of entries (the control). */
  signalSource?: ScanDeps['signalSource'];
  /** Sizing's p and b (KELLY_SOURCE); the configured ones by default. */
  kelly?: Config['kelly'];
};

/** One plan the cycle made, as decided (before the ledger opened it). */
export type BacktestDecision = { date: string; symbol: string; side: Signal['side']; zScore: number; status: TradePlan['status']; reason: string };

export type BacktestRun = {
  from: string;
  to: string;
  universe: string[];
  /** One point per session with a close: equity at the close (open positions at the mid) and whether any was open. */
  equity: { date: string; equityUsd: number; invested: boolean }[];
  startingEquityUsd: number;
  /** Positions closed or expired by the end, in exit order; still-open ones are valued in the last equity point. */
  trades: PaperPosition[];
  decisions: BacktestDecision[];
  /** Every signal of every day (traded or not), for the signal-edge study. */
  signals: { date: string; tradeDate: string; signal: Signal }[];
};

const at = (date: string, minutesAfterMidnight: number) => nyWallTimeToInstant(date, minutesAfterMidnight);
const utcDay = (date: string) => new Date(`${date}T00:00:00Z`);

/** The decision days: trading days from `from` to `to` whose next session is in range too. */
export function decisionDays(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = sessionFor(from) ? from : nextTradingDay(from); day <= to; day = nextTradingDay(day)) {
    if (nextTradingDay(day) <= to) days.push(day);
  }
  return days;
}

export async function runBacktest(opts: BacktestOptions): Promise<BacktestRun> {
  const { config } = opts;
  let asOf = utcDay(opts.from);
  let now = at(opts.from, 16 * 60 + 15);
  const market = createReplayMarketData({
    asOf: () => asOf,
    now: () => now,
    rate: config.options.riskFreeRate,
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
    ...(opts.stress ? { stress: opts.stress } : {}),
  });
  const store = new MemoryStore();
  const ledger = new Ledger({
    store,
    config: ledgerConfigOf(config),
  });
  const run: BacktestRun = {
    from: opts.from, to: opts.to, universe: [...opts.universe], equity: [], startingEquityUsd: config.accountEquityUsd,
    trades: [], decisions: [], signals: [],
  };
  for (const day of decisionDays(opts.from, opts.to)) {
    const session = nextTradingDay(day);
    // 09:45 New York of the next session: decide on `day`'s close, fill at that session's open.
    asOf = utcDay(day);
    now = at(session, 9 * 60 + 45);
    const account = await accountOf(ledger, now);
    const deps = cycleDepsFromConfig(config, {
      market, store, universe: opts.universe, account, tradeDate: () => utcDay(session), now: () => now,
      ...(opts.kelly ? { kelly: opts.kelly } : {}),
    });
    const report = await scanCycle({ ...deps, ...(opts.signalSource ? { signalSource: opts.signalSource } : {}) });
    for (const r of report.results) {
      if (r.signal) run.signals.push({ date: day, tradeDate: session, signal: r.signal });
      if (!r.plan) continue;
      const { signal, status, reason } = r.plan;
      run.decisions.push({ date: day, symbol: signal.symbol, side: signal.side, zScore: signal.zScore, status, reason });
      if (status === 'ACCEPTED') await ledger.open(r.plan, { alertId: `bt:${signal.symbol}:${day}`, at: now });
    }
    // The session's close: settle what expired, mark the rest, apply the exit rules, record the equity.
    asOf = utcDay(session);
    now = at(session, (sessionFor(session)!.earlyClose ? 13 : 16) * 60 + 15);
    const { summary } = await ledger.update(market, now);
    run.equity.push({ date: session, equityUsd: summary.equityUsd, invested: (await ledger.openPositions()).length > 0 });
  }
  run.trades = await ledger.closedPositions();
  return run;
}
