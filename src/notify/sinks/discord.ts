/**
 * Discord sink: posts alerts to channels with a bot token through @discordjs/rest, one part of a split
 * message per call. The client queues per route and waits out 429s by itself (we never second-guess its rate
 * limiting). What it gives up on, 5xx after its own retries, network failures and 4xx, becomes a
 * DeliveryError, and the outbox retries from that part on.
 *
 * A message's chart goes with its first part: the PNG uploaded as `files[0]` (multipart, the JSON in
 * `payload_json`) and shown inside the first embed through `attachment://<name>`.
 *
 * Every part carries a nonce derived from (alert id, destination, part) with `enforce_nonce`: when a process
 * dies after Discord accepted a part but before the store recorded it, the resend within Discord's window
 * ("the past few minutes") gets the message already posted back instead of a second one.
 */
import { createHash } from 'node:crypto';
import { DiscordAPIError, HTTPError, MessageFlags, RateLimitError, REST, Routes, type RawFile, type RESTOptions } from 'discord.js';
import { redactSecrets } from '../../core/errors.ts';
import { createChartImages, type ChartImage, type ChartImages } from '../chart-image.ts';
import type { Message } from '../message.ts';
import { toDiscordPayloads, withImage } from '../render/discord.ts';
import { DeliveryError, networkDeliveryError } from './errors.ts';
import { destinationId, pickPart, type SendOptions, type Sink } from './sink.ts';

export type DiscordSinkOptions = {
  token: string;
  channelIds: string[];
  /** REST `api` option (DISCORD_API_ROOT), e.g. http://127.0.0.1:8080/api; `/v10` is appended by the client. */
  apiRoot?: string;
  /** Other @discordjs/rest options, e.g. `retries` or `timeout` in tests. */
  rest?: Partial<RESTOptions>;
  /** Renders message charts; share one between sinks so an alert's chart is drawn once. */
  charts?: ChartImages;
};

/** Map what @discordjs/rest threw to a DeliveryError that is safe to log. */
export function toDeliveryError(destination: string, err: unknown, token: string): DeliveryError {
  const clean = (text: string): string => redactSecrets(text, [token]);
  if (err instanceof DiscordAPIError) {
    return new DeliveryError('discord', destination, clean(`${err.status} ${err.message}`), {
      retryable: err.status === 429 || err.status >= 500,
      status: err.status,
      code: err.code,
    });
  }
  if (err instanceof HTTPError) {
    return new DeliveryError('discord', destination, clean(`${err.status} ${err.message}`), {
      retryable: err.status === 429 || err.status >= 500,
      status: err.status,
    });
  }
  if (err instanceof RateLimitError) {
    // Only thrown when the caller opted into `rejectOnRateLimit`; retryAfter is in ms.
    return new DeliveryError('discord', destination, 'rate limited', {
      retryable: true,
      retryAfterMs: err.retryAfter,
      status: 429,
    });
  }
  return networkDeliveryError('discord', destination, err, [token]);
}

/** Discord's limit on a message nonce. */
const NONCE_MAX_CHARS = 25;

/** The same 25 characters for the same part of the same alert to the same channel, whichever process sends it. */
export function discordNonce(alertId: string, destination: string, part: number): string {
  return createHash('sha256').update(`${alertId}|${destination}|${part}`).digest('base64url').slice(0, NONCE_MAX_CHARS);
}

/** A chart as @discordjs/rest uploads it: `files[0]`, which the payload's `attachments[0]` describes. */
export const discordFile = (image: ChartImage): RawFile => ({ name: image.fileName, data: image.png, contentType: 'image/png' });

/** A Sink posting to `channelIds` (destinations `discord:<channelId>`). */
export function createDiscordSink(options: DiscordSinkOptions): Sink {
  const rest = new REST({ ...options.rest, ...(options.apiRoot ? { api: options.apiRoot } : {}) }).setToken(options.token);
  const charts = options.charts ?? createChartImages();
  return {
    name: 'discord',
    destinations: () => options.channelIds.map((id) => `discord:${id}`),
    partCount: (msg: Message) => toDiscordPayloads(msg).length,
    async sendPart(destination: string, msg: Message, part: number, opts: SendOptions = {}) {
      const channelId = destinationId('discord', destination);
      const payload = pickPart('discord', destination, toDiscordPayloads(msg), part);
      const reply = opts.replyTo ? { message_reference: { message_id: opts.replyTo, fail_if_not_exists: false } } : {};
      const nonce = msg.id ? { nonce: discordNonce(msg.id, destination, part), enforce_nonce: true } : {};
      // @silent in the client: the message shows, members are not pinged or buzzed.
      const flags = opts.silent ? { flags: MessageFlags.SuppressNotifications } : {};
      // The chart goes with the first embed, so with part 0 only.
      const image = part === 0 ? await charts.image(msg.chart) : null;
      const body = { ...(image ? withImage(payload, image) : payload), ...reply, ...nonce, ...flags };
      try {
        const posted = (await rest.post(Routes.channelMessages(channelId), { body, ...(image ? { files: [discordFile(image)] } : {}) })) as {
          id: string;
        };
        return { messageId: posted.id };
      } catch (err) {
        throw toDeliveryError(destination, err, options.token);
      }
    },
  };
}
