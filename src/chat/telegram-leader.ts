/**
 * Telegram command polling, leader-elected through the Store. Telegram serves one getUpdates loop per bot
 * token: a second poller gets the first one a 409 Conflict, and telegraf then stops polling for good. So
 * of several instances sharing one Redis, only the holder of the `hx:telegram:poller` lock polls; the
 * others stand by and take over when it stops, dies (the lock expires after its TTL) or loses the lock.
 * Alerts are unaffected: every instance may still send through the Bot API.
 * @module
 */
import { DEFAULT_LEADER_TTL_MS, electionOf, startLeader, type ElectionOptions } from './leader.ts';
import { startTelegramBot, type TelegramBot, type TelegramBotOptions } from './telegram.ts';

/** The Store key all instances compete for. */
export const TELEGRAM_POLLER_LOCK = 'hx:telegram:poller';

/** Lock lifetime: how long a crashed leader's commands go unanswered before another instance polls. */
export const DEFAULT_POLLER_TTL_MS = DEFAULT_LEADER_TTL_MS;

/** lockKey defaults to TELEGRAM_POLLER_LOCK; ttlMs is how long a crashed leader's commands go unanswered. */
export type TelegramLeaderOptions = TelegramBotOptions & ElectionOptions & {
  /** Starts polling; default startTelegramBot (tests may wrap it). */
  startBot?: (opts: TelegramBotOptions) => Promise<TelegramBot>;
};

export type TelegramLeader = {
  /** True while this instance holds the lock and its bot polls. */
  readonly polling: boolean;
  /** The polling bot while leader, else undefined. */
  readonly bot: TelegramBot | undefined;
  /** One standby step now (take the lock if free). The timer calls this; renewals are the lease's own. */
  tick(): Promise<void>;
  /** Stop polling (if leader), then release the lock so another instance can take over at once. */
  stop(): Promise<void>;
};

/**
 * Join the election and take the first step before resolving: the instance either polls or stands by.
 * A bot that fails to launch on that first attempt (bad token, unreachable API) rejects, as a direct
 * startTelegramBot would, so a misconfiguration fails start-up; later failures are logged and retried.
 */
export async function startTelegramLeader(opts: TelegramLeaderOptions): Promise<TelegramLeader> {
  const startBot = opts.startBot ?? startTelegramBot;
  const leader = await startLeader({
    name: 'telegram',
    words: {
      leading: 'polling (leader)',
      standby: 'standby, another instance polls',
      stopping: 'stopping polling',
      ended: 'polling ended',
      startFailed: 'could not start polling',
    },
    ...electionOf(opts, TELEGRAM_POLLER_LOCK),
    async start() {
      const bot = await startBot(opts);
      // A 409 means someone outside the election polls this token: stand by rather than fight over it.
      const ended = bot.ended.then((end) =>
        end ? { why: end.conflict ? 'another process is polling this bot token (409 Conflict)' : end.message } : null,
      );
      return { bot, ended, stop: () => bot.stop() };
    },
  });
  return {
    get polling() {
      return leader.leading;
    },
    get bot() {
      return leader.role?.bot;
    },
    tick: () => leader.tick(),
    stop: () => leader.stop(),
  };
}
