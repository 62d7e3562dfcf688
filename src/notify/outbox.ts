/**
 * The outbox: every alert goes to every destination of every sink exactly once.
 * - Idempotency: a delivered (alert id, destination) pair is recorded in the Store with the platform message id,
 *   so a repeat post (or a restart against the same Redis) sends nothing again, and follow-ups can reply to it.
 * - Pacing per destination inside platform limits (Telegram ~1/s per chat, 20/min per group); Discord's own
 *   REST queue paces it, so no extra wait there.
 * - Retries: 429 after `retry_after`, 5xx/network with exponential backoff, a bounded number of times; after
 *   that the delivery is kept in the Store for a later `flush()`, never dropped. Final errors (400, 403) are
 *   logged with the alert id and moved to a failed list.
 * - A failing sink never stops the others (freqtrade's RPCManager fan-out).
 */
import type { Store } from '../store/store.ts';
import type { Message } from './message.ts';
import { DeliveryError } from './sinks/errors.ts';
import type { Sink } from './sinks/sink.ts';

export type OutboxLogger = { info(msg: string): void; warn(msg: string): void; error(msg: string): void };

export type OutboxOptions = {
  store: Store;
  sinks: Sink[];
  /** Attempts within one delivery run before the item is kept for later. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How long a kept item waits before `flush()` tries it again. */
  keepForMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  logger?: OutboxLogger;
};

export type DeliveryOutcome = {
  destination: string;
  status: 'sent' | 'duplicate' | 'kept' | 'failed';
  messageId?: string;
  error?: string;
};

type PendingItem = { alertId: string; destination: string; message: Message; replyToAlertId?: string; dueAt: number };

const SENT = (destination: string, alertId: string) => `hx:outbox:sent:${destination}:${alertId}`;
const ITEM = (destination: string, alertId: string) => `hx:outbox:item:${destination}:${alertId}`;
const PENDING = 'hx:outbox:pending';
const FAILED = 'hx:outbox:failed';
const SENT_TTL_MS = 30 * 86_400_000;

/** Minimum gap between two messages to one destination (Telegram's published guidance). */
export function paceMs(destination: string): number {
  if (!destination.startsWith('telegram:')) return 0;
  // Negative Telegram chat ids are groups and channels: 20 messages a minute.
  return destination.startsWith('telegram:-') ? 3000 : 1000;
}

const quietLogger: OutboxLogger = { info: () => {}, warn: () => {}, error: () => {} };

export class Outbox {
  private readonly store: Store;
  private readonly sinks: Sink[];
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly keepForMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly log: OutboxLogger;
  /** Per destination: when the last message went out, and the chain of sends in progress. */
  private readonly lastSentAt = new Map<string, number>();
  private readonly lanes = new Map<string, Promise<unknown>>();

  constructor(opts: OutboxOptions) {
    this.store = opts.store;
    this.sinks = opts.sinks;
    this.maxAttempts = opts.maxAttempts ?? 4;
    this.baseDelayMs = opts.baseDelayMs ?? 1000;
    this.maxDelayMs = opts.maxDelayMs ?? 30_000;
    this.keepForMs = opts.keepForMs ?? 5 * 60_000;
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = opts.random ?? Math.random;
    this.log = opts.logger ?? quietLogger;
  }

  destinations(): string[] {
    return this.sinks.flatMap((s) => s.destinations());
  }

  /**
   * Deliver `message` (which must carry its alert id) to every destination. With `replyToAlertId`, each
   * destination's copy replies to that alert's message there, when it was delivered.
   */
  async post(message: Message, opts: { replyToAlertId?: string } = {}): Promise<DeliveryOutcome[]> {
    const alertId = message.id;
    if (!alertId) throw new RangeError(`outbox: message "${message.title}" has no id; build it with alertId()`);
    return Promise.all(
      this.destinations().map((destination) =>
        this.inLane(destination, () =>
          this.deliver({ alertId, destination, message, replyToAlertId: opts.replyToAlertId, dueAt: 0 }),
        ),
      ),
    );
  }

  /** Retry every kept delivery that is due. Returns what happened to each. */
  async flush(): Promise<DeliveryOutcome[]> {
    const keys = await this.store.setMembers(PENDING);
    const items: PendingItem[] = [];
    for (const key of keys) {
      const raw = await this.store.get(key);
      if (!raw) {
        await this.store.setRemove(PENDING, key);
        continue;
      }
      const item = JSON.parse(raw) as PendingItem;
      if (item.dueAt <= this.now()) items.push(item);
    }
    return Promise.all(items.map((item) => this.inLane(item.destination, () => this.deliver(item))));
  }

  /** Deliveries kept for a later retry. */
  async pendingCount(): Promise<number> {
    return (await this.store.setMembers(PENDING)).length;
  }

  /** The platform message id an alert got at a destination, if it was delivered there. */
  async sentMessageId(alertId: string, destination: string): Promise<string | null> {
    return this.store.get(SENT(destination, alertId));
  }

  /** Wait for every send in progress (graceful shutdown). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.lanes.values()]);
  }

  /** Sends to one destination run one after another, so pacing holds; destinations run in parallel. */
  private inLane<T>(destination: string, task: () => Promise<T>): Promise<T> {
    const previous = this.lanes.get(destination) ?? Promise.resolve();
    const next = previous.then(task, task);
    this.lanes.set(destination, next.catch(() => undefined));
    return next;
  }

  private sinkFor(destination: string): Sink | undefined {
    return this.sinks.find((s) => destination.startsWith(`${s.name}:`));
  }

  private async deliver(item: PendingItem): Promise<DeliveryOutcome> {
    const { alertId, destination } = item;
    const already = await this.store.get(SENT(destination, alertId));
    if (already) {
      await this.forget(item);
      return { destination, status: 'duplicate', messageId: already };
    }
    const sink = this.sinkFor(destination);
    if (!sink) {
      this.log.error(`alert ${alertId}: no sink serves destination ${destination}`);
      return { destination, status: 'failed', error: 'no sink for this destination' };
    }
    const replyTo = item.replyToAlertId ? ((await this.store.get(SENT(destination, item.replyToAlertId))) ?? undefined) : undefined;
    for (let attempt = 1; ; attempt++) {
      await this.pace(destination);
      try {
        const { messageId } = await sink.send(destination, item.message, replyTo ? { replyTo } : undefined);
        this.lastSentAt.set(destination, this.now());
        await this.store.set(SENT(destination, alertId), messageId, SENT_TTL_MS);
        await this.forget(item);
        return { destination, status: 'sent', messageId };
      } catch (err) {
        this.lastSentAt.set(destination, this.now());
        const retryable = err instanceof DeliveryError ? err.retryable : false;
        const text = err instanceof Error ? err.message : String(err);
        if (!retryable) {
          this.log.error(`alert ${alertId} to ${destination} failed for good: ${text}`);
          await this.forget(item);
          await this.store.listPush(FAILED, JSON.stringify({ alertId, destination, error: text, at: this.now() }));
          return { destination, status: 'failed', error: text };
        }
        if (attempt >= this.maxAttempts) {
          this.log.warn(`alert ${alertId} to ${destination} not delivered after ${attempt} attempts (${text}); kept for a later retry`);
          await this.keep({ ...item, dueAt: this.now() + this.keepForMs });
          return { destination, status: 'kept', error: text };
        }
        await this.sleep(this.retryDelayMs(err as DeliveryError, attempt));
      }
    }
  }

  /** The platform's retry_after when it gave one, else exponential backoff with full jitter. */
  private retryDelayMs(err: DeliveryError, attempt: number): number {
    if (err.retryAfterMs !== undefined) return Math.min(err.retryAfterMs, 10 * this.maxDelayMs);
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  private async pace(destination: string): Promise<void> {
    const last = this.lastSentAt.get(destination);
    if (last === undefined) return;
    const waitMs = last + paceMs(destination) - this.now();
    if (waitMs > 0) await this.sleep(waitMs);
  }

  private async keep(item: PendingItem): Promise<void> {
    const key = ITEM(item.destination, item.alertId);
    await this.store.set(key, JSON.stringify(item));
    await this.store.setAdd(PENDING, key);
  }

  private async forget(item: PendingItem): Promise<void> {
    const key = ITEM(item.destination, item.alertId);
    await this.store.setRemove(PENDING, key);
    await this.store.del(key);
  }
}
