/**
 * Every setting comes from environment variables (and an optional `.env` file), validated here by one
 * zod schema. An invalid value stops start-up with a message naming the variable, what is wrong and an
 * example; secrets are never echoed. `.env.example` lists every variable.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { exposure, fraction, idList, int, isoDate, num, offOrPct, positive, snowflake, url } from './fields.ts';
import { ConfigError } from '../core/errors.ts';
import { cronExpression } from '../schedule/cron.ts';
import { DEFAULT_SCHEDULES, type JobName } from '../schedule/timing.ts';

/** The demo's as-of date: a BEARISH day (VIX well above 20, SPY under its 50-day average). */
export const DEMO_DATE = '2020-03-12';

export const TICKER_PATTERN = /^\^?[A-Z][A-Z0-9.-]{0,9}$/;

const SECRET_VARS = new Set(['POLYGON_API_KEY', 'DISCORD_TOKEN', 'TELEGRAM_BOT_TOKEN', 'REDIS_URL']);

const envSchema = z.object({
  MARKET_DATA: z.enum(['yahoo', 'polygon', 'replay'], { error: 'must be one of yahoo, polygon, replay' }).default('yahoo'),
  REPLAY_DATE: isoDate.default(DEMO_DATE),
  REPLAY_DATA_DIR: z.string().min(1).optional(),
  YAHOO_API_ROOT: url('http://127.0.0.1:8080').optional(),
  POLYGON_API_KEY: z.string().min(1).optional(),
  POLYGON_API_ROOT: url('https://api.polygon.io').default('https://api.polygon.io'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, { message: 'must start with redis:// or rediss://, e.g. redis://127.0.0.1:6379' })
    .optional(),
  UNIVERSE: z.string().optional(),
  SCAN_CONCURRENCY: int(1, 100, '10').default(10),
  ACCOUNT_EQUITY: positive('10000').default(10000),
  RISK_CAP_PCT: num('10')
    .refine((n) => n > 0 && n <= 100, { message: 'must be a percentage above 0 and at most 100, e.g. 10' })
    .default(10),
  MAX_OPEN_RISK_PCT: num('50')
    .refine((n) => n > 0 && n <= 100, { message: 'must be a percentage above 0 and at most 100, e.g. 50' })
    .default(50),
  KELLY_FRACTION: fraction('0.5').default(0.5),
  TAKE_PROFIT_PCT: offOrPct('100'),
  STOP_LOSS_PCT: offOrPct('50'),
  CHALLENGE_TARGET: positive('1000000').default(1_000_000),
  CHALLENGE_MONTHS: int(1, 120, '12').default(12),
  COMMISSION_PER_CONTRACT: num('0.65').refine((n) => n >= 0, { message: 'must be >= 0, e.g. 0.65' }).default(0.65),
  MIN_COMMISSION: num('1').refine((n) => n >= 0, { message: 'must be >= 0, e.g. 1' }).default(1),
  KELLY_WIN_PROB: fraction('0.40').default(0.4),
  KELLY_PAYOFF: positive('3').default(3),
  BREAKOUT_K: positive('2').default(2),
  BREAKOUT_LOOKBACK: int(5, 250, '20').default(20),
  REGIME_VIX_HIGH: positive('20').default(20),
  REGIME_VIX_LOW: positive('18').default(18),
  REGIME_SMA_DAYS: int(5, 250, '50').default(50),
  REGIME_EXPOSURE: exposure.default({
    BULLISH: { long: 1, short: 0.5 },
    NEUTRAL: { long: 0.5, short: 0.5 },
    BEARISH: { long: 0, short: 1 },
  }),
  // At least 1: an expiry today has no time value left to price a delta from.
  MIN_DAYS_TO_EXPIRY: int(1, 60, '2').default(2),
  TARGET_DELTA: num('0.30')
    .refine((n) => n > 0 && n < 1, { message: 'must be between 0 and 1 (absolute delta), e.g. 0.30' })
    .default(0.3),
  MAX_SPREAD_PCT: positive('50').default(50),
  RISK_FREE_RATE: num('0.02')
    .refine((n) => n > -0.05 && n < 0.25, { message: 'must be an annual rate as a fraction, e.g. 0.02' })
    .default(0.02),
  DISCORD_TOKEN: z.string().min(20, { message: 'does not look like a Discord bot token' }).optional(),
  DISCORD_APP_ID: snowflake.optional(),
  DISCORD_GUILD_ID: snowflake.optional(),
  DISCORD_API_ROOT: url('https://discord.com/api').default('https://discord.com/api'),
  DISCORD_ALERT_CHANNEL_IDS: idList(/^\d{17,20}$/, 'channel ids, e.g. 123456789012345678,223456789012345678'),
  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, { message: 'does not look like a Telegram bot token (123456:ABC...)' })
    .optional(),
  TELEGRAM_API_ROOT: url('https://api.telegram.org').default('https://api.telegram.org'),
  TELEGRAM_ALERT_CHAT_IDS: idList(/^-?\d{1,20}$/, 'chat ids, e.g. -1001234567890,42'),
  ADMIN_USER_IDS: idList(/^(discord|telegram):\d{1,20}$/, 'platform:id entries, e.g. discord:123456789012345678,telegram:42'),
  SCAN_RATE_LIMIT: int(1, 1000, '5').default(5),
  SCAN_RATE_WINDOW_SEC: int(1, 86_400, '60').default(60),
  DIGEST_THRESHOLD: int(1, 100, '5').default(5),
  STATE_FILE: z.string().min(1).optional(),
  DIARY_DIR: z.string().min(1).default('diary'),
  SCHEDULE_PREMARKET: cronExpression.default([...DEFAULT_SCHEDULES.premarket]),
  SCHEDULE_INTRADAY: cronExpression.default([...DEFAULT_SCHEDULES.intraday]),
  SCHEDULE_CLOSE: cronExpression.default([...DEFAULT_SCHEDULES.close]),
});

export type Exposure = { long: number; short: number };

export type Config = {
  marketData: 'yahoo' | 'polygon' | 'replay';
  replayDate: string;
  replayDataDir: string | undefined;
  yahooApiRoot: string | undefined;
  polygonApiKey: string | undefined;
  polygonApiRoot: string;
  redisUrl: string | undefined;
  /** Extra tickers from UNIVERSE (already read from `@file`); undefined means "use the default lists". */
  universe: string[] | undefined;
  scanConcurrency: number;
  accountEquityUsd: number;
  riskCapPct: number;
  /** All open positions' premium together, % of equity: open risk counts against it. */
  maxOpenRiskPct: number;
  ledger: {
    takeProfitPct: number | null;
    stopLossPct: number | null;
    targetEquityUsd: number;
    targetMonths: number;
    commissionPerContractUsd: number;
    minCommissionUsd: number;
  };
  kelly: { fraction: number; winProb: number; payoff: number };
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
  /** Where the in-process store keeps its state when REDIS_URL is not set. */
  stateFile: string;
  diaryDir: string;
  /** Cron expressions per job, New York time; the market calendar decides which ticks run. */
  schedules: Record<JobName, string[]>;
};

/** Parse UNIVERSE: "AAPL,NFLX" or "@path/to/file" (one ticker a line, # comments allowed). */
export function parseUniverse(raw: string, cwd = process.cwd()): string[] {
  let text = raw;
  if (raw.startsWith('@')) {
    const path = resolve(cwd, raw.slice(1));
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new ConfigError([`UNIVERSE: cannot read file ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`]);
    }
  }
  const symbols = text
    .split(/[\n,]/)
    .map((line) => line.replace(/#.*/, '').trim().toUpperCase())
    .filter(Boolean);
  const bad = symbols.filter((s) => !TICKER_PATTERN.test(s));
  if (bad.length > 0) {
    throw new ConfigError([
      `UNIVERSE: ${bad.slice(0, 5).map((s) => JSON.stringify(s.slice(0, 20))).join(', ')} ${bad.length === 1 ? 'is not a ticker' : 'are not tickers'}; use e.g. AAPL,NFLX or @universe.txt`,
    ]);
  }
  return [...new Set(symbols)];
}

/**
 * Validate the environment into a Config. Throws ConfigError listing every bad variable. Empty strings
 * count as unset, so `FOO=` in a .env file falls back to the default.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
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
  if (problems.length > 0) throw new ConfigError(problems);
  const defaults = envSchema.shape.REGIME_EXPOSURE.parse(undefined);
  return {
    marketData: e.MARKET_DATA,
    replayDate: e.REPLAY_DATE,
    replayDataDir: e.REPLAY_DATA_DIR,
    yahooApiRoot: e.YAHOO_API_ROOT?.replace(/\/+$/, ''),
    polygonApiKey: e.POLYGON_API_KEY,
    polygonApiRoot: e.POLYGON_API_ROOT.replace(/\/+$/, ''),
    redisUrl: e.REDIS_URL,
    universe: e.UNIVERSE === undefined ? undefined : parseUniverse(e.UNIVERSE),
    scanConcurrency: e.SCAN_CONCURRENCY,
    accountEquityUsd: e.ACCOUNT_EQUITY,
    riskCapPct: e.RISK_CAP_PCT,
    maxOpenRiskPct: Math.max(e.MAX_OPEN_RISK_PCT, e.RISK_CAP_PCT),
    ledger: {
      takeProfitPct: e.TAKE_PROFIT_PCT,
      stopLossPct: e.STOP_LOSS_PCT,
      targetEquityUsd: e.CHALLENGE_TARGET,
      targetMonths: e.CHALLENGE_MONTHS,
      commissionPerContractUsd: e.COMMISSION_PER_CONTRACT,
      minCommissionUsd: e.MIN_COMMISSION,
    },
    kelly: { fraction: e.KELLY_FRACTION, winProb: e.KELLY_WIN_PROB, payoff: e.KELLY_PAYOFF },
    breakout: { k: e.BREAKOUT_K, lookback: e.BREAKOUT_LOOKBACK },
    regime: {
      vixHigh: e.REGIME_VIX_HIGH,
      vixLow: e.REGIME_VIX_LOW,
      smaDays: e.REGIME_SMA_DAYS,
      exposure: { ...defaults, ...e.REGIME_EXPOSURE } as Config['regime']['exposure'],
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
    // Replay trades at old prices: it keeps a book of its own, never the live one.
    stateFile: e.STATE_FILE ?? (e.MARKET_DATA === 'replay' ? 'data/state/hundredx-replay.json' : 'data/state/hundredx-state.json'),
    diaryDir: e.DIARY_DIR,
    schedules: { premarket: e.SCHEDULE_PREMARKET, intraday: e.SCHEDULE_INTRADAY, close: e.SCHEDULE_CLOSE },
  };
}
