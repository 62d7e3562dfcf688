/**
 * Response bodies for the Yahoo replay server (yahoo-server.ts): the recorded fixtures in
 * test/fixtures/yahoo (fetch-mock-cache format, see its SOURCE.md) and Yahoo-shaped bodies built from
 * synthetic bars. Pure functions over JSON; no HTTP here.
 */
import type { Bar } from '../../src/core/types.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One recorded exchange. `body` is the parsed JSON, or the text for non-JSON answers. */
export type Recording = { file: string; host: string; path: string; key: string; status: number; body: unknown };

/** Yahoo bodies are untyped JSON; these helpers reshape them without modelling every field. */
type Json = Record<string, any>;

const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/yahoo/', import.meta.url));
const DAY_SEC = 86_400;
const WEEK_SEC = 7 * DAY_SEC;

/** Yahoo's answer to a chart request for a symbol it does not know (HTTP 404). */
export const CHART_NOT_FOUND = {
  chart: { result: null, error: { code: 'Not Found', description: 'No data found, symbol may be delisted' } },
};
/** Yahoo answers quote and options requests for unknown symbols with 200 and an empty result. */
export const QUOTE_EMPTY = { quoteResponse: { result: [], error: null } };
export const OPTIONS_EMPTY = { optionChain: { result: [], error: null } };

/** Path plus the query without `crumb` (it differs per session), parameters sorted: the lookup key. */
export function requestKey(path: string, query: URLSearchParams): string {
  const params = [...query.entries()].filter(([name]) => name !== 'crumb').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${path}?${new URLSearchParams(params).toString()}`;
}

let cache: Recording[] | undefined;

/** Every recording under test/fixtures/yahoo, read once per process. */
export function loadRecordings(): Recording[] {
  if (cache) return cache;
  const out: Recording[] = [];
  for (const sub of ['chart', 'quote', 'options', 'crumb']) {
    for (const name of readdirSync(join(FIXTURE_DIR, sub)).filter((f) => f.endsWith('.json'))) {
      const rec = JSON.parse(readFileSync(join(FIXTURE_DIR, sub, name), 'utf8')) as Json;
      const url = new URL(rec.request.url as string);
      const path = decodeURIComponent(url.pathname);
      out.push({
        file: `${sub}/${name}`,
        host: url.host,
        path,
        key: requestKey(path, url.searchParams),
        status: rec.response.status as number,
        body: rec.response.bodyJson ?? rec.response.bodyText,
      });
    }
  }
  cache = out;
  return out;
}

/** The recorded daily chart with the most bars for `symbol` (any date range), if there is one. */
export function longestDailyChart(recordings: Recording[], symbol: string): Json | undefined {
  let best: Json | undefined;
  let bestCount = -1;
  for (const rec of recordings) {
    if (rec.path !== `/v8/finance/chart/${symbol}` || rec.status !== 200) continue;
    const result = (rec.body as Json).chart?.result?.[0] as Json | undefined;
    if (result?.meta?.dataGranularity !== '1d') continue;
    const count = (result.timestamp as number[] | undefined)?.length ?? 0;
    if (count > bestCount) [best, bestCount] = [rec.body as Json, count];
  }
  return best;
}

/** A copy of a chart body keeping only bars with period1 <= timestamp < period2 (seconds), as Yahoo does. */
export function sliceChart(body: Json, period1Sec: number, period2Sec: number): Json {
  const result = body.chart.result[0] as Json;
  const ts = (result.timestamp ?? []) as number[];
  const keep = ts.map((t, i) => (t >= period1Sec && t < period2Sec ? i : -1)).filter((i) => i >= 0);
  const pick = (arr: unknown[] | undefined) => (arr ? keep.map((i) => arr[i]) : undefined);
  const inRange = (events: Json | undefined) =>
    events && Object.fromEntries(Object.entries(events).filter(([t]) => Number(t) >= period1Sec && Number(t) < period2Sec));
  const sliced: Json = { meta: result.meta };
  if (keep.length === 0) {
    // Yahoo's shape for "no bars in range": no timestamp, one empty quote object.
    sliced.indicators = { quote: [{}] };
  } else {
    const quote = result.indicators.quote[0] as Json;
    sliced.timestamp = pick(ts);
    sliced.indicators = {
      quote: [Object.fromEntries(Object.entries(quote).map(([field, arr]) => [field, pick(arr as unknown[])]))],
    };
    const adj = result.indicators.adjclose?.[0]?.adjclose as unknown[] | undefined;
    if (adj) sliced.indicators.adjclose = [{ adjclose: pick(adj) }];
    if (result.events) {
      sliced.events = Object.fromEntries(Object.entries(result.events as Json).map(([k, v]) => [k, inRange(v as Json)]));
    }
  }
  return { chart: { result: [sliced], error: null } };
}

const NY_OFFSET = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', timeZoneName: 'longOffset' });

/** Yahoo stamps a daily bar with the session open, 09:30 America/New_York, in epoch seconds. */
function sessionOpenSec(day: Date): number {
  const offset = NY_OFFSET.formatToParts(day)
    .find((p) => p.type === 'timeZoneName')?.value; // "GMT-04:00" or "GMT-05:00"
  const hours = Number(/GMT([+-]\d{2})/.exec(offset ?? '')?.[1] ?? -5);
  return Math.floor(day.getTime() / 1000) + (9.5 - hours) * 3600;
}

/**
 * A Yahoo-format daily chart body for synthetic bars (oldest first), using the recorded AAPL meta as a
 * template with the symbol, prices and times replaced. Build once per symbol, then `sliceChart` it.
 */
export function syntheticChart(recordings: Recording[], symbol: string, bars: Bar[]): Json {
  const template = longestDailyChart(recordings, 'AAPL')!.chart.result[0].meta as Json;
  const timestamp = bars.map((b) => sessionOpenSec(b.time));
  const last = bars[bars.length - 1];
  const meta = {
    ...template,
    symbol,
    longName: symbol,
    shortName: symbol,
    regularMarketPrice: last?.close ?? 0,
    regularMarketTime: timestamp[timestamp.length - 1] ?? 0,
    chartPreviousClose: bars[0]?.close ?? 0,
  };
  const column = (field: keyof Omit<Bar, 'time'>) => bars.map((b) => b[field]);
  return {
    chart: {
      result: [
        {
          meta,
          timestamp,
          indicators: {
            quote: [{ open: column('open'), high: column('high'), low: column('low'), close: column('close'), volume: column('volume') }],
            adjclose: [{ adjclose: column('close') }],
          },
        },
      ],
      error: null,
    },
  };
}

/** The recorded AAPL quote re-labelled to a synthetic symbol: price, previous close and time from its bars. */
export function syntheticQuote(recordings: Recording[], symbol: string, bars: Bar[]): Json {
  const rec = recordings.find((r) => r.key === '/v7/finance/quote?symbols=AAPL')!;
  const template = (rec.body as Json).quoteResponse.result[0] as Json;
  const last = bars[bars.length - 1];
  const prev = bars[bars.length - 2] ?? last;
  return {
    ...template,
    symbol,
    shortName: symbol,
    longName: symbol,
    regularMarketPrice: last?.close ?? 0,
    regularMarketPreviousClose: prev?.close ?? 0,
    regularMarketTime: last ? sessionOpenSec(last.time) + 6.5 * 3600 : 0,
  };
}

const occ = (symbol: string, expirySec: number, right: 'C' | 'P', strike: number) => {
  const ymd = new Date(expirySec * 1000).toISOString().slice(2, 10).replace(/-/g, '');
  return `${symbol}${ymd}${right}${String(Math.round(strike * 1000)).padStart(8, '0')}`;
};

/**
 * The recorded nearest-expiry AAPL chain re-labelled to `symbol` and moved to its bars: prices and
 * strikes scaled by lastClose / recorded AAPL price (moneyness and implied vols unchanged), every date
 * shifted by whole weeks (weekdays kept) so the nearest expiry lies about a week after the last bar,
 * OCC contract symbols rebuilt. With `expirySec` set to any listed expiry, the same contracts are
 * served under that expiry; an unlisted one gets an empty chain, like Yahoo.
 */
export function syntheticOptions(recordings: Recording[], symbol: string, bars: Bar[], expirySec?: number): Json {
  const rec = recordings.find((r) => r.key === '/v7/finance/options/AAPL?formatted=false&lang=en-US&region=US')!;
  const t = (rec.body as Json).optionChain.result[0] as Json;
  const last = bars[bars.length - 1];
  const lastSec = last ? sessionOpenSec(last.time) + 6.5 * 3600 : (t.quote.regularMarketTime as number);
  const scale = last ? last.close / (t.quote.regularMarketPrice as number) : 1;
  const shift = Math.round((lastSec - (t.quote.regularMarketTime as number)) / WEEK_SEC) * WEEK_SEC;
  const expirationDates = (t.expirationDates as number[]).map((d) => d + shift);
  const nearest = t.options[0] as Json;
  const expiry = expirySec ?? (nearest.expirationDate as number) + shift;
  const listed = expirationDates.includes(expiry);
  const round2 = (x: number) => Math.round(x * scale * 100) / 100;
  const contracts = (list: Json[], right: 'C' | 'P') =>
    listed
      ? list.map((c) => ({
          ...c,
          contractSymbol: occ(symbol, expiry, right, round2(c.strike as number)),
          strike: round2(c.strike as number),
          lastPrice: round2(c.lastPrice as number),
          bid: c.bid === undefined ? undefined : round2(c.bid as number),
          ask: c.ask === undefined ? undefined : round2(c.ask as number),
          change: round2((c.change as number | undefined) ?? 0),
          expiration: expiry,
          lastTradeDate: Math.min((c.lastTradeDate as number) + shift, lastSec),
        }))
      : [];
  const quote = {
    ...t.quote,
    symbol,
    shortName: symbol,
    longName: symbol,
    regularMarketPrice: last?.close ?? t.quote.regularMarketPrice,
    regularMarketTime: lastSec,
  };
  const result = {
    ...t,
    underlyingSymbol: symbol,
    expirationDates,
    strikes: listed ? (t.strikes as number[]).map(round2) : [],
    quote,
    options: [{ ...nearest, expirationDate: expiry, calls: contracts(nearest.calls, 'C'), puts: contracts(nearest.puts, 'P') }],
  };
  return { optionChain: { result: [result], error: null } };
}

/** A 200 body that parses as JSON but fails yahoo-finance2's schema for the endpoint at `path`. */
export function malformedBody(path: string, validBody: unknown): Json {
  const copy = JSON.parse(JSON.stringify(validBody ?? {})) as Json;
  const garbage = 'not-a-number';
  if (path.startsWith('/v8/finance/chart/') && copy.chart?.result?.[0]?.meta) {
    copy.chart.result[0].meta.regularMarketPrice = garbage;
  } else if (path.startsWith('/v7/finance/quote') && copy.quoteResponse?.result?.[0]) {
    copy.quoteResponse.result[0].regularMarketPrice = garbage;
  } else if (path.startsWith('/v7/finance/options/') && copy.optionChain?.result?.[0]?.quote) {
    copy.optionChain.result[0].quote.regularMarketPrice = garbage;
  } else {
    return { unexpected: garbage };
  }
  return copy;
}
