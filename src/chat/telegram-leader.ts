/**
 * Telegram command polling, leader-elected through the Store. Telegram serves one getUpdates loop per bot
 * token: a second poller gets the first one a 409 Conflict, and telegraf then stops polling for good. So
 * of several instances sharing one Redis, only the holder of the `hx:telegram:poller` lock polls; the
 * others stand by and take over when it stops, dies (the lock expires after its TTL) or loses the lock.
 * Alerts are unaffected: every instance may still send through the Bot API.
 * @module
 */
import { acquireLease, realTimer, type Lease, type Timer } from '../core/lock.ts';
import type { Logger } from '../core/log.ts';
import type { Store } from '../store/store.ts';
import { startTelegramBot, type PollingEnd, type TelegramBot, type TelegramBotOptions } from './telegram.ts';

/** The Store key all instances compete for. */
export const TELEGRAM_POLLER_LOCK = 'hx:telegram:poller';

/** Lock lifetime: how long a crashed leader's commands go unanswered before another instance polls. */
export const DEFAULT_POLLER_TTL_MS = 30_000;

export type TelegramLeaderOptions = TelegramBotOptions & {
  store: Store;
  /** Default TELEGRAM_POLLER_LOCK. */
  lockKey?: string;
  /** Default 30 s; the leader's lease renews every third of it, standby instances retry every half. */
  ttlMs?: number;
  /** Default: setTimeout/clearTimeout. */
  timer?: Timer;
  /** Epoch milliseconds, to tell how long renewals have failed. Default Date.now. */
  clock?: () => number;
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

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Join the election and take the first step before resolving: the instance either polls or stands by.
 * A bot that fails to launch on that first attempt (bad token, unreachable API) rejects, as a direct
 * startTelegramBot would, so a misconfiguration fails start-up; later failures are logged and retried.
 */
export async function startTelegramLeader(opts: TelegramLeaderOptions): Promise<TelegramLeader> {
  const { store, lockKey = TELEGRAM_POLLER_LOCK, ttlMs = DEFAULT_POLLER_TTL_MS, timer = realTimer } = opts;
  const { clock = Date.now, startBot = startTelegramBot } = opts;
  const log: Logger = opts.logger ?? console;
  const retryEveryMs = Math.max(1, Math.floor(ttlMs / 2));

  let held: { lease: Lease; bot: TelegramBot } | undefined;
  let stopped = false;
  let standbyLogged = false;
  let cancelRetry: (() => void) | undefined;
  // Every step runs on this chain, so timer ticks, manual ticks, a lost lease, a dying bot and stop() never interleave.
  let chain: Promise<void> = Promise.resolve();
  const enqueue = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = chain.then(fn);
    chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  };

  /** While standing by, try to lead again in TTL/2. */
  const scheduleRetry = () => {
    cancelRetry?.();
    cancelRetry = stopped || held ? undefined : timer(() => enqueue(() => step()).then(() => undefined), retryEveryMs);
  };

  const standBy = () => {
    if (!standbyLogged) log.info('telegram: standby, another instance polls');
    standbyLogged = true;
    scheduleRetry();
  };

  /** Stop our bot and give the lock back (best effort: it expires after the TTL anyway). */
  async function stepDown(): Promise<void> {
    const current = held;
    if (!current) return;
    held = undefined;
    await current.bot.stop().catch((err: unknown) => log.warn(`telegram: stopping the bot failed: ${messageOf(err)}`));
    await current.lease.release();
  }

  /** The lease is gone (taken, expired, or not renewable for a TTL): another instance may poll now. */
  async function onLost(lease: Lease, reason: Error): Promise<void> {
    if (held?.lease !== lease || stopped) return;
    log.warn(`telegram: ${reason.message}; stopping polling, another instance may poll now`);
    await stepDown();
    standBy();
  }

  /** Polling died on its own (409: someone outside the election polls; or another error): stand by. */
  async function onPollingEnd(bot: TelegramBot, end: PollingEnd): Promise<void> {
    if (held?.bot !== bot || stopped) return;
    const why = end.conflict ? 'another process is polling this bot token (409 Conflict)' : end.message;
    log.warn(`telegram: polling ended (${why}); standing by and retrying in ${retryEveryMs} ms`);
    await stepDown();
    standBy();
  }

  /** Standby: take the lock if free and start polling. Returns a launch error for the caller to decide on. */
  async function tryLead(): Promise<{ error: unknown } | undefined> {
    const lease: Lease | null = await acquireLease(store, lockKey, {
      ttlMs,
      timer,
      clock,
      onWarning: (m) => log.warn(`telegram: ${m}`),
      onLost: (reason) => enqueue(() => onLost(lease!, reason)),
    });
    if (!lease) {
      standBy();
      return undefined;
    }
    let bot: TelegramBot;
    try {
      bot = await startBot(opts);
    } catch (error) {
      await lease.release();
      return { error };
    }
    held = { lease, bot };
    standbyLogged = false;
    log.info('telegram: polling (leader)');
    void bot.ended.then((end) => (end ? enqueue(() => onPollingEnd(bot, end)) : undefined)).catch(() => undefined);
    return undefined;
  }

  /** One standby step; on the first, a launch failure is returned instead of logged. */
  async function step(first = false): Promise<{ error: unknown } | undefined> {
    if (stopped || held) return undefined;
    try {
      const failed = await tryLead();
      if (failed && first) return failed;
      if (failed) {
        log.error(`telegram: could not start polling, retrying in ${retryEveryMs} ms: ${messageOf(failed.error)}`);
        scheduleRetry();
      }
    } catch (err) {
      // Store errors (Redis briefly unreachable): nobody is harmed by waiting for the next step.
      log.warn(`telegram: leader election step failed, retrying: ${messageOf(err)}`);
      scheduleRetry();
    }
    return undefined;
  }

  const failed = await enqueue(() => step(true));
  if (failed) throw failed.error;

  return {
    get polling() {
      return held !== undefined;
    },
    get bot() {
      return held?.bot;
    },
    tick: async () => {
      await enqueue(() => step());
    },
    stop: () =>
      enqueue(async () => {
        stopped = true;
        cancelRetry?.();
        cancelRetry = undefined;
        await stepDown();
      }),
  };
}
