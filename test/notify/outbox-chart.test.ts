/**
 * The outbox treats a chart like any other part: a Telegram photo after the text, or a Discord attachment on
 * the first part, goes out once, and a delivery interrupted after it (or before it) resumes where it stopped.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createChartImages } from '../../src/notify/chart-image.ts';
import type { Message } from '../../src/notify/message.ts';
import { tradeAlert } from '../../src/notify/messages.ts';
import { Outbox } from '../../src/notify/outbox.ts';
import { toTelegramTexts } from '../../src/notify/render/telegram.ts';
import { createDiscordSink } from '../../src/notify/sinks/discord.ts';
import type { Sink } from '../../src/notify/sinks/sink.ts';
import { createTelegramSink } from '../../src/notify/sinks/telegram.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { startDiscordRecorder, type DiscordRecorder } from '../support/discord-recorder.ts';
import { startTelegramRecorder, type TelegramRecorder } from '../support/telegram-recorder.ts';
import * as s from './samples.ts';

const GROUP = '-1001234567890';
const badGateway = { status: 502, body: { ok: false, error_code: 502, description: 'Bad Gateway' } };
const diary = (description: string): Message =>
  s.withChart({ id: 'diary:2026-11-20', kind: 'diary', title: 'Diary', description, fields: [], tone: 'info' }, 'equity.png');

function virtualTime(startMs = 1_000_000) {
  let nowMs = startMs;
  return { now: () => nowMs, sleep: async (ms: number) => void (nowMs += ms) };
}

const outboxFor = (store: MemoryStore, sink: Sink, sleep?: (ms: number) => Promise<void>) => {
  const clock = virtualTime();
  return new Outbox({ store, sinks: [sink], now: clock.now, sleep: sleep ?? clock.sleep, random: () => 0.5 });
};

describe('notify/outbox with a chart on Telegram', () => {
  let recorder: TelegramRecorder;
  beforeEach(async () => {
    recorder = await startTelegramRecorder();
  });
  afterEach(async () => {
    await recorder.close();
  });
  const sink = () => createTelegramSink({ token: '123:SECRET', chatIds: [GROUP], apiRoot: recorder.apiRoot, charts: createChartImages() });

  it('should resume at the photo, replying to the first text part, after a kill in the photo retry wait', async () => {
    const store = new MemoryStore();
    const msg = diary('line of text\n'.repeat(700));
    const texts = toTelegramTexts(msg).map((t) => t.text);
    let killed!: () => void;
    const dead = new Promise<void>((resolve) => (killed = resolve));
    recorder.reply(null, null, null, badGateway); // the photo, 4th call, fails
    // Paces pass; the backoff after the failed photo never ends, as if the process died in it.
    const doomed = outboxFor(store, sink(), async (ms) => (ms < 3000 ? (killed(), new Promise<void>(() => {})) : undefined));
    void doomed.post(msg);
    await dead;
    const [outcome] = await outboxFor(store, sink()).flush();
    expect(outcome).toEqual({ destination: `telegram:${GROUP}`, status: 'sent', messageId: '101' });
    expect(recorder.calls.map((c) => c.method)).toEqual(['sendMessage', 'sendMessage', 'sendMessage', 'sendPhoto', 'sendPhoto']);
    expect(recorder.calls.filter((c) => c.method === 'sendMessage').map((c) => c.body.text)).toEqual(texts);
    const photos = recorder.calls.filter((c) => c.method === 'sendPhoto');
    expect(photos.map((c) => c.body.reply_parameters)).toEqual([
      { message_id: 101, allow_sending_without_reply: true },
      { message_id: 101, allow_sending_without_reply: true },
    ]);
    expect(photos.map((c) => c.files.length)).toEqual([1, 1]);
  });

  it('should send a captioned photo once and answer a repeat as a duplicate', async () => {
    const store = new MemoryStore();
    const msg = s.withChart(tradeAlert(s.nflxShortAccepted()));
    expect((await outboxFor(store, sink()).post(msg))[0]).toMatchObject({ status: 'sent', messageId: '101' });
    expect((await outboxFor(store, sink()).post(msg))[0]).toMatchObject({ status: 'duplicate', messageId: '101' });
    expect(recorder.calls.map((c) => c.method)).toEqual(['sendPhoto']);
  });
});

describe('notify/outbox with a chart on Discord', () => {
  let recorder: DiscordRecorder;
  beforeEach(async () => {
    recorder = await startDiscordRecorder();
  });
  afterEach(async () => {
    await recorder.close();
  });

  it('should upload the attachment once when a delivery resumes after the part that carried it', async () => {
    const store = new MemoryStore();
    const sink = createDiscordSink({ token: 'MTA5.FAKE', channelIds: ['111'], apiRoot: recorder.api, rest: { retries: 0 }, charts: createChartImages() });
    const msg = diary('x\n'.repeat(5000));
    expect(sink.partCount(msg)).toBe(2);
    let killed!: () => void;
    const dead = new Promise<void>((resolve) => (killed = resolve));
    recorder.reply(null, { status: 502, body: {} });
    void outboxFor(store, sink, async () => (killed(), new Promise<void>(() => {}))).post(msg);
    await dead;
    const [outcome] = await outboxFor(store, sink).flush();
    expect(outcome).toEqual({ destination: 'discord:111', status: 'sent', messageId: '1300000000000000001' });
    expect(recorder.requests.map((r) => r.files.length)).toEqual([1, 0, 0]);
    expect(recorder.created.get('111')).toHaveLength(2);
  });
});
