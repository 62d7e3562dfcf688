/**
 * @module The alert log as people read it: each alert the outbox took on, newest first, with what became of it
 * at every destination, read from the outbox's own records so it says what the outbox will do:
 * - `sent`: recorded as delivered, with the platform's message id (kept 30 days; older ones say so);
 * - `pending`: waiting in the store, being sent now or kept for a later retry (`dueAtMs`, `partsSent`);
 * - `failed`: given up for good, with the sink's reason (and the parts that went out before it);
 * - `unknown`: none of these (a crash between two writes); rare, and shown rather than guessed.
 */
import { SENT_TTL_MS, type AlertLogEntry, type FailedRecord, type OutboxRecords, type PendingItem } from './outbox-store.ts';

export type AlertDelivery = {
  destination: string;
  status: 'sent' | 'pending' | 'failed' | 'unknown';
  /** The platform id of the alert's first message, when one went out and its record is kept. */
  messageId?: string;
  /** Sent over SENT_TTL_MS ago: the message id is no longer kept. */
  expired?: boolean;
  /** failed: the sink's final error. */
  error?: string;
  /** pending: when flush() may try it next (epoch ms); failed: when it was given up (epoch ms). */
  dueAtMs?: number;
  failedAtMs?: number;
  /** Parts already delivered of a pending or failed alert. */
  partsSent?: number;
};

export type AlertLogItem = {
  alertId: string;
  kind: string;
  title: string;
  /** When it was first posted (epoch ms). */
  atMs: number;
  replyToAlertId?: string;
  deliveries: AlertDelivery[];
};

/** How many alerts a page shows by default: a few days of a busy bot. */
export const ALERT_LOG_PAGE = 200;

type Reader = Pick<OutboxRecords, 'logEntries' | 'pendingSnapshot' | 'failed' | 'sentId'>;

/** The newest `limit` alerts of the log with their status per destination, at `nowMs`. */
export async function readAlertLog(records: Reader, opts: { limit?: number; nowMs: number }): Promise<AlertLogItem[]> {
  const [entries, pending, failed] = await Promise.all([records.logEntries(), records.pendingSnapshot(), records.failed()]);
  const key = (destination: string, alertId: string) => `${destination}\n${alertId}`;
  const pendingBy = new Map(pending.map((p) => [key(p.destination, p.alertId), p]));
  // The last record wins: an alert posted again after failing and failing again says the latest reason.
  const failedBy = new Map(failed.map((f) => [key(f.destination, f.alertId), f]));

  const items = new Map<string, AlertLogItem>();
  for (const e of [...entries].reverse()) {
    const item = items.get(e.alertId);
    if (item) item.deliveries.push(delivery(e));
    else if (items.size < (opts.limit ?? ALERT_LOG_PAGE)) items.set(e.alertId, itemOf(e));
  }
  const all = [...items.values()];
  await Promise.all(
    all.flatMap((item) =>
      item.deliveries.map(async (d) => {
        const k = key(d.destination, item.alertId);
        Object.assign(d, statusOf(pendingBy.get(k), failedBy.get(k), await records.sentId(d.destination, item.alertId), item.atMs, opts.nowMs));
      }),
    ),
  );
  for (const item of all) item.deliveries.sort((a, b) => a.destination.localeCompare(b.destination));
  return all;
}

const delivery = (e: AlertLogEntry): AlertDelivery => ({ destination: e.destination, status: 'unknown' });

const itemOf = (e: AlertLogEntry): AlertLogItem => ({
  alertId: e.alertId,
  kind: e.kind,
  title: e.title,
  atMs: e.at,
  ...(e.replyToAlertId ? { replyToAlertId: e.replyToAlertId } : {}),
  deliveries: [delivery(e)],
});

function statusOf(pending: PendingItem | undefined, failed: FailedRecord | undefined, sentId: string | null, atMs: number, nowMs: number): Omit<AlertDelivery, 'destination'> {
  // Pending first: an item in the store is what the outbox will act on next, whatever older records say.
  if (pending) return { status: 'pending', dueAtMs: pending.dueAt, partsSent: pending.partsSent ?? 0 };
  // Failed after part 1 went out records both; failed with nothing out, then sent by a later post, only a stale failure.
  if (failed && (sentId === null || failed.partsSent > 0)) {
    return { status: 'failed', error: failed.error, failedAtMs: failed.at, partsSent: failed.partsSent, ...(sentId ? { messageId: sentId } : {}) };
  }
  if (sentId !== null) return { status: 'sent', messageId: sentId };
  return nowMs - atMs > SENT_TTL_MS ? { status: 'sent', expired: true } : { status: 'unknown' };
}
