/**
 * @module Thin runner for the option-model calibration report:
 *   npx tsx src/backtest/calibration-run.ts [--json] [folder]
 * The folder (default: the repository's test/fixtures/options) holds real-option-quotes.csv and, per
 * underlying with a price history, <SYMBOL>-<anything>-bars.csv (date,...,close). Prints the table, or the
 * report as JSON with --json. All the work is in calibration-data.ts and calibration.ts (pure).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildChainDays, parseClosesCsv, parseRealQuotesCsv, type ChainDay, type DailyClose } from './calibration-data.ts';
import { calibrate, type CalibrationReport } from './calibration.ts';
import { renderCalibrationTable } from './calibration-table.ts';

export const DEFAULT_CALIBRATION_DIR = fileURLToPath(new URL('../../test/fixtures/options/', import.meta.url));

/** The chain-days stored in `dir` (the only I/O of the calibration). */
export function loadChainDays(dir: string = DEFAULT_CALIBRATION_DIR): ChainDay[] {
  const quotes = parseRealQuotesCsv(readFileSync(join(dir, 'real-option-quotes.csv'), 'utf8'));
  const history: Record<string, DailyClose[]> = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith('-bars.csv'))) {
    const symbol = file.split('-')[0]!;
    history[symbol] = [...(history[symbol] ?? []), ...parseClosesCsv(readFileSync(join(dir, file), 'utf8'), file)];
  }
  return buildChainDays(quotes, history);
}

export function runCalibration(dir?: string): CalibrationReport {
  return calibrate(loadChainDays(dir));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const report = runCalibration(args.find((a) => !a.startsWith('--')));
  process.stdout.write(`${args.includes('--json') ? JSON.stringify(report, null, 2) : renderCalibrationTable(report)}\n`);
}
