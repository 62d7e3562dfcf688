/**
 * @module The one path a paper-ledger event takes after it is committed: a cursor in the store says how
 * many events have been handled, and `catchUp()` handles the rest in order: the diary's trade line, the
 * trade alert of an opened position when it was written ahead and not sent (a crash between the open and
 * the send), and an exit alert as a reply to the trade alert. Nothing else reacts to ledger events, so each
 * one is journaled once and posted once; the outbox's idempotency keys are the safety net, not the design.
 */
import { nyDate } from '../analysis/calendar.ts';
import { runWithLock } from '../core/lock.ts';
import type { Logger } from '../core/log.ts';
import type { DayJournal } from '../diary/journal.ts';
import { tradeLine } from '../diary/trade-line.ts';
import { exitAlert, isExitEvent } from '../notify/exit-alert.ts';
import type { Message } from '../notify/message.ts';
import type { Outbox } from '../notify/outbox.ts';
import type { Store } from '../store/store.ts';
import type { Ledger } from '../trading/ledger/ledger.ts';

/** How many ledger events have been handled. */
export const EVENT_CURSOR_KEY = 'hx:bot:ledger-events-handled';
/** Held while one instance catches up, so two never handle the same event at once. */
const CATCH_UP_LOCK = 'hx:bot:ledger-events:lock';
/** A trade alert written before its position is opened, until it has gone to the outbox. */
const ALERT_KEY = (alertId: string) => `hx:bot:alert:${alertId}`;
/** A written-ahead alert is useful only while its trade is news. */
const ALERT_TTL_MS = 30 * 86_400_000;

export type LedgerEventsOptions = {
  store: Store;
  ledger: Ledger;
  journal: DayJournal;
  outbox: Outbox;
  logger: Logger;
  /** Handled events older than this are dropped by prune(); kept for good without it. */
  retentionMs?: number;
};

export class LedgerEvents {
  /** In this process, catch-ups run one after another (a /close may come in during a cycle's). */
  #running: Promise<number> = Promise.resolve(0);

  constructor(private readonly opts: LedgerEventsOptions) {}

  /** Keep `alert` until it has been posted: if the process dies after the open, catch-up announces it. */
  async writeAhead(alert: Message): Promise<void> {
    await this.opts.store.set(ALERT_KEY(alert.id!), JSON.stringify(alert), ALERT_TTL_MS);
  }

  /** `alertId` has been handed to the outbox (which keeps it until delivered): nothing left to announce. */
  async posted(alertId: string): Promise<void> {
    await this.opts.store.del(ALERT_KEY(alertId));
  }

  /** Handle every event not handled yet; resolves with how many were handled here. */
  catchUp(): Promise<number> {
    return this.#exclusive(() => this.#handlePending());
  }

  /**
   * Drop handled events older than the retention from the journal (positions and equity keep the history),
   * moving the cursor back by as many in the same atomic step. Resolves with how many were dropped.
   */
  prune(now: Date): Promise<number> {
    const { retentionMs } = this.opts;
    if (!retentionMs) return Promise.resolve(0);
    return this.#exclusive(() => this.#dropHandledBefore(new Date(now.getTime() - retentionMs).toISOString()));
  }

  /** One at a time in this process, and across instances under a store lock; 0 when another instance holds it. */
  #exclusive(fn: () => Promise<number>): Promise<number> {
    const locked = async () => {
      const result = await runWithLock(this.opts.store, CATCH_UP_LOCK, fn, {
        ttlMs: 60_000,
        onWarning: (m) => this.opts.logger.warn(`ledger events: ${m}`),
      });
      // Another instance is working on the events right now: they are in its hands.
      return result.acquired ? result.value : 0;
    };
    const run = this.#running.then(locked, locked);
    this.#running = run.catch(() => 0);
    return run;
  }

  async #dropHandledBefore(cutoffIso: string): Promise<number> {
    const { store, ledger } = this.opts;
    const raw = await store.get(EVENT_CURSOR_KEY);
    const handled = Number(raw ?? 0);
    const events = await ledger.events();
    let old = 0;
    while (old < handled && old < events.length && events[old]!.at < cutoffIso) old++;
    if (old === 0) return 0;
    const dropped = await store.compareAndWrite(
      [{ key: EVENT_CURSOR_KEY, value: raw }],
      [
        { op: 'listTrimFront', key: ledger.eventsKey, count: old },
        { op: 'set', key: EVENT_CURSOR_KEY, value: String(handled - old) },
      ],
    );
    return dropped ? old : 0;
  }

  async #handlePending(): Promise<number> {
    const { store, ledger } = this.opts;
    const events = await ledger.events();
    const handled = Number((await store.get(EVENT_CURSOR_KEY)) ?? 0);
    for (let i = handled; i < events.length; i++) {
      const event = events[i]!;
      const at = new Date(event.at);
      await this.opts.journal.recordTrade(nyDate(at), tradeLine(event)).catch((err: unknown) => this.#warn('journal', err));
      if (event.type === 'position.opened') {
        const stored = await store.get(ALERT_KEY(event.alertId));
        if (stored) {
          await this.opts.outbox.post(JSON.parse(stored) as Message);
          await this.posted(event.alertId);
        }
      } else if (isExitEvent(event)) {
        await this.opts.outbox.post(exitAlert(event), { replyToAlertId: event.alertId });
      }
      await store.set(EVENT_CURSOR_KEY, String(i + 1));
    }
    return Math.max(0, events.length - handled);
  }

  #warn(what: string, err: unknown): void {
    this.opts.logger.warn(`${what}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
