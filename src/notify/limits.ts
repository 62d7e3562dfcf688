/**
 * Platform limits, in characters (UTF-16 units). Sources: discord.com/developers/docs/resources/message#embed-object-embed-limits
 * and core.telegram.org/bots/api#sendmessage. Renderers enforce these so a send never fails on length.
 */

export const DISCORD_LIMITS = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  /** Sum of title, description, field names and values, footer and author across all embeds of one message. */
  embedTotal: 6000,
  embedsPerMessage: 10,
  /** An attachment's description: the alt text of an image. */
  attachmentDescription: 1024,
} as const;

export const TELEGRAM_LIMITS = {
  /** sendMessage text, counted after entity parsing. */
  text: 4096,
  caption: 1024,
} as const;

/** X (Twitter) post length; our tweet lines stay within it. */
export const TWEET_MAX_CHARS = 280;
