/**
 * The backtest runs the bot's own cycle, pick, sizing and ledger day by day on recorded data: no look-ahead,
 * seeded controls that repeat, and a report a user can run from the CLI.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { runHundredx } from '../../src/app/cli-app.ts';
import { randomSignals } from '../../src/backtest/control.ts';
import { decisionDays, runBacktest } from '../../src/backtest/engine.ts';
import { loadConfig } from '../../src/config/config.ts';
import { BUNDLED_BARS_DIR } from '../../src/market/replay.ts';

const config = loadConfig({ MARKET_DATA: 'replay' });
const UNIVERSE = ['SPY', 'AIG', 'BAC', 'IWM'];
const FROM = '2018-10-01';
const TO = '2018-11-30';
const CUT = '2018-10-31';

/** A copy of the bundled bars where every bar after `cut` is scrambled. */
function scrambledAfter(cut: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'hx-lookahead-'));
  cpSync(BUNDLED_BARS_DIR, dir, { recursive: true });
  for (const symbol of [...UNIVERSE, 'VIX']) {
    const path = join(dir, `${symbol}.csv`);
    const [header, ...rows] = readFileSync(path, 'utf8').trim().split('\n');
    const out = rows.map((row, i) => {
      const [date, ...cells] = row.split(',');
      if (date! <= cut) return row;
      const factor = 0.7 + ((i * 7919) % 600) / 1000; // 0.7 .. 1.3, a different move every day
      return [date, ...cells.map((c, j) => (j < 4 ? (Number(c) * factor).toFixed(4) : c))].join(',');
    });
    writeFileSync(path, `${[header, ...out].join('\n')}\n`);
  }
  return dir;
}

describe('the backtest engine', () => {
  it('should decide, fill and settle one session at a time between the dates', () => {
    expect(decisionDays('2018-11-20', '2018-11-27')).toEqual(['2018-11-20', '2018-11-21', '2018-11-23', '2018-11-26']);
  });

  it('should not look ahead: scrambling every bar after a day changes nothing decided up to it', async () => {
    const honest = await runBacktest({ from: FROM, to: TO, universe: UNIVERSE, config });
    const scrambled = await runBacktest({ from: FROM, to: TO, universe: UNIVERSE, config, dataDir: scrambledAfter(CUT) });
    // A decision on day D fills at the next open: everything decided before CUT filled by CUT.
    const upTo = <T extends { date: string }>(xs: T[]) => xs.filter((x) => x.date < CUT);
    expect(upTo(honest.decisions).length).toBeGreaterThan(0);
    expect(upTo(scrambled.decisions)).toEqual(upTo(honest.decisions));
    expect(scrambled.equity.filter((p) => p.date <= CUT)).toEqual(honest.equity.filter((p) => p.date <= CUT));
    // ...and the scramble does change what comes after: the test can fail.
    expect(scrambled.equity.at(-1)).not.toEqual(honest.equity.at(-1));
  });

  it('should repeat a seeded control exactly, and trade through the same pick, sizing and ledger', async () => {
    const control = () => runBacktest({ from: FROM, to: TO, universe: UNIVERSE, config, signalSource: randomSignals({ seed: 7, probability: 0.2 }) });
    const [a, b] = [await control(), await control()];
    expect(a.decisions).toEqual(b.decisions);
    expect(a.equity).toEqual(b.equity);
    expect(a.decisions.length).toBeGreaterThan(5);
  });
});

describe('hundredx backtest', () => {
  const run = async (args: string[]) => {
    let out = '';
    let err = '';
    const code = await runHundredx(args, { out: (s) => (out += s), err: (s) => (err += s), env: { MARKET_DATA: 'replay' } });
    return { code, out, err };
  };

  it('should print the report with its evidence and write its files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hx-bt-out-'));
    const { code, out, err } = await run(['backtest', '--from', FROM, '--to', TO, '--universe', UNIVERSE.join(','), '--out', dir]);
    expect(err).toBe('');
    expect(code).toBe(0);
    for (const section of ['## Result', '## Do the signals have an edge?', '## Control: random entries', '## Sensitivity', '## In-sample and held-out', '## What this cannot know']) {
      expect(out).toContain(section);
    }
    expect(out).toContain('| buy-and-hold SPY |');
    expect(out).toMatch(/\| x1\.3 \| x2 \| /);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(report).toMatchObject({ from: FROM, to: TO, universe: UNIVERSE, riskFreeAnnual: 0 });
    expect(report.sensitivity).toHaveLength(8);
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toContain(`# hundredx backtest ${FROM} to ${TO}`);
    const png = PNG.sync.read(readFileSync(join(dir, 'equity.png'))); // the equity chart, as the chats get it
    expect(png.width).toBe(1200);
  }, 60_000);

  it('should refuse bad dates with exit code 2, and not be offered in chat', async () => {
    expect((await run(['backtest', '--from', '2018-02-30', '--to', TO])).err).toContain('from: 2018-02-30 is not a calendar date');
    expect((await run(['backtest', '--from', TO, '--to', FROM])).code).toBe(2);
    expect((await run(['backtest', FROM, '--to', TO])).err).toContain('either as words or as --flags');
  });
});
