/**
 * Domain events -> platform-neutral Messages. Pure: no I/O, no clock; every number shown comes from the
 * Regime, TradePlan or CycleReport passed in, rounded only by ./format.ts.
 */
import type { Regime, RegimeState } from '../core/types.ts';
import type { CycleReport, TickerResult } from '../scanner/types.ts';
import type { TradePlan } from '../trading/types.ts';
import { alertId } from './alert-id.ts';
import { formatMultiplier, formatPct, formatUsd, formatZ, formatExpiry, formatIsoDate } from './format.ts';
import type { Message, MessageChart, Tone } from './message.ts';
import { isNews, reportOf, type SignalReport } from './reported.ts';
import { bullets, tradeAlert } from './trade-alert.ts';
import { composeTweet } from './tweet.ts';

export { alertId, type AlertKey } from './alert-id.ts';
export { DISCLAIMER, MODELED_NOTE, tradeAlert } from './trade-alert.ts';

const DIGEST_DISCLAIMER = 'Paper trades, not financial advice.';
const REGIME_EMOJI: Record<RegimeState, string> = { BULLISH: '🐂', NEUTRAL: '⚖️', BEARISH: '🐻' };
const REGIME_TONE: Record<RegimeState, Tone> = { BULLISH: 'bullish', NEUTRAL: 'neutral', BEARISH: 'bearish' };

/** "6.3% below its average", or "n/a" when SPY or its average was missing. */
function spyVersusAverage(trend: number): string {
  if (!Number.isFinite(trend)) return 'vs its average n/a';
  return `${formatPct(Math.abs(trend))} ${trend < 0 ? 'below' : 'above'} its average`;
}

const vixText = (vix: number): string => (Number.isFinite(vix) ? vix.toFixed(2) : 'n/a');

/**
 * The regime alert. `previous` is the regime last announced: a state adds "(was X)", null or undefined means
 * there is none (start-up), which also keeps the start-up alert's id distinct from a change's.
 */
export function regimeAlert(regime: Regime, opts: { previous?: RegimeState | null } = {}): Message {
  const { state } = regime;
  const previous = opts.previous ?? null;
  const emoji = REGIME_EMOJI[state];
  const was = previous && previous !== state ? ` (was ${previous})` : '';
  const multipliers = `long ${formatMultiplier(regime.long)} / short ${formatMultiplier(regime.short)}`;
  const spy = Number.isFinite(regime.spy) && Number.isFinite(regime.spySma)
    ? `${formatUsd(regime.spy, { cents: true })} vs ${formatUsd(regime.spySma, { cents: true })} (${formatPct(regime.spyTrend, { signed: true })})`
    : 'n/a (SPY data missing)';
  return {
    kind: 'regime',
    id: alertId({ kind: 'regime', asOf: regime.asOf, detail: `${previous ?? 'start'}->${state}` }),
    event: 'regime',
    tweet: composeTweet([
      { text: `${emoji} Regime${was ? ' flip' : ''}: ${state}${was}.` },
      { text: `$VIX ${vixText(regime.vix)}, $SPY ${spyVersusAverage(regime.spyTrend)}.` },
      { text: `Longs ${formatMultiplier(regime.long)}, shorts ${formatMultiplier(regime.short)}.` },
      { text: '#Trading #Volatility', dropRank: 1 },
    ]),
    title: `${emoji} Regime: ${state}${was}`,
    description: `New trades are sized at ${formatMultiplier(regime.long)} for longs and ${formatMultiplier(regime.short)} for shorts until the regime changes.`,
    fields: [
      { name: 'VIX', value: Number.isFinite(regime.vix) ? vixText(regime.vix) : 'n/a (VIX data missing)', inline: true },
      { name: 'SPY vs average', value: spy, inline: true },
      { name: 'Multipliers', value: multipliers, inline: true },
      { name: 'Reasons', value: regime.reasons.length > 0 ? bullets(regime.reasons) : 'none given' },
    ],
    tone: REGIME_TONE[state],
    footer: `Data as of ${formatIsoDate(regime.asOf)}`,
  };
}

type SignalResult = TickerResult & { signal: NonNullable<TickerResult['signal']> };

/**
 * Results that carry a new signal, strongest |z| first (ties by symbol, so the order is stable). Signals
 * whose position is already open (`held`) were announced when it opened and are left out.
 */
function rankedSignals(report: CycleReport): SignalResult[] {
  return report.results
    .filter((r): r is SignalResult => r.signal !== null && !r.held)
    .sort((a, b) => Math.abs(b.signal.zScore) - Math.abs(a.signal.zScore) || a.symbol.localeCompare(b.symbol));
}

/** One digest line: "1. NFLX SHORT z -3.10 · ACCEPTED 90x Nov 27 $500 put at $0.11 = $990". */
function digestLine(rank: number, r: SignalResult): string {
  const head = `${rank}. ${r.symbol} ${r.signal.side} z ${formatZ(r.signal.zScore)}`;
  const plan = r.plan;
  if (!plan) return `${head} · no plan`;
  if (plan.status === 'REJECTED') return `${head} · REJECTED: ${plan.reason}`;
  const c = plan.contract;
  const what = c ? ` ${plan.contracts}x ${formatExpiry(c.expiry)} ${formatUsd(c.strike)} ${c.right} at ${formatUsd(c.ask, { cents: true })}${c.modeled ? ' (modeled)' : ''}` : '';
  return `${head} · ACCEPTED${what} = ${formatUsd(plan.costUsd)}`;
}

/**
 * One ranked digest (by |z|) of a cycle's signals, listing at most `maxSignals` of them; used instead of one
 * alert per trade when a cycle finds many. `alreadyReported`: signals left out because today's alerts told
 * them already (the report holds only the new ones); the digest says how many.
 */
export function scanDigest(report: CycleReport, opts: { maxSignals: number; alreadyReported?: number }): Message {
  const ranked = rankedSignals(report);
  const accepted = ranked.filter((r) => r.plan?.status === 'ACCEPTED');
  const rejected = ranked.filter((r) => r.plan?.status === 'REJECTED');
  const atRiskUsd = accepted.reduce((sum, r) => sum + (r.plan?.costUsd ?? 0), 0);
  const shown = ranked.slice(0, Math.max(0, opts.maxSignals));
  const lines = shown.map((r, i) => digestLine(i + 1, r));
  if (ranked.length > shown.length) lines.push(`…and ${ranked.length - shown.length} more`);
  const { regime, stats } = report;
  const n = ranked.length;
  const repeated = opts.alreadyReported ?? 0;
  const isNew = repeated > 0 ? ' new' : '';

  // The tweet names as many of the top tickers as fit (up to 5), each cashtag whole.
  const tweetWith = (k: number): string[] => [
    `🔎 Scan: ${n}${isNew} breakout${n === 1 ? '' : 's'} across ${stats.scanned} tickers${repeated > 0 ? ` (${repeated} reported earlier today)` : ''}.`,
    k > 0 ? `Top: ${ranked.slice(0, k).map((r) => `$${r.symbol} z ${r.signal.zScore > 0 ? '+' : ''}${r.signal.zScore.toFixed(1)}`).join(', ')}.` : '',
    `${accepted.length} paper trade${accepted.length === 1 ? '' : 's'} opened, ${rejected.length} skipped.`,
    DIGEST_DISCLAIMER,
    '#Options #Trading',
  ];
  let k = Math.min(5, n);
  while (k > 1 && tweetWith(k).filter(Boolean).join(' ').length > 280) k--;
  const [head = '', top = '', tally = '', disclaimer = '', tags = ''] = tweetWith(k);

  return {
    kind: 'digest',
    id: alertId({
      kind: 'digest',
      asOf: regime.asOf,
      // Not the contracts: a strike that moves between cycles is not news worth a second digest.
      detail: ranked.map((r) => `${r.symbol}:${r.signal.side}:${r.plan?.status ?? 'none'}`).sort().join(','),
    }),
    event: 'digest',
    tweet: composeTweet([
      { text: head },
      { text: top, shorten: true },
      { text: tally },
      { text: disclaimer },
      { text: tags, dropRank: 1 },
    ]),
    title: `🔎 Scan digest: ${n}${isNew} signal${n === 1 ? '' : 's'}, ${accepted.length} accepted${repeated > 0 ? `; ${repeated} already reported today` : ''}`,
    description: lines.join('\n'),
    fields: [
      { name: 'Regime', value: `${regime.state} · long ${formatMultiplier(regime.long)} / short ${formatMultiplier(regime.short)}`, inline: true },
      { name: 'Scanned', value: `${stats.scanned} tickers in ${(stats.durationMs / 1000).toFixed(1)} s`, inline: true },
      { name: 'Accepted', value: `${accepted.length} (${formatUsd(atRiskUsd)} at risk)`, inline: true },
      { name: 'Rejected', value: String(rejected.length), inline: true },
      ...(stats.errors > 0 ? [{ name: 'Errors', value: `${stats.errors} ticker${stats.errors === 1 ? '' : 's'} failed`, inline: true }] : []),
    ],
    tone: 'info',
    footer: `Source: ${report.source}${report.modeled ? ' (modeled option prices)' : ''}. ${DIGEST_DISCLAIMER}`,
  };
}

/** One alert of a cycle and the signals it reports (none for the regime): what to remember once it went out. */
export type CycleAlert = { message: Message; reports: SignalReport[] };
/** A cycle's alerts, and how many of its signals were left out as already reported today. */
export type CycleAlerts = { alerts: CycleAlert[]; alreadyReported: number };

export type CycleAlertOptions = {
  digestThreshold: number;
  previousRegime?: RegimeState | null;
  digestMaxSignals?: number;
  /** The decisions reported earlier today per signal (ReportedSignals.on); unchanged ones are not told again. */
  reported?: ReadonlyMap<string, string>;
  /** A paper trade's chart (chart-message.ts resultChart, which the caller loads); no charts without it. */
  chartOf?: (result: TickerResult, regime: Regime) => MessageChart | undefined;
};

/**
 * The alerts one cycle produces, in send order: the regime alert when the regime differs from
 * `previousRegime` (undefined = start-up, null = none announced yet; both send it); one trade alert per
 * ACCEPTED plan (a paper trade is always announced on its own, so exits can reply to it), with its /scan chart
 * when `chartOf` draws it; then, when more
 * than `digestThreshold` signals fired, one ranked digest of them all instead of an alert per skipped one.
 * Only news counts: a signal `reported` today with the same decision is left out of all of these.
 */
export function cycleAlerts(report: CycleReport, opts: CycleAlertOptions): CycleAlerts {
  const out: CycleAlert[] = [];
  if (opts.previousRegime !== report.regime.state) {
    out.push({ message: regimeAlert(report.regime, { previous: opts.previousRegime ?? null }), reports: [] });
  }
  const ranked = rankedSignals(report);
  const reported = opts.reported ?? new Map<string, string>();
  const fresh = ranked.filter((r) => isNews(reportOf(r), reported));
  const alreadyReported = ranked.length - fresh.length;
  const alone = (r: SignalResult, plan: TradePlan): CycleAlert => ({ message: tradeAlert(plan), reports: [reportOf(r)] });
  for (const r of fresh) {
    if (r.plan?.status !== 'ACCEPTED') continue;
    // A paper trade shows its chart: the move, the band it broke, the strike bought. A skipped one does not:
    // nothing was bought, its reason is about sizing or the regime rather than the picture, and a busy day
    // would render a PNG for every refusal (/scan TICKER draws it on demand).
    const chart = opts.chartOf?.(r, report.regime);
    const trade = alone(r, r.plan);
    out.push(chart ? { ...trade, message: { ...trade.message, chart } } : trade);
  }
  if (fresh.length > opts.digestThreshold) {
    const maxSignals = opts.digestMaxSignals ?? 20;
    const news = { ...report, results: report.results.filter((r) => fresh.includes(r as SignalResult)) };
    const digest = scanDigest(news, { maxSignals, alreadyReported });
    // Signals past `maxSignals` show only in "…and N more": not told by name, so a later cycle may still.
    out.push({ message: digest, reports: fresh.slice(0, Math.max(0, maxSignals)).map(reportOf) });
  } else {
    for (const r of fresh) if (r.plan && r.plan.status !== 'ACCEPTED') out.push(alone(r, r.plan));
  }
  return { alerts: out, alreadyReported };
}

/** cycleAlerts' messages alone. */
export function alertsForCycle(report: CycleReport, opts: CycleAlertOptions): Message[] {
  return cycleAlerts(report, opts).alerts.map((a) => a.message);
}
