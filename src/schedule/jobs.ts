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
 * 4. no overlap across instances: a per-job run lock, renewed every ttl/3 while running and released by
 *    its owner (core/lock.ts).
 *
 * Every run is wrapped in try/catch plus a log line; the last run and last error of each job are kept in
 * the Store, so /status on any instance sees what the others did.
 */
import type { Logger } from '../core/log.ts';
import { randomUUID } from 'node:crypto';
import type { Store } from '../store/store.ts';
import { nyDate } from '../analysis/calendar.ts';
import { CronSchedule } from './cron.ts';
import { runWithLock } from '../core/lock.ts';
import { DEFAULTS, JOB_NAMES, type JobName } from '../config/defaults.ts';
import { calendarSkipReason, nextRun, nyseCalendar, nyTimeOfDay, type SessionCalendar } from './timing.ts';

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
  /** Run-lock lifetime if an instance dies mid-run; renewed every third of it. Default 10 min. */
  lockTtlMs?: number;
  /** How long a tick's claim is kept so late instances see it taken. Default 24 h. */
  claimTtlMs?: number;
  logger?: Logger;
  /** Shown in /status and stored with each run. Default: a random id. */
  instanceId?: string;
  /** Store key prefix. Default "hx:sched:". */
  keyPrefix?: string;
};

/**
 * - ran / failed: this instance ran the body (failed: it threw);
 * - market-closed: the calendar gate said no; still-running: this or another instance is still running
 *   the job; taken: another instance claimed this tick; store-error: the lock store failed, nothing ran.
 */
export type TickOutcome = 'ran' | 'failed' | 'market-closed' | 'still-running' | 'taken' | 'store-error';

/** One finished run, as stored (ISO strings). */
export type RunRecord = {
  scheduledAt: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  outcome: 'ran' | 'failed';
  instanceId: string;
  /** True for runNow (an operator's request), false for a scheduled tick. */
  manual: boolean;
};
export type ErrorRecord = { at: string; scheduledAt: string; message: string; instanceId: string };

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
  status(): Promise<SchedulerStatus>;
};

const DEFAULT_LOCK_TTL_MS = 10 * 60_000;
const DEFAULT_CLAIM_TTL_MS = 24 * 60 * 60_000;

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** A scheduler for the three jobs; nothing fires until `start()`. Throws on an invalid schedule. */
export function createScheduler(opts: SchedulerOptions): Scheduler {
  const { store, jobs } = opts;
  const now = opts.now ?? (() => new Date());
  const calendar = opts.calendar ?? nyseCalendar;
  const log = opts.logger ?? console;
  const lockTtlMs = opts.lockTtlMs ?? DEFAULT_LOCK_TTL_MS;
  const claimTtlMs = opts.claimTtlMs ?? DEFAULT_CLAIM_TTL_MS;
  const instanceId = opts.instanceId ?? randomUUID().slice(0, 8);
  const prefix = opts.keyPrefix ?? 'hx:sched:';
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
      await store.set(`${prefix}${job}:last`, JSON.stringify(run));
      if (error) await store.set(`${prefix}${job}:error`, JSON.stringify(error));
    } catch (err) {
      log.warn(`${label(job, new Date(run.scheduledAt))}: could not store the run record: ${messageOf(err)}`);
    }
  }

  async function execute(job: JobName, scheduledAt: Date, manual: boolean): Promise<TickOutcome> {
    const what = label(job, scheduledAt);
    try {
      if (!manual) {
        // Whole seconds: node-cron fires on a second boundary, and every instance must derive the same key.
        const at = new Date(Math.floor(scheduledAt.getTime() / 1000) * 1000).toISOString().slice(0, 19);
        const claim = await store.acquireLock(`${prefix}${job}:tick:${at}`, claimTtlMs);
        if (claim === null) {
          log.info(`${what}: skipped: another instance took this tick`);
          return 'taken';
        }
      }
      const started = now();
      let failure: unknown;
      const result = await runWithLock(
        store,
        `${prefix}${job}:running`,
        async (signal) => {
          try {
            await jobs[job]({ job, scheduledAt, signal });
          } catch (err) {
            failure = err ?? new Error('job threw nothing');
          }
        },
        {
          ttlMs: lockTtlMs,
          onWarning: (m) => log.warn(`${what}: ${m}`),
          onLost: (reason) => log.warn(`${what}: ${reason.message}; another instance may run now`),
        },
      );
      if (!result.acquired) {
        log.warn(`${what}: skipped: still running on another instance`);
        return 'still-running';
      }
      const finished = now();
      const durationMs = finished.getTime() - started.getTime();
      const outcome = failure === undefined ? 'ran' : 'failed';
      const run: RunRecord = {
        scheduledAt: scheduledAt.toISOString(),
        startedAt: started.toISOString(),
        finishedAt: finished.toISOString(),
        durationMs,
        outcome,
        instanceId,
        manual,
      };
      if (failure === undefined) {
        log.info(`${what}: ran in ${durationMs} ms`);
        await remember(job, run);
      } else {
        log.error(`${what}: failed after ${durationMs} ms: ${messageOf(failure)}`);
        await remember(job, run, { at: finished.toISOString(), scheduledAt: run.scheduledAt, message: messageOf(failure), instanceId });
      }
      return outcome;
    } catch (err) {
      // Only the store can get here (the body's errors are caught above): nothing ran, nothing is retried.
      log.error(`${what}: skipped: lock store failed: ${messageOf(err)}`);
      local.set(job, { ...local.get(job), lastError: { at: now().toISOString(), scheduledAt: scheduledAt.toISOString(), message: `lock store failed: ${messageOf(err)}`, instanceId } });
      return 'store-error';
    }
  }

  function begin(job: JobName, scheduledAt: Date, manual: boolean): Promise<TickOutcome> {
    if (inFlight.has(job)) {
      log.warn(`${label(job, scheduledAt)}: skipped: still running`);
      return Promise.resolve('still-running');
    }
    // Registered before the first await, so a second tick in the same turn already sees it.
    const run = execute(job, scheduledAt, manual).finally(() => inFlight.delete(job));
    inFlight.set(job, run);
    return run;
  }

  async function tick(job: JobName, scheduledAt: Date): Promise<TickOutcome> {
    const reason = calendarSkipReason(job, scheduledAt, schedules[job], calendar);
    if (reason !== null) {
      log.info(`${label(job, scheduledAt)}: skipped: ${reason}`);
      return 'market-closed';
    }
    return begin(job, scheduledAt, false);
  }

  async function readRecord<T>(key: string): Promise<T | null> {
    try {
      const raw = await store.get(key);
      return raw ? (JSON.parse(raw) as T) : null;
    } catch {
      return null;
    }
  }

  return {
    async start() {
      if (startedAt || stopped) throw new Error('scheduler: start() may be called once; create a new scheduler to restart');
      startedAt = now();
      for (const job of JOB_NAMES) {
        await schedules[job].start((at) => void tick(job, at));
        log.info(`scheduler ${instanceId}: ${job} on "${schedules[job].expressions.join('; ')}" (New York time)`);
      }
    },
    async stop() {
      stopped = true;
      for (const job of JOB_NAMES) await schedules[job].stop();
      await Promise.allSettled([...inFlight.values()]);
    },
    tick,
    runNow: (job) => begin(job, now(), true),
    async status() {
      const at = now();
      const jobStatuses = await Promise.all(
        JOB_NAMES.map(async (job): Promise<JobStatus> => ({
          name: job,
          schedule: schedules[job].expressions,
          running: inFlight.has(job),
          lastRun: (await readRecord<RunRecord>(`${prefix}${job}:last`)) ?? local.get(job)?.lastRun ?? null,
          lastError: (await readRecord<ErrorRecord>(`${prefix}${job}:error`)) ?? local.get(job)?.lastError ?? null,
          nextRun: stopped ? null : nextRun(job, schedules[job], calendar, at),
        })),
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
