import { describe, expect, it } from 'vitest';
import { easterSunday, nyseExceptions } from '../../src/analysis/holidays.ts';
import { addNyDays, earlyCloseName, holidayName, isTradingDay, sessionFor } from '../../src/analysis/calendar.ts';

/**
 * Expected closures and 13:00 early closes, written out from NYSE's published "Holidays & Trading Hours"
 * page (nyse.com/markets/hours-calendars) for 2024-2027, and re-derived by hand from the rules:
 * 2025-01-09 is the National Day of Mourning for Jimmy Carter (NYSE notice of 2024-12-30);
 * 2026: July 4 is a Saturday, so Friday July 3 is the holiday and there is no July 3 early close;
 * 2027: Juneteenth and Christmas fall on Saturday (observed Friday), July 4 on Sunday (observed Monday),
 * Dec 24 is the holiday so there is no Christmas Eve early close, and New Year 2028 is a Saturday, so
 * Friday 2027-12-31 is a full session.
 */
const PUBLISHED: Record<number, { holidays: string[]; earlyCloses: string[]; tradingDays: number }> = {
  2024: {
    holidays: ['2024-01-01', '2024-01-15', '2024-02-19', '2024-03-29', '2024-05-27', '2024-06-19', '2024-07-04', '2024-09-02', '2024-11-28', '2024-12-25'],
    earlyCloses: ['2024-07-03', '2024-11-29', '2024-12-24'],
    // 366 days from a Monday: 262 weekdays - 10 holidays.
    tradingDays: 252,
  },
  2025: {
    holidays: ['2025-01-01', '2025-01-09', '2025-01-20', '2025-02-17', '2025-04-18', '2025-05-26', '2025-06-19', '2025-07-04', '2025-09-01', '2025-11-27', '2025-12-25'],
    earlyCloses: ['2025-07-03', '2025-11-28', '2025-12-24'],
    // 365 days from a Wednesday: 261 weekdays - 11 closures.
    tradingDays: 250,
  },
  2026: {
    holidays: ['2026-01-01', '2026-01-19', '2026-02-16', '2026-04-03', '2026-05-25', '2026-06-19', '2026-07-03', '2026-09-07', '2026-11-26', '2026-12-25'],
    earlyCloses: ['2026-11-27', '2026-12-24'],
    // 365 days from a Thursday: 261 weekdays - 10 holidays.
    tradingDays: 251,
  },
  2027: {
    holidays: ['2027-01-01', '2027-01-18', '2027-02-15', '2027-03-26', '2027-05-31', '2027-06-18', '2027-07-05', '2027-09-06', '2027-11-25', '2027-12-24'],
    earlyCloses: ['2027-11-26'],
    // 365 days from a Friday: 261 weekdays - 10 holidays.
    tradingDays: 251,
  },
};

function daysOf(year: number): string[] {
  const out: string[] = [];
  for (let d = `${year}-01-01`; d.startsWith(String(year)); d = addNyDays(d, 1)) out.push(d);
  return out;
}

describe('NYSE calendar by rule', () => {
  describe.each(Object.entries(PUBLISHED))('%s', (yearText, expected) => {
    const year = Number(yearText);
    const days = daysOf(year);

    it('should close on exactly the published holidays', () => {
      expect(days.filter((d) => holidayName(d) !== null)).toEqual(expected.holidays);
    });

    it('should close at 13:00 on exactly the published early-close days', () => {
      expect(days.filter((d) => sessionFor(d)?.earlyClose)).toEqual(expected.earlyCloses);
      expect(days.filter((d) => earlyCloseName(d) !== null)).toEqual(expected.earlyCloses);
    });

    it('should count the published number of trading days', () => {
      expect(days.filter(isTradingDay)).toHaveLength(expected.tradingDays);
    });

    it('should list nothing else as an exception', () => {
      expect([...nyseExceptions(year).keys()]).toEqual([...expected.holidays, ...expected.earlyCloses].sort());
    });
  });

  it.each([
    ['2024-03-29', 'Good Friday'],
    ['2025-01-09', 'National Day of Mourning for Jimmy Carter'],
    ['2026-07-03', 'Independence Day'],
    ['2027-06-18', 'Juneteenth National Independence Day'],
    ['2027-12-24', 'Christmas Day'],
    ['2018-12-05', 'National Day of Mourning for George H.W. Bush'],
    ['2023-01-02', "New Year's Day"],
    ['2022-06-20', 'Juneteenth National Independence Day'],
  ])('should name the closure on %s "%s"', (date, name) => {
    expect(holidayName(date)).toBe(name);
  });

  it.each([
    ['2021-12-31', "New Year's Day on a Saturday is not observed on the Friday before"],
    ['2021-06-18', 'Juneteenth is not an NYSE holiday before 2022'],
    ['2021-12-23', 'no early close the day before an observed Friday Christmas'],
    ['2022-12-23', 'no early close on the Friday before a Sunday Christmas'],
    ['2027-07-02', 'no early close on the Friday before a Sunday July 4'],
    ['2024-10-14', 'Columbus Day is a federal holiday, not an NYSE one'],
    ['2024-11-11', 'Veterans Day is a federal holiday, not an NYSE one'],
  ])('should hold a full regular session on %s (%s)', (date) => {
    expect(isTradingDay(date)).toBe(true);
    expect(sessionFor(date)?.earlyClose).toBe(false);
  });

  it.each([
    ['2018-12-24', 'Christmas Eve on a Monday'],
    ['2023-07-03', 'July 3 on a Monday'],
    ['2020-11-27', 'day after Thanksgiving'],
  ])('should close early on %s (%s)', (date) => {
    expect(sessionFor(date)?.earlyClose).toBe(true);
  });

  it.each([
    [2019, 4, 21],
    [2020, 4, 12],
    [2024, 3, 31],
    [2025, 4, 20],
    [2026, 4, 5],
    [2027, 3, 28],
    [2038, 4, 25],
    [2285, 3, 22],
  ])('should compute Easter %i as %i/%i', (year, month, day) => {
    expect(easterSunday(year)).toEqual({ month, day });
  });
});
