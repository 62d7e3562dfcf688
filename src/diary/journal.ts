/**
 * @module The day journal: what happened during one New York trading day, kept on the Store so the
 * end-of-day diary (and `/diary` before then) can tell the story. The cycle job writes to it as things
 * happen; every write is a single list append to one key per day, so a crash can lose at most the entry
 * being written and never leaves half of one. Anything a retry might append twice (a cycle re-run after a
 * restart, a tweet sent again) is de-duplicated when the day is read, not when written, which keeps each
 * write one store operation with no read-modify-write race.
 */
import { z } from 'zod';
import type { Regime } from '../core/types.ts';
import type { CycleReport } from '../scanner/types.ts';
import type { Store } from '../store/store.ts';
import {
  cycleEntry,
  DiaryCycleEntry,
  type DiaryDayRecord,
  DiaryRegimeEntry,
  DiaryTradeLine,
  regimeEntry,
} from './record.ts';

export type { DiaryDayRecord, DiaryTradeLine } from './record.ts';

/** One list per New York date; entries are `{ t, v }` JSON, `t` naming the schema of `v`. */
export const journalKey = (date: string): string => `hx:journal:${checkDate(date)}`;

const Entry = z.discriminatedUnion('t', [
  z.object({ t: z.literal('regime'), v: DiaryRegimeEntry }),
  z.object({ t: z.literal('cycle'), v: DiaryCycleEntry }),
  z.object({ t: z.literal('tweet'), v: z.string() }),
  z.object({ t: z.literal('trade'), v: DiaryTradeLine }),
]);
type Entry = z.infer<typeof Entry>;

/**
 * Throws RangeError unless `date` is YYYY-MM-DD: it becomes part of a key and a file name, so anything
 * else (a typo, a path) must never get that far.
 */
export function checkDate(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`date must be YYYY-MM-DD (New York), got "${date.slice(0, 40)}"`);
  return date;
}

/** Records the day on a Store and reads it back for the diary. Stateless apart from the store. */
export class DayJournal {
  /** `retentionMs`: a day's journal expires this long after its last entry (kept for good without it). */
  constructor(
    private readonly store: Store,
    private readonly opts: { retentionMs?: number } = {},
  ) {}

  /**
   * The regime at `at` on `date`. Call it at every check: the day keeps the first reading (the open) and
   * each change of state with the reasons given at that moment.
   */
  async recordRegime(date: string, at: Date, regime: Regime): Promise<void> {
    return this.#append(date, { t: 'regime', v: regimeEntry(at, regime) });
  }

  /** A compact summary of one cycle (stats, signals, decisions) that started at `at`. */
  async recordCycle(date: string, at: Date, report: CycleReport): Promise<void> {
    return this.#append(date, { t: 'cycle', v: cycleEntry(at, report) });
  }

  /** A tweet-style line posted today; the same text twice is kept once, at its first place. */
  async recordTweet(date: string, tweet: string): Promise<void> {
    return this.#append(date, { t: 'tweet', v: tweet });
  }

  /**
   * A position event from the paper ledger (opened, closed, expired, stopped), with its P&L. Rejects with a
   * TypeError naming the bad field rather than record a line the diary could not read back.
   */
  async recordTrade(date: string, line: DiaryTradeLine): Promise<void> {
    const parsed = DiaryTradeLine.safeParse(line);
    if (!parsed.success) throw new TypeError(`recordTrade: invalid trade line: ${z.prettifyError(parsed.error)}`);
    return this.#append(date, { t: 'trade', v: parsed.data });
  }

  /** Everything recorded for `date`, de-duplicated; an empty record when nothing was. */
  async day(date: string): Promise<DiaryDayRecord> {
    return collectDay(date, await this.store.listRange(journalKey(date)));
  }

  async #append(date: string, entry: Entry): Promise<void> {
    const key = journalKey(date);
    await this.store.listPush(key, JSON.stringify(entry));
    if (this.opts.retentionMs) await this.store.expire(key, this.opts.retentionMs);
  }
}

/**
 * Raw journal list -> DiaryDayRecord. Regimes collapse to the open plus each change of state; cycles are
 * unique by start time, trades by their whole content, tweets by text. Entries that fail to parse are
 * counted in `unreadable`, never thrown: one bad entry must not cost the whole diary.
 */
export function collectDay(date: string, raw: readonly string[]): DiaryDayRecord {
  const record: DiaryDayRecord = { date, regimes: [], cycles: [], tweets: [], trades: [], unreadable: 0 };
  const seen = new Set<string>();
  const once = (key: string): boolean => (seen.has(key) ? false : (seen.add(key), true));
  for (const line of raw) {
    const entry = parseEntry(line);
    if (!entry) {
      record.unreadable++;
      continue;
    }
    switch (entry.t) {
      case 'regime':
        if (record.regimes.at(-1)?.state !== entry.v.state) record.regimes.push(entry.v);
        break;
      case 'cycle':
        if (once(`cycle:${entry.v.at}`)) record.cycles.push(entry.v);
        break;
      case 'tweet':
        if (once(`tweet:${entry.v}`)) record.tweets.push(entry.v);
        break;
      case 'trade':
        if (once(`trade:${JSON.stringify(entry.v)}`)) record.trades.push(entry.v);
        break;
    }
  }
  return record;
}

function parseEntry(line: string): Entry | null {
  try {
    const parsed = Entry.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : null;
  } catch {
    return null; // not JSON at all
  }
}
