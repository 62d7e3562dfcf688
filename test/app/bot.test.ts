import { copyFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUNDLED_BARS_DIR } from '../../src/market/replay.ts';
import { composeBot, type Bot } from '../../src/app/bot.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createLogger } from '../../src/core/log.ts';
import { createTelegramSink } from '../../src/notify/sinks/telegram.ts';
import { journalKey } from '../../src/diary/journal.ts';
import { exitAlert } from '../../src/notify/exit-alert.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import type { ExitEvent } from '../../src/trading/ledger/types.ts';
import type { Store } from '../../src/store/store.ts';
import { decodePng } from '../support/png.ts';
import { startTelegramRecorder, type TelegramRecorder } from '../support/telegram-recorder.ts';

const TOKEN = '123456:SECRET-token_value_abcdefghij';
const CHAT = '-1001234567890';

describe('the trading bot end to end on the recorded demo day', () => {
  let recorder: TelegramRecorder;
  let logs: string[];
  beforeEach(async () => {
    recorder = await startTelegramRecorder();
    logs = [];
  });
  afterEach(async () => {
    await recorder.close();
  });

  async function bot(store: Store, env: Record<string, string> = {}): Promise<Bot['jobs'] & { parts: Bot }> {
    // MAX_NEW_POSITIONS 20: the open-risk limit alone decides how many of the 11 signals one cycle trades.
    const config = loadConfig({ MARKET_DATA: 'replay', REPLAY_DATE: '2020-03-12', DIGEST_THRESHOLD: '20', MAX_NEW_POSITIONS: '20', ...env });
    const parts = await composeBot(config, {
      store,
      sinks: [createTelegramSink({ token: TOKEN, chatIds: [CHAT], apiRoot: recorder.apiRoot })],
      outbox: { sleep: async () => {} },
      logger: createLogger({ write: (l) => logs.push(l), secrets: [TOKEN] }),
    });
    return { ...parts.jobs, parts };
  }

  // Trade alerts and the diary carry a chart: a photo whose caption is the message when it fits.
  const texts = () =>
    recorder.calls.filter((c) => c.method === 'sendMessage' || c.method === 'sendPhoto').map((c) => String(c.body.text ?? c.body.caption));

  it('should post the regime once, then one alert per plan, paper-trade footers included', async () => {
    const store = new MemoryStore();
    const b = await bot(store);
    await b.premarket();
    await b.premarket(); // no change: nothing new
    expect(texts()).toHaveLength(1);
    expect(texts()[0]).toMatch(/^🐻 Regime: BEARISH/);
    const report = await b.intraday();
    const sent = texts();
    // The regime was announced already; 11 plans follow, strongest |z| first.
    expect(sent).toHaveLength(1 + 11);
    expect(sent.slice(1).every((t) => t.includes('Paper trade, not financial advice.'))).toBe(true);
    expect(sent.some((t) => /GOOG/.test(t) && /1 contract costs \$2,\d{3} \+ \$1\.00 fee > \$1,000 risk cap/.test(t))).toBe(true);
    expect(sent.slice(1).every((t) => /modeled/i.test(t))).toBe(true);
    expect(report.stats.signals).toBe(11);
    expect(logs.join('')).toContain('cycle: 15 scanned, 11 signals, 6 accepted, 5 rejected, 0 errors, 11 alerts');
    expect(logs.join('')).not.toContain('SECRET');
  });

  it('should send each paper trade as a photo of its chart captioned with the alert, and the skips as text', async () => {
    const b = await bot(new MemoryStore());
    await b.intraday();
    const photos = recorder.calls.filter((c) => c.method === 'sendPhoto');
    expect(photos).toHaveLength(6);
    // Each with a Close button for the position it opened (pressing it is /close <id>, admins only).
    const ids = (await b.parts.services.ledger.openPositions()).map((p) => p.id).sort();
    const buttons = photos.map((p) => (p.body.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard.flat());
    expect(buttons.map((row) => row.map((button) => button.text))).toEqual(Array(6).fill(['Close']));
    expect(buttons.map((row) => row[0]!.callback_data.replace('hx|r|close|', '')).sort()).toEqual(ids);
    for (const photo of photos) {
      expect(String(photo.body.caption)).toMatch(/breakdown: buying/);
      expect(photo.files).toHaveLength(1);
      const png = decodePng(photo.files[0]!.data);
      expect([png.width, png.height, png.inkShare > 0.03]).toEqual([1200, 675, true]);
    }
    const skips = recorder.calls.filter((c) => c.method === 'sendMessage' && /skipped/.test(String(c.body.text)));
    expect(skips).toHaveLength(5);
    await b.close(); // the close job: the diary goes out with the equity chart
    const diary = recorder.calls.filter((c) => c.method === 'sendPhoto').slice(6);
    expect(diary).toHaveLength(1);
    expect(diary[0]!.files[0]!.name).toBe('equity.png');
  });

  it('should still announce trades whose positions opened right before a crash', async () => {
    const store = new MemoryStore();
    const crashing = await bot(store);
    // The process dies at the first send: positions are open, no alert went out.
    crashing.parts.outbox.post = () => {
      throw new Error('killed');
    };
    await expect(crashing.intraday()).rejects.toThrow('killed');
    expect(texts()).toHaveLength(0);
    await (await bot(store)).intraday(); // the restart's first cycle catches up
    const sent = texts();
    expect(sent.filter((t) => /breakdown: buying/.test(t))).toHaveLength(6);
    expect(new Set(sent).size).toBe(sent.length);
  });

  it('should journal and post each ledger event exactly once: one path, the event cursor', async () => {
    const store = new MemoryStore();
    const now = () => new Date('2020-03-12T21:00:00Z'); // 17:00 New York: the replayed session has closed
    const config = loadConfig({ MARKET_DATA: 'replay', REPLAY_DATE: '2020-03-12', DIGEST_THRESHOLD: '20', MAX_NEW_POSITIONS: '20' });
    const parts = await composeBot(config, {
      store,
      now,
      sinks: [createTelegramSink({ token: TOKEN, chatIds: [CHAT], apiRoot: recorder.apiRoot })],
      outbox: { sleep: async () => {} },
      logger: createLogger({ write: () => {} }),
    });
    const posted: string[] = [];
    const post = parts.outbox.post.bind(parts.outbox);
    parts.outbox.post = (message, opts) => {
      posted.push(message.id ?? '(no id)');
      return post(message, opts);
    };
    await parts.jobs.intraday();
    const opened = await parts.services.ledger.events();
    expect(opened.map((e) => e.type)).toEqual(Array(6).fill('position.opened'));
    const exit = await parts.services.closePosition(opened[0]!.position.id, now()); // an admin's /close
    expect('type' in exit && exit.type).toBe('position.closed');
    await parts.jobs.intraday(); // a second cycle: the budget the /close freed goes to the next signal
    await parts.jobs.close();

    const events = await parts.services.ledger.events();
    expect(events.map((e) => e.type)).toEqual([...Array(6).fill('position.opened'), 'position.closed', 'position.opened']);
    const journaled = (await store.listRange(journalKey('2020-03-12'))).filter((line) => JSON.parse(line).t === 'trade');
    expect(journaled).toHaveLength(events.length); // written once each, not de-duplicated on read
    const times = (id: string) => posted.filter((p) => p === id).length;
    for (const e of events.filter((x) => x.type === 'position.opened')) expect(times(e.alertId)).toBe(1); // by the cycle, not again by the catch-up
    expect(times(exitAlert(exit as ExitEvent).id!)).toBe(1);
    const exitTitle = exitAlert(exit as ExitEvent).title;
    expect(texts().filter((t) => t.startsWith(exitTitle))).toHaveLength(1);
  });

  it('should open nothing while new entries are paused, still reporting the signals, and trade again after /resume', async () => {
    const b = await bot(new MemoryStore());
    await b.parts.services.setPaused({ by: 'telegram:1', at: '2020-03-12T15:00:00.000Z' });
    const report = await b.intraday();
    expect(report.stats).toMatchObject({ signals: 11, accepted: 0, rejected: 11 });
    expect(await b.parts.services.ledger.openPositions()).toEqual([]);
    expect(texts().filter((t) => /new entries paused by an admin/.test(t))).toHaveLength(6);
    await b.parts.services.setPaused(null);
    await b.intraday();
    expect(await b.parts.services.ledger.openPositions()).toHaveLength(6);
    expect(texts().filter((t) => /breakdown: buying/.test(t))).toHaveLength(6);
  });

  it('should send nothing twice when the cycle runs again after a restart on the same store', async () => {
    const store = new MemoryStore();
    await (await bot(store)).intraday();
    const first = texts().length;
    expect(first).toBe(12); // regime + 11 trades
    await (await bot(store)).intraday();
    expect(texts()).toHaveLength(first);
  });

  it('should announce each paper trade and put the skips in one ranked digest when signals exceed the threshold', async () => {
    const b = await bot(new MemoryStore(), { DIGEST_THRESHOLD: '5' });
    await b.intraday();
    const sent = texts();
    // The regime, the 6 trades opened, one digest of all 11 signals.
    expect(sent).toHaveLength(1 + 6 + 1);
    expect(sent.slice(1, 7).every((t) => /breakdown: buying/.test(t))).toBe(true);
    expect(sent[7]).toMatch(/11 signals/);
  });

  it('should not announce a regime decided without VIX data, nor keep it for hysteresis', async () => {
    const store = new MemoryStore();
    const b = await bot(store, { REPLAY_DATA_DIR: noVixDir() });
    await b.premarket();
    const report = await b.intraday();
    expect(report.regime).toMatchObject({ state: 'NEUTRAL', degraded: true });
    expect(texts().some((t) => /^\S+ Regime: /.test(t))).toBe(false);
    expect(await store.get('hx:regime:state')).toBeNull();
    expect(await store.get('hx:regime:announced')).toBeNull();
  });

  it('should still post the diary when it cannot be saved to DIARY_DIR', async () => {
    const b = await bot(new MemoryStore(), { DIARY_DIR: '/dev/null/diary' });
    await b.close();
    expect(texts().some((t) => /^📓|Trading Diary/.test(t))).toBe(true);
    expect(logs.join('')).toContain('not saved');
  });
});

/** A copy of the bundled bars without VIX.csv. */
function noVixDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hx-novix-'));
  for (const f of readdirSync(BUNDLED_BARS_DIR)) if (f !== 'VIX.csv' && f.endsWith('.csv')) copyFileSync(join(BUNDLED_BARS_DIR, f), join(dir, f));
  return dir;
}
