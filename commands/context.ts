/**
 * What commands may ask of the bot: one narrow query layer (freqtrade's rpc idea), implemented by
 * src/app/services.ts for the bot and the CLI alike, and by an in-memory one in tests. Commands see plain
 * data and types of the layers below them, never the runtime, the store or a chat library.
 * @module
 */
import type { CalibrationReport } from '../src/backtest/calibration.ts';
import type { BreakoutConfig } from '../src/analysis/volatility.ts';
import type { BacktestReport } from '../src/backtest/report.ts';
import type { Regime } from '../src/core/types.ts';
import type { Message } from '../src/notify/message.ts';
import type { CycleReport, ScanProgress } from '../src/scanner/types.ts';
import type { SchedulerStatus } from '../src/schedule/jobs.ts';
import type { EquityPoint, ExitEvent, LedgerSummary, PaperPosition } from '../src/trading/ledger/types.ts';
import type { SizingInputs } from '../src/trading/types.ts';

/** New entries paused: by whom ('telegram:42') and when (ISO time). */
export type PauseState = { by: string; at: string };

/** The risk budget per side under the current regime, with the paper account's equity and open risk. */
export type RiskView = { regime: Regime; sides: Record<'LONG' | 'SHORT', SizingInputs> };

/** One bot instance as its heartbeat tells it (app/heartbeat.ts); ISO times. */
export type InstanceStatus = {
  instanceId: string;
  host: string;
  pid: number;
  startedAt: string;
  lastBeatAt: string;
  /** Set when it shut down cleanly. */
  stoppedAt?: string;
  /** How long ago its last beat was. */
  ageMs: number;
  /** Beating (its last beat is fresh) and not stopped. */
  alive: boolean;
};

/** Is the bot alive and on schedule: what /status shows. */
export type StatusView = {
  /**
   * The scheduler: this process' own when it runs one (`started`), else what the store records of the runs
   * on any instance with the next runs computed here; null when neither is known.
   */
  scheduler: SchedulerStatus | null;
  /** The last cycle's report as stored (dates as ISO strings), or null. */
  lastCycle: unknown;
  source: string;
  storeKind: 'redis' | 'sqlite' | 'memory';
  /** When the store stopped answering (ISO), while it is unreachable; null when it answers. */
  storeUnreachableSince?: string | null;
  /** This process' uptime, shown when no scheduler runs here. */
  processUptimeMs: number;
  /** Set while an admin has paused new entries; null or absent otherwise. */
  paused?: PauseState | null;
  /**
   * Every bot instance that has beaten its heartbeat into this store lately, freshest first: whether a bot
   * runs at all (the CLI runs none). Undefined when the store could not be read.
   */
  instances?: InstanceStatus[];
};

export type ScanOptions = {
  /** Called at the start and as each ticker finishes. */
  onProgress?: (progress: ScanProgress) => void;
};

/** Closing a position that is not open: why (already closed or expired, or unknown). */
export type NotClosed = { closed: false; status: PaperPosition['status'] | 'unknown' };

export interface CommandServices {
  /** Name of the price source ("yahoo", "replay"). */
  readonly source: string;
  /** BREAKOUT_K (the |z| a breakout needs) and the lookback of returns its band is made of. */
  readonly breakout: BreakoutConfig;
  regime(): Promise<Regime>;
  /**
   * Scan `tickers` (the universe and every watchlist when left out) as a cycle would, sized against the
   * paper account, without recording anything.
   */
  scan(tickers?: readonly string[], opts?: ScanOptions): Promise<CycleReport>;
  risk(): Promise<RiskView>;
  /** The universe with every chat's watchlist merged in (autocomplete). */
  universe(): Promise<string[]>;
  positions(at: Date): Promise<{ open: PaperPosition[]; summary: LedgerSummary }>;
  /** The whole paper record: closed positions (exit order), open ones, one equity point per session, the summary. */
  history(at: Date): Promise<{ closed: PaperPosition[]; open: PaperPosition[]; equity: EquityPoint[]; summary: LedgerSummary }>;
  /** Who paused new entries and when, or null while entries are allowed. */
  paused(): Promise<PauseState | null>;
  /** Stop (or allow again) new entries; exits, marks and settlement go on. */
  setPaused(pause: PauseState | null): Promise<void>;
  /** Sell open paper position `id` at its contract's bid now; its exit alert goes out as a follow-up. */
  closePosition(id: string, at: Date): Promise<ExitEvent | NotClosed>;
  /** The diary saved for `date` (YYYY-MM-DD, New York), exactly as posted; null when none was saved. */
  savedDiary(date: string): Promise<Message | null>;
  /** The diary of `date` from what the day journal holds so far. */
  diarySoFar(date: string): Promise<Message>;
  /** Per-chat watchlists; `chat` is 'discord:<channelId>' or 'telegram:<chatId>'. */
  readonly watchlists: {
    list(chat: string): Promise<string[]>;
    /** False when the list is full (the ticker was not added). */
    add(chat: string, symbol: string): Promise<boolean>;
    /** False when the ticker was not on the list. */
    remove(chat: string, symbol: string): Promise<boolean>;
  };
  status(): Promise<StatusView>;
  /**
   * Backtest the strategy on the bundled recorded data (the universe: every recorded symbol covering the
   * period), with its control, sensitivity and held-out evidence; with `outDir`, also write the report there.
   */
  backtest(request: BacktestRequest, progress: (text: string) => void): Promise<{ report: BacktestReport; files: string[] }>;
  /** The option model against the real quotes shipped in data/options. */
  calibration(): Promise<CalibrationReport>;
}

export type BacktestRequest = { from: string; to: string; universe?: readonly string[]; outDir?: string };
