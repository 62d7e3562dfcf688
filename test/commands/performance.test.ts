import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { windowStart } from '../../commands/performance.ts';
import { ADMIN, createLedgerHarness, type LedgerHarness } from './ledger-harness.ts';

const field = (msg: { fields: { name: string; value: string }[] }, name: string) => msg.fields.find((f) => f.name === name)?.value;

describe('/pnl, /performance, /daily, /weekly, /monthly', () => {
  let h: LedgerHarness;
  beforeEach(async () => {
    h = await createLedgerHarness();
    await h.openFromScan('SPY');
  });
  afterEach(async () => h.close());

  it('should say there is nothing yet before any trade closed, with the open position counted', async () => {
    const msg = await h.send('/pnl');
    expect(field(msg, 'Closed trades')).toBe('0 (0 won, 0 lost)');
    expect(field(msg, 'Win rate')).toBe('n/a');
    expect(field(msg, 'Open positions')).toBe('1');
    expect((await h.send('/performance')).title).toBe('No closed paper trades since the start.');
  });

  it('should add up a closed trade net of both commissions, today and since the start', async () => {
    await h.send('/close 1', { user: ADMIN }); // sold at $6.10 after paying $6.80: -$70 - $2 commissions
    for (const line of ['/pnl', '/pnl today', '/pnl 1d', '/pnl 30D']) {
      const msg = await h.send(line);
      expect(field(msg, 'Closed trades')).toBe('1 (0 won, 1 lost)');
      expect(field(msg, 'Realized P&L')).toBe('-$72');
      expect(field(msg, 'Fees')).toBe('$2.00');
      expect(field(msg, 'Equity')).toBe('$10,000 → $9,928: -$72 (-0.7%)');
      expect(field(msg, 'Best ticker')).toBe('SPY -$72');
    }
    expect((await h.send('/pnl today')).title).toBe('📊 Paper P&L today: -$72');
    expect((await h.send('/pnl 30d')).title).toBe('📊 Paper P&L since 2020-02-12: -$72');
    expect((await h.send('/performance')).description).toBe('1. $SPY -$72 · 1 trade · 0% won');
    expect((await h.send('/daily')).description).toBe('2020-03-12: -$72 on 1 trade');
    expect((await h.send('/weekly 2')).description).toBe('2020-03-09: -$72 on 1 trade');
    expect((await h.send('/monthly')).description).toBe('2020-03: -$72 on 1 trade');
  });

  it('should refuse a window or count it does not know, saying what it takes', async () => {
    expect((await h.send('/pnl decade')).title).toBe('window: today, week, month, year, all, or a number of days such as 30d');
    expect((await h.send('/pnl 0d')).title).toBe('window: a number of days from 1, such as 30d');
    expect((await h.send('/daily 0')).title).toMatch(/^count: /);
    expect((await h.send('/daily many')).title).toMatch(/^count: /);
  });
});

describe('/pause and /resume', () => {
  let h: LedgerHarness;
  beforeEach(async () => {
    h = await createLedgerHarness();
  });
  afterEach(async () => h.close());

  it('should be for admins only', async () => {
    expect((await h.send('/pause')).title).toBe('You are not allowed to use /pause.');
    expect(await h.runtime.store.get('hx:control:paused')).toBeNull();
  });

  it('should pause once, show it on /status, and resume', async () => {
    expect((await h.send('/resume', { user: ADMIN })).title).toBe('▶️ New entries were not paused.');
    expect((await h.send('/pause', { user: ADMIN })).title).toBe('⏸️ New paper entries paused.');
    expect((await h.send('/pause', { user: ADMIN })).title).toBe('⏸️ New entries are already paused (by telegram:1, Thu, Mar 12, 15:00 ET).');
    expect(field(await h.send('/status'), 'New entries')).toBe('⏸️ paused by telegram:1 since Thu, Mar 12, 15:00 ET (/resume)');
    const resumed = await h.send('/resume', { user: ADMIN });
    expect(resumed.title).toBe('▶️ New paper entries allowed again.');
    expect(field(await h.send('/status'), 'New entries')).toBeUndefined();
  });
});

describe('windowStart', () => {
  // 22:30 New York on Sunday 2026-03-08 (the DST switch day) is already Monday in UTC.
  const now = new Date('2026-03-09T02:30:00Z');
  it.each([
    ['today', '2026-03-08'],
    ['week', '2026-03-02'],
    ['month', '2026-03-01'],
    ['year', '2026-01-01'],
    ['all', null],
    ['1d', '2026-03-08'],
    ['7d', '2026-03-02'],
    ['30d', '2026-02-07'],
  ] as const)('should open %s on %s', (window, since) => {
    expect(windowStart(window, now)).toBe(since);
  });
});
