/**
 * The query layer every face uses (freqtrade's rpc layer): commands on Discord, Telegram and the CLI
 * through the CommandServices interface, and the scheduled jobs through the few methods below it. One
 * query, many faces: everything here returns plain data that commands and jobs format.
 */
import type { BacktestRequest, CommandServices, NotClosed, PauseState, RiskView, ScanOptions, StatusView } from '../../commands/context.ts';
import type { BreakoutConfig } from '../analysis/volatility.ts';
import type { BacktestReport } from '../backtest/report.ts';
import type { CalibrationReport } from '../backtest/calibration.ts';
import { nyDate } from '../analysis/calendar.ts';
import type { Logger } from '../core/log.ts';
import type { Regime } from '../core/types.ts';
import { diaryFigures } from '../diary/figures.ts';
import { DayJournal } from '../diary/journal.ts';
import { composeDiary, loadDiary, type DiaryServices } from '../diary/store.ts';
import type { Message } from '../notify/message.ts';
import type { Outbox } from '../notify/outbox.ts';
import { scanCycle, withoutBars } from '../scanner/cycle.ts';
import { assessRegime, readRegimeMemory } from '../scanner/regime.ts';
import type { CycleReport } from '../scanner/types.ts';
import { Watchlists } from '../scanner/watchlists.ts';
import type { SchedulerStatus } from '../schedule/jobs.ts';
import { accountOf, type AccountState } from '../trading/ledger/account.ts';
import { Ledger, ledgerConfigOf } from '../trading/ledger/ledger.ts';
import type { EquityPoint, ExitEvent, LedgerSummary, PaperPosition } from '../trading/ledger/types.ts';
import { z } from 'zod';
import { riskBudget } from '../trading/risk.ts';
import { readInstances } from './heartbeat.ts';
import { LedgerEvents } from './ledger-events.ts';
import type { Runtime } from './runtime.ts';

const LAST_CYCLE_KEY = 'hx:cycle:last';
/** Set while an admin has paused new entries (/pause); shared by every instance. */
export const PAUSED_KEY = 'hx:control:paused';
const PauseStateSchema = z.object({ by: z.string(), at: z.string() });

export type BotServicesOptions = {
  /** With an outbox, ledger events (trades, exits, an admin's /close) are journaled and announced. */
  outbox?: Outbox;
  logger?: Logger;
  /** The scheduler's status for /status: this process' own, or one read from the store. */
  schedulerStatus?: () => Promise<SchedulerStatus>;
};

export class BotServices implements CommandServices {
  readonly watchlists: Watchlists;
  readonly journal: DayJournal;
  readonly diary: DiaryServices;
  /** The paper account: positions opened from ACCEPTED plans, marked, settled, closed. */
  readonly ledger: Ledger;
  /** Ledger events to journal and announce; absent without an outbox (the CLI). */
  readonly events: LedgerEvents | undefined;

  constructor(
    readonly runtime: Runtime,
    private readonly opts: BotServicesOptions = {},
  ) {
    const { config, store } = runtime;
    this.watchlists = new Watchlists(store);
    this.journal = new DayJournal(store, { retentionMs: config.retentionMs });
    this.ledger = new Ledger({
      store,
      retentionMs: config.retentionMs,
      config: ledgerConfigOf(config),
    });
    this.events = opts.outbox
      ? new LedgerEvents({
          store,
          ledger: this.ledger,
          journal: this.journal,
          outbox: opts.outbox,
          logger: opts.logger ?? console,
          retentionMs: config.retentionMs,
        })
      : undefined;
    this.diary = {
      store,
      journal: this.journal,
      diaryDir: config.diaryDir,
      source: runtime.market.name,
      breakoutK: config.breakout.k,
      figures: (date, day) => diaryFigures(this.ledger, runtime.market, date, day, runtime.now()),
    };
  }

  get source(): string {
    return this.runtime.market.name;
  }

  get breakout(): BreakoutConfig {
    return this.runtime.config.breakout;
  }

  /** Equity and open risk of the paper account now: what sizing works from. */
  account(): Promise<AccountState> {
    return accountOf(this.ledger, this.runtime.now());
  }

  async regime(): Promise<Regime> {
    const { market, store, config } = this.runtime;
    return assessRegime(market, config.regime, { asOf: this.runtime.asOf(), now: this.runtime.now(), memory: await readRegimeMemory(store) });
  }

  /** The universe with every chat's watchlist merged in. */
  async universe(): Promise<string[]> {
    return this.runtime.universe(await this.watchlists.all());
  }

  async scan(tickers?: readonly string[], opts: ScanOptions = {}): Promise<CycleReport> {
    const [universe, account] = await Promise.all([tickers ?? this.universe(), this.account()]);
    return scanCycle({ ...this.runtime.cycleDeps(universe, account), readOnly: true, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
  }

  /** The scheduled cycle over the universe and watchlists: like scan(), and it keeps the regime for hysteresis. */
  async cycle(): Promise<CycleReport> {
    const [universe, account] = await Promise.all([this.universe(), this.account()]);
    return scanCycle(this.runtime.cycleDeps(universe, account));
  }

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

  async positions(at: Date): Promise<{ open: PaperPosition[]; summary: LedgerSummary }> {
    const [open, summary] = await Promise.all([this.ledger.openPositions(), this.ledger.summary(at)]);
    return { open, summary };
  }

  async history(at: Date): Promise<{ closed: PaperPosition[]; open: PaperPosition[]; equity: EquityPoint[]; summary: LedgerSummary }> {
    const [closed, open, equity, summary] = await Promise.all([
      this.ledger.closedPositions(),
      this.ledger.openPositions(),
      this.ledger.equityHistory(),
      this.ledger.summary(at),
    ]);
    return { closed, open, equity, summary };
  }

  async paused(): Promise<PauseState | null> {
    const raw = await this.runtime.store.get(PAUSED_KEY);
    const parsed = raw ? PauseStateSchema.safeParse(JSON.parse(raw)) : null;
    return parsed?.success ? parsed.data : null;
  }

  async setPaused(pause: PauseState | null): Promise<void> {
    if (pause) await this.runtime.store.set(PAUSED_KEY, JSON.stringify(pause));
    else await this.runtime.store.del(PAUSED_KEY);
  }

  async closePosition(id: string, at: Date): Promise<ExitEvent | NotClosed> {
    const event = await this.ledger.closeAtMarket(id, this.runtime.market, at);
    if (!event) return { closed: false, status: (await this.ledger.findPosition(id))?.status ?? 'unknown' };
    // Its exit alert goes out now as a reply to the trade alert; without an outbox, the bot's next job does it.
    await this.events?.catchUp().catch((err: unknown) => this.opts.logger?.warn(`ledger events after /close: ${String(err)}`));
    return event;
  }

  async savedDiary(date: string): Promise<Message | null> {
    return (await loadDiary(this.runtime.store, this.runtime.config.diaryDir, date))?.message ?? null;
  }

  async diarySoFar(date: string): Promise<Message> {
    return (await composeDiary(this.diary, date)).message;
  }

  async status(): Promise<StatusView> {
    const { store } = this.runtime;
    const [scheduler, lastCycle, instances, paused] = await Promise.all([
      this.opts.schedulerStatus?.() ?? null,
      this.lastCycle(),
      readInstances(store, this.runtime.now()).catch(() => undefined),
      this.paused().catch(() => null),
    ]);
    return {
      scheduler,
      lastCycle,
      source: this.source,
      storeKind: store.kind,
      storeUnreachableSince: store.unreachableSince?.()?.toISOString() ?? null,
      processUptimeMs: process.uptime() * 1000,
      ...(instances ? { instances } : {}),
      paused,
    };
  }

  // The backtest and the calibration are imported when asked for: every other command would load them for nothing.
  async calibration(): Promise<CalibrationReport> {
    const { runCalibration } = await import('../backtest/calibration-files.ts');
    return runCalibration();
  }

  async backtest(request: BacktestRequest, progress: (text: string) => void): Promise<{ report: BacktestReport; files: string[] }> {
    const { runBacktestRequest } = await import('./backtest.ts');
    return runBacktestRequest(this.runtime.config, request, progress);
  }

  /**
   * Remember a cycle's final decisions (after the ledger opened its plans) for /status and the diary. A
   * journal failure must never fail the cycle itself.
   */
  async recordCycle(report: CycleReport): Promise<void> {
    await this.runtime.store.set(LAST_CYCLE_KEY, JSON.stringify(withoutBars(report))).catch(() => undefined);
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
