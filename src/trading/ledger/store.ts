/**
 * @module Where the paper ledger lives in the Store, and the one way it changes: a transaction that
 * rewrites the book (cash + open positions) and appends the events and closed positions it produced, all
 * in one compare-and-write. A restart, even after kill -9, sees every operation whole or not at all.
 *
 * Keys (under `hx:ledger` by default):
 *   :book          JSON Book: cash, open positions, counters
 *   :signal:<key>  position id opened for a signal (the idempotency key)
 *   :closed        list of JSON PaperPosition, closed or expired, in exit order
 *   :events        list of JSON PositionEvent, the journal (diary, alert re-delivery)
 *   :equity        JSON EquityPoint[], one per trading day
 */
import type { Store, StoreWrite } from '../../store/store.ts';
import { transact } from '../../store/transact.ts';
import type { Book, EquityPoint, PaperPosition, PositionEvent } from './types.ts';

export const LEDGER_PREFIX = 'hx:ledger';

/** What a book transaction decided. Leave `book` out when nothing changed. */
export type BookChange<T> = {
  book?: Book;
  events?: PositionEvent[];
  closed?: PaperPosition[];
  writes?: StoreWrite[];
  result: T;
};

function parse<T>(raw: string, what: string): T {
  try {
    return JSON.parse(raw) as T;
  } catch (err) {
    throw new Error(`paper ledger: ${what} is not valid JSON; refusing to overwrite it`, { cause: err });
  }
}

export class LedgerStore {
  readonly keys: { book: string; closed: string; events: string; equity: string; signal(signalKey: string): string };

  /** `newBook(date)` makes the book a first operation on an empty store starts from. */
  constructor(
    readonly store: Store,
    private readonly newBook: (date: string) => Book,
    prefix = LEDGER_PREFIX,
  ) {
    this.keys = {
      book: `${prefix}:book`,
      closed: `${prefix}:closed`,
      events: `${prefix}:events`,
      equity: `${prefix}:equity`,
      signal: (signalKey) => `${prefix}:signal:${signalKey}`,
    };
  }

  /** The stored book, or null before the first operation. */
  async book(): Promise<Book | null> {
    const raw = await this.store.get(this.keys.book);
    return raw === null ? null : parse<Book>(raw, this.keys.book);
  }

  /**
   * Change the book atomically. `step` sees the current book (a fresh one dated `date` if none exists yet)
   * and the values of `extraKeys`; it may run more than once, so it must only compute.
   */
  async change<T>(date: string, extraKeys: readonly string[], step: (book: Book, extras: (string | null)[]) => BookChange<T>): Promise<T> {
    return transact(this.store, [this.keys.book, ...extraKeys], ([rawBook, ...extras]) => {
      const book = rawBook ? parse<Book>(rawBook, this.keys.book) : this.newBook(date);
      const change = step(book, extras);
      const writes: StoreWrite[] = [];
      // The first operation of all writes the book even if it changed nothing: its date starts the challenge.
      const next = change.book ?? (rawBook ? undefined : book);
      if (next) writes.push({ op: 'set', key: this.keys.book, value: JSON.stringify(next) });
      for (const p of change.closed ?? []) writes.push({ op: 'listPush', key: this.keys.closed, value: JSON.stringify(p) });
      for (const e of change.events ?? []) writes.push({ op: 'listPush', key: this.keys.events, value: JSON.stringify(e) });
      writes.push(...(change.writes ?? []));
      return { writes, result: change.result };
    });
  }

  async closedPositions(): Promise<PaperPosition[]> {
    return this.#parsedList<PaperPosition>(this.keys.closed, this.#closed);
  }

  async events(): Promise<PositionEvent[]> {
    return this.#parsedList<PositionEvent>(this.keys.events, this.#events);
  }

  /** Last parse of each append-only list, by its raw entries: only new entries are parsed again. */
  readonly #closed = { raw: [] as string[], parsed: [] as unknown[] };
  readonly #events = { raw: [] as string[], parsed: [] as unknown[] };

  /**
   * The list at `key`, parsed. These lists grow by appends (and lose their oldest entries to retention), so
   * entries already parsed are reused when they are still there, in order: a long backtest reads them daily.
   */
  async #parsedList<T>(key: string, memo: { raw: string[]; parsed: unknown[] }): Promise<T[]> {
    const raw = await this.store.listRange(key);
    const reusable = raw.length >= memo.raw.length && memo.raw.every((entry, i) => raw[i] === entry) ? memo.raw.length : 0;
    const parsed = [...memo.parsed.slice(0, reusable), ...raw.slice(reusable).map((entry) => parse<T>(entry, key))];
    memo.raw = raw;
    memo.parsed = parsed;
    // The entries are shared with the next call: a caller gets its own array, and the ledger never mutates one.
    return [...parsed] as T[];
  }

  async equityHistory(): Promise<EquityPoint[]> {
    const raw = await this.store.get(this.keys.equity);
    return raw === null ? [] : parse<EquityPoint[]>(raw, this.keys.equity);
  }
}
