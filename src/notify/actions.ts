/**
 * @module A button's action as the string a platform carries back when it is pressed: Discord's custom_id (at
 * most 100 characters) and Telegram's callback_data (at most 64 bytes). Anyone can send any string back, so a
 * pressed button is read with zod like every other input, and only then dispatched like a typed command.
 *
 * Format: `hx|<r|e>|<command>|<arg>|...`: `r` answers with a message of its own, `e` edits the message the
 * button is on.
 */
import { z } from 'zod';
import type { MessageAction } from './message.ts';

/** Telegram's callback_data limit, in bytes; Discord allows more (100 characters), so this is the one to fit. */
export const ACTION_DATA_MAX_BYTES = 64;
/** Buttons a message may carry: Discord's row of five. */
export const MAX_ACTIONS = 5;

const PREFIX = 'hx';
const COMMAND = /^[a-z0-9_]{1,32}$/;
const ARG = /^[A-Za-z0-9#._-]{1,24}$/;

/** What a pressed button asks for. */
export type PressedAction = { command: string; args: string[]; edit: boolean };

const ActionData = z
  .string()
  .refine((data) => Buffer.byteLength(data, 'utf8') <= ACTION_DATA_MAX_BYTES, { message: `longer than ${ACTION_DATA_MAX_BYTES} bytes` })
  .transform((data) => data.split('|'))
  .pipe(
    z
      .tuple([z.literal(PREFIX), z.enum(['r', 'e']), z.string().regex(COMMAND, { message: 'not a command name' })], z.string().regex(ARG, { message: 'not an argument word' }))
      .refine((parts) => parts.length <= 3 + 3, { message: 'more than 3 arguments' }),
  )
  .transform(([, mode, command, ...args]): PressedAction => ({ command, args, edit: mode === 'e' }));

/**
 * The string for `action`. A command or argument that is not a short word, or data past 64 bytes, is a bug in
 * the message that made it: a RangeError naming it.
 */
export function encodeAction(action: MessageAction): string {
  const data = [PREFIX, action.edit ? 'e' : 'r', action.command, ...(action.args ?? [])].join('|');
  const parsed = ActionData.safeParse(data);
  if (!parsed.success) throw new RangeError(`button "${action.label}": ${z.prettifyError(parsed.error)} (${data})`);
  return data;
}

/** The action a pressed button carries, or why it is not one of ours (an old or forged button). */
export function decodeAction(data: string): { ok: true; action: PressedAction } | { ok: false; reason: string } {
  const parsed = ActionData.safeParse(data);
  return parsed.success ? { ok: true, action: parsed.data } : { ok: false, reason: parsed.error.issues[0]?.message ?? 'invalid' };
}
