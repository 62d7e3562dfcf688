/**
 * @module What "healthy" means for a running bot: the scheduler is started, the store answers, and every
 * configured chat platform is up (on Discord this instance's gateway session is ready, on Telegram it polls;
 * or it stands by while another instance holds that platform's lease). Platforms not configured are not checked.
 */
import { DISCORD_GATEWAY_LOCK } from '../../chat/discord-leader.ts';
import { TELEGRAM_POLLER_LOCK } from '../../chat/telegram-leader.ts';
import type { Store } from '../../store/store.ts';
import { failing, ok, type HealthCheck } from './health.ts';

/** A key nobody writes: reading it is the cheapest round trip every store supports. */
const PING_KEY = 'hx:health:ping';

export type BotHealthSources = {
  scheduler: { status(): Promise<{ started: boolean }> };
  store: Store;
  /** Only when Discord is configured; returns undefined while it is still connecting. */
  discord?: () => { bot: { client: { isReady(): boolean } } | undefined } | undefined;
  /** Only when Telegram is configured; returns undefined while it is still starting. */
  telegram?: () => { polling: boolean } | undefined;
};

export function botHealthChecks(src: BotHealthSources): Record<string, HealthCheck> {
  const checks: Record<string, HealthCheck> = {
    scheduler: async () => ((await src.scheduler.status()).started ? ok('started') : failing('not started')),
    store: async () => {
      try {
        await src.store.get(PING_KEY);
      } catch (err) {
        // The store's own words follow (Redis: "Redis at host:port is unreachable (not connected)").
        return failing(`${src.store.kind} unreachable: ${err instanceof Error ? err.message : String(err)}`);
      }
      return ok(`${src.store.kind} answers`);
    },
  };
  const { discord, telegram } = src;
  if (discord) {
    checks.discord = async () => {
      const leader = discord();
      if (!leader) return failing('connecting');
      if (leader.bot) return leader.bot.client.isReady() ? ok('gateway ready') : failing('gateway not ready (reconnecting)');
      // A standby is healthy while some instance holds the gateway session; nobody holding it means nobody answers.
      return (await src.store.get(DISCORD_GATEWAY_LOCK)) !== null
        ? ok('standby (another instance holds the gateway session)')
        : failing('no gateway session, and no instance holds the gateway lease');
    };
  }
  if (telegram) {
    checks.telegram = async () => {
      const leader = telegram();
      if (!leader) return failing('starting');
      if (leader.polling) return ok('polling (leader)');
      // A standby is healthy while some instance holds the poller lock; nobody holding it means nobody answers.
      return (await src.store.get(TELEGRAM_POLLER_LOCK)) !== null
        ? ok('standby (another instance polls)')
        : failing('not polling, and no instance holds the poller lock');
    };
  }
  return checks;
}
