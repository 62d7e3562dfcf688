/**
 * @module NYSE full closures and 13:00 early closes, computed by rule for any year (no yearly table to
 * update), plus the one-off closures no rule predicts. Pure: dates in, dates out, as YYYY-MM-DD New York
 * calendar dates.
 *
 * Why not a library: `nyse-holidays` (npm) has the full holidays only, without Juneteenth, early closes or
 * ad-hoc closures; `@18f/us-federal-holidays` and `date-holidays` are civil calendars (no Good Friday,
 * but Columbus and Veterans Day, when the NYSE is open).
 *
 * The rules are today's NYSE rules (Rule 7.2 and its published "Holidays & Trading Hours" page). Years
 * before the 2000s differ in places (MLK Day closed from 1998; other eves were early closes) and are not
 * modelled specially.
 */

/** What a weekday that is not a regular session is. */
export type MarketDayNote = { kind: 'holiday' | 'early-close'; name: string };

/**
 * Closures no rule predicts (national days of mourning, the 2001 attacks, Hurricane Sandy), by New York
 * date. Sources: NYSE notices; gerrymanoim/exchange_calendars and rsheftel/pandas_market_calendars list
 * the same days.
 */
export const AD_HOC_CLOSURES: Readonly<Record<string, string>> = {
  '2001-09-11': 'September 11 attacks',
  '2001-09-12': 'September 11 attacks',
  '2001-09-13': 'September 11 attacks',
  '2001-09-14': 'September 11 attacks',
  '2004-06-11': 'National Day of Mourning for Ronald Reagan',
  '2007-01-02': 'National Day of Mourning for Gerald Ford',
  '2012-10-29': 'Hurricane Sandy',
  '2012-10-30': 'Hurricane Sandy',
  '2018-12-05': 'National Day of Mourning for George H.W. Bush',
  '2025-01-09': 'National Day of Mourning for Jimmy Carter',
};

const SUNDAY = 0;
const MONDAY = 1;
const THURSDAY = 4;
const SATURDAY = 6;
/** NYSE has closed for Juneteenth since 2022 (the federal holiday was created in June 2021). */
const FIRST_JUNETEENTH_YEAR = 2022;

/** YYYY-MM-DD of a (possibly overflowing, e.g. day 0) date; months are 1-based. */
const isoDate = (year: number, month: number, day: number) =>
  new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10);

const weekdayOf = (year: number, month: number, day: number) => new Date(Date.UTC(year, month - 1, day)).getUTCDay();

/** Day of the month of the `n`th `weekday` (0 = Sunday) in `month`. */
function nthWeekday(year: number, month: number, weekday: number, n: number): number {
  const first = weekdayOf(year, month, 1);
  return 1 + ((weekday - first + 7) % 7) + 7 * (n - 1);
}

/** Day of the month of the last `weekday` in `month`. */
function lastWeekday(year: number, month: number, weekday: number): number {
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return lastDay - ((weekdayOf(year, month, lastDay) - weekday + 7) % 7);
}

/** Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher); month is 1-based. */
export function easterSunday(year: number): { month: number; day: number } {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const n = h + l - 7 * m + 114;
  return { month: Math.floor(n / 31), day: (n % 31) + 1 };
}

/** A fixed-date holiday moved off the weekend: Saturday -> Friday, Sunday -> Monday. */
function observed(year: number, month: number, day: number): string {
  const weekday = weekdayOf(year, month, day);
  if (weekday === SATURDAY) return isoDate(year, month, day - 1);
  if (weekday === SUNDAY) return isoDate(year, month, day + 1);
  return isoDate(year, month, day);
}

function ruleHolidays(year: number): [string, string][] {
  const easter = easterSunday(year);
  const days: [string, string][] = [
    ["Martin Luther King Jr. Day", isoDate(year, 1, nthWeekday(year, 1, MONDAY, 3))],
    ["Washington's Birthday", isoDate(year, 2, nthWeekday(year, 2, MONDAY, 3))],
    ['Good Friday', isoDate(year, easter.month, easter.day - 2)],
    ['Memorial Day', isoDate(year, 5, lastWeekday(year, 5, MONDAY))],
    ['Independence Day', observed(year, 7, 4)],
    ['Labor Day', isoDate(year, 9, nthWeekday(year, 9, MONDAY, 1))],
    ['Thanksgiving Day', isoDate(year, 11, nthWeekday(year, 11, THURSDAY, 4))],
    ['Christmas Day', observed(year, 12, 25)],
  ];
  // A Saturday New Year is not observed on Friday Dec 31: NYSE keeps the year-end session (Rule 7.2).
  if (weekdayOf(year, 1, 1) !== SATURDAY) days.push(["New Year's Day", observed(year, 1, 1)]);
  if (year >= FIRST_JUNETEENTH_YEAR) days.push(['Juneteenth National Independence Day', observed(year, 6, 19)]);
  return days;
}

/**
 * 13:00 closes. The eves are early only when the holiday itself falls Tuesday-Friday: when July 4 or
 * December 25 is a Saturday the Friday before is the (observed) holiday, and when it is a Sunday or
 * Monday the eve is a weekend day or a normal Friday (NYSE 2021: Thursday Dec 23 was a full session).
 */
function ruleEarlyCloses(year: number): [string, string][] {
  const days: [string, string][] = [
    ['Day after Thanksgiving', isoDate(year, 11, nthWeekday(year, 11, THURSDAY, 4) + 1)],
  ];
  const july3 = weekdayOf(year, 7, 3);
  if (july3 >= MONDAY && july3 <= THURSDAY) days.push(['Independence Day eve', isoDate(year, 7, 3)]);
  const dec24 = weekdayOf(year, 12, 24);
  if (dec24 >= MONDAY && dec24 <= THURSDAY) days.push(['Christmas Eve', isoDate(year, 12, 24)]);
  return days;
}

const byYear = new Map<number, ReadonlyMap<string, MarketDayNote>>();

/**
 * Every weekday of `year` that is not a regular 09:30-16:00 session, keyed by YYYY-MM-DD. An ad-hoc
 * closure wins over an early close on the same day. Computed once per year and cached.
 */
export function nyseExceptions(year: number): ReadonlyMap<string, MarketDayNote> {
  const cached = byYear.get(year);
  if (cached) return cached;
  const notes = new Map<string, MarketDayNote>();
  for (const [name, date] of ruleEarlyCloses(year)) notes.set(date, { kind: 'early-close', name });
  for (const [name, date] of ruleHolidays(year)) notes.set(date, { kind: 'holiday', name });
  for (const [date, name] of Object.entries(AD_HOC_CLOSURES)) {
    if (date.startsWith(`${year}-`)) notes.set(date, { kind: 'holiday', name });
  }
  // Every rule lands on a weekday (observance moves weekend dates), so this is weekdays only, in date order.
  const sorted = new Map([...notes].sort(([a], [b]) => a.localeCompare(b)));
  byYear.set(year, sorted);
  return sorted;
}
