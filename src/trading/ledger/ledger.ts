/**
 * @module The paper ledger on a Store: ACCEPTED plans open positions at the ask (LEAN: buy at the ask,
 * sell at the bid) with IB-style commissions; marks at the mid; exits by take-profit / stop-loss rules, by
 * an admin, or by settlement at expiry. Each operation is one atomic compare-and-write (ledger-store.ts),
 * so Redis instances and restarts never lose or double-count a position. Market access lives in
 * ledger-market.ts; the arithmetic in ledger-math.ts.
 */
import type { Config } from '../../config/config.ts';
import type { MarketData } from '../../market/provider.ts';
import { formatUsd } from '../../core/money.ts';
import { nyDate } from '../../analysis/calendar.ts';
import type { Store } from '../../store/store.ts';
import { closeAtMarket, markAll, settleExpired, settlementDue, type MarkReport, type SettleReport } from './market.ts';
import {
  DEFAULT_LEDGER_CONFIG, equityOf, exitRuleFor, markChange, openRiskOf, paidUsd, signalKeyOf, summarize,
  twoSidedMid, upsertEquityPoint,
} from './math.ts';
import { commissionUsd } from '../fees.ts';
import { LedgerStore } from './store.ts';
import type {
  Book, ContractQuote, EquityPoint, ExitEvent, LedgerConfig, LedgerSummary, OpenSkipped, PaperLedger, PaperPosition, PositionEvent,
} from './types.ts';
import { CONTRACT_MULTIPLIER } from '../risk.ts';
import type { TradePlan } from '../types.ts';

export type { MarkReport, SettleReport } from './market.ts';

/** The ledger's settings from the bot's config: the live bot and the backtest keep books by the same rules. */
export function ledgerConfigOf(config: Config): LedgerConfig {
  return {
    startingEquityUsd: config.accountEquityUsd,
    targetEquityUsd: config.ledger.targetEquityUsd,
    targetMonths: config.ledger.targetMonths,
    takeProfitPct: config.ledger.takeProfitPct,
    stopLossPct: config.ledger.stopLossPct,
    fees: { commissionPerContractUsd: config.ledger.commissionPerContractUsd, minCommissionUsd: config.ledger.minCommissionUsd },
  };
}

export type LedgerOptions = {
  store: Store;
  config?: Partial<LedgerConfig>;
  /** Key prefix in the Store; default 'hx:ledger'. Tests use one per ledger. */
  prefix?: string;
  /** How long a signal's idempotency key is kept (its signal is long past by then); for good without it. */
  retentionMs?: number;
};

type OpenOutcome = { duplicateOf: string } | { skipped: string } | { event: PositionEvent };

const normaliseId = (id: string): string => id.trim().replace(/^#/, '');

export class Ledger implements PaperLedger {
  readonly config: LedgerConfig;
  readonly #ls: LedgerStore;
  readonly #retentionMs: number | undefined;

  constructor(opts: LedgerOptions) {
    this.#retentionMs = opts.retentionMs;
    this.config = { ...DEFAULT_LEDGER_CONFIG, ...opts.config };
    this.#ls = new LedgerStore(opts.store, (date) => this.#freshBook(date), opts.prefix);
  }

  /** The book before any operation: all equity in cash, the challenge starting on `date`. */
  #freshBook(date: string): Book {
    const start = this.config.startingEquityUsd;
    return { version: 1, cashUsd: start, startingEquityUsd: start, startDate: date, nextId: 1, realizedPnlUsd: 0, feesUsd: 0, open: [] };
  }

  /**
   * Open a position for an ACCEPTED plan: plan.contracts at the ask, commission on top, both out of cash.
   * A signal already opened returns its position (`duplicate: true`), open or closed, and changes nothing:
   * whatever contract the plan picks now, and even after that position took profit or stopped out. Skips,
   * with the reason, a REJECTED plan, a plan whose cost no longer fits the budget it was sized for (another
   * position opened since) and one the cash cannot pay for.
   */
  async open(plan: TradePlan, opts: { alertId: string; at: Date }): Promise<PositionEvent | OpenSkipped> {
    const { alertId, at } = opts;
    const contract = plan.contract;
    if (plan.status !== 'ACCEPTED' || !contract || plan.contracts < 1) {
      return { type: 'open.skipped', reason: `plan ${plan.status}: ${plan.reason}`, alertId };
    }
    const signalKey = signalKeyOf(plan);
    const signalStoreKey = this.#ls.keys.signal(signalKey);
    const outcome = await this.#ls.change<OpenOutcome>(nyDate(at), [signalStoreKey], (book, [existingId]) => {
      if (existingId) return { result: { duplicateOf: existingId } };
      const costUsd = plan.contracts * contract.ask * CONTRACT_MULTIPLIER;
      const feeUsd = commissionUsd(plan.contracts, contract.ask, this.config.fees);
      const riskUsd = openRiskOf(book);
      // The plan was sized against the open risk of its time; positions opened since eat the same budget.
      const allowedUsd = plan.sizing.budgetUsd + plan.sizing.openRiskUsd;
      if (riskUsd + costUsd + feeUsd > allowedUsd + 1e-6) {
        return { result: { skipped: `open risk ${usd(riskUsd)} + ${usd(costUsd + feeUsd)} would exceed the ${usd(allowedUsd)} budget` } };
      }
      if (costUsd + feeUsd > book.cashUsd + 1e-9) {
        return { result: { skipped: `${usd(costUsd + feeUsd)} with commission exceeds ${usd(book.cashUsd)} cash` } };
      }
      const position: PaperPosition = {
        id: String(book.nextId),
        signalKey,
        alertId,
        underlying: plan.signal.symbol,
        side: plan.signal.side,
        contractSymbol: contract.symbol,
        right: contract.right,
        strike: contract.strike,
        expiryDate: contract.expiry.toISOString().slice(0, 10),
        contracts: plan.contracts,
        entryPriceUsd: contract.ask,
        costUsd,
        entryCommissionUsd: feeUsd,
        openedAt: at.toISOString(),
        markPriceUsd: twoSidedMid(contract.bid, contract.ask) ?? contract.ask,
        markBidUsd: contract.bid,
        markedAt: at.toISOString(),
        modeled: contract.modeled,
        status: 'open',
      };
      const next: Book = { ...book, cashUsd: book.cashUsd - costUsd - feeUsd, nextId: book.nextId + 1, feesUsd: book.feesUsd + feeUsd, open: [...book.open, position] };
      const event = this.#event('position.opened', position, -feeUsd, `bought ${plan.contracts} at ${usd(contract.ask)} ask, ${usd(feeUsd)} commission`, next, at);
      return { book: next, events: [event], writes: [{ op: 'set', key: signalStoreKey, value: position.id, ...(this.#retentionMs ? { ttlMs: this.#retentionMs } : {}) }], result: { event } };
    });
    if ('skipped' in outcome) return { type: 'open.skipped', reason: outcome.skipped, alertId };
    if ('event' in outcome) return outcome.event;
    const position = await this.findPosition(outcome.duplicateOf);
    if (!position) throw new Error(`paper ledger: signal ${signalKey} points at position ${outcome.duplicateOf}, which is missing`);
    const book = await this.#ls.book();
    return { ...this.#event('position.opened', position, -position.entryCommissionUsd, 'already opened for this signal', book, new Date(position.openedAt)), duplicate: true };
  }

  /**
   * Mark open positions to the mid of `quotes` (by contract symbol). A position without a usable quote keeps
   * its last mark and is flagged stale, with `missing`'s reason for it when given (e.g. the chain failed).
   * Positions due for settlement are left as they are: their expiry is past, so settlement values them.
   */
  async mark(quotes: readonly ContractQuote[], at: Date, missing: ReadonlyMap<string, string> = new Map()): Promise<MarkReport> {
    const bySymbol = new Map(quotes.map((q) => [q.symbol, q]));
    return this.#ls.change(nyDate(at), [], (book) => {
      const report: MarkReport = { at: at.toISOString(), marked: [], stale: [], events: [] };
      if (book.open.length === 0) return { result: report };
      const open = book.open.map((p): PaperPosition => {
        // Its chain is gone or closed; marking it would also overwrite settlement's "awaiting" note.
        if (settlementDue(p.expiryDate, at)) return p;
        const q = bySymbol.get(p.contractSymbol);
        const mid = q ? twoSidedMid(q.bid, q.ask) : null;
        if (q && mid !== null) {
          report.marked.push(p.id);
          const { markNote: _cleared, ...rest } = p;
          return { ...rest, markPriceUsd: mid, markBidUsd: q.bid, markedAt: at.toISOString() };
        }
        const reason = missing.get(p.contractSymbol) ?? (q ? `no two-sided quote (bid ${q.bid}, ask ${q.ask})` : 'no quote in the chain');
        const note = staleNote(p, reason);
        report.stale.push({ positionId: p.id, contractSymbol: p.contractSymbol, reason: note });
        return { ...p, markNote: note };
      });
      return { book: { ...book, open }, result: report };
    });
  }

  /**
   * Close every open position whose fresh mark hits take-profit or stop-loss, selling at its marked bid.
   * Positions due for settlement are skipped: an expired option cannot be sold.
   */
  async applyExitRules(at: Date): Promise<ExitEvent[]> {
    const events: ExitEvent[] = [];
    for (const p of await this.openPositions()) {
      if (settlementDue(p.expiryDate, at)) continue;
      const rule = exitRuleFor(p, this.config);
      if (!rule || !(p.markBidUsd > 0)) continue; // nothing to sell into: let it run to expiry
      const change = `${formatPct(markChange(p))} on the ${usd(p.entryPriceUsd)} paid`;
      const limit = rule === 'take-profit' ? `+${this.config.takeProfitPct}%` : `-${this.config.stopLossPct}%`;
      const note = `mid ${usd(p.markPriceUsd)} is ${change} (${rule} at ${limit})`;
      const event = await this.close(p.id, { reason: rule, at, bid: p.markBidUsd, note });
      if (event) events.push(event);
    }
    return events;
  }

  /**
   * Sell an open position at `bid` (per share), commission included. Null when it is not open (already
   * closed by another instance or a rule). A stop-loss yields `position.stopped`, others `position.closed`.
   */
  async close(positionId: string, opts: { reason: 'take-profit' | 'stop-loss' | 'manual'; at: Date; bid: number; note?: string }): Promise<ExitEvent | null> {
    if (!(opts.bid > 0)) throw new RangeError(`cannot sell position ${positionId} at a bid of ${opts.bid}`);
    const id = normaliseId(positionId);
    const feeFor = (p: PaperPosition) => commissionUsd(p.contracts, opts.bid, this.config.fees);
    return this.#exit(id, opts.at, (p) => ({
      type: opts.reason === 'stop-loss' ? 'position.stopped' : 'position.closed',
      exit: { reason: opts.reason, at: opts.at.toISOString(), priceUsd: opts.bid, proceedsUsd: opts.bid * CONTRACT_MULTIPLIER * p.contracts, commissionUsd: feeFor(p), pnlUsd: 0 },
      why: `${opts.reason === 'manual' ? 'closed by admin' : opts.reason}: ${opts.note ? `${opts.note}; ` : ''}sold ${p.contracts} at ${usd(opts.bid)} bid (paid ${usd(p.entryPriceUsd)})`,
    }));
  }

  /** Settle an open position at intrinsic value from the underlying's close; no commission. */
  async settle(positionId: string, opts: { at: Date; underlyingCloseUsd: number; intrinsicUsd: number }): Promise<ExitEvent | null> {
    return this.#exit(normaliseId(positionId), opts.at, (p) => ({
      type: 'position.expired',
      exit: { reason: 'expiry', at: opts.at.toISOString(), priceUsd: opts.intrinsicUsd, proceedsUsd: opts.intrinsicUsd * CONTRACT_MULTIPLIER * p.contracts, commissionUsd: 0, pnlUsd: 0, underlyingCloseUsd: opts.underlyingCloseUsd },
      why: opts.intrinsicUsd > 0
        ? `expired in the money: ${p.underlying} closed ${usd(opts.underlyingCloseUsd)}, ${usd(opts.intrinsicUsd)} intrinsic`
        : `expired worthless: ${p.underlying} closed ${usd(opts.underlyingCloseUsd)}`,
    }));
  }

  /**
   * Flag open positions stale without a new mark: `reasons` by position id (settlement awaiting the
   * expiry-day close). Ids no longer open are ignored; an unchanged note writes nothing.
   */
  async flagStale(reasons: ReadonlyMap<string, string>, at: Date): Promise<void> {
    await this.#ls.change(nyDate(at), [], (book) => {
      let changed = false;
      const open = book.open.map((p) => {
        const reason = reasons.get(p.id);
        if (reason === undefined) return p;
        const markNote = staleNote(p, reason);
        if (markNote === p.markNote) return p;
        changed = true;
        return { ...p, markNote };
      });
      return changed ? { book: { ...book, open }, result: undefined } : { result: undefined };
    });
  }

  async #exit(id: string, at: Date, how: (p: PaperPosition) => { type: ExitEvent['type']; exit: NonNullable<PaperPosition['exit']>; why: string }): Promise<ExitEvent | null> {
    const event = await this.#ls.change(nyDate(at), [], (book) => {
      const p = book.open.find((x) => x.id === id);
      if (!p) return { result: null };
      const { type, exit, why } = how(p);
      const pnlUsd = exit.proceedsUsd - exit.commissionUsd - paidUsd(p);
      // The exit price is the position's final value: a stale-mark warning no longer applies to it.
      const { markNote: _superseded, ...rest } = p;
      const closed: PaperPosition = { ...rest, status: type === 'position.expired' ? 'expired' : 'closed', exit: { ...exit, pnlUsd } };
      const next: Book = {
        ...book,
        cashUsd: book.cashUsd + exit.proceedsUsd - exit.commissionUsd,
        realizedPnlUsd: book.realizedPnlUsd + pnlUsd,
        feesUsd: book.feesUsd + exit.commissionUsd,
        open: book.open.filter((x) => x.id !== id),
      };
      const e = { ...this.#event(type, closed, pnlUsd, why, next, at), type } as ExitEvent;
      return { book: next, closed: [closed], events: [e], result: e };
    });
    return event;
  }

  /** Mark every open position from its chain (one fetch per underlying and expiry), then apply the exit rules. */
  markAll(market: MarketData, at: Date): Promise<MarkReport> {
    return markAll(this, market, at);
  }

  /**
   * Settle positions past expiry at intrinsic value from the underlying's expiry-day close; those still
   * awaiting that close stay open with a stale mark (see ledger-market.ts).
   */
  settleExpired(market: MarketData, at: Date): Promise<SettleReport> {
    return settleExpired(this, market, at);
  }

  /**
   * One cycle's bookkeeping: settle what expired, mark the rest (with exit rules), record today's equity.
   * `events` are this pass's exits, settlements first.
   */
  async update(market: MarketData, at: Date): Promise<MarkReport & SettleReport & { summary: LedgerSummary }> {
    const settled = await this.settleExpired(market, at);
    const report = await this.markAll(market, at);
    await this.recordEquity(at);
    return { ...report, unsettled: settled.unsettled, events: [...settled.events, ...report.events], summary: await this.summary(at) };
  }

  closeAtMarket(id: string, market: MarketData, at: Date): Promise<ExitEvent | null> {
    return closeAtMarket(this, market, normaliseId(id), at);
  }

  /** Write today's equity point (New York date of `at`); a later write the same day replaces it. */
  async recordEquity(at: Date): Promise<EquityPoint> {
    const key = this.#ls.keys.equity;
    return this.#ls.change(nyDate(at), [key], (book, [raw]) => {
      const point: EquityPoint = { date: nyDate(at), equityUsd: equityOf(book), cashUsd: book.cashUsd, at: at.toISOString() };
      const points = upsertEquityPoint(raw ? (JSON.parse(raw) as EquityPoint[]) : [], point);
      return { writes: [{ op: 'set', key, value: JSON.stringify(points) }], result: point };
    });
  }

  async openPositions(): Promise<PaperPosition[]> {
    return (await this.#ls.book())?.open ?? [];
  }

  async findPosition(id: string): Promise<PaperPosition | null> {
    const wanted = normaliseId(id);
    const open = (await this.openPositions()).find((p) => p.id === wanted);
    return open ?? (await this.#ls.closedPositions()).find((p) => p.id === wanted) ?? null;
  }

  closedPositions(): Promise<PaperPosition[]> {
    return this.#ls.closedPositions();
  }

  /** The event journal, oldest first; `sinceDate` (YYYY-MM-DD, New York) keeps events of that day and later. */
  async events(opts: { sinceDate?: string } = {}): Promise<PositionEvent[]> {
    const all = await this.#ls.events();
    return opts.sinceDate ? all.filter((e) => nyDate(new Date(e.at)) >= opts.sinceDate!) : all;
  }

  /** The Store list the event journal lives in (for readers that keep a cursor into it). */
  get eventsKey(): string {
    return this.#ls.keys.events;
  }

  equityHistory(): Promise<EquityPoint[]> {
    return this.#ls.equityHistory();
  }

  async openRiskUsd(): Promise<number> {
    const book = await this.#ls.book();
    return book ? openRiskOf(book) : 0;
  }

  async summary(at: Date): Promise<LedgerSummary> {
    const date = nyDate(at);
    const [book, history] = await Promise.all([this.#ls.book(), this.#ls.equityHistory()]);
    return summarize(book ?? this.#freshBook(date), history, at, date, this.config);
  }

  #event(type: PositionEvent['type'], position: PaperPosition, pnlUsd: number, reason: string, book: Book | null, at: Date): PositionEvent {
    return { type, position, pnlUsd, pnlFraction: pnlUsd / paidUsd(position), reason, cashUsd: book?.cashUsd ?? Number.NaN, alertId: position.alertId, at: at.toISOString() };
  }
}

/** Dollars with cents, for reasons (the same formatter risk.ts's reasons use). */
const usd = (amountUsd: number): string => formatUsd(amountUsd, { cents: true });

/** A stale position's markNote: why, and which mark it keeps. */
const staleNote = (p: PaperPosition, reason: string): string =>
  `${reason}; kept the ${usd(p.markPriceUsd)} mark of ${p.markedAt.slice(0, 16).replace('T', ' ')} UTC`;

/** A signed percentage for reasons: 1.0909 -> "+109.1%". */
const formatPct = (fraction: number): string => `${fraction > 0 ? '+' : ''}${(fraction * 100).toFixed(1)}%`;
