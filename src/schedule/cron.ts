/**
 * @module Cron schedules in New York time on node-cron: `CronSchedule` owns the node-cron tasks of one job,
 * fires them, and answers "when does this schedule fire on that date" (for the calendar gate and /status'
 * next run). The env-var validator, `cronExpression`, is in config/fields.ts.
 *
 * A schedule is a list: one cron expression cannot say "09:45, then every 30 minutes to 15:45", so
 * SCHEDULE_* take several expressions separated by ";" ("45 9 * * 1-5; 15,45 10-15 * * 1-5").
 */
import type { Logger } from '../core/log.ts';
import { createTask, type ScheduledTask } from 'node-cron';
import { CRON_LIST_SEPARATOR, cronFields, parseCronList } from '../config/fields.ts';
import { NY_TIME_ZONE, nyWallTimeToInstant } from '../analysis/calendar.ts';

type TimeFields = { seconds: number[]; minutes: number[]; hours: number[] };

/** The node-cron tasks of one schedule, with their time-of-day fields for computing fire times. */
export class CronSchedule {
  readonly expressions: readonly string[];
  readonly #tasks: { task: ScheduledTask; fields: TimeFields }[];
  #onFire: ((scheduledAt: Date) => void) | undefined;

  /** Throws when an expression is invalid (validate env values with `cronExpression` first). */
  constructor(expressions: readonly string[], opts: { name?: string; logger?: Logger } = {}) {
    const { problems } = parseCronList(expressions.join(CRON_LIST_SEPARATOR));
    if (problems.length > 0) throw new RangeError(`invalid schedule${opts.name ? ` for ${opts.name}` : ''}: ${problems.join(', ')}`);
    this.expressions = [...expressions];
    const logger = opts.logger;
    this.#tasks = expressions.map((expression, i) => {
      const fields = cronFields(expression).fields!;
      // node-cron hands the matched minute (not the late wall-clock time) as ctx.date: the tick's identity.
      const task = createTask(expression, (ctx) => this.#onFire?.(ctx.date), {
        timezone: NY_TIME_ZONE,
        ...(opts.name ? { name: `${opts.name}#${i}` } : {}),
        ...(logger ? { logger: { ...logger, debug: () => undefined, error: (m: string | Error) => logger.error(String(m)) } } : {}),
      });
      return { task, fields: { seconds: fields.second, minutes: fields.minute, hours: fields.hour } };
    });
  }

  /** Start firing `onFire(scheduledAt)` at every match, New York time. */
  async start(onFire: (scheduledAt: Date) => void): Promise<void> {
    this.#onFire = onFire;
    for (const { task } of this.#tasks) await task.start();
  }

  /** Stop firing and drop the tasks from node-cron's registry; fire-time queries keep working. */
  async stop(): Promise<void> {
    this.#onFire = undefined;
    for (const { task } of this.#tasks) await task.destroy();
  }

  /**
   * Every instant on New York date `nyDateStr` at which one of the expressions fires, ascending and
   * without duplicates. Candidates come from the hour/minute/second fields; node-cron's own matcher then
   * decides the day fields (L, W, #) and drops wall times a DST switch skips.
   */
  firesOn(nyDateStr: string): Date[] {
    const times = new Set<number>();
    for (const { task, fields } of this.#tasks) {
      for (const hour of fields.hours) {
        for (const minute of fields.minutes) {
          const minuteStartMs = nyWallTimeToInstant(nyDateStr, hour * 60 + minute).getTime();
          for (const second of fields.seconds) {
            const instant = new Date(minuteStartMs + second * 1000);
            if (task.match(instant)) times.add(instant.getTime());
          }
        }
      }
    }
    return [...times].sort((a, b) => a - b).map((ms) => new Date(ms));
  }
}
