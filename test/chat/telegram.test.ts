import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { createRuntime, type Runtime } from '../../src/app/runtime.ts';
import { startTelegramBot, type TelegramBot } from '../../src/chat/telegram.ts';
import { loadConfig } from '../../src/config/config.ts';
import { BotServices } from '../../src/app/services.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { TelegramServer } from '../support/telegram-server.ts';
import { commandUpdate, floodWait, startTelegramRecorder } from '../support/telegram-recorder.ts';

const TOKEN = '123456:TEST-TOKEN';

/** telegram-test-api turns port 0 into 9000, so ask the OS for a free port first. */
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });

type BotMessage = { text: string; entities?: { type: string; offset: number; length: number }[] };

// One bot for the whole file: the fake's getUpdates ignores `timeout`, so telegraf polls in a busy loop;
// keep the time it runs short.
describe('Telegram commands through real telegraf against telegram-test-api', () => {
  let server: TelegramServer;
  let runtime: Runtime;
  let bot: TelegramBot;
  const logs: string[] = [];

  beforeAll(async () => {
    server = new TelegramServer({ port: await freePort(), host: '127.0.0.1' });
    await server.start();
    runtime = await createRuntime(loadConfig({ MARKET_DATA: 'replay', REPLAY_DATE: '2020-03-12' }), { store: new MemoryStore() });
    bot = await startTelegramBot({
      token: TOKEN, apiRoot: server.config.apiURL, services: new BotServices(runtime), adminIds: [], commands,
      logger: { info: (m) => logs.push(`info ${m}`), warn: (m) => logs.push(`warn ${m}`), error: (m) => logs.push(`error ${m}`) },
    });
  });
  afterAll(async () => {
    await bot.stop();
    await server.stop();
    await runtime.close();
  });

  /** Send a command as user 42 in chat 42 and return the bot's replies to it. */
  async function ask(line: string): Promise<BotMessage[]> {
    const client = server.getClient(TOKEN, { timeout: 5000, chatId: 42, userId: 42 });
    await client.sendCommand(client.makeCommand(line));
    const updates = await client.getUpdates();
    return updates.result.map((u) => u.message as unknown as BotMessage);
  }

  it('should reply to /regime with the regime, its title in bold', async () => {
    const [reply, ...more] = await ask('/regime');
    expect(more).toEqual([]);
    expect(reply?.text.split('\n')[0]).toBe('🐻 Regime: BEARISH');
    expect(reply?.text).toContain('Multipliers: long 0.0x / short 1.0x');
    expect(reply?.text).toContain('• VIX 75.47 > 20');
    expect(reply?.entities?.[0]).toEqual({ type: 'bold', offset: 0, length: '🐻 Regime: BEARISH'.length });
  });

  it('should reply to /scan NFLX that the ticker is not in the recorded data, and what is', async () => {
    const [reply] = await ask('/scan NFLX');
    expect(reply?.text).toMatch(/^NFLX: not found\n\nNFLX: not in the recorded data, which has AAPL, AIG, .*, WM as of 2020-03-12/);
  });

  it('should reply to /scan $$$ with what a ticker looks like', async () => {
    const [reply] = await ask('/scan $$$');
    expect(reply?.text).toBe('tickers: "$$$" is not a ticker: use 1-10 letters, digits, "." or "-", e.g. NFLX or BRK.B');
  });

  it('should point an unknown command to /help', async () => {
    const [reply] = await ask('/foo');
    expect(reply?.text).toBe('Unknown command /foo. Try /help.');
  });

  it('should carry on once, with a warning, where the fake lacks setMyCommands and sendChatAction', () => {
    expect(logs.filter((l) => l.startsWith('warn telegram setMyCommands failed'))).toHaveLength(1);
    expect(logs.filter((l) => l.startsWith('warn telegram sendChatAction failed'))).toHaveLength(1);
    expect(logs.filter((l) => l.startsWith('error'))).toEqual([]);
    expect(logs.join('\n')).not.toContain('TEST-TOKEN');
  });
});

describe('Telegram command replies when Telegram answers 429 or 5xx', () => {
  it('should retry the reply after retry_after, then with backoff, and deliver it once', async () => {
    const recorder = await startTelegramRecorder();
    const runtime = await createRuntime(loadConfig({ MARKET_DATA: 'replay', REPLAY_DATE: '2020-03-12' }), { store: new MemoryStore() });
    const logs: string[] = [];
    const waitsMs: number[] = [];
    const bot = await startTelegramBot({
      token: TOKEN, apiRoot: recorder.apiRoot, services: new BotServices(runtime), adminIds: [], commands,
      logger: { info: (m) => logs.push(`info ${m}`), warn: (m) => logs.push(`warn ${m}`), error: (m) => logs.push(`error ${m}`) },
      replyRetry: { sleep: async (ms) => void waitsMs.push(ms), random: () => 0.5 },
    });
    try {
      recorder.failNext('sendMessage', floodWait(3));
      recorder.failNext('sendMessage', { status: 502, body: { ok: false, error_code: 502, description: 'Bad Gateway' } });
      recorder.pushUpdate(commandUpdate('/regime'));
      await recorder.waitFor((c) => c.method === 'sendMessage' && recorder.calls.filter((x) => x.method === 'sendMessage').length === 3);
      const sends = recorder.calls.filter((c) => c.method === 'sendMessage');
      expect(sends.map((c) => String(c.body.text).split('\n')[0])).toEqual(Array(3).fill('🐻 Regime: BEARISH'));
      expect(waitsMs).toEqual([3000, 1000]); // retry_after, then half of the 2 s backoff ceiling of the second retry
      expect(logs.filter((l) => l.startsWith('warn telegram reply'))).toEqual([
        'warn telegram reply command=regime chat=telegram:42: telegram -> telegram:42: 429: Too Many Requests: retry after 3; retrying in 3000 ms',
        'warn telegram reply command=regime chat=telegram:42: telegram -> telegram:42: 502: Bad Gateway; retrying in 1000 ms',
      ]);
      expect(logs.filter((l) => l.startsWith('error'))).toEqual([]);
    } finally {
      await bot.stop();
      await recorder.close();
      await runtime.close();
    }
  });
});
