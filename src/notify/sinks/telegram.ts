/**
 * Telegram sink: sendMessage with formatting entities (never parse_mode) through telegraf's Telegram class,
 * one part of a split message per call. A chart is a sendPhoto: captioned with the whole message when it fits
 * 1,024 characters, else sent after the text as a reply to its first part (render/telegram.ts decides). telegraf does not retry sends, so a 429 comes back as a retryable
 * DeliveryError carrying retry_after for the outbox to honour (it also paces the parts, ~1 s per chat).
 */
import { Telegram, TelegramError } from 'telegraf';
import type { ReplyParameters } from 'telegraf/types';
import { redactSecrets } from '../../core/errors.ts';
import { createChartImages, type ChartImage, type ChartImages } from '../chart-image.ts';
import type { Message } from '../message.ts';
import { toTelegramParts, type TelegramPart } from '../render/telegram.ts';
import { DeliveryError, networkDeliveryError } from './errors.ts';
import { destinationId, pickPart, type SendOptions, type Sink } from './sink.ts';

export type TelegramSinkOptions = {
  token: string;
  /** Numeric chat ids or @channel names; destinations are `telegram:<chatId>`. */
  chatIds: string[];
  /** TELEGRAM_API_ROOT, e.g. a local Bot API server; default https://api.telegram.org. */
  apiRoot?: string;
  /** Renders message charts; share one between sinks so an alert's chart is drawn once. */
  charts?: ChartImages;
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

/** reply_parameters for a message id from the outbox (a string), or nothing when there is none. */
export function replyParameters(messageId: string | undefined) {
  const id = messageId ? Number(messageId) : Number.NaN;
  return Number.isInteger(id) ? { reply_parameters: { message_id: id, allow_sending_without_reply: true } } : {};
}

/**
 * Send one part: a text, or the chart as a photo (multipart upload) with its caption as entities. A chart that
 * cannot be drawn sends the part's fallback text instead, or nothing when the text went already. `extra`: more
 * parameters of either call (forum topic, silence; plain values, which survive telegraf's multipart form).
 */
export async function sendTelegramPart(
  telegram: Telegram,
  chatId: string,
  part: TelegramPart,
  opts: { image: ChartImage | null; replyTo?: string | undefined; extra?: { message_thread_id?: number; disable_notification?: boolean } },
): Promise<{ messageId: string | null }> {
  const reply = replyParameters(opts.replyTo);
  // reply_markup survives telegraf's multipart form (it JSON-encodes that field itself).
  const markup = part.markup ? { reply_markup: part.markup } : {};
  if (part.type === 'photo' && opts.image) {
    const photo = { source: opts.image.png, filename: opts.image.fileName };
    // telegraf 4.16.3 drops object fields other than reply_markup from multipart uploads; the Bot API takes them
    // JSON-encoded, so hand it the string (telegraf/telegraf#1970, fixed on its master but not released).
    const replyJson = reply.reply_parameters ? { reply_parameters: JSON.stringify(reply.reply_parameters) as unknown as ReplyParameters } : {};
    const sent = await telegram.sendPhoto(chatId, photo, { caption: part.caption, ...replyJson, ...markup, ...opts.extra });
    return { messageId: String(sent.message_id) };
  }
  const text = part.type === 'text' ? part.text : part.fallback;
  if (!text) return { messageId: null };
  // Alerts carry no links worth a preview card; previews would also push the details out of view.
  const sent = await telegram.sendMessage(chatId, text, { link_preview_options: { is_disabled: true }, ...reply, ...markup, ...opts.extra });
  return { messageId: String(sent.message_id) };
}

/** A Sink posting to `chatIds` (destinations `telegram:<chatId>`, or `telegram:<chatId>/<topicId>` when routed). */
export function createTelegramSink(options: TelegramSinkOptions): Sink {
  const telegram = new Telegram(options.token, {
    ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}),
    webhookReply: false,
  });
  const charts = options.charts ?? createChartImages();
  return {
    name: 'telegram',
    destinations: () => options.chatIds.map((id) => `telegram:${id}`),
    partCount: (msg: Message) => toTelegramParts(msg).length,
    async sendPart(destination: string, msg: Message, part: number, opts: SendOptions = {}) {
      const { chatId, threadId } = telegramTarget(destination);
      const picked = pickPart('telegram', destination, toTelegramParts(msg), part);
      // A photo after the text replies to the text's first message, so the two read as one.
      const replyTo = part === 0 ? opts.replyTo : picked.type === 'photo' ? opts.firstPartId : undefined;
      const extra = { ...(threadId === undefined ? {} : { message_thread_id: threadId }), ...(opts.silent ? { disable_notification: true } : {}) };
      try {
        const image = picked.type === 'photo' ? await charts.image(msg.chart) : null;
        const { messageId } = await sendTelegramPart(telegram, chatId, picked, { image, replyTo, extra });
        return { messageId: messageId ?? opts.firstPartId ?? '' };
      } catch (err) {
        throw toDeliveryError(destination, err, options.token);
      }
    },
  };
}
