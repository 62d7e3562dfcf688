/**
 * Several bot instances on one Redis: each scheduler has its own RedisStore connection, as separate
 * processes would. Ticks are driven through `tick()`, the method node-cron's timer calls, so the test does
 * not depend on cron timing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createScheduler, type JobContext, type Scheduler } from '../../src/schedule/jobs.ts';
import { RedisStore } from '../../src/store/redis.ts';
import { deleteKeys, REDIS_URL, skipRedis, uniquePrefix } from '../support/redis.ts';

describe.skipIf(skipRedis)('createScheduler on one Redis with two instances', () => {
  let prefix: string;
  let stores: RedisStore[];
  let schedulers: Scheduler[];
  let runs: { instance: string; ctx: JobContext }[];
  let hold: Promise<void> | undefined;

  const instance = async (id: string) => {
    const store = new RedisStore(REDIS_URL, { keyPrefix: prefix });
    await store.connect();
    stores.push(store);
    const body = (job: string) => async (ctx: JobContext) => {
      runs.push({ instance: `${id}:${job}`, ctx });
      await hold;
    };
    const scheduler = createScheduler({
      store,
      jobs: { premarket: body('premarket'), intraday: body('intraday'), close: body('close') },
      now: () => new Date('2026-03-02T15:00:00Z'),
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      instanceId: id,
    });
    schedulers.push(scheduler);
    return scheduler;
  };

  beforeEach(() => {
    prefix = uniquePrefix();
    stores = [];
    schedulers = [];
    runs = [];
    hold = undefined;
  });
  afterEach(async () => {
    for (const s of schedulers) await s.stop();
    for (const s of stores) await s.close();
    await deleteKeys(prefix);
  });

  it('should run each tick exactly once across both instances', async () => {
    const a = await instance('a');
    const b = await instance('b');
    const ticks = ['2026-03-02T14:45:00Z', '2026-03-02T15:15:00Z', '2026-03-02T15:45:00Z', '2026-03-02T16:15:00Z'];
    for (const at of ticks) {
      const outcomes = await Promise.all([a.tick('intraday', new Date(at)), b.tick('intraday', new Date(at))]);
      expect(outcomes.sort()).toEqual(['ran', 'taken']);
    }
    expect(runs.map((r) => r.ctx.scheduledAt.toISOString())).toEqual(ticks.map((t) => new Date(t).toISOString()));
  });

  it('should not start a job on one instance while another still runs it', async () => {
    const a = await instance('a');
    const b = await instance('b');
    let release!: () => void;
    hold = new Promise((resolve) => (release = resolve));
    const first = a.tick('intraday', new Date('2026-03-02T14:45:00Z'));
    // Wait until instance a holds the run lock and is inside the body.
    while (runs.length === 0) await new Promise((resolve) => setImmediate(resolve));
    expect(await b.tick('intraday', new Date('2026-03-02T15:15:00Z'))).toBe('still-running');
    release();
    expect(await first).toBe('ran');
    hold = undefined;
    expect(await b.tick('intraday', new Date('2026-03-02T15:45:00Z'))).toBe('ran');
    expect(runs.map((r) => r.instance)).toEqual(['a:intraday', 'b:intraday']);
  });

  it("should show on every instance's status the last run made by any of them", async () => {
    const a = await instance('a');
    const b = await instance('b');
    await a.tick('close', new Date('2026-03-02T21:15:00Z'));
    const close = (await b.status()).jobs.find((j) => j.name === 'close');
    expect(close?.lastRun).toMatchObject({ scheduledAt: '2026-03-02T21:15:00.000Z', instanceId: 'a', outcome: 'ran' });
  });
});
