/**
 * @module The calibration's files: real end-of-day option quotes shipped in data/options
 * (real-option-quotes.csv, and per underlying with a price history <SYMBOL>-<anything>-bars.csv), read
 * into chain-days for the pure comparison in calibration.ts. `hundredx calibrate` runs it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_DIR } from '../core/paths.ts';
import { buildChainDays, parseClosesCsv, parseRealQuotesCsv, type ChainDay, type DailyClose } from './calibration-data.ts';
import { calibrate, type CalibrationReport } from './calibration.ts';

export const DEFAULT_CALIBRATION_DIR = `${DATA_DIR}options/`;

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
