import { createHash } from 'node:crypto';
import type { Side } from '../core/types.ts';
import { formatIsoDate } from './format.ts';
import type { MessageKind } from './message.ts';

/** What identifies one alert-worthy event. Only facts of the event, never the send time or platform. */
export type AlertKey = {
  kind: MessageKind;
  /** The market time the event belongs to; only its UTC date is used. */
  asOf: Date;
  symbol?: string;
  side?: Side;
  /** OCC contract symbol, when there is one. */
  contract?: string;
  /** Anything else that makes two events different on the same day, e.g. "NEUTRAL->BEARISH" or the status. */
  detail?: string;
};

/**
 * A stable alert id, e.g. `trade:NFLX:2026-11-20:3f9a1c0d2b7e`: readable prefix for logs plus 48 bits of the
 * sha1 of every key field. The same event yields the same id on every platform and across restarts, which
 * is what the outbox dedupes on.
 */
export function alertId(key: AlertKey): string {
  const date = formatIsoDate(key.asOf);
  const material = [key.kind, date, key.symbol ?? '', key.side ?? '', key.contract ?? '', key.detail ?? ''].join('|');
  const hash = createHash('sha1').update(material).digest('hex').slice(0, 12);
  return [key.kind, key.symbol, date, hash].filter(Boolean).join(':');
}
