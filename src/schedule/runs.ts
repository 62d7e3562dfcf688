/**
 * @module What the scheduler records of each job's runs in the Store, and the only code that knows those
 * keys. A run writes `started` before its body and `last` (finished, with the same run id) after it, so a
 * restart can tell a run that was interrupted (kill -9, crash, power loss) from one that finished: the
 * per-tick claim alone cannot, since it is taken before the run and never released. Every instance reads
 * the same records, so /status on any of them sees what the others did.
 */
import type { JobName } from '../config/defaults.ts';
import type { Store } from '../store/store.ts';
import type { RunMarks } from './timing.ts';

/**
 * - ran / failed: this instance ran the body (failed: it threw);
 * - market-closed: the calendar gate said no; still-running: this or another instance is still running
 *   the job; taken: another instance claimed this tick; store-error: the lock store failed, nothing ran.
 */
export type TickOutcome = 'ran' | 'failed' | 'market-closed' | 'still-running' | 'taken' | 'store-error';

/** A run that has begun; it stays the latest start until the next run of the job begins. */
export type RunStart = {
  runId: string;
  scheduledAt: string;
  startedAt: string;
  instanceId: string;
  /** True for runNow (an operator's request), false for a scheduled tick or a catch-up. */
  manual: boolean;
};

/** One finished run, as stored (ISO strings). `runId` matches its RunStart (absent in records of older versions). */
export type RunRecord = {
  runId?: string;
  scheduledAt: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  outcome: 'ran' | 'failed';
  instanceId: string;
  manual: boolean;
};

export type ErrorRecord = { at: string; scheduledAt: string; message: string; instanceId: string };

/** Reads and writes the run records of every job under one key prefix ("hx:sched:"). */
export class RunRecords {
  constructor(
    private readonly store: Store,
    private readonly prefix: string,
  ) {}

  /** The key a tick's claim is taken on: whole seconds, so every instance derives the same one. */
  claimKey(job: JobName, scheduledAt: Date): string {
    const at = new Date(Math.floor(scheduledAt.getTime() / 1000) * 1000).toISOString().slice(0, 19);
    return `${this.prefix}${job}:tick:${at}`;
  }

  /** The run lock: held while any instance runs the job. */
  lockKey(job: JobName): string {
    return `${this.prefix}${job}:running`;
  }

  async started(job: JobName, run: RunStart): Promise<void> {
    await this.store.set(`${this.prefix}${job}:started`, JSON.stringify(run));
  }

  async finished(job: JobName, run: RunRecord, error?: ErrorRecord): Promise<void> {
    await this.store.set(`${this.prefix}${job}:last`, JSON.stringify(run));
    if (error) await this.store.set(`${this.prefix}${job}:error`, JSON.stringify(error));
  }

  /** The last finished run and the last error; null when none, or unreadable. */
  async last(job: JobName): Promise<{ lastRun: RunRecord | null; lastError: ErrorRecord | null }> {
    const [lastRun, lastError] = await Promise.all([
      this.read<RunRecord>(`${this.prefix}${job}:last`),
      this.read<ErrorRecord>(`${this.prefix}${job}:error`),
    ]);
    return { lastRun, lastError };
  }

  /** What catch-up decides from: the last start and the last finish. Store errors are thrown. */
  async marks(job: JobName): Promise<RunMarks & { startedBy?: string }> {
    const [startedRaw, finishedRaw] = await Promise.all([
      this.store.get(`${this.prefix}${job}:started`),
      this.store.get(`${this.prefix}${job}:last`),
    ]);
    const started = parse<RunStart>(startedRaw);
    const finished = parse<RunRecord>(finishedRaw);
    return {
      started: started ? { runId: started.runId, scheduledAt: new Date(started.scheduledAt) } : null,
      finished: finished ? { runId: finished.runId, scheduledAt: new Date(finished.scheduledAt) } : null,
      ...(started ? { startedBy: started.instanceId } : {}),
    };
  }

  private async read<T>(key: string): Promise<T | null> {
    return parse<T>(await this.store.get(key).catch(() => null));
  }
}

function parse<T>(raw: string | null): T | null {
  if (!raw) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}
