/**
 * Command specs -> Discord slash command JSON, and registering it. Guild commands update instantly, so
 * DISCORD_GUILD_ID is the way to develop; without it the commands are global.
 * @module
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  REST,
  Routes,
  type RESTOptions,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { availableOn, describeArgs, type AnyCommand } from '../../commands/spec.ts';
import { truncate } from '../notify/text.ts';

/** Discord's limit for command and option descriptions and for choice names and values. */
const DESCRIPTION_MAX_CHARS = 100;

/** The slash command JSON for one spec: string options in positional order, enums as choices, autocomplete flags. */
export function discordCommandJson(spec: AnyCommand): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const args = describeArgs(spec);
  // Discord rejects a required option after an optional one; fail at start-up naming the command.
  const firstOptional = args.findIndex((a) => !a.required);
  if (firstOptional >= 0 && args.slice(firstOptional).some((a) => a.required)) {
    throw new Error(`/${spec.name}: required arguments must come before optional ones for Discord`);
  }
  return {
    type: ApplicationCommandType.ChatInput,
    name: spec.name,
    description: truncate(spec.description, DESCRIPTION_MAX_CHARS),
    // Admin commands are hidden from members by default ("0": no permission suffices; server admins can
    // grant them in the integration settings). ADMIN_USER_IDS still decides who may run them.
    ...(spec.admin ? { default_member_permissions: '0' } : {}),
    options: args.map((a) => ({
      type: ApplicationCommandOptionType.String,
      name: a.name,
      description: truncate(a.description, DESCRIPTION_MAX_CHARS),
      required: a.required,
      // Discord allows choices or autocomplete on an option, never both.
      ...(a.choices
        ? { choices: a.choices.map((c) => ({ name: c, value: c })) }
        : spec.autocomplete?.[a.name]
          ? { autocomplete: true }
          : {}),
    })),
  };
}

export type RegisterDiscordOptions = {
  token: string;
  appId: string;
  /** DISCORD_GUILD_ID: register to this guild only (instant) instead of globally. */
  guildId?: string;
  /** DISCORD_API_ROOT, e.g. http://127.0.0.1:8080/api; the client appends /v10. */
  apiRoot?: string;
  commands: readonly AnyCommand[];
  /** Other @discordjs/rest options (e.g. `retries`, `timeout`). */
  rest?: Partial<RESTOptions>;
};

/** PUT every command (replacing what was registered before); resolves with Discord's answer. */
export async function registerDiscordCommands(opts: RegisterDiscordOptions): Promise<unknown> {
  const rest = new REST({ ...opts.rest, ...(opts.apiRoot ? { api: opts.apiRoot } : {}) }).setToken(opts.token);
  const route = opts.guildId
    ? Routes.applicationGuildCommands(opts.appId, opts.guildId)
    : Routes.applicationCommands(opts.appId);
  return rest.put(route, { body: opts.commands.filter((c) => availableOn(c, 'discord')).map(discordCommandJson) });
}
