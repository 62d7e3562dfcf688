import { describe, expect, it } from 'vitest';
import { completedBars } from '../../src/analysis/calendar.ts';
import { createReplayMarketData } from '../../src/market/replay.ts';
import { assessRegime, readRegimeMemory, rememberRegime, REGIME_STATE_KEY } from '../../src/scanner/regime.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { REGIME } from '../support/defaults.ts';

const d = (s: string) => new Date(`${s}T00:00:00Z`);

describe('completedBars', () => {
  const bars = [{ time: d('2026-03-02') }, { time: d('2026-03-03') }];
  it("should drop today's bar while the session is open, and keep it after the close", () => {
    expect(completedBars(bars, new Date('2026-03-03T15:00:00Z'))).toEqual([bars[0]]); // 10:00 New York
    expect(completedBars(bars, new Date('2026-03-03T21:30:00Z'))).toEqual(bars); // 16:30
    expect(completedBars(bars, new Date('2026-03-04T14:00:00Z'))).toEqual(bars); // pre-market next day
  });
});

describe('the regime kept for hysteresis', () => {
  it('should start from the state before the session it decides, however often that session is re-decided', async () => {
    const store = new MemoryStore();
    // The session before 2019-12-31 was BEARISH; every re-decision of 2019-12-31 starts from that, not from itself.
    const market = createReplayMarketData({ asOf: () => d('2019-12-31') });
    await store.set(REGIME_STATE_KEY, JSON.stringify({ session: '2019-12-30', state: 'BEARISH' }));
    const first = await assessRegime(market, REGIME, { asOf: d('2019-12-31'), now: new Date('2020-01-01T12:00:00Z'), memory: await readRegimeMemory(store) });
    await rememberRegime(store, first, await readRegimeMemory(store));
    expect(JSON.parse((await store.get(REGIME_STATE_KEY))!)).toEqual({ session: '2019-12-31', state: first.state, prior: 'BEARISH' });
    for (let i = 0; i < 3; i++) {
      const again = await assessRegime(market, REGIME, { asOf: d('2019-12-31'), now: new Date('2020-01-01T12:00:00Z'), memory: await readRegimeMemory(store) });
      await rememberRegime(store, again, await readRegimeMemory(store));
      expect(again.state).toBe(first.state);
    }
    expect(JSON.parse((await store.get(REGIME_STATE_KEY))!)).toMatchObject({ session: '2019-12-31', prior: 'BEARISH' });
  });

  it('should read an older plain state as the last state', async () => {
    const store = new MemoryStore();
    await store.set(REGIME_STATE_KEY, 'BULLISH');
    expect(await readRegimeMemory(store)).toEqual({ session: '', state: 'BULLISH' });
  });
});
