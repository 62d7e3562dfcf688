import { describe, expect, it } from 'vitest';
import { createSinks } from '../../src/app/bot.ts';
import { loadConfig } from '../../src/config/config.ts';
import { ConfigError } from '../../src/core/errors.ts';

const DISCORD = { DISCORD_TOKEN: 'MTA5.FAKE-discord-bot-token_secret', DISCORD_APP_ID: '123456789012345678' };
const TELEGRAM = { TELEGRAM_BOT_TOKEN: '123456:SECRET-token_value_abcdefghij' };

const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
};

describe('config: noise control (ALERTS_<EVENT>, ROUTE_<EVENT>)', () => {
  it('should send every event normally to every alert channel and chat when nothing is set', () => {
    const { alerts } = loadConfig({});
    expect(Object.keys(alerts)).toEqual(['regime', 'accepted', 'rejected', 'digest', 'exit', 'diary']);
    expect(Object.values(alerts).every((a) => a.mode === 'on' && a.route === null)).toBe(true);
  });

  it('should read a mode and a route per event, forum topics included, each destination once', () => {
    const { alerts } = loadConfig({
      ...DISCORD,
      ...TELEGRAM,
      ALERTS_REJECTED: 'silent',
      ALERTS_DIARY: 'off',
      ROUTE_REJECTED: 'discord:222222222222222222, telegram:-1001234567890/7,discord:222222222222222222',
      ROUTE_EXIT: 'telegram:-1001234567890/12',
    });
    expect(alerts.rejected).toEqual({ mode: 'silent', route: ['discord:222222222222222222', 'telegram:-1001234567890/7'] });
    expect(alerts.diary).toEqual({ mode: 'off', route: null });
    expect(alerts.exit).toEqual({ mode: 'on', route: ['telegram:-1001234567890/12'] });
    expect(alerts.accepted).toEqual({ mode: 'on', route: null });
  });

  it('should name the variable and the bad value of a mode or a destination', () => {
    expect(problems({ ALERTS_EXIT: 'quiet', ROUTE_DIGEST: 'slack:general', ROUTE_REGIME: 'telegram:-100123/topic' })).toEqual([
      'ALERTS_EXIT (got "quiet"): must be on, silent (delivered without a notification sound) or off',
      'ROUTE_REGIME (got "telegram:-100123/topic"): "telegram:-100123/topic" is not a destination; use discord:<channel id>, telegram:<chat id> or telegram:<chat id>/<topic id>, e.g. discord:123456789012345678,telegram:-1001234567890/7',
      'ROUTE_DIGEST (got "slack:general"): "slack:general" is not a destination; use discord:<channel id>, telegram:<chat id> or telegram:<chat id>/<topic id>, e.g. discord:123456789012345678,telegram:-1001234567890/7',
    ]);
    expect(problems({ ROUTE_DIGEST: ' , ' })[0]).toMatch(/^ROUTE_DIGEST \(got " , "\): names no destination; use discord:<channel id>/);
  });

  it('should refuse at start-up a route no configured bot can serve', () => {
    expect(problems({ ...TELEGRAM, ROUTE_REJECTED: 'discord:222222222222222222,telegram:-1001234567890', ROUTE_EXIT: 'telegram:42/3' })).toEqual([
      'ROUTE_REJECTED: discord:222222222222222222 cannot be served, DISCORD_TOKEN is not set; set it or route rejected alerts elsewhere',
    ]);
    expect(problems({ ROUTE_DIARY: 'telegram:-1001234567890' })).toEqual([
      'ROUTE_DIARY: telegram:-1001234567890 cannot be served, TELEGRAM_BOT_TOKEN is not set; set it or route diary alerts elsewhere',
    ]);
  });

  it('should build a platform sink for a route even without alert channels of its own', async () => {
    const routedOnly = loadConfig({ ...DISCORD, ...TELEGRAM, TELEGRAM_ALERT_CHAT_IDS: '-1001234567890', ROUTE_REJECTED: 'discord:222222222222222222' });
    const sinks = await createSinks(routedOnly);
    expect(sinks.map((s) => s.name)).toEqual(['discord', 'telegram']);
    // The discord sink posts only where a route sends it: it is no default destination.
    expect(sinks.flatMap((s) => s.destinations())).toEqual(['telegram:-1001234567890']);
    expect((await createSinks(loadConfig({ ...DISCORD }))).map((s) => s.name)).toEqual(['console']);
  });
});
