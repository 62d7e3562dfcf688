import { describe, expect, it } from 'vitest';
import { splitRanges, splitText, truncate, truncateAtWord } from '../../src/notify/text.ts';

describe('notify/text', () => {
  it('should truncate with an ellipsis within the limit and never split an emoji', () => {
    expect(truncate('abcdef', 6)).toBe('abcdef');
    expect(truncate('abcdef', 4)).toBe('abc…');
    const cut = truncate('ab📉cd', 4); // the emoji is 2 UTF-16 units at index 2..3
    expect(cut).toBe('ab…');
    expect(cut.length).toBeLessThanOrEqual(4);
  });

  it('should truncate at word boundaries so a cashtag stays whole or goes', () => {
    expect(truncateAtWord('Top: $NFLX z -3.1, $MSTR z -2.7', 24)).toBe('Top: $NFLX z -3.1…');
    expect(truncateAtWord('aaa bbb ccc', 8)).toBe('aaa bbb…');
    expect(truncateAtWord('aaa bbb ccc', 7)).toBe('aaa…');
    expect(truncateAtWord('$SUPERLONGTICKER', 5)).toBe('');
  });

  it('should split at the last newline in reach, then at a space, then hard', () => {
    expect(splitText('aaaa\nbbbb\ncc', 9)).toEqual(['aaaa\nbbbb', 'cc']);
    expect(splitText('aaaa bbbb cc', 9)).toEqual(['aaaa bbbb', 'cc']);
    expect(splitText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(splitText('', 10)).toEqual([]);
  });

  it('should trim parts and skip blank ones', () => {
    expect(splitText('\n\n  aaaa  \n\n\n\nbbbb\n', 6)).toEqual(['aaaa', 'bbbb']);
    for (const r of splitRanges('x\n\n\ny', 2)) expect(r.end).toBeGreaterThan(r.start);
  });
});
