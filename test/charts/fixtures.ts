/** Deterministic chart inputs for the chart tests and the bench: made-up prices, no I/O. */
import type { EquityChartInput, EquityTrade, ScanChartInput, ScanPoint } from '../../src/charts/types.ts';

const DAY_MS = 86_400_000;

/** Weekdays from `start` on, `count` of them, at 00:00 UTC. */
export function sessions(start: string, count: number): Date[] {
  const out: Date[] = [];
  for (let t = Date.parse(start); out.length < count; t += DAY_MS) {
    const weekday = new Date(t).getUTCDay();
    if (weekday !== 0 && weekday !== 6) out.push(new Date(t));
  }
  return out;
}

/** A small linear congruential generator: the same "random" walk on every machine. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * `count` closes of a calm walk that ends in a `shock` (a fraction: -0.06 = a 6% drop on the last day),
 * with the ±kσ band of the breakout rule: prevClose × (1 + μ ± kσ) over the previous `lookback` returns.
 */
export function scanPoints(count: number, shock: number, opts: { k?: number; lookback?: number; start?: number } = {}): ScanPoint[] {
  const { k = 2, lookback = 20, start = 250 } = opts;
  const random = lcg(42);
  const closes = [start];
  for (let i = 1; i < count; i++) {
    const r = i === count - 1 ? shock : (random() - 0.5) * 0.024 + 0.0004;
    closes.push(closes[i - 1]! * (1 + r));
  }
  const returns = closes.map((c, i) => (i === 0 ? 0 : c / closes[i - 1]! - 1));
  return sessions('2020-01-02', count).map((time, i) => {
    const close = closes[i]!;
    if (i < lookback + 1) return { time, close };
    const window = returns.slice(i - lookback, i);
    const mean = window.reduce((a, b) => a + b, 0) / lookback;
    const sigma = Math.sqrt(window.reduce((a, b) => a + (b - mean) ** 2, 0) / lookback);
    const prev = closes[i - 1]!;
    return { time, close, band: { lower: prev * (1 + mean - k * sigma), upper: prev * (1 + mean + k * sigma) } };
  });
}

export function scanInput(overrides: Partial<ScanChartInput> = {}): ScanChartInput {
  const points = scanPoints(90, -0.065);
  const last = points[points.length - 1]!;
  return {
    symbol: 'AAPL',
    side: 'SHORT',
    zScore: -3.12,
    points,
    k: 2,
    option: { strike: Math.round(last.close / 5) * 5, right: 'put', expiry: new Date('2020-05-15T00:00:00Z') },
    regime: { state: 'BEARISH', long: 0, short: 1 },
    modeled: true,
    ...overrides,
  };
}

/** A $10k account over `days` sessions: a run-up, a drawdown, a recovery; trades every few days. */
export function equityInput(overrides: Partial<EquityChartInput> = {}, days = 120): EquityChartInput {
  const random = lcg(7);
  const times = sessions('2024-01-02', days);
  let equity = 10_000;
  const points = times.map((time, i) => {
    const drift = i < days * 0.4 ? 0.012 : i < days * 0.6 ? -0.015 : 0.01;
    equity *= 1 + drift + (random() - 0.5) * 0.03;
    return { time, equityUsd: equity };
  });
  const trades = times.flatMap((time, i): EquityTrade[] => {
    if (i % 9 === 3) return [{ time, kind: 'open' }];
    if (i % 9 === 7) return [{ time, kind: 'close', outcome: random() < 0.55 ? 'win' : 'loss' }];
    return [];
  });
  return {
    title: 'Challenge equity',
    points,
    challenge: { startUsd: 10_000, targetUsd: 1_000_000, months: 12 },
    trades,
    modeled: true,
    ...overrides,
  };
}
