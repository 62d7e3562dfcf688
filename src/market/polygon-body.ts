/**
 * What the Polygon provider reads from each answer: a zod schema of exactly the fields it uses (the
 * rest is ignored), and the mapping of those fields to our Bar and OptionContract. A body that fails its
 * schema is a 'bad_data' MarketDataError, which is never retried.
 * @module
 */
import type { Bar } from '../core/types.ts';
import { z } from 'zod';
import { MarketDataError } from '../core/errors.ts';
import { nyDate } from '../analysis/calendar.ts';
import type { OptionContract, OptionRight } from './types.ts';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Polygon leaves out, or sometimes nulls, fields it has no value for. */
const maybeNumber = z.number().nullish();

const Aggregate = z.object({ o: z.number(), h: z.number(), l: z.number(), c: z.number(), v: maybeNumber, t: z.number() });

/** /v2/aggs/ticker/{t}/range/... and /v2/aggs/ticker/{t}/prev. No `results` at all when nothing matched. */
export const AggregatesBody = z.object({ results: z.array(Aggregate).nullish() });

/** /v2/last/trade/{t}: price and SIP timestamp in nanoseconds. */
export const LastTradeBody = z.object({ results: z.object({ p: z.number(), t: z.number() }) });

const ChainContract = z.object({
  details: z.object({
    contract_type: z.string(),
    expiration_date: z.string().regex(ISO_DATE),
    strike_price: z.number(),
    ticker: z.string(),
  }),
  day: z.object({ close: maybeNumber, volume: maybeNumber }).nullish(),
  last_quote: z.object({ bid: maybeNumber, ask: maybeNumber }).nullish(),
  last_trade: z.object({ price: maybeNumber }).nullish(),
  open_interest: maybeNumber,
  implied_volatility: maybeNumber,
  underlying_asset: z.object({ price: maybeNumber, last_updated: maybeNumber }).nullish(),
});
export type ChainContract = z.infer<typeof ChainContract>;

/** /v3/snapshot/options/{underlying}: one page of contract snapshots. */
export const ChainBody = z.object({ results: z.array(ChainContract).nullish(), next_url: z.string().nullish() });

/** /v3/reference/options/contracts: only the expiration dates are read. */
export const ContractsBody = z.object({ results: z.array(z.object({ expiration_date: z.string().regex(ISO_DATE) })).nullish() });

/** `body` as `schema` describes it, or a bad_data error naming the first field that did not fit. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown, symbol: string, what: string): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  // The issue's path and message only: never the offending value, which could be anything the server sent.
  const where = issue ? ` (${issue.path.join('.') || 'body'}: ${issue.message})` : '';
  throw new MarketDataError('bad_data', 'polygon', symbol, `polygon ${what} ${symbol}: answer failed schema validation${where}`);
}

/** A New York calendar date (YYYY-MM-DD) as 00:00 UTC of that day, the convention of Bar.time and expiries. */
export const dayOf = (isoDate: string): Date => new Date(`${isoDate}T00:00:00Z`);

/**
 * A daily aggregate as a Bar. Polygon stamps a day bar with the start of its window in New York time
 * (04:00 or 05:00 UTC, by daylight saving), so the New York date of `t` is the trading day.
 */
export function toBar(a: z.infer<typeof Aggregate>): Bar {
  return { time: dayOf(nyDate(new Date(a.t))), open: a.o, high: a.h, low: a.l, close: a.c, volume: a.v ?? 0 };
}

const finiteOr = (value: number | null | undefined, fallback: number) =>
  typeof value === 'number' && Number.isFinite(value) ? value : fallback;

/**
 * A snapshot as an OptionContract, or null for what we do not trade (contract types other than call and
 * put). Missing prices, volume and open interest read as 0 as the Yahoo provider does: the contract
 * picker treats 0 as "no market", while NaN would slip through its `ask < bid` and spread checks, and the
 * cache (cached.ts) restores NaN only for impliedVol. A missing implied volatility is NaN.
 */
export function toContract(c: ChainContract, underlying: string): OptionContract | null {
  const right: OptionRight | null = c.details.contract_type === 'call' ? 'call' : c.details.contract_type === 'put' ? 'put' : null;
  if (!right) return null;
  return {
    symbol: c.details.ticker.replace(/^O:/, ''), // Polygon prefixes OCC symbols with the asset class
    underlying,
    right,
    strike: c.details.strike_price,
    expiry: dayOf(c.details.expiration_date),
    bid: finiteOr(c.last_quote?.bid, 0),
    ask: finiteOr(c.last_quote?.ask, 0),
    last: finiteOr(c.last_trade?.price, finiteOr(c.day?.close, 0)),
    volume: finiteOr(c.day?.volume, 0),
    openInterest: finiteOr(c.open_interest, 0),
    impliedVol: finiteOr(c.implied_volatility, Number.NaN),
    modeled: false,
  };
}

/** A nanosecond epoch timestamp as a Date (millisecond precision is all a double keeps anyway). */
export const fromNanos = (ns: number): Date => new Date(Math.floor(ns / 1e6));
