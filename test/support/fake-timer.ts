/**
 * Fake time for code that takes a `Timer` (core/lock.ts): timers fire, in order and awaited, only inside
 * advance(), so a test reaches the third renewal of a 30-second lease without waiting or racing.
 */
import type { Timer } from '../../src/core/lock.ts';

export type FakeTime = { now: () => number; timer: Timer; advance(ms: number): Promise<void>; pendingCount(): number };

export function fakeTime(): FakeTime {
  let now = 0;
  let seq = 0;
  const pending = new Map<number, { at: number; fn: () => Promise<void> }>();
  const timer: Timer = (fn, ms) => {
    const id = ++seq;
    pending.set(id, { at: now + ms, fn });
    return () => pending.delete(id);
  };
  async function advance(ms: number): Promise<void> {
    const end = now + ms;
    for (;;) {
      const [next] = [...pending].filter(([, t]) => t.at <= end).sort(([i, a], [j, b]) => a.at - b.at || i - j);
      if (!next) break;
      pending.delete(next[0]);
      now = next[1].at;
      await next[1].fn();
    }
    now = end;
  }
  return { now: () => now, timer, advance, pendingCount: () => pending.size };
}
