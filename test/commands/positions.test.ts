import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLedgerHarness, NOW, type LedgerHarness } from './ledger-harness.ts';

const lines = (msg: { fields: { name: string; value: string }[] }) => msg.fields.map((f) => `${f.name}: ${f.value}`);

describe('/positions and /risk with the paper ledger', () => {
  let h: LedgerHarness;
  beforeEach(async () => {
    h = await createLedgerHarness();
  });
  afterEach(async () => h.close());

  it('should say there are no open paper positions, with the account', async () => {
    const msg = await h.send('/positions');
    expect(msg.title).toBe('No open paper positions.');
    expect(lines(msg)).toEqual(['Equity: $10,000', 'Cash: $10,000', 'Open risk: $0']);
  });

  it('should list an open position with entry, mark, P&L and expiry', async () => {
    await h.openFromScan('SPY'); // 1 x Mar 20 $235 put at the $6.80 ask (modeled 6.10 / 6.80) + $1 commission
    const msg = await h.send('/positions');
    expect(msg.title).toBe('Open paper positions (1)');
    expect(lines(msg)).toEqual([
      '#1 SPY Mar 20 $235 put x1: Entry $6.80 · Mark $6.45 (modeled) · Value $645 · P&L -$36 (-5.3%) · Expires Mar 20',
      'Equity: $9,964',
      'Cash: $9,319',
      'Open risk: $681',
    ]);
    expect(msg.footer).toBe('Marked at the mid; P&L net of the entry commission. Paper trades, not financial advice.');
  });

  it('should flag a stale mark with its reason', async () => {
    await h.openFromScan('SPY');
    await h.ledger.mark([], new Date(NOW.getTime() + 60_000));
    const [position] = (await h.send('/positions')).fields;
    expect(position?.value).toContain('\n⚠️ Stale mark: no quote in the chain; kept the $6.45 mark of 2020-03-12 19:00 UTC');
  });

  it('should count open risk against the open-risk limit on /risk, sizing from the ledger equity', async () => {
    await h.openFromScan('SPY');
    const msg = await h.send('/risk');
    // Equity $9,964 after the $680 put (marked $645) and its $1 commission: cap 10% = $996.40, open-risk limit 50% = $4,982.
    expect(lines(msg)).toContain('Equity: $9,964');
    expect(lines(msg)).toContain('Open risk: $681 of $4,982 limit');
    expect(lines(msg)).toContain('Remaining budget: $996.40 per trade');
    expect(lines(msg)).toContain('Shorts (puts): 1.0x → $996.40 per trade');
    expect(msg.footer).toBe('Open risk is what the open paper positions cost, premium and commission (see /positions). Regime as of 2020-03-12. Paper trading only.');
  });

  it('should leave only what the open-risk limit allows once it is nearly used', async () => {
    const tight = await createLedgerHarness({ MAX_OPEN_RISK_PCT: '10' });
    await tight.openFromScan('SPY');
    const msg = await tight.send('/risk');
    expect(lines(msg)).toContain('Open risk: $681 of $996.40 limit');
    expect(lines(msg)).toContain('Remaining budget: $315.40 per trade');
    await tight.close();
  });
});
