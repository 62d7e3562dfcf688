/**
 * Message -> Telegram texts with formatting entities (telegraf/format). Pure. Entities instead of
 * MarkdownV2/HTML mean no text is ever parsed, so `_ * . ! - [ ]` in a ticker or reason cannot break a
 * message; no parse_mode is sent. Text over 4096 characters is split on line boundaries, and each entity
 * is clipped to the part it falls in so every part stays valid on its own.
 */
import { bold, FmtString, fmt, italic, join } from 'telegraf/format';
import { TELEGRAM_LIMITS } from '../limits.ts';
import type { InlineKeyboardMarkup } from 'telegraf/types';
import { encodeAction, MAX_ACTIONS } from '../actions.ts';
import type { Message, MessageAction } from '../message.ts';
import { splitRanges, truncate } from '../text.ts';
import { fieldLine } from './plain.ts';

type Entity = NonNullable<FmtString['entities']>[number];

/** One FmtString of the whole message, any length; the layout of toPlainText with bold names and an italic footer. */
export function toTelegramFmt(msg: Message): FmtString {
  const blocks: FmtString[] = [bold(msg.title)];
  if (msg.description) blocks.push(fmt`${msg.description}`);
  if (msg.fields.length > 0) {
    blocks.push(
      join(
        msg.fields.map((f) => {
          const { name, separator, value } = fieldLine(f);
          return fmt`${bold(name)}${separator}${value}`;
        }),
        '\n',
      ),
    );
  }
  if (msg.footer) blocks.push(italic(msg.footer));
  return join(blocks, '\n\n');
}

/** The part [start, end) of `text` with its entities clipped and shifted into it; empty clips are dropped. */
export function sliceFmt(text: FmtString, start: number, end: number): FmtString {
  const entities: Entity[] = [];
  for (const entity of text.entities ?? []) {
    const from = Math.max(entity.offset, start);
    const to = Math.min(entity.offset + entity.length, end);
    if (to > from) entities.push({ ...entity, offset: from - start, length: to - from });
  }
  return new FmtString(text.text.slice(start, end), entities);
}

/** Split any FmtString into parts of at most `maxChars` on line boundaries (see splitRanges). */
export function splitFmt(text: FmtString, maxChars: number = TELEGRAM_LIMITS.text): FmtString[] {
  return splitRanges(text.text, maxChars).map((r) => sliceFmt(text, r.start, r.end));
}

/** The messages to send for `msg`, in order, each within Telegram's 4096-character limit. */
export function toTelegramTexts(msg: Message): FmtString[] {
  return splitFmt(toTelegramFmt(msg));
}

/**
 * One Telegram message of `msg`: text, or its chart as a photo. A photo's `fallback` is sent instead (as text)
 * when the chart cannot be drawn; null means the text went already and nothing replaces the picture.
 */
export type TelegramPart = ({ type: 'text'; text: FmtString } | { type: 'photo'; caption: FmtString; fallback: FmtString | null }) & {
  /** The message's buttons, on its first part. */
  markup?: InlineKeyboardMarkup;
};

/** `actions` as one row of an inline keyboard whose callback_data is the action (../actions.ts). */
export function toInlineKeyboard(actions: readonly MessageAction[] = []): InlineKeyboardMarkup | undefined {
  if (actions.length === 0) return undefined;
  if (actions.length > MAX_ACTIONS) throw new RangeError(`a message carries at most ${MAX_ACTIONS} buttons, got ${actions.length}`);
  return { inline_keyboard: [actions.map((a) => ({ text: a.label, callback_data: encodeAction(a) }))] };
}

/**
 * The messages to send for `msg`, in order. Without a chart, its texts. With one: a single photo with the
 * whole message as its caption when that fits Telegram's 1,024-character caption limit; otherwise the
 * texts first and then the photo, captioned with the chart's alt text, which senders post as a reply to the
 * first text. Pure, and decided by the message alone (never by whether the picture renders), so a resumed
 * delivery sends the same parts. Buttons go with the first part.
 */
export function toTelegramParts(msg: Message): TelegramPart[] {
  const texts = toTelegramTexts(msg).map((text) => ({ type: 'text' as const, text }));
  const whole = toTelegramFmt(msg);
  const parts: TelegramPart[] = !msg.chart
    ? texts
    : whole.text.length <= TELEGRAM_LIMITS.caption
      ? [{ type: 'photo', caption: whole, fallback: whole }]
      : [...texts, { type: 'photo', caption: new FmtString(truncate(msg.chart.alt, TELEGRAM_LIMITS.caption)), fallback: null }];
  const markup = toInlineKeyboard(msg.actions);
  return markup && parts[0] ? [{ ...parts[0], markup }, ...parts.slice(1)] : parts;
}
