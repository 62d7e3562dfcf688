/**
 * The queries commands and jobs share: one query, many faces (freqtrade's rpc layer). Commands on
 * Discord, Telegram and the CLI all call these and format the plain data they return.
 */
import type { Regime } from '../core/types.ts';
import type { AccountState, Runtime } from './runtime.ts';
import { assessRegime, readPreviousRegime } from '../scanner/cycle.ts';
import { scanTicker } from '../scanner/scan.ts';
import type { CycleReport, TickerResult } from '../scanner/types.ts';
import { Watchlists } from '../scanner/watchlists.ts';
import { nyDate } from '../analysis/calendar.ts';
import type { SchedulerStatus } from '../schedule/jobs.ts';
import type { DiaryServices } from '../diary/store.ts';
import { diaryFigures } from '../diary/figures.ts';
import { DayJournal } from '../diary/journal.ts';
import { Ledger, type LedgerOptions } from '../trading/ledger/ledger.ts';
import { riskBudget } from '../trading/risk.ts';
import type { SizingInputs } from '../trading/types.ts';

export type RiskView = { regime: Regime; sides: Record<'LONG' | 'SHORT', SizingInputs> };

const LAST_CYCLE_KEY = 'hx:cycle:last';

export class BotServices {
  readonly watchlists: Watchlists;
  readonly journal: DayJournal;
  readonly diary: DiaryServices;
  /** Set when this process runs the scheduler; /status reads it. */
  schedulerStatus?: () => Promise<SchedulerStatus>;

  /** The paper account: positions opened from ACCEPTED plans, marked, settled, closed. */
  readonly ledger: Ledger;

  constructor(
    readonly runtime: Runtime,
    opts: { onLedgerEvent?: LedgerOptions['onEvent']; logger?: LedgerOptions['logger'] } = {},
  ) {
    const { config, store } = runtime;
    this.watchlists = new Watchlists(store);
    this.journal = new DayJournal(store);
    this.ledger = new Ledger({
      store,
      config: {
        startingEquityUsd: config.accountEquityUsd,
        targetEquityUsd: config.ledger.targetEquityUsd,
        targetMonths: config.ledger.targetMonths,
        takeProfitPct: config.ledger.takeProfitPct,
        stopLossPct: config.ledger.stopLossPct,
        fees: { commissionPerContractUsd: config.ledger.commissionPerContractUsd, minCommissionUsd: config.ledger.minCommissionUsd },
      },
      onEvent: opts.onLedgerEvent,
      logger: opts.logger,
    });
    this.diary = {
      store,
      journal: this.journal,
      diaryDir: config.diaryDir,
      source: runtime.market.name,
      breakoutK: config.breakout.k,
      figures: (date, day) => diaryFigures(this.ledger, runtime.market, date, day, runtime.now()),
    };
  }

  /** Equity and open risk of the paper account now: what sizing works from. */
  async account(): Promise<AccountState> {
    const now = this.runtime.now();
    const [summary, open, closed] = await Promise.all([
      this.ledger.summary(now),
      this.ledger.openPositions(),
      this.ledger.closedPositions(),
    ]);
    // A signal lives for the day of its bar; a week of closed positions covers weekends and holidays.
    const weekAgo = new Date(now.getTime() - 7 * 86_400_000).toISOString();
    return {
      equityUsd: summary.equityUsd,
      openRiskUsd: summary.openRiskUsd,
      held: [
        ...open.map((p) => `${p.underlying}|${p.side}`),
        ...[...open, ...closed].filter((p) => p.openedAt >= weekAgo).map((p) => p.signalKey),
      ],
    };
  }

  get source(): string {
    return this.runtime.market.name;
  }

  async regime(): Promise<Regime> {
    const { market, store, config } = this.runtime;
    return assessRegime(market, config.regime, { asOf: this.runtime.asOf(), previous: await readPreviousRegime(store) });
  }

  /** Regime plus one ticker's reading and sized plan, exactly as a cycle would produce them. */
  async scan(symbol: string): Promise<{ regime: Regime; result: TickerResult }> {
    const [regime, account] = await Promise.all([this.regime(), this.account()]);
    const result = await scanTicker(symbol, regime, this.runtime.cycleDeps([], account));
    // Like a cycle: a signal whose position is already open is not offered again.
    const signal = result.signal;
    const held =
      signal !== null &&
      (account.held.includes(`${symbol}|${signal.side}`) ||
        account.held.includes(`${symbol}|${signal.side}|${signal.asOf.toISOString().slice(0, 10)}`));
    return { regime, result: held ? { ...result, plan: null, held: true } : result };
  }

  /** The risk budget per side under the current regime, with the ledger's equity and open risk. */
  async risk(): Promise<RiskView> {
    const [regime, account] = await Promise.all([this.regime(), this.account()]);
    const risk = this.runtime.risk(account.equityUsd);
    return {
      regime,
      sides: {
        LONG: riskBudget(risk, regime, 'LONG', account.openRiskUsd),
        SHORT: riskBudget(risk, regime, 'SHORT', account.openRiskUsd),
      },
    };
  }

  /** The universe with every chat's watchlist merged in. */
  async universe(): Promise<string[]> {
    return this.runtime.universe(await this.watchlists.all());
  }

  /** Run a full cycle over the universe and watchlists, sized against the paper account. Records nothing. */
  async runCycle(): Promise<CycleReport> {
    return this.runtime.runCycle(await this.watchlists.all(), await this.account());
  }

  /**
   * Remember a cycle's final decisions (after the ledger opened its plans) for /status and the diary. A
   * journal failure must never fail the cycle itself.
   */
  async recordCycle(report: CycleReport): Promise<void> {
    await this.runtime.store.set(LAST_CYCLE_KEY, JSON.stringify(report)).catch(() => undefined);
    const date = nyDate(report.startedAt);
    await this.journal.recordRegime(date, report.startedAt, report.regime).catch(() => undefined);
    await this.journal.recordCycle(date, report.startedAt, report).catch(() => undefined);
  }

  /** The last cycle's report as stored (dates as ISO strings), or null. */
  async lastCycle(): Promise<unknown> {
    const raw = await this.runtime.store.get(LAST_CYCLE_KEY).catch(() => null);
    return raw ? JSON.parse(raw) : null;
  }
}
