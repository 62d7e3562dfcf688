/**
 * `/diary [date]` dispatched in process: a saved diary exactly as posted, today's diary so far from the
 * journal, a plain "No diary for …" otherwise, and clear errors for dates that are not YYYY-MM-DD.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandServices } from '../../commands/context.ts';
import { diary } from '../../commands/diary.ts';
import { Dispatcher } from '../../commands/dispatch.ts';
import { buildDiary } from '../../src/diary/diary.ts';
import { composeDiary, loadDiary, NO_FIGURES, saveDiary, type DiaryServices } from '../../src/diary/store.ts';
import { DayJournal } from '../../src/diary/journal.ts';
import type { Message } from '../../src/notify/message.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import * as s from '../notify/samples.ts';
import { createHarness, type Harness } from './harness.ts';

const NOW = new Date('2026-11-20T20:00:00Z'); // 15:00 in New York on Friday 2026-11-20
const TODAY = '2026-11-20';

describe('/diary', () => {
  let h: Harness;
  let dir: string;
  let svc: DiaryServices;
  let dispatcher: Dispatcher;
  const send = (line: string): Promise<Message> =>
    dispatcher.dispatch({ platform: 'telegram', chat: 'telegram:100', user: 'telegram:2', command: 'diary', input: line.split(' ').slice(1) });

  beforeEach(async () => {
    h = await createHarness({ now: () => NOW });
    dir = await mkdtemp(join(tmpdir(), 'hx-diary-cmd-'));
    const store = new MemoryStore();
    svc = { store, journal: new DayJournal(store), diaryDir: dir, source: 'yahoo', breakoutK: 2, figures: async () => NO_FIGURES };
    // The bot's services, with the diary read from this test's own store and folder (no ledger: no figures).
    const services: CommandServices = Object.assign(Object.create(h.services) as CommandServices, {
      savedDiary: async (date: string) => (await loadDiary(svc.store, svc.diaryDir, date))?.message ?? null,
      diarySoFar: async (date: string) => (await composeDiary(svc, date)).message,
    });
    dispatcher = new Dispatcher({
      commands: [diary],
      services,
      adminIds: [],
      now: () => NOW,
      newRef: () => '7f3a',
      logger: { info: () => {}, warn: () => {}, error: (m) => h.logs.push(`error ${m}`) },
    });
  });
  afterEach(async () => {
    await h.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('should return a saved diary exactly as it was posted', async () => {
    const saved = buildDiary({
      ...(await svc.journal.day('2026-11-19')), date: '2026-11-19', tweets: ['posted'],
      performance: null, openPositions: [], scorecard: [], modeled: false, source: 'yahoo', breakoutK: 2,
    });
    await saveDiary(dir, svc.store, '2026-11-19', saved);
    expect(await send('/diary 2026-11-19')).toEqual(saved.message);
  });

  it("should build today's diary so far from the journal when none is saved yet", async () => {
    await svc.journal.recordRegime(TODAY, new Date('2026-11-20T14:00:00Z'), s.regime('BEARISH'));
    await svc.journal.recordCycle(TODAY, new Date('2026-11-20T14:45:00Z'), s.report([s.result(s.mstrShortRejected())]));
    const msg = await send('/diary');
    expect(msg.kind).toBe('diary');
    expect(msg.title).toBe('📓 Trading Diary - November 20, 2026 (so far)');
    expect(msg.id).toBeUndefined(); // so the outbox still posts the real end-of-day diary
    expect(msg.description).toContain('Regime at open (09:00 ET): BEARISH 🐻, no change during the day.');
    expect(msg.description).toContain('09:45 MSTR put skipped: 1 contract costs $1,240 > $1,000 risk cap. Discipline > Action.');
    expect(msg.description).toContain('Not tracked yet: no paper ledger is attached.');
    expect(await send(`/diary ${TODAY}`)).toEqual(msg);
  });

  it("should prefer today's saved end-of-day diary over the journal", async () => {
    const final = buildDiary({
      ...(await svc.journal.day(TODAY)), tweets: ['final'],
      performance: null, openPositions: [], scorecard: [], modeled: false, source: 'yahoo', breakoutK: 2,
    });
    await saveDiary(dir, svc.store, TODAY, final);
    expect(await send('/diary')).toEqual(final.message);
  });

  it('should say plainly that there is no diary for a day without one', async () => {
    expect(await send('/diary 2026-11-19')).toMatchObject({ kind: 'reply', title: 'No diary for 2026-11-19.' });
  });

  it.each([
    ['yesterday', 'date: "yesterday" is not a date; use YYYY-MM-DD, e.g. /diary 2026-11-20'],
    ['2026-13-45', 'date: 2026-13-45 is not a calendar date; use YYYY-MM-DD, e.g. /diary 2026-11-20'],
    ['2026-02-29', 'date: 2026-02-29 is not a calendar date; use YYYY-MM-DD, e.g. /diary 2026-11-20'],
  ])('should refuse %s with a clear error', async (input, title) => {
    expect(await send(`/diary ${input}`)).toMatchObject({ kind: 'error', title });
  });

  it('should read the journal on the runtime store when dispatched through the registered command list', async () => {
    await new DayJournal(h.runtime.store).recordTweet(TODAY, '📉 recorded by the cycle job');
    const msg = await h.send('/diary');
    expect(msg.title).toBe('📓 Trading Diary - November 20, 2026 (so far)');
    expect(msg.description).toContain('1. 📉 recorded by the cycle job');
  });
});
