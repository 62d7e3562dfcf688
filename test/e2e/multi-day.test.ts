/**
 * Nine trading days replayed end to end (2018-12-03 .. 2018-12-14, with the 2018-12-05 closure for
 * President Bush's funeral): the real scheduler gate, the bot, the paper ledger, the diary and real telegraf
 * posting to a local Telegram recorder, driven by a fake clock tick by tick. Replay decides on the last
 * session that has closed at the clock's time, so an intraday cycle never sees the day's own bar.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeBot } from '../../src/app/bot.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createLogger } from '../../src/core/log.ts';
import { createTelegramSink } from '../../src/notify/sinks/telegram.ts';
import { addNyDays, lastClosedSession, nyDate, sessionFor } from '../../src/analysis/calendar.ts';
import { CronSchedule } from '../../src/schedule/cron.ts';
import { JOB_NAMES, type JobName } from '../../src/config/defaults.ts';
import type { TickOutcome } from '../../src/schedule/jobs.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { startTelegramRecorder, type TelegramRecorder } from '../support/telegram-recorder.ts';

const TOKEN = '123456:SECRET-token_value_abcdefghij';
const CHAT = '-1001234567890';
const FIRST_DAY = '2018-12-03';
const LAST_DAY = '2018-12-14';
const SCHEDULES = { premarket: ['0 9 * * 1-5'], intraday: ['45 9 * * 1-5', '45 12 * * 1-5'], close: ['15 13 * * 1-5', '15 16 * * 1-5'] };

/** 00:00 UTC of the last closed session's date: what a replay at `now` may know. */
const lastClosedSessionTime = (now: Date) => new Date(`${lastClosedSession(now)}T00:00:00Z`);

/** Every scheduled tick of the window in time order, from the same cron expressions the scheduler uses. */
function ticks(): { job: JobName; at: Date }[] {
  const schedules = JOB_NAMES.map((job) => ({ job, cron: new CronSchedule(SCHEDULES[job]) }));
  const out: { job: JobName; at: Date }[] = [];
  for (let day = FIRST_DAY; day <= LAST_DAY; day = addNyDays(day, 1)) {
    for (const { job, cron } of schedules) for (const at of cron.firesOn(day)) out.push({ job, at });
  }
  return out.sort((a, b) => a.at.getTime() - b.at.getTime());
}

type RunResult = { outcomes: string[]; sent: string[]; diaries: Map<string, string>; positions: string[]; equity: string[] };

/**
 * Run the window. `restartBefore` lists tick indexes before which the whole process is thrown away and
 * started again on the same store (a restart); everything in memory is lost, only the Store survives.
 */
async function runWindow(recorder: TelegramRecorder, restartBefore: number[] = []): Promise<RunResult> {
  const store = new MemoryStore();
  const diaryDir = mkdtempSync(join(tmpdir(), 'hx-diary-'));
  let nowMs = 0;
  const now = () => new Date(nowMs);
  const config = loadConfig({
    MARKET_DATA: 'replay',
    DIARY_DIR: diaryDir,
    DIGEST_THRESHOLD: '20',
    // No take-profit: the winners run to expiry, so settlement is part of the run too.
    TAKE_PROFIT_PCT: 'off',
    SCHEDULE_PREMARKET: SCHEDULES.premarket.join(';'),
    SCHEDULE_INTRADAY: SCHEDULES.intraday.join(';'),
    SCHEDULE_CLOSE: SCHEDULES.close.join(';'),
  });
  const start = () =>
    composeBot(config, {
      store,
      now,
      asOf: () => lastClosedSessionTime(now()),
      sinks: [createTelegramSink({ token: TOKEN, chatIds: [CHAT], apiRoot: recorder.apiRoot })],
      outbox: {
        now: () => nowMs,
        sleep: async (ms) => {
          nowMs += ms;
        },
      },
      logger: createLogger({ write: () => {}, now }),
      instanceId: 'e2e',
    });

  const sentBefore = recorder.calls.length;
  let proc = await start();
  const outcomes: string[] = [];
  const all = ticks();
  for (const [i, { job, at }] of all.entries()) {
    if (restartBefore.includes(i)) proc = await start();
    nowMs = at.getTime();
    const outcome: TickOutcome = await proc.scheduler.tick(job, at);
    outcomes.push(`${nyDate(at)} ${at.toISOString().slice(11, 16)} ${job}: ${outcome}`);
  }
  const diaries = new Map<string, string>();
  for (let day = FIRST_DAY; day <= LAST_DAY; day = addNyDays(day, 1)) {
    if (sessionFor(day)) diaries.set(day, readFileSync(join(diaryDir, `${day}.md`), 'utf8'));
  }
  const ledger = proc.services.ledger;
  const positions = [...(await ledger.closedPositions()), ...(await ledger.openPositions())].map(
    (p) => `#${p.id} ${p.underlying} ${p.right} ${p.strike} ${p.expiryDate} x${p.contracts} ${p.status}${p.exit ? ` ${p.exit.reason} pnl ${p.exit.pnlUsd.toFixed(2)}` : ''}`,
  );
  const equity = (await ledger.equityHistory()).map((p) => `${p.date} ${p.equityUsd.toFixed(2)}`);
  const sent = recorder.calls.slice(sentBefore).filter((c) => c.method === 'sendMessage').map((c) => String(c.body.text));
  return { outcomes, sent, diaries, positions, equity };
}

describe('a replayed two-week run through scheduler, ledger and diary', () => {
  let recorder: TelegramRecorder;
  let straight: RunResult;
  beforeAll(async () => {
    recorder = await startTelegramRecorder();
    straight = await runWindow(recorder);
  }, 120_000);
  afterAll(async () => {
    await recorder.close();
  });

  it('should fire every job on trading days and none on the 2018-12-05 closure or the weekend', () => {
    const closed = straight.outcomes.filter((o) => o.startsWith('2018-12-05'));
    expect(closed).toEqual([
      '2018-12-05 14:00 premarket: market-closed',
      '2018-12-05 14:45 intraday: market-closed',
      '2018-12-05 17:45 intraday: market-closed',
      '2018-12-05 18:15 close: market-closed',
      '2018-12-05 21:15 close: market-closed',
    ]);
    expect(straight.outcomes.filter((o) => /2018-12-0[89]/.test(o))).toEqual([]); // cron's 1-5: no weekend ticks
    const ran = straight.outcomes.filter((o) => o.endsWith(': ran'));
    // 9 sessions x (premarket + 2 cycles + the close at 16:15); the 13:15 close tick is gated off on full days.
    expect(ran).toHaveLength(9 * 4);
    expect(straight.outcomes.filter((o) => o.endsWith('failed'))).toEqual([]);
  });

  it('should open, mark and settle positions, with the equity curve one point per session', () => {
    expect(straight.positions).toMatchSnapshot();
    expect(straight.positions.some((p) => / expired /.test(p))).toBe(true);
    expect(straight.equity).toHaveLength(9);
    expect(straight.equity).toMatchSnapshot();
  });

  it('should write the diary of each session as recorded', async () => {
    for (const [day, markdown] of straight.diaries) {
      await expect(markdown).toMatchFileSnapshot(`golden/diary-${day}.md`);
    }
  });

  it('should change nothing when the process is restarted mid-day and between days', async () => {
    const all = ticks();
    const midDay = all.findIndex((t) => nyDate(t.at) === '2018-12-06' && t.job === 'intraday');
    const nextMorning = all.findIndex((t) => nyDate(t.at) === '2018-12-11');
    const restarted = await runWindow(recorder, [midDay + 1, nextMorning]);
    expect(restarted.positions).toEqual(straight.positions);
    expect(restarted.equity).toEqual(straight.equity);
    expect(restarted.sent).toEqual(straight.sent);
    expect([...restarted.diaries.values()]).toEqual([...straight.diaries.values()]);
  }, 120_000);
});
