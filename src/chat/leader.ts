/**
 * One instance of several does a job that must run once per bot token (Telegram's getUpdates loop, the
 * Discord gateway session that receives interactions): the holder of a Store lease does it, the others stand
 * by and take over when it stops, dies (the lease expires after its TTL) or loses the lease. telegram-leader.ts
 * and discord-leader.ts are this with their role plugged in.
 * @module
 */
import { acquireLease, realTimer, type Lease, type Timer } from '../core/lock.ts';
import type { Logger } from '../core/log.ts';
import type { Store } from '../store/store.ts';

/** Lease lifetime: how long a crashed leader's role stays vacant before another instance takes it. */
export const DEFAULT_LEADER_TTL_MS = 30_000;

/** What the leader runs while it holds the lease. */
export type Role = {
  stop(): Promise<void>;
  /** Resolves when the role ended by itself (already logged; e.g. Telegram's 409), null after stop(). */
  ended?: Promise<{ why: string } | null>;
};

/** The log lines of one role, e.g. "polling (leader)" and "standby, another instance polls". */
export type LeaderWords = { leading: string; standby: string; stopping: string; ended: string; startFailed: string };

export type LeaderOptions<R extends Role> = {
  /** Log prefix: "telegram", "discord". */
  name: string;
  words: LeaderWords;
  store: Store;
  lockKey: string;
  /** Default 30 s; the leader's lease renews every third of it, standby instances retry every half. */
  ttlMs?: number;
  timer?: Timer;
  /** Epoch milliseconds, to tell how long renewals have failed. Default Date.now. */
  clock?: () => number;
  logger?: Logger;
  /** Start the role once the lease is ours. */
  start(): Promise<R>;
};

/** What a platform's election takes from its caller: the store, and the lease's key and timing (tests). */
export type ElectionOptions = {
  store: Store;
  /** Default: the platform's own key. */
  lockKey?: string;
  /** Default 30 s: how long a dead leader's work goes undone before another instance takes over. */
  ttlMs?: number;
  timer?: Timer;
  /** Epoch milliseconds, to tell how long renewals have failed. Default Date.now. */
  clock?: () => number;
};

/** The lease settings of `opts` for startLeader, `defaultKey` where no lockKey is given. */
export function electionOf(opts: ElectionOptions & { logger?: Logger }, defaultKey: string): Pick<LeaderOptions<Role>, 'store' | 'lockKey' | 'ttlMs' | 'timer' | 'clock' | 'logger'> {
  return {
    store: opts.store,
    lockKey: opts.lockKey ?? defaultKey,
    ...(opts.ttlMs !== undefined ? { ttlMs: opts.ttlMs } : {}),
    ...(opts.timer ? { timer: opts.timer } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.logger ? { logger: opts.logger } : {}),
  };
}

export type Leader<R extends Role> = {
  /** True while this instance holds the lease and runs the role. */
  readonly leading: boolean;
  /** The running role while leader, else undefined. */
  readonly role: R | undefined;
  /** One standby step now (take the lease if free). The timer calls this; renewals are the lease's own. */
  tick(): Promise<void>;
  /** Stop the role (if leader), then release the lease so another instance can take over at once. */
  stop(): Promise<void>;
};

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Join the election and take the first step before resolving: the instance either leads or stands by. A
 * role that fails to start on that first attempt (bad token, unreachable API) rejects, so a misconfiguration
 * fails start-up; later failures are logged and retried.
 */
export async function startLeader<R extends Role>(opts: LeaderOptions<R>): Promise<Leader<R>> {
  const { name, words, store, lockKey, ttlMs = DEFAULT_LEADER_TTL_MS, timer = realTimer, clock = Date.now } = opts;
  const log: Logger = opts.logger ?? console;
  const retryEveryMs = Math.max(1, Math.floor(ttlMs / 2));

  let held: { lease: Lease; role: R } | undefined;
  let stopped = false;
  let standbyLogged = false;
  let cancelRetry: (() => void) | undefined;
  // Every step runs on this chain, so timer ticks, manual ticks, a lost lease, a dying role and stop() never interleave.
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
    if (!standbyLogged) log.info(`${name}: ${words.standby}`);
    standbyLogged = true;
    scheduleRetry();
  };

  /** Stop our role and give the lease back (best effort: it expires after the TTL anyway). */
  async function stepDown(): Promise<void> {
    const current = held;
    if (!current) return;
    held = undefined;
    await current.role.stop().catch((err: unknown) => log.warn(`${name}: ${words.stopping} failed: ${messageOf(err)}`));
    await current.lease.release();
  }

  /** The lease is gone (taken, expired, or not renewable for a TTL): another instance may lead now. */
  async function onLost(lease: Lease, reason: Error): Promise<void> {
    if (held?.lease !== lease || stopped) return;
    log.warn(`${name}: ${reason.message}; ${words.stopping}, another instance may take over now`);
    await stepDown();
    standBy();
  }

  /** The role died on its own: stand by, and try again later. */
  async function onEnded(role: R, why: string): Promise<void> {
    if (held?.role !== role || stopped) return;
    log.warn(`${name}: ${words.ended} (${why}); standing by and retrying in ${retryEveryMs} ms`);
    await stepDown();
    standBy();
  }

  /** Standby: take the lease if free and start the role. Returns a start error for the caller to decide on. */
  async function tryLead(): Promise<{ error: unknown } | undefined> {
    const lease: Lease | null = await acquireLease(store, lockKey, {
      ttlMs,
      timer,
      clock,
      onWarning: (m) => log.warn(`${name}: ${m}`),
      onLost: (reason) => enqueue(() => onLost(lease!, reason)),
    });
    if (!lease) {
      standBy();
      return undefined;
    }
    let role: R;
    try {
      role = await opts.start();
    } catch (error) {
      await lease.release();
      return { error };
    }
    held = { lease, role };
    standbyLogged = false;
    log.info(`${name}: ${words.leading}`);
    void role.ended?.then((end) => (end ? enqueue(() => onEnded(role, end.why)) : undefined)).catch(() => undefined);
    return undefined;
  }

  /** One standby step; on the first, a start failure is returned instead of logged. */
  async function step(first = false): Promise<{ error: unknown } | undefined> {
    if (stopped || held) return undefined;
    try {
      const failed = await tryLead();
      if (failed && first) return failed;
      if (failed) {
        log.error(`${name}: ${words.startFailed}, retrying in ${retryEveryMs} ms: ${messageOf(failed.error)}`);
        scheduleRetry();
      }
    } catch (err) {
      // Store errors (Redis briefly unreachable): nobody is harmed by waiting for the next step.
      log.warn(`${name}: leader election step failed, retrying: ${messageOf(err)}`);
      scheduleRetry();
    }
    return undefined;
  }

  const failed = await enqueue(() => step(true));
  if (failed) throw failed.error;

  return {
    get leading() {
      return held !== undefined;
    },
    get role() {
      return held?.role;
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
