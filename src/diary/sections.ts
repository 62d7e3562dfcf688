/**
 * @module The four sections of the trading diary (thinking process, trades, performance, tweets) as
 * DocSections. Pure; times are New York wall-clock ("09:45"), money and percentages go through ./format.ts.
 */
import type { RegimeState, Side } from '../core/types.ts';
import type { DocBlock, DocSection } from './doc.ts';
import {
  diaryAlerts,
  type DiaryCycleEntry,
  type DiaryDecision,
  type DiaryInput,
  type DiaryPositionLine,
  type DiaryScoreLine,
  type DiaryTradeLine,
} from './record.ts';
import { formatCompactUsd, formatExpiry, formatPct, formatUsd, formatZ } from '../notify/format.ts';
import { TWEET_MAX_CHARS } from '../notify/limits.ts';
import { truncateAtWord } from '../notify/text.ts';

/** Strongest signals named in the thinking process; the rest are counted. */
export const TOP_SIGNALS = 5;

const REGIME_EMOJI: Record<RegimeState, string> = { BULLISH: '🐂', NEUTRAL: '⚖️', BEARISH: '🐻' };
const nyClock = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** "09:45" in New York for an ISO instant. */
const time = (iso: string): string => nyClock.format(new Date(iso));
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
/** End with one full stop unless the text already ends in punctuation. */
const sentence = (s: string): string => (/[.!?…]$/u.test(s.trim()) ? s.trim() : `${s.trim()}.`);
/** "+$360", "-$915", "$0". */
const signedUsd = (usd: number): string => (usd > 0 ? `+${formatUsd(usd)}` : formatUsd(usd));
/** A percentage number (12.5 = 12.5%) for display. */
const pct = (percent: number, digits = 1): string => formatPct(percent / 100, { digits });
const rightOf = (side: Side): 'call' | 'put' => (side === 'LONG' ? 'call' : 'put');

/** "90x Nov 27 $500 puts". */
function contractText(c: { contracts: number; expiry: string; strike: number; right: 'call' | 'put' }): string {
  const expiry = formatExpiry(new Date(`${c.expiry}T00:00:00Z`));
  return `${c.contracts}x ${expiry} ${formatUsd(c.strike)} ${c.right}${c.contracts === 1 ? '' : 's'}`;
}

function regimeBlocks(input: DiaryInput): DocBlock[] {
  const [open, ...changes] = input.regimes;
  if (!open) return [{ lead: 'Regime: not checked today.' }];
  const still = changes.length === 0 ? ', no change during the day' : '';
  const blocks: DocBlock[] = [
    { lead: `Regime at open (${time(open.at)} ET): ${open.state} ${REGIME_EMOJI[open.state]}${still}.`, items: open.reasons },
  ];
  let was = open.state;
  for (const change of changes) {
    blocks.push({
      lead: `${time(change.at)} ET: regime changed to ${change.state} ${REGIME_EMOJI[change.state]} (was ${was}).`,
      items: change.reasons,
    });
    was = change.state;
  }
  return blocks;
}

/** "2 scans from 09:45 to 12:45 ET of up to 100 tickers; 1 data error (XYZ)." */
function scansLead(cycles: DiaryCycleEntry[]): string {
  const first = cycles[0];
  const last = cycles.at(-1);
  if (!first || !last) return 'No scans ran today.';
  const when = cycles.length === 1 ? `at ${time(first.at)} ET` : `from ${time(first.at)} to ${time(last.at)} ET`;
  const tickers = Math.max(...cycles.map((c) => c.stats.scanned));
  const errors = cycles.reduce((sum, c) => sum + c.stats.errors, 0);
  const failed = [...new Set(cycles.flatMap((c) => c.failed))];
  const errorText = errors > 0 ? `; ${plural(errors, 'data error')}${failed.length > 0 ? ` (${failed.join(', ')})` : ''}` : '';
  return `Scanner: ${plural(cycles.length, 'scan')} ${when} of up to ${plural(tickers, 'ticker')}${errorText}.`;
}

function signalBlocks(input: DiaryInput): DocBlock[] {
  if (input.cycles.length === 0) return [{ lead: scansLead(input.cycles) }];
  const strongest = new Map<string, DiaryCycleEntry['signals'][number]>();
  for (const s of input.cycles.flatMap((c) => c.signals)) {
    const key = `${s.symbol}:${s.side}`;
    const best = strongest.get(key);
    if (!best || Math.abs(s.zScore) > Math.abs(best.zScore)) strongest.set(key, s);
  }
  const ranked = [...strongest.values()].sort(
    (a, b) => Math.abs(b.zScore) - Math.abs(a.zScore) || a.symbol.localeCompare(b.symbol),
  );
  const k = `${Number(input.breakoutK.toFixed(2))}σ`;
  if (ranked.length === 0) {
    return [{ lead: scansLead(input.cycles) }, { lead: `No signals today: the scanner found no breakout beyond ${k}.` }];
  }
  const shorts = ranked.filter((s) => s.side === 'SHORT').length;
  const shown = ranked.slice(0, TOP_SIGNALS);
  const which = ranked.length > shown.length ? `strongest ${shown.length}` : 'strongest first';
  return [
    { lead: scansLead(input.cycles) },
    {
      lead: `Found ${plural(ranked.length, 'breakout')} beyond ${k} (${shorts} short, ${ranked.length - shorts} long), ${which}:`,
      items: shown.map((s) => `${s.symbol} ${s.side} z ${formatZ(s.zScore)} at ${formatUsd(s.price, { cents: true })}`),
    },
  ];
}

/** "09:45 NFLX: bought 90x Nov 27 $500 puts at $0.11 ($990). <reason>." or "… MSTR put skipped: <reason>. Discipline > Action." */
function decisionText(at: string, d: DiaryDecision): string {
  const c = d.contract;
  if (d.status === 'ACCEPTED' && c) {
    const ask = `${formatUsd(c.ask, { cents: true })}${c.modeled ? ' (modeled)' : ''}`;
    const what = contractText({ contracts: d.contracts, expiry: c.expiry, strike: c.strike, right: c.right });
    return `${time(at)} ${d.symbol}: bought ${what} at ${ask} (${formatUsd(d.costUsd)}). ${sentence(d.reason)}`;
  }
  if (d.status === 'ACCEPTED') return `${time(at)} ${d.symbol}: accepted (${formatUsd(d.costUsd)}). ${sentence(d.reason)}`;
  return `${time(at)} ${d.symbol} ${c?.right ?? rightOf(d.side)} skipped: ${sentence(d.reason)} Discipline > Action.`;
}

/** Each symbol, side and status once (a daily breakout fires again every scan), with how often it recurred. */
function decisionBlocks(input: DiaryInput): DocBlock[] {
  const first = new Map<string, { at: string; decision: DiaryDecision; repeats: number }>();
  for (const cycle of input.cycles) {
    for (const d of cycle.decisions) {
      const key = `${d.symbol}:${d.side}:${d.status}`;
      const seen = first.get(key);
      if (seen) seen.repeats++;
      else first.set(key, { at: cycle.at, decision: d, repeats: 0 });
    }
  }
  if (first.size === 0) return [];
  const items = [...first.values()].map(({ at, decision, repeats }) => {
    const again = repeats > 0 ? ` Same in ${plural(repeats, 'later scan')}.` : '';
    return `${decisionText(at, decision)}${again}`;
  });
  return [{ lead: 'Decisions (times ET):', items }];
}

/** The thinking process: regime, what the scanner found, each decision and its reason. */
export function thinkingSection(input: DiaryInput): DocSection {
  const blocks = [...regimeBlocks(input), ...signalBlocks(input), ...decisionBlocks(input)];
  if (input.unreadable > 0) {
    blocks.push({ lead: `Note: ${plural(input.unreadable, 'journal entry')} could not be read and ${input.unreadable === 1 ? 'is' : 'are'} left out.` });
  }
  return { heading: '🧠 Thinking process', blocks };
}

function tradeText(t: DiaryTradeLine): string {
  const what = `${t.symbol} ${contractText(t)}`;
  const at = `${formatUsd(t.priceUsd, { cents: true })} (${formatUsd(t.amountUsd)})`;
  const pnl = t.pnlUsd === null ? '' : `: P&L ${signedUsd(t.pnlUsd)}`;
  const note = t.note ? ` ${sentence(t.note)}` : '';
  const body = {
    opened: `opened ${what} at ${at}`,
    closed: `closed ${what} at ${at}${pnl}`,
    stopped: `stopped out of ${what} at ${at}${pnl}`,
    expired: t.priceUsd === 0 ? `${what} expired worthless${pnl}` : `${what} expired at ${at} intrinsic${pnl}`,
  }[t.event];
  return `${time(t.at)} ${body}.${note}`;
}

function positionText(p: DiaryPositionLine): string {
  const paidUsd = p.costUsd + (p.feesUsd ?? 0);
  const change = paidUsd > 0 ? ` (${formatPct(p.pnlUsd / paidUsd, { signed: true })})` : '';
  return `${p.symbol} ${contractText(p)}: cost ${formatUsd(p.costUsd)}, now ${formatUsd(p.valueUsd)}${p.modeled ? ' (modeled)' : ''}, P&L ${signedUsd(p.pnlUsd)}${change}.`;
}

/** Trades: every position event of the day with its P&L, the realised total and what is still open. */
export function tradesSection(input: DiaryInput): DocSection {
  const noLedger = input.performance === null;
  const blocks: DocBlock[] = [];
  if (input.trades.length === 0) {
    blocks.push({ lead: noLedger ? 'No position events recorded: no paper ledger is attached.' : 'No positions opened or closed today.' });
  } else {
    blocks.push({ lead: 'Position events (times ET):', items: input.trades.map(tradeText) });
    const closing = input.trades.filter((t) => t.pnlUsd !== null);
    if (closing.length > 0) {
      blocks.push({ lead: `Realized P&L today: ${signedUsd(closing.reduce((sum, t) => sum + (t.pnlUsd ?? 0), 0))}.` });
    }
  }
  if (input.openPositions.length > 0) blocks.push({ lead: 'Still open:', items: input.openPositions.map(positionText) });
  else if (!noLedger) blocks.push({ lead: 'No positions open at the close.' });
  return { heading: '💼 Trades', blocks };
}

/** "$NFLX put: -3.2% since alert ✅": ✅ when the underlying moved the way the alert bet, ❌ against, ➖ flat or unknown. */
export function scoreText(s: DiaryScoreLine): string {
  const move = s.priceNow / s.priceAtAlert - 1;
  const head = `$${s.symbol} ${rightOf(s.side)}`;
  if (!Number.isFinite(move) || s.priceAtAlert <= 0) return `${head}: no price to compare ➖`;
  const favourable = s.side === 'LONG' ? move > 0 : move < 0;
  const mark = move === 0 ? '➖' : favourable ? '✅' : '❌';
  return `${head}: ${formatPct(move, { signed: true })} since alert ${mark}`;
}

/** Performance: equity, day P&L, drawdown, the challenge, and the scorecard of today's alerts. */
export function performanceSection(input: DiaryInput): DocSection {
  const blocks: DocBlock[] = [];
  const p = input.performance;
  if (!p) {
    blocks.push({ lead: 'Not tracked yet: no paper ledger is attached.' });
  } else {
    const c = p.challenge;
    const drawdown = p.drawdownPct > 0 ? `${pct(p.drawdownPct)} below the peak` : 'none, at the peak';
    blocks.push({
      items: [
        `Equity: ${formatUsd(p.equityUsd)} (open positions at the mid${input.openPositions.some((o) => o.modeled) ? ', modeled' : ''}), day P&L ${signedUsd(p.dayPnlUsd)}`,
        `Drawdown: ${drawdown} (max ${pct(p.maxDrawdownPct)})`,
        `Challenge ${formatCompactUsd(c.startUsd)} → ${formatCompactUsd(c.targetUsd)}: ${pct(c.progressPct, 2)} of the way, ${pct(c.progressLogPct)} on a log scale, day ${c.daysElapsed}`,
        c.monthlyNeededPct === null
          ? 'Needed from here: no monthly rate can reach the target any more'
          : `Needed from here: ${pct(c.monthlyNeededPct)} a month`,
      ],
    });
  }
  if (input.scorecard.length > 0) {
    blocks.push({ lead: 'Scorecard of today\'s alerts (underlying since the alert):', items: input.scorecard.map(scoreText) });
  } else if (diaryAlerts(input).length > 0) {
    blocks.push({ lead: 'Scorecard: no prices to compare yet.' });
  }
  return { heading: '📊 Performance', blocks };
}

/** The day's tweet lines, numbered, each within 280 characters. */
export function tweetsSection(input: DiaryInput): DocSection {
  if (input.tweets.length === 0) return { heading: '🐦 Daily tweets', blocks: [{ lead: 'No tweets today.' }] };
  return {
    heading: '🐦 Daily tweets',
    blocks: [{ items: input.tweets.map((t) => truncateAtWord(t, TWEET_MAX_CHARS)), ordered: true }],
  };
}
