/** @module What no log line or page may show: the tokens, the Polygon key and a Redis password (as written and decoded). */
import type { Config } from './config.ts';

export function configSecrets(config: Config): string[] {
  const redis: string[] = [];
  try {
    const password = config.redisUrl ? new URL(config.redisUrl).password : '';
    if (password) redis.push(password, decodeURIComponent(password));
  } catch {
    // config.ts checks the scheme only; an unparsable URL fails at connect, with a message naming no password
  }
  return [config.discord.token, config.telegram.token, config.polygonApiKey, config.dashboard.token, ...redis].filter((s): s is string => Boolean(s));
}
