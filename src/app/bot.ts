/**
 * What the bot does on each scheduled job, independent of how it is scheduled: the premarket regime
 * check, the intraday cycle (scan, size, alert) and the end-of-day close. Every alert leaves through the
 * outbox, so it is delivered once per destination even across restarts.
 */
import type { RegimeState } from '../core/types.ts';
import type { Logger } from '../core/log.ts';
import { composeDiary, saveDiary } from '../diary/store.ts';
import { exitAlert, isExitEvent } from '../notify/exit-alert.ts';
import { tradeAlert } from '../notify/trade-alert.ts';
import { tradeLine } from '../diary/trade-line.ts';
import { restat } from '../scanner/allocate.ts';
import type { PositionEvent } from '../trading/ledger/types.ts';
import type { Message } from '../notify/message.ts';
import { nyDate } from '../analysis/calendar.ts';
import { alertsForCycle, regimeAlert } from '../notify/messages.ts';
import type { DeliveryOutcome, Outbox } from '../notify/outbox.ts';
import type { CycleReport } from '../scanner/types.ts';
import type { BotServices } from './services.ts';

/** The regime state last announced in chat (distinct from the state kept for hysteresis). */
export const ANNOUNCED_REGIME_KEY = 'hx:regime:announced';
/** How many ledger events have been handled (alerts, diary lines). */
const EVENT_CURSOR_KEY = 'hx:bot:ledger-events-handled';
/** A trade alert written before its position is opened, for catch-up after a crash. */
const ALERT_KEY = (alertId: string) => `hx:bot:alert:${alertId}`;
const ALERT_TTL_MS = 30 * 86_400_000;

const STATES = new Set<RegimeState>(['BULLISH', 'NEUTRAL', 'BEARISH']);

export type TradingBotOptions = {
  services: BotServices;
  outbox: Outbox;
  logger: Logger;
  /** More signals than this in one cycle: one digest instead of one alert each. */
  digestThreshold: number;
  now?: () => Date;
};

export class TradingBot {
  private readonly now: () => Date;

  constructor(private readonly opts: TradingBotOptions) {
    this.now = opts.now ?? (() => new Date());
  }

  private get store() {
    return this.opts.services.runtime.store;
  }

  private async announced(): Promise<RegimeState | null> {
    const value = await this.store.get(ANNOUNCED_REGIME_KEY).catch(() => null);
    return value && STATES.has(value as RegimeState) ? (value as RegimeState) : null;
  }

  /** Send through the outbox and keep each tweet line for the day's diary. */
  private async post(messages: Message[], at: Date): Promise<DeliveryOutcome[]> {
    const outcomes: DeliveryOutcome[] = [];
    const date = nyDate(at);
    for (const message of messages) {
      const delivered = await this.opts.outbox.post(message);
      outcomes.push(...delivered);
      // Only what went out this time: a repeat of an alert already sent keeps its first tweet in the diary.
      if (message.tweet && delivered.some((d) => d.status === 'sent' || d.status === 'kept')) {
        await this.opts.services.journal.recordTweet(date, message.tweet).catch((err: unknown) => this.warn('journal', err));
      }
    }
    return outcomes;
  }

  /** Delivered, or queued for a retry, to at least one destination. */
  private reachedAnyone(outcomes: DeliveryOutcome[]): boolean {
    return outcomes.length === 0 || outcomes.some((o) => o.status !== 'failed');
  }

  private warn(what: string, err: unknown) {
    this.opts.logger.warn(`${what}: ${err instanceof Error ? err.message : String(err)}`);
  }

  /** Premarket (and start-up): announce the regime when it differs from the last one announced. */
  async checkRegime(): Promise<void> {
    const regime = await this.opts.services.regime();
    const at = this.now();
    await this.opts.services.journal.recordRegime(nyDate(at), at, regime).catch((err: unknown) => this.warn('journal', err));
    const previous = await this.announced();
    // An outage is not a regime change: missing data is logged, not announced.
    if (regime.degraded) {
      this.opts.logger.warn(`regime check on incomplete data: ${regime.reasons[0] ?? 'data missing'}`);
      return;
    }
    if (previous === regime.state) return;
    const outcomes = await this.post([regimeAlert(regime, { previous })], at);
    if (!this.reachedAnyone(outcomes)) return; // not announced: the next check tries again
    await this.store.set(ANNOUNCED_REGIME_KEY, regime.state);
    this.opts.logger.info(`regime ${previous ?? 'unknown'} -> ${regime.state} announced`);
  }

  /**
   * One intraday cycle: scan the universe and watchlists, open the ACCEPTED plans in the paper ledger, send
   * the regime change and trade alerts, then mark, settle and apply exit rules to the book.
   */
  async runCycle(): Promise<CycleReport> {
    // First whatever a crash left behind: kept deliveries and alerts of positions opened but not announced.
    await this.flushOutbox();
    await this.catchUpEvents();
    const scanned = await this.opts.services.runCycle();
    const report = await this.openPlans(scanned);
    await this.opts.services.recordCycle(report);
    const announced = await this.announced();
    // A regime decided on incomplete data is not announced (see Regime.degraded): pretend it is the known one.
    const previous = report.regime.degraded ? report.regime.state : announced;
    const messages = alertsForCycle(report, { digestThreshold: this.opts.digestThreshold, previousRegime: previous });
    const outcomes = await this.post(messages, report.startedAt);
    if (!report.regime.degraded && this.reachedAnyone(outcomes)) await this.store.set(ANNOUNCED_REGIME_KEY, report.regime.state);
    await this.updateBook(report.startedAt);
    const s = report.stats;
    this.opts.logger.info(
      `cycle: ${s.scanned} scanned, ${s.signals} signals, ${s.accepted} accepted, ${s.rejected} rejected, ${s.errors} errors, ${messages.length} alerts`,
    );
    return report;
  }

  /**
   * Open each ACCEPTED plan in the ledger, strongest |z| first (the order the budget was allocated in). A plan
   * the ledger will not open (cash, a position opened since) becomes REJECTED with the ledger's reason, so
   * no alert says "buying" for a trade that was not made.
   */
  private async openPlans(report: CycleReport): Promise<CycleReport> {
    const { ledger } = this.opts.services;
    const order = report.results
      .map((r, index) => ({ r, index }))
      .filter(({ r }) => r.plan?.status === 'ACCEPTED')
      .sort((a, b) => Math.abs(b.r.signal!.zScore) - Math.abs(a.r.signal!.zScore));
    const results = [...report.results];
    for (const { r, index } of order) {
      const plan = r.plan!;
      const alert = tradeAlert(plan);
      // Write-ahead: if the process dies after the open and before the send, catch-up still announces it.
      await this.store.set(ALERT_KEY(alert.id!), JSON.stringify(alert), ALERT_TTL_MS);
      const outcome = await ledger.open(plan, { alertId: alert.id!, at: report.startedAt });
      if (outcome.type === 'open.skipped') {
        results[index] = { ...r, plan: { ...plan, status: 'REJECTED', contracts: 0, costUsd: 0, reason: `not opened: ${outcome.reason}` } };
        this.opts.logger.warn(`${plan.signal.symbol}: ${outcome.reason}`);
      } else if (outcome.duplicate) {
        // Traded already (e.g. opened, then closed, earlier today): nothing new to announce.
        results[index] = { ...r, plan: null, held: true };
      }
    }
    return { ...report, results, stats: restat(report.stats, results) };
  }

  /** Mark the book, settle expired positions and apply take-profit/stop-loss; exits go out as follow-ups. */
  private async updateBook(at: Date): Promise<void> {
    const { ledger, runtime } = this.opts.services;
    await ledger.update(runtime.market, at);
    await this.catchUpEvents();
  }

  /**
   * Handle every ledger event not handled yet (a cursor in the store): trade lines for the diary, the trade
   * alert of an opened position (written ahead, see openPlans), exit alerts as replies. Idempotent (alert
   * ids, journal de-duplication), so it repairs whatever a crash between a ledger write and its alert left.
   */
  async catchUpEvents(): Promise<void> {
    const events = await this.opts.services.ledger.events();
    const handled = Number((await this.store.get(EVENT_CURSOR_KEY)) ?? 0);
    for (let i = handled; i < events.length; i++) {
      const event = events[i]!;
      await this.onLedgerEvent(event);
      if (event.type === 'position.opened') {
        const stored = await this.store.get(ALERT_KEY(event.alertId));
        if (stored) await this.opts.outbox.post(JSON.parse(stored) as Message);
      }
      await this.store.set(EVENT_CURSOR_KEY, String(i + 1));
    }
  }

  /** One committed ledger event: the diary's trade line, and for exits a follow-up of the trade alert. */
  async onLedgerEvent(event: PositionEvent): Promise<void> {
    const at = new Date(event.at);
    await this.opts.services.journal.recordTrade(nyDate(at), tradeLine(event)).catch((err: unknown) => this.warn('journal', err));
    if (isExitEvent(event)) await this.opts.outbox.post(exitAlert(event), { replyToAlertId: event.alertId });
  }

  /** End of day: settle and mark the book, record the equity point, then save and post the trading diary. */
  async endOfDay(): Promise<void> {
    const at = this.now();
    const date = nyDate(at);
    const { services } = this.opts;
    await this.updateBook(at);
    const diary = await composeDiary(services.diary, date);
    // Saving and posting are independent: a read-only DIARY_DIR must not keep the diary from the chats.
    const saved = await saveDiary(services.diary.diaryDir, services.runtime.store, date, diary).then(
      () => true,
      (err: unknown) => {
        this.warn(`diary for ${date} not saved`, err);
        return false;
      },
    );
    await this.post([diary.message], at);
    await this.flushOutbox();
    this.opts.logger.info(`diary for ${date} ${saved ? 'saved and ' : ''}posted`);
  }

  /** Retry deliveries kept after their retries ran out. */
  async flushOutbox(): Promise<void> {
    const outcomes = await this.opts.outbox.flush();
    const sent = outcomes.filter((o) => o.status === 'sent').length;
    if (outcomes.length > 0) this.opts.logger.info(`outbox: ${sent} of ${outcomes.length} kept deliveries sent`);
  }
}
