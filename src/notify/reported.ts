/**
 * @module What the chats were already told today about each signal, so a cycle reports only news: a signal
 * reported (alone or in a digest) is not reported again the same New York day unless its decision changes
 * (REJECTED -> ACCEPTED, or refused for another kind of reason). Kept in the shared Store, so instances and
 * restarts agree; each day's record expires when that day ends.
 */
import { addNyDays, nyWallTimeToInstant } from '../analysis/calendar.ts';
import type { Signal } from '../core/types.ts';
import type { Store } from '../store/store.ts';
import { signalKeyOf } from '../trading/ledger/math.ts';
import type { TradePlan } from '../trading/types.ts';

/** One signal as reported: `key` (underlying|side|signal date) and its decision ("ACCEPTED", "REJECTED:budget"). */
export type SignalReport = { key: string; decision: string };

/**
 * A skip is news again only when what stands in its way changes: an admin's pause, the regime, the account's
 * limits, the option market. Within one class the numbers and the rule move from cycle to cycle ("5 new
 * positions this cycle already" at 10:00, "1 contract costs $680 > $386 budget" at 10:30) and the answer
 * stays "not taken". First match wins; the wording is trading/'s and app/jobs/intraday.ts's
 * (test/notify/reported.test.ts holds a sample of each).
 */
const REASON_CLASSES: readonly (readonly [RegExp, string])[] = [
  [/^new entries paused/i, 'paused'],
  [/^not opened:/i, 'not-opened'],
  [/^(BULLISH|NEUTRAL|BEARISH) regime: /, 'regime'],
  // Risk cap, Kelly, open-risk limit, MAX_NEW_POSITIONS, one name per company, LIQUIDITY_*_PCT.
  [/^(1 contract costs |too thin to trade|one name: |\d+ new positions this cycle already)/, 'limits'],
  [/^(no tradable|nearest expiry|no contract)|no ask price/, 'no-contract'],
];

/** The kind of reason: a known class, else the text with its numbers masked (so only the wording counts). */
export function reasonClass(reason: string): string {
  const known = REASON_CLASSES.find(([pattern]) => pattern.test(reason));
  if (known) return known[1];
  return reason.toLowerCase().replace(/[$+-]?\d+(?:[.,]\d+)*[%x]?/g, '#').replace(/\s+/g, ' ').trim().slice(0, 80);
}

/** What a plan decided, as compared across cycles: the contract and size may move, the decision is the news. */
export function decisionOf(plan: TradePlan | null): string {
  if (!plan) return 'NO-PLAN';
  return plan.status === 'ACCEPTED' ? 'ACCEPTED' : `REJECTED:${reasonClass(plan.reason)}`;
}

export function reportOf(result: { signal: Signal; plan: TradePlan | null }): SignalReport {
  return { key: signalKeyOf(result), decision: decisionOf(result.plan) };
}

/** One list per New York date of "key=decision" lines, oldest first; the last line of a key is what stands. */
const reportedKey = (date: string): string => `hx:reported:${date}`;
/** Past midnight the date in the key is no longer asked for; the margin covers instances' clocks disagreeing. */
const EXPIRY_MARGIN_MS = 3_600_000;

export class ReportedSignals {
  constructor(private readonly store: Store) {}

  /** The decision last reported on New York `date`, per signal key. */
  async on(date: string): Promise<Map<string, string>> {
    const reported = new Map<string, string>();
    for (const line of await this.store.listRange(reportedKey(date))) {
      const at = line.lastIndexOf('=');
      if (at > 0) reported.set(line.slice(0, at), line.slice(at + 1));
    }
    return reported;
  }

  /** Record `reports` as told on `date` (an append each: two cycles never lose each other's lines). */
  async remember(date: string, reports: readonly SignalReport[], now: Date): Promise<void> {
    if (reports.length === 0) return;
    const key = reportedKey(date);
    for (const r of reports) await this.store.listPush(key, `${r.key}=${r.decision}`);
    const dayEndsMs = nyWallTimeToInstant(addNyDays(date, 1), 0).getTime();
    await this.store.expire(key, Math.max(dayEndsMs - now.getTime(), 0) + EXPIRY_MARGIN_MS);
  }
}

/** True when `report` is news against what `reported` (ReportedSignals.on) says was told today. */
export const isNews = (report: SignalReport, reported: ReadonlyMap<string, string>): boolean => reported.get(report.key) !== report.decision;
