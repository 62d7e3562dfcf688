/**
 * Noise control through the outbox, asserted on the wire: real telegraf against the Telegram recorder and
 * real @discordjs/rest against the fake Discord REST API.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/core/log.ts';
import type { Message } from '../../src/notify/message.ts';
import { regimeAlert, tradeAlert } from '../../src/notify/messages.ts';
import { Outbox } from '../../src/notify/outbox.ts';
import { alertEvent, describeRouting, type AlertRouting } from '../../src/notify/routing.ts';
import { createDiscordSink } from '../../src/notify/sinks/discord.ts';
import { createTelegramSink, telegramTarget } from '../../src/notify/sinks/telegram.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { startDiscordRecorder, type DiscordRecorder } from '../support/discord-recorder.ts';
import { startTelegramRecorder, type TelegramRecorder } from '../support/telegram-recorder.ts';
import * as s from './samples.ts';

const TELEGRAM_TOKEN = '123456:SECRET-token_value_abcdefghij';
const DISCORD_TOKEN = 'MTA5.FAKE-discord-bot-token_secret';
const MAIN = '111111111111111111';
const QUIET = '222222222222222222';
const GROUP = '-1001234567890';
/** Discord's SUPPRESS_NOTIFICATIONS message flag, 1 << 12. */
const SUPPRESS_NOTIFICATIONS = 4096;

describe('notify/routing: per-event on | silent | off and routes, on the wire', () => {
  let telegram: TelegramRecorder;
  let discord: DiscordRecorder;
  beforeEach(async () => {
    [telegram, discord] = await Promise.all([startTelegramRecorder(), startDiscordRecorder()]);
  });
  afterEach(async () => {
    await Promise.all([telegram.close(), discord.close()]);
  });

  function outbox(routing: AlertRouting, extra: { logger?: Logger; sleeps?: number[] } = {}): Outbox {
    let nowMs = 1_000_000;
    return new Outbox({
      store: new MemoryStore(),
      sinks: [
        createDiscordSink({ token: DISCORD_TOKEN, channelIds: [MAIN], apiRoot: discord.api, rest: { retries: 0 } }),
        createTelegramSink({ token: TELEGRAM_TOKEN, chatIds: [GROUP], apiRoot: telegram.apiRoot }),
      ],
      routing,
      now: () => nowMs,
      sleep: async (ms) => {
        extra.sleeps?.push(ms);
        nowMs += ms;
      },
      ...(extra.logger ? { logger: extra.logger } : {}),
    });
  }
  const telegramSends = () => telegram.calls.filter((c) => c.method === 'sendMessage').map((c) => c.body);
  /** Channel and flags of each message Discord was asked to create. */
  const discordSends = () =>
    discord.requests.map((r) => ({ channel: /channels\/(\d+)\//.exec(r.path)?.[1], flags: (r.body as { flags?: number }).flags }));

  it('should send each event to its own route, silently where asked, and the others to every destination', async () => {
    const box = outbox({
      rejected: { mode: 'silent', route: [`discord:${QUIET}`, `telegram:${GROUP}/7`] },
      regime: { mode: 'on', route: null },
    });
    await box.post(tradeAlert(s.nflxShortAccepted()));
    await box.post(tradeAlert(s.mstrShortRejected()));
    await box.post(regimeAlert(s.regime('BEARISH')));

    expect(discordSends()).toEqual([
      { channel: MAIN, flags: undefined },
      { channel: QUIET, flags: SUPPRESS_NOTIFICATIONS },
      { channel: MAIN, flags: undefined },
    ]);
    const [accepted, rejected, regime] = telegramSends();
    expect(accepted).not.toHaveProperty('disable_notification');
    expect(accepted).not.toHaveProperty('message_thread_id');
    expect(rejected).toMatchObject({ chat_id: GROUP, message_thread_id: 7, disable_notification: true });
    expect(String(rejected?.text)).toMatch(/^⛔ MSTR breakdown: put skipped/);
    expect(regime).toMatchObject({ chat_id: GROUP });
    expect(regime).not.toHaveProperty('disable_notification');
  });

  it('should send nothing for an event that is off, and log why', async () => {
    const lines: string[] = [];
    const logger: Logger = { info: (m) => void lines.push(m), warn: () => {}, error: () => {} };
    const box = outbox({ regime: { mode: 'off' } }, { logger });
    const alert = regimeAlert(s.regime('BEARISH'));
    expect(await box.post(alert)).toEqual([]);
    expect(telegramSends()).toEqual([]);
    expect(discord.requests).toEqual([]);
    expect(lines).toEqual([`alert ${alert.id} not sent: regime alerts are off (ALERTS_REGIME)`]);
  });

  it('should send every part of a long silent message silently, to the forum topic', async () => {
    const box = outbox({ diary: { mode: 'silent', route: [`telegram:${GROUP}/12`] } });
    const long: Message = { kind: 'diary', id: 'diary:2020-03-12', title: 'Diary', description: 'line of text\n'.repeat(700), fields: [], tone: 'info' };
    await box.post(long);
    const sends = telegramSends();
    expect(sends).toHaveLength(3);
    expect(sends.every((b) => b.disable_notification === true && b.message_thread_id === 12 && b.chat_id === GROUP)).toBe(true);
  });

  it('should pace a forum topic together with its chat (Telegram limits per chat)', async () => {
    const sleeps: number[] = [];
    const box = outbox({ accepted: { mode: 'on', route: [`telegram:${GROUP}`] }, rejected: { mode: 'on', route: [`telegram:${GROUP}/7`] } }, { sleeps });
    await box.post(tradeAlert(s.nflxShortAccepted()));
    await box.post(tradeAlert(s.mstrShortRejected()));
    expect(sleeps).toEqual([3000]); // a group: 20 messages a minute
  });

  it('should refuse a route that no sink serves when the outbox is built', () => {
    expect(() => new Outbox({ store: new MemoryStore(), sinks: [], routing: { exit: { mode: 'on', route: ['discord:333333333333333333'] } } })).toThrow(
      'outbox: no sink serves the routed destination(s) exit: discord:333333333333333333',
    );
  });

  it('should tell the event of each alert: trade alerts say which, other kinds are their own, replies none', () => {
    expect(alertEvent(tradeAlert(s.nflxShortAccepted()))).toBe('accepted');
    expect(alertEvent(tradeAlert(s.aaplLongRejectedByRegime()))).toBe('rejected');
    expect(alertEvent(regimeAlert(s.regime('BULLISH')))).toBe('regime');
    expect(alertEvent({ kind: 'diary', title: 'd', fields: [], tone: 'info' })).toBe('diary');
    expect(alertEvent({ kind: 'reply', title: 'pong', fields: [], tone: 'info' })).toBeNull();
  });

  it('should read a Telegram destination as a chat and an optional forum topic', () => {
    expect(telegramTarget(`telegram:${GROUP}`)).toEqual({ chatId: GROUP });
    expect(telegramTarget(`telegram:${GROUP}/7`)).toEqual({ chatId: GROUP, threadId: 7 });
    expect(() => telegramTarget(`telegram:${GROUP}/0`)).toThrow('expected "telegram:<chat id>" or "telegram:<chat id>/<topic id>"');
    expect(() => telegramTarget(`telegram:${GROUP}/7/8`)).toThrow('expected "telegram:<chat id>"');
  });
});

describe('notify/routing describeRouting', () => {
  it('should name only what differs from "on, everywhere", for the start-up log', () => {
    expect(describeRouting({ regime: { mode: 'on', route: null } })).toBe('');
    expect(
      describeRouting({
        accepted: { mode: 'on', route: null },
        rejected: { mode: 'silent', route: [`discord:${QUIET}`, `telegram:${GROUP}/7`] },
        exit: { mode: 'on', route: [`telegram:${GROUP}/12`] },
        diary: { mode: 'off', route: [`discord:${QUIET}`] },
        digest: { mode: 'silent', route: null },
      }),
    ).toBe(`rejected silent to discord:${QUIET},telegram:${GROUP}/7; exit to telegram:${GROUP}/12; diary off; digest silent`);
  });
});
