/**
 * A paper position held across a split is valued and settled on adjusted terms: an AAPL put bought on
 * 2020-08-27 (before the 4:1 split of 2020-08-31) is marked from the chain's strike / 4, four times over,
 * and settles at expiry on the post-split close times 4.
 */
import { describe, expect, it } from 'vitest';
import { createReplayMarketData } from '../../src/market/replay.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { Ledger } from '../../src/trading/ledger/ledger.ts';
import { intrinsicValueUsd } from '../../src/trading/ledger/math.ts';
import { plan } from './ledger-support.ts';

const d = (s: string) => new Date(`${s}T00:00:00Z`);

describe('a paper position across a split', () => {
  it('should mark on split-adjusted terms and settle at the adjusted close', async () => {
    let asOf = d('2020-08-27');
    const market = createReplayMarketData({ asOf: () => asOf });
    const before = await market.optionChain('AAPL', d('2020-09-04'));
    const put = before.puts.find((c) => c.strike === 480)!;
    const ledger = new Ledger({ store: new MemoryStore(), config: { takeProfitPct: null, stopLossPct: null } });
    const opened = await ledger.open(plan(put, { contracts: 1, asOf: '2020-08-27' }), { alertId: 'a', at: new Date('2020-08-27T20:00:00Z') });
    expect(opened.type).toBe('position.opened');

    asOf = d('2020-09-01');
    const after = await market.optionChain('AAPL', d('2020-09-04'));
    const listed = after.puts.find((c) => c.strike === 120)!; // 480 / 4, on the post-split grid
    await ledger.update(market, new Date('2020-09-01T20:30:00Z'));
    const [marked] = await ledger.openPositions();
    expect(marked!.markPriceUsd).toBeCloseTo(4 * ((listed.bid + listed.ask) / 2), 9); // per original share
    expect(marked!.markNote).toBeUndefined();

    asOf = d('2020-09-04');
    const { events } = await ledger.update(market, new Date('2020-09-04T20:30:00Z'));
    const settled = events.find((e) => e.type === 'position.expired')!;
    expect(settled.position.exit).toMatchObject({ reason: 'expiry', underlyingCloseUsd: 120.96 * 4 });
    expect(settled.position.exit!.priceUsd).toBeCloseTo(intrinsicValueUsd('put', 480, 120.96 * 4), 9);
  });
});
