/** Market data shapes shared by every provider (Bar, the one every layer uses, is in core/types.ts). Prices in dollars per share, volumes in shares. */

export type Quote = {
  symbol: string;
  price: number;
  /** Previous session close, when the source has it. */
  previousClose?: number;
  time: Date;
};

export type OptionRight = 'call' | 'put';

export type OptionContract = {
  /** OCC-style symbol, e.g. AAPL250228P00200000. */
  symbol: string;
  underlying: string;
  right: OptionRight;
  strike: number;
  /** Expiry date at 00:00 UTC of the expiry day. */
  expiry: Date;
  bid: number;
  ask: number;
  last: number;
  volume: number;
  openInterest: number;
  /** Annualised implied volatility as a fraction (0.35 = 35%); NaN when unknown. */
  impliedVol: number;
  /** True when prices come from a model (replay) rather than a recorded or live quote. */
  modeled: boolean;
  /**
   * The model's own delta, for modeled contracts: the picker uses it rather than recompute one with another
   * time convention (the model counts trading days, live chains' implied vols calendar days).
   */
  delta?: number;
};

export type OptionChain = {
  underlying: string;
  /** Underlying price the chain was quoted against. */
  underlyingPrice: number;
  /**
   * Where `underlyingPrice` came from, when the provider says: 'quote' the chain's own quote of the
   * underlying; 'last-trade' a trade of the latest session (the last trade, or the close of that session's
   * day bar so far); 'previous-close' the last complete session's close, which on a breakout day can be far
   * from spot. Unset: the provider's own quote.
   */
  underlyingPriceSource?: 'quote' | 'last-trade' | 'previous-close';
  /** Every listed expiry, ascending. */
  expiries: Date[];
  /** Contracts of the requested expiry (or the nearest one when none was requested). */
  expiry: Date;
  calls: OptionContract[];
  puts: OptionContract[];
  modeled: boolean;
  asOf: Date;
};
