/**
 * @module Seeded bootstrap confidence interval for a mean (percentile method, Efron): resample the data with
 * replacement `resamples` times, take each resample's mean, and read the interval off the quantiles of those
 * means. The resampling uses `mulberry32(seed)`, so the same data, resamples and seed always give the
 * same interval.
 */
import { mulberry32 } from './random.ts';

export type BootstrapOptions = {
  /** Resamples drawn; default 10 000. An integer >= 1. */
  resamples?: number;
  /** PRNG seed (unsigned 32-bit integer); default 1. */
  seed?: number;
  /** Two-sided confidence level in (0, 1); default 0.95 (the 2.5% and 97.5% quantiles). */
  confidence?: number;
};

export const DEFAULT_BOOTSTRAP: Required<BootstrapOptions> = { resamples: 10_000, seed: 1, confidence: 0.95 };

/** A two-sided interval, in the units of the data, with the settings that produced it. */
export type ConfidenceInterval = {
  lower: number;
  upper: number;
  confidence: number;
  resamples: number;
  seed: number;
};

/**
 * The p-quantile of ascending-sorted values with linear interpolation between order statistics
 * (Hyndman & Fan type 7, numpy's and R's default): position h = (n - 1)·p.
 * @throws RangeError for no values or p outside [0, 1].
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of no values');
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile p must be in [0, 1], got ${p}`);
  const h = (sorted.length - 1) * p;
  const below = Math.floor(h);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (h - below) * (sorted[above]! - sorted[below]!);
}

function resolve(options: BootstrapOptions): Required<BootstrapOptions> {
  const o = { ...DEFAULT_BOOTSTRAP, ...options };
  if (!Number.isInteger(o.resamples) || o.resamples < 1) throw new RangeError(`resamples must be an integer >= 1, got ${o.resamples}`);
  if (!Number.isInteger(o.seed)) throw new RangeError(`seed must be an integer, got ${o.seed}`);
  if (!(o.confidence > 0 && o.confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${o.confidence}`);
  return o;
}

/**
 * Percentile-bootstrap confidence interval of the mean of `samples`. A constant sample gives a
 * zero-width interval; a single sample gives [x, x].
 * @returns null for no samples (there is no mean).
 * @throws RangeError on a non-finite sample or bad options.
 */
export function bootstrapMeanCI(samples: readonly number[], options: BootstrapOptions = {}): ConfidenceInterval | null {
  const { resamples, seed, confidence } = resolve(options);
  samples.forEach((x, i) => {
    if (!Number.isFinite(x)) throw new RangeError(`samples[${i}] must be finite, got ${x}`);
  });
  const n = samples.length;
  if (n === 0) return null;
  const random = mulberry32(seed);
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += samples[Math.floor(random() * n)]!;
    means[b] = sum / n;
  }
  means.sort();
  const tail = (1 - confidence) / 2;
  return { lower: quantileSorted(means, tail), upper: quantileSorted(means, 1 - tail), confidence, resamples, seed };
}
