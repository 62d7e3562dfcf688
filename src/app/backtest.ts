/**
 * @module The backtest as the CLI runs it: the bundled recorded data, the universe every recorded symbol
 * that covers the period (or the caller's), the report and, with a folder, its files: report.md, report.json
 * and kelly.json (the trade statistics KELLY_SOURCE=backtest sizes with).
 */
import { join } from 'node:path';
import type { BacktestRequest } from '../../commands/context.ts';
import { backtestReport, type BacktestReport } from '../backtest/report.ts';
import { reportMarkdown } from '../backtest/report-text.ts';
import type { Config } from '../config/config.ts';
import { renderPng } from '../charts/index.ts';
import { writeFileAtomic } from '../core/atomic-file.ts';
import { equityChart } from '../notify/chart-message.ts';
import { UserInputError } from '../core/errors.ts';
import { BUNDLED_BARS_DIR, replaySymbols } from '../market/replay.ts';

/** Store key of the last backtest's Kelly inputs (what KELLY_SOURCE=backtest reads). */
export const BACKTEST_KELLY_KEY = 'hx:kelly:backtest';

/** Recorded symbols with bars within a week of both ends of the period: they trade through all of it. */
export function recordedUniverse(config: Config, from: string, to: string): string[] {
  const dir = config.replayDataDir ?? BUNDLED_BARS_DIR;
  const atEnd = new Set(replaySymbols(dir, new Date(`${to}T00:00:00Z`)));
  return replaySymbols(dir, new Date(`${from}T00:00:00Z`)).filter((s) => atEnd.has(s) && !s.startsWith('^'));
}

export async function runBacktestRequest(
  config: Config,
  request: BacktestRequest,
  progress: (text: string) => void,
): Promise<{ report: BacktestReport; files: string[] }> {
  const universe = request.universe ? [...request.universe] : recordedUniverse(config, request.from, request.to);
  if (universe.length === 0) throw new UserInputError('from', `no recorded symbol covers ${request.from} to ${request.to}; the bundled bars run 2016-01-04 to 2021-03-31`);
  const report = await backtestReport({
    from: request.from,
    to: request.to,
    universe,
    config,
    ...(config.replayDataDir ? { dataDir: config.replayDataDir } : {}),
    onProgress: (what) => progress(`backtest: ${what}`),
  });
  if (report.equity.length === 0) throw new UserInputError('to', `no session to trade between ${request.from} and ${request.to}`);
  const files: string[] = [];
  if (request.outDir) {
    const write = (name: string, text: string | Buffer) => {
      const path = join(request.outDir!, name);
      writeFileAtomic(path, text, { mode: 0o644 });
      files.push(path);
    };
    const chart = equityChart({
      title: `Backtest ${report.from} to ${report.to}`,
      history: report.equity.map((p) => ({ date: p.date, equityUsd: p.equityUsd, cashUsd: Number.NaN, at: p.date })),
      positions: [],
      startingEquityUsd: report.strategy.startUsd,
      startDate: report.from,
      targetEquityUsd: report.challenge.targetUsd,
      targetMonths: report.challenge.months,
    });
    write('equity.png', renderPng(chart.svg, { widthPx: 1200 }).png);
    write('report.md', reportMarkdown(report));
    write('report.json', `${JSON.stringify(report, null, 2)}\n`);
    if (report.kelly) write('kelly.json', `${JSON.stringify({ ...report.kelly, from: report.from, to: report.to }, null, 2)}\n`);
  }
  return { report, files };
}
