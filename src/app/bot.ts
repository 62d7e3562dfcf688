/**
 * @module The composition root of a running bot, in one place: runtime (config, store, market data) ->
 * services (ledger, journal, watchlists) -> outbox over the configured sinks -> the three jobs -> the
 * scheduler that runs them, with the metrics (metrics.ts) hooked into the data source, cache, outbox and
 * jobs. `npm start` (main.ts) adds the chat faces and the HTTP server; tests build the same thing with a
 * memory store, a fake clock and a local Telegram, so what they test is what runs.
 */
import { randomUUID } from 'node:crypto';
import type { Config } from '../config/config.ts';
import type { JobName } from '../config/defaults.ts';
import { childLogger, type Logger } from '../core/log.ts';
import { createChartImages, type ChartImages } from '../notify/chart-image.ts';
import { Outbox, type OutboxOptions } from '../notify/outbox.ts';
import { createConsoleSink } from '../notify/sinks/console.ts';
import type { Sink } from '../notify/sinks/sink.ts';
import type { CycleReport } from '../scanner/types.ts';
import { createScheduler, type Scheduler } from '../schedule/jobs.ts';
import { closeJob } from './jobs/close.ts';
import { intradayJob } from './jobs/intraday.ts';
import { flushOutbox, type JobDeps } from './jobs/post.ts';
import { BotMetrics } from './metrics.ts';
import { premarketJob } from './jobs/premarket.ts';
import { createRuntime, type Runtime, type RuntimeOptions } from './runtime.ts';
import { BotServices } from './services.ts';

/**
 * Alert sinks from the config: a platform's when it has alert channels or chats, or a ROUTE_<EVENT> names one
 * of its chats; the console when no platform is configured. A platform's client library (discord.js ~400 ms
 * to load, telegraf ~80 ms) is imported only when that platform is configured. The sinks share `charts`, so an
 * alert's chart is rendered once for every destination.
 */
export async function createSinks(config: Config, charts: ChartImages = createChartImages()): Promise<Sink[]> {
  const sinks: Sink[] = [];
  const routed = Object.values(config.alerts).flatMap((a) => a.route ?? []);
  const routes = (platform: string): boolean => routed.some((d) => d.startsWith(`${platform}:`));
  if (config.discord.token && (config.discord.alertChannelIds.length > 0 || routes('discord'))) {
    const { createDiscordSink } = await import('../notify/sinks/discord.ts');
    sinks.push(createDiscordSink({ token: config.discord.token, channelIds: config.discord.alertChannelIds, apiRoot: config.discord.apiRoot, charts }));
  }
  if (config.telegram.token && (config.telegram.alertChatIds.length > 0 || routes('telegram'))) {
    const { createTelegramSink } = await import('../notify/sinks/telegram.ts');
    sinks.push(createTelegramSink({ token: config.telegram.token, chatIds: config.telegram.alertChatIds, apiRoot: config.telegram.apiRoot, charts }));
  }
  if (sinks.length === 0) sinks.push(createConsoleSink());
  return sinks;
}

/** The jobs' bodies; each honours the scheduler's abort signal between its steps. */
export type BotJobs = {
  premarket(signal?: AbortSignal): Promise<void>;
  intraday(signal?: AbortSignal): Promise<CycleReport>;
  /** `at`: the close it covers (default now); its New York date names the diary. */
  close(signal?: AbortSignal, at?: Date): Promise<void>;
  /** Retry deliveries kept after their retries ran out, or left by a dead process (`dueForMs`: due for that long). */
  flushOutbox(opts?: { dueForMs?: number }): Promise<void>;
};

export type Bot = {
  /** This process among the instances sharing the store: in run records, heartbeats and /status. */
  instanceId: string;
  runtime: Runtime;
  services: BotServices;
  outbox: Outbox;
  jobs: BotJobs;
  /** Counters and gauges for GET /metrics. */
  metrics: BotMetrics;
  scheduler: Scheduler;
  /** Stop the scheduler (running jobs finish), wait for sends in progress, close the store. */
  close(): Promise<void>;
};

export type BotOptions = RuntimeOptions & {
  /** Default: createSinks(config). */
  sinks?: Sink[];
  /** Outbox tuning (tests: a virtual clock). */
  outbox?: Partial<Omit<OutboxOptions, 'store' | 'sinks' | 'routing' | 'logger' | 'events'>>;
  logger?: Logger;
  /** Shown in /status and stored with each job run. */
  instanceId?: string;
  /** Default: a registry of this bot's own, without process metrics. */
  metrics?: BotMetrics;
};

export async function composeBot(config: Config, opts: BotOptions = {}): Promise<Bot> {
  const logger = opts.logger ?? console;
  const now = opts.now ?? (() => new Date());
  const instanceId = opts.instanceId ?? randomUUID().slice(0, 8);
  const metrics = opts.metrics ?? new BotMetrics();
  const runtime = await createRuntime(config, { ...opts, events: { market: metrics.market, cache: metrics.cache } });
  const sinks = opts.sinks ?? (await createSinks(config, createChartImages({ logger })));
  const outbox = new Outbox({ ...opts.outbox, store: runtime.store, sinks, routing: config.alerts, logger, events: metrics.outbox });
  // The scheduler is created below; /status asks it only once the bot runs.
  const services = new BotServices(runtime, { outbox, logger, schedulerStatus: () => scheduler.status() });
  // Each job logs through a child, so its lines carry `job` (JSON field, or the pretty line's tail).
  const deps = (job?: JobName): JobDeps => ({
    services, outbox, logger: job ? childLogger(logger, { job }) : logger, digestThreshold: config.digestThreshold, now,
  });
  const [premarket, intraday, close] = [deps('premarket'), deps('intraday'), deps('close')];
  const jobs: BotJobs = {
    premarket: (signal) => metrics.timeJob('premarket', () => premarketJob(premarket, signal)),
    intraday: (signal) =>
      metrics.timeJob('intraday', async () => {
        const report = await intradayJob(intraday, signal);
        metrics.observeCycle(report);
        return report;
      }),
    close: (signal, at) => metrics.timeJob('close', () => closeJob(close, signal, at)),
    flushOutbox: (o) => flushOutbox(deps(), o),
  };
  metrics.watch({
    pendingDeliveries: () => outbox.pendingCount(),
    equityUsd: async () => (await services.ledger.summary(now())).equityUsd,
    ...(runtime.upstreamRequests ? { upstreamRequests: runtime.upstreamRequests } : {}),
    platforms: [...new Set(sinks.map((s) => s.name))],
  });
  const scheduler = createScheduler({
    store: runtime.store,
    schedules: config.schedules,
    now,
    logger,
    instanceId,
    jobs: {
      premarket: ({ signal }) => jobs.premarket(signal),
      intraday: async ({ signal }) => void (await jobs.intraday(signal)),
      close: ({ signal, scheduledAt }) => jobs.close(signal, scheduledAt),
    },
  });
  return {
    instanceId,
    runtime,
    services,
    outbox,
    jobs,
    metrics,
    scheduler,
    async close() {
      await scheduler.stop();
      await outbox.drain();
      await runtime.close();
    },
  };
}
