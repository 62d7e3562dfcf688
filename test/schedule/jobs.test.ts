import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobName } from '../../src/config/defaults.ts';
import { createScheduler, type JobContext, type Scheduler, type SchedulerOptions } from '../../src/schedule/jobs.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import type { Store } from '../../src/store/store.ts';

/** A controllable job body: counts runs, and can be held open until released. */
function fakeJob() {
  const runs: JobContext[] = [];
  let release: (() => void) | undefined;
  let hold = false;
  return {
    runs,
    holdNext() {
      hold = true;
    },
    release() {
      release?.();
    },
    fn: async (ctx: JobContext) => {
      runs.push(ctx);
      if (hold) {
        hold = false;
        await new Promise<void>((resolve) => (release = resolve));
      }
    },
  };
}

type Setup = { store?: Store; now?: () => Date; extra?: Partial<SchedulerOptions> };

describe('createScheduler (memory store)', () => {
  const made: Scheduler[] = [];
  let logs: string[];
  let jobs: Record<JobName, ReturnType<typeof fakeJob>>;
  const make = (s: Setup = {}) => {
    const scheduler = createScheduler({
      store: s.store ?? new MemoryStore(),
      jobs: { premarket: jobs.premarket.fn, intraday: jobs.intraday.fn, close: jobs.close.fn },
      now: s.now ?? (() => new Date('2026-03-02T15:00:00Z')),
      logger: { info: (m) => logs.push(`info ${m}`), warn: (m) => logs.push(`warn ${m}`), error: (m) => logs.push(`error ${m}`) },
      instanceId: 'test-a',
      ...s.extra,
    });
    made.push(scheduler);
    return scheduler;
  };
  beforeEach(() => {
    logs = [];
    jobs = { premarket: fakeJob(), intraday: fakeJob(), close: fakeJob() };
  });
  afterEach(async () => {
    for (const s of made.splice(0)) await s.stop();
    vi.useRealTimers();
  });

  it('should run a tick on a trading day and log it with the New York time', async () => {
    const scheduler = make();
    expect(await scheduler.tick('intraday', new Date('2026-03-02T14:45:00Z'))).toBe('ran');
    expect(jobs.intraday.runs.map((r) => r.scheduledAt.toISOString())).toEqual(['2026-03-02T14:45:00.000Z']);
    expect(logs).toEqual(['info intraday 2026-03-02 09:45 ET: ran in 0 ms']);
  });

  it('should run nothing on a holiday even though the cron weekday field matches', async () => {
    const scheduler = make();
    expect(await scheduler.tick('premarket', new Date('2026-04-03T13:00:00Z'))).toBe('market-closed');
    expect(jobs.premarket.runs).toEqual([]);
    expect(logs).toEqual(['info premarket 2026-04-03 09:00 ET: skipped: market closed (Good Friday on 2026-04-03)']);
  });

  it('should run the close at 13:15 on an early-close day and skip 16:15', async () => {
    const scheduler = make();
    expect(await scheduler.tick('close', new Date('2026-11-27T18:15:00Z'))).toBe('ran');
    expect(await scheduler.tick('close', new Date('2026-11-27T21:15:00Z'))).toBe('market-closed');
    expect(await scheduler.tick('close', new Date('2026-11-30T18:15:00Z'))).toBe('market-closed');
    expect(await scheduler.tick('close', new Date('2026-11-30T21:15:00Z'))).toBe('ran');
    expect(jobs.close.runs.map((r) => r.scheduledAt.toISOString())).toEqual(['2026-11-27T18:15:00.000Z', '2026-11-30T21:15:00.000Z']);
  });

  it('should follow an injected calendar', async () => {
    const scheduler = make({ extra: { calendar: { sessionFor: () => null, holidayName: () => 'Test closure' } } });
    expect(await scheduler.tick('premarket', new Date('2026-03-02T14:00:00Z'))).toBe('market-closed');
    expect(logs).toEqual(['info premarket 2026-03-02 09:00 ET: skipped: market closed (Test closure on 2026-03-02)']);
  });

  it('should not start a job twice while it is still running, and log "skipped: still running"', async () => {
    const scheduler = make();
    jobs.intraday.holdNext();
    const first = scheduler.tick('intraday', new Date('2026-03-02T14:45:00Z'));
    expect(await scheduler.tick('intraday', new Date('2026-03-02T15:15:00Z'))).toBe('still-running');
    expect(await scheduler.runNow('intraday')).toBe('still-running');
    expect(logs).toContain('warn intraday 2026-03-02 10:15 ET: skipped: still running');
    expect((await scheduler.status()).jobs.find((j) => j.name === 'intraday')?.running).toBe(true);
    jobs.intraday.release();
    expect(await first).toBe('ran');
    expect(jobs.intraday.runs).toHaveLength(1);
    expect(await scheduler.tick('intraday', new Date('2026-03-02T15:45:00Z'))).toBe('ran');
  });

  it('should run each tick once even when it fires again later (a late timer)', async () => {
    const scheduler = make();
    const at = new Date('2026-03-02T14:45:00Z');
    expect(await scheduler.tick('intraday', at)).toBe('ran');
    expect(await scheduler.tick('intraday', at)).toBe('taken');
    expect(jobs.intraday.runs).toHaveLength(1);
    expect(logs.at(-1)).toBe('info intraday 2026-03-02 09:45 ET: skipped: another instance took this tick');
  });

  it('should catch a failing job, log it, keep it as the last error and go on with the next tick', async () => {
    const scheduler = make();
    const failing = createScheduler({
      store: new MemoryStore(),
      jobs: { ...{ premarket: jobs.premarket.fn, close: jobs.close.fn }, intraday: async () => Promise.reject(new Error('yahoo 503')) },
      now: () => new Date('2026-03-02T15:00:00Z'),
      logger: { info: (m) => logs.push(`info ${m}`), warn: (m) => logs.push(`warn ${m}`), error: (m) => logs.push(`error ${m}`) },
      instanceId: 'test-b',
    });
    made.push(failing);
    expect(await failing.tick('intraday', new Date('2026-03-02T14:45:00Z'))).toBe('failed');
    expect(logs).toContain('error intraday 2026-03-02 09:45 ET: failed after 0 ms: yahoo 503');
    const status = (await failing.status()).jobs.find((j) => j.name === 'intraday');
    expect(status?.lastError).toEqual({ at: '2026-03-02T15:00:00.000Z', scheduledAt: '2026-03-02T14:45:00.000Z', message: 'yahoo 503', instanceId: 'test-b' });
    expect(status?.lastRun?.outcome).toBe('failed');
    expect(await failing.tick('intraday', new Date('2026-03-02T15:15:00Z'))).toBe('failed');
    expect(await scheduler.tick('intraday', new Date('2026-03-02T15:15:00Z'))).toBe('ran');
  });

  it('should skip (not run unlocked) when the lock store fails, and report it', async () => {
    const store = new MemoryStore();
    store.acquireLock = async () => Promise.reject(new Error('Redis is down'));
    const scheduler = make({ store });
    expect(await scheduler.tick('intraday', new Date('2026-03-02T14:45:00Z'))).toBe('store-error');
    expect(jobs.intraday.runs).toEqual([]);
    expect(logs).toEqual(['error intraday 2026-03-02 09:45 ET: skipped: store failed: Redis is down']);
    const status = (await scheduler.status()).jobs.find((j) => j.name === 'intraday');
    expect(status?.lastError?.message).toBe('store failed: Redis is down');
  });

  it('should report last and next run of each job and the uptime', async () => {
    // Fake timers hold node-cron's real timers still; the scheduler reads the injected clock.
    vi.useFakeTimers({ now: new Date('2026-11-27T17:00:00Z') });
    let now = new Date('2026-11-27T17:00:00Z');
    const scheduler = make({ now: () => now });
    await scheduler.start();
    now = new Date('2026-11-27T18:16:00Z');
    await scheduler.tick('close', new Date('2026-11-27T18:15:00Z'));
    now = new Date('2026-11-27T18:30:00Z');
    const status = await scheduler.status();
    expect(status).toMatchObject({ instanceId: 'test-a', started: true, uptimeMs: 90 * 60_000 });
    expect(Object.fromEntries(status.jobs.map((j) => [j.name, j.nextRun?.toISOString()]))).toEqual({
      premarket: '2026-11-30T14:00:00.000Z',
      intraday: '2026-11-30T14:45:00.000Z',
      close: '2026-11-30T21:15:00.000Z',
    });
    expect(status.jobs.find((j) => j.name === 'close')?.lastRun).toEqual({
      runId: expect.any(String) as string,
      scheduledAt: '2026-11-27T18:15:00.000Z',
      startedAt: '2026-11-27T18:16:00.000Z',
      finishedAt: '2026-11-27T18:16:00.000Z',
      durationMs: 0,
      outcome: 'ran',
      instanceId: 'test-a',
      manual: false,
    });
    expect(status.jobs.find((j) => j.name === 'premarket')).toMatchObject({ lastRun: null, lastError: null, schedule: ['0 9 * * 1-5'] });
  });

  it('should run a job on demand outside its schedule and the calendar', async () => {
    const scheduler = make({ now: () => new Date('2026-04-03T16:00:00Z') });
    expect(await scheduler.runNow('premarket')).toBe('ran');
    expect((await scheduler.status()).jobs.find((j) => j.name === 'premarket')?.lastRun?.manual).toBe(true);
  });

  it('should keep the run lock while a long job runs by renewing it every ttl/3 (fake timers)', async () => {
    vi.useFakeTimers({ now: new Date('2026-03-02T14:45:00Z') });
    const store = new MemoryStore(); // its clock is Date.now, which the fake timers drive
    const lockTtlMs = 3_000;
    let aborted = false;
    const scheduler = make({
      store,
      now: () => new Date(),
      extra: {
        lockTtlMs,
        jobs: {
          ...{ premarket: jobs.premarket.fn, close: jobs.close.fn },
          intraday: async ({ signal }) => {
            await new Promise((resolve) => setTimeout(resolve, 10_000)); // 3+ TTLs
            aborted = signal.aborted;
          },
        },
      },
    });
    const other = make({ store, now: () => new Date(), extra: { instanceId: 'test-b', lockTtlMs } });
    const run = scheduler.tick('intraday', new Date('2026-03-02T14:45:00Z'));
    await vi.advanceTimersByTimeAsync(9_000);
    expect(await store.get('hx:sched:intraday:running')).not.toBeNull();
    // The other instance's next tick finds the job still running everywhere.
    expect(await other.tick('intraday', new Date('2026-03-02T14:54:00Z'))).toBe('still-running');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await run).toBe('ran');
    expect(aborted).toBe(false);
    expect(await store.get('hx:sched:intraday:running')).toBeNull(); // released by its owner at the end
    expect(await other.runNow('intraday')).toBe('ran');
  });

  it('should abort the job signal and warn when the lock is lost mid-run', async () => {
    vi.useFakeTimers({ now: new Date('2026-03-02T14:45:00Z') });
    const store = new MemoryStore();
    let sawAbort = false;
    const scheduler = make({
      store,
      now: () => new Date(),
      extra: {
        lockTtlMs: 3_000,
        jobs: {
          ...{ premarket: jobs.premarket.fn, close: jobs.close.fn },
          intraday: async ({ signal }) => {
            await new Promise((resolve) => setTimeout(resolve, 5_000));
            sawAbort = signal.aborted;
          },
        },
      },
    });
    const run = scheduler.tick('intraday', new Date('2026-03-02T14:45:00Z'));
    await vi.advanceTimersByTimeAsync(500);
    await store.del('hx:sched:intraday:running'); // as if it expired while Redis was unreachable
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await run).toBe('ran');
    expect(sawAbort).toBe(true);
    expect(logs).toContain(
      'warn intraday 2026-03-02 09:45 ET: lost hx:sched:intraday:running (expired or taken); another instance may run now',
    );
  });

  it('should call tick from the node-cron timer at the scheduled New York time', async () => {
    vi.useFakeTimers({ now: new Date('2026-03-02T14:44:58Z') }); // 09:44:58 EST
    const scheduler = make({ now: () => new Date() });
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(4_000);
    expect(jobs.intraday.runs.map((r) => r.scheduledAt.toISOString())).toEqual(['2026-03-02T14:45:00.000Z']);
    expect(jobs.premarket.runs).toEqual([]);
    await scheduler.stop();
    await vi.advanceTimersByTimeAsync(30 * 60_000);
    expect(jobs.intraday.runs).toHaveLength(1);
  });
});
