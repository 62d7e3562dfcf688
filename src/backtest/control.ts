/**
 * @module The control: entries that know nothing. Each symbol-day signals with a fixed probability, on a
 * random side, through the same pick, sizing, regime, ledger and exits as the strategy; seeded, so a run
 * repeats. If the strategy cannot beat this, its signals carry no edge the options can cash.
 */
import { mulberry32 } from '../analysis/random.ts';
import type { BreakoutReading } from '../analysis/volatility.ts';
import type { Signal } from '../core/types.ts';

export type ControlOptions = {
  seed: number;
  /** Chance that a symbol signals on a day: the strategy's own rate, so both trade about as often. */
  probability: number;
};

export function randomSignals(opts: ControlOptions): (symbol: string, reading: BreakoutReading) => Signal | null {
  const random = mulberry32(opts.seed);
  return (symbol, reading) => {
    if (reading.status === 'insufficient-data') return null;
    // Draw for every symbol-day, signal or not, so one symbol's data gap does not reshuffle the others.
    const fires = random() < opts.probability;
    const long = random() < 0.5;
    const strength = 2 + 2 * random();
    if (!fires) return null;
    return {
      symbol,
      side: long ? 'LONG' : 'SHORT',
      // Ranks the day's entries for the budget as the strategy's z-score would; it means nothing else.
      zScore: long ? strength : -strength,
      sigma: reading.sigma,
      dailyReturn: reading.dailyReturn,
      price: reading.price,
      asOf: reading.asOf,
      strategy: 'volatility-breakout',
    };
  };
}
