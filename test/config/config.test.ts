import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
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
      'REPLAY_DATE (got "2020-13-45"): is not a real calendar date',
      'KELLY_FRACTION (got "2"): must be between 0 and 1, e.g. 0.5',
    ]);
  });

  it('should never echo a secret value', () => {
    const p = problems({ REDIS_URL: 'http://user:hunter2@host' });
    expect(p).toEqual(['REDIS_URL: must start with redis:// or rediss://, e.g. redis://127.0.0.1:6379']);
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
    expect(problems({ REPLAY_DATE: '2020-02-30' })).toEqual(['REPLAY_DATE (got "2020-02-30"): is not a real calendar date']);
    expect(problems({ DASHBOARD: 'on', HTTP_PORT: '0' })).toEqual(['DASHBOARD: on needs the HTTP server, but HTTP_PORT is 0 (off); set a port, e.g. 8080']);
  });
});
