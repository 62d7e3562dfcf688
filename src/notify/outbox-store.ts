/**
 * What the outbox keeps in the Store, and the only code that knows those keys:
 * - `sent:<destination>:<alertId>` -> the platform id of the alert's first message (dedupe, reply target);
 * - `item:<destination>:<alertId>` -> a PendingItem (JSON), listed in the `pending` set: written before the
 *   first send attempt and updated after every part, so a killed process's delivery is resumed by `flush()`;
 * - `claim:<destination>:<alertId>` -> a short lock held while one instance sends, so two never send at once;
 * - `failed` -> a list of deliveries given up for good.
 */
import type { Store } from '../store/store.ts';
import type { Message } from './message.ts';

/** One delivery (alert x destination) that is not settled yet. */
export type PendingItem = {
  alertId: string;
  destination: string;
  message: Message;
  replyToAlertId?: string;
  /**
   * When `flush()` may try it (epoch ms). "Now" from the moment it is written, so if the process dies in a
   * retry backoff the next `flush()` picks it up at once; later only once its retries ran out.
   */
  dueAt: number;
  /** Platform messages already delivered: a retry resumes after them instead of posting part 1 again. */
  partsSent?: number;
  /** The platform id of part 1 once delivered: what the alert is recorded as, and what follow-ups reply to. */
  firstMessageId?: string;
};

const SENT = (destination: string, alertId: string) => `hx:outbox:sent:${destination}:${alertId}`;
const ITEM = (destination: string, alertId: string) => `hx:outbox:item:${destination}:${alertId}`;
const CLAIM = (destination: string, alertId: string) => `hx:outbox:claim:${destination}:${alertId}`;
const PENDING = 'hx:outbox:pending';
/** The failed list's key, for operators and tests. */
export const FAILED_KEY = 'hx:outbox:failed';
/** Long enough for any follow-up (exits within the option's life) to find what it replies to. */
const SENT_TTL_MS = 30 * 86_400_000;

export class OutboxRecords {
  constructor(readonly store: Store) {}

  /** The platform message id the alert got at `destination`, if it was recorded as delivered. */
  sentId(destination: string, alertId: string): Promise<string | null> {
    return this.store.get(SENT(destination, alertId));
  }

  /** Delivered: recorded as sent, off the pending set and its item gone, all in one atomic step. */
  async settle(item: PendingItem, messageId: string): Promise<void> {
    const key = ITEM(item.destination, item.alertId);
    await this.store.compareAndWrite(
      [],
      [
        { op: 'set', key: SENT(item.destination, item.alertId), value: messageId, ttlMs: SENT_TTL_MS },
        { op: 'setRemove', key: PENDING, member: key },
        { op: 'del', key },
      ],
    );
  }

  async recordSent(item: PendingItem, messageId: string): Promise<void> {
    await this.store.set(SENT(item.destination, item.alertId), messageId, SENT_TTL_MS);
  }

  /**
   * Write-ahead: store the delivery as pending before anything is sent. An item already there (another
   * instance's, or one kept with progress) wins, because its `partsSent` is what keeps part 1 from going twice.
   */
  async writeAhead(item: PendingItem): Promise<void> {
    const key = ITEM(item.destination, item.alertId);
    await this.store.setIfAbsent(key, JSON.stringify(item));
    await this.store.setAdd(PENDING, key);
  }

  /** Store the item's current state (progress, due time) and list it as pending. */
  async save(item: PendingItem): Promise<void> {
    const key = ITEM(item.destination, item.alertId);
    await this.store.set(key, JSON.stringify(item));
    await this.store.setAdd(PENDING, key);
  }

  read(destination: string, alertId: string): Promise<PendingItem | null> {
    return this.readKey(ITEM(destination, alertId));
  }

  /** Every pending item; keys whose item is gone are dropped from the set on the way. */
  async pending(): Promise<PendingItem[]> {
    const items: PendingItem[] = [];
    for (const key of await this.store.setMembers(PENDING)) {
      const item = await this.readKey(key);
      if (item) items.push(item);
      else await this.store.setRemove(PENDING, key);
    }
    return items;
  }

  async pendingCount(): Promise<number> {
    return (await this.store.setMembers(PENDING)).length;
  }

  async forget(item: PendingItem): Promise<void> {
    const key = ITEM(item.destination, item.alertId);
    await this.store.setRemove(PENDING, key);
    await this.store.del(key);
  }

  /** Give up for good: off the pending set, onto the failed list with the reason. */
  async fail(item: PendingItem, error: string, atMs: number): Promise<void> {
    await this.forget(item);
    const { alertId, destination, partsSent } = item;
    await this.store.listPush(FAILED_KEY, JSON.stringify({ alertId, destination, error, at: atMs, partsSent: partsSent ?? 0 }));
  }

  /** Drop failed-delivery records from before `beforeMs` (epoch ms); returns how many. */
  async pruneFailed(beforeMs: number): Promise<number> {
    const records = await this.store.listRange(FAILED_KEY);
    let old = 0;
    for (const raw of records) {
      const at = (JSON.parse(raw) as { at?: unknown }).at;
      if (typeof at !== 'number' || at >= beforeMs) break;
      old++;
    }
    // Oldest first, and trimming the front is safe beside a concurrent append.
    if (old > 0) await this.store.listTrimFront(FAILED_KEY, old);
    return old;
  }

  /** The key a sender's claim on this delivery is held on (a lease, see core/lock.ts). */
  claimKey(destination: string, alertId: string): string {
    return CLAIM(destination, alertId);
  }

  private async readKey(key: string): Promise<PendingItem | null> {
    const raw = await this.store.get(key);
    return raw ? (JSON.parse(raw) as PendingItem) : null;
  }
}
