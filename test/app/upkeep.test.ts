import { describe, expect, it } from 'vitest';
import { readInstances } from '../../src/app/heartbeat.ts';
import { startUpkeep } from '../../src/app/upkeep.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { fakeTime } from '../support/fake-timer.ts';

const START = Date.parse('2026-03-02T15:00:00Z');

describe('upkeep: heartbeat and outbox flush every 30 s', () => {
  it('should beat at once and every 30 s, flush the outbox each round, and mark the bot stopped on stop()', async () => {
    const time = fakeTime();
    const now = () => new Date(START + time.now());
    const store = new MemoryStore({ now: () => now().getTime() });
    let flushes = 0;
    const upkeep = await startUpkeep({
      store, instanceId: 'bot-1', startedAt: now(), now, timer: time.timer,
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      flush: async () => void flushes++,
    });
    expect(await readInstances(store, now())).toMatchObject([{ instanceId: 'bot-1', alive: true, ageMs: 0 }]);
    await time.advance(90_000);
    expect(flushes).toBe(3);
    expect(await readInstances(store, now())).toMatchObject([{ lastBeatAt: new Date(START + 90_000).toISOString(), alive: true }]);
    // Killed: nothing beats any more, and after two missed beats the bot counts as gone.
    expect(await readInstances(store, new Date(START + 90_000 + 76_000))).toMatchObject([{ alive: false, ageMs: 76_000 }]);
    await upkeep.stop();
    expect(time.pendingCount()).toBe(0);
    expect(await readInstances(store, now())).toMatchObject([{ alive: false, stoppedAt: new Date(START + 90_000).toISOString() }]);
  });

  it('should log a store failure once per outage, keep flushing, and say when beats are written again', async () => {
    const time = fakeTime();
    const store = new MemoryStore();
    let down = false;
    const write = store.compareAndWrite.bind(store);
    store.compareAndWrite = (e, w) => (down ? Promise.reject(new Error('Redis at 127.0.0.1:6379 is unreachable (not connected)')) : write(e, w));
    const logs: string[] = [];
    let flushes = 0;
    const upkeep = await startUpkeep({
      store, instanceId: 'bot-1', startedAt: new Date(START), now: () => new Date(START + time.now()), timer: time.timer,
      logger: { info: (m) => logs.push(`info ${m}`), warn: (m) => logs.push(`warn ${m}`), error: (m) => logs.push(`error ${m}`) },
      flush: async () => void flushes++,
    });
    down = true;
    await time.advance(90_000);
    down = false;
    await time.advance(30_000);
    await upkeep.stop();
    expect(flushes).toBe(4);
    expect(logs).toEqual([
      'warn heartbeat: not written (Redis at 127.0.0.1:6379 is unreachable (not connected)); bots and the CLI may take this one for stopped',
      'info heartbeat: written again',
    ]);
  });
});
