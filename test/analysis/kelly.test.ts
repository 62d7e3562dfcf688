import { describe, expect, it } from 'vitest';
import { fractionalKelly, kellyFraction, kellyGrowth } from '../../src/analysis/kelly.ts';
import { vectors } from './vectors.ts';

describe('kellyFraction', () => {
  it('should match the Kelly vectors (60% coin at even money -> 20%, 70% -> 40%, no edge -> 0)', () => {
    for (const row of vectors.kelly.vectors) {
      expect(kellyFraction(row.p, row.b), `p=${row.p} b=${row.b}`).toBeCloseTo(row.f_star, 15);
    }
  });

  it('should size the bot defaults p=0.40, b=3 at f* = 0.2', () => {
    expect(kellyFraction(0.4, 3)).toBeCloseTo(0.2, 15);
  });

  it('should clamp a negative edge to 0 rather than bet the other side', () => {
    expect(kellyFraction(0.4, 1)).toBe(0);
    expect(kellyFraction(0, 3)).toBe(0);
  });

  it('should stake everything on a certain win', () => {
    expect(kellyFraction(1, 2)).toBe(1);
  });

  it('should match the trade-level derived example (W=0.55, R=1.5 -> 0.25)', () => {
    const row = vectors.derived_examples.rows.find((r: { name: string }) => r.name.startsWith('trade-level Kelly'));
    expect(kellyFraction(row.W, row.R)).toBeCloseTo(row.f_star, 15);
    expect(fractionalKelly(row.W, row.R, 0.5)).toBeCloseTo(row.half_kelly, 15);
  });

  it.each([
    [-0.1, 1],
    [1.1, 1],
    [NaN, 1],
    [0.5, 0],
    [0.5, -2],
    [0.5, Infinity],
  ])('should throw a RangeError for p=%s, b=%s', (p, b) => {
    expect(() => kellyFraction(p, b)).toThrow(RangeError);
  });
});

describe('kellyGrowth', () => {
  it('should match the vector g(f*) = 0.020136 for p=0.6, b=1', () => {
    const row = vectors.kelly.vectors[0];
    expect(kellyGrowth(row.f_star, row.p, row.b)).toBeCloseTo(row.g_at_f_star, 15);
  });

  it('should peak at f*', () => {
    for (const [p, b] of [[0.6, 1], [0.4, 3], [0.55, 1.5]] as const) {
      const fStar = kellyFraction(p, b);
      const best = kellyGrowth(fStar, p, b);
      for (const delta of [-0.05, -0.01, 0.01, 0.05]) expect(kellyGrowth(fStar + delta, p, b)).toBeLessThan(best);
    }
  });

  it('should be 0 at no stake and -Infinity when staking everything with a chance of losing', () => {
    expect(kellyGrowth(0, 0.6, 1)).toBe(0);
    expect(kellyGrowth(1, 0.6, 1)).toBe(-Infinity);
    expect(kellyGrowth(1, 1, 1)).toBeCloseTo(Math.log(2), 15);
  });

  it('should throw a RangeError for a stake outside 0..1', () => {
    expect(() => kellyGrowth(1.5, 0.6, 1)).toThrow(RangeError);
    expect(() => kellyGrowth(-0.1, 0.6, 1)).toThrow(RangeError);
  });
});

describe('fractionalKelly', () => {
  it('should give half Kelly 0.1 for the defaults: $1,000 of $10,000 equity', () => {
    const half = fractionalKelly(0.4, 3, 0.5);
    expect(half).toBeCloseTo(0.1, 15);
    expect(half * 10_000).toBeCloseTo(1_000, 10);
  });

  it('should stay 0 without an edge, whatever the fraction', () => {
    expect(fractionalKelly(0.5, 1, 0.5)).toBe(0);
  });

  it('should throw a RangeError for a fraction outside 0..1', () => {
    expect(() => fractionalKelly(0.4, 3, 1.5)).toThrow(RangeError);
    expect(() => fractionalKelly(0.4, 3, -0.5)).toThrow(RangeError);
  });
});
