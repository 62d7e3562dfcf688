import { describe, expect, it } from 'vitest';
import { lastClosedSession } from '../../src/analysis/calendar.ts';

describe('lastClosedSession', () => {
  it.each([
    ['2020-03-12T19:59:00Z', '2020-03-11'], // 15:59 ET Thursday: today's session still open
    ['2020-03-12T20:00:00Z', '2020-03-12'], // 16:00 ET: closed
    ['2020-03-14T15:00:00Z', '2020-03-13'], // Saturday
    ['2020-04-10T21:00:00Z', '2020-04-09'], // Good Friday, no session
    ['2019-11-29T18:30:00Z', '2019-11-29'], // 13:30 ET after the 13:00 early close
  ])('at %s is %s', (at, day) => {
    expect(lastClosedSession(new Date(at))).toBe(day);
  });
});
