/** Telegram command replies with a chart, through real telegraf against the recording Bot API. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { commands } from '../../commands/index.ts';
import { defineCommand } from '../../commands/spec.ts';
import { createRuntime, type Runtime } from '../../src/app/runtime.ts';
import { BotServices } from '../../src/app/services.ts';
import { startTelegramBot, type TelegramBot } from '../../src/chat/telegram.ts';
import { loadConfig } from '../../src/config/config.ts';
import { toTelegramFmt, toTelegramTexts } from '../../src/notify/render/telegram.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { withChart } from '../notify/samples.ts';
import { decodePng } from '../support/png.ts';
import { commandUpdate, startTelegramRecorder, type RecordedCall, type TelegramRecorder } from '../support/telegram-recorder.ts';

const TOKEN = '123456:TEST-TOKEN';
const longReply = withChart({ kind: 'reply' as const, title: 'Long', description: 'line of text\n'.repeat(400), fields: [], tone: 'info' as const });
/** A reply longer than a caption, with a chart. */
const long = defineCommand({ name: 'long', description: 'A long reply with a chart', args: z.object({}), run: async () => longReply });

describe('Telegram command replies with a chart', () => {
  let recorder: TelegramRecorder;
  let runtime: Runtime;
  let bot: TelegramBot;
  const logs: string[] = [];

  beforeAll(async () => {
    recorder = await startTelegramRecorder();
    runtime = await createRuntime(loadConfig({ MARKET_DATA: 'replay', REPLAY_DATE: '2020-03-12' }), { store: new MemoryStore() });
    bot = await startTelegramBot({
      token: TOKEN, apiRoot: recorder.apiRoot, services: new BotServices(runtime), adminIds: [], commands: [...commands, long],
      logger: { info: (m) => logs.push(`info ${m}`), warn: (m) => logs.push(`warn ${m}`), error: (m) => logs.push(`error ${m}`) },
    });
  });
  afterAll(async () => {
    await bot.stop();
    await recorder.close();
    await runtime.close();
  });

  /** Send `line` and resolve with the calls answering it once `done` holds. */
  async function ask(line: string, done: (calls: RecordedCall[]) => boolean): Promise<RecordedCall[]> {
    const from = recorder.calls.length;
    const replies = () => recorder.calls.slice(from).filter((c) => c.method.startsWith('send') && c.method !== 'sendChatAction');
    recorder.pushUpdate(commandUpdate(line));
    await recorder.waitFor(() => done(replies()));
    return replies();
  }

  it('should answer /scan SPY with one photo of its chart, captioned with the reply as entities', async () => {
    const [photo, ...more] = await ask('/scan SPY', (c) => c.length >= 1);
    expect(more).toEqual([]);
    expect(photo?.method).toBe('sendPhoto');
    expect(String(photo?.body.caption).split('\n')[0]).toBe('📉 SPY breakdown: would buy 1x Mar 20 $235 put');
    expect(photo?.body.caption_entities).toContainEqual({ type: 'bold', offset: 0, length: expect.any(Number) });
    expect(photo?.body).not.toHaveProperty('parse_mode');
    expect(photo?.files.map((f) => f.name)).toEqual(['SPY-scan.png']);
    const png = decodePng(photo!.files[0]!.data);
    expect([png.width, png.height, png.inkShare > 0.03]).toEqual([1200, 675, true]);
  });

  it('should send a reply longer than a caption as its texts, then the photo as a reply to the first', async () => {
    const texts = toTelegramTexts(longReply);
    expect(toTelegramFmt(longReply).text.length).toBeGreaterThan(1024);
    const calls = await ask('/long', (c) => c.length >= texts.length + 1);
    expect(calls.map((c) => c.method)).toEqual([...texts.map(() => 'sendMessage'), 'sendPhoto']);
    expect(calls.slice(0, -1).map((c) => c.body.text)).toEqual(texts.map((t) => t.text));
    const firstId = (calls[0]!.answer as { result: { message_id: number } }).result.message_id;
    const photo = calls.at(-1)!;
    expect(photo.body).toMatchObject({ caption: longReply.chart.alt, reply_parameters: { message_id: firstId, allow_sending_without_reply: true } });
    expect(logs.filter((l) => l.startsWith('error'))).toEqual([]);
  });
});
