/**
 * @module The real option quotes the option model is calibrated against, as chain-days: every quote of one
 * underlying on one date, with the inputs a model gets (spot, closes up to that date, VIX close, rate, tick
 * class). Pure: CSV text in (data/options, see SOURCE.md there), plain data out.
 */
import type { TickClass } from '../analysis/option-quote-units.ts';

/** One real end-of-day quote. Prices in $ per share; a missing bid or ask (one-sided market) is null. */
export type RealQuote = {
  symbol: string;
  /** New York dates, YYYY-MM-DD. */
  date: string;
  expiry: string;
  right: 'call' | 'put';
  strike: number;
  bidUsd: number | null;
  askUsd: number | null;
  underlyingClose: number;
  vixClose: number;
};

export type DailyClose = { date: string; close: number };

/** Everything a model may know on one chain-day, and the market's answer (`quotes`). */
export type ChainDay = {
  symbol: string;
  date: string;
  spot: number;
  vixClose: number;
  /** Annual risk-free rate, continuously compounded. */
  rate: number;
  tickClass: TickClass;
  /** Daily closes up to and including `date`, oldest first (few or none for a new listing). */
  closes: number[];
  quotes: RealQuote[];
};

/**
 * 3-month Treasury bill yields around the chain-days (FRED series DTB3, rounded): ~0.04% in June-July 2013,
 * ~0.2% after the December 2015 Fed hike. Over <= 45 days they move a $750 stock's forward by < $0.25.
 */
export const RISK_FREE_RATE_BY_YEAR: Readonly<Record<string, number>> = { '2013': 0.0004, '2015': 0.002 };

function csvRows(text: string, source: string, required: string[]): { cell: (row: string[], name: string) => string; rows: string[][] } {
  const lines = text.trim().split(/\r?\n/);
  const header = (lines.shift() ?? '').split(',').map((h) => h.trim().toLowerCase());
  const missing = required.filter((name) => !header.includes(name));
  if (missing.length > 0) throw new Error(`${source}: header lacks ${missing.join(', ')} (got "${header.join(',')}")`);
  const index = new Map(header.map((name, i) => [name, i]));
  return { rows: lines.map((line) => line.split(',')), cell: (row, name) => (row[index.get(name)!] ?? '').trim() };
}

const priceOrNull = (text: string): number | null => (text === '' ? null : Number(text));

/**
 * Parse real-option-quotes.csv (symbol,date,expiry,right,strike,bid,ask,...,underlying_close,vix_close).
 * @throws Error on a missing column or a malformed row, naming the line: bad calibration data must not
 * pass silently.
 */
export function parseRealQuotesCsv(text: string, source = 'real-option-quotes.csv'): RealQuote[] {
  const { rows, cell } = csvRows(text, source, ['symbol', 'date', 'expiry', 'right', 'strike', 'bid', 'ask', 'underlying_close', 'vix_close']);
  return rows.map((row, i) => {
    const right = cell(row, 'right');
    const q: RealQuote = {
      symbol: cell(row, 'symbol'),
      date: cell(row, 'date'),
      expiry: cell(row, 'expiry'),
      right: right as RealQuote['right'],
      strike: Number(cell(row, 'strike')),
      bidUsd: priceOrNull(cell(row, 'bid')),
      askUsd: priceOrNull(cell(row, 'ask')),
      underlyingClose: Number(cell(row, 'underlying_close')),
      vixClose: Number(cell(row, 'vix_close')),
    };
    const numbers = [q.strike, q.underlyingClose, q.vixClose, q.bidUsd ?? 0, q.askUsd ?? 0];
    const datesOk = [q.date, q.expiry].every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d));
    if ((right !== 'call' && right !== 'put') || numbers.some((n) => !Number.isFinite(n)) || !datesOk) {
      throw new Error(`${source} line ${i + 2}: malformed row "${row.join(',')}"`);
    }
    return q;
  });
}

/** Parse a daily-bar CSV (date,...,close,...) into closes, oldest first. */
export function parseClosesCsv(text: string, source: string): DailyClose[] {
  const { rows, cell } = csvRows(text, source, ['date', 'close']);
  return rows.map((row) => ({ date: cell(row, 'date'), close: Number(cell(row, 'close')) })).filter((c) => c.close > 0);
}

/**
 * The tick class the quotes were made on: 'nickel' when every price below $3 sits on a $0.05 grid (with
 * hundreds of quotes a penny class cannot do that by chance), else 'penny'. A fact of the listing, read
 * from the data rather than fitted.
 */
export function tickClassOf(quotes: readonly RealQuote[]): TickClass {
  const prices = quotes.flatMap((q) => [q.bidUsd, q.askUsd]).filter((p): p is number => p !== null && p > 0 && p < 3);
  return prices.every((p) => Math.round(p * 100) % 5 === 0) ? 'nickel' : 'penny';
}

/**
 * Group quotes into chain-days. A symbol's closes are its `history` merged with the underlying closes the
 * quotes file itself carries (the only history NWSA and FOXA have), each date once, up to the chain-day.
 */
export function buildChainDays(quotes: readonly RealQuote[], history: Readonly<Record<string, readonly DailyClose[]>> = {}): ChainDay[] {
  const groups = new Map<string, RealQuote[]>();
  for (const q of quotes) {
    const key = `${q.symbol} ${q.date}`;
    groups.set(key, [...(groups.get(key) ?? []), q]);
  }
  const closesBySymbol = new Map<string, Map<string, number>>();
  for (const q of quotes) {
    const byDate = closesBySymbol.get(q.symbol) ?? new Map<string, number>();
    byDate.set(q.date, q.underlyingClose);
    closesBySymbol.set(q.symbol, byDate);
  }
  for (const [symbol, closes] of Object.entries(history)) {
    const byDate = closesBySymbol.get(symbol) ?? new Map<string, number>();
    for (const c of closes) if (!byDate.has(c.date)) byDate.set(c.date, c.close);
    closesBySymbol.set(symbol, byDate);
  }
  return [...groups.values()]
    .map((dayQuotes): ChainDay => {
      const { symbol, date, underlyingClose, vixClose } = dayQuotes[0]!;
      const rate = RISK_FREE_RATE_BY_YEAR[date.slice(0, 4)];
      if (rate === undefined) throw new Error(`no risk-free rate for ${date}: add its year to RISK_FREE_RATE_BY_YEAR`);
      const closes = [...closesBySymbol.get(symbol)!.entries()]
        .filter(([d]) => d <= date)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([, close]) => close);
      return { symbol, date, spot: underlyingClose, vixClose, rate, tickClass: tickClassOf(dayQuotes), closes, quotes: dayQuotes };
    })
    .sort((a, b) => (a.symbol === b.symbol ? (a.date < b.date ? -1 : 1) : a.symbol < b.symbol ? -1 : 1));
}
