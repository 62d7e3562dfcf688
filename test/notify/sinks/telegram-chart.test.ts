import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createChartImages } from '../../../src/notify/chart-image.ts';
import type { Message } from '../../../src/notify/message.ts';
import { tradeAlert } from '../../../src/notify/messages.ts';
import { toTelegramFmt, toTelegramParts, toTelegramTexts } from '../../../src/notify/render/telegram.ts';
import { createTelegramSink } from '../../../src/notify/sinks/telegram.ts';
import { decodePng } from '../../support/png.ts';
import { startTelegramRecorder, type TelegramRecorder } from '../../support/telegram-recorder.ts';
import * as s from '../samples.ts';

const TOKEN = '123456:SECRET-token_value';
const CHAT = '-1001234567890';
const DESTINATION = `telegram:${CHAT}`;
const longDiary = (): Message & { chart: object } =>
  s.withChart({ id: 'diary:x', kind: 'diary', title: 'Diary', description: 'line of text\n'.repeat(700), fields: [], tone: 'info' }, 'equity.png');

describe('notify/sinks/telegram with a chart', () => {
  let recorder: TelegramRecorder;
  beforeEach(async () => {
    recorder = await startTelegramRecorder();
  });
  afterEach(async () => {
    await recorder.close();
  });
  const failing = (warnings: string[] = []) =>
    createChartImages({ logger: { warn: (m) => warnings.push(m) }, render: () => { throw new Error('boom'); } });
  const sink = (charts = createChartImages()) => createTelegramSink({ token: TOKEN, chatIds: [CHAT], apiRoot: recorder.apiRoot, charts });

  it('should send a message that fits the caption as one photo, captioned with entities and no parse_mode', async () => {
    const msg = s.withChart(tradeAlert(s.nflxShortAccepted()));
    const whole = toTelegramFmt(msg);
    expect(whole.text.length).toBeLessThanOrEqual(1024);
    expect(sink().partCount(msg)).toBe(1);
    const { messageId } = await sink().sendPart(DESTINATION, msg, 0, { replyTo: '77' });
    const [call] = recorder.calls;
    expect(call?.method).toBe('sendPhoto');
    expect(call?.headers['content-type']).toMatch(/^multipart\/form-data/);
    expect(call?.body).toMatchObject({
      chat_id: CHAT,
      caption: whole.text,
      caption_entities: whole.entities,
      reply_parameters: { message_id: 77, allow_sending_without_reply: true },
    });
    expect(call?.body).not.toHaveProperty('parse_mode');
    expect(call?.files.map((f) => [f.field, f.name])).toEqual([['photo', 'NFLX-scan.png']]);
    const png = decodePng(call!.files[0]!.data);
    expect([png.width, png.height]).toEqual([1200, 675]);
    expect(png.inkShare).toBeGreaterThan(0.03);
    expect(messageId).toBe('101');
  });

  it('should send a long message as its texts, then the photo as a reply to the first text with the alt text as caption', async () => {
    const msg = longDiary();
    const texts = toTelegramTexts(msg);
    expect(sink().partCount(msg)).toBe(texts.length + 1);
    const ids: string[] = [];
    let first: string | undefined;
    for (let part = 0; part < texts.length + 1; part++) {
      const { messageId } = await sink().sendPart(DESTINATION, msg, part, part === 0 ? {} : { firstPartId: first! });
      first ??= messageId;
      ids.push(messageId);
    }
    expect(recorder.calls.map((c) => c.method)).toEqual([...texts.map(() => 'sendMessage'), 'sendPhoto']);
    const photo = recorder.calls.at(-1)!;
    expect(photo.body).toMatchObject({ caption: msg.chart.alt, reply_parameters: { message_id: Number(ids[0]), allow_sending_without_reply: true } });
    expect(photo.body).not.toHaveProperty('caption_entities');
    expect(photo.files).toHaveLength(1);
    expect(recorder.calls.slice(1, -1).every((c) => c.body.reply_parameters === undefined)).toBe(true);
  });

  it('should count the same parts whether or not the chart renders, so a resumed delivery sends the same parts', () => {
    const msg = longDiary();
    expect(sink(failing()).partCount(msg)).toBe(sink().partCount(msg));
    expect(toTelegramParts(msg).map((p) => p.type)).toEqual(['text', 'text', 'text', 'photo']);
    expect(toTelegramParts({ ...msg, chart: undefined }).map((p) => p.type)).toEqual(['text', 'text', 'text']);
  });

  it('should send the caption as a text message when the chart cannot be rendered', async () => {
    const warnings: string[] = [];
    const msg = s.withChart(tradeAlert(s.nflxShortAccepted()));
    await sink(failing(warnings)).sendPart(DESTINATION, msg, 0);
    const [call] = recorder.calls;
    expect(call?.method).toBe('sendMessage');
    expect(call?.body).toMatchObject({ text: toTelegramFmt(msg).text, entities: toTelegramFmt(msg).entities });
    expect(warnings).toHaveLength(1);
  });

  it('should send nothing for the photo part after the text when the chart cannot be rendered, answering the first id', async () => {
    const msg = longDiary();
    const photoPart = toTelegramTexts(msg).length;
    expect(await sink(failing()).sendPart(DESTINATION, msg, photoPart, { firstPartId: '555' })).toEqual({ messageId: '555' });
    expect(recorder.calls).toHaveLength(0);
  });
});
