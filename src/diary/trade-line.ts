/** A ledger position event as one line of the day's record (the diary's "Trades" section). */
import type { PositionEvent } from '../trading/ledger/types.ts';
import type { DiaryTradeLine } from './record.ts';

export function tradeLine(event: PositionEvent): DiaryTradeLine {
  const p = event.position;
  const opened = event.type === 'position.opened';
  return {
    event: event.type.replace('position.', '') as DiaryTradeLine['event'],
    at: event.at,
    symbol: p.underlying,
    right: p.right,
    strike: p.strike,
    expiry: p.expiryDate,
    contracts: p.contracts,
    priceUsd: opened ? p.entryPriceUsd : (p.exit?.priceUsd ?? 0),
    amountUsd: opened ? p.costUsd : (p.exit?.proceedsUsd ?? 0),
    pnlUsd: opened ? null : event.pnlUsd,
    ...(opened ? {} : { note: event.reason }),
  };
}
