/**
 * A Redis outage in the middle of a cycle, on a real redis-server of the test's own (killed with SIGKILL and
 * started again on the same port, with an append-only file so the run lock survives, as on a production
 * Redis with persistence). The lease's timers run on fake time, so nothing waits for a TTL: what the test
 * shows is that the lock left behind is given back as soon as Redis answers, and the next cycle runs.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { statusReply } from '../../commands/status.ts';
import { createRuntime, type Runtime } from '../../src/app/runtime.ts';
import { BotServices } from '../../src/app/services.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createScheduler, type Scheduler } from '../../src/schedule/jobs.ts';
import { RedisStore } from '../../src/store/redis.ts';
import { fakeTime, type FakeTime } from '../support/fake-timer.ts';
import { haveRedisServer, startRedisServer, type RedisServer } from '../support/redis-server.ts';

const BASE = new Date('2026-03-02T15:15:00Z').getTime(); // Monday 10:15 EST
const at = (hhmm: string) => new Date(`2026-03-02T${hhmm}:00Z`);

/** Resolves once `condition()` holds; checks between event-loop turns (for a socket event to arrive). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe.skipIf(!haveRedisServer && process.env.REQUIRE_REDIS !== '1')('a Redis outage during a cycle', () => {
  let server: RedisServer;
  let store: RedisStore;
  let runtime: Runtime;
  let scheduler: Scheduler;
  let time: FakeTime;
  let logs: string[];
  let release: () => void;
  let cycles: number;

  beforeEach(async () => {
    server = await startRedisServer({ persist: true });
    time = fakeTime();
    logs = [];
    cycles = 0;
    const now = () => new Date(BASE + time.now());
    store = new RedisStore(server.url, { now });
    await store.connect();
    scheduler = createScheduler({
      store,
      jobs: {
        premarket: async () => undefined,
        close: async () => undefined,
        intraday: async () => {
          cycles += 1;
          if (cycles === 1) await new Promise<void>((resolve) => (release = resolve));
        },
      },
      now,
      timer: time.timer,
      logger: { info: (m) => logs.push(`info ${m}`), warn: (m) => logs.push(`warn ${m}`), error: (m) => logs.push(`error ${m}`) },
      instanceId: 'bot-1',
    });
    runtime = await createRuntime(loadConfig({ MARKET_DATA: 'replay' }), { store });
  });
  afterEach(async () => {
    await scheduler.stop();
    await runtime.close();
    await server.close();
  });

  it('should say the store is unreachable in words, then give the lock back and run the next cycle once Redis is back', async () => {
    const services = new BotServices(runtime, { schedulerStatus: () => scheduler.status() });
    const first = scheduler.tick('intraday', at('15:15'));
    await until(() => cycles === 1);

    await server.kill(); // Redis dies while the cycle holds the run lock
    await until(() => store.unreachableSince() !== null);
    release();
    expect(await first).toBe('ran');
    expect(logs.some((l) => /could not release hx:sched:intraday:running \(Redis at 127\.0\.0\.1:\d+ is unreachable/.test(l))).toBe(true);

    // During the outage: nothing runs, and /status says why in words.
    expect(await scheduler.tick('intraday', at('15:45'))).toBe('store-error');
    const down = statusReply(await services.status(), new Date(BASE));
    expect(down.fields.find((f) => f.name === 'Store')?.value).toBe('Redis (shared by every instance): store unreachable since 10:15 ET');
    const intraday = down.fields.find((f) => f.name === 'intraday')?.value ?? '';
    expect(intraday).toMatch(/last error .*: store failed: Redis at 127\.0\.0\.1:\d+ is unreachable \(not connected\)$/);
    expect(JSON.stringify(down)).not.toMatch(/enableOfflineQueue|Stream isn't writeable|ioredis/);

    await server.start(); // back, with the lock the dead connection could not release (append-only file)
    await until(() => store.unreachableSince() === null);
    expect(await store.get('hx:sched:intraday:running')).not.toBeNull();
    expect(await scheduler.tick('intraday', at('16:15'))).toBe('still-running'); // before its release: the old 10-minute window

    await time.advance(10_000); // the lease's next release attempt, a third of its 30 s TTL after the first
    expect(await store.get('hx:sched:intraday:running')).toBeNull();
    expect(await scheduler.tick('intraday', at('16:45'))).toBe('ran');
    expect(cycles).toBe(2);
    expect(statusReply(await services.status(), new Date(BASE)).fields.find((f) => f.name === 'Store')?.value).toBe(
      'Redis (shared by every instance)',
    );
  }, 30_000);
});
