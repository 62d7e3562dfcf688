import { afterAll, describe, expect, it } from 'vitest';
import { CronSchedule } from '../../src/schedule/cron.ts';
import { DEFAULTS, type JobName } from '../../src/config/defaults.ts';
import { calendarSkipReason, catchUpFor, nextRun, nyseCalendar, previousRun, type RunMarks } from '../../src/schedule/timing.ts';

const schedules = {
  premarket: new CronSchedule(DEFAULTS.schedules.premarket),
  intraday: new CronSchedule(DEFAULTS.schedules.intraday),
  close: new CronSchedule(DEFAULTS.schedules.close),
};
afterAll(async () => {
  for (const s of Object.values(schedules)) await s.stop();
});

const skip = (job: JobName, at: string) => calendarSkipReason(job, new Date(at), schedules[job], nyseCalendar);

describe('calendarSkipReason', () => {
  it.each<[JobName, string, string | null, string]>([
    ['premarket', '2026-03-02T14:00:00Z', null, 'regular Monday 09:00 EST'],
    ['premarket', '2026-04-03T13:00:00Z', 'market closed (Good Friday on 2026-04-03)', 'Good Friday'],
    ['intraday', '2026-07-03T14:45:00Z', 'market closed (Independence Day on 2026-07-03)', 'observed July 4'],
    ['intraday', '2026-03-02T20:45:00Z', null, '15:45 on a regular day'],
    ['intraday', '2026-11-27T17:45:00Z', null, '12:45 on an early-close day'],
    ['intraday', '2026-11-27T18:15:00Z', 'outside the session (early close at 13:00)', '13:15 after an early close'],
    ['close', '2026-03-02T21:15:00Z', null, '16:15 on a regular day'],
    ['close', '2026-03-02T18:15:00Z', 'before the close at 16:00', '13:15 on a regular day'],
    ['close', '2026-11-27T18:15:00Z', null, '13:15 on an early-close day'],
    ['close', '2026-11-27T21:15:00Z', "the 13:15 run covers today's early close at 13:00", '16:15 on an early-close day'],
    ['close', '2026-11-26T21:15:00Z', 'market closed (Thanksgiving Day on 2026-11-26)', 'Thanksgiving'],
  ])('%s at %s: %j (%s)', (job, at, expected) => {
    expect(skip(job, at)).toBe(expected);
  });
});

describe('nextRun', () => {
  it.each<[JobName, string, string, string]>([
    ['premarket', '2026-04-02T21:30:00Z', '2026-04-06T13:00:00Z', 'Thursday evening before Good Friday -> Monday 09:00 EDT'],
    ['intraday', '2026-12-24T18:00:00Z', '2026-12-28T14:45:00Z', 'after the Christmas Eve early close -> Monday 09:45 EST'],
    ['intraday', '2026-03-02T14:45:00Z', '2026-03-02T15:15:00Z', 'at a tick: strictly after, the next one'],
    ['close', '2026-11-26T12:00:00Z', '2026-11-27T18:15:00Z', 'Thanksgiving -> Friday 13:15 EST after the early close'],
    ['close', '2026-11-27T18:15:00Z', '2026-11-30T21:15:00Z', 'after the early-close run, Monday 16:15 (not 16:15 that Friday)'],
    ['close', '2026-03-02T19:00:00Z', '2026-03-02T21:15:00Z', 'regular day: 16:15, not 13:15'],
  ])('%s after %s: %s (%s)', (job, now, expected) => {
    expect(nextRun(job, schedules[job], nyseCalendar, new Date(now))?.toISOString()).toBe(new Date(expected).toISOString());
  });

  it('should say null when the calendar has no session within 14 days', () => {
    const closed = { sessionFor: () => null };
    expect(nextRun('premarket', schedules.premarket, closed, new Date('2026-03-02T12:00:00Z'))).toBeNull();
  });
});

describe('previousRun', () => {
  it.each<[JobName, string, string | null, string]>([
    ['close', '2026-03-02T21:15:00Z', '2026-03-02T21:15:00Z', 'at the tick: that tick'],
    ['close', '2026-03-02T21:14:59Z', '2026-02-27T21:15:00Z', 'just before Monday 16:15: Friday 16:15'],
    ['close', '2026-11-30T12:00:00Z', '2026-11-27T18:15:00Z', 'Monday morning after Thanksgiving week: the 13:15 early-close run'],
    ['intraday', '2026-04-06T13:00:00Z', '2026-04-02T19:45:00Z', 'Monday before the open after Good Friday: Thursday 15:45 EDT'],
  ])('%s at %s: %s (%s)', (job, now, expected) => {
    expect(previousRun(job, schedules[job], nyseCalendar, new Date(now))?.toISOString() ?? null).toBe(expected && new Date(expected).toISOString());
  });
});

describe('catchUpFor', () => {
  const mark = (runId: string, at: string) => ({ runId, scheduledAt: new Date(at) });
  const plan = (job: JobName, marks: RunMarks, now: string) =>
    catchUpFor(job, marks, schedules[job], nyseCalendar, new Date(now))?.toISOString() ?? null;

  it.each<[string, JobName, RunMarks, string, string | null]>([
    ['a fresh store: nothing to make up', 'close', { started: null, finished: null }, '2026-03-02T21:30:00Z', null],
    ["today's close finished", 'close', { started: mark('b', '2026-03-02T21:15:00Z'), finished: mark('b', '2026-03-02T21:15:00Z') }, '2026-03-02T21:30:00Z', null],
    ['the close was killed mid-run', 'close', { started: mark('b', '2026-03-02T21:15:00Z'), finished: mark('a', '2026-02-27T21:15:00Z') }, '2026-03-02T21:20:00Z', '2026-03-02T21:15:00Z'],
    ['down over Monday 16:15, back Tuesday morning', 'close', { started: mark('a', '2026-02-27T21:15:00Z'), finished: mark('a', '2026-02-27T21:15:00Z') }, '2026-03-03T15:00:00Z', '2026-03-02T21:15:00Z'],
    ['down two days: only the last trading day', 'close', { started: mark('b', '2026-02-27T21:15:00Z'), finished: mark('a', '2026-02-26T21:15:00Z') }, '2026-03-04T12:00:00Z', '2026-03-03T21:15:00Z'],
    ["Monday morning, Friday's close done: today's is not due", 'close', { started: null, finished: mark('a', '2026-02-27T21:15:00Z') }, '2026-03-02T15:00:00Z', null],
    ['early close after Thanksgiving: the 13:15 run', 'close', { started: null, finished: mark('a', '2026-11-25T21:15:00Z') }, '2026-11-27T18:30:00Z', '2026-11-27T18:15:00Z'],
    ['a cycle killed at 10:15, back at 10:20: its slot is open', 'intraday', { started: mark('b', '2026-03-02T15:15:00Z'), finished: mark('a', '2026-03-02T14:45:00Z') }, '2026-03-02T15:20:00Z', '2026-03-02T15:15:00Z'],
    ['back at 10:46: the 10:45 cycle is due, the slot has passed', 'intraday', { started: mark('b', '2026-03-02T15:15:00Z'), finished: mark('a', '2026-03-02T14:45:00Z') }, '2026-03-02T15:46:00Z', null],
    ['the 15:45 cycle killed, back after the close', 'intraday', { started: mark('b', '2026-03-02T20:45:00Z'), finished: null }, '2026-03-02T21:05:00Z', null],
    ['the last cycle finished', 'intraday', { started: mark('b', '2026-03-02T15:15:00Z'), finished: mark('b', '2026-03-02T15:15:00Z') }, '2026-03-02T15:20:00Z', null],
    ['premarket: the start-up regime check does it', 'premarket', { started: mark('b', '2026-03-02T14:00:00Z'), finished: null }, '2026-03-02T14:05:00Z', null],
  ])('%s', (_what, job, marks, now, expected) => {
    expect(plan(job, marks, now)).toBe(expected && new Date(expected).toISOString());
  });
});
