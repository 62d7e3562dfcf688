/**
 * @module When each scheduled job may run. Cron decides the candidate times; the NYSE calendar decides
 * which of them count, so nothing runs on a holiday even though its cron weekday field says Monday.
 *
 * - `premarket` runs on trading days only.
 * - `intraday` runs only while the session is open (so not after a 13:00 early close).
 * - `close` runs once per trading day, at its first scheduled time at or after that day's close: with
 *   the default 16:15 and 13:15 schedules, 13:15 on early-close days and 16:15 on the others.
 *
 * And which run a restart should make up for (`catchUpFor`): the close of the last trading day that did
 * not complete, always; an interrupted intraday cycle only while its slot is still open.
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

/** The last time at or before `now` that `job` fired and passed the calendar, or null within 14 days. */
export function previousRun(job: JobName, schedule: Pick<CronSchedule, 'firesOn'>, calendar: SessionCalendar, now: Date): Date | null {
  let day = nyDate(now);
  for (let i = 0; i < MAX_DAYS_AHEAD; i++, day = addNyDays(day, -1)) {
    if (!calendar.sessionFor(day)) continue;
    const fired = schedule
      .firesOn(day)
      .filter((at) => at.getTime() <= now.getTime() && calendarSkipReason(job, at, schedule, calendar) === null);
    if (fired.length > 0) return fired.at(-1)!;
  }
  return null;
}

/** What the store says of a job's runs: the last one started, and the last one that finished (ran or failed). */
export type RunMarks = {
  started: { runId: string; scheduledAt: Date } | null;
  finished: { runId?: string | undefined; scheduledAt: Date } | null;
};

/**
 * The scheduled time a (re)started bot should run `job` for now, or null:
 * - close: the last close due at or before `now` when no run for it finished: killed mid-run, or the bot was
 *   down at the time. Its diary is the day's record, so this is always worth it; only a store that has never
 *   seen a close (a first start) catches nothing up.
 * - intraday: a run that started and never finished, while its slot is open (the session is open and the
 *   next cycle is not due yet); later, the next cycle scans afresh anyway.
 * - premarket: never; the start-up regime check does its work.
 */
export function catchUpFor(
  job: JobName,
  marks: RunMarks,
  schedule: Pick<CronSchedule, 'firesOn'>,
  calendar: SessionCalendar,
  now: Date,
): Date | null {
  const { started, finished } = marks;
  switch (job) {
    case 'premarket':
      return null;
    case 'intraday': {
      if (!started || started.runId === finished?.runId) return null;
      const session = calendar.sessionFor(nyDate(now));
      if (!session || now.getTime() < session.open.getTime() || now.getTime() > session.close.getTime()) return null;
      const next = nextRun('intraday', schedule, calendar, started.scheduledAt);
      return next === null || now.getTime() < next.getTime() ? started.scheduledAt : null;
    }
    case 'close': {
      if (!started && !finished) return null;
      const due = previousRun('close', schedule, calendar, now);
      if (!due || (finished && finished.scheduledAt.getTime() >= due.getTime())) return null;
      return due;
    }
  }
}
