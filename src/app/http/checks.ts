/**
 * @module What "healthy" means for a running bot: the scheduler is started, the store answers, and every
 * configured chat platform is up (Discord's gateway ready; on Telegram this instance polls, or stands by while
 * another instance holds the poller lock). Platforms not configured are not checked.
 */
import { TELEGRAM_POLLER_LOCK } from '../../chat/telegram-leader.ts';
import type { Store } from '../../store/store.ts';
import { failing, ok, type HealthCheck } from './health.ts';

/** A key nobody writes: reading it is the cheapest round trip every store supports. */
const PING_KEY = 'hx:health:ping';

export type BotHealthSources = {
  scheduler: { status(): Promise<{ started: boolean }> };
  store: Store;
  /** Only when Discord is configured; returns undefined while it is still connecting. */
  discord?: () => { client: { isReady(): boolean } } | undefined;
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
        // The client's own words follow ("Stream isn't writeable..."); the words before them say what they mean.
        return failing(`${src.store.kind} unreachable: ${err instanceof Error ? err.message : String(err)}`);
      }
      return ok(`${src.store.kind} answers`);
    },
  };
  const { discord, telegram } = src;
  if (discord) {
    checks.discord = async () => {
      const bot = discord();
      if (!bot) return failing('connecting');
      return bot.client.isReady() ? ok('gateway ready') : failing('gateway not ready (reconnecting)');
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
