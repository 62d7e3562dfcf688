import { copyFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUNDLED_BARS_DIR } from '../../src/market/replay.ts';
import { createRuntime } from '../../src/app/runtime.ts';
import { TradingBot } from '../../src/app/bot.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createLogger } from '../../src/core/log.ts';
import { Outbox } from '../../src/notify/outbox.ts';
import { createTelegramSink } from '../../src/notify/sinks/telegram.ts';
import { BotServices } from '../../src/app/services.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import type { Store } from '../../src/store/store.ts';
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

  async function bot(store: Store, env: Record<string, string> = {}) {
    const config = loadConfig({ MARKET_DATA: 'replay', REPLAY_DATE: '2020-03-12', DIGEST_THRESHOLD: '20', ...env });
    const runtime = await createRuntime(config, { store });
    const services = new BotServices(runtime);
    const outbox = new Outbox({
      store,
      sinks: [createTelegramSink({ token: TOKEN, chatIds: [CHAT], apiRoot: recorder.apiRoot })],
      sleep: async () => {},
    });
    const logger = createLogger({ write: (l) => logs.push(l), secrets: [TOKEN] });
    return new TradingBot({ services, outbox, logger, digestThreshold: config.digestThreshold });
  }

  const texts = () => recorder.calls.filter((c) => c.method === 'sendMessage').map((c) => String(c.body.text));

  it('should post the regime once, then one alert per plan, paper-trade footers included', async () => {
    const store = new MemoryStore();
    const b = await bot(store);
    await b.checkRegime();
    await b.checkRegime(); // no change: nothing new
    expect(texts()).toHaveLength(1);
    expect(texts()[0]).toMatch(/^🐻 Regime: BEARISH/);
    const report = await b.runCycle();
    const sent = texts();
    // The regime was announced already; 11 plans follow, strongest |z| first.
    expect(sent).toHaveLength(1 + 11);
    expect(sent.slice(1).every((t) => t.includes('Paper trade, not financial advice.'))).toBe(true);
    expect(sent.some((t) => /GOOG/.test(t) && /1 contract costs \$1,\d{3} > \$1,000 risk cap/.test(t))).toBe(true);
    expect(sent.slice(1).every((t) => /modeled/i.test(t))).toBe(true);
    expect(report.stats.signals).toBe(11);
    expect(logs.join('')).toContain('cycle: 15 scanned, 11 signals, 6 accepted, 5 rejected, 0 errors, 11 alerts');
    expect(logs.join('')).not.toContain('SECRET');
  });

  it('should still announce trades whose positions opened right before a crash', async () => {
    const store = new MemoryStore();
    const crashing = await bot(store);
    // The process dies at the first send: positions are open, no alert went out.
    (crashing as unknown as { opts: { outbox: { post(): never } } }).opts.outbox.post = () => {
      throw new Error('killed');
    };
    await expect(crashing.runCycle()).rejects.toThrow('killed');
    expect(texts()).toHaveLength(0);
    await (await bot(store)).runCycle(); // the restart's first cycle catches up
    const sent = texts();
    expect(sent.filter((t) => /breakdown: buying/.test(t))).toHaveLength(6);
    expect(new Set(sent).size).toBe(sent.length);
  });

  it('should send nothing twice when the cycle runs again after a restart on the same store', async () => {
    const store = new MemoryStore();
    await (await bot(store)).runCycle();
    const first = texts().length;
    expect(first).toBe(12); // regime + 11 trades
    await (await bot(store)).runCycle();
    expect(texts()).toHaveLength(first);
  });

  it('should announce each paper trade and put the skips in one ranked digest when signals exceed the threshold', async () => {
    const b = await bot(new MemoryStore(), { DIGEST_THRESHOLD: '5' });
    await b.runCycle();
    const sent = texts();
    // The regime, the 6 trades opened, one digest of all 11 signals.
    expect(sent).toHaveLength(1 + 6 + 1);
    expect(sent.slice(1, 7).every((t) => /breakdown: buying/.test(t))).toBe(true);
    expect(sent[7]).toMatch(/11 signals/);
  });

  it('should not announce a regime decided without VIX data, nor keep it for hysteresis', async () => {
    const store = new MemoryStore();
    const b = await bot(store, { REPLAY_DATA_DIR: noVixDir() });
    await b.checkRegime();
    const report = await b.runCycle();
    expect(report.regime).toMatchObject({ state: 'NEUTRAL', degraded: true });
    expect(texts().some((t) => /^\S+ Regime: /.test(t))).toBe(false);
    expect(await store.get('hx:regime:state')).toBeNull();
    expect(await store.get('hx:regime:announced')).toBeNull();
  });

  it('should still post the diary when it cannot be saved to DIARY_DIR', async () => {
    const b = await bot(new MemoryStore(), { DIARY_DIR: '/dev/null/diary' });
    await b.endOfDay();
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
