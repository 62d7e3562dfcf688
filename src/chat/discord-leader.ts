/**
 * The Discord gateway session, leader-elected through the Store (the same election as Telegram's poller,
 * leader.ts). Every gateway session of a bot receives every interaction, so two instances logged in would
 * both answer (one of them with "already acknowledged"). Of several instances sharing one Redis, only the
 * holder of the `hx:discord:gateway` lease logs in and answers; the others stand by and take over when it
 * stops, dies (the lease expires within 30 s) or loses the lease. Alerts go through REST from every instance.
 * @module
 */
import { startDiscordBot, type DiscordBot, type DiscordBotOptions } from './discord.ts';
import { electionOf, startLeader, type ElectionOptions } from './leader.ts';

/** The Store key all instances compete for. */
export const DISCORD_GATEWAY_LOCK = 'hx:discord:gateway';

/** lockKey defaults to DISCORD_GATEWAY_LOCK; ttlMs is how long a dead leader's interactions go unanswered. */
export type DiscordLeaderOptions = DiscordBotOptions & ElectionOptions & {
  /** Logs in; default startDiscordBot (tests may wrap it). */
  startBot?: (opts: DiscordBotOptions) => Promise<DiscordBot>;
};

export type DiscordLeader = {
  /** True while this instance holds the lease and its client is logged in to the gateway. */
  readonly connected: boolean;
  readonly bot: DiscordBot | undefined;
  /** One standby step now (take the lease if free). */
  tick(): Promise<void>;
  /** Log out (if leader), then release the lease so another instance can take over at once. */
  stop(): Promise<void>;
};

/**
 * Join the election and take the first step before resolving. A leader whose first login fails (bad token)
 * rejects, so a misconfiguration fails start-up; later failures are logged and retried. The leader registers
 * the slash commands each time it logs in (an idempotent PUT).
 */
export async function startDiscordLeader(opts: DiscordLeaderOptions): Promise<DiscordLeader> {
  const startBot = opts.startBot ?? startDiscordBot;
  const leader = await startLeader({
    name: 'discord',
    words: {
      leading: 'gateway session (leader): answering interactions',
      standby: 'standby, another instance holds the gateway session',
      stopping: 'closing the gateway session',
      ended: 'gateway session ended',
      startFailed: 'could not log in to the gateway',
    },
    ...electionOf(opts, DISCORD_GATEWAY_LOCK),
    async start() {
      const bot = await startBot(opts);
      return { bot, stop: () => bot.stop() };
    },
  });
  return {
    get connected() {
      return leader.leading;
    },
    get bot() {
      return leader.role?.bot;
    },
    tick: () => leader.tick(),
    stop: () => leader.stop(),
  };
}
