/**
 * Plain-string helpers shared by the tweet composer and the platform renderers. Lengths are UTF-16 units
 * (JavaScript's `.length`), which is what Discord and Telegram count; cuts never split a surrogate pair.
 */

export const ELLIPSIS = '…';

/** Back a cut index off a high surrogate so an emoji is never split in half. */
function safeCut(text: string, index: number): number {
  const code = text.charCodeAt(index - 1);
  return code >= 0xd800 && code <= 0xdbff ? index - 1 : index;
}

/** Cut `text` to at most `maxChars`, ending in '…' when anything was removed. */
export function truncate(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  if (maxChars <= 0) return '';
  return `${text.slice(0, safeCut(text, maxChars - 1)).trimEnd()}${ELLIPSIS}`;
}

/**
 * Cut `text` to at most `maxChars` at a word boundary, ending in '…'. Whole words only, so a cashtag is kept
 * or dropped, never left as "$MS". Returns '' when not even one word fits.
 */
export function truncateAtWord(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  if (maxChars < 2) return '';
  const head = text.slice(0, maxChars); // the char at maxChars - 1 will become '…' unless a space ends the word
  const space = head.lastIndexOf(' ');
  if (space <= 0) return '';
  // Trailing punctuation before the ellipsis reads as a typo ("cap,…").
  const kept = head.slice(0, space).replace(/[\s,;:]+$/u, '');
  return kept ? `${kept}${ELLIPSIS}` : '';
}

/** A [start, end) slice of a string. */
export type TextRange = { start: number; end: number };

/**
 * Ranges of at most `maxChars` covering `text`, cut at a newline when there is one in reach, else at a space,
 * else hard. The newline or space at a cut is dropped and every range is trimmed of surrounding whitespace
 * (Telegram rejects blank messages); blank ranges are skipped. Works on ranges, not strings, so a caller can
 * slice text and its formatting entities with the same numbers.
 */
export function splitRanges(text: string, maxChars: number): TextRange[] {
  if (maxChars < 2) throw new RangeError(`splitRanges: maxChars must be at least 2, got ${maxChars}`);
  const ranges: TextRange[] = [];
  const push = (start: number, end: number): void => {
    let s = start;
    let e = end;
    while (s < e && /\s/u.test(text.charAt(s))) s++;
    while (e > s && /\s/u.test(text.charAt(e - 1))) e--;
    if (e > s) ranges.push({ start: s, end: e });
  };
  let pos = 0;
  while (text.length - pos > maxChars) {
    const limit = pos + maxChars; // a chunk may end at `limit` (exclusive)
    const newline = text.lastIndexOf('\n', limit);
    const space = text.lastIndexOf(' ', limit);
    if (newline > pos) {
      push(pos, newline);
      pos = newline + 1;
    } else if (space > pos) {
      push(pos, space);
      pos = space + 1;
    } else {
      const end = safeCut(text, limit);
      push(pos, end);
      pos = end;
    }
  }
  push(pos, text.length);
  return ranges;
}

/** splitRanges applied to a plain string. */
export function splitText(text: string, maxChars: number): string[] {
  return splitRanges(text, maxChars).map((r) => text.slice(r.start, r.end));
}
