/**
 * @module Where diaries live: `<diaryDir>/YYYY-MM-DD.md` for people (written atomically: temp file, fsync,
 * rename, so a reader or a crash never sees half a file) and `hx:diary:<date>` in the Store for the bot
 * (with the Message, so `/diary 2026-11-20` replies exactly what was posted), its date in the `hx:diary:days`
 * set so the archive can be listed. Also the DiaryServices a caller needs to compose a diary from the journal
 * and the ledger.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../core/atomic-file.ts';
import type { Store } from '../store/store.ts';
import { alertId } from '../notify/alert-id.ts';
import { buildDiary, type Diary, type DiaryDayRecord, type DiaryInput } from './diary.ts';
import { markdownToPlain } from './doc.ts';
import { checkDate, type DayJournal } from './journal.ts';
import type { Message } from '../notify/message.ts';

/** The end-of-day numbers a diary needs beyond the journal. */
export type DiaryFigures = Pick<DiaryInput, 'performance' | 'openPositions' | 'scorecard'>;

/** The figures of a bot without a paper ledger or quotes: the diary says performance is not tracked. */
export const NO_FIGURES: DiaryFigures = { performance: null, openPositions: [], scorecard: [] };

/**
 * Everything composing, saving and loading a diary needs. app/services.ts provides one; tests pass their own.
 */
export interface DiaryServices {
  readonly store: Store;
  readonly journal: DayJournal;
  /** Folder of the Markdown diaries (DIARY_DIR, default "diary"). */
  readonly diaryDir: string;
  /** Price source named in the diary when no cycle recorded one, e.g. "yahoo". */
  readonly source: string;
  /** BREAKOUT_K, the breakout threshold in standard deviations. */
  readonly breakoutK: number;
  /**
   * Ledger numbers, open positions and scorecard prices for `date` (see diaryAlerts for what to price).
   * Return NO_FIGURES (performance null) while no ledger is attached.
   */
  figures(date: string, day: DiaryDayRecord): Promise<DiaryFigures>;
}

/** Store key of one day's saved diary. */
export const diaryKey = (date: string): string => `hx:diary:${checkDate(date)}`;

/**
 * The dates whose diary the Store holds: the Store has no key listing, so saveDiary keeps this set beside the
 * copies (dates past the retention are dropped as new days are added).
 */
const DIARY_DAYS_KEY = 'hx:diary:days';

/** Path of one day's Markdown file under `dir`. */
export const diaryPath = (dir: string, date: string): string => join(dir, `${checkDate(date)}.md`);

/** The diary for `date` from what the journal holds now plus the services' figures. */
export async function composeDiary(services: DiaryServices, date: string): Promise<Diary> {
  const day = await services.journal.day(date);
  const figures = await services.figures(date, day);
  return buildDiary({
    ...day,
    ...figures,
    modeled: day.cycles.some((c) => c.modeled) || figures.openPositions.some((p) => p.modeled === true),
    source: day.cycles.at(-1)?.source ?? services.source,
    breakoutK: services.breakoutK,
  });
}

/**
 * Save `diary` for `date` to `<dir>/<date>.md` and the Store. Both are attempted even when one fails (a
 * Redis outage must not cost the file, nor a full disk the Store copy); the first failure is then thrown.
 * Returns the file's path.
 */
export async function saveDiary(dir: string, store: Store, date: string, diary: Diary, opts: { retentionMs?: number } = {}): Promise<string> {
  const path = diaryPath(dir, date);
  const results = await Promise.allSettled([
    // Synchronous (write, fsync, rename): a diary is a few kilobytes, and durable once this resolves.
    Promise.resolve().then(() => writeFileAtomic(path, diary.markdown, { mode: 0o644 })),
    // The file is the archive; the store's copy (the exact Message) may expire with the retention.
    store.set(diaryKey(date), JSON.stringify(diary), opts.retentionMs).then(() => indexDay(store, date, opts.retentionMs)),
  ]);
  for (const r of results) if (r.status === 'rejected') throw r.reason;
  return path;
}

async function indexDay(store: Store, date: string, retentionMs: number | undefined): Promise<void> {
  await store.setAdd(DIARY_DAYS_KEY, date);
  if (retentionMs === undefined) return;
  const cutoff = new Date(Date.parse(`${date}T00:00:00Z`) - retentionMs).toISOString().slice(0, 10);
  for (const day of await store.setMembers(DIARY_DAYS_KEY)) if (day < cutoff) await store.setRemove(DIARY_DAYS_KEY, day);
}

/** One saved day of the archive: where its diary is kept. */
export type SavedDiaryDay = { date: string; inStore: boolean; inFile: boolean };

/**
 * Every saved diary, newest first: the Store's copies and the Markdown files in `dir`. When the Store cannot
 * be read the files are still listed, and `storeError` says why the copies are missing.
 */
export async function savedDiaryDays(store: Store, dir: string): Promise<{ days: SavedDiaryDay[]; storeError?: string }> {
  let storeError: string | undefined;
  const stored = await store
    .setMembers(DIARY_DAYS_KEY)
    .then(async (dates) => {
      // A copy may have expired since its date was indexed: list only the ones still there.
      const values = await Promise.all(dates.map((d) => store.get(diaryKey(d))));
      return dates.filter((d, i) => values[i] !== null);
    })
    .catch((err: unknown) => {
      storeError = err instanceof Error ? err.message : String(err);
      return [] as string[];
    });
  const files = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [] as string[];
    throw err;
  });
  const fileDates = new Set(files.flatMap((name) => (/^\d{4}-\d{2}-\d{2}\.md$/.test(name) ? [name.slice(0, 10)] : [])));
  const storeDates = new Set(stored.filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)));
  const days = [...new Set([...storeDates, ...fileDates])]
    .sort()
    .reverse()
    .map((date) => ({ date, inStore: storeDates.has(date), inFile: fileDates.has(date) }));
  return storeError === undefined ? { days } : { days, storeError };
}

const StoredMessage = z.object({
  kind: z.literal('diary'),
  id: z.string().optional(),
  tweet: z.string().optional(),
  title: z.string(),
  description: z.string().optional(),
  fields: z.array(z.object({ name: z.string(), value: z.string(), inline: z.boolean().optional() })),
  tone: z.enum(['bullish', 'bearish', 'neutral', 'info', 'warning']),
  footer: z.string().optional(),
});
const StoredDiary = z.object({ title: z.string(), markdown: z.string(), message: StoredMessage });

/** A diary from its Markdown file alone: the Message is rebuilt from the text (it has no tweet line). */
export function diaryFromMarkdown(date: string, markdown: string): Diary | null {
  const plain = markdownToPlain(markdown);
  if (!plain) return null;
  const message: Message = {
    kind: 'diary',
    id: alertId({ kind: 'diary', asOf: new Date(`${date}T00:00:00Z`) }),
    title: `📓 ${plain.title}`,
    description: plain.description,
    fields: [],
    tone: 'info',
    footer: plain.footer,
  };
  return { title: plain.title, markdown, message };
}

/** A stored diary, or null when the value is not one (damaged, or from an incompatible version). */
function parseStored(raw: string): Diary | null {
  try {
    const parsed = StoredDiary.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null; // not JSON
  }
}

async function readFileOrNull(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/**
 * The saved diary for `date`, or null when there is none. The Store copy is preferred (it keeps the exact
 * Message); the file is the fallback, also when the Store is unreachable or its copy is damaged. If the
 * Store failed and there is no file either, the Store's error is thrown rather than claiming there is none.
 */
export async function loadDiary(store: Store, dir: string, date: string): Promise<Diary | null> {
  let storeError: unknown = null;
  const raw = await store.get(diaryKey(date)).catch((err: unknown) => {
    storeError = err;
    return null;
  });
  const stored = raw === null ? null : parseStored(raw);
  if (stored) return stored;
  const markdown = await readFileOrNull(diaryPath(dir, date));
  const fromFile = markdown === null ? null : diaryFromMarkdown(date, markdown);
  if (fromFile) return fromFile;
  if (storeError !== null) throw storeError;
  return null;
}
