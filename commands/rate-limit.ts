/** A per-key sliding-window limiter, in memory: at most `max` hits per `windowMs` for each key. */

export type RateLimit = { max: number; windowMs: number };

/** Prune everything once this many keys are tracked, so idle users do not pile up forever. */
const SWEEP_AT_KEYS = 10_000;

export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(readonly limit: RateLimit) {}

  /**
   * Record a hit for `key` at `nowMs` when allowed. Returns 0 when allowed, else the milliseconds until the
   * oldest hit in the window expires (the hit is then not recorded, so waiting really helps).
   */
  take(key: string, nowMs: number): number {
    if (this.hits.size >= SWEEP_AT_KEYS) this.sweep(nowMs);
    const recent = this.recent(key, nowMs);
    if (recent.length >= this.limit.max) {
      return Math.max(1, (recent[0] ?? nowMs) + this.limit.windowMs - nowMs);
    }
    recent.push(nowMs);
    this.hits.set(key, recent);
    return 0;
  }

  private recent(key: string, nowMs: number): number[] {
    return (this.hits.get(key) ?? []).filter((t) => nowMs - t < this.limit.windowMs);
  }

  private sweep(nowMs: number): void {
    for (const key of [...this.hits.keys()]) {
      const recent = this.recent(key, nowMs);
      if (recent.length === 0) this.hits.delete(key);
      else this.hits.set(key, recent);
    }
  }
}
