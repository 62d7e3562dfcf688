/**
 * @module What the day journal keeps, as plain JSON-safe data: one zod schema per entry kind (so an entry
 * written by an older version, or damaged, is detected on read instead of breaking the diary) and the pure
 * conversions from domain objects (Regime, CycleReport) to those entries. Instants are ISO strings and
 * missing numbers are null, so an entry reads back exactly as it was written.
 */
import { z } from 'zod';
import type { Regime, Side } from '../core/types.ts';
import type { CycleReport } from '../scanner/types.ts';
import { StoredScanStats } from '../scanner/types.ts';

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
const Side = z.enum(['LONG', 'SHORT']);
const Right = z.enum(['call', 'put']);
/** YYYY-MM-DD. */
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** The regime as it stood at `at` (an ISO instant). VIX and SPY are null when their data was missing. */
export const DiaryRegimeEntry = z.object({
  at: z.string(),
  state: z.enum(['BULLISH', 'NEUTRAL', 'BEARISH']),
  vix: z.number().nullable(),
  spy: z.number().nullable(),
  spySma: z.number().nullable(),
  long: z.number(),
  short: z.number(),
  reasons: z.array(z.string()),
});
export type DiaryRegimeEntry = z.infer<typeof DiaryRegimeEntry>;

/** The option a decision picked; `expiry` is YYYY-MM-DD, `ask` the per-share premium in USD. */
export const DiaryContract = z.object({
  symbol: z.string(),
  right: Right,
  strike: z.number(),
  expiry: IsoDate,
  ask: z.number(),
  modeled: z.boolean(),
});
export type DiaryContract = z.infer<typeof DiaryContract>;

/** One sized (or refused) plan of a cycle, with the reason that explains it. */
export const DiaryDecision = z.object({
  symbol: z.string(),
  side: Side,
  zScore: z.number(),
  status: z.enum(['ACCEPTED', 'REJECTED']),
  reason: z.string(),
  contract: DiaryContract.nullable(),
  contracts: z.number(),
  costUsd: z.number(),
});
export type DiaryDecision = z.infer<typeof DiaryDecision>;

/** A compact summary of one cycle: its numbers, its signals and its decisions (quiet tickers are left out). */
export const DiaryCycleEntry = z.object({
  at: z.string(),
  source: z.string(),
  modeled: z.boolean(),
  regime: z.enum(['BULLISH', 'NEUTRAL', 'BEARISH']),
  stats: StoredScanStats,
  signals: z.array(z.object({ symbol: z.string(), side: Side, zScore: z.number(), price: z.number() })),
  decisions: z.array(DiaryDecision),
  /** Tickers whose data failed, at most MAX_FAILED_NAMED of them (stats.errors has the count). */
  failed: z.array(z.string()),
});
export type DiaryCycleEntry = z.infer<typeof DiaryCycleEntry>;

/**
 * One position event from the paper ledger. `priceUsd` is the per-share premium of the event (ask when
 * opened, bid when closed or stopped, intrinsic value at expiry); `amountUsd` the whole amount paid or
 * received; `pnlUsd` the realised P&L of a closing event, null when opened. `note` says why it closed
 * ("take-profit at +100%").
 */
export const DiaryTradeLine = z.object({
  event: z.enum(['opened', 'closed', 'expired', 'stopped']),
  at: z.string(),
  symbol: z.string(),
  right: Right,
  strike: z.number(),
  expiry: IsoDate,
  contracts: z.number(),
  priceUsd: z.number(),
  amountUsd: z.number(),
  pnlUsd: z.number().nullable(),
  note: z.string().optional(),
});
export type DiaryTradeLine = z.infer<typeof DiaryTradeLine>;

/** Everything the journal recorded for one New York date, cleaned up for the diary (see DayJournal.day). */
export type DiaryDayRecord = {
  /** YYYY-MM-DD, New York. */
  date: string;
  /** The regime at open, then one entry per change of state, in time order. */
  regimes: DiaryRegimeEntry[];
  /** Cycles in the order they ran, each once. */
  cycles: DiaryCycleEntry[];
  /** Tweet lines in the order first recorded, each once. */
  tweets: string[];
  /** Position events in order, each once. */
  trades: DiaryTradeLine[];
  /** Journal entries that failed validation and were left out; the diary says so when this is not 0. */
  unreadable: number;
};

/** The $10k -> $1M challenge as the ledger reports it. Every `*Pct` is a percentage: 12.5 means 12.5%. */
export type DiaryChallenge = {
  startUsd: number;
  targetUsd: number;
  /** (equity - start) / (target - start) x 100. */
  progressPct: number;
  /** ln(equity / start) / ln(target / start) x 100: the same progress on a log scale. */
  progressLogPct: number;
  /**
   * Monthly return needed from today's equity to reach the target by the target date; null when that can no
   * longer be said (the target date has passed, or equity is gone).
   */
  monthlyNeededPct: number | null;
  /** Days since the challenge started ("day 6"). */
  daysElapsed: number;
};

/** End-of-day account numbers. `drawdownPct` / `maxDrawdownPct` are positive percentages below the peak. */
export type DiaryPerformance = {
  equityUsd: number;
  dayPnlUsd: number;
  drawdownPct: number;
  maxDrawdownPct: number;
  challenge: DiaryChallenge;
};

/** One position still open at the end of the day; `expiry` YYYY-MM-DD, `valueUsd` marked at mid. */
export type DiaryPositionLine = {
  symbol: string;
  right: 'call' | 'put';
  strike: number;
  expiry: string;
  contracts: number;
  costUsd: number;
  /** The commission paid to open it: P&L is net of it, and its percentage is of cost plus commission. */
  feesUsd?: number;
  valueUsd: number;
  pnlUsd: number;
  /** True when the mark came from a model rather than a quote. */
  modeled?: boolean;
};

/** One of today's alerts and its underlying's price then and now (NaN when no price could be had). */
export type DiaryScoreLine = { symbol: string; side: Side; priceAtAlert: number; priceNow: number };

/** What the diary is built from: the journal's day plus the end-of-day numbers the caller fills in. */
export type DiaryInput = DiaryDayRecord & {
  /** Null until a paper ledger is attached: the diary then says performance is not tracked. */
  performance: DiaryPerformance | null;
  openPositions: DiaryPositionLine[];
  /** Today's alerts with the underlying's price now; see diaryAlerts for the list to price. */
  scorecard: DiaryScoreLine[];
  /** True when any option price shown was modeled rather than quoted. */
  modeled: boolean;
  /** Price source, e.g. "yahoo" or "replay". */
  source: string;
  /** The breakout threshold in standard deviations (BREAKOUT_K), for "no breakout beyond 2σ". */
  breakoutK: number;
};

/**
 * The alerts of the day a scorecard can grade: each symbol and side once, with the price at its first
 * signal. The caller adds `priceNow` (the underlying's latest price) to make DiaryInput.scorecard.
 */
export function diaryAlerts(day: Pick<DiaryDayRecord, 'cycles'>): Omit<DiaryScoreLine, 'priceNow'>[] {
  const seen = new Map<string, Omit<DiaryScoreLine, 'priceNow'>>();
  for (const cycle of day.cycles) {
    for (const s of cycle.signals) {
      const key = `${s.symbol}:${s.side}`;
      if (!seen.has(key)) seen.set(key, { symbol: s.symbol, side: s.side, priceAtAlert: s.price });
    }
  }
  return [...seen.values()];
}

/** At most this many failed tickers are named per cycle; the rest are only counted. */
export const MAX_FAILED_NAMED = 10;

/** Regime -> journal entry at `at`. */
export function regimeEntry(at: Date, regime: Regime): DiaryRegimeEntry {
  return {
    at: at.toISOString(),
    state: regime.state,
    vix: finite(regime.vix),
    spy: finite(regime.spy),
    spySma: finite(regime.spySma),
    long: regime.long,
    short: regime.short,
    reasons: [...regime.reasons],
  };
}

/** CycleReport -> its compact journal summary at `at`. */
export function cycleEntry(at: Date, report: CycleReport): DiaryCycleEntry {
  const { stats } = report;
  const decisions: DiaryDecision[] = [];
  for (const r of report.results) {
    if (!r.signal || !r.plan) continue;
    const c = r.plan.contract;
    decisions.push({
      symbol: r.symbol,
      side: r.signal.side,
      zScore: r.signal.zScore,
      status: r.plan.status,
      reason: r.plan.reason,
      contract: c
        ? { symbol: c.symbol, right: c.right, strike: c.strike, expiry: c.expiry.toISOString().slice(0, 10), ask: c.ask, modeled: c.modeled }
        : null,
      contracts: r.plan.contracts,
      costUsd: r.plan.costUsd,
    });
  }
  return {
    at: at.toISOString(),
    source: report.source,
    modeled: report.modeled,
    regime: report.regime.state,
    stats: {
      scanned: stats.scanned,
      signals: stats.signals,
      accepted: stats.accepted,
      rejected: stats.rejected,
      errors: stats.errors,
      durationMs: stats.durationMs,
    },
    signals: report.results.flatMap((r) =>
      r.signal ? [{ symbol: r.symbol, side: r.signal.side, zScore: r.signal.zScore, price: r.signal.price }] : [],
    ),
    decisions,
    failed: report.results.filter((r) => r.error).map((r) => r.symbol).slice(0, MAX_FAILED_NAMED),
  };
}
