/**
 * Builds tweet lines from ranked parts so the 280-character cap removes the least important words first and
 * never cuts a cashtag in half.
 */
import { TWEET_MAX_CHARS } from './limits.ts';
import { truncateAtWord } from './text.ts';

/**
 * One sentence or tag group of a tweet, joined to the others with a space.
 * - `dropRank`: parts with a rank may be dropped to fit, the highest rank first. Without one the part stays.
 * - `shorten`: the part may be cut at a word boundary (with '…') when dropping was not enough.
 */
export type TweetPart = { text: string; dropRank?: number; shorten?: boolean };

const join = (parts: readonly TweetPart[]): string =>
  parts
    .map((p) => p.text)
    .filter(Boolean)
    .join(' ');

/**
 * Join `parts` into at most `maxChars` (UTF-16 units; an emoji counts as 2, as on X). Order of sacrifice:
 * droppable parts by rank, then shortenable parts (last first), then, only if the required parts alone are
 * too long, the whole line at a word boundary.
 */
export function composeTweet(parts: readonly TweetPart[], maxChars = TWEET_MAX_CHARS): string {
  let active = parts.filter((p) => p.text.length > 0).map((p) => ({ ...p }));
  while (join(active).length > maxChars) {
    const droppable = active.filter((p) => p.dropRank !== undefined);
    if (droppable.length === 0) break;
    const victim = droppable.reduce((a, b) => ((b.dropRank ?? 0) >= (a.dropRank ?? 0) ? b : a));
    active = active.filter((p) => p !== victim);
  }
  for (const part of [...active].reverse()) {
    const excess = join(active).length - maxChars;
    if (excess <= 0) break;
    if (!part.shorten) continue;
    part.text = truncateAtWord(part.text, part.text.length - excess);
  }
  return truncateAtWord(join(active), maxChars);
}
