/**
 * `npm start`: the bot (bot.ts), its chat faces, the scheduler, and the HTTP server with /healthz and /metrics
 * (HTTP_PORT, on 127.0.0.1 unless HTTP_HOST says otherwise). Discord and/or Telegram run when their tokens are
 * set; alerts go to the console otherwise, so the bot runs with no tokens at all. SIGINT/SIGTERM
 * stop it cleanly: no new jobs, running ones finish, pending deliveries are finished or kept in the store
 * for the next start.
 */
import 'dotenv/config';
import { enableCompileCache } from 'node:module';
import { commands } from '../../commands/index.ts';
import type { DiscordLeader } from '../chat/discord-leader.ts';
import type { TelegramLeader } from '../chat/telegram-leader.ts';
import { parseConfig, type Config } from '../config/config.ts';
import { configSecrets } from '../config/secrets.ts';
import { ConfigError, redactSecrets } from '../core/errors.ts';
import { childLogger, createLogger, type Logger } from '../core/log.ts';
import { describeRouting } from '../notify/routing.ts';
import { composeBot, type BotOptions } from './bot.ts';
import { startBotHttp } from './http/bot-http.ts';
import type { HttpServer } from './http/server.ts';
import { BotMetrics } from './metrics.ts';
import { startUpkeep } from './upkeep.ts';

export type Running = { stop(): Promise<void> };

/**
 * Start everything; resolves once the bots are connected, the scheduler is armed and the start-up work (regime
 * check, kept deliveries, RUN_ON_START's cycle) is done. `opts` (tests): a store, sinks, an instance id.
 */
export async function startBot(config: Config, logger: Logger, opts: Pick<BotOptions, 'store' | 'sinks' | 'instanceId' | 'onStateLost'> = {}): Promise<Running> {
  const bot = await composeBot(config, { ...opts, logger, metrics: new BotMetrics({ processMetrics: true }) });
  const { runtime, services, outbox, scheduler, jobs } = bot;
  const chat = { adminIds: config.adminUserIds, commands, services, logger, rateLimit: config.scanRateLimit };

  let discord: DiscordLeader | undefined;
  let telegram: TelegramLeader | undefined;
  let http: HttpServer | undefined;
  try {
    // First, so /healthz answers (503, naming what is still starting) while the chat platforms connect.
    if (config.http.port !== 0) {
      http = await startBotHttp(bot, { logger, secrets: configSecrets(config), discord: () => discord, telegram: () => telegram });
    }
    // One gateway session and one poller per token: instances sharing the store elect one each (chat/leader.ts),
    // and each logs which role it has. Each platform's glue (and its client library) loads only when its token is set.
    if (config.discord.token && config.discord.appId) {
      const { startDiscordLeader } = await import('../chat/discord-leader.ts');
      discord = await startDiscordLeader({
        ...chat,
        logger: childLogger(logger, { platform: 'discord' }),
        store: runtime.store,
        token: config.discord.token,
        appId: config.discord.appId,
        guildId: config.discord.guildId,
        apiRoot: config.discord.apiRoot,
      });
    }
    if (config.telegram.token) {
      const { startTelegramLeader } = await import('../chat/telegram-leader.ts');
      telegram = await startTelegramLeader({ ...chat, logger: childLogger(logger, { platform: 'telegram' }), store: runtime.store, token: config.telegram.token, apiRoot: config.telegram.apiRoot });
    }
  } catch (err) {
    // Close what did start, so the process exits and a supervisor (systemd, Docker) can restart it.
    await Promise.allSettled([discord?.stop(), telegram?.stop(), http?.close()]);
    await runtime.close().catch(() => undefined);
    throw err;
  }

  // Logs each job's next run, and makes up for a run a crash interrupted (in the background).
  await scheduler.start();
  const upkeep = await startUpkeep({
    store: runtime.store,
    instanceId: bot.instanceId,
    startedAt: new Date(),
    now: () => new Date(),
    logger,
    flush: (o) => jobs.flushOutbox(o),
  });
  const noise = describeRouting(config.alerts);
  logger.info(
    `hundredx started: ${runtime.market.name} data, ${runtime.store.kind} store, alerts to ${outbox.destinations().join(', ')}${noise ? ` (${noise})` : ''}. Paper trading only.`,
  );
  // Announce the regime once at start-up, and send anything kept from the last run.
  await jobs.premarket().catch((err: unknown) => logger.warn(`start-up regime check failed: ${(err as Error).message}`));
  await jobs.flushOutbox().catch((err: unknown) => logger.warn(`outbox flush failed: ${(err as Error).message}`));
  if (config.runOnStart) {
    // A first run shows something at once (RUN_ON_START); through the scheduler, so it never overlaps a cycle.
    logger.info('RUN_ON_START: running one intraday cycle now');
    await scheduler.runNow('intraday');
  }

  return {
    async stop() {
      await scheduler.stop();
      await Promise.allSettled([discord?.stop(), telegram?.stop(), http?.close()]);
      await upkeep.stop();
      await bot.close();
    },
  };
}

async function main(): Promise<number> {
  let config: Config;
  let warnings: string[];
  try {
    ({ config, warnings } = parseConfig());
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const logger = createLogger({
    level: config.log.level,
    ...(config.log.format ? { format: config.log.format } : {}),
    secrets: configSecrets(config),
  });
  for (const warning of warnings) logger.warn(`config: ${warning}`);
  // Listen before starting: a stop that arrives during start-up (`docker stop` while the first regime check runs)
  // then waits for the start to finish and stops cleanly, instead of killing the process half-started.
  let stateLost = false;
  let stopFor: (why: string) => void = () => {};
  const stopSignal = new Promise<string>((resolve) => {
    stopFor = resolve;
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  // Another process took the state file over: every write of ours now fails, so stop rather than run on
  // sending alerts for a book we can no longer keep. A non-zero exit lets the supervisor see it.
  const onStateLost = () => {
    stateLost = true;
    stopFor('state file taken over by another process');
  };
  const running = await startBot(config, logger, { onStateLost });
  logger.info(`${await stopSignal}: stopping (running jobs finish, pending alerts are kept)`);
  await running.stop();
  logger.info('stopped');
  return stateLost ? 1 : 0;
}

if (process.argv[1] && /main\.[jt]s$/.test(process.argv[1])) {
  // Compiled code of what loads from here on (the chat and data clients, imported as configured) is kept on
  // disk, so a restart (a supervisor's, a container's) compiles discord.js and the rest only once.
  enableCompileCache();
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`hundredx failed to start: ${redactSecrets(err instanceof Error ? err.message : String(err))}\n`);
      // Exit even if a library left a socket or timer behind: a hung half-started bot helps no one.
      process.exit(1);
    },
  );
}
