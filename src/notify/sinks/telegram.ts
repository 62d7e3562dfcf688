/**
 * Telegram sink: sendMessage with formatting entities (never parse_mode) through telegraf's Telegram class,
 * one part of a split message per call. telegraf does not retry sends, so a 429 comes back as a retryable
 * DeliveryError carrying retry_after for the outbox to honour (it also paces the parts, ~1 s per chat).
 */
import { Telegram, TelegramError } from 'telegraf';
import { redactSecrets } from '../../core/errors.ts';
import type { Message } from '../message.ts';
import { toTelegramTexts } from '../render/telegram.ts';
import { DeliveryError, networkDeliveryError } from './errors.ts';
import { destinationId, pickPart, type SendOptions, type Sink } from './sink.ts';

export type TelegramSinkOptions = {
  token: string;
  /** Numeric chat ids or @channel names; destinations are `telegram:<chatId>`. */
  chatIds: string[];
  /** TELEGRAM_API_ROOT, e.g. a local Bot API server; default https://api.telegram.org. */
  apiRoot?: string;
};

/** Map what telegraf threw to a DeliveryError that is safe to log (telegraf's network errors hold the token URL). */
export function toDeliveryError(destination: string, err: unknown, token: string): DeliveryError {
  if (err instanceof TelegramError) {
    const retryAfterSec = err.parameters?.retry_after;
    return new DeliveryError('telegram', destination, redactSecrets(err.message, [token]), {
      retryable: err.code === 429 || err.code >= 500,
      status: err.code,
      code: err.code,
      ...(retryAfterSec !== undefined ? { retryAfterMs: retryAfterSec * 1000 } : {}),
    });
  }
  return networkDeliveryError('telegram', destination, err, [token]);
}

/**
 * Where a destination posts: `telegram:<chatId>` the chat, `telegram:<chatId>/<topicId>` one forum topic of it
 * (message_thread_id). A malformed one is a wiring bug: a final DeliveryError.
 */
export function telegramTarget(destination: string): { chatId: string; threadId?: number } {
  const [chatId = '', topic, ...rest] = destinationId('telegram', destination).split('/');
  const threadId = topic === undefined ? undefined : Number(topic);
  if (!chatId || rest.length > 0 || (threadId !== undefined && !(Number.isInteger(threadId) && threadId > 0))) {
    throw new DeliveryError('telegram', destination, 'expected "telegram:<chat id>" or "telegram:<chat id>/<topic id>"', { retryable: false });
  }
  return threadId === undefined ? { chatId } : { chatId, threadId };
}

/** A Sink posting to `chatIds` (destinations `telegram:<chatId>`, or `telegram:<chatId>/<topicId>` when routed). */
export function createTelegramSink(options: TelegramSinkOptions): Sink {
  const telegram = new Telegram(options.token, {
    ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}),
    webhookReply: false,
  });
  return {
    name: 'telegram',
    destinations: () => options.chatIds.map((id) => `telegram:${id}`),
    partCount: (msg: Message) => toTelegramTexts(msg).length,
    async sendPart(destination: string, msg: Message, part: number, opts: SendOptions = {}) {
      const { chatId, threadId } = telegramTarget(destination);
      const text = pickPart('telegram', destination, toTelegramTexts(msg), part);
      const replyTo = opts.replyTo ? Number(opts.replyTo) : Number.NaN;
      const reply = Number.isInteger(replyTo)
        ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } }
        : {};
      const topic = threadId === undefined ? {} : { message_thread_id: threadId };
      const quiet = opts.silent ? { disable_notification: true } : {};
      try {
        // Alerts carry no links worth a preview card; previews would also push the details out of view.
        const sent = await telegram.sendMessage(chatId, text, { link_preview_options: { is_disabled: true }, ...reply, ...topic, ...quiet });
        return { messageId: String(sent.message_id) };
      } catch (err) {
        throw toDeliveryError(destination, err, options.token);
      }
    },
  };
}
