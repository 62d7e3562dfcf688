import { describe, expect, it } from 'vitest';
import { fridayExpiries } from '../../src/market/modeled-chain.ts';

const ymd = (dates: Date[]) => dates.map((d) => d.toISOString().slice(0, 10));

describe('fridayExpiries (replay weeklies)', () => {
  it('should move the Good Friday 2020-04-10 expiry to Thursday 2020-04-09', () => {
    expect(ymd(fridayExpiries(new Date('2020-03-12T00:00:00Z'), 6))).toEqual([
      '2020-03-13',
      '2020-03-20',
      '2020-03-27',
      '2020-04-03',
      '2020-04-09',
      '2020-04-17',
    ]);
  });

  it('should keep every expiry at 00:00 UTC of its day, as the chain and the option picker expect', () => {
    for (const expiry of fridayExpiries(new Date('2026-06-25T00:00:00Z'), 3)) {
      expect(expiry.getUTCHours() + expiry.getUTCMinutes()).toBe(0);
    }
    expect(ymd(fridayExpiries(new Date('2026-06-25T00:00:00Z'), 3))).toEqual(['2026-06-26', '2026-07-02', '2026-07-10']);
  });

  it('should start from the next Friday strictly after a Friday as-of date', () => {
    expect(ymd(fridayExpiries(new Date('2020-04-03T00:00:00Z'), 2))).toEqual(['2020-04-09', '2020-04-17']);
  });
});
