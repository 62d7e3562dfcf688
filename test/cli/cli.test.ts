import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runHundredx } from '../../src/app/cli-app.ts';
import { tempStateDb, type TempStateDb } from '../support/sqlite.ts';

async function run(args: string[], env: Record<string, string> = {}, opts: { isTTY?: boolean } = {}) {
  let out = '';
  let err = '';
  const code = await runHundredx(args, { out: (s) => (out += s), err: (s) => (err += s), env, ...opts });
  return { code, out, err };
}

// A state file of its own: never the developer's data/state from a local `npm start`.
const stateDir = mkdtempSync(join(tmpdir(), 'hx-cli-'));
const replay = {
  MARKET_DATA: 'replay',
  REPLAY_DATE: '2020-03-12',
  STATE_DB: join(stateDir, 'state.db'),
  STATE_FILE: join(stateDir, 'state.json'),
};

describe('hundredx CLI', () => {
  it('should run the demo: a BEARISH cycle with accepted and rejected trades, saying prices are modeled', async () => {
    const { code, out, err } = await run(['demo'], { STATE_DB: replay.STATE_DB, STATE_FILE: replay.STATE_FILE });
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain('hundredx demo: one cycle on recorded data as of 2020-03-12');
    expect(out).toContain('Scan of 15 tickers on replay data: 11 signals, 5 accepted, 6 rejected');
    expect(out).toContain('Regime BEARISH (as of 2020-03-12)\n    VIX 75.47, long 0.0x, short 1.0x');
    // Listed in the order the budget was allocated: strongest |z| first, so a refusal comes after the trades.
    expect(out).toMatch(/^AIG SHORT z -4\.25 -> ACCEPTED\nEEM SHORT/m);
    expect(out.indexOf('REJECTED SPY SHORT')).toBeGreaterThan(out.indexOf('ACCEPTED IWM SHORT'));
    // Commission inside the cap, and at most 5 new positions a cycle, strongest first.
    expect(out).toContain('    11 contracts x $0.88 = $968 + $7.15 fees = $975.15 within $1,000 risk cap');
    expect(out).toMatch(/REJECTED SPY SHORT .*\n.*\n    5 new positions this cycle already \(MAX_NEW_POSITIONS\)/);
    expect(out).toMatch(/REJECTED GOOG SHORT .*\n.*\n    1 contract costs \$2,810 \+ \$1\.00 fee > \$1,000 risk cap/);
    expect(out).toContain('(modeled)');
    expect(out).toContain('Paper trading only');
  });

  it('should print one JSON object with regime, results and stats for scan --json', async () => {
    const { code, out } = await run(['scan', 'SPY', 'nflx', '--json'], replay);
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(json.regime).toMatchObject({ state: 'BEARISH', vix: 75.47, long: 0, short: 1 });
    expect(json.results.map((r: { symbol: string }) => r.symbol)).toEqual(['SPY', 'NFLX']);
    expect(json.results[0].plan.status).toBe('ACCEPTED'); // alone in the scan, SPY has the whole budget
    expect(json.results[1]).toMatchObject({ symbol: 'NFLX', signal: null, plan: null, error: { kind: 'not_found' } });
    expect(json.stats).toMatchObject({ scanned: 2, signals: 1, errors: 1 });
  });

  it('should reject a bad ticker with exit code 2 and a clear message', async () => {
    const { code, err, out } = await run(['scan', '$$$'], replay);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain('"$$$" is not a ticker');
  });

  it('should reject unknown flags and commands with exit code 2', async () => {
    expect((await run(['scan', '--bogus'], replay)).code).toBe(2);
    const unknown = await run(['trade', 'NFLX'], replay);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('Unknown command "trade"');
  });

  it('should stop on invalid configuration naming the variable, exit code 2', async () => {
    const { code, err } = await run(['regime'], { ...replay, SCAN_CONCURRENCY: 'lots' });
    expect(code).toBe(2);
    expect(err).toContain('SCAN_CONCURRENCY (got "lots"): must be a plain decimal number (no hex, exponent, separators or spaces), e.g. 10');
  });

  it('should exit 1 when every scanned ticker failed, saying which tickers the recorded data has', async () => {
    const one = await run(['scan', 'NFLX'], replay);
    expect(one.code).toBe(1);
    expect(one.out).toContain('NFLX: not in the recorded data, which has AAPL, AIG, BAC, BNO, EEM, FB, GOOG, GOOGL, IBM, IWM, QQQ, SPY, TSLA, USO, WM as of 2020-03-12');
    const all = await run(['scan', 'NFLX', 'XYZ', '--json'], replay);
    expect(all.code).toBe(1);
    expect(JSON.parse(all.out).stats).toMatchObject({ scanned: 2, errors: 2 });
    expect((await run(['scan', 'NFLX', 'TSLA'], replay)).code).toBe(0);
  });

  it('should show progress on stderr only when it is a terminal, and never with --json', async () => {
    const tty = await run(['scan', 'TSLA', 'NFLX'], replay, { isTTY: true });
    expect(tty.code).toBe(0);
    // The first line at once (later ones at most every 100 ms), then erased before the reply.
    expect(tty.err).toMatch(/^\rscanning: 0\/2 tickers\x1b\[K(\r[^\r]*\x1b\[K)*\r\x1b\[K$/);
    expect(tty.out).not.toContain('scanning:');
    expect((await run(['scan', 'TSLA'], replay, { isTTY: false })).err).toBe('');
    expect((await run(['scan', 'TSLA', '--json'], replay, { isTTY: true })).err).toBe('');
  });

  it('should warn about a misspelled setting on stderr and go on', async () => {
    const { code, err } = await run(['regime'], { ...replay, RISK_CAPPCT: '5' });
    expect(code).toBe(0);
    expect(err).toBe('warning: RISK_CAPPCT: not a hundredx setting, ignored; did you mean RISK_CAP_PCT?\n');
  });

  it('should show the regime and the risk budget', async () => {
    const regime = await run(['regime'], replay);
    expect(regime.out).toContain('SPY 248.11 below its 50-day average 320.31');
    const risk = await run(['risk', '--json'], replay);
    const view = JSON.parse(risk.out);
    expect(view.sides.SHORT.budgetUsd).toBe(1000);
    expect(view.sides.LONG.budgetUsd).toBe(0);
  });
});

describe('hundredx calibrate', () => {
  it('should compare the option models with real quotes per chain-day, as text or JSON', async () => {
    const text = await run(['calibrate'], replay);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^GOOG 2015-12-23 all +177 {2}previous/m);
    const { days } = JSON.parse((await run(['calibrate', '--json'], replay)).out);
    expect(days.map((d: { symbol: string; date: string }) => `${d.symbol} ${d.date}`)).toEqual([
      'FOXA 2013-07-02', 'GOOG 2015-12-23', 'GOOG 2015-12-24', 'NWSA 2013-06-27', 'NWSA 2013-06-28',
    ]);
  });
});

describe('hundredx status', () => {
  it('should show each job with its next run, the data source and the store', async () => {
    const { code, out } = await run(['status'], { ...replay, STATE_FILE: '/nonexistent-dir/state.json' });
    expect(out).toContain('Store: SQLite file (one bot process)');
    expect(code).toBe(0);
    expect(out).toContain('Data source: replay');
    // The CLI runs no bot: it says whether one runs (from the heartbeats in the store), never "running" itself.
    expect(out).toMatch(/^⚪ hundredx status: no bot running\n/);
    expect(out).toContain('Bot: not running: no bot has written a heartbeat to this store');
    expect(out).not.toContain('Instance ');
    expect(out).toMatch(/premarket\n    last: not yet\n    next \w{3}, \w{3} \d+, 09:00 ET/);
    expect(out).toContain('Last cycle: none yet');
  });

  it('should print JSON with --json and reject arguments', async () => {
    const { out } = await run(['status', '--json'], replay);
    expect(JSON.parse(out).scheduler.jobs.map((j: { name: string }) => j.name)).toEqual(['premarket', 'intraday', 'close']);
    expect((await run(['status', 'now'], replay)).code).toBe(2);
  });
});

describe('hundredx beside a running bot (SQLite state)', () => {
  let db: TempStateDb;
  afterEach(async () => db.cleanup());

  it('should change the state the bot owns (admin commands write as a guest) and read it back', async () => {
    db = tempStateDb();
    const bot = db.owner(); // the running bot
    const env = { ...replay, STATE_DB: db.path };
    const added = await run(['watch', 'add', 'SPY'], env);
    expect(added.err).toBe('');
    expect(added.code).toBe(0);
    const listed = await run(['watch', 'list'], env);
    expect(listed.out).toContain('SPY');
    // The bot sees the change at once: one file, one transaction per write.
    expect(await bot.setMembers('hx:watch:cli:local')).toEqual(['SPY']);
  });
});
