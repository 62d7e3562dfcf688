/**
 * Saving and loading diaries: the Markdown file (written atomically) and the Store copy, the Store read first
 * and the file as the fallback, and composeDiary from a journal plus the figures a ledger would give.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildDiary, type Diary, type DiaryInput } from '../../src/diary/diary.ts';
import {
  composeDiary,
  diaryKey,
  loadDiary,
  NO_FIGURES,
  saveDiary,
  savedDiaryDays,
  type DiaryFigures,
  type DiaryServices,
} from '../../src/diary/store.ts';
import { DayJournal } from '../../src/diary/journal.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import type { Store } from '../../src/store/store.ts';
import * as s from '../notify/samples.ts';

const DATE = '2026-11-20';

function diaryWith(tweets: string[]): Diary {
  const input: DiaryInput = {
    date: DATE, regimes: [], cycles: [], tweets, trades: [], unreadable: 0,
    performance: null, openPositions: [], scorecard: [], modeled: false, source: 'replay', breakoutK: 2,
  };
  return buildDiary(input);
}

/** A store whose every call fails, as Redis does when it is down. */
function downStore(): Store {
  const down = async () => {
    throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
  };
  return Object.assign(Object.create(new MemoryStore()) as Store, { get: down, set: down });
}

describe('saveDiary / loadDiary', () => {
  let dir: string;
  let store: MemoryStore;
  beforeEach(async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'hx-diary-')), 'diary');
    store = new MemoryStore();
  });
  afterEach(async () => rm(join(dir, '..'), { recursive: true, force: true }));

  it('should write diary/<date>.md and the Store copy, creating the folder', async () => {
    const diary = diaryWith(['hello']);
    expect(await saveDiary(dir, store, DATE, diary)).toBe(join(dir, '2026-11-20.md'));
    expect(await readFile(join(dir, '2026-11-20.md'), 'utf8')).toBe(diary.markdown);
    expect(JSON.parse((await store.get(diaryKey(DATE))) ?? 'null')).toEqual(diary);
  });

  it('should list the saved days newest first, from the Store copies and the files, the index bounded by the retention', async () => {
    const elsewhere = join(dir, '..', 'elsewhere');
    await saveDiary(elsewhere, store, '2026-08-01', diaryWith(['store only, past the retention by 2026-11-20']));
    await saveDiary(elsewhere, store, '2026-11-18', diaryWith(['store only']));
    await saveDiary(dir, new MemoryStore(), '2026-11-19', diaryWith(['file only']));
    await saveDiary(dir, store, DATE, diaryWith(['both']), { retentionMs: 90 * 86_400_000 });
    await writeFile(join(dir, 'notes.txt'), 'not a diary');
    expect(await savedDiaryDays(store, dir)).toEqual({
      days: [
        { date: '2026-11-20', inStore: true, inFile: true },
        { date: '2026-11-19', inStore: false, inFile: true },
        { date: '2026-11-18', inStore: true, inFile: false },
      ],
    });
    // A copy that expired is no longer listed, even if its date is still indexed.
    await store.del(diaryKey('2026-11-18'));
    expect((await savedDiaryDays(store, dir)).days.map((d) => d.date)).toEqual(['2026-11-20', '2026-11-19']);
    // No folder yet: no files, no error.
    expect(await savedDiaryDays(new MemoryStore(), join(dir, 'missing'))).toEqual({ days: [] });
  });

  it('should still list the files when the Store is down, saying why the copies are missing', async () => {
    await saveDiary(dir, store, DATE, diaryWith(['both']));
    const down = Object.assign(downStore(), { setMembers: downStore().get });
    expect(await savedDiaryDays(down, dir)).toEqual({
      days: [{ date: DATE, inStore: false, inFile: true }],
      storeError: 'connect ECONNREFUSED 127.0.0.1:6379',
    });
  });

  it('should replace an earlier save whole and leave no temporary file behind', async () => {
    await saveDiary(dir, store, DATE, diaryWith(['draft']));
    const final = diaryWith(['final']);
    await saveDiary(dir, store, DATE, final);
    expect(await readdir(dir)).toEqual(['2026-11-20.md']);
    expect(await readFile(join(dir, '2026-11-20.md'), 'utf8')).toBe(final.markdown);
  });

  it('should load the exact Message from the Store', async () => {
    const diary = diaryWith(['hello']);
    await saveDiary(dir, store, DATE, diary);
    expect(await loadDiary(store, dir, DATE)).toEqual(diary);
  });

  it('should fall back to the file when the Store has no copy, rebuilding the Message text from it', async () => {
    const diary = diaryWith(['hello']);
    await saveDiary(dir, new MemoryStore(), DATE, diary);
    const loaded = await loadDiary(store, dir, DATE);
    expect(loaded?.markdown).toBe(diary.markdown);
    expect(loaded?.message).toEqual({ ...diary.message, tweet: undefined, id: diary.message.id });
  });

  it('should fall back to the file when the Store copy is damaged or the Store is down', async () => {
    const diary = diaryWith(['hello']);
    await saveDiary(dir, store, DATE, diary);
    await store.set(diaryKey(DATE), '{"title":');
    expect((await loadDiary(store, dir, DATE))?.message.description).toBe(diary.message.description);
    expect((await loadDiary(downStore(), dir, DATE))?.message.description).toBe(diary.message.description);
  });

  it('should return null when there is no diary, and throw the Store error rather than claim none when it is down', async () => {
    expect(await loadDiary(store, dir, DATE)).toBeNull();
    await expect(loadDiary(downStore(), dir, DATE)).rejects.toThrow('ECONNREFUSED');
  });

  it('should still write the file when the Store is down, then report the Store error', async () => {
    const diary = diaryWith(['hello']);
    await expect(saveDiary(dir, downStore(), DATE, diary)).rejects.toThrow('ECONNREFUSED');
    expect(await readFile(join(dir, '2026-11-20.md'), 'utf8')).toBe(diary.markdown);
  });

  it('should still write the Store copy when the file cannot be written, then report the file error', async () => {
    await writeFile(join(dir, '..', 'blocker'), 'not a folder');
    const blocked = join(dir, '..', 'blocker');
    await expect(saveDiary(blocked, store, DATE, diaryWith(['x']))).rejects.toThrow(/EEXIST|ENOTDIR/);
    expect(await store.get(diaryKey(DATE))).not.toBeNull();
  });

  it('should refuse a date that is not YYYY-MM-DD, so no path outside the folder is ever built', async () => {
    await expect(saveDiary(dir, store, '../../etc/passwd', diaryWith([]))).rejects.toThrow(RangeError);
    await expect(loadDiary(store, dir, '../x')).rejects.toThrow(RangeError);
  });
});

describe('composeDiary', () => {
  function services(store: Store, figures: DiaryFigures): DiaryServices {
    return { store, journal: new DayJournal(store), diaryDir: 'unused', source: 'yahoo', breakoutK: 2, figures: async () => figures };
  }

  it('should build the diary from the journal, with performance not tracked while there is no ledger', async () => {
    const store = new MemoryStore();
    const svc = services(store, NO_FIGURES);
    await svc.journal.recordCycle(DATE, new Date('2026-11-20T14:45:00Z'), s.report([s.result(s.nflxShortAccepted())], { source: 'replay' }));
    const { message } = await composeDiary(svc, DATE);
    expect(message.description).toContain('NFLX: bought 90x Nov 27 $500 puts at $0.11 ($990)');
    expect(message.description).toContain('Not tracked yet: no paper ledger is attached.');
    expect(message.footer).toContain('Data: replay.'); // the cycle's source wins over the services' default
  });

  it('should say modeled when a recorded cycle used modeled prices', async () => {
    const store = new MemoryStore();
    const svc = services(store, NO_FIGURES);
    await svc.journal.recordCycle(DATE, new Date('2026-11-20T14:45:00Z'), s.report([], { modeled: true }));
    expect((await composeDiary(svc, DATE)).message.footer).toContain('modeled');
  });

  it('should hand the recorded day to the figures source and show what it returns', async () => {
    const store = new MemoryStore();
    let asked: string[] = [];
    const svc: DiaryServices = {
      ...services(store, NO_FIGURES),
      async figures(date, day) {
        asked = [date, ...day.tweets];
        return { ...NO_FIGURES, scorecard: [{ symbol: 'NFLX', side: 'SHORT', priceAtAlert: 100, priceNow: 90 }] };
      },
    };
    await svc.journal.recordTweet(DATE, 'tweet one');
    const { message } = await composeDiary(svc, DATE);
    expect(asked).toEqual([DATE, 'tweet one']);
    expect(message.description).toContain('$NFLX put: -10% since alert ✅');
  });
});
