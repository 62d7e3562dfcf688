/**
 * Every setting comes from environment variables (and an optional `.env` file), validated here by one
 * zod schema. An invalid value stops start-up with a message naming the variable, what is wrong and an
 * example; secrets are never echoed. `.env.example` lists every variable.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../core/errors.ts';
import { LOG_LEVELS, type LogFormat, type LogLevel } from '../core/log-levels.ts';
import { alertEnv, alertSettings, type AlertSettings } from './alerts.ts';
import { DEFAULTS, type JobName } from './defaults.ts';
import { unknownVarWarnings } from './env-names.ts';
import { cronExpression, exposure, flag, fraction, host, idList, int, isLoopbackHost, isoDate, num, offOrPct, positive, redisUrl, snowflake, tooFrequent, url } from './fields.ts';
import { parseUniverse } from './universe.ts';

export { parseUniverse } from './universe.ts';

const SECRET_VARS = new Set(['POLYGON_API_KEY', 'DISCORD_TOKEN', 'TELEGRAM_BOT_TOKEN', 'REDIS_URL', 'DASHBOARD_TOKEN']);

const envSchema = z.object({
  MARKET_DATA: z.enum(['yahoo', 'polygon', 'replay'], { error: 'must be one of yahoo, polygon, replay' }).default(DEFAULTS.marketData),
  REPLAY_DATE: isoDate.default(DEFAULTS.replayDate),
  REPLAY_DATA_DIR: z.string().min(1).optional(),
  YAHOO_API_ROOT: url('http://127.0.0.1:8080').optional(),
  POLYGON_API_KEY: z.string().min(1).optional(),
  POLYGON_API_ROOT: url(DEFAULTS.polygonApiRoot).default(DEFAULTS.polygonApiRoot),
  POLYGON_RATE_LIMIT: int(1, 100_000, '5').default(DEFAULTS.polygonRateLimitPerMin),
  REDIS_URL: redisUrl.optional(),
  UNIVERSE: z.string().optional(),
  SCAN_CONCURRENCY: int(1, 100, '10').default(DEFAULTS.scanConcurrency),
  ACCOUNT_EQUITY: positive('10000').default(DEFAULTS.accountEquityUsd),
  RISK_CAP_PCT: num('10')
    .refine((n) => n > 0 && n <= 100, { message: 'must be a percentage above 0 and at most 100, e.g. 10' })
    .default(DEFAULTS.riskCapPct),
  MAX_OPEN_RISK_PCT: num('50')
    .refine((n) => n > 0 && n <= 100, { message: 'must be a percentage above 0 and at most 100, e.g. 50' })
    .default(DEFAULTS.maxOpenRiskPct),
  KELLY_FRACTION: fraction('0.5').default(DEFAULTS.kelly.fraction),
  MAX_NEW_POSITIONS: int(1, 100, '5').default(DEFAULTS.maxNewPositions),
  LIQUIDITY_OI_PCT: num('10')
    .refine((n) => n > 0 && n <= 100, { message: 'must be a percentage above 0 and at most 100, e.g. 10' })
    .default(DEFAULTS.liquidity.maxOpenInterestPct),
  LIQUIDITY_VOLUME_PCT: num('25')
    .refine((n) => n > 0 && n <= 100, { message: 'must be a percentage above 0 and at most 100, e.g. 25' })
    .default(DEFAULTS.liquidity.maxVolumePct),
  TAKE_PROFIT_PCT: offOrPct(String(DEFAULTS.ledger.takeProfitPct)),
  STOP_LOSS_PCT: offOrPct(String(DEFAULTS.ledger.stopLossPct)),
  CHALLENGE_TARGET: positive('1000000').default(DEFAULTS.ledger.targetEquityUsd),
  CHALLENGE_MONTHS: int(1, 120, '12').default(DEFAULTS.ledger.targetMonths),
  COMMISSION_PER_CONTRACT: num('0.65').refine((n) => n >= 0, { message: 'must be >= 0, e.g. 0.65' }).default(DEFAULTS.ledger.commissionPerContractUsd),
  MIN_COMMISSION: num('1').refine((n) => n >= 0, { message: 'must be >= 0, e.g. 1' }).default(DEFAULTS.ledger.minCommissionUsd),
  KELLY_WIN_PROB: fraction('0.40').default(DEFAULTS.kelly.winProb),
  KELLY_PAYOFF: positive('3').default(DEFAULTS.kelly.payoff),
  KELLY_SOURCE: z.enum(['config', 'backtest'], { error: 'must be config or backtest' }).default(DEFAULTS.kellySource),
  KELLY_BACKTEST_FILE: z.string().min(1).default(DEFAULTS.kellyBacktestFile),
  BREAKOUT_K: positive('2').default(DEFAULTS.breakout.k),
  BREAKOUT_LOOKBACK: int(5, 250, '20').default(DEFAULTS.breakout.lookback),
  REGIME_VIX_HIGH: positive('20').default(DEFAULTS.regime.vixHigh),
  REGIME_VIX_LOW: positive('18').default(DEFAULTS.regime.vixLow),
  REGIME_SMA_DAYS: int(5, 250, '50').default(DEFAULTS.regime.smaDays),
  REGIME_EXPOSURE: exposure.optional(),
  // At least 1: an expiry today has no time value left to price a delta from.
  MIN_DAYS_TO_EXPIRY: int(1, 60, '2').default(DEFAULTS.options.minDaysToExpiry),
  TARGET_DELTA: num('0.30')
    .refine((n) => n > 0 && n < 1, { message: 'must be between 0 and 1 (absolute delta), e.g. 0.30' })
    .default(DEFAULTS.options.targetDelta),
  MAX_SPREAD_PCT: positive('50').default(DEFAULTS.options.maxSpreadPct),
  RISK_FREE_RATE: num('0.02')
    .refine((n) => n > -0.05 && n < 0.25, { message: 'must be an annual rate as a fraction, e.g. 0.02' })
    .default(DEFAULTS.options.riskFreeRate),
  DISCORD_TOKEN: z.string().min(20, { message: 'does not look like a Discord bot token' }).optional(),
  DISCORD_APP_ID: snowflake.optional(),
  DISCORD_GUILD_ID: snowflake.optional(),
  DISCORD_API_ROOT: url(DEFAULTS.discordApiRoot).default(DEFAULTS.discordApiRoot),
  DISCORD_ALERT_CHANNEL_IDS: idList(/^\d{17,20}$/, 'channel ids, e.g. 123456789012345678,223456789012345678'),
  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, { message: 'does not look like a Telegram bot token (123456:ABC...)' })
    .optional(),
  TELEGRAM_API_ROOT: url(DEFAULTS.telegramApiRoot).default(DEFAULTS.telegramApiRoot),
  TELEGRAM_ALERT_CHAT_IDS: idList(/^-?\d{1,20}$/, 'chat ids, e.g. -1001234567890,42'),
  ADMIN_USER_IDS: idList(/^(discord|telegram):\d{1,20}$/, 'platform:id entries, e.g. discord:123456789012345678,telegram:42'),
  SCAN_RATE_LIMIT: int(1, 1000, '5').default(DEFAULTS.scanRateLimit.max),
  SCAN_RATE_WINDOW_SEC: int(1, 86_400, '60').default(DEFAULTS.scanRateLimit.windowMs / 1000),
  DIGEST_THRESHOLD: int(1, 100, '5').default(DEFAULTS.digestThreshold),
  RETENTION_DAYS: int(7, 3650, '90').default(DEFAULTS.retentionDays),
  STATE_DB: z.string().min(1).optional(),
  STATE_FILE: z.string().min(1).optional(),
  DIARY_DIR: z.string().min(1).default(DEFAULTS.diaryDir),
  SCHEDULE_PREMARKET: cronExpression.default([...DEFAULTS.schedules.premarket]),
  SCHEDULE_INTRADAY: cronExpression.default([...DEFAULTS.schedules.intraday]),
  SCHEDULE_CLOSE: cronExpression.default([...DEFAULTS.schedules.close]),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default(DEFAULTS.log.level),
  LOG_FORMAT: z.enum(['json', 'pretty'], { error: 'must be json or pretty (unset: pretty on a terminal, else json)' }).optional(),
  HTTP_PORT: int(0, 65_535, '8080 (0 turns the server off)').default(DEFAULTS.http.port),
  HTTP_HOST: host(DEFAULTS.http.host).default(DEFAULTS.http.host),
  RUN_ON_START: flag.optional(),
  ALLOW_FAST_SCHEDULE: flag.default(false),
  DASHBOARD: flag.optional(),
  DASHBOARD_TOKEN: z
    .string()
    .regex(new RegExp(`^[\\x21-\\x7e]{${DEFAULTS.dashboard.minTokenChars},}$`), {
      message: `must be at least ${DEFAULTS.dashboard.minTokenChars} printable characters without spaces, e.g. the output of \`openssl rand -hex 24\``,
    })
    .optional(),
  ...alertEnv,
});

/** Variables the project reads outside this schema (the test suite's); not warned about as unknown. */
const OTHER_KNOWN_VARS = ['REQUIRE_REDIS', 'BENCH_TIMELINE'];

/** Every variable name hundredx reads. */
export const KNOWN_VARS: readonly string[] = [...Object.keys(envSchema.shape), ...OTHER_KNOWN_VARS];

export type Exposure = { long: number; short: number };

export type Config = {
  marketData: 'yahoo' | 'polygon' | 'replay';
  replayDate: string;
  replayDataDir: string | undefined;
  yahooApiRoot: string | undefined;
  polygonApiKey: string | undefined;
  polygonApiRoot: string;
  /** POLYGON_RATE_LIMIT: requests a minute this process sends to Polygon (the free plan allows 5). */
  polygonRateLimitPerMin: number;
  redisUrl: string | undefined;
  /** Extra tickers from UNIVERSE (already read from `@file`); undefined means "use the default lists". */
  universe: string[] | undefined;
  scanConcurrency: number;
  accountEquityUsd: number;
  riskCapPct: number;
  /** All open positions' premium together, % of equity: open risk counts against it. */
  maxOpenRiskPct: number;
  /** New positions one cycle may open (MAX_NEW_POSITIONS). */
  maxNewPositions: number;
  /** An order is at most these percentages of its contract's open interest and day volume. */
  liquidity: { maxOpenInterestPct: number; maxVolumePct: number };
  ledger: {
    takeProfitPct: number | null;
    stopLossPct: number | null;
    targetEquityUsd: number;
    targetMonths: number;
    commissionPerContractUsd: number;
    minCommissionUsd: number;
  };
  /** `source` says where p and b come from: "config", or the backtest whose trades measured them. */
  kelly: { fraction: number; winProb: number; payoff: number; source: string };
  breakout: { k: number; lookback: number };
  regime: {
    vixHigh: number;
    vixLow: number;
    smaDays: number;
    exposure: Record<'BULLISH' | 'NEUTRAL' | 'BEARISH', Exposure>;
  };
  options: { minDaysToExpiry: number; targetDelta: number; maxSpreadPct: number; riskFreeRate: number };
  discord: { token?: string; appId?: string; guildId?: string; apiRoot: string; alertChannelIds: string[] };
  telegram: { token?: string; apiRoot: string; alertChatIds: string[] };
  adminUserIds: string[];
  scanRateLimit: { max: number; windowMs: number };
  /** More signals than this in one cycle: one ranked digest instead of one alert each. */
  digestThreshold: number;
  /**
   * How long day journals, the store's copy of diaries, handled ledger events and signal keys are kept (ms);
   * positions, the equity history and the diary files are kept for good.
   */
  retentionMs: number;
  /** The SQLite file that keeps the state when REDIS_URL is not set (one bot process per file). */
  stateDb: string;
  /** A JSON state file of an earlier release, moved into `stateDb` once if it exists. */
  stateFile: string;
  diaryDir: string;
  /** Cron expressions per job, New York time; the market calendar decides which ticks run. */
  schedules: Record<JobName, string[]>;
  /** `format` undefined: pretty when stderr is a terminal, JSON otherwise. */
  log: { level: LogLevel; format: LogFormat | undefined };
  /** The /healthz and /metrics server of `npm start`; `port` 0: no server. */
  http: { port: number; host: string };
  /** `npm start` runs one intraday cycle right after the start-up regime check (RUN_ON_START). */
  runOnStart: boolean;
  /** The read-only web dashboard on that server (DASHBOARD=on); with a token, every page asks for it. */
  dashboard: { enabled: boolean; token: string | undefined };
  /** Per alert event: on, silent or off, and its own destinations (ALERTS_<EVENT>, ROUTE_<EVENT>). */
  alerts: AlertSettings;
};

/** Validate the environment into a Config (see parseConfig); for callers that do not report warnings. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return parseConfig(env).config;
}

const BacktestKelly = z.object({
  winProb: z.number().min(0).max(1),
  payoff: z.number().positive(),
  trades: z.number().int().positive(),
  from: z.string(),
  to: z.string(),
});

/** p and b measured by `hundredx backtest --out DIR` (DIR/kelly.json), for KELLY_SOURCE=backtest. */
function backtestKelly(path: string): { winProb: number; payoff: number; source: string } {
  let raw: string;
  try {
    raw = readFileSync(resolve(path), 'utf8');
  } catch (err) {
    throw new ConfigError([
      `KELLY_BACKTEST_FILE: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'}); run hundredx backtest --from 2016-03-01 --to 2021-03-31 --out reports first, or set KELLY_SOURCE=config`,
    ]);
  }
  let parsed;
  try {
    parsed = BacktestKelly.safeParse(JSON.parse(raw));
  } catch {
    parsed = undefined;
  }
  if (!parsed?.success) throw new ConfigError([`KELLY_BACKTEST_FILE: ${path} is not a kelly.json written by hundredx backtest; run the backtest again`]);
  const k = parsed.data;
  return { winProb: k.winProb, payoff: k.payoff, source: `backtest ${k.from} to ${k.to}, ${k.trades} trades` };
}

/**
 * Validate the environment into a Config. Throws ConfigError listing every bad variable. Empty strings
 * count as unset, so `FOO=` in a .env file falls back to the default. `warnings` lists variables that look
 * meant for us but are not settings (RISK_CAPPCT: did you mean RISK_CAP_PCT?): for the caller to log.
 */
export function parseConfig(env: NodeJS.ProcessEnv = process.env): { config: Config; warnings: string[] } {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'config');
      const value = cleaned[name];
      const shown = value === undefined || SECRET_VARS.has(name) ? '' : ` (got ${JSON.stringify(value.slice(0, 40))})`;
      return `${name}${shown}: ${issue.message}`;
    });
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.REGIME_VIX_LOW > e.REGIME_VIX_HIGH) {
    problems.push(`REGIME_VIX_LOW (${e.REGIME_VIX_LOW}) must not be above REGIME_VIX_HIGH (${e.REGIME_VIX_HIGH}), e.g. 18 and 20`);
  }
  if (e.MARKET_DATA === 'polygon' && !e.POLYGON_API_KEY) {
    problems.push('POLYGON_API_KEY: required when MARKET_DATA=polygon');
  }
  if (e.DISCORD_TOKEN && !e.DISCORD_APP_ID) problems.push('DISCORD_APP_ID: required with DISCORD_TOKEN (the application id, 17-20 digits)');
  if (e.DISCORD_ALERT_CHANNEL_IDS.length > 0 && !e.DISCORD_TOKEN) problems.push('DISCORD_TOKEN: required to post to DISCORD_ALERT_CHANNEL_IDS');
  if (e.TELEGRAM_ALERT_CHAT_IDS.length > 0 && !e.TELEGRAM_BOT_TOKEN) problems.push('TELEGRAM_BOT_TOKEN: required to post to TELEGRAM_ALERT_CHAT_IDS');
  // A fresh position is marked at the mid, already (s/2)/(1+s/2) below the ask paid for a spread s of mid:
  // a stop inside that would close it in the cycle that opened it.
  const spreadLossPct = (100 * (e.MAX_SPREAD_PCT / 200)) / (1 + e.MAX_SPREAD_PCT / 200);
  if (e.STOP_LOSS_PCT !== null && e.STOP_LOSS_PCT <= spreadLossPct) {
    problems.push(
      `STOP_LOSS_PCT (${e.STOP_LOSS_PCT}) must be above ${spreadLossPct.toFixed(1)}%, the loss a new position shows at once when its spread is MAX_SPREAD_PCT (${e.MAX_SPREAD_PCT}); raise it or lower MAX_SPREAD_PCT`,
    );
  }
  if (!e.ALLOW_FAST_SCHEDULE) {
    for (const [name, expressions] of [['SCHEDULE_PREMARKET', e.SCHEDULE_PREMARKET], ['SCHEDULE_INTRADAY', e.SCHEDULE_INTRADAY], ['SCHEDULE_CLOSE', e.SCHEDULE_CLOSE]] as const) {
      const fast = tooFrequent(expressions);
      if (fast.length > 0) {
        problems.push(
          `${name} (got ${fast.map((x) => JSON.stringify(x)).join(', ')}): fires more than once a minute; use 5 fields (minute first), e.g. "45 9 * * 1-5", or set ALLOW_FAST_SCHEDULE=1`,
        );
      }
    }
  }
  const dashboard = e.DASHBOARD ?? DEFAULTS.dashboard.enabled;
  if (dashboard && e.HTTP_PORT === 0) problems.push('DASHBOARD: on needs the HTTP server, but HTTP_PORT is 0 (off); set a port, e.g. 8080');
  if (dashboard && !e.DASHBOARD_TOKEN && !isLoopbackHost(e.HTTP_HOST)) {
    problems.push(
      `DASHBOARD_TOKEN: required when DASHBOARD=on and HTTP_HOST (${e.HTTP_HOST}) listens beyond 127.0.0.1, ::1 and localhost; set one, e.g. the output of \`openssl rand -hex 24\``,
    );
  }
  const { alerts, problems: routeProblems } = alertSettings(e, { discord: Boolean(e.DISCORD_TOKEN), telegram: Boolean(e.TELEGRAM_BOT_TOKEN) });
  problems.push(...routeProblems);
  if (problems.length > 0) throw new ConfigError(problems);
  const config: Config = {
    marketData: e.MARKET_DATA,
    replayDate: e.REPLAY_DATE,
    replayDataDir: e.REPLAY_DATA_DIR,
    yahooApiRoot: e.YAHOO_API_ROOT?.replace(/\/+$/, ''),
    polygonApiKey: e.POLYGON_API_KEY,
    polygonApiRoot: e.POLYGON_API_ROOT.replace(/\/+$/, ''),
    polygonRateLimitPerMin: e.POLYGON_RATE_LIMIT,
    redisUrl: e.REDIS_URL,
    universe: e.UNIVERSE === undefined ? undefined : parseUniverse(e.UNIVERSE),
    scanConcurrency: e.SCAN_CONCURRENCY,
    accountEquityUsd: e.ACCOUNT_EQUITY,
    riskCapPct: e.RISK_CAP_PCT,
    maxOpenRiskPct: Math.max(e.MAX_OPEN_RISK_PCT, e.RISK_CAP_PCT),
    maxNewPositions: e.MAX_NEW_POSITIONS,
    liquidity: { maxOpenInterestPct: e.LIQUIDITY_OI_PCT, maxVolumePct: e.LIQUIDITY_VOLUME_PCT },
    ledger: {
      takeProfitPct: e.TAKE_PROFIT_PCT,
      stopLossPct: e.STOP_LOSS_PCT,
      targetEquityUsd: e.CHALLENGE_TARGET,
      targetMonths: e.CHALLENGE_MONTHS,
      commissionPerContractUsd: e.COMMISSION_PER_CONTRACT,
      minCommissionUsd: e.MIN_COMMISSION,
    },
    kelly: e.KELLY_SOURCE === 'backtest' ? { fraction: e.KELLY_FRACTION, ...backtestKelly(e.KELLY_BACKTEST_FILE) } : { fraction: e.KELLY_FRACTION, winProb: e.KELLY_WIN_PROB, payoff: e.KELLY_PAYOFF, source: 'config' },
    breakout: { k: e.BREAKOUT_K, lookback: e.BREAKOUT_LOOKBACK },
    regime: {
      vixHigh: e.REGIME_VIX_HIGH,
      vixLow: e.REGIME_VIX_LOW,
      smaDays: e.REGIME_SMA_DAYS,
      exposure: { ...DEFAULTS.regime.exposure, ...e.REGIME_EXPOSURE } as Config['regime']['exposure'],
    },
    options: {
      minDaysToExpiry: e.MIN_DAYS_TO_EXPIRY,
      targetDelta: e.TARGET_DELTA,
      maxSpreadPct: e.MAX_SPREAD_PCT,
      riskFreeRate: e.RISK_FREE_RATE,
    },
    discord: {
      token: e.DISCORD_TOKEN,
      appId: e.DISCORD_APP_ID,
      guildId: e.DISCORD_GUILD_ID,
      apiRoot: e.DISCORD_API_ROOT.replace(/\/+$/, ''),
      alertChannelIds: e.DISCORD_ALERT_CHANNEL_IDS,
    },
    telegram: { token: e.TELEGRAM_BOT_TOKEN, apiRoot: e.TELEGRAM_API_ROOT.replace(/\/+$/, ''), alertChatIds: e.TELEGRAM_ALERT_CHAT_IDS },
    adminUserIds: e.ADMIN_USER_IDS,
    scanRateLimit: { max: e.SCAN_RATE_LIMIT, windowMs: e.SCAN_RATE_WINDOW_SEC * 1000 },
    digestThreshold: e.DIGEST_THRESHOLD,
    retentionMs: e.RETENTION_DAYS * 86_400_000,
    // Replay trades at old prices: it keeps a book of its own, never the live one. A STATE_FILE set by hand
    // chose where state lives (a mounted volume, say): the database goes beside it, not back to data/state.
    stateDb: e.STATE_DB ?? (e.STATE_FILE ? `${e.STATE_FILE.replace(/\.json$/i, '')}.db` : DEFAULTS.stateDb[e.MARKET_DATA === 'replay' ? 'replay' : 'live']),
    stateFile: e.STATE_FILE ?? DEFAULTS.legacyStateFile[e.MARKET_DATA === 'replay' ? 'replay' : 'live'],
    diaryDir: e.DIARY_DIR,
    schedules: { premarket: e.SCHEDULE_PREMARKET, intraday: e.SCHEDULE_INTRADAY, close: e.SCHEDULE_CLOSE },
    log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT },
    http: { port: e.HTTP_PORT, host: e.HTTP_HOST },
    runOnStart: e.RUN_ON_START ?? DEFAULTS.runOnStart[e.MARKET_DATA],
    dashboard: { enabled: dashboard, token: e.DASHBOARD_TOKEN },
    alerts,
  };
  return { config, warnings: unknownVarWarnings(env, KNOWN_VARS) };
}
