/**
 * `/scan [tickers...]`: the regime plus each ticker's breakout reading and sized plan, as a cycle would make
 * them (the universe and every watchlist when no ticker is given). One ticker gets the full trade card and its
 * chart (closes, the ±kσ band, the breakout bar, the strike picked).
 */
import { z } from 'zod';
import type { Regime } from '../src/core/types.ts';
import { redactAndClip } from '../src/core/errors.ts';
import { formatIsoDate, formatMultiplier, formatPct, formatUsd, formatZ } from '../src/notify/format.ts';
import type { Message, MessageField } from '../src/notify/message.ts';
import { tradeAlert } from '../src/notify/messages.ts';
import type { TickerResult } from '../src/scanner/types.ts';
import { scanReportJson, scanReportMessage } from '../src/notify/scan-report.ts';
import { tickerListArg, universeTickerList } from './args.ts';
import { defineCommand } from './spec.ts';

/** What a user can do about each kind of failure; upstream text stays in the logs of the data layer. */
const ERROR_TEXT: Record<NonNullable<TickerResult['error']>['kind'], string> = {
  not_found: 'not found',
  rate_limited: 'the data source is rate limiting us, try again in a minute',
  upstream: 'the data source is unavailable, try again later',
  bad_data: 'the data source sent data we could not use',
  internal: 'the data could not be read',
};

/**
 * What to say about a ticker the data source does not know: its own words when it addresses the user (they
 * name the symbol first, e.g. replay's "NFLX: not in the recorded data; it has AAPL, ..."), else a hint.
 */
function notFoundHelp(r: TickerResult): { description?: string } {
  if (r.error?.kind !== 'not_found') return {};
  const own = r.error.message.startsWith(`${r.symbol}: `);
  return { description: own ? redactAndClip(r.error.message, [], 600) : `No price data for ${r.symbol}; check the ticker.` };
}

const regimeField = (regime: Regime): MessageField => ({
  name: 'Regime',
  value: `${regime.state} · long ${formatMultiplier(regime.long)} / short ${formatMultiplier(regime.short)}`,
  inline: true,
});

const reply = (title: string, regime: Regime, more: Partial<Message> = {}): Message => ({
  kind: 'reply',
  title,
  fields: [regimeField(regime), ...(more.fields ?? [])],
  tone: more.tone ?? 'neutral',
  footer: `Data as of ${formatIsoDate(regime.asOf)}`,
  ...(more.description ? { description: more.description } : {}),
  ...(more.failed ? { failed: true } : {}),
});

/** The reply for one scanned ticker; `k` is the |z| threshold a breakout needs. */
export function scanReply(regime: Regime, r: TickerResult, k: number): Message {
  if (r.plan) {
    // An answer, not an alert: nothing was bought, so say what the bot would do and drop the alert's id and tweet.
    const { id: _id, tweet: _tweet, ...alert } = tradeAlert(r.plan);
    return { ...alert, kind: 'reply', title: alert.title.replace(': buying ', ': would buy ') };
  }
  if (r.held && r.signal) {
    return reply(`${r.symbol} ${r.signal.side} breakout (z = ${formatZ(r.signal.zScore)}): a paper position is already open`, regime, {
      description: 'It is not sized again; see /positions.',
    });
  }
  if (r.error && !r.signal) {
    return reply(`${r.symbol}: ${ERROR_TEXT[r.error.kind]}`, regime, { tone: 'warning', ...notFoundHelp(r), failed: true });
  }
  if (r.signal) {
    // A signal without a plan: the option chain could not be had. Say so rather than pretend there was no move.
    const why = r.error ? redactAndClip(r.error.message, [], 300) : 'no plan was made';
    return reply(`${r.symbol} ${r.signal.side} breakout (z = ${formatZ(r.signal.zScore)}) but no trade plan`, regime, {
      tone: 'warning',
      description: why,
    });
  }
  const reading = r.reading;
  if (!reading || reading.status === 'insufficient-data') {
    const detail = reading ? ` (${reading.barsGiven} daily bars, needs ${reading.barsNeeded})` : '';
    return reply(`${r.symbol}: not enough price history${detail}`, regime);
  }
  return reply(`No breakout on ${r.symbol}: z = ${formatZ(reading.zScore)}, needs |z| >= ${Number(k.toFixed(2))}`, regime, {
    fields: [
      {
        name: 'Move',
        value: `${formatPct(reading.dailyReturn, { signed: true })} to ${formatUsd(reading.price, { cents: true })} (σ ${formatPct(reading.sigma)})`,
        inline: true,
      },
    ],
  });
}

export const scan = defineCommand({
  name: 'scan',
  description: 'Scan tickers (the whole universe without any) for volatility breakouts and size paper trades',
  args: z.object({ tickers: tickerListArg('Ticker symbols, e.g. TSLA or AAPL TSLA; the universe when left out').optional() }),
  rest: true,
  example: 'TSLA',
  slow: true,
  rateLimited: true,
  autocomplete: { tickers: universeTickerList },
  async run(ctx, { tickers }) {
    const report = await ctx.services.scan(tickers, {
      onProgress: (p) =>
        ctx.progress(`scanning: ${p.done}/${p.total} tickers${p.signals > 0 ? `, ${p.signals} signals` : ''}${p.errors > 0 ? `, ${p.errors} failed` : ''}`),
    });
    const only = tickers?.length === 1 ? report.results[0] : undefined;
    if (!only) return scanReportMessage(report);
    const { breakout } = ctx.services;
    // Loaded here, not at start-up: every CLI command loads this file, few draw a chart.
    const { resultChart } = await import('../src/notify/chart-message.ts');
    const chart = resultChart(only, report.regime, breakout);
    return { ...scanReply(report.regime, only, breakout.k), ...(chart ? { chart } : {}), data: scanReportJson(report) };
  },
});
