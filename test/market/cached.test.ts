import type { Bar } from '../../src/core/types.ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MarketDataError } from '../../src/core/errors.ts';
import { barsTtlMs, cachedMarketData, DEFAULT_CACHE_TTLS } from '../../src/market/cached.ts';
import type { MarketData } from '../../src/market/provider.ts';
import type { OptionChain, OptionContract, Quote } from '../../src/market/types.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { RedisStore } from '../../src/store/redis.ts';
import type { Store } from '../../src/store/store.ts';
import { deleteKeys, pttl, REDIS_URL, skipRedis, uniquePrefix } from '../support/redis.ts';

const BARS: Bar[] = [
  { time: new Date('2024-03-05T00:00:00Z'), open: 600, high: 610, low: 595, close: 605, volume: 1_000_000 },
  { time: new Date('2024-03-06T00:00:00Z'), open: 605, high: 620, low: 600, close: 618, volume: 1_200_000 },
];
const QUOTE: Quote = { symbol: 'NFLX', price: 618.5, previousClose: 605, time: new Date('2024-03-06T15:00:00Z') };
const contract = (right: 'call' | 'put', impliedVol: number): OptionContract => ({
  symbol: `NFLX240308${right === 'call' ? 'C' : 'P'}00620000`,
  underlying: 'NFLX',
  right,
  strike: 620,
  expiry: new Date('2024-03-08T00:00:00Z'),
  bid: 5.1,
  ask: 5.4,
  last: 5.25,
  volume: 900,
  openInterest: 4000,
  impliedVol,
  modeled: false,
});
const CHAIN: OptionChain = {
  underlying: 'NFLX',
  underlyingPrice: 618.5,
  expiries: [new Date('2024-03-08T00:00:00Z'), new Date('2024-03-15T00:00:00Z')],
  expiry: new Date('2024-03-08T00:00:00Z'),
  calls: [contract('call', 0.42)],
  puts: [contract('put', NaN)],
  modeled: false,
  asOf: new Date('2024-03-06T15:00:00Z'),
};

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Counts upstream calls; `gate` holds them open so callers really overlap; `failWith` makes them throw. */
class FakeMarket implements MarketData {
  readonly name = 'fake';
  calls = { dailyBars: 0, quote: 0, optionChain: 0 };
  gate: Promise<void> | undefined;
  failWith: Error | undefined;

  async #answer<T>(method: keyof FakeMarket['calls'], value: T): Promise<T> {
    this.calls[method]++;
    await this.gate;
    if (this.failWith) throw this.failWith;
    return structuredClone(value);
  }
  dailyBars = (_symbol: string, _lookbackDays: number) => this.#answer('dailyBars', BARS);
  quote = (_symbol: string) => this.#answer('quote', QUOTE);
  optionChain = (_symbol: string, _expiry?: Date) => this.#answer('optionChain', CHAIN);
}

/** Wednesday 2024-03-06 10:00 New York (EST); that session closes at 21:00 UTC. */
const START_MS = Date.UTC(2024, 2, 6, 15, 0);

type Harness = { store: Store; keyPrefix: string; cleanup(): Promise<void> };

const harnesses = [
  { name: 'MemoryStore', skip: false, make: async (clock: () => number): Promise<Harness> => {
    const store = new MemoryStore({ now: clock });
    return { store, keyPrefix: '', cleanup: () => store.close() };
  } },
  { name: 'RedisStore', skip: skipRedis, make: async (): Promise<Harness> => {
    const keyPrefix = uniquePrefix();
    const store = new RedisStore(REDIS_URL, { keyPrefix });
    await store.connect();
    return { store, keyPrefix, cleanup: async () => { await store.close(); await deleteKeys(keyPrefix); } };
  } },
];

for (const { name, skip, make } of harnesses) {
  describe.skipIf(skip)(`cachedMarketData on ${name}`, () => {
    let nowMs: number;
    let h: Harness;
    let fake: FakeMarket;
    const newCache = (namespace?: string) => cachedMarketData(fake, h.store, { namespace, now: () => new Date(nowMs) });

    beforeEach(async () => {
      nowMs = START_MS;
      fake = new FakeMarket();
      h = await make(() => nowMs);
    });
    afterEach(async () => h.cleanup());

    it('should share one upstream call between 20 concurrent callers of the same key', async () => {
      const market = newCache();
      const gate = deferred();
      fake.gate = gate.promise;
      const calls = Array.from({ length: 20 }, () => market.dailyBars('NFLX', 60));
      await vi.waitFor(() => expect(fake.calls.dailyBars).toBe(1));
      gate.resolve();
      const results = await Promise.all(calls);
      expect(fake.calls.dailyBars).toBe(1);
      for (const bars of results) expect(bars).toEqual(BARS);
      expect(market.stats()).toEqual({ hits: 0, misses: 1, deduped: 19, storeErrors: 0 });
    });

    it('should report each hit and miss to its events hook, by kind', async () => {
      const seen: string[] = [];
      const events = { hit: (kind: string) => seen.push(`hit ${kind}`), miss: (kind: string) => seen.push(`miss ${kind}`) };
      const market = cachedMarketData(fake, h.store, { now: () => new Date(nowMs), events });
      await market.dailyBars('NFLX', 60);
      await market.dailyBars('NFLX', 60);
      await market.quote('NFLX');
      await market.optionChain('NFLX');
      await market.optionChain('NFLX');
      expect(seen).toEqual(['miss bars', 'hit bars', 'miss quote', 'miss chain', 'hit chain']);
    });

    it('should start the inner warm-up only with the first call that goes upstream after prepare()', async () => {
      let warmUps = 0;
      const withWarmUp = Object.assign(fake, { prepare: async () => void warmUps++ });
      const filler = cachedMarketData(withWarmUp, h.store, { now: () => new Date(nowMs) });
      await filler.dailyBars('NFLX', 60);
      await filler.optionChain('NFLX');
      expect(warmUps).toBe(0); // nobody asked for it

      // A new process over a filled cache: prepare() is noted, every answer is a hit, nothing goes upstream.
      const warm = cachedMarketData(withWarmUp, h.store, { now: () => new Date(nowMs) });
      await warm.prepare!();
      await warm.dailyBars('NFLX', 60);
      await warm.optionChain('NFLX');
      expect(warmUps).toBe(0);
      expect(fake.calls).toEqual({ dailyBars: 1, quote: 0, optionChain: 1 });

      // The first miss after prepare() starts it, once.
      await warm.quote('NFLX');
      await warm.dailyBars('TSLA', 60);
      expect(warmUps).toBe(1);
    });

    it('should serve a second call from the store, with Dates restored', async () => {
      await newCache().dailyBars('NFLX', 60);
      const other = newCache(); // another instance: nothing in process memory, only the store
      const bars = await other.dailyBars('NFLX', 60);
      expect(fake.calls.dailyBars).toBe(1);
      expect(bars).toEqual(BARS);
      expect(bars[0]?.time).toBeInstanceOf(Date);
      expect(other.stats()).toMatchObject({ hits: 1, misses: 0 });
    });

    it('should restore Dates and NaN implied vols of a cached option chain and quote', async () => {
      await newCache().optionChain('NFLX');
      await newCache().quote('NFLX');
      const chain = await newCache().optionChain('NFLX');
      const quote = await newCache().quote('NFLX');
      expect(fake.calls).toMatchObject({ optionChain: 1, quote: 1 });
      expect(chain).toEqual(CHAIN);
      expect(chain.asOf).toBeInstanceOf(Date);
      expect(chain.expiries[1]).toEqual(new Date('2024-03-15T00:00:00Z'));
      expect(chain.puts[0]?.expiry).toBeInstanceOf(Date);
      expect(chain.puts[0]?.impliedVol).toBeNaN();
      expect(chain.calls[0]?.impliedVol).toBe(0.42);
      expect(quote).toEqual(QUOTE);
      expect(quote.time).toBeInstanceOf(Date);
    });

    it('should key chains by expiry date, symbol and lookback', async () => {
      const market = newCache();
      await market.optionChain('NFLX');
      await market.optionChain('NFLX', new Date('2024-03-15T00:00:00Z'));
      await market.optionChain('NFLX', new Date('2024-03-15T00:00:00Z'));
      await market.dailyBars('NFLX', 60);
      await market.dailyBars('NFLX', 30);
      await market.dailyBars('AAPL', 60);
      expect(fake.calls).toMatchObject({ optionChain: 2, dailyBars: 3 });
      expect(await h.store.get('hx:md:fake:chain:NFLX:2024-03-15')).not.toBeNull();
      expect(await h.store.get('hx:md:fake:chain:NFLX:nearest')).not.toBeNull();
      expect(await h.store.get('hx:md:fake:bars:NFLX:30')).not.toBeNull();
    });

    it('should put keys under the given namespace', async () => {
      await newCache('hx:md:replay:2024-03-06').quote('NFLX');
      expect(await h.store.get('hx:md:replay:2024-03-06:fake:quote:NFLX')).not.toBeNull();
      expect(await h.store.get('hx:md:fake:quote:NFLX')).toBeNull();
    });

    it('should remember a not-found ticker and re-throw it without calling upstream', async () => {
      fake.failWith = new MarketDataError('not_found', 'fake', 'ZZZZ', 'fake has no ticker ZZZZ', { status: 404 });
      await expect(newCache().quote('ZZZZ')).rejects.toBe(fake.failWith);
      const second = await newCache().quote('ZZZZ').catch((err: unknown) => err);
      expect(second).toBeInstanceOf(MarketDataError);
      expect(second).toMatchObject({ kind: 'not_found', source: 'fake', symbol: 'ZZZZ', message: 'fake has no ticker ZZZZ' });
      expect(fake.calls.quote).toBe(1);
    });

    it('should not cache other errors, and forget a failed in-flight call', async () => {
      const market = newCache();
      fake.failWith = new MarketDataError('upstream', 'fake', 'NFLX', 'fake answered 503', { status: 503 });
      const gate = deferred();
      fake.gate = gate.promise;
      const both = [market.dailyBars('NFLX', 60), market.dailyBars('NFLX', 60)];
      gate.resolve();
      for (const call of both) await expect(call).rejects.toThrow('fake answered 503');
      expect(fake.calls.dailyBars).toBe(1);
      fake.failWith = undefined;
      expect(await market.dailyBars('NFLX', 60)).toEqual(BARS);
      expect(fake.calls.dailyBars).toBe(2);
    });

    it('should treat an unreadable cache entry as a miss and repair it', async () => {
      await h.store.set('hx:md:fake:quote:NFLX', '{not json');
      const market = newCache();
      expect(await market.quote('NFLX')).toEqual(QUOTE);
      expect(await newCache().quote('NFLX')).toEqual(QUOTE);
      expect(fake.calls.quote).toBe(1);
      expect(market.stats()).toMatchObject({ misses: 1, storeErrors: 1 });
    });

    if (name === 'MemoryStore') {
      it('should refresh daily bars every few minutes during the session, since today\'s bar moves', async () => {
        const market = newCache();
        await market.dailyBars('NFLX', 60); // 10:00 New York
        nowMs = START_MS + DEFAULT_CACHE_TTLS.intradayBarsMs - 1;
        await market.dailyBars('NFLX', 60);
        expect(fake.calls.dailyBars).toBe(1);
        nowMs = START_MS + DEFAULT_CACHE_TTLS.intradayBarsMs; // the next cycle sees the bar anew
        await market.dailyBars('NFLX', 60);
        expect(fake.calls.dailyBars).toBe(2);
      });

      it('should keep bars fetched after the close until the next session opens', async () => {
        const market = newCache();
        nowMs = Date.UTC(2024, 2, 6, 21, 15); // Wed 16:15 New York: the day's bar is final
        await market.dailyBars('NFLX', 60);
        nowMs = Date.UTC(2024, 2, 7, 14, 29, 59); // Thu 09:29:59
        await market.dailyBars('NFLX', 60);
        expect(fake.calls.dailyBars).toBe(1);
        nowMs = Date.UTC(2024, 2, 7, 14, 30); // Thu 09:30: today's bar appears
        await market.dailyBars('NFLX', 60);
        expect(fake.calls.dailyBars).toBe(2);
      });

      it('should compute bar freshness from the market calendar', () => {
        const ms = (iso: string) => new Date(iso).getTime();
        // Before Thanksgiving's early close the session is open; after it, bars keep until Monday's open.
        expect(barsTtlMs(new Date('2026-11-27T17:00:00Z'), 300_000)).toBe(300_000);
        expect(barsTtlMs(new Date('2026-11-27T17:58:00Z'), 300_000)).toBe(120_000);
        expect(barsTtlMs(new Date('2026-11-27T18:30:00Z'), 300_000)).toBe(ms('2026-11-30T14:30:00Z') - ms('2026-11-27T18:30:00Z'));
        // Thanksgiving itself: no session; bars keep until Friday's open.
        expect(barsTtlMs(new Date('2026-11-26T15:00:00Z'), 300_000)).toBe(ms('2026-11-27T14:30:00Z') - ms('2026-11-26T15:00:00Z'));
      });

      it('should expire quotes after quoteMs, chains after chainMs and not-found after notFoundMs', async () => {
        const market = cachedMarketData(fake, h.store, {
          now: () => new Date(nowMs),
          ttls: { quoteMs: 1_000, notFoundMs: 5_000 },
        });
        await market.quote('NFLX');
        await market.optionChain('NFLX');
        nowMs += 999;
        await market.quote('NFLX');
        expect(fake.calls.quote).toBe(1);
        nowMs += 1;
        await market.quote('NFLX');
        expect(fake.calls.quote).toBe(2);
        nowMs = START_MS + DEFAULT_CACHE_TTLS.chainMs - 1;
        await market.optionChain('NFLX');
        expect(fake.calls.optionChain).toBe(1);
        nowMs += 1;
        await market.optionChain('NFLX');
        expect(fake.calls.optionChain).toBe(2);

        fake.failWith = new MarketDataError('not_found', 'fake', 'ZZZZ', 'no ZZZZ');
        const t0 = nowMs;
        await expect(market.dailyBars('ZZZZ', 60)).rejects.toThrow('no ZZZZ');
        nowMs = t0 + 4_999;
        await expect(market.dailyBars('ZZZZ', 60)).rejects.toThrow('no ZZZZ');
        expect(fake.calls.dailyBars).toBe(1);
        nowMs = t0 + 5_000;
        fake.failWith = undefined;
        expect(await market.dailyBars('ZZZZ', 60)).toEqual(BARS);
      });
    } else {
      it('should give cached keys the expected Redis TTLs', async () => {
        const market = newCache();
        await market.dailyBars('NFLX', 60);
        await market.quote('NFLX');
        fake.failWith = new MarketDataError('not_found', 'fake', 'ZZZZ', 'no ZZZZ');
        await expect(market.quote('ZZZZ')).rejects.toThrow('no ZZZZ');
        const expected: [string, number][] = [
          ['hx:md:fake:bars:NFLX:60', DEFAULT_CACHE_TTLS.intradayBarsMs], // 10:00 New York: session open
          ['hx:md:fake:quote:NFLX', DEFAULT_CACHE_TTLS.quoteMs],
          ['hx:md:fake:quote:ZZZZ', DEFAULT_CACHE_TTLS.notFoundMs],
        ];
        for (const [key, ttlMs] of expected) {
          const remainingMs = await pttl(h.keyPrefix + key);
          expect(remainingMs, key).toBeGreaterThan(ttlMs - 1_000);
          expect(remainingMs, key).toBeLessThanOrEqual(ttlMs);
        }
      });

      it('should fall back to upstream when Redis goes away mid-run', async () => {
        const market = newCache();
        await market.quote('NFLX');
        await h.store.close(); // every store call now fails at once (no offline queue)
        expect(await market.quote('NFLX')).toEqual(QUOTE);
        expect(await market.dailyBars('NFLX', 60)).toEqual(BARS);
        expect(fake.calls).toMatchObject({ quote: 2, dailyBars: 1 });
        expect(market.stats().storeErrors).toBe(4); // a failed read and a failed write per call
      });
    }
  });
}

describe('cachedMarketData with a failing store', () => {
  const failing: Store = new Proxy({ kind: 'memory' } as Store, {
    get: (target, prop) =>
      prop === 'kind' ? target.kind : () => Promise.reject(new Error('ECONNRESET store is down')),
  });

  it('should answer from upstream and count the store errors', async () => {
    const fake = new FakeMarket();
    const market = cachedMarketData(fake, failing, { now: () => new Date(START_MS) });
    expect(await market.dailyBars('NFLX', 60)).toEqual(BARS);
    expect(await market.optionChain('NFLX')).toEqual(CHAIN);
    fake.failWith = new MarketDataError('not_found', 'fake', 'ZZZZ', 'no ZZZZ');
    await expect(market.quote('ZZZZ')).rejects.toThrow('no ZZZZ');
    expect(market.stats()).toEqual({ hits: 0, misses: 3, deduped: 0, storeErrors: 6 });
  });
});
