/**
 * @module The paper ledger's market side: fetch what marking, settling and a manual close need through
 * MarketData (one chain per underlying and expiry, one bar series per underlying), then hand plain prices
 * to the ledger's atomic operations. Fetch failures never fail the cycle: they are reported per position.
 */
import type { Bar } from '../../core/types.ts';
import { UserInputError } from '../../core/errors.ts';
import type { MarketData } from '../../market/provider.ts';
import type { OptionContract } from '../../market/types.ts';
import { nextSessionClose, nyDate } from '../../analysis/calendar.ts';
import { daysBetween, intrinsicValueUsd } from './math.ts';
import type { ContractQuote, ExitEvent, PaperPosition } from './types.ts';

/** What one marking pass did: positions marked, those whose last mark was kept (and why), exits it caused. */
export type MarkReport = {
  at: string;
  marked: string[];
  stale: { positionId: string; contractSymbol: string; reason: string }[];
  events: ExitEvent[];
};

/**
 * What one settlement pass did. `unsettled` are due but lack the underlying's expiry-day close ("awaiting the
 * expiry-day close: ..."); they stay open with a stale mark, and a later pass settles them.
 */
export type SettleReport = { events: ExitEvent[]; unsettled: { positionId: string; reason: string }[] };

/** The ledger operations this module drives (the Ledger class). */
export type LedgerOps = {
  openPositions(): Promise<PaperPosition[]>;
  mark(quotes: readonly ContractQuote[], at: Date, missing?: ReadonlyMap<string, string>): Promise<MarkReport>;
  applyExitRules(at: Date): Promise<ExitEvent[]>;
  close(id: string, opts: { reason: 'manual'; at: Date; bid: number }): Promise<ExitEvent | null>;
  settle(id: string, opts: { at: Date; underlyingCloseUsd: number; intrinsicUsd: number }): Promise<ExitEvent | null>;
  flagStale(reasons: ReadonlyMap<string, string>, at: Date): Promise<void>;
};

const isoDate = (d: Date): string => d.toISOString().slice(0, 10);
const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return groups;
}

/**
 * `p`'s contract as the chain quotes it now, per share of the ORIGINAL contract. After a split of ratio r
 * (one share became r), the contract is the chain's strike K/r with r times the shares, so its price per
 * original share is r times the listed price; a strike off the listed grid is read between its neighbours.
 */
function quoteFor(contracts: readonly OptionContract[], p: PaperPosition, ratio: number): ContractQuote | undefined {
  if (ratio === 1) return contracts.find((c) => c.symbol === p.contractSymbol);
  const strike = p.strike / ratio;
  const same = contracts.filter((c) => c.right === p.right).sort((a, b) => a.strike - b.strike);
  const above = same.find((c) => c.strike >= strike - 1e-9);
  const below = [...same].reverse().find((c) => c.strike <= strike + 1e-9);
  if (!above || !below) return undefined;
  const w = above.strike === below.strike ? 0 : (strike - below.strike) / (above.strike - below.strike);
  const at = (pick: (c: OptionContract) => number) => ratio * (pick(below) + w * (pick(above) - pick(below)));
  return { symbol: p.contractSymbol, bid: at((c) => c.bid), ask: at((c) => c.ask) };
}

/** The split ratio between `p`'s opening and `at` (1 when the source does not report splits). */
async function splitRatioOf(market: MarketData, p: PaperPosition, at: Date): Promise<number> {
  if (!market.splitRatio) return 1;
  return market.splitRatio(p.underlying, new Date(`${p.openedAt.slice(0, 10)}T00:00:00Z`), at).catch(() => 1);
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

/**
 * True once an option expiring on `expiryDate` belongs to settlement: its expiry date has passed, or it is
 * today and the session has closed. It has no market left to mark or sell into; only intrinsic value counts.
 */
export function settlementDue(expiryDate: string, at: Date): boolean {
  const today = nyDate(at);
  return expiryDate < today || (expiryDate === today && nyDate(nextSessionClose(at)) !== today);
}

/**
 * Mark open positions not yet due for settlement (one chain per underlying and expiry), then apply
 * take-profit / stop-loss.
 */
export async function markAll(ledger: LedgerOps, market: MarketData, at: Date): Promise<MarkReport> {
  const live = (await ledger.openPositions()).filter((p) => !settlementDue(p.expiryDate, at));
  const groups = groupBy(live, (p) => `${p.underlying}|${p.expiryDate}`);
  const quotes: ContractQuote[] = [];
  const missing = new Map<string, string>();
  await Promise.all(
    [...groups.values()].map(async (positions) => {
      const contracts = await chainContracts(market, positions[0]!);
      for (const p of positions) {
        const found = typeof contracts === 'string' ? undefined : quoteFor(contracts, p, await splitRatioOf(market, p, at));
        if (found) quotes.push(found);
        else missing.set(p.contractSymbol, typeof contracts === 'string' ? contracts : 'contract not in the chain');
      }
    }),
  );
  const report = await ledger.mark(quotes, at, missing);
  return { ...report, events: [...report.events, ...(await ledger.applyExitRules(at))] };
}

/**
 * The underlying's close on `expiryDate`, or why it is not known yet. Only that day's bar will do: an expiry a
 * holiday moves is already listed on the trading day it moved to (a weekly's Friday holiday makes it Thursday),
 * so an earlier bar would only paper over a gap in the feed and settle at the wrong intrinsic value. On the
 * expiry day itself, after the close, the feed may not have the bar yet, so a quote of that day stands in.
 */
async function closeOn(market: MarketData, symbol: string, expiryDate: string, today: string): Promise<number | string> {
  let bars: Bar[] = [];
  let barsError: string | undefined;
  try {
    bars = await market.dailyBars(symbol, daysBetween(expiryDate, today) + 10);
  } catch (err) {
    barsError = `${symbol} bars failed: ${message(err)}`;
  }
  const bar = bars.find((b) => isoDate(b.time) === expiryDate);
  if (bar) return bar.close;
  if (expiryDate !== today) return barsError ?? `no ${symbol} bar for ${expiryDate} yet`;
  try {
    const quote = await market.quote(symbol);
    // Providers stamp a quote with its trade time (New York day) or, from daily bars, 00:00 UTC of the day.
    if (nyDate(quote.time) === expiryDate || isoDate(quote.time) === expiryDate) return quote.price;
    return `the ${symbol} quote of ${quote.time.toISOString()} is not from ${expiryDate}`;
  } catch (err) {
    return `${symbol} quote failed: ${message(err)}`;
  }
}

/**
 * Settle positions due for settlement (see settlementDue) at intrinsic value from the underlying's
 * expiry-day close. Worthless options settle at 0; no commission. A position whose close is not known yet
 * stays open, is reported in `unsettled` and gets a stale mark saying so; the next pass tries again.
 */
export async function settleExpired(ledger: LedgerOps, market: MarketData, at: Date): Promise<SettleReport> {
  const today = nyDate(at);
  const due = (await ledger.openPositions()).filter((p) => settlementDue(p.expiryDate, at));
  const report: SettleReport = { events: [], unsettled: [] };
  const awaiting = new Map<string, string>();
  for (const positions of groupBy(due, (p) => `${p.underlying}|${p.expiryDate}`).values()) {
    const first = positions[0]!;
    const close = await closeOn(market, first.underlying, first.expiryDate, today);
    for (const p of positions) {
      if (typeof close === 'string') {
        const reason = `awaiting the expiry-day close: ${close}`;
        report.unsettled.push({ positionId: p.id, reason });
        awaiting.set(p.id, reason);
        continue;
      }
      // After a split the underlying trades on new terms: its close times the ratio is the price per original share.
      const closeUsd = close * (await splitRatioOf(market, p, at));
      const event = await ledger.settle(p.id, { at, underlyingCloseUsd: closeUsd, intrinsicUsd: intrinsicValueUsd(p.right, p.strike, closeUsd) });
      if (event) report.events.push(event);
    }
  }
  if (awaiting.size > 0) await ledger.flagStale(awaiting, at);
  return report;
}

/** Sell open position `id` at its contract's current bid (the admin's /close). Null when it is not open. */
export async function closeAtMarket(ledger: LedgerOps, market: MarketData, id: string, at: Date): Promise<ExitEvent | null> {
  const p = (await ledger.openPositions()).find((x) => x.id === id);
  if (!p) return null;
  const contracts = await chainContracts(market, p);
  if (typeof contracts === 'string') throw new UserInputError('position', `Cannot price position #${id}: ${contracts}.`);
  const c = quoteFor(contracts, p, await splitRatioOf(market, p, at));
  if (!c) throw new UserInputError('position', `Cannot price position #${id}: ${p.contractSymbol} is not in the chain.`);
  if (!(c.bid > 0)) {
    throw new UserInputError('position', `Position #${id} has no bid to sell into (bid ${c.bid}, ask ${c.ask}); it settles at expiry.`);
  }
  return ledger.close(id, { reason: 'manual', at, bid: c.bid });
}
