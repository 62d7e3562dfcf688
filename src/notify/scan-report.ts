/**
 * A scan of several tickers (or the whole universe) as one reply: the regime, a line per ticker in the
 * order the budget was allocated (strongest |z| first), and each sized plan with its reason. Pure. Also
 * the report's JSON view, the `--json` shape the CLI prints.
 */
import type { CycleReport, TickerResult } from '../scanner/types.ts';
import type { TradePlan } from '../trading/types.ts';
import { formatIsoDate, formatMultiplier, formatUsd, formatZ } from './format.ts';
import type { Message, MessageField } from './message.ts';

/** Tickers without a signal are listed one by one up to this many; beyond it they are counted. */
const MAX_QUIET_LISTED = 20;
/** Plans shown as fields; Discord allows 25 fields and two go to the regime and the rest. */
const MAX_PLANS_SHOWN = 20;

const MODELED_NOTE = 'Option prices are modeled (Black-Scholes on realized volatility), not market quotes.';
const PAPER_NOTE = 'Paper trading only: nothing here places a real order. Not financial advice.';

/** Signals first, strongest |z| first (the order they were sized in), then errors, then the quiet ones. */
function sizingOrder(results: readonly TickerResult[]): TickerResult[] {
  const rank = (r: TickerResult) => (r.signal ? 0 : r.error ? 1 : 2);
  return [...results].sort((a, b) => rank(a) - rank(b) || Math.abs(b.signal?.zScore ?? 0) - Math.abs(a.signal?.zScore ?? 0));
}

/** One line per ticker: "SPY SHORT z -4.98 -> ACCEPTED", "TSLA no breakout (z -1.78)". */
export function resultLine(r: TickerResult): string {
  if (r.error && !r.signal) {
    // Data-layer messages name the symbol first ("NFLX: not in the recorded data; it has ...").
    const message = r.error.message.startsWith(`${r.symbol}:`) ? r.error.message.slice(r.symbol.length + 1).trim() : r.error.message;
    return `${r.symbol}: ${r.error.kind === 'not_found' ? '' : `error (${r.error.kind}): `}${message}`;
  }
  if (r.reading?.status === 'insufficient-data') return `${r.symbol}: not enough history (${r.reading.barsGiven} bars, needs ${r.reading.barsNeeded})`;
  const z = r.reading ? formatZ(r.reading.zScore) : 'n/a';
  if (!r.signal) return `${r.symbol}: no breakout (z ${z})`;
  if (r.held) return `${r.symbol} ${r.signal.side} z ${z}: a paper position is already open`;
  if (!r.plan) return `${r.symbol} ${r.signal.side} z ${z}: no plan (${r.error?.message ?? 'no option chain'})`;
  return `${r.symbol} ${r.signal.side} z ${z} -> ${r.plan.status}`;
}

/** A plan as a field: the contract, the size and cost, the reason and the sizing inputs behind it. */
export function planField(plan: TradePlan): MessageField {
  const s = plan.signal;
  const c = plan.contract;
  const lines: string[] = [];
  if (c) {
    lines.push(
      `${formatIsoDate(c.expiry)} ${formatUsd(c.strike)} ${c.right} @ ${formatUsd(c.ask, { cents: true })} ask${c.modeled ? ' (modeled)' : ''}`,
    );
  }
  if (plan.status === 'ACCEPTED') lines.push(`${plan.contracts} contract${plan.contracts === 1 ? '' : 's'}, cost ${formatUsd(plan.costUsd)}`);
  lines.push(plan.reason);
  const z = plan.sizing;
  lines.push(
    `Kelly ${z.kellyFraction} x ${z.kellyFull.toFixed(2)} = ${(z.kellySize * 100).toFixed(1)}% of ${formatUsd(z.equityUsd)} (p ${Number(z.kellyWinProb.toFixed(3))}, b ${Number(z.kellyPayoff.toFixed(2))}, ${z.kellySource ?? 'config'}), cap ${formatUsd(z.riskCapUsd)}, ${z.regimeState} ${formatMultiplier(z.regimeMultiplier)} -> budget ${formatUsd(z.budgetUsd)}`,
  );
  for (const note of plan.notes) lines.push(`note: ${note}`);
  return { name: `${plan.status} ${s.symbol} ${s.side} z ${formatZ(s.zScore)}, close ${formatUsd(s.price, { cents: true })}`, value: lines.join('\n') };
}

/** Every scanned ticker failed (no data, or no reading at all): the scan as a whole failed. */
export const everyTickerFailed = (report: CycleReport): boolean =>
  report.results.length > 0 && report.results.every((r) => r.error !== undefined && !r.signal);

/** The reply for a scan of several tickers. */
export function scanReportMessage(report: CycleReport, opts: { title?: string } = {}): Message {
  const st = report.stats;
  const ordered = sizingOrder(report.results);
  const quiet = ordered.filter((r) => !r.signal && !r.error);
  const loud = ordered.filter((r) => r.signal || r.error);
  const lines = [...loud, ...(quiet.length <= MAX_QUIET_LISTED ? quiet : [])].map(resultLine);
  if (quiet.length > MAX_QUIET_LISTED) lines.push(`No breakout: ${quiet.length} tickers`);
  const plans = ordered.flatMap((r) => (r.plan ? [r.plan] : []));
  const { regime } = report;
  const vix = Number.isFinite(regime.vix) ? regime.vix.toFixed(2) : 'n/a';
  const fields: MessageField[] = [
    {
      name: `Regime ${regime.state} (as of ${formatIsoDate(regime.asOf)})`,
      value: [`VIX ${vix}, long ${formatMultiplier(regime.long)}, short ${formatMultiplier(regime.short)}`, ...regime.reasons].join('\n'),
    },
    ...plans.slice(0, MAX_PLANS_SHOWN).map(planField),
  ];
  if (plans.length > MAX_PLANS_SHOWN) fields.push({ name: 'More plans', value: `…and ${plans.length - MAX_PLANS_SHOWN} more` });
  const errors = st.errors > 0 ? `, ${st.errors} error${st.errors === 1 ? '' : 's'}` : '';
  return {
    kind: 'reply',
    title:
      opts.title ??
      `Scan of ${st.scanned} ticker${st.scanned === 1 ? '' : 's'} on ${report.source} data: ${st.signals} signals, ${st.accepted} accepted, ${st.rejected} rejected${errors}`,
    description: lines.join('\n'),
    fields,
    tone: st.accepted > 0 ? (regime.state === 'BEARISH' ? 'bearish' : 'bullish') : 'neutral',
    footer: [report.modeled ? MODELED_NOTE : '', `${Math.round(st.durationMs)} ms, ${st.upstreamRequests} upstream requests.`, PAPER_NOTE]
      .filter(Boolean)
      .join(' '),
    data: scanReportJson(report),
    ...(everyTickerFailed(report) ? { failed: true } : {}),
  };
}

/** The `--json` shape: one object, stable keys. */
export function scanReportJson(report: CycleReport): unknown {
  const { state, vix, long, short, reasons, spy, spySma, asOf } = report.regime;
  return {
    source: report.source,
    modeled: report.modeled,
    regime: { state, vix: Number.isFinite(vix) ? vix : null, long, short, reasons, spy, spySma, asOf },
    results: report.results.map((r) => ({
      symbol: r.symbol,
      signal: r.signal,
      plan: r.plan,
      ...(r.reading && r.reading.status !== 'insufficient-data' ? { zScore: r.reading.zScore } : {}),
      ...(r.held ? { held: true } : {}),
      ...(r.error ? { error: r.error } : {}),
    })),
    stats: report.stats,
  };
}
