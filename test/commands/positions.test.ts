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
    await h.openFromScan('SPY'); // 2 x Mar 20 $237.50 put at the $4.20 ask (modeled 3.99 / 4.20)
    const msg = await h.send('/positions');
    expect(msg.title).toBe('Open paper positions (1)');
    expect(lines(msg)).toEqual([
      '#1 SPY Mar 20 $237.50 put x2: Entry $4.20 · Mark $4.10 (modeled) · Value $819 · P&L -$22.30 (-2.7%) · Expires Mar 20',
      'Equity: $9,977.70',
      'Cash: $9,158.70',
      'Open risk: $840',
    ]);
    expect(msg.footer).toBe('Marked at the mid; P&L net of the entry commission. Paper trades, not financial advice.');
  });

  it('should flag a stale mark with its reason', async () => {
    await h.openFromScan('SPY');
    await h.ledger.mark([], new Date(NOW.getTime() + 60_000));
    const [position] = (await h.send('/positions')).fields;
    expect(position?.value).toContain('\n⚠️ Stale mark: no quote in the chain; kept the $4.10 mark of 2020-03-12 19:00 UTC');
  });

  it('should count open risk against the open-risk limit on /risk, sizing from the ledger equity', async () => {
    await h.openFromScan('SPY');
    const msg = await h.send('/risk');
    // Equity $9,977.70 after the $840 put and its commission: cap 10% = $997.77, open-risk limit 50% = $4,988.85.
    expect(lines(msg)).toContain('Equity: $9,977.70');
    expect(lines(msg)).toContain('Open risk: $840 of $4,988.85 limit');
    expect(lines(msg)).toContain('Remaining budget: $997.77 per trade');
    expect(lines(msg)).toContain('Shorts (puts): 1.0x → $997.77 per trade');
    expect(msg.footer).toBe('Open risk is the premium paid for open paper positions (see /positions). Regime as of 2020-03-12. Paper trading only.');
  });

  it('should leave only what the open-risk limit allows once it is nearly used', async () => {
    const tight = await createLedgerHarness({ MAX_OPEN_RISK_PCT: '10' });
    await tight.openFromScan('SPY');
    const msg = await tight.send('/risk');
    expect(lines(msg)).toContain('Open risk: $840 of $997.77 limit');
    expect(lines(msg)).toContain('Remaining budget: $157.77 per trade');
    await tight.close();
  });
});
