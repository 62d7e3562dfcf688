/** @module What the dashboard pages read: the bot's query layer and the outbox's alert log, nothing that writes. */
import type { Outbox } from '../../../notify/outbox.ts';
import type { BotServices } from '../../services.ts';

export type DashboardDeps = {
  /** Ledger, journal, diaries, the last cycle, the runtime's clock and config. */
  services: BotServices;
  outbox: Pick<Outbox, 'alertLog'>;
  /** DASHBOARD_TOKEN; undefined: no token asked (the config allows that on loopback only). */
  token?: string;
  /** Scrubbed from every page before it is sent: the tokens, keys and the Redis password. */
  secrets: readonly string[];
};
