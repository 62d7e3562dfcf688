/**
 * What the bot does on each scheduled job, independent of how it is scheduled: the premarket regime
 * check, the intraday cycle (scan, size, alert) and the end-of-day close. Every alert leaves through the
 * outbox, so it is delivered once per destination even across restarts.
 */
import type { RegimeState } from './analysis/types.ts';
import type { Logger } from './log.ts';
import { composeDiary, saveDiary } from './notify/diary-store.ts';
import type { Message } from './notify/message.ts';
import { nyDate } from './schedule/calendar.ts';
import { alertsForCycle, regimeAlert } from './notify/messages.ts';
import type { DeliveryOutcome, Outbox } from './notify/outbox.ts';
import type { CycleReport } from './scanner/types.ts';
import type { BotServices } from './services.ts';

/** The regime state last announced in chat (distinct from the state kept for hysteresis). */
export const ANNOUNCED_REGIME_KEY = 'hx:regime:announced';

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
      outcomes.push(...(await this.opts.outbox.post(message)));
      if (message.tweet) {
        await this.opts.services.journal.recordTweet(date, message.tweet).catch((err: unknown) => this.warn('journal', err));
      }
    }
    return outcomes;
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
    if (previous === regime.state) return;
    await this.post([regimeAlert(regime, { previous })], at);
    await this.store.set(ANNOUNCED_REGIME_KEY, regime.state);
    this.opts.logger.info(`regime ${previous ?? 'unknown'} -> ${regime.state} announced`);
  }

  /** One intraday cycle: scan the universe and watchlists, then send the regime change and trade alerts. */
  async runCycle(): Promise<CycleReport> {
    const report = await this.opts.services.runCycle();
    const previous = await this.announced();
    const messages = alertsForCycle(report, { digestThreshold: this.opts.digestThreshold, previousRegime: previous });
    await this.post(messages, report.startedAt);
    await this.store.set(ANNOUNCED_REGIME_KEY, report.regime.state);
    const s = report.stats;
    this.opts.logger.info(
      `cycle: ${s.scanned} scanned, ${s.signals} signals, ${s.accepted} accepted, ${s.rejected} rejected, ${s.errors} errors, ${messages.length} alerts`,
    );
    return report;
  }

  /** End of day: write, save and post the trading diary, then retry anything the outbox kept. */
  async endOfDay(): Promise<void> {
    const at = this.now();
    const date = nyDate(at);
    const { services } = this.opts;
    const diary = await composeDiary(services.diary, date);
    await saveDiary(services.diary.diaryDir, services.runtime.store, date, diary);
    await this.post([diary.message], at);
    await this.flushOutbox();
    this.opts.logger.info(`diary for ${date} saved and posted`);
  }

  /** Retry deliveries kept after their retries ran out. */
  async flushOutbox(): Promise<void> {
    const outcomes = await this.opts.outbox.flush();
    const sent = outcomes.filter((o) => o.status === 'sent').length;
    if (outcomes.length > 0) this.opts.logger.info(`outbox: ${sent} of ${outcomes.length} kept deliveries sent`);
  }
}
