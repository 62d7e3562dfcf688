/**
 * A year of running, replayed: every trading day of 2019 gets the premarket check, one cycle and the close
 * (diary, pruning) on a fake clock, against an in-process store whose expiry follows that clock. The number
 * of keys must level off once the retention window is full, instead of growing with every day run.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addNyDays, lastClosedSession, sessionFor } from '../../src/analysis/calendar.ts';
import { composeBot } from '../../src/app/bot.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createLogger } from '../../src/core/log.ts';
import type { Message } from '../../src/notify/message.ts';
import type { Sink } from '../../src/notify/sinks/sink.ts';
import { MemoryStore } from '../../src/store/memory.ts';

/** A chat that accepts everything at once, counting what it got. */
function countingSink(): Sink & { sent: number } {
  return {
    name: 'test',
    sent: 0,
    destinations: () => ['test:1'],
    partCount: () => 1,
    async sendPart(_destination: string, _msg: Message) {
      this.sent += 1;
      return { messageId: String(this.sent) };
    },
  };
}

/** 00:00 UTC of the last closed session's date: what a replay at `now` may know. */
const lastClosedSessionTime = (now: Date) => new Date(`${lastClosedSession(now)}T00:00:00Z`);

describe('state over a year of running', () => {
  it('should level off: journals, diaries, events and keys older than the retention are dropped', async () => {
    let nowMs = 0;
    const now = () => new Date(nowMs);
    const store = new MemoryStore({ now: () => nowMs });
    const sink = countingSink();
    const config = loadConfig({
      MARKET_DATA: 'replay',
      UNIVERSE: 'SPY,QQQ,IWM,AAPL,TSLA,BAC',
      RETENTION_DAYS: '30',
      DIARY_DIR: mkdtempSync(join(tmpdir(), 'hx-retention-')),
    });
    const bot = await composeBot(config, { store, now, asOf: () => lastClosedSessionTime(now()), sinks: [sink], logger: createLogger({ write: () => {} }) });
    const keysByMonth = new Map<string, number>();
    for (let day = '2019-01-02'; day <= '2019-12-31'; day = addNyDays(day, 1)) {
      const session = sessionFor(day);
      if (!session) continue;
      nowMs = session.open.getTime() - 30 * 60_000;
      await bot.jobs.premarket();
      nowMs = session.open.getTime() + 15 * 60_000;
      await bot.jobs.intraday();
      nowMs = session.close.getTime() + 15 * 60_000;
      await bot.jobs.close();
      keysByMonth.set(day.slice(0, 7), await store.keyCount());
    }

    const counts = [...keysByMonth.values()];
    const average = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(sink.sent).toBeGreaterThan(250); // a diary a day, plus the trades: the year really ran
    expect((await bot.services.ledger.closedPositions()).length).toBeGreaterThan(50);
    // Kept forever, a journal and a diary a day alone would pass 500 keys; with a 30-day window the count
    // moves with the month's trading (alerts' reply keys live 30 days) but does not grow.
    expect(Math.max(...counts)).toBeLessThan(200);
    expect(average(counts.slice(9, 12))).toBeLessThan(1.25 * average(counts.slice(3, 6)));
    // Ledger events older than the window are gone; positions and the equity history stay whole.
    const events = await bot.services.ledger.events();
    expect(events.every((e) => e.at >= '2019-11-01')).toBe(true);
    expect((await bot.services.ledger.equityHistory()).length).toBe(252);
    await bot.close();
  }, 60_000);
});
