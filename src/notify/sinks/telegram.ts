/**
 * Telegram sink: sendMessage with formatting entities (never parse_mode) through telegraf's Telegram class.
 * telegraf does not retry sends, so a 429 comes back as a retryable DeliveryError carrying retry_after for
 * the outbox to honour.
 */
import { Telegram, TelegramError } from 'telegraf';
import { redactSecrets } from '../../errors.ts';
import type { Message } from '../message.ts';
import { toTelegramTexts } from '../render/telegram.ts';
import { DeliveryError, networkDeliveryError } from './errors.ts';
import { destinationId, type Sink } from './sink.ts';

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

/** A Sink posting to `chatIds` (destinations `telegram:<chatId>`). */
export function createTelegramSink(options: TelegramSinkOptions): Sink {
  const telegram = new Telegram(options.token, {
    ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}),
    webhookReply: false,
  });
  return {
    name: 'telegram',
    destinations: () => options.chatIds.map((id) => `telegram:${id}`),
    async send(destination: string, msg: Message, opts: { replyTo?: string } = {}) {
      const chatId = destinationId('telegram', destination);
      const replyTo = opts.replyTo ? Number(opts.replyTo) : Number.NaN;
      let firstId: string | undefined;
      try {
        for (const text of toTelegramTexts(msg)) {
          const reply = firstId === undefined && Number.isInteger(replyTo)
            ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } }
            : {};
          // Alerts carry no links worth a preview card; previews would also push the details out of view.
          const sent = await telegram.sendMessage(chatId, text, { link_preview_options: { is_disabled: true }, ...reply });
          firstId ??= String(sent.message_id);
        }
      } catch (err) {
        throw toDeliveryError(destination, err, options.token);
      }
      if (firstId === undefined) throw new DeliveryError('telegram', destination, 'nothing to send', { retryable: false });
      return { messageId: firstId };
    },
  };
}
