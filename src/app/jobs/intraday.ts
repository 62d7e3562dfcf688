/**
 * @module The intraday job: scan the universe and watchlists, open the ACCEPTED plans in the paper ledger,
 * send the regime change and the trade alerts that are news today (each paper trade with a Close button), then mark, settle and apply exit rules to
 * the book.
 */
import { nyDate } from '../../analysis/calendar.ts';
import type { Regime } from '../../core/types.ts';
import { resultChart } from '../../notify/chart-message.ts';
import type { Message } from '../../notify/message.ts';
import { cycleAlerts, type CycleAlert } from '../../notify/messages.ts';
import type { DeliveryOutcome } from '../../notify/outbox.ts';
import { ReportedSignals } from '../../notify/reported.ts';
import { tradeAlert } from '../../notify/trade-alert.ts';
import { restat } from '../../scanner/allocate.ts';
import type { CycleReport, TickerResult } from '../../scanner/types.ts';
import type { TradePlan } from '../../trading/types.ts';
import {
  announcedRegime, catchUpLedgerEvents, flushOutbox, post, reachedAnyone, rememberAnnounced, stopIfAborted, warn, type JobDeps,
} from './post.ts';

export async function intradayJob(deps: JobDeps, signal?: AbortSignal): Promise<CycleReport> {
  // First whatever a crash left behind: kept deliveries, and positions opened but not announced.
  await flushOutbox(deps);
  await catchUpLedgerEvents(deps);
  const scanned = await deps.services.cycle();
  // Lost the run lock while scanning: another instance may be opening these very plans now.
  stopIfAborted(signal, 'intraday');
  const { report, opened } = await openPlans(deps, scanned);
  await deps.services.recordCycle(report);
  const announced = await announcedRegime(deps);
  // A regime decided on incomplete data is not announced (see Regime.degraded): pretend it is the known one.
  const previous = report.regime.degraded ? report.regime.state : announced;
  const date = nyDate(report.startedAt);
  const memory = new ReportedSignals(deps.services.runtime.store);
  const reported = await memory.on(date).catch((err: unknown) => {
    // Unknown: tell everything again; the outbox still keeps an alert already sent from going twice.
    warn(deps.logger, 'signals reported today', err);
    return new Map<string, string>();
  });
  const { breakout } = deps.services;
  const chartOf = (r: TickerResult, regime: Regime) => resultChart(r, regime, breakout);
  const cycle = cycleAlerts(report, { digestThreshold: deps.digestThreshold, previousRegime: previous, reported, chartOf });
  const alerts = cycle.alerts.map((a) => withCloseButton(a, opened));
  const { alreadyReported } = cycle;
  const messages = alerts.map((a) => a.message);
  const outcomes = await postAndRemember(deps, alerts, memory, report.startedAt);
  await markPosted(deps, messages);
  if (!report.regime.degraded && reachedAnyone(outcomes)) await rememberAnnounced(deps, report.regime.state);
  stopIfAborted(signal, 'intraday');
  await updateBook(deps, report.startedAt);
  const s = report.stats;
  deps.logger.info(
    `cycle: ${s.scanned} scanned, ${s.signals} signals, ${s.accepted} accepted, ${s.rejected} rejected, ${s.errors} errors, ${messages.length} alerts${alreadyReported > 0 ? ` (${alreadyReported} signals already reported today left out)` : ''}`,
  );
  return report;
}

/**
 * Post each alert, and remember the signals it told once it reached someone (or is kept for a retry, or its
 * event is off): a later cycle today leaves them out unless their decision changes.
 */
async function postAndRemember(deps: JobDeps, alerts: readonly CycleAlert[], memory: ReportedSignals, at: Date): Promise<DeliveryOutcome[]> {
  const outcomes: DeliveryOutcome[] = [];
  for (const alert of alerts) {
    const delivered = await post(deps, [alert.message], at);
    outcomes.push(...delivered);
    if (alert.reports.length > 0 && reachedAnyone(delivered)) {
      await memory.remember(nyDate(at), alert.reports, deps.now()).catch((err: unknown) => warn(deps.logger, 'remembering reported signals', err));
    }
  }
  return outcomes;
}

/** Mark, settle expired positions and apply take-profit/stop-loss; exits go out as follow-ups. */
export async function updateBook(deps: JobDeps, at: Date): Promise<void> {
  await deps.services.ledger.update(deps.services.runtime.market, at);
  await catchUpLedgerEvents(deps);
}

/** A paper trade's alert with a Close button for the position it opened (`/close <id>`, admins only). */
function withCloseButton(alert: CycleAlert, opened: ReadonlyMap<string, string>): CycleAlert {
  const positionId = alert.message.id ? opened.get(alert.message.id) : undefined;
  if (alert.message.kind !== 'trade' || positionId === undefined) return alert;
  return { ...alert, message: { ...alert.message, actions: [{ label: 'Close', command: 'close', args: [positionId], style: 'danger' }] } };
}

/**
 * Open each ACCEPTED plan in the ledger, strongest |z| first (the order the budget was allocated in). A plan
 * the ledger will not open (cash, a position opened since) becomes REJECTED with the ledger's reason, so
 * no alert says "buying" for a trade that was not made; while new entries are paused (/pause) every one does.
 * `opened`: the position each trade alert announces, by alert id.
 */
async function openPlans(deps: JobDeps, report: CycleReport): Promise<{ report: CycleReport; opened: Map<string, string> }> {
  const opened = new Map<string, string>();
  const { ledger, events } = deps.services;
  const order = report.results
    .map((r, index) => ({ r, index }))
    .filter(({ r }) => r.plan?.status === 'ACCEPTED')
    .sort((a, b) => Math.abs(b.r.signal!.zScore) - Math.abs(a.r.signal!.zScore));
  const results = [...report.results];
  // An admin's /pause: the signals are still reported, as plans not taken, and nothing is opened.
  const paused = order.length > 0 ? await deps.services.paused() : null;
  for (const { r, index } of order) {
    const plan = r.plan!;
    if (paused) {
      results[index] = { ...r, plan: notTaken(plan, 'new entries paused by an admin (/resume to allow)') };
      continue;
    }
    const alert = tradeAlert(plan);
    // Write-ahead: if the process dies after the open and before the send, catch-up still announces it.
    await events?.writeAhead(alert);
    const outcome = await ledger.open(plan, { alertId: alert.id!, at: report.startedAt });
    if (outcome.type === 'open.skipped') {
      results[index] = { ...r, plan: notTaken(plan, `not opened: ${outcome.reason}`) };
      deps.logger.warn(`${plan.signal.symbol}: ${outcome.reason}`);
    } else if (outcome.duplicate) {
      // Traded already (e.g. opened, then closed, earlier today): nothing new to announce.
      results[index] = { ...r, plan: null, held: true };
    } else {
      opened.set(alert.id!, outcome.position.id);
    }
  }
  return { report: { ...report, results, stats: restat(report.stats, results) }, opened };
}

/** An ACCEPTED plan that was not opened, as the REJECTED plan its alert shows: no contracts, nothing spent. */
const notTaken = (plan: TradePlan, reason: string): TradePlan => ({ ...plan, status: 'REJECTED', contracts: 0, costUsd: 0, feesUsd: 0, totalUsd: 0, reason });

/** Trade alerts handed to the outbox: the ledger-event catch-up has nothing left to announce for them. */
async function markPosted(deps: JobDeps, messages: readonly Message[]): Promise<void> {
  for (const m of messages) if (m.kind === 'trade' && m.id) await deps.services.events?.posted(m.id);
}
