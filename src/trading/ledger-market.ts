/**
 * @module The paper ledger's market side: fetch what marking, settling and a manual close need through
 * MarketData (one chain per underlying and expiry, one bar series per underlying), then hand plain prices
 * to the ledger's atomic operations. Fetch failures never fail the cycle: they are reported per position.
 */
import { UserInputError } from '../errors.ts';
import type { MarketData } from '../market/provider.ts';
import type { Bar, OptionContract } from '../market/types.ts';
import { nextSessionClose, nyDate } from '../schedule/calendar.ts';
import { daysBetween, intrinsicValueUsd } from './ledger-math.ts';
import type { ContractQuote, ExitEvent, PaperPosition } from './ledger-types.ts';

/** What one marking pass did: positions marked, those whose last mark was kept (and why), exits it caused. */
export type MarkReport = {
  at: string;
  marked: string[];
  stale: { positionId: string; contractSymbol: string; reason: string }[];
  events: ExitEvent[];
};

/** What one settlement pass did; `unsettled` are past expiry but lack the underlying's close. */
export type SettleReport = { events: ExitEvent[]; unsettled: { positionId: string; reason: string }[] };

/** The ledger operations this module drives (the Ledger class). */
export type LedgerOps = {
  openPositions(): Promise<PaperPosition[]>;
  mark(quotes: readonly ContractQuote[], at: Date, missing?: ReadonlyMap<string, string>): Promise<MarkReport>;
  applyExitRules(at: Date): Promise<ExitEvent[]>;
  close(id: string, opts: { reason: 'manual'; at: Date; bid: number }): Promise<ExitEvent | null>;
  settle(id: string, opts: { at: Date; underlyingCloseUsd: number; intrinsicUsd: number }): Promise<ExitEvent | null>;
};

const isoDate = (d: Date): string => d.toISOString().slice(0, 10);
const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return groups;
}

/** Every contract of the chain listing `p`'s expiry, or the reason there is none. */
async function chainContracts(market: MarketData, p: PaperPosition): Promise<OptionContract[] | string> {
  try {
    const chain = await market.optionChain(p.underlying, new Date(`${p.expiryDate}T00:00:00Z`));
    // Asked for an expiry no longer listed, a provider answers with the nearest one: that is not our contract.
    if (isoDate(chain.expiry) !== p.expiryDate) return `expiry ${p.expiryDate} is no longer listed`;
    return [...chain.calls, ...chain.puts];
  } catch (err) {
    return `option chain failed: ${message(err)}`;
  }
}

/** Mark all open positions (one chain per underlying and expiry), then apply take-profit / stop-loss. */
export async function markAll(ledger: LedgerOps, market: MarketData, at: Date): Promise<MarkReport> {
  const groups = groupBy(await ledger.openPositions(), (p) => `${p.underlying}|${p.expiryDate}`);
  const quotes: ContractQuote[] = [];
  const missing = new Map<string, string>();
  await Promise.all(
    [...groups.values()].map(async (positions) => {
      const contracts = await chainContracts(market, positions[0]!);
      for (const p of positions) {
        const found = typeof contracts === 'string' ? undefined : contracts.find((c) => c.symbol === p.contractSymbol);
        if (found) quotes.push(found);
        else missing.set(p.contractSymbol, typeof contracts === 'string' ? contracts : 'contract not in the chain');
      }
    }),
  );
  const report = await ledger.mark(quotes, at, missing);
  return { ...report, events: [...report.events, ...(await ledger.applyExitRules(at))] };
}

/**
 * The underlying's close on `expiryDate`: that day's bar, or the last bar up to 4 days before it (an expiry
 * moved by a holiday); on the expiry day itself a missing bar means the feed lags, so the quote is used.
 */
async function closeOn(market: MarketData, symbol: string, expiryDate: string, today: string): Promise<number | string> {
  let bars: Bar[] = [];
  try {
    bars = await market.dailyBars(symbol, daysBetween(expiryDate, today) + 10);
  } catch (err) {
    if (expiryDate !== today) return `${symbol} bars failed: ${message(err)}`;
  }
  const bar = bars.filter((b) => isoDate(b.time) <= expiryDate).at(-1);
  if (bar && (isoDate(bar.time) === expiryDate || (expiryDate !== today && daysBetween(isoDate(bar.time), expiryDate) <= 4))) {
    return bar.close;
  }
  if (expiryDate !== today) return `no ${symbol} close on or just before ${expiryDate}`;
  try {
    return (await market.quote(symbol)).price;
  } catch (err) {
    return `${symbol} quote failed: ${message(err)}`;
  }
}

/**
 * Settle positions whose expiry is before `at`'s New York date, or is that date and the session has closed,
 * at intrinsic value from the underlying's close. Worthless options settle at 0; no commission.
 */
export async function settleExpired(ledger: LedgerOps, market: MarketData, at: Date): Promise<SettleReport> {
  const today = nyDate(at);
  const closedToday = nyDate(nextSessionClose(at)) !== today;
  const due = (await ledger.openPositions()).filter((p) => p.expiryDate < today || (p.expiryDate === today && closedToday));
  const report: SettleReport = { events: [], unsettled: [] };
  for (const positions of groupBy(due, (p) => `${p.underlying}|${p.expiryDate}`).values()) {
    const first = positions[0]!;
    const close = await closeOn(market, first.underlying, first.expiryDate, today);
    for (const p of positions) {
      if (typeof close === 'string') {
        report.unsettled.push({ positionId: p.id, reason: close });
        continue;
      }
      const event = await ledger.settle(p.id, { at, underlyingCloseUsd: close, intrinsicUsd: intrinsicValueUsd(p.right, p.strike, close) });
      if (event) report.events.push(event);
    }
  }
  return report;
}

/** Sell open position `id` at its contract's current bid (the admin's /close). Null when it is not open. */
export async function closeAtMarket(ledger: LedgerOps, market: MarketData, id: string, at: Date): Promise<ExitEvent | null> {
  const p = (await ledger.openPositions()).find((x) => x.id === id);
  if (!p) return null;
  const contracts = await chainContracts(market, p);
  if (typeof contracts === 'string') throw new UserInputError('position', `Cannot price position #${id}: ${contracts}.`);
  const c = contracts.find((x) => x.symbol === p.contractSymbol);
  if (!c) throw new UserInputError('position', `Cannot price position #${id}: ${p.contractSymbol} is not in the chain.`);
  if (!(c.bid > 0)) {
    throw new UserInputError('position', `Position #${id} has no bid to sell into (bid ${c.bid}, ask ${c.ask}); it settles at expiry.`);
  }
  return ledger.close(id, { reason: 'manual', at, bid: c.bid });
}
