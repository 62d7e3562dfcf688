/**
 * Shared pieces of the ledger tests: plans and contracts built from a few numbers, an in-process MarketData
 * with settable chains, bars and quotes (counting its calls), and the three stores every stateful test runs on.
 */
import { commissionUsd, FLAT_IB_FEES } from '../../src/trading/fees.ts';
import type { Bar } from '../../src/core/types.ts';
import type { MarketData } from '../../src/market/provider.ts';
import type { OptionChain, OptionContract, Quote } from '../../src/market/types.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { RedisStore } from '../../src/store/redis.ts';
import type { Store } from '../../src/store/store.ts';
import type { TradePlan } from '../../src/trading/types.ts';
import { deleteKeys, REDIS_URL, skipRedis, uniquePrefix } from '../support/redis.ts';
import { tempStateDb } from '../support/sqlite.ts';

/** Monday 2026-03-02, 10:00 New York (EST). */
export const MONDAY_10AM = new Date('2026-03-02T15:00:00Z');
export const FRIDAY = '2026-03-06';

export type ContractSpec = Partial<OptionContract> & { bid?: number; ask?: number };

/** A NFLX put expiring FRIDAY, strike 90, quoted 0.09 / 0.11 unless overridden. */
export function contract(spec: ContractSpec = {}): OptionContract {
  const strike = spec.strike ?? 90;
  const right = spec.right ?? 'put';
  const underlying = spec.underlying ?? 'NFLX';
  const expiry = spec.expiry ?? new Date(`${FRIDAY}T00:00:00Z`);
  const occ = `${underlying}${expiry.toISOString().slice(2, 10).replaceAll('-', '')}${right === 'put' ? 'P' : 'C'}${String(strike * 1000).padStart(8, '0')}`;
  return {
    symbol: occ,
    underlying,
    right,
    strike,
    expiry,
    bid: 0.09,
    ask: 0.11,
    last: 0.1,
    volume: 100,
    openInterest: 1000,
    impliedVol: 0.6,
    modeled: false,
    ...spec,
  };
}

/** An ACCEPTED plan for `c` (default 90 contracts) sized against a $1,000 budget (or what it costs with fees) with no open risk. */
export function plan(c: OptionContract = contract(), opts: { contracts?: number; asOf?: string; budgetUsd?: number; openRiskUsd?: number; status?: 'ACCEPTED' | 'REJECTED' } = {}): TradePlan {
  const contracts = opts.contracts ?? 90;
  const side = c.right === 'put' ? 'SHORT' : 'LONG';
  const costUsd = contracts * c.ask * 100;
  const feesUsd = commissionUsd(contracts, c.ask, FLAT_IB_FEES);
  // By default the budget fits the order with its commission, as sizing would have made it.
  const budgetUsd = opts.budgetUsd ?? Math.max(1000, costUsd + feesUsd);
  return {
    signal: { symbol: c.underlying, side, zScore: side === 'SHORT' ? -3.1 : 3.1, sigma: 0.02, dailyReturn: side === 'SHORT' ? -0.07 : 0.07, price: 95, asOf: new Date(`${opts.asOf ?? '2026-03-02'}T00:00:00Z`), strategy: 'volatility-breakout' },
    contract: c,
    contracts: opts.status === 'REJECTED' ? 0 : contracts,
    costUsd,
    feesUsd,
    totalUsd: costUsd + feesUsd,
    contractCostUsd: c.ask * 100,
    sizing: {
      equityUsd: 10_000, riskCapPct: 10, riskCapUsd: 1000, kellyWinProb: 0.4, kellyPayoff: 3, kellyFull: 0.2, kellyFraction: 0.5, kellySize: 0.1,
      regimeState: 'BEARISH', regimeMultiplier: 1, openRiskUsd: opts.openRiskUsd ?? 0, maxOpenRiskUsd: 1000, budgetUsd,
    },
    status: opts.status ?? 'ACCEPTED',
    reason: opts.status === 'REJECTED' ? '1 contract costs $1,240 > $1,000 risk cap' : `${contracts} contracts within budget`,
    notes: [],
  };
}

/** MarketData answering from tables the test fills in; unknown requests throw like a provider would. */
export class FakeMarket implements MarketData {
  readonly name = 'fake';
  readonly chains = new Map<string, OptionContract[]>();
  readonly bars = new Map<string, Bar[]>();
  /** Quotes by symbol, with the time the provider would stamp them (settlement checks the day). */
  readonly quotes = new Map<string, { price: number; time: Date }>();
  readonly failing = new Set<string>();
  readonly calls: string[] = [];

  /** List `contracts` under their underlying and expiry (replacing what was listed for that pair). */
  list(...contracts: OptionContract[]): this {
    for (const c of contracts) {
      const key = `${c.underlying}|${c.expiry.toISOString().slice(0, 10)}`;
      this.chains.set(key, [...(this.chains.get(key) ?? []).filter((x) => x.symbol !== c.symbol), c]);
    }
    return this;
  }

  async dailyBars(symbol: string): Promise<Bar[]> {
    this.calls.push(`bars ${symbol}`);
    const bars = this.bars.get(symbol);
    if (!bars) throw new Error(`no bars for ${symbol}`);
    return bars;
  }

  async quote(symbol: string): Promise<Quote> {
    this.calls.push(`quote ${symbol}`);
    const q = this.quotes.get(symbol);
    if (q === undefined) throw new Error(`no quote for ${symbol}`);
    return { symbol, ...q };
  }

  async optionChain(symbol: string, expiry?: Date): Promise<OptionChain> {
    const day = expiry?.toISOString().slice(0, 10) ?? '';
    this.calls.push(`chain ${symbol} ${day}`);
    if (this.failing.has(symbol)) throw new Error(`${symbol} chain: HTTP 503`);
    const contracts = this.chains.get(`${symbol}|${day}`) ?? [];
    const exp = expiry ?? new Date(0);
    return {
      underlying: symbol, underlyingPrice: 95, expiries: [exp], expiry: exp, modeled: false, asOf: new Date(),
      calls: contracts.filter((c) => c.right === 'call'), puts: contracts.filter((c) => c.right === 'put'),
    };
  }
}

/** A daily bar dated `date` closing at `close`. */
export const bar = (date: string, close: number): Bar => ({ time: new Date(`${date}T00:00:00Z`), open: close, high: close, low: close, close, volume: 1e6 });

export type StoreCase = {
  name: string;
  skip: boolean;
  /**
   * A fresh, empty store; `another()` opens a second connection to the same state (Redis; SQLite: a guest
   * on the same file) or returns the same store (memory).
   */
  make(): Promise<{ store: Store; another(): Promise<Store>; cleanup(): Promise<void> }>;
};

export const STORE_CASES: StoreCase[] = [
  {
    name: 'MemoryStore',
    skip: false,
    async make() {
      const store = new MemoryStore();
      return { store, another: async () => store, cleanup: () => store.close() };
    },
  },
  {
    name: 'SqliteStore',
    skip: false,
    async make() {
      const db = tempStateDb();
      return { store: db.owner(), another: async () => db.guest(), cleanup: db.cleanup };
    },
  },
  {
    name: 'RedisStore',
    skip: skipRedis,
    async make() {
      const prefix = uniquePrefix();
      const opened: RedisStore[] = [];
      const open = async () => {
        const s = new RedisStore(REDIS_URL, { keyPrefix: prefix });
        await s.connect();
        opened.push(s);
        return s;
      };
      const store = await open();
      return {
        store,
        another: open,
        async cleanup() {
          await Promise.all(opened.map((s) => s.close()));
          await deleteKeys(prefix);
        },
      };
    },
  },
];

/** The crash test's account: big enough that no open is ever refused for cash or budget. */
export const CRASH_LEDGER_CONFIG = { startingEquityUsd: 10_000_000 };

/**
 * The crash test's i-th signal of one cycle: a call on its own underlying ("C007"), so each is a distinct
 * signal, bought at $0.50 ($50 + $1 commission).
 */
export function crashPlan(i: number): TradePlan {
  const underlying = `C${String(i).padStart(3, '0')}`;
  return plan(contract({ underlying, right: 'call', strike: 100, bid: 0.45, ask: 0.5 }), { contracts: 1, budgetUsd: 1e12 });
}
