import { afterEach, describe, expect, it } from 'vitest';
import { cronExpression, parseCronList } from '../../src/config/fields.ts';
import { CronSchedule } from '../../src/schedule/cron.ts';
import { DEFAULTS } from '../../src/config/defaults.ts';

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

describe('cronExpression (SCHEDULE_* validator)', () => {
  it('should parse a ";"-separated list into trimmed expressions', () => {
    expect(cronExpression.parse(' 45 9 * * 1-5 ;15,45  10-15 * * 1-5 ')).toEqual(['45 9 * * 1-5', '15,45 10-15 * * 1-5']);
  });

  it('should accept every default schedule', () => {
    for (const list of Object.values(DEFAULTS.schedules)) expect(cronExpression.parse(list.join(';'))).toEqual(list);
  });

  it('should name the bad expression and field and show an example', () => {
    const result = cronExpression.safeParse('0 9 * * 1-5; 61 9 * * 1-5');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(
      '"61 9 * * 1-5": 61 is a invalid expression for minute; use cron expressions in New York time separated by ";", e.g. "45 9 * * 1-5; 15,45 10-15 * * 1-5"',
    );
  });

  it.each([[''], [' ; '], ['every day at nine'], ['0 9 * *']])('should reject %j', (text) => {
    expect(parseCronList(text).problems).not.toEqual([]);
    expect(cronExpression.safeParse(text).success).toBe(false);
  });
});

describe('CronSchedule.firesOn', () => {
  const made: CronSchedule[] = [];
  const schedule = (expressions: readonly string[]) => {
    const s = new CronSchedule(expressions);
    made.push(s);
    return s;
  };
  afterEach(async () => {
    for (const s of made.splice(0)) await s.stop();
  });

  it('should list the intraday times 09:45..15:45 every 30 minutes in New York time (EST)', () => {
    const fires = schedule(DEFAULTS.schedules.intraday).firesOn('2026-03-02');
    expect(fires).toHaveLength(13);
    expect(fires[0]?.toISOString()).toBe('2026-03-02T14:45:00.000Z');
    expect(fires[1]?.toISOString()).toBe('2026-03-02T15:15:00.000Z');
    expect(fires.at(-1)?.toISOString()).toBe('2026-03-02T20:45:00.000Z');
  });

  it('should follow daylight saving time (EDT after 2026-03-08)', () => {
    expect(iso(schedule(DEFAULTS.schedules.close).firesOn('2026-03-09'))).toEqual([
      '2026-03-09T17:15:00.000Z',
      '2026-03-09T20:15:00.000Z',
    ]);
  });

  it('should not fire on days the weekday field excludes', () => {
    expect(schedule(DEFAULTS.schedules.premarket).firesOn('2026-03-07')).toEqual([]);
  });

  it('should honour day-of-month tokens through node-cron (L = last day of the month)', () => {
    const s = schedule(['0 12 L * *']);
    expect(s.firesOn('2026-02-27')).toEqual([]);
    expect(iso(s.firesOn('2026-02-28'))).toEqual(['2026-02-28T17:00:00.000Z']);
  });

  it('should include seconds when the expression has 6 fields', () => {
    expect(iso(schedule(['0,30 0 10 * * *']).firesOn('2026-03-02'))).toEqual([
      '2026-03-02T15:00:00.000Z',
      '2026-03-02T15:00:30.000Z',
    ]);
  });

  it('should refuse an invalid expression at construction, naming the job', () => {
    expect(() => new CronSchedule(['99 * * * *'], { name: 'close' })).toThrow(/invalid schedule for close: "99 \* \* \* \*"/);
  });
});
