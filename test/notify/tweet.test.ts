import { describe, expect, it } from 'vitest';
import { composeTweet } from '../../src/notify/tweet.ts';

describe('notify/tweet composeTweet', () => {
  const parts = [
    { text: 'Head $NFLX.' },
    { text: 'Flavour text.', dropRank: 3 },
    { text: 'Body that may be shortened at a word.', shorten: true },
    { text: '#Tags', dropRank: 1 },
  ];
  const full = 'Head $NFLX. Flavour text. Body that may be shortened at a word. #Tags';

  it('should keep everything when it fits exactly', () => {
    expect(composeTweet(parts, full.length)).toBe(full);
  });

  it('should drop the highest-ranked droppable part first when one character over', () => {
    expect(composeTweet(parts, full.length - 1)).toBe('Head $NFLX. Body that may be shortened at a word. #Tags');
  });

  it('should shorten after dropping, keeping required parts', () => {
    const out = composeTweet(parts, 30);
    expect(out).toBe('Head $NFLX. Body that may be…');
    expect(out.length).toBeLessThanOrEqual(30);
  });

  it('should cut required parts only as a last resort, at a word', () => {
    expect(composeTweet([{ text: 'One two three four' }], 10)).toBe('One two…');
  });
});
