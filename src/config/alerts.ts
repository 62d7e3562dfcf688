/**
 * @module Noise control settings: per alert event, ALERTS_<EVENT> (on | silent | off) and ROUTE_<EVENT> (the
 * destinations it goes to, instead of every alert channel and chat). Destinations are written the way the
 * outbox names them: `discord:<channel id>`, `telegram:<chat id>`, and `telegram:<chat id>/<topic id>` for a
 * forum topic (Telegram's message_thread_id).
 */
import { z } from 'zod';
import { ALERT_EVENTS, ALERT_MODES, DEFAULTS, type AlertEvent, type AlertMode } from './defaults.ts';

/** How each event is sent; `route` null: to every alert channel and chat (DISCORD_/TELEGRAM_ALERT_...). */
export type AlertSettings = Record<AlertEvent, { mode: AlertMode; route: string[] | null }>;

const DESTINATION = /^(discord:\d{17,20}|telegram:-?\d{1,20}(\/\d{1,10})?)$/;
const DESTINATION_HELP = 'use discord:<channel id>, telegram:<chat id> or telegram:<chat id>/<topic id>, e.g. discord:123456789012345678,telegram:-1001234567890/7';

const mode = (event: AlertEvent) =>
  z.enum(ALERT_MODES, { error: 'must be on, silent (delivered without a notification sound) or off' }).default(DEFAULTS.alerts[event]);

/** A comma-separated list of destinations, each checked for its shape (which platform serves it: alertSettings). */
const route = z.string().transform((text, ctx) => {
  const destinations = text.split(',').map((d) => d.trim()).filter(Boolean);
  const bad = destinations.find((d) => !DESTINATION.test(d));
  if (bad !== undefined || destinations.length === 0) {
    ctx.addIssue({ code: 'custom', message: `${bad === undefined ? 'names no destination' : `${JSON.stringify(bad.slice(0, 40))} is not a destination`}; ${DESTINATION_HELP}` });
    return z.NEVER;
  }
  return [...new Set(destinations)];
});

/** The schema's share of the environment: spread into config.ts's envSchema. */
export const alertEnv = {
  ALERTS_REGIME: mode('regime'),
  ALERTS_ACCEPTED: mode('accepted'),
  ALERTS_REJECTED: mode('rejected'),
  ALERTS_DIGEST: mode('digest'),
  ALERTS_EXIT: mode('exit'),
  ALERTS_DIARY: mode('diary'),
  ROUTE_REGIME: route.optional(),
  ROUTE_ACCEPTED: route.optional(),
  ROUTE_REJECTED: route.optional(),
  ROUTE_DIGEST: route.optional(),
  ROUTE_EXIT: route.optional(),
  ROUTE_DIARY: route.optional(),
};

type AlertEnv = Record<`ALERTS_${Uppercase<AlertEvent>}`, AlertMode> & Partial<Record<`ROUTE_${Uppercase<AlertEvent>}`, string[]>>;

/** Which chat platforms have a bot token, i.e. a sink that can post to any of their chats. */
export type ConfiguredPlatforms = { discord: boolean; telegram: boolean };

const TOKEN_VAR = { discord: 'DISCORD_TOKEN', telegram: 'TELEGRAM_BOT_TOKEN' } as const;

/**
 * The validated variables -> AlertSettings, and a problem for each routed destination no sink would serve (its
 * platform has no token): a route that cannot be delivered must stop start-up, not drop alerts every day.
 */
export function alertSettings(env: AlertEnv, platforms: ConfiguredPlatforms): { alerts: AlertSettings; problems: string[] } {
  const problems: string[] = [];
  const entries = ALERT_EVENTS.map((event) => {
    const upper = event.toUpperCase() as Uppercase<AlertEvent>;
    const routed = env[`ROUTE_${upper}`] ?? null;
    for (const destination of routed ?? []) {
      const platform = destination.startsWith('discord:') ? 'discord' : 'telegram';
      if (!platforms[platform]) {
        problems.push(`ROUTE_${upper}: ${destination} cannot be served, ${TOKEN_VAR[platform]} is not set; set it or route ${event} alerts elsewhere`);
      }
    }
    return [event, { mode: env[`ALERTS_${upper}`], route: routed }] as const;
  });
  return { alerts: Object.fromEntries(entries) as AlertSettings, problems };
}
