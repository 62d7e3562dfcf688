/**
 * @module Telegram's inline keyboard buttons: a callback query runs the command its data carries through the
 * dispatcher (notify/actions.ts reads the data, the dispatcher checks who pressed). A refusal is the callback's
 * answer, a toast only the presser sees; an edit answer (Refresh, Confirm, Cancel) replaces the message's text
 * and keyboard; any other answer is a message of its own.
 */
import { TelegramError, type Context } from 'telegraf';
import type { Dispatcher } from '../../commands/dispatch.ts';
import type { Logger } from '../core/log.ts';
import type { Message } from '../notify/message.ts';
import { DeliveryError } from '../notify/sinks/errors.ts';
import { toInlineKeyboard, toTelegramTexts } from '../notify/render/telegram.ts';
import { truncate } from '../notify/text.ts';

/** Telegram's limit on a callback answer's text. */
const CALLBACK_ANSWER_MAX_CHARS = 200;

export type ButtonDeps = {
  dispatcher: Dispatcher;
  log: Logger;
  clean: (err: unknown) => string;
  /** `send` retried on 429/5xx like every reply (chat/replies.ts). */
  retrying<T>(send: () => Promise<T>, chat: string, what: string): Promise<T>;
  /** Post `msg` as messages of their own, part by part, as a command's reply. */
  sendParts(ctx: Context, msg: Message, what: string): Promise<void>;
};

/**
 * Telegram's 400 when an edit would change nothing (a Refresh with the same marks): done, not failed. Seen as
 * telegraf's error or as the DeliveryError the reply retry made of it.
 */
const unchanged = (err: unknown): boolean =>
  (err instanceof TelegramError || err instanceof DeliveryError) && /message is not modified/i.test(err.message);

/** Answer one pressed button whose callback data is `data`. Never throws: failures are logged. */
export async function pressed(ctx: Context, data: string, deps: ButtonDeps): Promise<void> {
  if (!ctx.chat || !ctx.from) return; // a button under an inline-mode message: none of ours
  const chat = `telegram:${ctx.chat.id}`;
  const what = `telegram button chat=${chat} user=telegram:${ctx.from.id}`;
  try {
    const { message, edit } = await deps.dispatcher.press({ platform: 'telegram', chat, user: `telegram:${ctx.from.id}`, data });
    if (message.kind === 'error') {
      await deps.retrying(() => ctx.answerCbQuery(truncate(message.title, CALLBACK_ANSWER_MAX_CHARS)), chat, what);
      return;
    }
    if (edit) {
      // The first part only: an edit keeps one message (and a photo's picture, were it on one, stays as it is).
      const [text] = toTelegramTexts(message);
      const markup = toInlineKeyboard(message.actions) ?? { inline_keyboard: [] };
      const update = () => ctx.editMessageText(text ?? message.title, { link_preview_options: { is_disabled: true }, reply_markup: markup });
      await deps.retrying(update, chat, what).catch((err: unknown) => {
        if (!unchanged(err)) throw err;
      });
      await deps.retrying(() => ctx.answerCbQuery(), chat, what);
      return;
    }
    // The spinner stops first: the answer may take a few messages.
    await deps.retrying(() => ctx.answerCbQuery(), chat, what);
    await deps.sendParts(ctx, message, what);
  } catch (err) {
    deps.log.error(`${what} failed: ${deps.clean(err)}`);
  }
}
