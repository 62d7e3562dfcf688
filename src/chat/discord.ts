/**
 * The Discord face of the commands: a discord.js gateway Client that routes `interactionCreate` to the
 * dispatcher. Autocomplete answers at most 25 choices; slow commands are deferred (Discord's 3 s rule)
 * and then edited; refusals are ephemeral. A reply's chart is uploaded with its first message and shown inside
 * the first embed; its buttons are components whose press comes back here and runs through the dispatcher. Every answer is retried on 429/5xx inside its window (replies.ts):
 * 3 s for the first answer or the deferral, 15 min for the edit and follow-ups. Replies are rendered by
 * notify/render/discord.ts, so mentions are never parsed. Errors never escape the event handler: they are
 * logged with the command and caller.
 * @module
 */
import {
  AttachmentBuilder,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  MessageFlags,
  RESTJSONErrorCodes,
  type ButtonInteraction,
  type Interaction,
  type RepliableInteraction,
  type RESTOptions,
} from 'discord.js';
import { createChartImages, type ChartImage, type ChartImages } from '../notify/chart-image.ts';
import type { Message } from '../notify/message.ts';
import { toDiscordPayloads, withImage, type DiscordPayload } from '../notify/render/discord.ts';
import { toDeliveryError } from '../notify/sinks/discord.ts';
import { DeliveryError } from '../notify/sinks/errors.ts';
import { DISCORD_FIRST_ANSWER_MS, DISCORD_TOKEN_LIFE_MS, sendReply, type ReplyRetryOptions } from './replies.ts';
import { registerDiscordCommands } from './discord-commands.ts';
import { adapterBasics, type Caller, type ChatBotBase, type Dispatcher } from '../../commands/dispatch.ts';

export { discordCommandJson, registerDiscordCommands, type RegisterDiscordOptions } from './discord-commands.ts';

/** Codes meaning "the other side is gone" (interaction expired, channel deleted, DMs closed): not our bug. */
const IGNORED_CODES = new Set<number | string>([
  RESTJSONErrorCodes.UnknownInteraction,
  RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged,
  RESTJSONErrorCodes.UnknownChannel,
  RESTJSONErrorCodes.UnknownMessage,
  RESTJSONErrorCodes.CannotSendMessagesToThisUser,
]);

export type DiscordBotOptions = ChatBotBase & {
  appId: string;
  guildId?: string;
  /** DISCORD_API_ROOT, e.g. http://127.0.0.1:8080/api. */
  apiRoot?: string;
  /** Register the slash commands before connecting (default true). */
  register?: boolean;
  /** Other @discordjs/rest options for the client (e.g. `offset`, `retries`). */
  rest?: Partial<RESTOptions>;
  /** Waits between reply retries (tests: a recording sleep). */
  replyRetry?: Pick<ReplyRetryOptions, 'sleep' | 'random' | 'now'>;
  /** Renders reply charts (default: one of this bot's own). */
  charts?: ChartImages;
};

export type DiscordBot = { client: Client; dispatcher: Dispatcher; stop(): Promise<void> };

const toReply = (p: DiscordPayload) => ({
  ...(p.content ? { content: p.content } : {}),
  embeds: p.embeds,
  // Always set: an edit without buttons (a confirmation answered) takes the old ones away.
  components: p.components ?? [],
  allowedMentions: { parse: [] },
});

/** The first reply of `msg`, with its chart (when it renders) uploaded and shown inside the first embed. */
function firstReply(first: DiscordPayload, image: ChartImage | null) {
  if (!image) return toReply(first);
  const { attachments: _described, ...payload } = withImage(first, image);
  // discord.js builds `attachments` from `files` itself; the embed points at the file by name.
  return { ...toReply(payload), files: [new AttachmentBuilder(image.png, { name: image.fileName, description: image.alt })] };
}

/** Register (unless told not to), log in and resolve once the gateway says READY. */
export async function startDiscordBot(opts: DiscordBotOptions): Promise<DiscordBot> {
  const { dispatcher, log, clean } = adapterBasics(opts);
  const api = opts.apiRoot ? { api: opts.apiRoot } : {};
  if (opts.register ?? true) {
    await registerDiscordCommands(opts).catch((err: unknown) => {
      throw new Error(`Discord command registration failed (check DISCORD_TOKEN and DISCORD_APP_ID): ${clean(err)}`);
    });
  }
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { ...opts.rest, ...api } });
  const charts = opts.charts ?? createChartImages({ logger: log });

  /** A send retried until `windowMs` after the interaction arrived (our clock: Discord's may differ from it). */
  type Retrying = <T>(send: () => Promise<T>, windowMs: number) => Promise<T>;

  async function send(i: RepliableInteraction, msg: Message, deferred: boolean, retrying: Retrying): Promise<void> {
    const [first, ...more] = toDiscordPayloads(msg);
    if (!first) return;
    const reply = firstReply(first, await charts.image(msg.chart));
    if (deferred) await retrying(() => i.editReply(reply), DISCORD_TOKEN_LIFE_MS);
    // Refusals (bad input, not allowed, rate limited) only matter to the caller.
    else {
      const flags = msg.kind === 'error' ? { flags: MessageFlags.Ephemeral as const } : {};
      await retrying(() => i.reply({ ...reply, ...flags }), DISCORD_FIRST_ANSWER_MS);
    }
    for (const p of more) await retrying(() => i.followUp(toReply(p)), DISCORD_TOKEN_LIFE_MS);
  }

  /**
   * A pressed button: the command it carries, through the dispatcher. An edit answer replaces the message the
   * button is on (`update`, or `deferUpdate` then `editReply` when slow); a refusal is ephemeral, a follow-up
   * when the press was deferred as an update; any other answer is a reply of its own.
   */
  async function pressed(i: ButtonInteraction, caller: Caller, retrying: Retrying): Promise<void> {
    let deferred: 'update' | 'reply' | null = null;
    const { message, edit } = await dispatcher.press({
      ...caller,
      data: i.customId,
      onSlow: async (how) => {
        await retrying(() => (how.edit ? i.deferUpdate() : i.deferReply()), DISCORD_FIRST_ANSWER_MS);
        deferred = how.edit ? 'update' : 'reply';
      },
    });
    const [first, ...more] = toDiscordPayloads(message);
    if (!first) return;
    if (message.kind === 'error' && deferred === 'update') {
      await retrying(() => i.followUp({ ...toReply(first), flags: MessageFlags.Ephemeral }), DISCORD_TOKEN_LIFE_MS);
    } else if (edit) {
      // An edit keeps to text and buttons: the message's picture, if it has one, stays as it is.
      const update = toReply(first);
      if (deferred) await retrying(() => i.editReply(update), DISCORD_TOKEN_LIFE_MS);
      else await retrying(() => i.update(update), DISCORD_FIRST_ANSWER_MS);
      for (const p of more) await retrying(() => i.followUp(toReply(p)), DISCORD_TOKEN_LIFE_MS);
    } else await send(i, message, deferred === 'reply', retrying);
  }

  async function route(i: Interaction): Promise<void> {
    if (i.user.bot || !(i.isAutocomplete() || i.isChatInputCommand() || i.isButton())) return;
    const caller = { platform: 'discord' as const, chat: `discord:${i.channelId ?? 'unknown'}`, user: `discord:${i.user.id}` };
    const receivedAtMs = (opts.replyRetry?.now ?? Date.now)();
    const about = i.isButton() ? `button=${i.customId.slice(0, 64)}` : `command=${i.commandName}`;
    const what = `discord reply ${about} user=${caller.user}`;
    const retrying: Retrying = (fn, windowMs) =>
      sendReply(fn, {
        ...opts.replyRetry,
        toError: (err) => toDeliveryError(caller.chat, err, opts.token),
        deadlineMs: receivedAtMs + windowMs,
        logger: log,
        what,
      });
    try {
      if (i.isButton()) return await pressed(i, caller, retrying);
      if (i.isAutocomplete()) {
        const focused = i.options.getFocused(true);
        const names = await dispatcher.autocomplete({ ...caller, command: i.commandName, arg: focused.name, prefix: String(focused.value) });
        await i.respond(names.map((n) => ({ name: n.slice(0, 100), value: n.slice(0, 100) })));
        return;
      }
      const input = Object.fromEntries(
        i.options.data.filter((o) => o.value !== undefined && o.value !== null).map((o) => [o.name, String(o.value)]),
      );
      let deferred = false;
      const msg = await dispatcher.dispatch({
        ...caller,
        command: i.commandName,
        input,
        onSlow: async () => {
          await retrying(() => i.deferReply(), DISCORD_FIRST_ANSWER_MS);
          deferred = true;
        },
      });
      await send(i, msg, deferred, retrying);
    } catch (err) {
      const code = err instanceof DeliveryError || err instanceof DiscordAPIError ? err.code : undefined;
      const gone = code !== undefined && IGNORED_CODES.has(code);
      const line = `discord interaction failed ${about} user=${caller.user}: ${clean(err)}`;
      if (gone) log.info(line);
      else log.error(line);
    }
  }

  client.on(Events.InteractionCreate, (i) => void route(i));
  client.on(Events.Error, (err) => log.error(`discord client error: ${clean(err)}`));
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  try {
    await client.login(opts.token);
  } catch (err) {
    await client.destroy();
    throw new Error(`Discord login failed (check DISCORD_TOKEN): ${clean(err)}`);
  }
  await ready;
  return { client, dispatcher, stop: () => client.destroy() };
}
