import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KNOWN_VARS, loadConfig, parseConfig } from '../../src/config/config.ts';
import { ConfigError } from '../../src/core/errors.ts';

const problems = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
};

describe('loadConfig', () => {
  it('should default to $10,000 equity, 10% cap, half Kelly at p=0.40 b=3, yahoo data, concurrency 10', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ marketData: 'yahoo', accountEquityUsd: 10000, riskCapPct: 10, scanConcurrency: 10 });
    expect(c.kelly).toEqual({ fraction: 0.5, winProb: 0.4, payoff: 3, source: 'config' });
    expect(c.regime.exposure.BEARISH).toEqual({ long: 0, short: 1 });
    expect(c.universe).toBeUndefined();
  });
  it('should size with a backtest\'s p and b under KELLY_SOURCE=backtest, naming the file when it is missing or wrong', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hx-kelly-'));
    const file = join(dir, 'kelly.json');
    writeFileSync(file, JSON.stringify({ winProb: 0.24, payoff: 2.7, trades: 365, from: '2016-03-01', to: '2021-03-31' }));
    expect(loadConfig({ KELLY_SOURCE: 'backtest', KELLY_BACKTEST_FILE: file }).kelly).toEqual({
      fraction: 0.5, winProb: 0.24, payoff: 2.7, source: 'backtest 2016-03-01 to 2021-03-31, 365 trades',
    });
    expect(() => loadConfig({ KELLY_SOURCE: 'backtest', KELLY_BACKTEST_FILE: join(dir, 'none.json') })).toThrow(/KELLY_BACKTEST_FILE: cannot read .*none\.json \(ENOENT\); run hundredx backtest/);
    writeFileSync(file, '{"winProb": 3}');
    expect(() => loadConfig({ KELLY_SOURCE: 'backtest', KELLY_BACKTEST_FILE: file })).toThrow('is not a kelly.json written by hundredx backtest');
  });


  it('should list every bad variable with its problem and an example', () => {
    expect(problems({ MARKET_DATA: 'bloomberg', KELLY_FRACTION: '2', REPLAY_DATE: '2020-13-45' })).toEqual([
      'MARKET_DATA (got "bloomberg"): must be one of yahoo, polygon, replay',
      'REPLAY_DATE (got "2020-13-45"): is not a real calendar date, e.g. 2020-03-12',
      'KELLY_FRACTION (got "2"): must be between 0 and 1, e.g. 0.5',
    ]);
  });

  it('should never echo a secret value', () => {
    const p = problems({ REDIS_URL: 'http://user:hunter2@host' });
    expect(p).toEqual(['REDIS_URL: must start with redis:// or rediss://, e.g. redis://127.0.0.1:6379 or redis://:password@host:6379/0']);
    expect(problems({ MARKET_DATA: 'polygon' })).toEqual(['POLYGON_API_KEY: required when MARKET_DATA=polygon']);
  });

  it('should read UNIVERSE from a list or an @file, de-duplicated and upper-cased', () => {
    expect(loadConfig({ UNIVERSE: 'nflx, AAPL,NFLX' }).universe).toEqual(['NFLX', 'AAPL']);
    const dir = mkdtempSync(join(tmpdir(), 'hx-'));
    writeFileSync(join(dir, 'u.txt'), '# mine\nCLSK\nsofi\n\n');
    expect(loadConfig({ UNIVERSE: `@${join(dir, 'u.txt')}` }).universe).toEqual(['CLSK', 'SOFI']);
    expect(problems({ UNIVERSE: 'AAPL,$$$' })[0]).toContain('"$$$" is not a ticker');
    expect(problems({ UNIVERSE: '@/nonexistent/file' })[0]).toContain('UNIVERSE: cannot read file');
  });

  it('should parse regime exposure and check the VIX band', () => {
    expect(loadConfig({ REGIME_EXPOSURE: 'NEUTRAL=0.25/0.75' }).regime.exposure.NEUTRAL).toEqual({ long: 0.25, short: 0.75 });
    expect(problems({ REGIME_EXPOSURE: 'BEARISH=2/1' })[0]).toContain('must look like STATE=long/short');
    expect(problems({ REGIME_VIX_LOW: '25' })[0]).toContain('REGIME_VIX_LOW (25) must not be above REGIME_VIX_HIGH (20)');
  });

  it('should refuse a stop-loss the spread alone would trigger, and keep replay state apart', () => {
    expect(problems({ STOP_LOSS_PCT: '15' })[0]).toBe(
      'STOP_LOSS_PCT (15) must be above 20.0%, the loss a new position shows at once when its spread is MAX_SPREAD_PCT (50); raise it or lower MAX_SPREAD_PCT',
    );
    expect(loadConfig({ STOP_LOSS_PCT: 'off' }).ledger.stopLossPct).toBeNull();
    expect(loadConfig({}).stateDb).toBe('data/state/hundredx.db');
    expect(loadConfig({ MARKET_DATA: 'replay' }).stateDb).toBe('data/state/hundredx-replay.db');
    expect(loadConfig({ STATE_DB: '/var/lib/hundredx/state.db' }).stateDb).toBe('/var/lib/hundredx/state.db');
    // A STATE_FILE set by hand (a mounted volume) keeps the state where it was, as a .db beside it.
    expect(loadConfig({ STATE_FILE: '/data/hundredx.json' }).stateDb).toBe('/data/hundredx.db');
    expect(loadConfig({ STATE_FILE: '/data/hundredx.json', STATE_DB: '/db/x.db' }).stateDb).toBe('/db/x.db');
    // The JSON file of earlier releases, migrated into the database once when found.
    expect(loadConfig({}).stateFile).toBe('data/state/hundredx-state.json');
    expect(loadConfig({ MARKET_DATA: 'replay' }).stateFile).toBe('data/state/hundredx-replay.json');
    expect(problems({ MIN_DAYS_TO_EXPIRY: '0' })[0]).toContain('MIN_DAYS_TO_EXPIRY (got "0"): must be a whole number from 1 to 60');
  });

  it('should read the log and HTTP settings: info, auto format, 127.0.0.1:8080 by default, 0 turns the server off', () => {
    expect(loadConfig({})).toMatchObject({ log: { level: 'info', format: undefined }, http: { port: 8080, host: '127.0.0.1' } });
    expect(loadConfig({ LOG_LEVEL: 'debug', LOG_FORMAT: 'json', HTTP_PORT: '0', HTTP_HOST: '0.0.0.0' })).toMatchObject({
      log: { level: 'debug', format: 'json' },
      http: { port: 0, host: '0.0.0.0' },
    });
    expect(loadConfig({ HTTP_HOST: '::1' }).http.host).toBe('::1');
    expect(problems({ LOG_LEVEL: 'verbose', LOG_FORMAT: 'text', HTTP_PORT: '70000', HTTP_HOST: 'http://x' })).toEqual([
      'LOG_LEVEL (got "verbose"): must be one of trace, debug, info, warn, error, fatal, silent',
      'LOG_FORMAT (got "text"): must be json or pretty (unset: pretty on a terminal, else json)',
      'HTTP_PORT (got "70000"): must be a whole number from 0 to 65535, e.g. 8080 (0 turns the server off)',
      'HTTP_HOST (got "http://x"): must be an IP address or a host name, e.g. 127.0.0.1 (0.0.0.0 listens on every interface)',
    ]);
  });

  it('should run a cycle on start by default in replay only, and take RUN_ON_START as 1/0, true/false, on/off', () => {
    expect(loadConfig({ MARKET_DATA: 'replay' }).runOnStart).toBe(true);
    expect(loadConfig({}).runOnStart).toBe(false);
    expect(loadConfig({ RUN_ON_START: 'on' }).runOnStart).toBe(true);
    expect(loadConfig({ MARKET_DATA: 'replay', RUN_ON_START: '0' }).runOnStart).toBe(false);
    expect(problems({ RUN_ON_START: 'sometimes' })).toEqual(['RUN_ON_START (got "sometimes"): must be 1 or 0 (or true/false, yes/no, on/off), e.g. 1']);
  });

  it.each([
    ['REPLAY_DATE', '2020-02-30', 'is not a real calendar date, e.g. 2020-03-12'],
    ['REPLAY_DATE', '2021-02-29', 'is not a real calendar date, e.g. 2020-03-12'],
    ['REPLAY_DATE', '2020-3-12', 'must be a date as YYYY-MM-DD, e.g. 2020-03-12'],
  ])('GIVEN %s=%s THEN it is refused: %s', (name, value, message) => {
    expect(problems({ [name]: value })).toEqual([`${name} (got ${JSON.stringify(value)}): ${message}`]);
  });

  it('should accept a leap day that exists', () => {
    expect(loadConfig({ REPLAY_DATE: '2020-02-29' }).replayDate).toBe('2020-02-29');
  });

  const notDecimal = (example: string) => `must be a plain decimal number (no hex, exponent, separators or spaces), e.g. ${example}`;
  it.each([
    ['ACCOUNT_EQUITY', '0x10', '10000'],
    ['ACCOUNT_EQUITY', '1e4', '10000'],
    ['ACCOUNT_EQUITY', '10,000', '10000'],
    ['ACCOUNT_EQUITY', '10_000', '10000'],
    ['ACCOUNT_EQUITY', 'Infinity', '10000'],
    ['ACCOUNT_EQUITY', '1 0', '10000'],
    ['SCAN_CONCURRENCY', '0b11', '10'],
    ['KELLY_FRACTION', '.5e0', '0.5'],
    ['RISK_CAP_PCT', '1'.repeat(400), '10'],
  ])('GIVEN %s=%s THEN it is refused as not a decimal number', (name, value, example) => {
    expect(problems({ [name]: value })).toEqual([`${name} (got ${JSON.stringify(value.slice(0, 40))}): ${notDecimal(example)}`]);
  });

  it('should read decimals as written, spaces around them ignored, and empty or blank values as unset', () => {
    const c = loadConfig({ ACCOUNT_EQUITY: ' 25000.50 ', KELLY_FRACTION: '.25', RISK_CAP_PCT: '', MAX_OPEN_RISK_PCT: '   ' });
    expect(c.accountEquityUsd).toBe(25000.5);
    expect(c.kelly.fraction).toBe(0.25);
    expect(c.riskCapPct).toBe(10);
    expect(c.maxOpenRiskPct).toBe(50);
    expect(problems({ TAKE_PROFIT_PCT: '0x10' })).toEqual(['TAKE_PROFIT_PCT (got "0x10"): must be a percentage of the premium paid or "off", e.g. 100']);
    expect(problems({ REGIME_EXPOSURE: 'BEARISH=0x0/1' })[0]).toContain('must look like STATE=long/short');
  });

  it('should refuse a schedule that fires more than once a minute unless ALLOW_FAST_SCHEDULE is set', () => {
    expect(problems({ SCHEDULE_INTRADAY: '* * * * * *' })).toEqual([
      'SCHEDULE_INTRADAY (got "* * * * * *"): fires more than once a minute; use 5 fields (minute first), e.g. "45 9 * * 1-5", or set ALLOW_FAST_SCHEDULE=1',
    ]);
    expect(problems({ SCHEDULE_CLOSE: '15 16 * * 1-5; */30 * * * * *' })[0]).toContain('SCHEDULE_CLOSE (got "*/30 * * * * *")');
    // Six fields with one second a minute is still once a minute.
    expect(loadConfig({ SCHEDULE_PREMARKET: '30 0 9 * * 1-5' }).schedules.premarket).toEqual(['30 0 9 * * 1-5']);
    expect(loadConfig({ SCHEDULE_INTRADAY: '* * * * * *', ALLOW_FAST_SCHEDULE: '1' }).schedules.intraday).toEqual(['* * * * * *']);
    expect(problems({ ALLOW_FAST_SCHEDULE: 'maybe' })).toEqual(['ALLOW_FAST_SCHEDULE (got "maybe"): must be 1 or 0 (or true/false, yes/no, on/off), e.g. 1']);
  });

  it.each([
    ['redis://host:port', 'is not a valid URL (check the port, and percent-encode special characters in the password)'],
    ['redis://host:99999', 'is not a valid URL (check the port, and percent-encode special characters in the password)'],
    ['redis://:100%sure@host:6379', 'has a "%" in the user or password that is not a percent-encoding (write % as %25)'],
    ['redis://host:6379/cache', 'has a database that is not a number (the path after the port)'],
  ])('GIVEN REDIS_URL=%s THEN the message names REDIS_URL and never echoes it', (value, why) => {
    expect(problems({ REDIS_URL: value })).toEqual([`REDIS_URL: ${why}, e.g. redis://127.0.0.1:6379 or redis://:password@host:6379/0`]);
  });

  it('should accept Redis URLs with a password, TLS and a database', () => {
    expect(loadConfig({ REDIS_URL: 'rediss://user:p%40ss@redis.example:6380/2' }).redisUrl).toBe('rediss://user:p%40ss@redis.example:6380/2');
  });

  it('should warn, not fail, about unknown variables that look like ours', () => {
    const { config, warnings } = parseConfig({
      RISK_CAPPCT: '5',
      TELEGRAM_BOT_TOKN: 'secret-value',
      HUNDREDX_RISK_CAP_PCT: '3',
      HUNDREDX_MODE: 'x',
      DISCORD_CHANNEL_ID: '1',
      HOME: '/root',
      PATH: '/usr/bin',
      TERM: 'xterm',
      npm_config_cache: '/tmp',
    });
    expect(config.riskCapPct).toBe(10);
    expect(warnings).toEqual([
      'DISCORD_CHANNEL_ID: not a hundredx setting, ignored (the DISCORD_* settings are DISCORD_TOKEN, DISCORD_APP_ID, DISCORD_GUILD_ID, DISCORD_API_ROOT, DISCORD_ALERT_CHANNEL_IDS); every setting is listed in .env.example',
      'HUNDREDX_MODE: not a hundredx setting, ignored; every setting is listed in .env.example',
      'HUNDREDX_RISK_CAP_PCT: not a hundredx setting, ignored; did you mean RISK_CAP_PCT?',
      'RISK_CAPPCT: not a hundredx setting, ignored; did you mean RISK_CAP_PCT?',
      'TELEGRAM_BOT_TOKN: not a hundredx setting, ignored; did you mean TELEGRAM_BOT_TOKEN?',
    ]);
    expect(warnings.join('\n')).not.toContain('secret-value');
  });

  it('should know every variable in .env.example, and .env.example every setting', () => {
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const listed = [...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!);
    expect(listed.filter((name) => !KNOWN_VARS.includes(name))).toEqual([]);
    expect(KNOWN_VARS.filter((name) => !listed.includes(name) && !['REQUIRE_REDIS', 'BENCH_TIMELINE'].includes(name))).toEqual([]);
  });

  it('should keep the dashboard off by default and need a token when it listens beyond loopback', () => {
    expect(loadConfig({}).dashboard).toEqual({ enabled: false, token: undefined });
    expect(loadConfig({ DASHBOARD: 'on' }).dashboard).toEqual({ enabled: true, token: undefined });
    for (const host of ['localhost', '::1', '127.0.0.1', '127.0.0.2']) expect(loadConfig({ DASHBOARD: 'on', HTTP_HOST: host }).dashboard.enabled).toBe(true);
    expect(problems({ DASHBOARD: 'on', HTTP_HOST: '0.0.0.0' })).toEqual([
      'DASHBOARD_TOKEN: required when DASHBOARD=on and HTTP_HOST (0.0.0.0) listens beyond 127.0.0.1, ::1 and localhost; set one, e.g. the output of `openssl rand -hex 24`',
    ]);
    const token = 'dashboard-token-0123456789';
    expect(loadConfig({ DASHBOARD: 'on', HTTP_HOST: '0.0.0.0', DASHBOARD_TOKEN: token }).dashboard).toEqual({ enabled: true, token });
    // Off, the token is not needed anywhere: a host beyond loopback only serves /healthz and /metrics.
    expect(loadConfig({ HTTP_HOST: '0.0.0.0' }).dashboard.enabled).toBe(false);
    expect(problems({ DASHBOARD: 'sometimes', DASHBOARD_TOKEN: 'short secret' })).toEqual([
      'DASHBOARD (got "sometimes"): must be 1 or 0 (or true/false, yes/no, on/off), e.g. 1',
      'DASHBOARD_TOKEN: must be at least 16 printable characters without spaces, e.g. the output of `openssl rand -hex 24`',
    ]);
    // Not Date.parse alone: it reads February 30 as March 1.
    expect(problems({ REPLAY_DATE: '2020-02-30' })).toEqual(['REPLAY_DATE (got "2020-02-30"): is not a real calendar date, e.g. 2020-03-12']);
    expect(problems({ DASHBOARD: 'on', HTTP_PORT: '0' })).toEqual(['DASHBOARD: on needs the HTTP server, but HTTP_PORT is 0 (off); set a port, e.g. 8080']);
  });
});
