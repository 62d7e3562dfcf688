/**
 * Crash catch-up in the scheduler: a run that started and never finished (the process was killed) is made up
 * for by the next scheduler on the same store. A killed instance is simulated by a job body that never
 * returns and lease timers that never fire (its own fake time is never advanced), so its run lock expires in
 * the store like a dead process's would; the store's clock is the survivor's fake time.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobName } from '../../src/config/defaults.ts';
import { createScheduler, type JobContext, type Scheduler } from '../../src/schedule/jobs.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { fakeTime, type FakeTime } from '../support/fake-timer.ts';

const CLOSE_MONDAY = new Date('2026-03-02T21:15:00Z'); // 16:15 EST
const LOCK_TTL_MS = 30_000;

describe('createScheduler catch-up after a crash', () => {
  let time: FakeTime;
  let base: number;
  let store: MemoryStore;
  let logs: string[];
  let runs: { instance: string; job: JobName; scheduledAt: string }[];
  const made: Scheduler[] = [];
  const clock = () => base + time.now();
  /** A dead instance's tick, resolved once its body is running (it never finishes). */
  const killedDuring = async (id: string, job: JobName, at: Date) => {
    void instance(id, { dead: true }).tick(job, at);
    while (!runs.some((r) => r.instance === id)) await new Promise((resolve) => setImmediate(resolve));
  };

  /** An instance; `dead` ones hang in every job body and never renew (their timers never run). */
  const instance = (id: string, opts: { dead?: boolean } = {}) => {
    const body = (job: JobName) => async (ctx: JobContext) => {
      runs.push({ instance: id, job, scheduledAt: ctx.scheduledAt.toISOString() });
      if (opts.dead) await new Promise(() => undefined);
    };
    const scheduler = createScheduler({
      store,
      jobs: { premarket: body('premarket'), intraday: body('intraday'), close: body('close') },
      now: () => new Date(clock()),
      timer: opts.dead ? fakeTime().timer : time.timer,
      lockTtlMs: LOCK_TTL_MS,
      logger: { info: (m) => logs.push(`${id} info ${m}`), warn: (m) => logs.push(`${id} warn ${m}`), error: (m) => logs.push(`${id} error ${m}`) },
      instanceId: id,
    });
    if (!opts.dead) made.push(scheduler);
    return scheduler;
  };

  beforeEach(() => {
    time = fakeTime();
    store = new MemoryStore({ now: clock });
    logs = [];
    runs = [];
  });
  afterEach(async () => {
    for (const s of made.splice(0)) await s.stop();
  });

  it('should re-run a close killed mid-run, for its own day, once the dead run lock has expired', async () => {
    base = CLOSE_MONDAY.getTime();
    await killedDuring('dead', 'close', CLOSE_MONDAY);
    await time.advance(5_000); // the kill: 5 s into the close
    expect(runs).toEqual([{ instance: 'dead', job: 'close', scheduledAt: CLOSE_MONDAY.toISOString() }]);

    const restarted = instance('new');
    // Restarted at once: the dead process's lock is still in the store for up to one TTL.
    expect(await restarted.catchUp()).toEqual({ close: 'still-running' });
    expect(logs).toContain('new info close 2026-03-02 16:15 ET: did not complete (interrupted, or missed while down): running it now');
    await time.advance(LOCK_TTL_MS); // the lock expires; the retry every TTL/2 takes it
    expect(runs.at(-1)).toEqual({ instance: 'new', job: 'close', scheduledAt: CLOSE_MONDAY.toISOString() });
    expect(logs).toContain('new info close 2026-03-02 16:15 ET: ran in 0 ms');
    expect(time.pendingCount()).toBe(0); // no retry left behind

    // Done: another restart makes up for nothing, and neither does the scheduled tick of the next day.
    expect(await instance('third').catchUp()).toEqual({});
    expect(runs.filter((r) => r.job === 'close')).toHaveLength(2);
  });

  it("should make up for the last trading day's close when the bot was down at 16:15, and only that day", async () => {
    base = CLOSE_MONDAY.getTime() - 3 * 86_400_000; // Friday 16:15
    await instance('a').tick('close', new Date(base));
    base = new Date('2026-03-04T14:00:00Z').getTime(); // back on Wednesday 09:00, Monday's and Tuesday's closes missed
    expect(await instance('b').catchUp()).toEqual({ close: 'ran' });
    expect(runs.map((r) => r.scheduledAt)).toEqual(['2026-02-27T21:15:00.000Z', '2026-03-03T21:15:00.000Z']);
  });

  it('should catch up nothing on a store that has never seen a run', async () => {
    base = CLOSE_MONDAY.getTime() + 60_000;
    expect(await instance('a').catchUp()).toEqual({});
    expect(runs).toEqual([]);
  });

  it('should re-run a killed intraday cycle while its slot is open, and not after the next cycle is due', async () => {
    const tenFifteen = new Date('2026-03-02T15:15:00Z');
    base = tenFifteen.getTime();
    await killedDuring('dead', 'intraday', tenFifteen);
    await time.advance(LOCK_TTL_MS + 5 * 60_000); // back at 10:20:30, the dead lock expired
    expect(await instance('b').catchUp()).toEqual({ intraday: 'ran' });
    expect(runs.map((r) => `${r.instance} ${r.scheduledAt}`)).toEqual([`dead ${tenFifteen.toISOString()}`, `b ${tenFifteen.toISOString()}`]);

    await killedDuring('dead2', 'intraday', new Date('2026-03-02T15:45:00Z'));
    await time.advance(31 * 60_000); // 10:51: the 11:15 cycle is not due, but the interrupted one was 10:45
    expect(await instance('c').catchUp()).toEqual({ intraday: 'ran' });
    await time.advance(30 * 60_000); // 11:21: kill the re-run too, and come back after 11:15 is due
    await killedDuring('dead3', 'intraday', new Date('2026-03-02T16:15:00Z'));
    await time.advance(60 * 60_000);
    expect(await instance('d').catchUp()).toEqual({});
  });

  it('should leave the run to another instance that made up for it while this one waited for the lock', async () => {
    base = CLOSE_MONDAY.getTime();
    await killedDuring('dead', 'close', CLOSE_MONDAY);
    await time.advance(LOCK_TTL_MS);
    const [a, b] = [instance('a'), instance('b')];
    const outcomes = await Promise.all([a.catchUp(), b.catchUp()]);
    expect(outcomes.map((o) => o.close).sort()).toEqual(['ran', 'still-running']);
    await time.advance(LOCK_TTL_MS); // the loser's retry finds the close done
    expect(runs.filter((r) => r.instance !== 'dead')).toHaveLength(1);
  });
});
