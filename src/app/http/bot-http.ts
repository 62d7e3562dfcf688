/**
 * @module The running bot's HTTP server: /healthz over the bot's checks, /metrics over its registry and, with
 * DASHBOARD=on, the read-only dashboard over its services and alert log, on HTTP_HOST:HTTP_PORT. `npm start`
 * calls this (unless HTTP_PORT=0); tests call it the same way on port 0.
 */
import type { Hono } from 'hono';
import type { Logger } from '../../core/log.ts';
import type { Bot } from '../bot.ts';
import { botHealthChecks, type BotHealthSources } from './checks.ts';
import { dashboardRoutes } from './dashboard/index.ts';
import { healthRoutes, type HealthOptions } from './health.ts';
import { metricsRoutes } from './metrics.ts';
import { createHttpApp, startHttpServer, type HttpServer } from './server.ts';

export type BotHttpOptions = {
  logger: Logger;
  /** Scrubbed from health details and dashboard pages (tokens, keys). */
  secrets: readonly string[];
  /** The chat platforms, read at each probe (undefined while connecting); pass only the configured ones. */
  discord?: BotHealthSources['discord'];
  telegram?: BotHealthSources['telegram'];
  /** Default HTTP_PORT / HTTP_HOST; port 0 here means any free port. */
  listen?: { port: number; host: string };
  health?: Omit<HealthOptions, 'secrets'>;
};

/** Every page of the bot's server in one app (tests drive it in process with `app.request(url)`). */
export function botHttpApp(bot: Bot, opts: Omit<BotHttpOptions, 'listen'>): Hono {
  const { config } = bot.runtime;
  const checks = botHealthChecks({
    scheduler: bot.scheduler,
    store: bot.runtime.store,
    ...(config.discord.token && config.discord.appId && opts.discord ? { discord: opts.discord } : {}),
    ...(config.telegram.token && opts.telegram ? { telegram: opts.telegram } : {}),
  });
  const pages = [healthRoutes(checks, { ...opts.health, secrets: opts.secrets }), metricsRoutes(bot.metrics)];
  const { enabled, token } = config.dashboard;
  if (enabled) pages.push(dashboardRoutes({ services: bot.services, outbox: bot.outbox, secrets: opts.secrets, ...(token ? { token } : {}) }));
  return createHttpApp(pages, opts.logger);
}

export async function startBotHttp(bot: Bot, opts: BotHttpOptions): Promise<HttpServer> {
  const { config } = bot.runtime;
  const server = await startHttpServer(botHttpApp(bot, opts), opts.listen ?? config.http);
  opts.logger.info(`http: ${server.url}/healthz and ${server.url}/metrics`);
  if (config.dashboard.enabled) opts.logger.info(`dashboard: ${server.url}/ (${config.dashboard.token ? 'token required' : 'no token: loopback only'})`);
  return server;
}
