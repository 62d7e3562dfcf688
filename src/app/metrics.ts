/**
 * @module The bot's Prometheus metrics (prom-client), one registry per bot so tests and several bots in one
 * process never share counters. Lower layers know nothing of this: the outbox, the cache and the data
 * provider take plain hook objects (`outbox`, `cache`, `market` below), the jobs are timed where app/ runs
 * them, and the gauges read their sources (outbox depth, ledger equity) when Prometheus scrapes.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { JOB_NAMES, type JobName } from '../config/defaults.ts';
import type { MarketDataErrorKind } from '../core/errors.ts';
import type { CacheEvents, CacheKind } from '../market/cached.ts';
import type { MarketEvents } from '../market/observed.ts';
import type { DeliveryOutcome, OutboxEvents } from '../notify/outbox.ts';
import type { CycleReport } from '../scanner/types.ts';

/** What the gauges read at each scrape; a source that fails shows NaN (unknown), never a stale number. */
export type MetricsSources = {
  /** Deliveries not settled yet: the outbox depth. */
  pendingDeliveries?: () => Promise<number>;
  /** The paper account's equity in USD. */
  equityUsd?: () => Promise<number>;
  /** HTTP requests the data provider made since start (a running total). */
  upstreamRequests?: () => number;
  /** Platforms alerts go to, so their counters read 0 before the first alert instead of being absent. */
  platforms?: readonly string[];
};

const ERROR_KINDS: readonly (MarketDataErrorKind | 'internal')[] = ['not_found', 'rate_limited', 'upstream', 'bad_data', 'internal'];
const CACHE_KINDS: readonly CacheKind[] = ['bars', 'quote', 'chain'];
const ALERT_OUTCOMES: readonly DeliveryOutcome['status'][] = ['sent', 'duplicate', 'in-flight', 'kept', 'failed'];
// Cycles and jobs: seconds to the 10-minute run lock.
const DURATION_BUCKETS_SEC = [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600];

export class BotMetrics {
  readonly registry = new Registry();
  readonly cache: CacheEvents;
  readonly market: MarketEvents;
  readonly outbox: OutboxEvents;
  private sources: MetricsSources = {};
  private readonly cycles: Counter;
  private readonly cycleSeconds: Histogram;
  private readonly tickers: Counter;
  private readonly signals: Counter;
  private readonly plans: Counter<'status'>;
  private readonly jobRuns: Counter<'job' | 'outcome'>;
  private readonly jobSeconds: Histogram<'job'>;
  private readonly zeroAlerts: (platforms: readonly string[]) => void;

  /** `processMetrics`: prom-client's CPU, memory, event-loop and GC metrics too (`npm start`; tests leave them off). */
  constructor(opts: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    const sources = () => this.sources;
    if (opts.processMetrics) collectDefaultMetrics({ register: this.registry });

    this.cycles = new Counter({ name: 'hundredx_cycles_total', help: 'Intraday scan cycles run', registers });
    this.cycleSeconds = new Histogram({
      name: 'hundredx_cycle_duration_seconds', help: 'Scan time of each cycle', buckets: DURATION_BUCKETS_SEC, registers,
    });
    this.tickers = new Counter({ name: 'hundredx_tickers_scanned_total', help: 'Tickers scanned by cycles', registers });
    this.signals = new Counter({ name: 'hundredx_signals_total', help: 'Breakout signals found by cycles', registers });
    this.plans = new Counter({ name: 'hundredx_plans_total', help: 'Sized trade plans by status', labelNames: ['status'], registers });
    for (const status of ['accepted', 'rejected']) this.plans.inc({ status }, 0);

    let countedRequests = 0;
    new Counter({
      name: 'hundredx_upstream_requests_total',
      help: 'HTTP requests to the market data source',
      registers,
      collect() {
        // The provider keeps a running total; the counter catches up with it at each scrape.
        const total = sources().upstreamRequests?.() ?? countedRequests;
        this.inc(Math.max(0, total - countedRequests));
        countedRequests = Math.max(countedRequests, total);
      },
    });
    const upstreamErrors = new Counter({
      name: 'hundredx_upstream_errors_total', help: 'Failed market data calls by kind', labelNames: ['kind'], registers,
    });
    for (const kind of ERROR_KINDS) upstreamErrors.inc({ kind }, 0);
    this.market = { failed: (kind) => upstreamErrors.inc({ kind }) };

    const hits = new Counter({ name: 'hundredx_cache_hits_total', help: 'Market data answered from the cache', labelNames: ['kind'], registers });
    const misses = new Counter({ name: 'hundredx_cache_misses_total', help: 'Market data fetched past the cache', labelNames: ['kind'], registers });
    for (const kind of CACHE_KINDS) {
      hits.inc({ kind }, 0);
      misses.inc({ kind }, 0);
    }
    this.cache = { hit: (kind) => hits.inc({ kind }), miss: (kind) => misses.inc({ kind }) };

    const alerts = new Counter({
      name: 'hundredx_alerts_total', help: 'Alert deliveries by platform and outcome', labelNames: ['platform', 'outcome'], registers,
    });
    const retries = new Counter({ name: 'hundredx_alert_retries_total', help: 'Alert send attempts retried', labelNames: ['platform'], registers });
    this.outbox = { outcome: (platform, outcome) => alerts.inc({ platform, outcome }), retry: (platform) => retries.inc({ platform }) };
    this.zeroAlerts = (platforms) => {
      for (const platform of platforms) {
        retries.inc({ platform }, 0);
        for (const outcome of ALERT_OUTCOMES) alerts.inc({ platform, outcome }, 0);
      }
    };

    new Gauge({
      name: 'hundredx_outbox_pending', help: 'Alert deliveries not settled yet (kept for retry or being sent)', registers,
      async collect() {
        const read = sources().pendingDeliveries;
        if (read) this.set(await read().catch(() => Number.NaN));
      },
    });
    new Gauge({
      name: 'hundredx_ledger_equity_usd', help: 'Paper account equity in USD', registers,
      async collect() {
        const read = sources().equityUsd;
        if (read) this.set(await read().catch(() => Number.NaN));
      },
    });

    this.jobRuns = new Counter({ name: 'hundredx_job_runs_total', help: 'Job runs by job and outcome', labelNames: ['job', 'outcome'], registers });
    this.jobSeconds = new Histogram({
      name: 'hundredx_job_duration_seconds', help: 'Job run time', labelNames: ['job'], buckets: DURATION_BUCKETS_SEC, registers,
    });
    for (const job of JOB_NAMES) for (const outcome of ['ok', 'failed']) this.jobRuns.inc({ job, outcome }, 0);
  }

  /** Tell the gauges where to read (the bot builds these after its metrics). */
  watch(sources: MetricsSources): void {
    this.sources = { ...this.sources, ...sources };
    this.zeroAlerts(sources.platforms ?? []);
  }

  /** One finished intraday cycle, counted from its report (final plans, after the ledger opened them). */
  observeCycle(report: CycleReport): void {
    const s = report.stats;
    this.cycles.inc();
    this.cycleSeconds.observe(s.durationMs / 1000);
    this.tickers.inc(s.scanned);
    this.signals.inc(s.signals);
    this.plans.inc({ status: 'accepted' }, s.accepted);
    this.plans.inc({ status: 'rejected' }, s.rejected);
  }

  /** Run `body` as one run of `job`: counted by outcome and timed, its result or error passed on. */
  async timeJob<T>(job: JobName, body: () => Promise<T>): Promise<T> {
    const end = this.jobSeconds.startTimer({ job });
    try {
      const result = await body();
      this.jobRuns.inc({ job, outcome: 'ok' });
      return result;
    } catch (err) {
      this.jobRuns.inc({ job, outcome: 'failed' });
      throw err;
    } finally {
      end();
    }
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition of every metric. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
