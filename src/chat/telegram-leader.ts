/**
 * Telegram command polling, leader-elected through the Store. Telegram serves one getUpdates loop per bot
 * token: a second poller gets the first one a 409 Conflict, and telegraf then stops polling for good. So
 * of several instances sharing one Redis, only the holder of the `hx:telegram:poller` lock polls; the
 * others stand by and take over when it stops, dies (the lock expires after its TTL) or loses the lock.
 * Alerts are unaffected: every instance may still send through the Bot API.
 * @module
 */
import type { Store } from '../store/store.ts';
import { startTelegramBot, type PollingEnd, type TelegramBot, type TelegramBotOptions } from './telegram.ts';

/** The Store key all instances compete for. */
export const TELEGRAM_POLLER_LOCK = 'hx:telegram:poller';

/** Lock lifetime: how long a crashed leader's commands go unanswered before another instance polls. */
export const DEFAULT_POLLER_TTL_MS = 30_000;

/** Schedules `fn` after `ms` and returns a cancel function. Tests inject one driven by fake time. */
export type LeaderTimer = (fn: () => Promise<void>, ms: number) => () => void;

export type TelegramLeaderOptions = TelegramBotOptions & {
  store: Store;
  /** Default TELEGRAM_POLLER_LOCK. */
  lockKey?: string;
  /** Default 30 s; the leader renews every third of it, standby instances retry every half. */
  ttlMs?: number;
  /** Default: setTimeout/clearTimeout. */
  timer?: LeaderTimer;
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
  /** One election step now (standby: try to take the lock; leader: renew it). The timer calls this. */
  tick(): Promise<void>;
  /** Stop polling (if leader), then release the lock so another instance can take over at once. */
  stop(): Promise<void>;
};

const realTimer: LeaderTimer = (fn, ms) => {
  const handle = setTimeout(() => void fn(), ms);
  return () => clearTimeout(handle);
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
  const log = opts.logger ?? console;
  const renewEveryMs = Math.max(1, Math.floor(ttlMs / 3));
  const retryEveryMs = Math.max(1, Math.floor(ttlMs / 2));

  /** Leader state; `confirmedAt` is when the last successful acquire/renew was sent (our clock). */
  let held: { token: string; bot: TelegramBot; confirmedAt: number } | undefined;
  let stopped = false;
  let standbyLogged = false;
  let cancelTimer: (() => void) | undefined;
  // Every step runs on this chain, so timer ticks, manual ticks, a dying bot and stop() never interleave.
  let chain: Promise<void> = Promise.resolve();
  const enqueue = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = chain.then(fn);
    chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  };

  /** Arm the next step: a renewal while leader, a retry while standing by. */
  const schedule = () => {
    cancelTimer?.();
    const next = async () => {
      await enqueue(() => step());
    };
    cancelTimer = stopped ? undefined : timer(next, held ? renewEveryMs : retryEveryMs);
  };

  const standBy = () => {
    if (standbyLogged) return;
    standbyLogged = true;
    log.info('telegram: standby, another instance polls');
  };

  /** Stop our bot and give the lock back (best effort: it expires after the TTL anyway). */
  async function stepDown(): Promise<void> {
    const current = held;
    if (!current) return;
    held = undefined;
    await current.bot.stop().catch((err: unknown) => log.warn(`telegram: stopping the bot failed: ${messageOf(err)}`));
    await store
      .releaseLock(lockKey, current.token)
      .catch((err: unknown) => log.warn(`telegram: could not release ${lockKey}, it expires on its own: ${messageOf(err)}`));
  }

  /** Polling died on its own (409: someone outside the election polls; or another error): stand by. */
  async function onPollingEnd(bot: TelegramBot, end: PollingEnd): Promise<void> {
    if (held?.bot !== bot || stopped) return;
    const why = end.conflict ? 'another process is polling this bot token (409 Conflict)' : end.message;
    log.warn(`telegram: polling ended (${why}); standing by and retrying in ${retryEveryMs} ms`);
    await stepDown();
    standBy();
    schedule();
  }

  /** Standby: take the lock if free and start polling. Returns a launch error for the caller to decide on. */
  async function tryLead(): Promise<{ error: unknown } | undefined> {
    const sentAt = clock();
    const token = await store.acquireLock(lockKey, ttlMs);
    if (token === null) {
      standBy();
      return undefined;
    }
    let bot: TelegramBot;
    try {
      bot = await startBot(opts);
    } catch (error) {
      await store.releaseLock(lockKey, token).catch(() => undefined);
      return { error };
    }
    held = { token, bot, confirmedAt: sentAt };
    standbyLogged = false;
    log.info('telegram: polling (leader)');
    void bot.ended.then((end) => (end ? enqueue(() => onPollingEnd(bot, end)) : undefined)).catch(() => undefined);
    return undefined;
  }

  async function renew(current: { token: string; confirmedAt: number }): Promise<void> {
    const sentAt = clock();
    let renewed: boolean;
    try {
      renewed = await store.renewLock(lockKey, current.token, ttlMs);
    } catch (err) {
      // The store is unreachable from here; the lock expires confirmedAt + TTL at the earliest, then
      // another instance may poll. Step down by then rather than fight it with 409s.
      if (clock() - current.confirmedAt < ttlMs) {
        log.warn(`telegram: could not renew ${lockKey}, still polling: ${messageOf(err)}`);
        return;
      }
      log.warn(`telegram: ${lockKey} not renewed for ${ttlMs} ms (${messageOf(err)}); stopping polling, another instance may poll now`);
      await stepDown();
      standBy();
      return;
    }
    if (renewed) {
      current.confirmedAt = sentAt;
      return;
    }
    log.warn(`telegram: lost ${lockKey} (expired or taken); stopping polling, another instance may poll now`);
    await stepDown();
    standBy();
  }

  /** One step; on the first, a launch failure is returned instead of logged, and nothing is scheduled. */
  async function step(first = false): Promise<{ error: unknown } | undefined> {
    if (stopped) return undefined;
    try {
      if (held) {
        await renew(held);
      } else {
        const failed = await tryLead();
        if (failed && first) return failed;
        if (failed) log.error(`telegram: could not start polling, retrying in ${retryEveryMs} ms: ${messageOf(failed.error)}`);
      }
    } catch (err) {
      // Store errors (Redis briefly unreachable): nobody is harmed by waiting for the next step.
      log.warn(`telegram: leader election step failed, retrying: ${messageOf(err)}`);
    }
    schedule();
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
        cancelTimer?.();
        cancelTimer = undefined;
        await stepDown();
      }),
  };
}
