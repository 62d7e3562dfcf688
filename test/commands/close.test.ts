import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, createLedgerHarness, type LedgerHarness } from './ledger-harness.ts';

describe('/close', () => {
  let h: LedgerHarness;
  beforeEach(async () => {
    h = await createLedgerHarness();
    await h.openFromScan('SPY');
  });
  afterEach(async () => h.close());

  it('should refuse anyone but an admin', async () => {
    expect((await h.send('/close 1')).title).toBe('You are not allowed to use /close.');
    expect(await h.ledger.openPositions()).toHaveLength(1);
  });

  it('should sell at the current bid and reply with the exit alert', async () => {
    const msg = await h.send('/close #1', { user: ADMIN });
    expect(msg.kind).toBe('reply');
    expect(msg.id).toBeUndefined();
    expect(msg.title).toBe('👋 SPY Mar 20 $235 put closed by admin: -$72 (-10.6%)');
    expect(msg.description).toBe('closed by admin: sold 1 at $6.10 bid (paid $6.80)');
    expect(await h.ledger.openPositions()).toEqual([]);
    expect((await h.ledger.summary(new Date())).cashUsd).toBeCloseTo(10_000 - 680 - 1 + 610 - 1, 9);
  });

  it('should say when the position is already closed or unknown, and what a position id looks like', async () => {
    await h.send('/close 1', { user: ADMIN });
    expect((await h.send('/close 1', { user: ADMIN })).title).toBe('Position #1 is already closed.');
    expect((await h.send('/close 9', { user: ADMIN })).title).toBe('No paper position #9; see /positions.');
    expect((await h.send('/close SPY', { user: ADMIN })).title).toBe('position: a position number from /positions, e.g. 3, or all');
  });
});
