/**
 * @module What a running bot does between its jobs, every 30 s: beat its heartbeat (heartbeat.ts), and flush
 * the outbox of deliveries due for over a minute, so one a killed process left half-done is resent about a
 * minute after it was written (its claim lasts 30 s), within Discord's nonce window, instead of at the next
 * scheduled job. A minute, not less: a delivery another live instance has just written and is about to
 * send (it may wait for Telegram's pacing) is left to it. Store failures are logged once per outage.
 */
import { realTimer, type Timer } from '../core/lock.ts';
import type { Logger } from '../core/log.ts';
import type { Store } from '../store/store.ts';
import { beat, HEARTBEAT_EVERY_MS, ownHeartbeat } from './heartbeat.ts';

/** Deliveries due for this long are taken as left behind; fresh ones are their writer's to send. */
export const FLUSH_DUE_FOR_MS = 60_000;

export type UpkeepOptions = {
  store: Store;
  instanceId: string;
  startedAt: Date;
  now: () => Date;
  logger: Logger;
  /** Retry deliveries due for at least `dueForMs` (the outbox's flush). */
  flush(opts: { dueForMs: number }): Promise<void>;
  timer?: Timer;
  everyMs?: number;
};

export type Upkeep = { stop(): Promise<void> };

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Beat once now (so `hundredx status` sees the bot at once), then every `everyMs`. */
export async function startUpkeep(opts: UpkeepOptions): Promise<Upkeep> {
  const { store, now, logger, timer = realTimer, everyMs = HEARTBEAT_EVERY_MS } = opts;
  const own = ownHeartbeat(opts.instanceId, opts.startedAt);
  let failing = false;
  let stopped = false;
  let cancel: (() => void) | undefined;
  let running: Promise<void> = Promise.resolve();

  const round = async (): Promise<void> => {
    try {
      await beat(store, own, now());
      if (failing) logger.info('heartbeat: written again');
      failing = false;
    } catch (err) {
      if (!failing) logger.warn(`heartbeat: not written (${messageOf(err)}); bots and the CLI may take this one for stopped`);
      failing = true;
    }
    await opts.flush({ dueForMs: FLUSH_DUE_FOR_MS }).catch((err: unknown) => logger.warn(`outbox flush failed: ${messageOf(err)}`));
  };
  const schedule = () => {
    cancel = stopped
      ? undefined
      : timer(async () => {
          running = round();
          await running;
          schedule();
        }, everyMs);
  };

  await beat(store, own, now()).catch((err: unknown) => {
    failing = true;
    logger.warn(`heartbeat: not written (${messageOf(err)})`);
  });
  schedule();
  return {
    async stop() {
      stopped = true;
      cancel?.();
      await running;
      await beat(store, own, now(), true).catch(() => undefined);
    },
  };
}
