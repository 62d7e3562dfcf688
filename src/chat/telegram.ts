/**
 * The Telegram face of the commands: a telegraf bot with `bot.command(name)` for every spec, the words after
 * the command as positional args, replies rendered by notify/render/telegram.ts (entities, no parse_mode,
 * split at 4096, a chart as a photo, buttons as an inline keyboard answered in telegram-buttons.ts, each part
 * retried on 429/5xx: replies.ts) and `setMyCommands` from the same list. Any other
 * `/foo` gets the dispatcher's "Unknown command" reply. Long polling; telegraf 4.16's launch() only resolves when polling stops, so start-up
 * waits for its onLaunch callback instead (telegraf/telegraf#1749). Polling that dies later (409 Conflict when
 * another process polls the same token) is logged and reported through `ended`, so a caller can react.
 * @module
 */
import { Telegraf, TelegramError, type Context } from 'telegraf';
import { callbackQuery, message } from 'telegraf/filters';
import { createChartImages, type ChartImages } from '../notify/chart-image.ts';
import { toTelegramParts } from '../notify/render/telegram.ts';
import { sendTelegramPart, toDeliveryError } from '../notify/sinks/telegram.ts';
import type { Message } from '../notify/message.ts';
import { sendReply, type ReplyRetryOptions } from './replies.ts';
import { pressed } from './telegram-buttons.ts';
import { adapterBasics, type ChatBotBase, type Dispatcher } from '../../commands/dispatch.ts';
import { availableOn } from '../../commands/spec.ts';

/** Telegram's limit for a command's menu description. */
const MENU_DESCRIPTION_MAX_CHARS = 256;

export type TelegramBotOptions = ChatBotBase & {
  /** TELEGRAM_API_ROOT, e.g. a self-hosted Bot API server; Telegram's own by default. */
  apiRoot?: string;
  /** Waits between reply retries (tests: a recording sleep). */
  replyRetry?: Pick<ReplyRetryOptions, 'sleep' | 'random' | 'now'>;
  /** Renders reply charts (default: one of this bot's own). */
  charts?: ChartImages;
};

export type TelegramBot = {
  bot: Telegraf;
  dispatcher: Dispatcher;
  /** Resolves once polling has stopped: null after stop(), else why it died (already logged). */
  ended: Promise<PollingEnd | null>;
  stop(): Promise<void>;
};

/** Why polling died on its own: `conflict` for a 409; `message` is redacted (no token). */
export type PollingEnd = { conflict: boolean; message: string };

/**
 * True for Telegram's 409 Conflict: another getUpdates loop (another process) took over this token, or a
 * webhook is set. telegraf stops polling for good on it, so it must reach the logs and the caller.
 */
export function isPollingConflict(err: unknown): boolean {
  return err instanceof TelegramError && err.code === 409;
}

/** "/scan@hundredx_bot NFLX" -> name "scan", bot "hundredx_bot", rest "NFLX". */
const COMMAND_LINE = /^\/([^\s@]+)(?:@(\S+))?\s*([\s\S]*)$/;

/** Start long polling; resolves once telegraf is polling (getMe and deleteWebhook succeeded). */
export async function startTelegramBot(opts: TelegramBotOptions): Promise<TelegramBot> {
  const { dispatcher, log, clean } = adapterBasics(opts);
  const charts = opts.charts ?? createChartImages({ logger: log });
  const bot = new Telegraf(opts.token, {
    telegram: { ...(opts.apiRoot ? { apiRoot: opts.apiRoot } : {}), webhookReply: false },
  });

  // Optional niceties (menu, "typing") may be unsupported by a proxy or fake: say so once, carry on.
  const warned = new Set<string>();
  const warnOnce = (method: string, err: unknown) => {
    if (warned.has(method)) return;
    warned.add(method);
    log.warn(`telegram ${method} failed, continuing without it: ${clean(err)}`);
  };

  async function handle(ctx: Context, command: string, payload: string): Promise<void> {
    if (!ctx.chat || !ctx.from) return;
    const words = payload.trim() === '' ? [] : payload.trim().split(/\s+/);
    const msg = await dispatcher.dispatch({
      platform: 'telegram',
      chat: `telegram:${ctx.chat.id}`,
      user: `telegram:${ctx.from.id}`,
      command,
      input: words,
      onSlow: () => ctx.sendChatAction('typing').then(
        () => undefined,
        (err: unknown) => warnOnce('sendChatAction', err),
      ),
    });
    const what = `telegram reply command=${command} chat=telegram:${ctx.chat.id}`;
    await sendParts(ctx, msg, what).catch((err: unknown) => log.error(`${what} failed: ${clean(err)}`));
  }

  const retrying = <T>(send: () => Promise<T>, chat: string, what: string): Promise<T> =>
    sendReply(send, { ...opts.replyRetry, toError: (err) => toDeliveryError(chat, err, opts.token), logger: log, what });

  /** `msg` as messages of their own in ctx's chat, part by part: a retry resends only the part that failed. */
  async function sendParts(ctx: Context, msg: Message, what: string): Promise<void> {
    const chatId = ctx.chat!.id;
    // In a forum topic, answer in that topic (what ctx.reply does by itself).
    const extra = ctx.msg && 'is_topic_message' in ctx.msg && ctx.msg.is_topic_message ? { message_thread_id: ctx.msg.message_thread_id } : {};
    let firstId: string | undefined;
    for (const part of toTelegramParts(msg)) {
      const image = part.type === 'photo' ? await charts.image(msg.chart) : null;
      // A photo after the text replies to the text's first message, as the alert sink does.
      const replyTo = part.type === 'photo' ? firstId : undefined;
      // No reply window on Telegram: attempts bound the retries.
      const send = () => sendTelegramPart(ctx.telegram, String(chatId), part, { image, replyTo, extra });
      const { messageId } = await retrying(send, `telegram:${chatId}`, what);
      firstId ??= messageId ?? undefined;
    }
  }

  const offered = opts.commands.filter((c) => availableOn(c, 'telegram'));
  for (const spec of offered) bot.command(spec.name, (ctx) => handle(ctx, spec.name, ctx.payload));
  // Reached only when no bot.command matched: an unknown command. In groups every bot sees every /command,
  // so there only one addressed to us by name (/foo@ourbot) is ours to call unknown.
  bot.on(message('text'), async (ctx) => {
    const m = COMMAND_LINE.exec(ctx.message.text);
    if (!m) return;
    const [, name = '', addressee, rest = ''] = m;
    const toUs = addressee?.toLowerCase() === ctx.botInfo.username.toLowerCase();
    if (addressee ? !toUs : ctx.chat.type !== 'private') return;
    await handle(ctx, name, rest);
  });
  bot.on(callbackQuery('data'), (ctx) => pressed(ctx, ctx.callbackQuery.data, { dispatcher, log, clean, retrying, sendParts }));
  bot.catch((err, ctx) => log.error(`telegram update ${ctx.update.update_id} failed: ${clean(err)}`));

  let launched = false;
  let failure: PollingEnd | null = null;
  let polling: Promise<void> = Promise.resolve();
  await new Promise<void>((resolve, reject) => {
    polling = bot
      .launch(() => {
        launched = true;
        resolve();
      })
      .catch((err: unknown) => {
        const text = `Telegram polling failed (check TELEGRAM_BOT_TOKEN and TELEGRAM_API_ROOT): ${clean(err)}`;
        if (!launched) return reject(new Error(text));
        failure = { conflict: isPollingConflict(err), message: clean(err) };
        // grammY's hint for the same error: the token is right, but only one process may poll it.
        log.error(
          failure.conflict
            ? `telegram polling stopped by 409 Conflict: another process is polling this bot token (${failure.message})`
            : text,
        );
      });
  });

  // After launch, so a bad token fails once, clearly, in getMe rather than here.
  await bot.telegram
    .setMyCommands(
      offered.map((c) => ({ command: c.name, description: c.description.slice(0, MENU_DESCRIPTION_MAX_CHARS) })),
    )
    .catch((err: unknown) => warnOnce('setMyCommands', err));

  return {
    bot,
    dispatcher,
    ended: polling.then(() => failure),
    async stop() {
      try {
        bot.stop('shutdown');
      } catch {
        // "Bot is not running!" when stop() races the end of launch (telegraf/telegraf#2003): already stopped.
      }
      await polling;
    },
  };
}
