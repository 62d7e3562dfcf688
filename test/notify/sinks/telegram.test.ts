import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../../../src/notify/message.ts';
import { tradeAlert } from '../../../src/notify/messages.ts';
import { toTelegramTexts } from '../../../src/notify/render/telegram.ts';
import { rejectionOf } from '../../support/rejection.ts';
import { DeliveryError } from '../../../src/notify/sinks/errors.ts';
import { createTelegramSink } from '../../../src/notify/sinks/telegram.ts';
import { floodWait, startTelegramRecorder, type TelegramRecorder } from '../../support/telegram-recorder.ts';
import * as s from '../samples.ts';

const TOKEN = '123456:SECRET-token_value';
const CHAT = '-1001234567890';

const deliveryError = (promise: Promise<unknown>) => rejectionOf(promise, DeliveryError);

describe('notify/sinks/telegram', () => {
  let recorder: TelegramRecorder;
  beforeEach(async () => {
    recorder = await startTelegramRecorder();
  });
  afterEach(async () => {
    await recorder.close();
  });
  const sink = () => createTelegramSink({ token: TOKEN, chatIds: [CHAT], apiRoot: recorder.apiRoot });

  it('should sendMessage with entities, no parse_mode and no link preview', async () => {
    const msg = tradeAlert(s.nflxShortAccepted());
    expect(sink().destinations()).toEqual([`telegram:${CHAT}`]);
    const { messageId } = await sink().sendPart(`telegram:${CHAT}`, msg, 0);
    expect(recorder.calls).toHaveLength(1);
    const [call] = recorder.calls;
    expect(call?.path).toBe(`/bot${TOKEN}/sendMessage`);
    expect(call?.headers['content-type']).toContain('application/json');
    const [expected] = toTelegramTexts(msg);
    expect(call?.body).toEqual({
      chat_id: CHAT,
      text: expected?.text,
      entities: expected?.entities,
      link_preview_options: { is_disabled: true },
    });
    expect(call?.body).not.toHaveProperty('parse_mode');
    expect(messageId).toBe('101');
  });

  it('should count the parts of a long message and send one part per call, replying only when asked', async () => {
    const long: Message = { kind: 'diary', title: 'Diary', description: 'line of text\n'.repeat(700), fields: [], tone: 'info' };
    const texts = toTelegramTexts(long);
    expect(sink().partCount(long)).toBe(3);
    const ids: string[] = [];
    for (let part = 0; part < 3; part++) {
      ids.push((await sink().sendPart(`telegram:${CHAT}`, long, part, part === 0 ? { replyTo: '77' } : {})).messageId);
    }
    expect(recorder.calls.map((c) => c.body.text)).toEqual(texts.map((t) => t.text));
    expect(recorder.calls.map((c) => (c.body.text as string).length).every((n) => n <= 4096)).toBe(true);
    expect(recorder.calls.map((c) => c.body.reply_parameters)).toEqual([
      { message_id: 77, allow_sending_without_reply: true },
      undefined,
      undefined,
    ]);
    expect(ids).toEqual(['101', '102', '103']);
  });

  it('should refuse a part the message does not have, for good and without a request', async () => {
    const err = await deliveryError(sink().sendPart(`telegram:${CHAT}`, tradeAlert(s.nflxShortAccepted()), 1));
    expect(err).toMatchObject({ retryable: false });
    expect(err.message).toBe(`telegram -> telegram:${CHAT}: no part 1; this message has parts 0..0`);
    expect(recorder.calls).toHaveLength(0);
  });

  it('should turn a 429 into a retryable DeliveryError after one request, with retry_after in ms and no token', async () => {
    recorder.reply(floodWait(7));
    const err = await deliveryError(sink().sendPart(`telegram:${CHAT}`, tradeAlert(s.nflxShortAccepted()), 0));
    expect(recorder.calls).toHaveLength(1); // telegraf does not retry sends; the outbox will
    expect(err).toMatchObject({ retryable: true, retryAfterMs: 7000, status: 429, sink: 'telegram' });
    expect(err.message).toBe(`telegram -> telegram:${CHAT}: 429: Too Many Requests: retry after 7`);
    expect(err.message).not.toContain(TOKEN);
  });

  it('should fail a 400 for good', async () => {
    recorder.reply({ status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' } });
    const err = await deliveryError(sink().sendPart(`telegram:${CHAT}`, tradeAlert(s.nflxShortAccepted()), 0));
    expect(err).toMatchObject({ retryable: false, status: 400 });
    expect(err.retryAfterMs).toBeUndefined();
  });

  it('should report a refused connection as retryable without the token in the error', async () => {
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((ok) => closed.close(() => ok()));
    const dead = createTelegramSink({ token: TOKEN, chatIds: [CHAT], apiRoot: `http://127.0.0.1:${port}` });
    const err = await deliveryError(dead.sendPart(`telegram:${CHAT}`, tradeAlert(s.nflxShortAccepted()), 0));
    expect(err).toMatchObject({ retryable: true, code: 'ECONNREFUSED' });
    expect(err.message).not.toContain('SECRET-token_value');
    expect(JSON.stringify(err)).not.toContain('SECRET-token_value');
  });
});
