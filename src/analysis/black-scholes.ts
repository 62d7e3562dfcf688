/**
 * Generalized Black-Scholes-Merton for European options with a continuous dividend yield q: price,
 * greeks and implied volatility. Units (as in the reference vectors' `conventions`): `years` is time to
 * expiry in years; `rate`, `dividendYield` and `vol` are annual, continuously compounded decimals
 * (0.05 = 5%). Prices are per share. US single-name options are American; for them this is an estimate.
 * @module
 */

export type BsInputs = {
  right: 'call' | 'put';
  spot: number;
  strike: number;
  years: number;
  rate: number;
  dividendYield?: number;
  vol: number;
};

/**
 * Greeks per share. delta and gamma per $1 of the underlying; theta per year (`thetaPerDay` = /365,
 * per calendar day); vega, rho and dividend rho per 1.00 change of vol, rate and dividend yield
 * (divide by 100 for "per 1 point").
 */
export type Greeks = {
  delta: number;
  gamma: number;
  thetaPerYear: number;
  thetaPerDay: number;
  vegaPerUnit: number;
  rhoPerUnit: number;
  dividendRhoPerUnit: number;
};

export type ImpliedVolResult = { ok: true; vol: number; iterations: number } | { ok: false; reason: string };

const INV_SQRT_2PI = 0.3989422804014327;

/** Standard normal density φ(x). */
export function normPdf(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

// W. J. Cody's rational Chebyshev approximations for Φ (Math. Comp. 1969; ACM TOMS Algorithm 715), the
// scheme R's pnorm uses; near machine precision in both tails. Short-dated, far-from-the-money options
// need the tails: a plain 1 - Φ(x) would lose every digit there.
const A = [2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249, 0.065682337918207449113];
const B = [47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956];
const C = [
  0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226, 2494.5375852903726711,
  6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218, 1.0765576773720192317e-8,
];
const D = [
  22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755, 18615.571640885098091,
  34900.952721145977266, 38912.003286093271411, 19685.429676859990727,
];
const P = [0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466, 2.9112874951168792e-5, 0.02307344176494017303];
const Q = [1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244, 7.29751555083966205e-5];
const coef = (xs: number[], i: number): number => xs[i]!;

/** exp(-y²/2)·factor, with y split at 1/16 so the square is exact (Cody's trick against cancellation). */
function gaussTail(y: number, factor: number): number {
  const ySplit = Math.trunc(y * 16) / 16;
  const del = (y - ySplit) * (y + ySplit);
  return Math.exp(-ySplit * ySplit * 0.5) * Math.exp(-del * 0.5) * factor;
}

/** Standard normal cumulative distribution Φ(x), accurate to about 1e-15 relative in both tails. */
export function normCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const y = Math.abs(x);
  if (y <= 0.67448975) {
    const ysq = y > 1.11e-16 ? x * x : 0;
    let num = coef(A, 4) * ysq;
    let den = ysq;
    for (let i = 0; i < 3; i++) {
      num = (num + coef(A, i)) * ysq;
      den = (den + coef(B, i)) * ysq;
    }
    return 0.5 + (x * (num + coef(A, 3))) / (den + coef(B, 3));
  }
  let upperTail: number; // 1 - Φ(|x|)
  if (y <= Math.sqrt(32)) {
    let num = coef(C, 8) * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + coef(C, i)) * y;
      den = (den + coef(D, i)) * y;
    }
    upperTail = gaussTail(y, (num + coef(C, 7)) / (den + coef(D, 7)));
  } else if (y < 40) {
    const inv = 1 / (x * x);
    let num = coef(P, 5) * inv;
    let den = inv;
    for (let i = 0; i < 4; i++) {
      num = (num + coef(P, i)) * inv;
      den = (den + coef(Q, i)) * inv;
    }
    upperTail = gaussTail(y, (INV_SQRT_2PI - (inv * (num + coef(P, 4))) / (den + coef(Q, 4))) / y);
  } else {
    upperTail = 0; // below the smallest double
  }
  return x > 0 ? 1 - upperTail : upperTail;
}

function assertInputs(i: Omit<BsInputs, 'vol'> & { vol?: number }): void {
  const numbers: [string, number | undefined][] = [
    ['spot', i.spot], ['strike', i.strike], ['years', i.years], ['rate', i.rate],
    ['dividendYield', i.dividendYield ?? 0], ['vol', 'vol' in i ? i.vol : 0],
  ];
  for (const [name, value] of numbers) {
    if (!Number.isFinite(value)) throw new RangeError(`Black-Scholes ${name} must be a finite number, got ${value}`);
  }
  if (i.spot < 0) throw new RangeError(`Black-Scholes spot must be >= 0, got ${i.spot}`);
  if (i.strike < 0) throw new RangeError(`Black-Scholes strike must be >= 0, got ${i.strike}`);
  if (i.right !== 'call' && i.right !== 'put') throw new RangeError(`Black-Scholes right must be call or put, got ${String(i.right)}`);
}

/**
 * The quantities every formula shares. `deterministic` when the future price is known (no time, no vol,
 * or a zero spot/strike): then the option is worth its intrinsic value against the discounted strike
 * (forward), and the d-terms are not used.
 */
function core(i: BsInputs) {
  const years = Math.max(i.years, 0);
  const q = i.dividendYield ?? 0;
  const spotPv = i.spot * Math.exp(-q * years); // S·e^{-qT}
  const strikePv = i.strike * Math.exp(-i.rate * years); // K·e^{-rT}
  const deterministic = years === 0 || i.vol <= 0 || i.spot === 0 || i.strike === 0;
  const volSqrtT = i.vol * Math.sqrt(years);
  const d1 = deterministic ? NaN : (Math.log(i.spot / i.strike) + (i.rate - q + 0.5 * i.vol * i.vol) * years) / volSqrtT;
  return { years, q, spotPv, strikePv, deterministic, d1, d2: d1 - volSqrtT };
}

/**
 * Option price per share. With years <= 0 or vol <= 0 it is the intrinsic value against the discounted
 * strike: call max(0, S·e^{-qT} - K·e^{-rT}), put max(0, K·e^{-rT} - S·e^{-qT}) (at T = 0: max(0, S - K)).
 * @throws RangeError when an input is not finite, spot or strike is negative, or right is unknown.
 */
export function bsPrice(i: BsInputs): number {
  assertInputs(i);
  const { spotPv, strikePv, deterministic, d1, d2 } = core(i);
  if (deterministic) return Math.max(0, i.right === 'call' ? spotPv - strikePv : strikePv - spotPv);
  return i.right === 'call'
    ? spotPv * normCdf(d1) - strikePv * normCdf(d2)
    : strikePv * normCdf(-d2) - spotPv * normCdf(-d1);
}

/**
 * Analytic greeks (units on `Greeks`). With years <= 0 or vol <= 0 delta is a step: e^{-qT} for a call
 * whose discounted forward is above the strike (-e^{-qT} for a put below it), 0 at or out of the money;
 * gamma and vega are 0; theta and rho are those of the certain payoff (all 0 at T = 0).
 * @throws RangeError on the same inputs as bsPrice.
 */
export function bsGreeks(i: BsInputs): Greeks {
  assertInputs(i);
  const { years, q, spotPv, strikePv, deterministic, d1, d2 } = core(i);
  const sign = i.right === 'call' ? 1 : -1;
  if (deterministic) {
    const inTheMoney = years > 0 ? sign * (spotPv - strikePv) > 0 : sign * (i.spot - i.strike) > 0;
    if (!inTheMoney || years === 0) {
      return greeks({ delta: inTheMoney ? sign : 0, gamma: 0, thetaPerYear: 0, vegaPerUnit: 0, rhoPerUnit: 0, dividendRhoPerUnit: 0 });
    }
    // The payoff is certain: value = sign·(S·e^{-qT} - K·e^{-rT}); differentiate that.
    return greeks({
      delta: sign * Math.exp(-q * years),
      gamma: 0,
      thetaPerYear: sign * (q * spotPv - i.rate * strikePv),
      vegaPerUnit: 0,
      rhoPerUnit: sign * years * strikePv,
      dividendRhoPerUnit: -sign * years * spotPv,
    });
  }
  const density = normPdf(d1);
  const sqrtT = Math.sqrt(years);
  const nd1 = normCdf(sign * d1);
  const nd2 = normCdf(sign * d2);
  return greeks({
    delta: sign * Math.exp(-q * years) * nd1,
    gamma: (spotPv * density) / (i.spot * i.spot * i.vol * sqrtT),
    thetaPerYear: (-spotPv * density * i.vol) / (2 * sqrtT) - sign * i.rate * strikePv * nd2 + sign * q * spotPv * nd1,
    vegaPerUnit: spotPv * density * sqrtT,
    rhoPerUnit: sign * years * strikePv * nd2,
    dividendRhoPerUnit: -sign * years * spotPv * nd1,
  });
}

function greeks(g: Omit<Greeks, 'thetaPerDay'>): Greeks {
  return { ...g, thetaPerDay: g.thetaPerYear / 365 };
}

/** The bracket searched, as LEAN does (it stops at 4.0; 500% leaves room for short-dated weeklies). */
const VOL_MIN = 1e-7;
const VOL_MAX = 5;
const MAX_ITERATIONS = 200;

const fmt = (x: number): string => (Math.abs(x) >= 1e-4 || x === 0 ? x.toFixed(6).replace(/\.?0+$/, '') : x.toExponential(3));

/**
 * Implied volatility from a price per share, by Brent's method on [1e-7, 5] (vol tolerance ~1e-12).
 * Never invents a number: `ok: false` with a reason when the option has expired, the price is outside
 * the no-arbitrage bounds (call: S·e^{-qT} - K·e^{-rT} .. S·e^{-qT}; put: K·e^{-rT} - S·e^{-qT} .. K·e^{-rT}),
 * sits on the lower bound within rounding (a deep in-the-money price with no time value left: every vol
 * fits), or needs a vol above 500%.
 * @throws RangeError when an input (price included) is not finite, or spot/strike is negative.
 */
export function impliedVol(i: Omit<BsInputs, 'vol'> & { price: number }): ImpliedVolResult {
  assertInputs(i);
  if (!Number.isFinite(i.price)) throw new RangeError(`implied vol price must be a finite number, got ${i.price}`);
  if (i.years <= 0) return { ok: false, reason: 'option has expired (no time left): implied vol is undefined' };

  const priceAt = (vol: number): number => bsPrice({ ...i, vol });
  const { spotPv, strikePv } = core({ ...i, vol: 1 });
  const lower = Math.max(0, i.right === 'call' ? spotPv - strikePv : strikePv - spotPv);
  const upper = i.right === 'call' ? spotPv : strikePv;
  // Rounding error of a price built from S·e^{-qT} and K·e^{-rT}: differences smaller than this are noise.
  const noise = 8 * Number.EPSILON * Math.max(Math.abs(i.price), spotPv, strikePv);

  if (i.price < lower - noise) {
    return { ok: false, reason: `price ${fmt(i.price)} is below the no-arbitrage lower bound ${fmt(lower)} (by ${fmt(lower - i.price)})` };
  }
  if (i.price > upper + noise) {
    return { ok: false, reason: `price ${fmt(i.price)} is above the no-arbitrage upper bound ${fmt(upper)} (by ${fmt(i.price - upper)})` };
  }
  if (i.price >= upper - noise) {
    return { ok: false, reason: `price ${fmt(i.price)} is at the upper bound ${fmt(upper)}: it implies an infinite vol` };
  }
  const gapLow = priceAt(VOL_MIN) - i.price; // < 0 when some vol above VOL_MIN is needed
  if (gapLow >= -noise) {
    return {
      ok: false,
      reason: `price ${fmt(i.price)} is at its lower bound ${fmt(lower)} with no time value left: every vol fits, so implied vol cannot be recovered`,
    };
  }
  const gapHigh = priceAt(VOL_MAX) - i.price;
  if (gapHigh < 0) {
    return { ok: false, reason: `price ${fmt(i.price)} needs a vol above ${VOL_MAX * 100}% (that vol prices it at ${fmt(gapHigh + i.price)})` };
  }
  if (gapHigh === 0) return { ok: true, vol: VOL_MAX, iterations: 0 };
  const root = brent((vol) => priceAt(vol) - i.price, VOL_MIN, VOL_MAX, gapLow, gapHigh, 1e-12);
  if (root === null) return { ok: false, reason: `solver did not converge in ${MAX_ITERATIONS} iterations` };
  return { ok: true, vol: root.x, iterations: root.iterations };
}

/**
 * Brent's root finder (Brent 1973, as in Numerical Recipes `zbrent`) on [a, b] where f(a) and f(b) have
 * opposite signs: inverse quadratic interpolation with a bisection fallback, so it always converges.
 */
function brent(f: (x: number) => number, a0: number, b0: number, fa0: number, fb0: number, xTol: number) {
  let [a, b, fa, fb] = [a0, b0, fa0, fb0];
  let [c, fc] = [b, fb];
  let d = b - a;
  let e = d;
  for (let iterations = 1; iterations <= MAX_ITERATIONS; iterations++) {
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      [c, fc] = [a, fa];
      d = e = b - a;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      [a, b, c] = [b, c, b];
      [fa, fb, fc] = [fb, fc, fb];
    }
    const tol = 2 * Number.EPSILON * Math.abs(b) + 0.5 * xTol;
    const half = 0.5 * (c - b);
    if (Math.abs(half) <= tol || fb === 0) return { x: b, iterations };
    if (Math.abs(e) >= tol && Math.abs(fa) > Math.abs(fb)) {
      const s = fb / fa;
      let p: number;
      let q: number;
      if (a === c) {
        p = 2 * half * s;
        q = 1 - s;
      } else {
        const qa = fa / fc;
        const r = fb / fc;
        p = s * (2 * half * qa * (qa - r) - (b - a) * (r - 1));
        q = (qa - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      p = Math.abs(p);
      if (2 * p < Math.min(3 * half * q - Math.abs(tol * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = half;
        e = d;
      }
    } else {
      d = half;
      e = d;
    }
    [a, fa] = [b, fb];
    b += Math.abs(d) > tol ? d : Math.sign(half) * tol;
    fb = f(b);
  }
  return null;
}
