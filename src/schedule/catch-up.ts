/**
 * @module Making up, when the scheduler starts, for the runs a crash or an outage cost: timing.ts' catchUpFor
 * decides from the run records (runs.ts) which run is still worth it, and it runs through the scheduler's own
 * path (run lock, no overlap). While the dead process's run lock has not expired, or the store does not
 * answer, it tries again every half lock TTL, for as long as the run is still due.
 */
import { JOB_NAMES, type JobName } from '../config/defaults.ts';
import type { Timer } from '../core/lock.ts';
import type { Logger } from '../core/log.ts';
import type { CronSchedule } from './cron.ts';
import type { RunRecords, TickOutcome } from './runs.ts';
import { catchUpFor, type SessionCalendar } from './timing.ts';

export type CatchUpDeps = {
  records: RunRecords;
  schedules: Record<JobName, Pick<CronSchedule, 'firesOn'>>;
  calendar: SessionCalendar;
  now: () => Date;
  timer: Timer;
  retryEveryMs: number;
  log: Logger;
  /** "close 2026-03-02 16:15 ET", for log lines. */
  label: (job: JobName, at: Date) => string;
  /** Run `job` for `scheduledAt` as a catch-up (under the run lock, which rechecks `target`). */
  run(job: JobName, scheduledAt: Date): Promise<TickOutcome>;
};

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export class CatchUp {
  readonly #retries = new Map<JobName, () => void>();
  #stopped = false;

  constructor(private readonly deps: CatchUpDeps) {}

  /** The run to make up for `job` now, from the records in the store (store errors are thrown). */
  async target(job: JobName): Promise<Date | null> {
    const { records, schedules, calendar, now } = this.deps;
    return catchUpFor(job, await records.marks(job), schedules[job], calendar, now());
  }

  /** One attempt per job; each job's first outcome, leaving out the jobs with nothing to make up. */
  async runAll(): Promise<Partial<Record<JobName, TickOutcome>>> {
    const outcomes: Partial<Record<JobName, TickOutcome>> = {};
    for (const job of JOB_NAMES) {
      const outcome = await this.#attempt(job);
      if (outcome) outcomes[job] = outcome;
    }
    return outcomes;
  }

  /** Cancel the pending retries (the scheduler stops). */
  stop(): void {
    this.#stopped = true;
    for (const cancel of this.#retries.values()) cancel();
    this.#retries.clear();
  }

  async #attempt(job: JobName): Promise<TickOutcome | undefined> {
    this.#retries.get(job)?.();
    this.#retries.delete(job);
    if (this.#stopped) return undefined;
    const { log, label, retryEveryMs } = this.deps;
    let target: Date | null;
    try {
      target = await this.target(job);
    } catch (err) {
      log.warn(`${job}: could not read its run records to catch up (${messageOf(err)}); trying again in ${retryEveryMs} ms`);
      this.#retryLater(job);
      return 'store-error';
    }
    if (target === null) return undefined;
    log.info(`${label(job, target)}: did not complete (interrupted, or missed while down): running it now`);
    const outcome = await this.deps.run(job, target);
    // Locked: the dead process's lock expires within its TTL (or another instance runs it, and the retry sees it done).
    if (outcome === 'still-running' || outcome === 'store-error') this.#retryLater(job);
    return outcome;
  }

  #retryLater(job: JobName): void {
    if (this.#stopped) return;
    this.#retries.set(job, this.deps.timer(() => this.#attempt(job).then(() => undefined), this.deps.retryEveryMs));
  }
}
