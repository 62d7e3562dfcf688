/**
 * @module The bot's clock: node-cron jobs in New York time whose bodies are injected (pre-market regime
 * check, intraday cycles, end-of-day close). Every fire goes through `tick(job, scheduledAt)`, which
 * tests call directly, so nothing depends on cron timing:
 *
 * 1. the calendar gate (`timing.ts`): nothing on holidays, intraday only in session, close once after
 *    the close;
 * 2. no overlap in this process: a job still running is not started again ("skipped: still running");
 * 3. exactly one instance per tick: a claim key per job and scheduled time (SET NX, never released, so an
 *    instance whose timer fires a second late cannot take a tick another already ran);
 * 4. no overlap across instances: a per-job run lock of 30 s, renewed every 10 s while running and released
 *    by its owner (core/lock.ts); after a store outage it is gone within one TTL of the store answering.
 *
 * Every run is wrapped in try/catch plus a log line; its start and finish are kept in the Store (runs.ts),
 * so /status on any instance sees what the others did, and `start()` can make up for a run a crash
 * interrupted (`catchUp`, decided by timing.ts' catchUpFor).
 */
import type { Logger } from '../core/log.ts';
import { randomUUID } from 'node:crypto';
import type { Store } from '../store/store.ts';
import { nyDate } from '../analysis/calendar.ts';
import { CronSchedule } from './cron.ts';
import { realTimer, runWithLock, type Timer } from '../core/lock.ts';
import { DEFAULTS, JOB_NAMES, type JobName } from '../config/defaults.ts';
import { CatchUp } from './catch-up.ts';
import { RunRecords, type ErrorRecord, type RunRecord, type TickOutcome } from './runs.ts';
import { calendarSkipReason, nextRun, nyseCalendar, nyTimeOfDay, type SessionCalendar } from './timing.ts';

export type { ErrorRecord, RunRecord, TickOutcome } from './runs.ts';

/** What a job body gets: `signal` aborts if this instance lost its run lock (another may start). */
export type JobContext = { job: JobName; scheduledAt: Date; signal: AbortSignal };
export type JobFn = (ctx: JobContext) => Promise<void>;
export type SchedulerOptions = {
  store: Store;
  jobs: Record<JobName, JobFn>;
  /** Cron expression lists in New York time (validated config); DEFAULTS.schedules otherwise. */
  schedules?: Partial<Record<JobName, readonly string[]>>;
  now?: () => Date;
  calendar?: SessionCalendar;
  /** Run-lock lifetime if an instance dies mid-run, or loses the store; renewed every third of it. Default 30 s. */
  lockTtlMs?: number;
  /** Timers for lock renewals and catch-up retries; tests pass fake time. Default setTimeout. */
  timer?: Timer;
  /** How long a tick's claim is kept so late instances see it taken. Default 24 h. */
  claimTtlMs?: number;
  logger?: Logger;
  /** Shown in /status and stored with each run. Default: a random id. */
  instanceId?: string;
  /** Store key prefix. Default "hx:sched:". */
  keyPrefix?: string;
};

export type JobStatus = {
  name: JobName;
  schedule: readonly string[];
  /** Running in this process now. */
  running: boolean;
  lastRun: RunRecord | null;
  lastError: ErrorRecord | null;
  /** Next fire that passes the calendar, or null (stopped, or none within 14 days). */
  nextRun: Date | null;
};

export type SchedulerStatus = {
  instanceId: string;
  started: boolean;
  startedAt: Date | null;
  uptimeMs: number;
  jobs: JobStatus[];
};

export type Scheduler = {
  /** Start the cron timers. */
  start(): Promise<void>;
  /** Stop the timers and wait for runs in progress to finish (call before closing the store). */
  stop(): Promise<void>;
  /** What a cron fire does; `scheduledAt` is the matched time, the same on every instance. */
  tick(job: JobName, scheduledAt: Date): Promise<TickOutcome>;
  /** Run a job now, outside its schedule and the calendar, still without overlap. */
  runNow(job: JobName): Promise<TickOutcome>;
  /**
   * Make up for runs a crash or an outage cost (timing.ts' catchUpFor): the close of the last trading day
   * that did not complete, an interrupted intraday cycle whose slot is still open. `start()` calls it; a job
   * still locked (by the dead process, until its lock expires) is tried again every half lock TTL while the
   * run is still due. Resolves with each job's first outcome; jobs with nothing to make up are left out.
   */
  catchUp(): Promise<Partial<Record<JobName, TickOutcome>>>;
  status(): Promise<SchedulerStatus>;
};

/** Short, so a lock a dead or cut-off instance left behind is gone within one slot; renewed every 10 s. */
export const DEFAULT_LOCK_TTL_MS = 30_000;
const DEFAULT_CLAIM_TTL_MS = 24 * 60 * 60_000;

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** How a run came about: a cron tick (claimed once across instances), an operator, or a restart making up for one. */
type RunKind = 'tick' | 'manual' | 'catch-up';

/** A scheduler for the three jobs; nothing fires until `start()`. Throws on an invalid schedule. */
export function createScheduler(opts: SchedulerOptions): Scheduler {
  const { store, jobs } = opts;
  const now = opts.now ?? (() => new Date());
  const calendar = opts.calendar ?? nyseCalendar;
  const log = opts.logger ?? console;
  const lockTtlMs = opts.lockTtlMs ?? DEFAULT_LOCK_TTL_MS;
  const claimTtlMs = opts.claimTtlMs ?? DEFAULT_CLAIM_TTL_MS;
  const timer = opts.timer ?? realTimer;
  const instanceId = opts.instanceId ?? randomUUID().slice(0, 8);
  const records = new RunRecords(store, opts.keyPrefix ?? 'hx:sched:');
  const schedules = Object.fromEntries(
    JOB_NAMES.map((job) => [job, new CronSchedule(opts.schedules?.[job] ?? DEFAULTS.schedules[job], { name: `hx-${job}`, logger: log })]),
  ) as Record<JobName, CronSchedule>;
  const inFlight = new Map<JobName, Promise<TickOutcome>>();
  const local = new Map<JobName, { lastRun?: RunRecord; lastError?: ErrorRecord }>();
  let startedAt: Date | null = null;
  let stopped = false;

  const label = (job: JobName, at: Date) => `${job} ${nyDate(at)} ${nyTimeOfDay(at)} ET`;

  async function remember(job: JobName, run: RunRecord, error?: ErrorRecord): Promise<void> {
    local.set(job, { lastRun: run, lastError: error ?? local.get(job)?.lastError });
    try {
      await records.finished(job, run, error);
    } catch (err) {
      log.warn(`${label(job, new Date(run.scheduledAt))}: could not store the run record: ${messageOf(err)}`);
    }
  }

  /** The body under the run lock, with its start and finish recorded; null when a catch-up found it done. */
  async function runLocked(job: JobName, scheduledAt: Date, kind: RunKind, signal: AbortSignal): Promise<TickOutcome | null> {
    const what = label(job, scheduledAt);
    // Decided before the lock was ours: another instance may have made up for the run meanwhile.
    if (kind === 'catch-up' && (await catchUp.target(job))?.getTime() !== scheduledAt.getTime()) return null;
    const runId = randomUUID();
    const started = now();
    await records
      .started(job, { runId, scheduledAt: scheduledAt.toISOString(), startedAt: started.toISOString(), instanceId, manual: kind === 'manual' })
      .catch((err: unknown) => log.warn(`${what}: could not record the start (a crash now would not be caught up): ${messageOf(err)}`));
    let failure: unknown;
    try {
      await jobs[job]({ job, scheduledAt, signal });
    } catch (err) {
      failure = err ?? new Error('job threw nothing');
    }
    const finished = now();
    const durationMs = finished.getTime() - started.getTime();
    const outcome = failure === undefined ? 'ran' : 'failed';
    const run: RunRecord = {
      runId,
      scheduledAt: scheduledAt.toISOString(),
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      durationMs,
      outcome,
      instanceId,
      manual: kind === 'manual',
    };
    if (failure === undefined) {
      log.info(`${what}: ran in ${durationMs} ms`);
      await remember(job, run);
    } else {
      log.error(`${what}: failed after ${durationMs} ms: ${messageOf(failure)}`);
      await remember(job, run, { at: finished.toISOString(), scheduledAt: run.scheduledAt, message: messageOf(failure), instanceId });
    }
    return outcome;
  }

  async function execute(job: JobName, scheduledAt: Date, kind: RunKind): Promise<TickOutcome> {
    const what = label(job, scheduledAt);
    try {
      if (kind === 'tick') {
        const claim = await store.acquireLock(records.claimKey(job, scheduledAt), claimTtlMs);
        if (claim === null) {
          log.info(`${what}: skipped: another instance took this tick`);
          return 'taken';
        }
      }
      const result = await runWithLock(store, records.lockKey(job), (signal) => runLocked(job, scheduledAt, kind, signal), {
        ttlMs: lockTtlMs,
        timer,
        clock: () => now().getTime(),
        onWarning: (m) => log.warn(`${what}: ${m}`),
        onLost: (reason) => log.warn(`${what}: ${reason.message}; another instance may run now`),
      });
      if (!result.acquired) {
        log.warn(`${what}: skipped: still running on another instance`);
        return 'still-running';
      }
      if (result.value === null) {
        log.info(`${what}: another instance has made up for it`);
        return 'taken';
      }
      return result.value;
    } catch (err) {
      // Only the store can get here (the body's errors are caught above): nothing ran, nothing is retried.
      const message = `store failed: ${messageOf(err)}`;
      log.error(`${what}: skipped: ${message}`);
      local.set(job, { ...local.get(job), lastError: { at: now().toISOString(), scheduledAt: scheduledAt.toISOString(), message, instanceId } });
      return 'store-error';
    }
  }

  function begin(job: JobName, scheduledAt: Date, kind: RunKind): Promise<TickOutcome> {
    if (inFlight.has(job)) {
      log.warn(`${label(job, scheduledAt)}: skipped: still running`);
      return Promise.resolve('still-running');
    }
    // Registered before the first await, so a second tick in the same turn already sees it.
    const run = execute(job, scheduledAt, kind).finally(() => inFlight.delete(job));
    inFlight.set(job, run);
    return run;
  }

  async function tick(job: JobName, scheduledAt: Date): Promise<TickOutcome> {
    const reason = calendarSkipReason(job, scheduledAt, schedules[job], calendar);
    if (reason !== null) {
      log.info(`${label(job, scheduledAt)}: skipped: ${reason}`);
      return 'market-closed';
    }
    return begin(job, scheduledAt, 'tick');
  }

  const catchUp = new CatchUp({
    records,
    schedules,
    calendar,
    now,
    timer,
    retryEveryMs: lockTtlMs / 2,
    log,
    label,
    run: (job, scheduledAt) => begin(job, scheduledAt, 'catch-up'),
  });

  return {
    async start() {
      if (startedAt || stopped) throw new Error('scheduler: start() may be called once; create a new scheduler to restart');
      startedAt = now();
      for (const job of JOB_NAMES) {
        await schedules[job].start((at) => void tick(job, at));
        const next = nextRun(job, schedules[job], calendar, startedAt);
        const when = next ? `${nyDate(next)} ${nyTimeOfDay(next)} ET` : 'none within 14 days';
        log.info(`scheduler ${instanceId}: ${job} on "${schedules[job].expressions.join('; ')}" (New York time), next ${when}`);
      }
      void catchUp.runAll().catch((err: unknown) => log.error(`scheduler: catch-up failed: ${messageOf(err)}`));
    },
    async stop() {
      stopped = true;
      catchUp.stop();
      for (const job of JOB_NAMES) await schedules[job].stop();
      await Promise.allSettled([...inFlight.values()]);
    },
    tick,
    runNow: (job) => begin(job, now(), 'manual'),
    catchUp: () => catchUp.runAll(),
    async status() {
      const at = now();
      const jobStatuses = await Promise.all(
        JOB_NAMES.map(async (job): Promise<JobStatus> => {
          const stored = await records.last(job);
          return {
            name: job,
            schedule: schedules[job].expressions,
            running: inFlight.has(job),
            lastRun: stored.lastRun ?? local.get(job)?.lastRun ?? null,
            lastError: stored.lastError ?? local.get(job)?.lastError ?? null,
            nextRun: stopped ? null : nextRun(job, schedules[job], calendar, at),
          };
        }),
      );
      return {
        instanceId,
        started: startedAt !== null && !stopped,
        startedAt,
        uptimeMs: startedAt ? at.getTime() - startedAt.getTime() : 0,
        jobs: jobStatuses,
      };
    },
  };
}
