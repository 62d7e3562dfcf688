/**
 * @module What every job does when it speaks: send through the outbox (once per destination, also across
 * restarts) and keep each tweet line for the day's diary; and the regime last announced in chat.
 */
import { nyDate } from '../../analysis/calendar.ts';
import type { Logger } from '../../core/log.ts';
import type { RegimeState } from '../../core/types.ts';
import type { Message } from '../../notify/message.ts';
import type { DeliveryOutcome, Outbox } from '../../notify/outbox.ts';
import type { BotServices } from '../services.ts';

/** The regime state last announced in chat (distinct from the state kept for hysteresis). */
export const ANNOUNCED_REGIME_KEY = 'hx:regime:announced';

const STATES = new Set<RegimeState>(['BULLISH', 'NEUTRAL', 'BEARISH']);

/** What every job is built from. */
export type JobDeps = {
  services: BotServices;
  outbox: Outbox;
  logger: Logger;
  /** More signals than this in one cycle: one digest instead of one alert each. */
  digestThreshold: number;
  now: () => Date;
};

/** A job whose run lock was lost stops between steps: another instance may be running it now. */
export function stopIfAborted(signal: AbortSignal | undefined, job: string): void {
  if (signal?.aborted) throw new Error(`${job} stopped: ${signal.reason instanceof Error ? signal.reason.message : 'run lock lost'}`);
}

export const warn = (logger: Logger, what: string, err: unknown): void =>
  logger.warn(`${what}: ${err instanceof Error ? err.message : String(err)}`);

/** Send through the outbox and keep each tweet line for the day's diary. */
export async function post(deps: JobDeps, messages: readonly Message[], at: Date): Promise<DeliveryOutcome[]> {
  const outcomes: DeliveryOutcome[] = [];
  const date = nyDate(at);
  for (const message of messages) {
    const delivered = await deps.outbox.post(message);
    outcomes.push(...delivered);
    // Only what went out this time: a repeat of an alert already sent keeps its first tweet in the diary.
    if (message.tweet && delivered.some((d) => d.status === 'sent' || d.status === 'kept')) {
      await deps.services.journal.recordTweet(date, message.tweet).catch((err: unknown) => warn(deps.logger, 'journal', err));
    }
  }
  return outcomes;
}

/** Delivered, or queued for a retry, to at least one destination. */
export const reachedAnyone = (outcomes: readonly DeliveryOutcome[]): boolean =>
  outcomes.length === 0 || outcomes.some((o) => o.status !== 'failed');

export async function announcedRegime(deps: JobDeps): Promise<RegimeState | null> {
  const value = await deps.services.runtime.store.get(ANNOUNCED_REGIME_KEY).catch(() => null);
  return value && STATES.has(value as RegimeState) ? (value as RegimeState) : null;
}

export async function rememberAnnounced(deps: JobDeps, state: RegimeState): Promise<void> {
  await deps.services.runtime.store.set(ANNOUNCED_REGIME_KEY, state);
}

/** Retry deliveries kept after their retries ran out (`dueForMs`: only those due for that long). */
export async function flushOutbox(deps: JobDeps, opts: { dueForMs?: number } = {}): Promise<void> {
  const outcomes = await deps.outbox.flush(opts);
  const sent = outcomes.filter((o) => o.status === 'sent').length;
  if (outcomes.length > 0) deps.logger.info(`outbox: ${sent} of ${outcomes.length} kept deliveries sent`);
}

/** Journal and announce every ledger event not handled yet (see ledger-events.ts). */
export async function catchUpLedgerEvents(deps: JobDeps): Promise<void> {
  await deps.services.events?.catchUp();
}
