/**
 * @module NYSE session calendar in America/New_York, DST-correct through Intl (no date library).
 * Regular sessions are 09:30-16:00; the holidays, 13:00 early closes and one-off closures come from
 * `holidays.ts` (by rule, for any year). Dates are New York calendar dates as YYYY-MM-DD strings; instants
 * are Dates.
 */
import { nyseExceptions, type MarketDayNote } from './holidays.ts';

export type { MarketDayNote } from './holidays.ts';

/** The exchange's time zone: every cron schedule and session time is New York wall-clock time. */
export const NY_TIME_ZONE = 'America/New_York';
const OPEN_MINUTES = 9 * 60 + 30;
const REGULAR_CLOSE_MINUTES = 16 * 60;
const EARLY_CLOSE_MINUTES = 13 * 60;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Far more days than any run of closures (the longest, Sept 2001, was 4 weekdays); guards search loops. */
const MAX_DAYS_SEARCHED = 14;

// One formatter, reused: constructing Intl.DateTimeFormat is slow and these run per cache key.
const nyParts = new Intl.DateTimeFormat('en-US', {
  timeZone: NY_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

type WallClock = { year: number; month: number; day: number; hour: number; minute: number; second: number };

function nyWallClock(instant: Date): WallClock {
  const parts: Record<string, number> = {};
  for (const part of nyParts.formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? NaN,
    month: parts.month ?? NaN,
    day: parts.day ?? NaN,
    hour: parts.hour ?? NaN,
    minute: parts.minute ?? NaN,
    second: parts.second ?? NaN,
  };
}

const HOUR_MS = 3_600_000;
/** Offsets by UTC hour: New York changes its offset only on the hour (02:00 local), so an hour has one. */
const offsets = new Map<number, number>();

/** New York's offset from UTC at `instantMs` (e.g. -4 h in summer), in ms. */
function nyOffsetMs(instantMs: number): number {
  const hour = Math.floor(instantMs / HOUR_MS);
  let offsetMs = offsets.get(hour);
  if (offsetMs === undefined) {
    const w = nyWallClock(new Date(hour * HOUR_MS));
    offsetMs = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - hour * HOUR_MS;
    if (offsets.size >= 100_000) offsets.clear();
    offsets.set(hour, offsetMs);
  }
  return offsetMs;
}

/** Dates already checked: a backtest asks about the same few thousand days again and again. */
const parsedDates = new Map<string, { year: number; month: number; day: number }>();

function parseNyDate(nyDateStr: string): { year: number; month: number; day: number } {
  const known = parsedDates.get(nyDateStr);
  if (known) return known;
  const parsed = checkNyDate(nyDateStr);
  if (parsedDates.size >= 50_000) parsedDates.clear();
  parsedDates.set(nyDateStr, parsed);
  return parsed;
}

function checkNyDate(nyDateStr: string): { year: number; month: number; day: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(nyDateStr);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!m || !date || date.toISOString().slice(0, 10) !== nyDateStr) {
    throw new RangeError(`expected a calendar date as YYYY-MM-DD, got ${JSON.stringify(nyDateStr)}`);
  }
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

/** `nyDateStr` moved by `days` calendar days (negative for earlier). */
export function addNyDays(nyDateStr: string, days: number): string {
  const { year, month, day } = parseNyDate(nyDateStr);
  return new Date(Date.UTC(year, month - 1, day) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The instant when New York wall clocks show `minutesAfterMidnight` (may be fractional) on `nyDateStr`.
 * A wall time skipped by spring-forward (02:30) maps to the instant an hour later.
 */
export function nyWallTimeToInstant(nyDateStr: string, minutesAfterMidnight: number): Date {
  const { year, month, day } = parseNyDate(nyDateStr);
  const wallAsUtcMs = Date.UTC(year, month - 1, day) + minutesAfterMidnight * 60_000;
  // Guess with the offset at the wall time read as UTC, then correct once with the offset at the guess:
  // the two differ only when a DST switch falls between them (never at a session close).
  const guessMs = wallAsUtcMs - nyOffsetMs(wallAsUtcMs);
  return new Date(wallAsUtcMs - nyOffsetMs(guessMs));
}

/** The New York calendar date of `instant`, as YYYY-MM-DD. */
export function nyDate(instant: Date): string {
  const ms = instant.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('nyDate needs a valid date');
  return new Date(ms + nyOffsetMs(ms)).toISOString().slice(0, 10);
}

/** True for Monday to Friday. `nyDateStr` is YYYY-MM-DD (a New York calendar date). */
export function isWeekday(nyDateStr: string): boolean {
  const { year, month, day } = parseNyDate(nyDateStr);
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return weekday >= 1 && weekday <= 5;
}

/**
 * One trading session. `close` is 13:00 New York on early-close days, else 16:00. Shared between callers
 * (sessionFor memoizes): read it, never change it.
 */
export type Session = Readonly<{ date: string; open: Date; close: Date; earlyClose: boolean }>;

/** The NYSE note for a weekday (holiday or early close), or undefined for a regular session. */
function noteFor(nyDateStr: string): MarketDayNote | undefined {
  return nyseExceptions(parseNyDate(nyDateStr).year).get(nyDateStr);
}

/** Sessions by date: a pure answer, asked thousands of times by a backtest (Intl time zones are slow). */
const sessions = new Map<string, Session | null>();
const SESSION_MEMO_LIMIT = 20_000;

/** The session on `nyDateStr`, or null when the exchange is shut (weekend, holiday, one-off closure). */
export function sessionFor(nyDateStr: string): Session | null {
  const known = sessions.get(nyDateStr);
  if (known !== undefined) return known;
  const session = computeSession(nyDateStr);
  if (sessions.size >= SESSION_MEMO_LIMIT) sessions.clear();
  sessions.set(nyDateStr, session);
  return session;
}

function computeSession(nyDateStr: string): Session | null {
  if (!isWeekday(nyDateStr)) return null;
  const note = noteFor(nyDateStr);
  if (note?.kind === 'holiday') return null;
  const earlyClose = note?.kind === 'early-close';
  return {
    date: nyDateStr,
    open: nyWallTimeToInstant(nyDateStr, OPEN_MINUTES),
    close: nyWallTimeToInstant(nyDateStr, earlyClose ? EARLY_CLOSE_MINUTES : REGULAR_CLOSE_MINUTES),
    earlyClose,
  };
}

/** True when the NYSE holds a session (regular or early close) on `nyDateStr`. */
export function isTradingDay(nyDateStr: string): boolean {
  return isWeekday(nyDateStr) && noteFor(nyDateStr)?.kind !== 'holiday';
}

/** The name of the closure on weekday `nyDateStr` ("Good Friday"), or null on trading days and weekends. */
export function holidayName(nyDateStr: string): string | null {
  const note = isWeekday(nyDateStr) ? noteFor(nyDateStr) : undefined;
  return note?.kind === 'holiday' ? note.name : null;
}

/** Why `nyDateStr` closes at 13:00 ("Christmas Eve"), or null when it does not. */
export function earlyCloseName(nyDateStr: string): string | null {
  const note = isWeekday(nyDateStr) ? noteFor(nyDateStr) : undefined;
  return note?.kind === 'early-close' ? note.name : null;
}

const steps = new Map<string, string>();

function stepToTradingDay(nyDateStr: string, step: 1 | -1): string {
  const key = `${nyDateStr}|${step}`;
  const known = steps.get(key);
  if (known !== undefined) return known;
  const found = searchTradingDay(nyDateStr, step);
  if (steps.size >= 50_000) steps.clear();
  steps.set(key, found);
  return found;
}

function searchTradingDay(nyDateStr: string, step: 1 | -1): string {
  let day = addNyDays(nyDateStr, step);
  for (let i = 0; i < MAX_DAYS_SEARCHED; i++, day = addNyDays(day, step)) {
    if (isTradingDay(day)) return day;
  }
  throw new Error(`no trading day within ${MAX_DAYS_SEARCHED} days of ${nyDateStr}`);
}

/** The first trading day strictly after `nyDateStr`. */
export function nextTradingDay(nyDateStr: string): string {
  return stepToTradingDay(nyDateStr, 1);
}

/** The last trading day strictly before `nyDateStr`. */
export function previousTradingDay(nyDateStr: string): string {
  return stepToTradingDay(nyDateStr, -1);
}

/**
 * The expiry date of the weekly options of the week ending on Friday `fridayNyDate`: that Friday, or the
 * trading day before it when the exchange is shut that Friday (Good Friday 2020-04-10 -> Thursday 04-09),
 * as the OCC moves expirations.
 */
export function weeklyExpiry(fridayNyDate: string): string {
  const { year, month, day } = parseNyDate(fridayNyDate);
  if (new Date(Date.UTC(year, month - 1, day)).getUTCDay() !== 5) {
    throw new RangeError(`weeklyExpiry takes a Friday, got ${fridayNyDate}`);
  }
  return isTradingDay(fridayNyDate) ? fridayNyDate : previousTradingDay(fridayNyDate);
}

/** The first session close (16:00 New York, 13:00 on early-close days) strictly after `now`. */
export function nextSessionClose(now: Date): Date {
  let day = nyDate(now);
  for (let i = 0; i < MAX_DAYS_SEARCHED; i++, day = addNyDays(day, 1)) {
    const close = sessionFor(day)?.close;
    if (close && close.getTime() > now.getTime()) return close;
  }
  throw new Error(`no session close within ${MAX_DAYS_SEARCHED} days after ${now.toISOString()}`);
}

/** The New York date of the last session whose close has passed at `now`: what a replay at `now` may know. */
export function lastClosedSession(now: Date): string {
  const today = nyDate(now);
  const session = sessionFor(today);
  return session && session.close.getTime() <= now.getTime() ? today : previousTradingDay(today);
}

/**
 * The bars of sessions that have closed by `now`: a live feed's bar of today is partial until the close, and
 * a decision on it would change every time it is re-run. Bars are dated by session (00:00 UTC of its day).
 */
export function completedBars<B extends { time: Date }>(bars: readonly B[], now: Date): B[] {
  const today = nyDate(now);
  const session = sessionFor(today);
  const todayOpen = session !== null && now.getTime() < session.close.getTime();
  return todayOpen ? bars.filter((b) => b.time.toISOString().slice(0, 10) !== today) : [...bars];
}
