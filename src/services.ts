/**
 * The queries commands and jobs share: one query, many faces (freqtrade's rpc layer). Commands on
 * Discord, Telegram and the CLI all call these and format the plain data they return.
 */
import type { Regime } from './analysis/types.ts';
import type { Runtime } from './app.ts';
import { assessRegime, readPreviousRegime } from './scanner/cycle.ts';
import { scanTicker } from './scanner/scan.ts';
import type { CycleReport, TickerResult } from './scanner/types.ts';
import { Watchlists } from './scanner/watchlists.ts';
import { nyDate } from './schedule/calendar.ts';
import type { SchedulerStatus } from './schedule/jobs.ts';
import { NO_FIGURES, type DiaryServices } from './notify/diary-store.ts';
import { DayJournal } from './notify/journal.ts';
import { riskBudget } from './trading/risk.ts';
import type { SizingInputs } from './trading/types.ts';

export type RiskView = { regime: Regime; sides: Record<'LONG' | 'SHORT', SizingInputs> };

const LAST_CYCLE_KEY = 'hx:cycle:last';

export class BotServices {
  readonly watchlists: Watchlists;
  readonly journal: DayJournal;
  readonly diary: DiaryServices;
  /** Set when this process runs the scheduler; /status reads it. */
  schedulerStatus?: () => Promise<SchedulerStatus>;

  constructor(readonly runtime: Runtime) {
    this.watchlists = new Watchlists(runtime.store);
    this.journal = new DayJournal(runtime.store);
    this.diary = {
      store: runtime.store,
      journal: this.journal,
      diaryDir: runtime.config.diaryDir,
      source: runtime.market.name,
      breakoutK: runtime.config.breakout.k,
      figures: async () => NO_FIGURES,
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
    const regime = await this.regime();
    return { regime, result: await scanTicker(symbol, regime, this.runtime.cycleDeps()) };
  }

  /** Open risk is 0 until the paper ledger tracks positions. */
  async risk(openRiskUsd = 0): Promise<RiskView> {
    const regime = await this.regime();
    const { config } = this.runtime;
    const risk = { equityUsd: config.accountEquityUsd, riskCapPct: config.riskCapPct, kelly: config.kelly };
    return {
      regime,
      sides: { LONG: riskBudget(risk, regime, 'LONG', openRiskUsd), SHORT: riskBudget(risk, regime, 'SHORT', openRiskUsd) },
    };
  }

  /** The universe with every chat's watchlist merged in. */
  async universe(): Promise<string[]> {
    return this.runtime.universe(await this.watchlists.all());
  }

  /** Run a full cycle over the universe and watchlists, and remember it for /diary and /status. */
  async runCycle(): Promise<CycleReport> {
    const report = await this.runtime.runCycle(await this.watchlists.all());
    await this.runtime.store.set(LAST_CYCLE_KEY, JSON.stringify(report)).catch(() => undefined);
    // The day's record for the diary; a journal failure must never fail the cycle itself.
    const date = nyDate(report.startedAt);
    await this.journal.recordRegime(date, report.startedAt, report.regime).catch(() => undefined);
    await this.journal.recordCycle(date, report.startedAt, report).catch(() => undefined);
    return report;
  }

  /** The last cycle's report as stored (dates as ISO strings), or null. */
  async lastCycle(): Promise<unknown> {
    const raw = await this.runtime.store.get(LAST_CYCLE_KEY).catch(() => null);
    return raw ? JSON.parse(raw) : null;
  }
}
