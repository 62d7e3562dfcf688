import { describe, expect, it } from 'vitest';
import {
  isWeekday,
  nextSessionClose,
  nextTradingDay,
  nyDate,
  previousTradingDay,
  sessionFor,
  weeklyExpiry,
} from '../../src/analysis/calendar.ts';

describe('nyDate', () => {
  it.each([
    ['2024-03-10T04:59:00Z', '2024-03-09', 'EST evening before spring-forward is still the previous day'],
    ['2024-03-10T05:00:00Z', '2024-03-10', 'EST midnight'],
    ['2024-07-01T03:59:00Z', '2024-06-30', 'EDT 23:59'],
    ['2024-07-01T04:00:00Z', '2024-07-01', 'EDT midnight'],
    ['2024-11-03T05:30:00Z', '2024-11-03', '01:30 EDT, the first of the repeated hour'],
    ['2024-11-03T06:30:00Z', '2024-11-03', '01:30 EST, the second of the repeated hour'],
    ['2024-12-31T23:00:00Z', '2024-12-31', 'UTC new year is still New Year\'s Eve in New York'],
  ])('should map %s to %s (%s)', (instant, expected) => {
    expect(nyDate(new Date(instant))).toBe(expected);
  });
});

describe('isWeekday', () => {
  it.each([
    ['2024-03-08', true],
    ['2024-03-09', false],
    ['2024-03-10', false],
    ['2024-03-11', true],
  ])('should say %s is a weekday: %s', (date, expected) => {
    expect(isWeekday(date)).toBe(expected);
  });

  it('should reject a malformed or impossible date', () => {
    expect(() => isWeekday('2024-3-8')).toThrow(/YYYY-MM-DD/);
    expect(() => isWeekday('2024-02-30')).toThrow(/YYYY-MM-DD/);
  });
});

describe('nextSessionClose', () => {
  it.each([
    ['2024-03-06T15:00:00Z', '2024-03-06T21:00:00Z', 'weekday morning (EST) closes the same day at 16:00 EST'],
    ['2024-03-06T21:00:00Z', '2024-03-07T21:00:00Z', 'exactly at the close: strictly after, so the next day'],
    ['2024-03-06T20:59:59Z', '2024-03-06T21:00:00Z', 'one second before the close'],
    ['2024-03-08T22:00:00Z', '2024-03-11T20:00:00Z', 'Friday evening before spring-forward: Monday 16:00 EDT'],
    ['2024-03-10T12:00:00Z', '2024-03-11T20:00:00Z', 'Sunday of spring-forward'],
    ['2024-11-01T21:00:00Z', '2024-11-04T21:00:00Z', 'Friday close before fall-back: Monday 16:00 EST'],
    ['2024-11-03T06:30:00Z', '2024-11-04T21:00:00Z', 'inside the repeated hour of fall-back'],
    ['2024-07-04T12:00:00Z', '2024-07-05T20:00:00Z', 'Independence Day: closed, so Friday 16:00 EDT'],
    ['2024-07-03T12:00:00Z', '2024-07-03T17:00:00Z', 'July 3 early close: 13:00 EDT'],
    ['2024-07-03T17:00:00Z', '2024-07-05T20:00:00Z', 'at the early close: the next session, after the holiday'],
    ['2024-11-29T15:00:00Z', '2024-11-29T18:00:00Z', 'day after Thanksgiving: 13:00 EST'],
    ['2024-03-28T21:00:00Z', '2024-04-01T20:00:00Z', 'Thursday close before Good Friday: Monday 16:00 EDT'],
    ['2025-01-08T22:00:00Z', '2025-01-10T21:00:00Z', 'skips the one-off closure of 2025-01-09'],
    ['2024-03-09T03:00:00Z', '2024-03-11T20:00:00Z', 'Friday 22:00 EST is Saturday in UTC'],
    ['2024-03-12T02:00:00Z', '2024-03-12T20:00:00Z', 'Monday 22:00 EDT is Tuesday in UTC: close is Tuesday'],
  ])('should map %s to %s (%s)', (now, expected) => {
    expect(nextSessionClose(new Date(now)).toISOString()).toBe(new Date(expected).toISOString());
  });
});

describe('sessionFor', () => {
  it('should open at 09:30 and close at 16:00 New York time, in EST and in EDT', () => {
    expect(sessionFor('2024-03-08')).toEqual({
      date: '2024-03-08',
      open: new Date('2024-03-08T14:30:00Z'),
      close: new Date('2024-03-08T21:00:00Z'),
      earlyClose: false,
    });
    expect(sessionFor('2024-03-11')).toEqual({
      date: '2024-03-11',
      open: new Date('2024-03-11T13:30:00Z'),
      close: new Date('2024-03-11T20:00:00Z'),
      earlyClose: false,
    });
  });

  it('should close at 13:00 New York time on an early-close day', () => {
    expect(sessionFor('2026-12-24')).toEqual({
      date: '2026-12-24',
      open: new Date('2026-12-24T14:30:00Z'),
      close: new Date('2026-12-24T18:00:00Z'),
      earlyClose: true,
    });
  });

  it('should have no session on weekends and holidays', () => {
    expect(sessionFor('2026-04-04')).toBeNull();
    expect(sessionFor('2026-04-03')).toBeNull();
  });
});

describe('trading-day navigation', () => {
  it.each([
    ['2026-04-02', '2026-04-06', 'Thursday before Good Friday -> Monday'],
    ['2026-07-02', '2026-07-06', 'Thursday before the observed July 3 -> Monday'],
    ['2027-12-23', '2027-12-27', 'Thursday before the observed Christmas -> Monday'],
    ['2025-01-08', '2025-01-10', 'over the one-off closure of 2025-01-09'],
    ['2024-12-31', '2025-01-02', 'over New Year'],
  ])('should go from %s to the next trading day %s (%s)', (from, expected) => {
    expect(nextTradingDay(from)).toBe(expected);
  });

  it.each([
    ['2026-04-06', '2026-04-02', 'Monday after Good Friday -> Thursday'],
    ['2024-01-02', '2023-12-29', 'over New Year and a weekend'],
    ['2024-01-16', '2024-01-12', 'over MLK Day'],
  ])('should go from %s to the previous trading day %s (%s)', (from, expected) => {
    expect(previousTradingDay(from)).toBe(expected);
  });
});

describe('weeklyExpiry', () => {
  it.each([
    ['2020-04-10', '2020-04-09', 'Good Friday -> Thursday'],
    ['2026-04-03', '2026-04-02', 'Good Friday 2026 -> Thursday'],
    ['2026-07-03', '2026-07-02', 'observed Independence Day -> Thursday'],
    ['2027-12-24', '2027-12-23', 'observed Christmas -> Thursday'],
    ['2026-11-27', '2026-11-27', 'an early-close Friday still expires that day'],
    ['2026-03-13', '2026-03-13', 'a regular Friday'],
  ])('should expire the week of Friday %s on %s (%s)', (friday, expected) => {
    expect(weeklyExpiry(friday)).toBe(expected);
  });

  it('should refuse a day that is not a Friday', () => {
    expect(() => weeklyExpiry('2026-04-02')).toThrow(/takes a Friday/);
  });
});
