/**
 * @module The running bot's HTTP server: /healthz over the bot's checks and /metrics over its registry, on
 * HTTP_HOST:HTTP_PORT. `npm start` calls this (unless HTTP_PORT=0); tests call it the same way on port 0.
 */
import type { Logger } from '../../core/log.ts';
import type { Bot } from '../bot.ts';
import { botHealthChecks, type BotHealthSources } from './checks.ts';
import { healthRoutes, type HealthOptions } from './health.ts';
import { metricsRoutes } from './metrics.ts';
import { createHttpApp, startHttpServer, type HttpServer } from './server.ts';

export type BotHttpOptions = {
  logger: Logger;
  /** Scrubbed from health details (tokens, keys). */
  secrets: readonly string[];
  /** The chat platforms, read at each probe (undefined while connecting); pass only the configured ones. */
  discord?: BotHealthSources['discord'];
  telegram?: BotHealthSources['telegram'];
  /** Default HTTP_PORT / HTTP_HOST; port 0 here means any free port. */
  listen?: { port: number; host: string };
  health?: Omit<HealthOptions, 'secrets'>;
};

export async function startBotHttp(bot: Bot, opts: BotHttpOptions): Promise<HttpServer> {
  const { config } = bot.runtime;
  const checks = botHealthChecks({
    scheduler: bot.scheduler,
    store: bot.runtime.store,
    ...(config.discord.token && config.discord.appId && opts.discord ? { discord: opts.discord } : {}),
    ...(config.telegram.token && opts.telegram ? { telegram: opts.telegram } : {}),
  });
  const pages = [healthRoutes(checks, { ...opts.health, secrets: opts.secrets }), metricsRoutes(bot.metrics)];
  const server = await startHttpServer(createHttpApp(pages, opts.logger), opts.listen ?? config.http);
  opts.logger.info(`http: ${server.url}/healthz and ${server.url}/metrics`);
  return server;
}
