/**
 * Kelly sizing for a binary bet: win `payoff` (b) per 1 staked with probability `winProb` (p), otherwise
 * lose the whole stake. That is the right model for a long option bought with its premium fully at risk,
 * with b = average win / average loss. Fractions are of the bankroll (0.2 = 20% of equity).
 * @module
 */

function assertBet(winProb: number, payoff: number): void {
  if (!Number.isFinite(winProb) || winProb < 0 || winProb > 1) {
    throw new RangeError(`Kelly win probability must be between 0 and 1, got ${winProb}`);
  }
  if (!Number.isFinite(payoff) || payoff <= 0) {
    throw new RangeError(`Kelly payoff (net odds b) must be a finite number > 0, got ${payoff}`);
  }
}

/**
 * Full Kelly fraction f* = p - q/b (q = 1 - p), clamped at 0: with no edge (or a negative one) the
 * answer is "do not bet", never a negative stake.
 * @throws RangeError when p is outside [0, 1] or b is not a finite number > 0.
 */
export function kellyFraction(winProb: number, payoff: number): number {
  assertBet(winProb, payoff);
  return Math.max(0, winProb - (1 - winProb) / payoff);
}

/**
 * Expected log growth per bet when staking fraction f: g(f) = p·ln(1 + b·f) + q·ln(1 - f). It peaks at
 * f = f*; staking everything (f = 1) with any chance of losing gives -Infinity (ruin).
 * @throws RangeError on a bad p or b (as kellyFraction), or f outside [0, 1].
 */
export function kellyGrowth(f: number, winProb: number, payoff: number): number {
  assertBet(winProb, payoff);
  if (!Number.isFinite(f) || f < 0 || f > 1) throw new RangeError(`Kelly stake fraction must be between 0 and 1, got ${f}`);
  const q = 1 - winProb;
  // A term whose probability is 0 contributes nothing, even where its log is -Infinity (0·-Inf would be NaN).
  const winTerm = winProb === 0 ? 0 : winProb * Math.log1p(payoff * f);
  const loseTerm = q === 0 ? 0 : q * Math.log1p(-f);
  return winTerm + loseTerm;
}

/**
 * `fraction` × f*: fractional Kelly (½ or ¼) trades a little growth for much less variance, and guards
 * against overbetting when p and b are estimates (Thorp 2006, §7.3).
 * @throws RangeError on a bad p or b, or `fraction` outside [0, 1].
 */
export function fractionalKelly(winProb: number, payoff: number, fraction: number): number {
  if (!Number.isFinite(fraction) || fraction < 0 || fraction > 1) {
    throw new RangeError(`Kelly fraction must be between 0 and 1, got ${fraction}`);
  }
  return fraction * kellyFraction(winProb, payoff);
}
