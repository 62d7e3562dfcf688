/**
 * What the outbox keeps in the Store, and the only code that knows those keys:
 * - `sent:<destination>:<alertId>` -> the platform id of the alert's first message (dedupe, reply target);
 * - `item:<destination>:<alertId>` -> a PendingItem (JSON), listed in the `pending` set: written before the
 *   first send attempt and updated after every part, so a killed process's delivery is resumed by `flush()`;
 * - `claim:<destination>:<alertId>` -> a short lock held while one instance sends, so two never send at once;
 * - `failed` -> a list of deliveries given up for good;
 * - `log` -> the alert log: one AlertLogEntry per delivery the outbox took on (alert x destination), oldest
 *   first, at most ALERT_LOG_MAX_ENTRIES, pruned with the failed list. It names the deliveries; their status
 *   is read from the records above (alertLog()), so it never disagrees with what the outbox does.
 */
import { z } from 'zod';
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
/** The alert log's key. */
export const ALERT_LOG_KEY = 'hx:outbox:log';
/** Enough for RETENTION_DAYS of a busy bot (90 days x ~20 alerts x 2 destinations), bounded if it is busier. */
export const ALERT_LOG_MAX_ENTRIES = 5000;
/** The failed list's key, for operators and tests. */
export const FAILED_KEY = 'hx:outbox:failed';
/** Long enough for any follow-up (exits within the option's life) to find what it replies to. */
export const SENT_TTL_MS = 30 * 86_400_000;

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
   * A new one is also entered in the alert log, so a repeat post of a pending alert logs nothing.
   */
  async writeAhead(item: PendingItem): Promise<void> {
    const key = ITEM(item.destination, item.alertId);
    const fresh = await this.store.setIfAbsent(key, JSON.stringify(item));
    await this.store.setAdd(PENDING, key);
    // A new item's dueAt is the moment it was posted (see PendingItem.dueAt).
    if (fresh) await appendLog(this.store, item, item.dueAt);
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

  /** Drop failed-delivery records and alert log entries from before `beforeMs` (epoch ms); returns how many. */
  async pruneFailed(beforeMs: number): Promise<number> {
    return (await pruneList(this.store, FAILED_KEY, beforeMs)) + (await pruneList(this.store, ALERT_LOG_KEY, beforeMs));
  }

  /** The failed list as stored, oldest first (damaged records left out). */
  async failed(): Promise<FailedRecord[]> {
    return parseEach(await this.store.listRange(FAILED_KEY), FailedRecord);
  }

  /** The alert log as stored, oldest first, each delivery once (damaged entries left out). */
  async logEntries(): Promise<AlertLogEntry[]> {
    const seen = new Set<string>();
    return parseEach(await this.store.listRange(ALERT_LOG_KEY), AlertLogEntry).filter((e) => {
      const key = `${e.destination}\n${e.alertId}`;
      // Two instances racing past the sent check can both log one delivery; its first entry stands.
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  /** Every pending item, read only (flush's pending() also tidies the set; a page view should change nothing). */
  async pendingSnapshot(): Promise<PendingItem[]> {
    const items = await Promise.all((await this.store.setMembers(PENDING)).map((key) => this.readKey(key)));
    return items.filter((item): item is PendingItem => item !== null);
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

/** One delivery the outbox took on: what the alert log keeps (the message itself stays in the pending item). */
const AlertLogEntry = z.object({
  alertId: z.string(),
  destination: z.string(),
  kind: z.string(),
  title: z.string(),
  /** When it was posted (epoch ms). */
  at: z.number(),
  replyToAlertId: z.string().optional(),
});
export type AlertLogEntry = z.infer<typeof AlertLogEntry>;

/** A delivery given up for good: `error` is the sink's final answer, `partsSent` what went out before it. */
const FailedRecord = z.object({ alertId: z.string(), destination: z.string(), error: z.string(), at: z.number(), partsSent: z.number() });
export type FailedRecord = z.infer<typeof FailedRecord>;

function parseEach<T>(raws: readonly string[], schema: z.ZodType<T>): T[] {
  return raws.flatMap((raw) => {
    try {
      const parsed = schema.safeParse(JSON.parse(raw));
      return parsed.success ? [parsed.data] : [];
    } catch {
      return []; // not JSON: damaged, skipped like a record of another version
    }
  });
}

async function appendLog(store: Store, item: PendingItem, atMs: number): Promise<void> {
  const entry: AlertLogEntry = {
    alertId: item.alertId,
    destination: item.destination,
    kind: item.message.kind,
    title: item.message.title,
    at: atMs,
    ...(item.replyToAlertId ? { replyToAlertId: item.replyToAlertId } : {}),
  };
  const length = await store.listPush(ALERT_LOG_KEY, JSON.stringify(entry));
  if (length > ALERT_LOG_MAX_ENTRIES) await store.listTrimFront(ALERT_LOG_KEY, length - ALERT_LOG_MAX_ENTRIES);
}

/** Drop the records of a time-ordered list (`at`, epoch ms) from before `beforeMs`; returns how many. */
async function pruneList(store: Store, key: string, beforeMs: number): Promise<number> {
  let old = 0;
  for (const raw of await store.listRange(key)) {
    let at: unknown;
    try {
      at = (JSON.parse(raw) as { at?: unknown }).at;
    } catch {
      at = undefined;
    }
    if (typeof at !== 'number' || at >= beforeMs) break;
    old++;
  }
  // Oldest first, and trimming the front is safe beside a concurrent append.
  if (old > 0) await store.listTrimFront(key, old);
  return old;
}
