import { beforeEach, describe, expect, it } from 'vitest';
import { exitAlert, isExitEvent } from '../../src/notify/exit-alert.ts';
import { tradeAlert } from '../../src/notify/trade-alert.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { Ledger } from '../../src/trading/ledger/ledger.ts';
import type { ExitEvent, PositionEvent } from '../../src/trading/ledger/types.ts';
import { bar, contract, FakeMarket, MONDAY_10AM, plan } from './ledger-support.ts';

const WEDNESDAY = new Date('2026-03-04T18:00:00Z');
const exitOf = (events: PositionEvent[]): ExitEvent => {
  const e = events.find(isExitEvent);
  if (!e) throw new Error('no exit event');
  return e;
};

describe('exit alerts', () => {
  let ledger: Ledger;
  let alertId: string;
  beforeEach(async () => {
    ledger = new Ledger({ store: new MemoryStore() });
    const p = plan(contract());
    alertId = tradeAlert(p).id ?? '';
    await ledger.open(p, { alertId, at: MONDAY_10AM });
  });

  it('should announce a take-profit with entry, exit, net P&L and the disclaimer', async () => {
    const { events } = await ledger.markAll(new FakeMarket().list(contract({ bid: 0.21, ask: 0.25 })), WEDNESDAY);
    const e = exitOf(events);
    expect(e.alertId).toBe(alertId); // the lead posts it with { replyToAlertId: e.alertId }
    const msg = exitAlert(e);
    expect({ ...msg, id: undefined }).toEqual({
      kind: 'trade',
      id: undefined,
      event: 'exit',
      tweet: '✅ $NFLX Mar 6 $90 put closed at take-profit: sold at $0.21 bid, +$783 (+74.7%). Paper trade, not financial advice. #Options #Trading',
      title: '✅ NFLX Mar 6 $90 put closed at take-profit: +$783 (+74.7%)',
      description: 'take-profit: mid $0.23 is +109.1% on the $0.11 paid (take-profit at +100%); sold 90 at $0.21 bid (paid $0.11)',
      fields: [
        { name: 'Position', value: '#1 · 90x NFLX260306P00090000', inline: true },
        { name: 'Entry', value: '90 x $0.11 ask = $990 + $58.50 commission', inline: true },
        { name: 'Exit', value: 'sold at $0.21 bid = $1,890 - $58.50 commission', inline: true },
        { name: 'P&L', value: '+$783 (+74.7%) net of commissions', inline: true },
        { name: 'Held', value: '2 days', inline: true },
        { name: 'Cash', value: '$10,783', inline: true },
      ],
      tone: 'bullish',
      footer: 'Paper trade, not financial advice.',
    });
    expect(msg.id).toMatch(/^trade:NFLX:2026-03-02:[0-9a-f]{12}$/);
    expect(msg.id).not.toBe(alertId);
  });

  it('should announce a stop-out in red', async () => {
    const msg = exitAlert(exitOf((await ledger.markAll(new FakeMarket().list(contract({ bid: 0.04, ask: 0.06 })), WEDNESDAY)).events));
    expect(msg.title).toBe('🛑 NFLX Mar 6 $90 put stopped out: -$747 (-71.2%)');
    expect(msg.tone).toBe('bearish');
  });

  it('should announce expiry worthless or in the money with the underlying close, and no exit commission', async () => {
    const market = new FakeMarket();
    market.bars.set('NFLX', [bar('2026-03-06', 92)]);
    const worthless = exitAlert(exitOf((await ledger.settleExpired(market, new Date('2026-03-09T15:00:00Z'))).events));
    expect(worthless.title).toBe('⌛ NFLX Mar 6 $90 put expired worthless: -$1,048.50 (-100%)');
    expect(worthless.fields.find((f) => f.name === 'Exit')?.value).toBe('settled at $0.00 intrinsic (NFLX closed $92.00) = $0');

    await ledger.open(plan(contract({ strike: 95 }), { budgetUsd: 2000, asOf: '2026-03-03' }), { alertId: 'b', at: MONDAY_10AM });
    market.bars.set('NFLX', [bar('2026-03-06', 94)]);
    const itm = exitAlert(exitOf((await ledger.settleExpired(market, new Date('2026-03-09T15:00:00Z'))).events));
    expect(itm.title).toBe('⌛ NFLX Mar 6 $95 put expired in the money: +$7,951.50 (+758.4%)');
  });

  it('should give each exit its own stable id, and say when prices were modeled', async () => {
    const e = await ledger.close('1', { reason: 'manual', at: WEDNESDAY, bid: 0.1 });
    if (!e) throw new Error('not closed');
    const msg = exitAlert(e);
    expect(msg.title).toBe('👋 NFLX Mar 6 $90 put closed by admin: -$207 (-19.7%)');
    expect(exitAlert(e).id).toBe(msg.id);
    expect(exitAlert({ ...e, type: 'position.stopped' }).id).not.toBe(msg.id);
    const modeled = exitAlert({ ...e, position: { ...e.position, modeled: true } });
    expect(modeled.footer).toBe('Modeled option price, not a quote. Paper trade, not financial advice.');
    expect([...(modeled.tweet ?? '')].length).toBeLessThanOrEqual(280);
  });

  it('should treat every event but an open as an exit', async () => {
    const [opened] = await ledger.events();
    expect(opened && isExitEvent(opened)).toBe(false);
  });
});
