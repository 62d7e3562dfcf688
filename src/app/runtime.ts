/**
 * The composition root shared by the CLI, the bot and the scheduler: config -> store -> market data
 * (cached) -> universe -> the dependencies a cycle needs. Plain constructors, no globals.
 *
 * The data clients (yahoo-finance2, @polygon.io/client-js) are imported when the configuration picks them,
 * not up front: each costs tens of ms to load, and `hundredx regime` on replay needs neither.
 */
import type { Config } from '../config/config.ts';
import type { Logger } from '../core/log.ts';
import { cachedMarketData, type CacheEvents } from '../market/cached.ts';
import { observedMarketData, type MarketEvents } from '../market/observed.ts';
import type { MarketData } from '../market/provider.ts';
import { createReplayMarketData, replaySymbols } from '../market/replay.ts';
import type { CycleDeps } from '../scanner/cycle.ts';
import { cycleDepsFromConfig, riskFromConfig } from '../scanner/settings.ts';
import { buildUniverse } from '../scanner/universe.ts';
import type { AccountState } from '../trading/ledger/account.ts';
import { nextTradingDay, nyDate, sessionFor } from '../analysis/calendar.ts';
import { createStore } from '../store/index.ts';
import type { RiskConfig } from '../trading/risk.ts';
import type { Store } from '../store/store.ts';

export type Runtime = {
  config: Config;
  store: Store;
  market: MarketData;
  now: () => Date;
  /** The last session whose bars decisions see (00:00 UTC): REPLAY_DATE in replay, today in New York live. */
  asOf(): Date;
  /**
   * The day an order would fill on (00:00 UTC), which expiries and days to expiry count from: the as-of day,
   * or the session after it while the clock is inside it (a replayed 09:45 cycle trades that morning).
   */
  tradeDate(): Date;
  /** Universe plus the given watchlists. */
  universe(watchlists?: string[][]): string[];
  /** Sizing settings; `equityUsd` is the paper account's equity when a ledger tracks it, else ACCOUNT_EQUITY. */
  risk(equityUsd?: number): RiskConfig;
  /** What a cycle over `universe` needs, sized against `account` (ACCOUNT_EQUITY and no open risk without one). */
  cycleDeps(universe: readonly string[], account?: AccountState): CycleDeps;
  /** HTTP requests the data provider has made since start (absent in replay: no network). */
  upstreamRequests?: () => number;
  close(): Promise<void>;
};

export type RuntimeOptions = {
  now?: () => Date;
  store?: Store;
  /** The decision day, overriding REPLAY_DATE / today (a multi-day replay moves it with its clock). */
  asOf?: () => Date;
  /**
   * Open the SQLite state file without owning it (the CLI beside a running bot, which owns it): reads and
   * writes still go through, one transaction each.
   */
  guestState?: boolean;
  /** Where store notes go: a JSON state file migrated (info), the state file taken over by another process (error). */
  logger?: Pick<Logger, 'info' | 'error'>;
  /** Called (after the error is logged) when another process has taken the SQLite state file over: stop, every write now fails. */
  onStateLost?: (error: Error) => void;
  /** Metrics hooks for the data provider's failures and the cache (app/metrics.ts implements them). */
  events?: { market?: MarketEvents; cache?: CacheEvents };
};

async function createProvider(config: Config, asOf: () => Date, now: () => Date): Promise<MarketData & { upstreamRequests?: () => number }> {
  switch (config.marketData) {
    case 'replay':
      return createReplayMarketData({ dataDir: config.replayDataDir, asOf, now, rate: config.options.riskFreeRate });
    case 'yahoo': {
      const { createYahooMarketData } = await import('../market/yahoo.ts');
      return createYahooMarketData({ apiRoot: config.yahooApiRoot, concurrency: config.scanConcurrency, now });
    }
    case 'polygon': {
      // config.ts already refuses MARKET_DATA=polygon without POLYGON_API_KEY; this narrows the type.
      if (!config.polygonApiKey) throw new Error('MARKET_DATA=polygon needs POLYGON_API_KEY');
      const { createPolygonMarketData } = await import('../market/polygon.ts');
      return createPolygonMarketData({ apiKey: config.polygonApiKey, apiRoot: config.polygonApiRoot, rateLimitPerMin: config.polygonRateLimitPerMin, now });
    }
  }
}

export async function createRuntime(config: Config, opts: RuntimeOptions = {}): Promise<Runtime> {
  const now = opts.now ?? (() => new Date());
  const asOf =
    opts.asOf ??
    (config.marketData === 'replay'
      ? () => new Date(`${config.replayDate}T00:00:00Z`)
      : () => new Date(`${nyDate(now())}T00:00:00Z`));
  const store =
    opts.store ??
    (await createStore({
      redisUrl: config.redisUrl,
      // Replay keeps its state apart from the live bot's, also in a shared Redis.
      keyPrefix: config.marketData === 'replay' ? 'replay:' : undefined,
      stateDb: config.stateDb,
      legacyStateFile: config.stateFile,
      guest: opts.guestState ?? false,
      log: (line) => opts.logger?.info(line),
      onOwnershipLost: (err) => {
        opts.logger?.error(err.message);
        opts.onStateLost?.(err);
      },
    }));
  const tradeDate = (): Date => {
    const day = asOf().toISOString().slice(0, 10);
    const session = sessionFor(nyDate(now()));
    const inNextSession = session && session.date === nextTradingDay(day) && now() >= session.open && now() < session.close;
    return inNextSession ? new Date(`${session.date}T00:00:00Z`) : asOf();
  };
  const provider = await createProvider(config, asOf, now);
  const source = opts.events?.market ? observedMarketData(provider, opts.events.market) : provider;
  // Replay reads local files, and its answers change with the as-of date: a cache would add only staleness.
  const market =
    config.marketData === 'replay'
      ? source
      : cachedMarketData(source, store, { namespace: 'hx:md', now, ...(opts.events?.cache ? { events: opts.events.cache } : {}) });
  // In replay the default universe is what the recorded data covers on the (possibly moving) as-of date.
  const fallback = () =>
    config.marketData === 'replay' ? replaySymbols(config.replayDataDir, asOf()).filter((s) => !s.startsWith('^')) : undefined;
  const universe = (watchlists: string[][] = []) => buildUniverse({ configured: config.universe, fallback: fallback(), watchlists });
  const risk = (equityUsd?: number): RiskConfig => riskFromConfig(config, equityUsd);
  const cycleDeps = (symbols: readonly string[], account?: AccountState): CycleDeps =>
    cycleDepsFromConfig(config, { market, store, universe: symbols, ...(account ? { account } : {}), tradeDate, now, ...(provider.upstreamRequests ? { upstreamRequests: provider.upstreamRequests } : {}) });
  return {
    config,
    store,
    market,
    now,
    asOf,
    tradeDate,
    universe,
    risk,
    cycleDeps,
    ...(provider.upstreamRequests ? { upstreamRequests: provider.upstreamRequests } : {}),
    close: () => store.close(),
  };
}
