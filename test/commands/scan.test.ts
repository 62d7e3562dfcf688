import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { scanReply } from '../../commands/scan.ts';
import { createHarness, type Harness } from './harness.ts';

const field = (msg: { fields: { name: string; value: string }[] }, name: string) =>
  msg.fields.find((f) => f.name === name)?.value;

describe('/scan', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(async () => {
    vi.useRealTimers();
    await h.close();
  });

  it('should answer an accepted put with the sized plan, saying what it would buy', async () => {
    const msg = await h.send('/scan SPY');
    expect(msg.kind).toBe('reply');
    expect(msg.id).toBeUndefined();
    expect(msg.tweet).toBeUndefined();
    expect(msg.title).toBe('📉 SPY breakdown: would buy 1x Mar 20 $235 put');
    expect(msg.description).toBe('1 contract x $6.80 = $680 + $1.00 fees = $681.00 within $1,000 risk cap');
    expect(field(msg, 'Status')).toBe('ACCEPTED');
    expect(field(msg, 'Z-score')).toBe('-2.76');
    expect(field(msg, 'Regime')).toBe('BEARISH · short 1.0x');
    expect(field(msg, 'Price')).toBe('$6.80 ask (modeled)');
    expect(field(msg, 'Cost')).toBe('$680 + $1.00 fees = $681.00');
    expect(field(msg, 'At risk')).toBe('$681.00');
  });

  it('should answer a rejected put with the reason it was refused', async () => {
    const msg = await h.send('/scan goog');
    expect(msg.title).toBe('⛔ GOOG breakdown: put skipped');
    expect(msg.description).toBe('1 contract costs $2,810 + $1.00 fee > $1,000 risk cap');
    expect(field(msg, 'Status')).toBe('REJECTED');
  });

  it('should say there is no breakout with the z-score and the threshold', async () => {
    const msg = await h.send('/scan $TSLA');
    expect(msg).toMatchObject({ kind: 'reply', title: 'No breakout on TSLA: z = -1.78, needs |z| >= 2' });
    expect(field(msg, 'Regime')).toBe('BEARISH · long 0.0x / short 1.0x');
    expect(field(msg, 'Move')).toBe('-11.6% to $37.37 (σ 6.1%)');
    expect(msg.footer).toBe('Data as of 2020-03-12');
  });

  it('should say a ticker is not in the recorded data, list what is, and mark the reply failed', async () => {
    const msg = await h.send('/scan NFLX');
    expect(msg.title).toBe('NFLX: not found');
    expect(msg.description).toBe('NFLX: not in the recorded data, which has AAPL, AIG, BAC, BNO, EEM, FB, GOOG, GOOGL, IBM, IWM, QQQ, SPY, TSLA, USO, WM as of 2020-03-12');
    expect(msg.failed).toBe(true);
  });

  it('should give a hint when the source words its not-found for logs, not for the user', async () => {
    const regime = (await h.services.regime());
    const msg = scanReply(regime, { symbol: 'ZZZZ', signal: null, plan: null, error: { kind: 'not_found', message: 'yahoo chart ZZZZ: HTTP 404 from query1.finance.yahoo.com/v8/finance/chart/ZZZZ: Not Found' } }, 2);
    expect(msg.description).toBe('No price data for ZZZZ; check the ticker.');
  });

  it('should mark a scan failed only when every ticker failed', async () => {
    expect((await h.send('/scan NFLX XYZ')).failed).toBe(true);
    expect((await h.send('/scan NFLX TSLA')).failed).toBeUndefined();
    expect((await h.send('/scan TSLA')).failed).toBeUndefined();
  });

  it('should scan the universe when no ticker is given, listing the signals in the order they were sized', async () => {
    const msg = await h.send('/scan');
    expect(msg.title).toBe('Scan of 15 tickers on replay data: 11 signals, 5 accepted, 6 rejected');
    expect(msg.description?.split('\n').slice(0, 2)).toEqual(['AIG SHORT z -4.25 -> ACCEPTED', 'EEM SHORT z -3.66 -> ACCEPTED']);
    expect(msg.fields[0]?.name).toBe('Regime BEARISH (as of 2020-03-12)');
    expect(msg.fields.filter((f) => /^(ACCEPTED|REJECTED) /.test(f.name))).toHaveLength(11);
    expect(msg.fields.find((f) => f.name.startsWith('REJECTED SPY'))?.value).toContain('5 new positions this cycle already (MAX_NEW_POSITIONS)');
    expect(msg.footer).toContain('Paper trading only');
  });

  it('should scan several tickers in one request, and refuse more than 40', async () => {
    const msg = await h.send('/scan SPY, nflx TSLA');
    expect(msg.title).toBe('Scan of 3 tickers on replay data: 1 signals, 1 accepted, 0 rejected, 1 error');
    expect(msg.description).toBe(
      ['SPY SHORT z -2.76 -> ACCEPTED', 'NFLX: not in the recorded data, which has AAPL, AIG, BAC, BNO, EEM, FB, GOOG, GOOGL, IBM, IWM, QQQ, SPY, TSLA, USO, WM as of 2020-03-12', 'TSLA: no breakout (z -1.78)'].join('\n'),
    );
    const many = Array.from({ length: 41 }, (_, i) => `T${i}`).join(' ');
    expect((await h.send(`/scan ${many}`)).title).toBe('tickers: at most 40 tickers at a time (got 41)');
  });

  it('should refuse something that is not a ticker and say what a ticker looks like', async () => {
    const msg = await h.send('/scan $$$');
    expect(msg.kind).toBe('error');
    expect(msg.title).toBe('tickers: "$$$" is not a ticker: use 1-10 letters, digits, "." or "-", e.g. NFLX or BRK.B');
  });

  it('should refuse a 5,000-character argument briefly without echoing it', async () => {
    const huge = 'A'.repeat(5000);
    const words = await h.send(`/scan ${huge}`);
    const named = await h.dispatcher.dispatch({
      platform: 'discord', chat: 'discord:1', user: 'discord:9', command: 'scan', input: { tickers: huge },
    });
    for (const msg of [words, named]) {
      expect(msg.title).toBe('tickers: too long (5,000 characters, at most 400), e.g. /scan TSLA');
      expect(JSON.stringify(msg)).not.toContain('AAAAAAAAAAAAAAAAAAAA');
    }
  });

  it('should suggest universe tickers by prefix, at most 25, completing the last of several', async () => {
    const caller = { platform: 'discord' as const, chat: 'discord:1', user: 'discord:9', command: 'scan', arg: 'tickers' };
    expect(await h.dispatcher.autocomplete({ ...caller, prefix: 'goo' })).toEqual(['GOOG', 'GOOGL']);
    expect(await h.dispatcher.autocomplete({ ...caller, prefix: 'spy goo' })).toEqual(['SPY GOOG', 'SPY GOOGL']);
    const all = await h.dispatcher.autocomplete({ ...caller, prefix: '' });
    expect(all.length).toBeGreaterThan(0);
    expect(all.length).toBeLessThanOrEqual(25);
  });

  it('should rate-limit the 6th /scan in a minute per user and say when to retry', async () => {
    vi.useFakeTimers({ now: new Date('2026-03-02T15:00:00Z'), toFake: ['Date'] });
    for (let i = 0; i < 5; i++) expect((await h.send('/scan TSLA')).title).toMatch(/^No breakout on TSLA/);
    expect((await h.send('/scan TSLA')).title).toBe('Slow down: /scan is limited to 5 per 60 s. Try again in 60 s.');
    // Another user has their own budget.
    expect((await h.send('/scan TSLA', { user: 'telegram:3' })).title).toMatch(/^No breakout on TSLA/);
    vi.advanceTimersByTime(45_000);
    expect((await h.send('/scan TSLA')).title).toBe('Slow down: /scan is limited to 5 per 60 s. Try again in 15 s.');
    vi.advanceTimersByTime(15_000);
    expect((await h.send('/scan TSLA')).title).toMatch(/^No breakout on TSLA/);
  });
});
