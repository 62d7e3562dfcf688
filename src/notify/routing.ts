/**
 * @module The routing table the outbox reads for every alert: per event (regime, accepted, rejected, digest,
 * exit, diary) whether it is sent normally, silently (no notification sound) or not at all, and to which
 * destinations. Freqtrade's per-event on | silent | off, plus a route per event (rejects to a quiet channel,
 * exits to a Telegram forum topic). Pure.
 */
import type { AlertEvent, AlertMode } from '../config/defaults.ts';
import type { Message, MessageKind } from './message.ts';

/** One event's setting. `route` null or absent: every destination of every sink (the alert channels and chats). */
export type AlertPolicy = { mode: AlertMode; route?: readonly string[] | null };
/** Events left out are sent normally to every destination (Config['alerts'] fits as is). */
export type AlertRouting = Partial<Record<AlertEvent, AlertPolicy>>;

/** Kinds that are one event by themselves; trade alerts say which of accepted, rejected or exit they are. */
const EVENT_OF_KIND: Partial<Record<MessageKind, AlertEvent>> = { regime: 'regime', digest: 'digest', diary: 'diary' };

/** The event an alert belongs to, or null for a message no setting governs (a reply, an error). */
export function alertEvent(message: Message): AlertEvent | null {
  return message.event ?? EVENT_OF_KIND[message.kind] ?? null;
}

/** How `message` goes out: its mode and its destinations (null: every destination). */
export function policyFor(routing: AlertRouting, message: Message): { event: AlertEvent | null; mode: AlertMode; route: readonly string[] | null } {
  const event = alertEvent(message);
  const policy = event ? routing[event] : undefined;
  return { event, mode: policy?.mode ?? 'on', route: policy?.route ?? null };
}

/** The settings that differ from "on, everywhere", for the start-up log: "rejected silent to discord:1; diary off". */
export function describeRouting(routing: AlertRouting): string {
  return Object.entries(routing)
    .flatMap(([event, policy]) => {
      if (!policy || (policy.mode === 'on' && !policy.route)) return [];
      const to = policy.mode !== 'off' && policy.route ? ` to ${policy.route.join(',')}` : '';
      return [`${event}${policy.mode === 'on' ? '' : ` ${policy.mode}`}${to}`];
    })
    .join('; ');
}

/**
 * Routed destinations that none of `sinkNames` serves (a sink serves every destination named after it,
 * `telegram:<chat>[/<topic>]` by `telegram`), as "event: destination". Config checks the same at start-up by
 * bot token; this catches sinks wired by hand.
 */
export function unservedRoutes(routing: AlertRouting, sinkNames: readonly string[]): string[] {
  return Object.entries(routing).flatMap(([event, policy]) =>
    (policy?.route ?? []).filter((d) => !sinkNames.some((name) => d.startsWith(`${name}:`))).map((d) => `${event}: ${d}`),
  );
}
