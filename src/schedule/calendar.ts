/**
 * @module NYSE session calendar in America/New_York, DST-correct through Intl (no date library).
 * First version: every weekday is a regular 09:30-16:00 session. Holidays and early closes plug in at
 * one place, `sessionCloseMinutes`, which says when (or whether) a given NY date closes.
 */

const NY_TIME_ZONE = 'America/New_York';
const REGULAR_CLOSE_MINUTES = 16 * 60;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Far more weekdays than any run of holidays; guards the search loop against a bad calendar table. */
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

/** New York's offset from UTC at `instantMs` (e.g. -4 h in summer), in ms. */
function nyOffsetMs(instantMs: number): number {
  const w = nyWallClock(new Date(instantMs));
  const wallAsUtcMs = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return wallAsUtcMs - Math.floor(instantMs / 1000) * 1000;
}

function parseNyDate(nyDateStr: string): { year: number; month: number; day: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(nyDateStr);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!m || !date || date.toISOString().slice(0, 10) !== nyDateStr) {
    throw new RangeError(`expected a calendar date as YYYY-MM-DD, got ${JSON.stringify(nyDateStr)}`);
  }
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

function addDays(nyDateStr: string, days: number): string {
  const { year, month, day } = parseNyDate(nyDateStr);
  return new Date(Date.UTC(year, month - 1, day) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The instant when New York wall clocks show `minutesAfterMidnight` on `nyDateStr`. */
function nyWallTimeToInstant(nyDateStr: string, minutesAfterMidnight: number): Date {
  const { year, month, day } = parseNyDate(nyDateStr);
  const wallAsUtcMs = Date.UTC(year, month - 1, day) + minutesAfterMidnight * 60_000;
  // Guess with the offset at the wall time read as UTC, then correct once with the offset at the guess:
  // the two differ only when a DST switch falls between them (never at a session close).
  const guessMs = wallAsUtcMs - nyOffsetMs(wallAsUtcMs);
  return new Date(wallAsUtcMs - nyOffsetMs(guessMs));
}

/** The New York calendar date of `instant`, as YYYY-MM-DD. */
export function nyDate(instant: Date): string {
  const w = nyWallClock(instant);
  return `${String(w.year).padStart(4, '0')}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/** True for Monday to Friday. `nyDateStr` is YYYY-MM-DD (a New York calendar date). */
export function isWeekday(nyDateStr: string): boolean {
  const { year, month, day } = parseNyDate(nyDateStr);
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return weekday >= 1 && weekday <= 5;
}

/**
 * When the session on `nyDateStr` closes, in minutes after New York midnight, or null when the market
 * is shut that day. The single extension point for the holiday / early-close table (13:00 -> 780).
 */
function sessionCloseMinutes(nyDateStr: string): number | null {
  return isWeekday(nyDateStr) ? REGULAR_CLOSE_MINUTES : null;
}

/** The first session close (16:00 New York on a weekday) strictly after `now`. */
export function nextSessionClose(now: Date): Date {
  let day = nyDate(now);
  for (let i = 0; i < MAX_DAYS_SEARCHED; i++, day = addDays(day, 1)) {
    const closeMinutes = sessionCloseMinutes(day);
    if (closeMinutes === null) continue;
    const close = nyWallTimeToInstant(day, closeMinutes);
    if (close.getTime() > now.getTime()) return close;
  }
  throw new Error(`no session close within ${MAX_DAYS_SEARCHED} days after ${now.toISOString()}`);
}
