/** Inline keyboard buttons on Telegram through real telegraf against the recording Bot API. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { createRuntime, type Runtime } from '../../src/app/runtime.ts';
import { BotServices } from '../../src/app/services.ts';
import { startTelegramBot, type TelegramBot } from '../../src/chat/telegram.ts';
import { loadConfig } from '../../src/config/config.ts';
import { tradeAlert } from '../../src/notify/trade-alert.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { callbackUpdate, commandUpdate, startTelegramRecorder, type RecordedCall, type TelegramRecorder } from '../support/telegram-recorder.ts';

const TOKEN = '123456:TEST-TOKEN';
const ADMIN = 1;
const NOW = new Date('2020-03-12T19:00:00Z');
type Keyboard = { inline_keyboard: { text: string; callback_data: string }[][] };

describe('Telegram buttons through real telegraf', () => {
  let recorder: TelegramRecorder;
  let runtime: Runtime;
  let services: BotServices;
  let bot: TelegramBot;
  const logs: string[] = [];

  beforeAll(async () => {
    recorder = await startTelegramRecorder();
    runtime = await createRuntime(loadConfig({ MARKET_DATA: 'replay', REPLAY_DATE: '2020-03-12' }), { store: new MemoryStore() });
    services = new BotServices(runtime);
    bot = await startTelegramBot({
      token: TOKEN, apiRoot: recorder.apiRoot, services, adminIds: [`telegram:${ADMIN}`], commands, now: () => NOW,
      logger: { info: (m) => logs.push(`info ${m}`), warn: (m) => logs.push(`warn ${m}`), error: (m) => logs.push(`error ${m}`) },
    });
  });
  afterAll(async () => {
    await bot.stop();
    await recorder.close();
    await runtime.close();
  });

  const open = async (symbol: string) => {
    const [result] = (await services.scan([symbol])).results;
    const event = await services.ledger.open(result!.plan!, { alertId: tradeAlert(result!.plan!).id!, at: NOW });
    if (event.type === 'open.skipped') throw new Error(event.reason);
    return event.position.id;
  };
  /** Push `update` and resolve with the calls made for it once one of `method` has gone out. */
  async function answer(update: unknown, method: string): Promise<RecordedCall[]> {
    const from = recorder.calls.length;
    recorder.pushUpdate(update);
    await recorder.waitFor((c) => c.method === method && recorder.calls.indexOf(c) >= from);
    return recorder.calls.slice(from).filter((c) => c.method !== 'getUpdates');
  }

  it("should answer a member's press of Close with the refusal as the callback's answer, closing nothing", async () => {
    const id = await open('SPY');
    const calls = await answer(callbackUpdate(`hx|r|close|${id}`), 'answerCallbackQuery');
    expect(calls.map((c) => [c.method, c.body.text])).toEqual([['answerCallbackQuery', 'You are not allowed to use /close.']]);
    expect(await services.ledger.openPositions()).toHaveLength(1);
  });

  it("should close on an admin's press: the callback answered, then the exit as a message", async () => {
    const id = (await services.ledger.openPositions())[0]!.id;
    const calls = await answer(callbackUpdate(`hx|r|close|${id}`, { userId: ADMIN }), 'sendMessage');
    expect(calls.map((c) => c.method)).toEqual(['answerCallbackQuery', 'sendMessage']);
    expect(String(calls[1]!.body.text)).toMatch(/^👋 SPY Mar 20 \$235 put closed by admin/);
    expect(await services.ledger.openPositions()).toEqual([]);
  });

  it('should refresh /positions by editing the message, keyboard kept, and take "not modified" as done', async () => {
    await open('IWM');
    const calls = await answer(callbackUpdate('hx|e|positions', { messageId: 777 }), 'answerCallbackQuery');
    const edit = calls.find((c) => c.method === 'editMessageText')!;
    expect(edit.body).toMatchObject({ chat_id: 42, message_id: 777, reply_markup: { inline_keyboard: [[{ text: 'Refresh', callback_data: 'hx|e|positions' }]] } });
    expect(String(edit.body.text)).toMatch(/^Open paper positions \(1\)/);
    expect(edit.body).toHaveProperty('entities');
    recorder.failNext('editMessageText', { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: message is not modified' } });
    await answer(callbackUpdate('hx|e|positions'), 'answerCallbackQuery');
    expect(logs.filter((l) => l.startsWith('error'))).toEqual([]);
  });

  it('should ask before /close all with a keyboard, and edit the prompt into the result on Confirm', async () => {
    const prompt = (await answer(commandUpdate('/close all', ADMIN), 'sendMessage')).find((c) => c.method === 'sendMessage');
    expect(String(prompt!.body.text)).toMatch(/^Close all 1 open paper position at the bid\?/);
    const [[confirm, cancel]] = (prompt!.body.reply_markup as Keyboard).inline_keyboard as [[{ text: string; callback_data: string }, { text: string; callback_data: string }]];
    expect([confirm.text, cancel.text, cancel.callback_data]).toEqual(['Confirm', 'Cancel', 'hx|e|close|all|cancel']);
    for (const b of [confirm, cancel]) expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);

    const member = await answer(callbackUpdate(confirm.callback_data), 'answerCallbackQuery');
    expect(member.map((c) => c.body.text)).toEqual(['You are not allowed to use /close.']);
    const calls = await answer(callbackUpdate(confirm.callback_data, { userId: ADMIN }), 'answerCallbackQuery');
    const edit = calls.find((c) => c.method === 'editMessageText')!;
    expect(String(edit.body.text)).toMatch(/^Closed 1 paper position at the bid: /);
    expect(edit.body.reply_markup).toEqual({ inline_keyboard: [] });
    expect(await services.ledger.openPositions()).toEqual([]);
  });

  it('should answer a forged button without running anything', async () => {
    const calls = await answer(callbackUpdate('hx|r|close|all|x|y|z'), 'answerCallbackQuery');
    expect(calls.map((c) => c.body.text)).toEqual(['This button no longer works; run the command again.']);
  });
});
