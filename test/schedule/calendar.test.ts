import { describe, expect, it } from 'vitest';
import { isWeekday, nextSessionClose, nyDate } from '../../src/schedule/calendar.ts';

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
    ['2024-07-04T12:00:00Z', '2024-07-04T20:00:00Z', 'summer weekday (EDT); holidays are not modelled yet'],
    ['2024-03-09T03:00:00Z', '2024-03-11T20:00:00Z', 'Friday 22:00 EST is Saturday in UTC'],
    ['2024-03-12T02:00:00Z', '2024-03-12T20:00:00Z', 'Monday 22:00 EDT is Tuesday in UTC: close is Tuesday'],
  ])('should map %s to %s (%s)', (now, expected) => {
    expect(nextSessionClose(new Date(now)).toISOString()).toBe(new Date(expected).toISOString());
  });
});
