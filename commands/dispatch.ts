/**
 * The one platform-neutral command dispatcher (KevinNovak's order): find the command -> admin check ->
 * per-user rate limit -> parse args -> (defer / typing for slow commands) -> run. Every outcome is a
 * Message: user mistakes get their own short text, anything unexpected gets "Something went wrong (ref
 * 7f3a)" and a log line with the ref, platform, command and caller. A pressed button is a command too (press).
 * Adapters only translate in and out.
 * @module
 */
import type { Logger } from '../src/core/log.ts';
import { randomBytes } from 'node:crypto';
import { DEFAULTS } from '../src/config/defaults.ts';
import { availableOn, parseArgs, MAX_ARG_CHARS, type AnyCommand, type CommandContext, type Platform } from './spec.ts';
import { redactSecrets, UserInputError } from '../src/core/errors.ts';
import { decodeAction } from '../src/notify/actions.ts';
import type { Message } from '../src/notify/message.ts';
import type { CommandServices } from './context.ts';
import { SlidingWindowLimiter, type RateLimit } from './rate-limit.ts';

export type { RateLimit } from './rate-limit.ts';

/** Discord allows at most 25 autocomplete choices. */
export const MAX_AUTOCOMPLETE_CHOICES = 25;

export type DispatcherOptions = {
  commands: readonly AnyCommand[];
  services: CommandServices;
  /** ADMIN_USER_IDS: 'discord:<id>' and 'telegram:<id>'. */
  adminIds: readonly string[];
  rateLimit?: RateLimit;
  logger?: Logger;
  now?: () => Date;
  /** Short error reference shown to users and logged; random 4 hex digits by default. */
  newRef?: () => string;
  /** Extra strings to scrub from logged errors (bot tokens). */
  secrets?: readonly string[];
};

/** Who invoked which command where. */
export type Caller = { platform: Platform; chat: string; user: string };

export type CommandRequest = Caller & {
  command: string;
  /** Discord's named options or Telegram's words. */
  input: Readonly<Record<string, string>> | readonly string[];
  /**
   * Called once, just before a `slow` command runs, after every check passed (Discord defers, Telegram sends
   * "typing"). If it throws, dispatch rejects with that error: the platform side is gone, there is no one to answer.
   */
  onSlow?: () => Promise<void>;
  /** Where a long command reports progress (the CLI on a terminal). */
  progress?: (text: string) => void;
};

export type AutocompleteRequest = Caller & { command: string; arg: string; prefix: string };

/**
 * A short reply for a refused request (unknown command, not allowed, rate limited, bad input: the caller can
 * fix it) or a failed one (our fault, logged with `ref`). `data` says which, for faces that exit with a code.
 */
export const notice = (title: string, failedRef?: string): Message => ({
  kind: 'error',
  title,
  fields: [],
  tone: 'warning',
  data: failedRef ? { error: 'failed', ref: failedRef } : { error: 'refused' },
});

/** Only name-like characters of what a user typed, cut short, for echoing back. */
const shownName = (name: string): string => name.replace(/[^\w-]/g, '').slice(0, 32) || '?';

export class Dispatcher {
  private readonly byName: Map<string, AnyCommand>;
  private readonly limiter: SlidingWindowLimiter;
  private readonly log: Logger;
  private readonly now: () => Date;
  private readonly newRef: () => string;

  constructor(private readonly opts: DispatcherOptions) {
    this.byName = new Map(opts.commands.map((c) => [c.name, c]));
    this.limiter = new SlidingWindowLimiter(opts.rateLimit ?? DEFAULTS.scanRateLimit);
    this.log = opts.logger ?? console;
    this.now = opts.now ?? (() => new Date());
    this.newRef = opts.newRef ?? (() => randomBytes(2).toString('hex'));
  }

  get commands(): readonly AnyCommand[] {
    return this.opts.commands;
  }

  find(name: string): AnyCommand | undefined {
    return this.byName.get(name.toLowerCase());
  }

  private context(caller: Caller & { progress?: (text: string) => void }): CommandContext {
    return {
      platform: caller.platform,
      chat: caller.chat,
      user: caller.user,
      isAdmin: this.opts.adminIds.includes(caller.user),
      services: this.opts.services,
      now: this.now,
      progress: caller.progress ?? (() => undefined),
    };
  }

  /** Run one command; always resolves with the reply, unless `onSlow` throws. */
  async dispatch(req: CommandRequest): Promise<Message> {
    const spec = this.find(req.command);
    if (!spec || !availableOn(spec, req.platform)) return notice(`Unknown command /${shownName(req.command)}. Try /help.`);
    const ctx = this.context(req);
    if (spec.admin && !ctx.isAdmin) return notice(`You are not allowed to use /${spec.name}.`);
    if (spec.rateLimited) {
      const waitMs = this.limiter.take(req.user, this.now().getTime());
      if (waitMs > 0) {
        const { max, windowMs } = this.limiter.limit;
        return notice(
          `Slow down: /${spec.name} is limited to ${max} per ${Math.round(windowMs / 1000)} s. Try again in ${Math.ceil(waitMs / 1000)} s.`,
        );
      }
    }
    let args: unknown;
    try {
      args = parseArgs(spec, req.input);
    } catch (err) {
      return this.failed(err, req, spec.name);
    }
    if (spec.slow && req.onSlow) await req.onSlow();
    try {
      return await spec.run(ctx, args as Parameters<AnyCommand['run']>[1]);
    } catch (err) {
      return this.failed(err, req, spec.name);
    }
  }

  /**
   * A pressed button (Discord component, Telegram callback query): its data read and checked (notify/actions.ts),
   * then the command it names, exactly as if the presser had typed it, admin check and all. `edit`: the answer
   * replaces the message the button is on; never for a refusal, which only the presser should see.
   */
  async press(req: Caller & { data: string; onSlow?: (how: { edit: boolean }) => Promise<void> }): Promise<{ message: Message; edit: boolean }> {
    const decoded = decodeAction(req.data);
    if (!decoded.ok) {
      this.log.warn(`chat button refused platform=${req.platform} user=${req.user}: ${decoded.reason}`);
      return { message: notice('This button no longer works; run the command again.'), edit: false };
    }
    const { command, args, edit } = decoded.action;
    const { onSlow, data: _data, ...caller } = req;
    // A slow command is deferred the way its answer will come: as an edit of this message, or a message of its own.
    const message = await this.dispatch({ ...caller, command, input: args, ...(onSlow ? { onSlow: () => onSlow({ edit }) } : {}) });
    return { message, edit: edit && message.kind !== 'error' };
  }

  /** Suggestions for one argument: the command's autocomplete filtered by prefix (case-insensitive), at most 25. */
  async autocomplete(req: AutocompleteRequest): Promise<string[]> {
    const spec = this.find(req.command);
    const suggest = spec?.autocomplete?.[req.arg];
    if (!spec || !suggest) return [];
    const ctx = this.context(req);
    if (spec.admin && !ctx.isAdmin) return [];
    const prefix = req.prefix.trim().replace(/^\$/, '').slice(0, MAX_ARG_CHARS).toLowerCase();
    try {
      const all = await suggest(ctx, prefix);
      const matching = [...new Set(all)].filter((s) => s.toLowerCase().startsWith(prefix));
      return matching.slice(0, MAX_AUTOCOMPLETE_CHOICES);
    } catch (err) {
      this.log.warn(`chat autocomplete failed platform=${req.platform} command=${spec.name} arg=${req.arg}: ${this.clean(err)}`);
      return [];
    }
  }

  private failed(err: unknown, caller: Caller, command: string): Message {
    if (err instanceof UserInputError) return notice(err.message);
    const ref = this.newRef();
    this.log.error(
      `chat command failed ref=${ref} platform=${caller.platform} command=${command} user=${caller.user}: ${this.clean(err)}`,
    );
    return notice(`Something went wrong (ref ${ref}).`, ref);
  }

  private clean(err: unknown): string {
    const text = err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err);
    return redactSecrets(text, this.opts.secrets ?? []);
  }
}

/** What every platform adapter is started with. */
export type ChatBotBase = {
  token: string;
  services: CommandServices;
  adminIds: readonly string[];
  commands: readonly AnyCommand[];
  rateLimit?: RateLimit;
  logger?: Logger;
  now?: () => Date;
};

/**
 * The pieces each adapter starts from: its dispatcher, its logger, and `clean` for error text (the bot token
 * scrubbed, since client errors can carry the token-bearing URL).
 */
export function adapterBasics(opts: ChatBotBase): { dispatcher: Dispatcher; log: Logger; clean: (err: unknown) => string } {
  const log = opts.logger ?? console;
  const clean = (err: unknown) => redactSecrets(err instanceof Error ? `${err.name}: ${err.message}` : String(err), [opts.token]);
  const dispatcher = new Dispatcher({
    commands: opts.commands,
    services: opts.services,
    adminIds: opts.adminIds,
    logger: log,
    secrets: [opts.token],
    ...(opts.rateLimit ? { rateLimit: opts.rateLimit } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });
  return { dispatcher, log, clean };
}
