/**
 * @module "Signal edge": did the underlying move the way the signals said? Each input is one signal's move
 * IN THE SIGNAL'S DIRECTION as a fraction (for a SHORT signal, a 2% fall is +0.02), over whatever horizon
 * the caller measured (e.g. next open to the close N days later).
 */
import { bootstrapMeanCI, type BootstrapOptions, type ConfidenceInterval } from './bootstrap.ts';
import { mean } from './indicators.ts';

export type SignalEdge = {
  signalCount: number;
  /** Share of signals whose move was > 0 (a 0 move is a miss), a fraction; null with no signals. */
  hitRate: number | null;
  /** Mean move in the signal's direction, a fraction; null with no signals. */
  meanMove: number | null;
  /** Seeded percentile-bootstrap interval of meanMove (see bootstrapMeanCI); null with no signals. */
  meanMoveCI: ConfidenceInterval | null;
};

/**
 * Hit rate, mean move and the bootstrap confidence interval of the mean move of a set of signals.
 * @param movesInDirection one fraction per signal, signed so that > 0 means the signal was right.
 * @throws RangeError on a non-finite move (drop signals without an outcome first) or bad options.
 */
export function signalEdge(movesInDirection: readonly number[], options: BootstrapOptions = {}): SignalEdge {
  const meanMoveCI = bootstrapMeanCI(movesInDirection, options); // also validates the moves and options
  const signalCount = movesInDirection.length;
  if (signalCount === 0) return { signalCount, hitRate: null, meanMove: null, meanMoveCI };
  const hits = movesInDirection.filter((move) => move > 0).length;
  return { signalCount, hitRate: hits / signalCount, meanMove: mean([...movesInDirection]), meanMoveCI };
}
