/**
 * @module Every default setting, in one object. The zod schema (config.ts) reads its `.default(...)`
 * values from here, and tests build their settings from it, so a default is written once. Lower layers
 * (analysis, trading, schedule) take their settings as parameters and keep no defaults of their own.
 */

/** The scheduled jobs, in the order they run in a day. */
export const JOB_NAMES = ['premarket', 'intraday', 'close'] as const;
export type JobName = (typeof JOB_NAMES)[number];

/**
 * The alert events a user can turn down one by one (ALERTS_<EVENT>) and send to chats of their own
 * (ROUTE_<EVENT>): the regime, a paper trade opened (accepted), a signal skipped (rejected), the scan digest,
 * a position's exit, the end-of-day diary.
 */
export const ALERT_EVENTS = ['regime', 'accepted', 'rejected', 'digest', 'exit', 'diary'] as const;
export type AlertEvent = (typeof ALERT_EVENTS)[number];
/** on: a normal message; silent: delivered without a notification sound; off: not sent at all. */
export const ALERT_MODES = ['on', 'silent', 'off'] as const;
export type AlertMode = (typeof ALERT_MODES)[number];

/** The demo's as-of date: a BEARISH day (VIX well above 20, SPY under its 50-day average). */
export const DEMO_DATE = '2020-03-12';

export const DEFAULTS = {
  marketData: 'yahoo',
  replayDate: DEMO_DATE,
  polygonApiRoot: 'https://api.polygon.io',
  /** Polygon's free plan allows 5 requests a minute; paid plans are unlimited (raise POLYGON_RATE_LIMIT). */
  polygonRateLimitPerMin: 5,
  discordApiRoot: 'https://discord.com/api',
  telegramApiRoot: 'https://api.telegram.org',
  scanConcurrency: 10,
  accountEquityUsd: 10_000,
  riskCapPct: 10,
  /** All open positions' premium together, % of equity. */
  maxOpenRiskPct: 50,
  /** New positions one cycle may open. */
  maxNewPositions: 5,
  /** An order is at most these shares of a contract's open interest and of its day volume. */
  liquidity: { maxOpenInterestPct: 10, maxVolumePct: 25 },
  // Half Kelly at p = 0.40 and a 3:1 payoff: 0.5 x (0.40 - 0.60 / 3) = 10% of equity, the same as the cap.
  kelly: { fraction: 0.5, winProb: 0.4, payoff: 3 },
  /** Where Kelly's p and b come from: the settings above, or a backtest's trades (KELLY_BACKTEST_FILE). */
  kellySource: 'config',
  kellyBacktestFile: 'reports/kelly.json',
  ledger: {
    takeProfitPct: 100,
    stopLossPct: 50,
    targetEquityUsd: 1_000_000,
    targetMonths: 12,
    // Interactive Brokers' published US option commission: $0.65 a contract, $1 an order at least.
    commissionPerContractUsd: 0.65,
    minCommissionUsd: 1,
  },
  breakout: { k: 2, lookback: 20 },
  regime: {
    // VIX 20 sits near its long-run mean and median; 18 gives a 2-point hysteresis band; 50-day SPY trend.
    vixHigh: 20,
    vixLow: 18,
    smaDays: 50,
    exposure: {
      BULLISH: { long: 1.0, short: 0.5 },
      NEUTRAL: { long: 0.5, short: 0.5 },
      BEARISH: { long: 0.0, short: 1.0 },
    },
  },
  options: { minDaysToExpiry: 2, targetDelta: 0.3, maxSpreadPct: 50, riskFreeRate: 0.02 },
  scanRateLimit: { max: 5, windowMs: 60_000 },
  digestThreshold: 5,
  /** ALERTS_<EVENT> when unset; where each goes (ROUTE_<EVENT>) defaults to every alert channel and chat. */
  alerts: { regime: 'on', accepted: 'on', rejected: 'on', digest: 'on', exit: 'on', diary: 'on' },
  /** Journals, saved diaries in the store, ledger events, signal keys and the outbox alert log are dropped after this many days. */
  retentionDays: 90,
  diaryDir: 'diary',
  log: { level: 'info' },
  /**
   * The health and metrics server of `npm start` (off in the CLI). Loopback only unless HTTP_HOST widens it:
   * /metrics tells anyone who can reach it the account's equity. 8080: the usual container HTTP port.
   */
  http: { port: 8080, host: '127.0.0.1' },
  /** RUN_ON_START when unset: a replay start shows a cycle's trades at once; a live one waits for the schedule. */
  runOnStart: { replay: true, yahoo: false, polygon: false },
  /**
   * The read-only web dashboard on that server: off unless asked for. A token shorter than this is refused:
   * it is the only thing between the network and the account's numbers once HTTP_HOST leaves loopback.
   */
  dashboard: { enabled: false, minTokenChars: 16 },
  /** The SQLite state database without REDIS_URL; replay trades at old prices, so it keeps a book of its own. */
  stateDb: { live: 'data/state/hundredx.db', replay: 'data/state/hundredx-replay.db' },
  /** Where earlier releases kept state as JSON: moved into the state database once when found. */
  legacyStateFile: { live: 'data/state/hundredx-state.json', replay: 'data/state/hundredx-replay.json' },
  /** New York time. The calendar decides which ticks count (holidays, early closes). */
  schedules: {
    premarket: ['0 9 * * 1-5'],
    // 09:45, then every 30 minutes to 15:45: one expression cannot start at :45 of 9 and also cover 10-15.
    intraday: ['45 9 * * 1-5', '15,45 10-15 * * 1-5'],
    // Both: the calendar keeps 13:15 on early-close days and 16:15 on the others.
    close: ['15 16 * * 1-5', '15 13 * * 1-5'],
  },
} as const satisfies {
  kelly: { fraction: number; winProb: number; payoff: number };
  regime: { vixHigh: number; vixLow: number; smaDays: number; exposure: Record<'BULLISH' | 'NEUTRAL' | 'BEARISH', { long: number; short: number }> };
  schedules: Record<JobName, readonly string[]>;
  alerts: Record<AlertEvent, AlertMode>;
  runOnStart: Record<'replay' | 'yahoo' | 'polygon', boolean>;
  [setting: string]: unknown;
};
