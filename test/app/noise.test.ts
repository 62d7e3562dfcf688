/**
 * Noise control end to end: the bot composed from its config on the replay day (MARKET_DATA=replay), real
 * telegraf against the Telegram recorder and real @discordjs/rest against the fake Discord REST API.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { composeBot, type Bot } from '../../src/app/bot.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createLogger } from '../../src/core/log.ts';
import { createTelegramSink } from '../../src/notify/sinks/telegram.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { startDiscordRecorder, type DiscordRecorder } from '../support/discord-recorder.ts';
import { startTelegramRecorder, type TelegramRecorder } from '../support/telegram-recorder.ts';

const TELEGRAM_TOKEN = '123456:SECRET-token_value_abcdefghij';
const DISCORD_TOKEN = 'MTA5.FAKE-discord-bot-token_secret';
const MAIN = '111111111111111111';
const QUIET = '222222222222222222';
const GROUP = '-1001234567890';
/** Discord's SUPPRESS_NOTIFICATIONS message flag, 1 << 12. */
const SUPPRESS_NOTIFICATIONS = 4096;
/** 17:00 in New York on the replayed day: its session has closed, and every cycle falls on one New York date. */
const NOW = new Date('2020-03-12T21:00:00Z');

describe('noise control on the replayed demo day', () => {
  let telegram: TelegramRecorder;
  let discord: DiscordRecorder;
  let logs: string[];
  const bots: Bot[] = [];
  beforeEach(async () => {
    [telegram, discord] = await Promise.all([startTelegramRecorder(), startDiscordRecorder()]);
    logs = [];
  });
  afterEach(async () => {
    await Promise.all(bots.splice(0).map((b) => b.close()));
    await Promise.all([telegram.close(), discord.close()]);
  });

  /** The bot as `npm start` composes it, sinks from the config (or `telegramOnly`: only a Telegram sink, passed in). */
  async function bot(env: Record<string, string>, opts: { telegramOnly?: boolean } = {}): Promise<Bot> {
    const config = loadConfig({
      MARKET_DATA: 'replay',
      REPLAY_DATE: '2020-03-12',
      MAX_NEW_POSITIONS: '20',
      DIARY_DIR: '/dev/null/diary', // not saved: this test is about what is posted
      DISCORD_TOKEN,
      DISCORD_APP_ID: '333333333333333333',
      DISCORD_ALERT_CHANNEL_IDS: MAIN,
      DISCORD_API_ROOT: discord.api,
      TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
      TELEGRAM_ALERT_CHAT_IDS: GROUP,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      ...env,
    });
    const composed = await composeBot(config, {
      store: new MemoryStore(),
      now: () => NOW,
      ...(opts.telegramOnly ? { sinks: [createTelegramSink({ token: TELEGRAM_TOKEN, chatIds: [GROUP], apiRoot: telegram.apiRoot })] } : {}),
      outbox: { sleep: async () => {} },
      logger: createLogger({ write: (l) => logs.push(l), secrets: [TELEGRAM_TOKEN, DISCORD_TOKEN] }),
    });
    bots.push(composed);
    return composed;
  }

  /**
   * Texts and photos (trade alerts and the diary carry a chart) as one shape: a photo's caption is its text, and
   * a multipart upload's fields, which arrive as strings, are read back as numbers and booleans.
   */
  const telegramSends = () =>
    telegram.calls
      .filter((c) => c.method === 'sendMessage' || c.method === 'sendPhoto')
      .map(({ body }) => ({
        chat_id: String(body.chat_id),
        text: String(body.text ?? body.caption),
        message_thread_id: body.message_thread_id === undefined ? undefined : Number(body.message_thread_id),
        disable_notification: body.disable_notification === undefined ? undefined : String(body.disable_notification) === 'true',
      }));
  const telegramTexts = () => telegramSends().map((body) => body.text.split('\n')[0]!);

  it('should post each signal once over two cycles of the day (the second cycle posts nothing)', async () => {
    const b = await bot({}, { telegramOnly: true });
    await b.jobs.intraday();
    const first = telegramTexts();
    // The regime, the 6 paper trades, one digest of all 11 signals (DIGEST_THRESHOLD 5).
    expect(first).toHaveLength(8);
    expect(first.at(-1)).toBe('🔎 Scan digest: 11 signals, 6 accepted');
    await b.jobs.intraday();
    // Before: the 5 skips the digest listed came again, one alert each.
    expect(telegramTexts()).toEqual(first);
    expect(logs.join('')).toContain('0 alerts (5 signals already reported today left out)');
  });

  it('should post a signal again when its decision changes: skipped while paused, bought after /resume', async () => {
    const b = await bot({}, { telegramOnly: true });
    await b.services.setPaused({ by: 'telegram:1', at: NOW.toISOString() });
    await b.jobs.intraday();
    expect(telegramTexts().slice(1)).toEqual(['🔎 Scan digest: 11 signals, 0 accepted']);
    await b.services.setPaused(null);
    await b.jobs.intraday();
    const second = telegramTexts().slice(2);
    expect(second.filter((t) => /breakdown: buying/.test(t))).toHaveLength(6);
    expect(second.at(-1)).toBe('🔎 Scan digest: 6 new signals, 6 accepted; 5 already reported today');
    expect(second).toHaveLength(7);
  });

  it('should route each event to its channels, silent where asked: flags 4096 on Discord, disable_notification and topics on Telegram', async () => {
    const b = await bot({
      DIGEST_THRESHOLD: '20',
      ALERTS_REJECTED: 'silent',
      ROUTE_REJECTED: `discord:${QUIET},telegram:${GROUP}/7`,
      ROUTE_EXIT: `telegram:${GROUP}/12`,
      ALERTS_DIARY: 'silent',
      ALERTS_REGIME: 'off',
    });
    await b.jobs.intraday();
    const [opened] = await b.services.ledger.openPositions();
    await b.services.closePosition(opened!.id, NOW); // an admin's /close: its exit alert goes to topic 12
    await b.jobs.close();

    const discordSends = discord.requests.map((r) => {
      const body = r.body as { flags?: number; content?: string; embeds?: { title?: string }[] };
      return { channel: /channels\/(\d+)\//.exec(r.path)?.[1], flags: body.flags, title: body.embeds?.[0]?.title ?? '' };
    });
    // The main channel: the 6 trades, then the diary (one or more parts), silent; no regime (off), no skip.
    const toMain = discordSends.filter((d) => d.channel === MAIN);
    const toQuiet = discordSends.filter((d) => d.channel === QUIET);
    expect(toMain.slice(0, 6).every((d) => /breakdown: buying/.test(d.title) && d.flags === undefined)).toBe(true);
    const discordDiary = toMain.slice(6);
    expect(discordDiary[0]?.title).toMatch(/Trading Diary/);
    expect(discordDiary.every((d) => d.flags === SUPPRESS_NOTIFICATIONS)).toBe(true);
    expect(toQuiet).toHaveLength(5);
    expect(toQuiet.every((d) => /skipped/.test(d.title) && d.flags === SUPPRESS_NOTIFICATIONS)).toBe(true);

    const sends = telegramSends();
    const inTopic = (topic: number | undefined) => sends.filter((body) => body.message_thread_id === topic);
    expect(sends.every((body) => body.chat_id === GROUP)).toBe(true);
    expect(inTopic(7)).toHaveLength(5);
    expect(inTopic(7).every((body) => body.disable_notification === true && /skipped/.test(String(body.text)))).toBe(true);
    expect(inTopic(12).map((body) => [String(body.text).split(':')[0], body.disable_notification])).toEqual([[expect.stringMatching(/closed by admin$/), undefined]]);
    // The chat itself, like the main channel: the 6 trades, then every part of the diary silent.
    const chat = inTopic(undefined);
    expect(chat.slice(0, 6).every((body) => /breakdown: buying/.test(String(body.text)) && body.disable_notification === undefined)).toBe(true);
    const telegramDiary = chat.slice(6);
    expect(String(telegramDiary[0]?.text)).toMatch(/^📓 Trading Diary/);
    expect(telegramDiary.every((body) => body.disable_notification === true)).toBe(true);
    expect(logs.join('')).toMatch(/not sent: regime alerts are off \(ALERTS_REGIME\)/);
  });

  it('should refuse to start when a route names a platform no sink serves', async () => {
    await expect(bot({ ROUTE_EXIT: `discord:${QUIET}` }, { telegramOnly: true })).rejects.toThrow(
      `outbox: no sink serves the routed destination(s) exit: discord:${QUIET}`,
    );
  });
});
