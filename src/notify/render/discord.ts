/**
 * Message -> Discord message payloads. Pure. Every platform limit in ../limits.ts is enforced here: text is
 * markdown-escaped first (Message text is plain, so a `*` in a reason must not turn bold) and measured after.
 * The description is split on line boundaries rather than cut; titles, field text and footers, which are
 * short by design, are truncated with '…'.
 */
import { ButtonStyle, ComponentType, embedLength, escapeMarkdown, type APIActionRowComponent, type APIButtonComponent, type APIEmbed, type APIEmbedField } from 'discord.js';
import { encodeAction, MAX_ACTIONS } from '../actions.ts';
import { DISCORD_LIMITS as L } from '../limits.ts';
import type { Message, MessageAction, Tone } from '../message.ts';
import { splitText, truncate } from '../text.ts';

/** Embed side colours by tone (the same greens and reds traders expect). */
export const TONE_COLORS: Record<Tone, number> = {
  bullish: 0x2ecc71,
  bearish: 0xe74c3c,
  neutral: 0x95a5a6,
  info: 0x3498db,
  warning: 0xf1c40f,
};

/** Body of POST /channels/:id/messages. Mentions are never parsed: alerts must not ping anyone. */
export type DiscordPayload = {
  content: string;
  embeds: APIEmbed[];
  allowed_mentions: { parse: [] };
  /** Files uploaded with the message (multipart, `files[<id>]`); `description` is the image's alt text. */
  attachments?: { id: number; filename: string; description: string }[];
  /** The message's buttons, one row, on its first payload. */
  components?: APIActionRowComponent<APIButtonComponent>[];
};

/** Discord's limit on a button's label. */
const BUTTON_LABEL_MAX_CHARS = 80;
const BUTTON_STYLES = { primary: ButtonStyle.Primary, secondary: ButtonStyle.Secondary, danger: ButtonStyle.Danger } as const;

/** `actions` as one row of buttons whose custom_id is the action (../actions.ts); none for no actions. */
export function toDiscordComponents(actions: readonly MessageAction[] = []): APIActionRowComponent<APIButtonComponent>[] {
  if (actions.length === 0) return [];
  if (actions.length > MAX_ACTIONS) throw new RangeError(`a message carries at most ${MAX_ACTIONS} buttons, got ${actions.length}`);
  const buttons = actions.map(
    (a): APIButtonComponent => ({
      type: ComponentType.Button,
      style: BUTTON_STYLES[a.style ?? 'secondary'],
      label: truncate(a.label, BUTTON_LABEL_MAX_CHARS),
      custom_id: encodeAction(a),
    }),
  );
  return [{ type: ComponentType.ActionRow, components: buttons }];
}

/** Discord rejects empty field names and values; a zero-width space renders as blank. */
const BLANK = '\u200b';

const escape = (text: string): string =>
  // Line-start markers too: a reason such as "- spread too wide" must not become a bullet list.
  escapeMarkdown(text, { heading: true, bulletedList: true, maskedLink: true });

/**
 * Escape, then fit `maxChars`. Cutting first bounds the work (escapeMarkdown backtracks badly on long
 * runs); cutting again covers the backslashes escaping added.
 */
const fit = (text: string, maxChars: number): string => truncate(escape(truncate(text, maxChars)), maxChars);

/** Room left in an embed under the 6000 total. */
const room = (embed: APIEmbed): number => L.embedTotal - embedLength(embed);

/**
 * The embeds for `msg`, each within every per-embed limit and within 6000 characters on its own: the title
 * goes on the first, the footer on the last, the description continues across embeds, and fields move to a
 * new embed at 25 or when the 6000 total would be passed.
 */
export function toDiscordEmbeds(msg: Message): APIEmbed[] {
  const color = TONE_COLORS[msg.tone];
  const embeds: APIEmbed[] = [];
  let current: APIEmbed = { color, title: fit(msg.title, L.embedTitle) };
  const next = (): APIEmbed => {
    embeds.push(current);
    current = { color };
    return current;
  };

  for (const chunk of splitText(escape(msg.description ?? ''), L.embedDescription)) {
    if (current.description !== undefined || room(current) < chunk.length) next();
    current.description = chunk;
  }
  for (const field of msg.fields) {
    const out: APIEmbedField = {
      name: fit(field.name, L.fieldName) || BLANK,
      value: fit(field.value, L.fieldValue) || BLANK,
      ...(field.inline ? { inline: true } : {}),
    };
    const fields = current.fields ?? [];
    if (fields.length >= L.embedFields || room(current) < out.name.length + out.value.length) next();
    current.fields = [...(current.fields ?? []), out];
  }
  if (msg.footer) {
    const text = fit(msg.footer, L.footerText);
    if (room(current) < text.length) next();
    current.footer = { text };
  }
  embeds.push(current);
  return embeds;
}

/**
 * All payloads needed for `msg`, in send order: embeds are packed at most 10 and 6000 characters per
 * message. The tweet line is the first payload's `content` because Discord's notifications and channel
 * previews show content, not embeds; later payloads carry embeds only. Buttons go with the first payload.
 */
export function toDiscordPayloads(msg: Message): DiscordPayload[] {
  const payloads: DiscordPayload[] = [];
  let batch: APIEmbed[] = [];
  let batchLength = 0;
  const flush = (): void => {
    if (batch.length === 0) return;
    const first = payloads.length === 0;
    const content = first && msg.tweet ? fit(msg.tweet, L.content) : '';
    const components = first ? toDiscordComponents(msg.actions) : [];
    payloads.push({ content, embeds: batch, allowed_mentions: { parse: [] }, ...(components.length > 0 ? { components } : {}) });
    batch = [];
    batchLength = 0;
  };
  for (const embed of toDiscordEmbeds(msg)) {
    const length = embedLength(embed);
    if (batch.length >= L.embedsPerMessage || batchLength + length > L.embedTotal) flush();
    batch.push(embed);
    batchLength += length;
  }
  flush();
  return payloads;
}

/**
 * The single payload for `msg`. Throws RangeError when the message needs more than one Discord message;
 * use toDiscordPayloads for anything whose length is not bounded (digests, diaries).
 */
export function toDiscordPayload(msg: Message): DiscordPayload {
  const payloads = toDiscordPayloads(msg);
  if (payloads.length !== 1 || !payloads[0]) {
    throw new RangeError(`"${msg.title.slice(0, 50)}" needs ${payloads.length} Discord messages; use toDiscordPayloads`);
  }
  return payloads[0];
}

/**
 * `payload` with one image attached and shown inside its first embed: Discord's `attachment://<name>` points
 * the embed at the file uploaded beside the JSON (`files[0]`). The file's bytes are the sender's to add.
 */
export function withImage(payload: DiscordPayload, image: { fileName: string; alt: string }): DiscordPayload {
  const [first, ...rest] = payload.embeds;
  return {
    ...payload,
    embeds: [{ ...first, image: { url: `attachment://${image.fileName}` } }, ...rest],
    attachments: [{ id: 0, filename: image.fileName, description: truncate(image.alt, L.attachmentDescription) }],
  };
}
