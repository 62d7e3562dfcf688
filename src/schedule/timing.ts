/**
 * @module When each scheduled job may run. Cron decides the candidate times; the NYSE calendar decides
 * which of them count, so nothing runs on a holiday even though its cron weekday field says Monday.
 *
 * - `premarket` runs on trading days only.
 * - `intraday` runs only while the session is open (so not after a 13:00 early close).
 * - `close` runs once per trading day, at its first scheduled time at or after that day's close: with
 *   the default 16:15 and 13:15 schedules, 13:15 on early-close days and 16:15 on the others.
 */
import { addNyDays, holidayName, nyDate, sessionFor, type Session } from '../analysis/calendar.ts';
import type { JobName } from '../config/defaults.ts';
import type { CronSchedule } from './cron.ts';

/** The part of the calendar the scheduler needs; injectable so tests can declare any day a holiday. */
export type SessionCalendar = {
  sessionFor(nyDateStr: string): Session | null;
  /** Used in log lines only ("market closed (Good Friday)"). */
  holidayName?(nyDateStr: string): string | null;
};

export const nyseCalendar: SessionCalendar = { sessionFor, holidayName };

/** Days searched for a next run: longer than any run of weekends and closures. */
const MAX_DAYS_AHEAD = 14;

const nyClock = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** "13:00" in New York time. */
export const nyTimeOfDay = (instant: Date) => nyClock.format(instant);

/**
 * Why `job` must not run at `scheduledAt`, in words for the log ("market closed (Good Friday)"), or null
 * when it should run. `schedule` is the job's own schedule (the close rule needs its other times).
 */
export function calendarSkipReason(
  job: JobName,
  scheduledAt: Date,
  schedule: Pick<CronSchedule, 'firesOn'>,
  calendar: SessionCalendar,
): string | null {
  const day = nyDate(scheduledAt);
  const session = calendar.sessionFor(day);
  if (!session) return `market closed (${calendar.holidayName?.(day) ?? 'no session'} on ${day})`;
  const t = scheduledAt.getTime();
  const closes = `${session.earlyClose ? 'early close' : 'close'} at ${nyTimeOfDay(session.close)}`;
  switch (job) {
    case 'premarket':
      return null;
    case 'intraday':
      return t >= session.open.getTime() && t <= session.close.getTime() ? null : `outside the session (${closes})`;
    case 'close': {
      if (t < session.close.getTime()) return `before the ${closes}`;
      const first = schedule.firesOn(day).find((f) => f.getTime() >= session.close.getTime());
      if (first && first.getTime() !== t) return `the ${nyTimeOfDay(first)} run covers today's ${closes}`;
      return null;
    }
  }
}

/** The next time after `now` that `job` will fire and pass the calendar, or null within 14 days. */
export function nextRun(job: JobName, schedule: Pick<CronSchedule, 'firesOn'>, calendar: SessionCalendar, now: Date): Date | null {
  let day = nyDate(now);
  for (let i = 0; i < MAX_DAYS_AHEAD; i++, day = addNyDays(day, 1)) {
    if (!calendar.sessionFor(day)) continue;
    const next = schedule
      .firesOn(day)
      .find((at) => at.getTime() > now.getTime() && calendarSkipReason(job, at, schedule, calendar) === null);
    if (next) return next;
  }
  return null;
}
