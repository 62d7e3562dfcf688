/**
 * The outbox: every alert goes to each of its destinations exactly once.
 * - Routing (./routing.ts): per alert event, off (nothing sent, a log line), silent (no notification sound) or
 *   on, and to the event's own route or else to every destination of every sink.
 * - Write-ahead: a delivery is stored as pending (due at once) before its first send attempt, and removed when
 *   it is delivered or failed for good, so a process killed during a retry backoff still delivers it on the
 *   next `flush()`.
 * - Idempotency: a delivered (alert id, destination) pair is recorded in the Store with the platform message id,
 *   so a repeat post (or a restart against the same Redis) sends nothing again, and follow-ups can reply to it.
 * - Long messages go out part by part, with progress stored after each part: a retry or a restart resumes at
 *   the part that failed, so part 1 is never posted twice.
 * - One sender at a time: every attempt claims (destination, alert id) with a short lease (30 s, renewed while
 *   it sends; core/lock.ts). Another instance finding it claimed answers 'in-flight' and leaves the delivery
 *   to the holder; a claim a killed process left behind is gone within 30 s, so the restarted process's next
 *   flush resends promptly, inside Discord's nonce window (sinks/discord.ts).
 * - Pacing per destination, per part, inside platform limits (Telegram ~1/s per chat, 20/min per group);
 *   Discord's own REST queue paces it, so no extra wait there.
 * - Retries: 429 after `retry_after`, 5xx/network with exponential backoff, a bounded number of times; after
 *   that the delivery stays in the Store for a later `flush()`, never dropped. Final errors (400, 403) are
 *   logged with the alert id and moved to a failed list.
 * - A failing sink never stops the others (freqtrade's RPCManager fan-out).
 */
import { acquireLease, type Lease, type Timer } from '../core/lock.ts';
import type { Logger } from '../core/log.ts';
import { realSleep, retryDelayMs, type RetryPolicy } from '../core/retry.ts';
import type { Store } from '../store/store.ts';
import { readAlertLog, type AlertLogItem } from './alert-log.ts';
import type { Message } from './message.ts';
import { OutboxRecords, type PendingItem } from './outbox-store.ts';
import { policyFor, unservedRoutes, type AlertRouting } from './routing.ts';
import { DeliveryError } from './sinks/errors.ts';
import type { SendOptions, Sink } from './sinks/sink.ts';

export type OutboxOptions = {
  store: Store;
  sinks: Sink[];
  /** Per alert event: on, silent or off, and its own destinations. Default: every alert on, to every destination. */
  routing?: AlertRouting;
  /** Attempts within one delivery run before the item is kept for later, and the waits between them. */
  retry?: RetryPolicy;
  /** How long a kept item waits before `flush()` tries it again. */
  keepForMs?: number;
  /**
   * How long a claim on one delivery outlives a holder that died; renewed every third of it while it sends (a
   * part may take long: @discordjs/rest waits out 429s inside one call). Default 30 s.
   */
  claimTtlMs?: number;
  /** Timers for claim renewals. Default setTimeout. */
  timer?: Timer;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  logger?: Logger;
  events?: OutboxEvents;
};

/**
 * Hooks for metrics, called after the fact. The outbox imports no metrics library: app/ implements these.
 * `platform` is the destination's sink (discord, telegram, console). They must not throw.
 */
export type OutboxEvents = {
  /** One destination's copy of an alert settled for now (see DeliveryOutcome). */
  outcome?(platform: string, status: DeliveryOutcome['status']): void;
  /** A retryable failure (429, 5xx, network): the delivery waits, then tries again. */
  retry?(platform: string): void;
};

/**
 * What happened to one destination's copy:
 * - `sent`: every part is out (sent by this call, or sent earlier and only now recorded);
 * - `duplicate`: it had been delivered and recorded before, nothing sent;
 * - `in-flight`: another instance holds the claim and is sending it; nothing sent here;
 * - `kept`: retries ran out, it stays pending for `flush()`; `failed`: given up for good (see the failed list).
 */
export type DeliveryOutcome = {
  destination: string;
  status: 'sent' | 'duplicate' | 'in-flight' | 'kept' | 'failed';
  messageId?: string;
  error?: string;
};

/** A killed sender's claim is gone this long after its last renewal. */
export const DEFAULT_CLAIM_TTL_MS = 30_000;

/**
 * Within one delivery run: 4 attempts, waits of up to 1 s, 2 s, 4 s, and a platform's retry_after honoured up to
 * 5 minutes; then the item is kept for a later flush().
 */
export const OUTBOX_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 30_000, maxRetryAfterMs: 300_000 };

/** A retryable failure to wait out before the next attempt. */
type Retry = { retry: DeliveryError };

/** Minimum gap between two messages (or parts of one) to one destination (Telegram's published guidance). */
export function paceMs(destination: string): number {
  if (!destination.startsWith('telegram:')) return 0;
  // Negative Telegram chat ids are groups and channels: 20 messages a minute.
  return destination.startsWith('telegram:-') ? 3000 : 1000;
}

const quietLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
/** A forum topic shares its chat's rate limit: "telegram:-100123/7" is paced with "telegram:-100123". */
const laneOf = (destination: string): string => destination.replace(/^(telegram:[^/]+)\/.*$/, '$1');
/** "telegram:-100123" -> "telegram": destinations are named after their sink. */
const platformOf = (destination: string): string => destination.slice(0, Math.max(0, destination.indexOf(':'))) || destination;
const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));
/** Part 0 replies to the alert it follows up; later parts learn part 0's id (stored progress, so also on a resume). */
const partOptions = (part: number, replyTo: string | undefined, firstPartId: string | undefined): SendOptions =>
  part === 0 ? (replyTo ? { replyTo } : {}) : firstPartId !== undefined ? { firstPartId } : {};

export class Outbox {
  private readonly records: OutboxRecords;
  private readonly sinks: Sink[];
  private readonly routing: AlertRouting;
  private readonly retry: RetryPolicy;
  private readonly keepForMs: number;
  private readonly claimTtlMs: number;
  private readonly timer: Timer | undefined;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly log: Logger;
  private readonly events: OutboxEvents;
  /** Per lane (see laneOf): when the last message went out, and the chain of sends in progress. */
  private readonly lastSentAt = new Map<string, number>();
  private readonly lanes = new Map<string, Promise<unknown>>();

  constructor(opts: OutboxOptions) {
    this.records = new OutboxRecords(opts.store);
    this.sinks = opts.sinks;
    this.routing = opts.routing ?? {};
    const unserved = unservedRoutes(this.routing, this.sinks.map((sink) => sink.name));
    if (unserved.length > 0) throw new RangeError(`outbox: no sink serves the routed destination(s) ${unserved.join(', ')}`);
    this.retry = opts.retry ?? OUTBOX_RETRY;
    this.keepForMs = opts.keepForMs ?? 5 * 60_000;
    this.claimTtlMs = opts.claimTtlMs ?? DEFAULT_CLAIM_TTL_MS;
    this.timer = opts.timer;
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? realSleep;
    this.random = opts.random ?? Math.random;
    this.log = opts.logger ?? quietLogger;
    this.events = opts.events ?? {};
  }

  destinations(): string[] {
    return this.sinks.flatMap((s) => s.destinations());
  }

  /**
   * Deliver `message` (which must carry its alert id) to its destinations: its event's route, else every
   * destination; none when its event is off. With `replyToAlertId`, each destination's copy replies to that
   * alert's message there, when it was delivered.
   */
  async post(message: Message, opts: { replyToAlertId?: string } = {}): Promise<DeliveryOutcome[]> {
    const alertId = message.id;
    if (!alertId) throw new RangeError(`outbox: message "${message.title}" has no id; build it with alertId()`);
    const { event, mode, route } = policyFor(this.routing, message);
    if (mode === 'off') {
      this.log.info(`alert ${alertId} not sent: ${event} alerts are off (ALERTS_${String(event).toUpperCase()})`);
      return [];
    }
    return Promise.all(
      (route ?? this.destinations()).map(async (destination): Promise<DeliveryOutcome> => {
        const sentId = await this.records.sentId(destination, alertId);
        if (sentId) return this.report({ destination, status: 'duplicate', messageId: sentId });
        const item: PendingItem = { alertId, destination, message, replyToAlertId: opts.replyToAlertId, dueAt: this.now() };
        // Before the lane: a process that dies while this waits behind other sends must not lose it.
        await this.records.writeAhead(item);
        return this.report(await this.inLane(destination, () => this.deliver(item)));
      }),
    );
  }

  /**
   * Retry every pending delivery that is due (kept ones, and any a dead process left behind). `dueForMs`: only
   * those due for at least that long, i.e. not one another live instance has just written and is about to send.
   */
  async flush(opts: { dueForMs?: number } = {}): Promise<DeliveryOutcome[]> {
    const dueBy = this.now() - (opts.dueForMs ?? 0);
    const due = (await this.records.pending()).filter((item) => item.dueAt <= dueBy);
    return Promise.all(due.map(async (item) => this.report(await this.inLane(item.destination, () => this.deliver(item)))));
  }

  /** Deliveries not settled yet: kept for a later retry, or being sent right now. */
  async pendingCount(): Promise<number> {
    return this.records.pendingCount();
  }

  /** Forget deliveries that failed for good, and alert log entries, from before `beforeMs` (epoch ms); returns how many. */
  prune(beforeMs: number): Promise<number> {
    return this.records.pruneFailed(beforeMs);
  }

  /** The newest alerts first, each with its delivery status per destination (see alert-log.ts). */
  alertLog(opts: { limit?: number } = {}): Promise<AlertLogItem[]> {
    return readAlertLog(this.records, { ...opts, nowMs: this.now() });
  }

  /** The platform message id an alert got at a destination, if it was delivered there. */
  async sentMessageId(alertId: string, destination: string): Promise<string | null> {
    return this.records.sentId(destination, alertId);
  }

  /** Wait for every send in progress (graceful shutdown). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.lanes.values()]);
  }

  private report(outcome: DeliveryOutcome): DeliveryOutcome {
    this.events.outcome?.(platformOf(outcome.destination), outcome.status);
    return outcome;
  }

  /** Sends in one lane (a destination; a chat with its forum topics) run one after another, so pacing holds; lanes run in parallel. */
  private inLane<T>(destination: string, task: () => Promise<T>): Promise<T> {
    const lane = laneOf(destination);
    const previous = this.lanes.get(lane) ?? Promise.resolve();
    const next = previous.then(task, task);
    this.lanes.set(lane, next.catch(() => undefined));
    return next;
  }

  private sinkFor(destination: string): Sink | undefined {
    return this.sinks.find((s) => destination.startsWith(`${s.name}:`));
  }

  /** Attempts until the delivery settles or its retries run out, sleeping between them without a claim. */
  private async deliver(item: PendingItem): Promise<DeliveryOutcome> {
    const { alertId, destination } = item;
    const sink = this.sinkFor(destination);
    if (!sink) {
      this.log.error(`alert ${alertId}: no sink serves destination ${destination}`);
      return { destination, status: 'failed', error: 'no sink for this destination' };
    }
    for (let failures = 0; ; ) {
      const result = await this.attempt(sink, item, failures + 1 >= this.retry.maxAttempts);
      if (!('retry' in result)) return result;
      failures += 1;
      this.events.retry?.(sink.name);
      // No claim is held while waiting, so if this process dies here another one's flush() can finish the job.
      await this.sleep(retryDelayMs(result.retry, failures, this.retry, this.random));
    }
  }

  /** One claimed try: send the parts not delivered yet. The outcome, or the retryable error to wait out. */
  private async attempt(sink: Sink, queued: PendingItem, lastTry: boolean): Promise<DeliveryOutcome | Retry> {
    const { alertId, destination } = queued;
    const claim = await acquireLease(this.records.store, this.records.claimKey(destination, alertId), {
      ttlMs: this.claimTtlMs,
      clock: this.now,
      ...(this.timer ? { timer: this.timer } : {}),
      onWarning: (m) => this.log.warn(`alert ${alertId} to ${destination}: ${m}`),
    });
    if (!claim) {
      const sentId = await this.records.sentId(destination, alertId);
      return sentId ? { destination, status: 'duplicate', messageId: sentId } : { destination, status: 'in-flight' };
    }
    try {
      const sentId = await this.records.sentId(destination, alertId);
      if (sentId) {
        await this.records.forget(queued);
        return { destination, status: 'duplicate', messageId: sentId };
      }
      // Another instance may have sent some parts while this one waited: the stored progress is the truth.
      const item = (await this.records.read(destination, alertId)) ?? queued;
      return await this.sendParts(sink, item, claim, lastTry);
    } finally {
      // A claim left behind only delays a retry until its TTL ends; release() retries and never throws.
      await claim.release();
    }
  }

  private async sendParts(sink: Sink, item: PendingItem, claim: Lease, lastTry: boolean): Promise<DeliveryOutcome | Retry> {
    const { alertId, destination } = item;
    const partCount = sink.partCount(item.message);
    const replyTo = item.replyToAlertId ? ((await this.records.sentId(destination, item.replyToAlertId)) ?? undefined) : undefined;
    const firstPart = item.partsSent ?? 0;
    // From the message's event at send time: a delivery resumed by flush() goes out as quietly as the first try.
    const silent = policyFor(this.routing, item.message).mode === 'silent' ? { silent: true } : {};
    let progress = item;
    for (let part = firstPart; part < partCount; part++) {
      if (claim.signal.aborted) {
        this.log.warn(`alert ${alertId} to ${destination}: claim lost after ${part} of ${partCount} parts; left to its new holder`);
        return { destination, status: 'in-flight' };
      }
      await this.pace(destination);
      let messageId: string;
      try {
        ({ messageId } = await sink.sendPart(destination, item.message, part, { ...partOptions(part, replyTo, progress.firstMessageId), ...silent }));
      } catch (err) {
        this.lastSentAt.set(laneOf(destination), this.now());
        return this.onSendError(progress, partCount, err, lastTry);
      }
      this.lastSentAt.set(laneOf(destination), this.now());
      progress = { ...progress, partsSent: part + 1, firstMessageId: progress.firstMessageId ?? messageId };
      // The last part goes straight to settle(): one atomic write right after the send, the shortest window in
      // which a kill leaves a delivered alert unrecorded (and resent: Telegram has no idempotency key).
      if (part < partCount - 1) await this.saveProgress(progress);
    }
    if (progress.firstMessageId === undefined) {
      const empty = new DeliveryError(sink.name, destination, 'nothing to send', { retryable: false });
      return this.onSendError(progress, partCount, empty, lastTry);
    }
    return this.settle(progress, progress.firstMessageId);
  }

  /** After every part but the last, so a retry or a restart resumes after it. */
  private async saveProgress(item: PendingItem): Promise<void> {
    try {
      await this.records.save(item);
    } catch (err) {
      this.log.warn(`alert ${item.alertId} to ${item.destination}: progress after part ${item.partsSent} not stored (${errorText(err)})`);
    }
  }

  /** Every part is out: record the alert as sent and drop its pending item, in one atomic write. */
  private async settle(item: PendingItem, messageId: string): Promise<DeliveryOutcome> {
    const { alertId, destination } = item;
    try {
      await this.records.settle(item, messageId);
    } catch (err) {
      // The alert is out. Calling it failed would invite a resend; keep its progress so a flush() records it
      // without sending anything again, if the store takes that write.
      this.log.error(`alert ${alertId} to ${destination} delivered but not recorded (message ${messageId}): ${errorText(err)}`);
      await this.saveProgress(item);
    }
    return { destination, status: 'sent', messageId };
  }

  private async onSendError(item: PendingItem, partCount: number, err: unknown, lastTry: boolean): Promise<DeliveryOutcome | Retry> {
    const { alertId, destination, firstMessageId } = item;
    const text = errorText(err);
    const where = partCount > 1 ? ` at part ${(item.partsSent ?? 0) + 1} of ${partCount}` : '';
    if (!(err instanceof DeliveryError && err.retryable)) {
      this.log.error(`alert ${alertId} to ${destination} failed for good${where}: ${text}`);
      // Parts already out stay out: record the first, so follow-ups reply to it and a repeat post stays quiet.
      if (firstMessageId !== undefined) await this.records.recordSent(item, firstMessageId);
      await this.records.fail(item, text, this.now());
      return { destination, status: 'failed', error: text, ...(firstMessageId !== undefined ? { messageId: firstMessageId } : {}) };
    }
    if (!lastTry) return { retry: err };
    this.log.warn(`alert ${alertId} to ${destination} not delivered after ${this.retry.maxAttempts} attempts${where} (${text}); kept for a later retry`);
    await this.records.save({ ...item, dueAt: this.now() + this.keepForMs });
    return { destination, status: 'kept', error: text };
  }

  private async pace(destination: string): Promise<void> {
    const last = this.lastSentAt.get(laneOf(destination));
    if (last === undefined) return;
    const waitMs = last + paceMs(destination) - this.now();
    if (waitMs > 0) await this.sleep(waitMs);
  }
}
