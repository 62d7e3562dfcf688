/**
 * The shape of a chat command, shared by Discord, Telegram and /help. A command is one file that calls
 * defineCommand; its zod `args` object is the single source for Discord options, Telegram's positional
 * parsing and the help text. Commands import no chat library: they take a CommandContext and return a
 * platform-neutral Message, so a test can dispatch them in process.
 * @module
 */
import { z } from 'zod';
import { UserInputError } from '../src/core/errors.ts';
import type { Message } from '../src/notify/message.ts';
import type { CommandServices } from './context.ts';

/** Where a command was typed: a chat platform, or the `hundredx` CLI. */
export type Platform = 'discord' | 'telegram' | 'cli';

/** Who asked, where, and the dependencies a command may use. */
export type CommandContext = {
  platform: Platform;
  /** 'discord:<channelId>' or 'telegram:<chatId>': also the key of the chat's watchlist. */
  chat: string;
  /** 'discord:<userId>' or 'telegram:<userId>', the form ADMIN_USER_IDS uses. */
  user: string;
  isAdmin: boolean;
  services: CommandServices;
  now(): Date;
  /** Tell the caller how a long command is getting on (the CLI prints it on a terminal); a no-op elsewhere. */
  progress(text: string): void;
};

/** Suggestions for one argument; the dispatcher filters them by the typed prefix and keeps at most 25. */
export type AutocompleteFn = (ctx: CommandContext, prefix: string) => string[] | Promise<string[]>;

/**
 * One command. `args` is a zod object whose keys, in order, are the positional arguments; each field's
 * `.describe()` text becomes the Discord option description and /help text, and a `z.enum` becomes
 * Discord choices.
 */
export type CommandSpec<S extends z.ZodObject = z.ZodObject> = {
  /** Lowercase, 1-32 of a-z 0-9 _ (valid on both Discord and Telegram). */
  name: string;
  /** One line, at most 100 characters (Discord's limit). */
  description: string;
  args: S;
  /** Arguments of a typical call, shown in errors and help: 'NFLX' gives "e.g. /scan NFLX". */
  example?: string;
  /** Only ids in ADMIN_USER_IDS may run it. */
  admin?: boolean;
  /** May take over 2 s: the dispatcher defers on Discord and sends "typing" on Telegram. */
  slow?: boolean;
  /** Counts against the per-user rate limit (commands that hit the data provider). */
  rateLimited?: boolean;
  /**
   * The last argument takes every remaining word (Telegram, the CLI): `/scan NFLX TSLA` gives "NFLX TSLA".
   * Discord sends it as one string option anyway.
   */
  rest?: boolean;
  /**
   * Where the command is offered: chat (Discord and Telegram) and/or the `hundredx` CLI. Default both. A
   * long study that writes files (the backtest) is for the terminal only.
   */
  faces?: readonly ('chat' | 'cli')[];
  autocomplete?: Partial<Record<Extract<keyof S['shape'], string>, AutocompleteFn>>;
  run(ctx: CommandContext, args: z.output<S>): Promise<Message>;
};

/**
 * Any command, for lists. `run` is declared as a method, so TypeScript checks its parameters bivariantly
 * and a CommandSpec<typeof ScanArgs> fits here; parseArgs makes sure the args match at runtime.
 */
export type AnyCommand = CommandSpec<z.ZodObject>;

/** True when `spec` is offered on `platform`. */
export const availableOn = (spec: Pick<AnyCommand, 'faces'>, platform: Platform): boolean =>
  !spec.faces || spec.faces.includes(platform === 'cli' ? 'cli' : 'chat');

/** Identity with inference: `defineCommand({ ... })` checks `run`'s args against `args`. */
export function defineCommand<S extends z.ZodObject>(spec: CommandSpec<S>): CommandSpec<S> {
  return spec;
}

/** One positional argument as the adapters and /help see it. */
export type ArgInfo = { name: string; description: string; required: boolean; choices?: string[] };

/** Longest argument accepted; anything longer is refused before validation and never echoed. */
export const MAX_ARG_CHARS = 100;
/** Longest `rest` argument (several words, e.g. 40 tickers). */
export const MAX_REST_CHARS = 400;

function inner(field: z.ZodType): z.ZodType {
  return field instanceof z.ZodOptional || field instanceof z.ZodDefault ? inner(field.unwrap() as z.ZodType) : field;
}

/** The arguments of `spec` in positional order. */
export function describeArgs(spec: Pick<AnyCommand, 'args'>): ArgInfo[] {
  return Object.entries(spec.args.shape).map(([name, schema]) => {
    const field = schema as z.ZodType;
    const core = inner(field);
    const choices = core instanceof z.ZodEnum ? (core.options as (string | number)[]).map(String) : undefined;
    return {
      name,
      description: field.description ?? core.description ?? name,
      required: !field.isOptional(),
      ...(choices ? { choices } : {}),
    };
  });
}

/** "/scan [tickers...]", "/watch <add|remove|list> [ticker]". */
export function usage(spec: Pick<AnyCommand, 'name' | 'args' | 'rest'>): string {
  const args = describeArgs(spec);
  const parts = args.map((a, i) => {
    const label = `${a.choices ? a.choices.join('|') : a.name}${spec.rest && i === args.length - 1 ? '...' : ''}`;
    return a.required ? `<${label}>` : `[${label}]`;
  });
  return [`/${spec.name}`, ...parts].join(' ');
}

/** "e.g. /scan NFLX", or the usage line when the spec gives no example. */
export function exampleOf(spec: Pick<AnyCommand, 'name' | 'args' | 'example' | 'rest'>): string {
  return `e.g. ${spec.example ? `/${spec.name} ${spec.example}` : usage(spec)}`;
}

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * Turn platform input into validated args: Discord gives named options, Telegram a list of words. Throws
 * UserInputError naming the field ("ticker: required, e.g. /scan NFLX"); raw input is checked for length
 * before anything else, so a 5,000-character argument gets a short answer and is never echoed whole.
 */
export function parseArgs<S extends z.ZodObject>(
  spec: CommandSpec<S>,
  input: Readonly<Record<string, string>> | readonly string[],
): z.output<S> {
  const infos = describeArgs(spec);
  const example = exampleOf(spec);
  let words = input;
  if (Array.isArray(input) && input.length > infos.length) {
    if (!spec.rest || infos.length === 0) {
      const takes = infos.length === 0 ? 'takes no arguments' : `takes at most ${infos.length}: ${usage(spec)}`;
      throw new UserInputError('args', `/${spec.name} ${takes}`);
    }
    words = [...input.slice(0, infos.length - 1), input.slice(infos.length - 1).join(' ')];
  }
  const named: Record<string, string | undefined> = Array.isArray(words)
    ? Object.fromEntries(infos.map((a, i) => [a.name, (words as readonly string[])[i]]))
    : { ...(words as Record<string, string>) };

  const values: Record<string, string> = {};
  for (const [i, arg] of infos.entries()) {
    const value = named[arg.name]?.trim() ?? '';
    const maxChars = spec.rest && i === infos.length - 1 ? MAX_REST_CHARS : MAX_ARG_CHARS;
    if (value === '') {
      if (arg.required) throw new UserInputError(arg.name, `${arg.name}: required, ${example}`);
      continue;
    }
    if (value.length > maxChars) {
      const n = value.length.toLocaleString('en-US');
      throw new UserInputError(arg.name, `${arg.name}: too long (${n} characters, at most ${maxChars}), ${example}`);
    }
    const lower = value.toLowerCase();
    if (arg.choices && !arg.choices.includes(lower)) {
      throw new UserInputError(arg.name, `${arg.name}: must be one of ${arg.choices.join(', ')} (got "${cut(value, 20)}"), ${example}`);
    }
    values[arg.name] = arg.choices ? lower : value;
  }
  const parsed = spec.args.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? 'args');
    throw new UserInputError(field, `${field}: ${cut(issue?.message ?? 'invalid', 200)}`);
  }
  return parsed.data;
}
