import { describe, expect, it } from 'vitest';
import { bootstrapMeanCI } from '../../src/analysis/bootstrap.ts';
import { signalEdge } from '../../src/analysis/signal-edge.ts';

describe('signalEdge', () => {
  it('should give the hit rate, mean move and its bootstrap interval', () => {
    const moves = [0.02, -0.01, 0.03, 0, 0.01];
    const edge = signalEdge(moves, { resamples: 2000, seed: 8 });
    expect(edge.signalCount).toBe(5);
    expect(edge.hitRate).toBe(0.6); // 0.02, 0.03, 0.01; the 0 move is a miss
    expect(edge.meanMove).toBeCloseTo(0.01, 15);
    expect(edge.meanMoveCI).toEqual(bootstrapMeanCI(moves, { resamples: 2000, seed: 8 }));
    expect(edge.meanMoveCI!.lower).toBeLessThan(0.01);
    expect(edge.meanMoveCI!.upper).toBeGreaterThan(0.01);
  });

  it.each([
    [[0.01, 0.02], 1],
    [[-0.01, -0.02, 0], 0],
    [[0, 0], 0],
  ])('should give %j a hit rate of %s', (moves, hitRate) => {
    expect(signalEdge(moves).hitRate).toBe(hitRate);
  });

  it('should show no edge as an interval straddling 0 and a clear edge as one above 0', () => {
    const noEdge = signalEdge([0.02, -0.02, 0.01, -0.01, 0.03, -0.03], { seed: 1 });
    expect(noEdge.meanMoveCI!.lower).toBeLessThan(0);
    expect(noEdge.meanMoveCI!.upper).toBeGreaterThan(0);
    const edge = signalEdge([0.02, 0.01, 0.015, 0.03, 0.005, 0.02, -0.001, 0.012], { seed: 1 });
    expect(edge.meanMoveCI!.lower).toBeGreaterThan(0);
  });

  it('should give nulls for no signals', () => {
    expect(signalEdge([])).toEqual({ signalCount: 0, hitRate: null, meanMove: null, meanMoveCI: null });
  });

  it('should reject a missing outcome', () => {
    expect(() => signalEdge([0.01, NaN])).toThrow(RangeError);
  });
});
