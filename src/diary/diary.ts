/**
 * @module The end-of-day trading diary: a day's journal plus the ledger's closing numbers -> "Trading Diary -
 * November 20, 2026" as Markdown (the saved file) and as a Message (Discord embeds, Telegram text, console).
 * Pure: no I/O, no clock; every number comes from the input and is rounded only by ./format.ts. The input is
 * plain data so the ledger, the scheduler and `/diary` can each fill it without this module importing them.
 */
import { alertId } from '../notify/alert-id.ts';
import { formatCompactUsd } from '../notify/format.ts';
import { diaryAlerts, type DiaryInput } from './record.ts';
import { docToMarkdown, docToPlain, type DiaryDoc } from './doc.ts';
import { performanceSection, thinkingSection, tradesSection, tweetsSection } from './sections.ts';
import type { Message } from '../notify/message.ts';
import { composeTweet } from '../notify/tweet.ts';

// The input types live beside the journal's record types (both are what a diary is built from); they are
// re-exported here so callers import the diary's API from one place.
export {
  diaryAlerts,
  type DiaryChallenge,
  type DiaryDayRecord,
  type DiaryInput,
  type DiaryPerformance,
  type DiaryPositionLine,
  type DiaryScoreLine,
  type DiaryTradeLine,
} from './record.ts';

/** The diary in its three forms: title, the Markdown file and the Message sent to chats. */
export type Diary = { title: string; markdown: string; message: Message };

export const DIARY_DISCLAIMER = 'Paper trading only: nothing here is a real order. Not financial advice.';
export const DIARY_MODELED_NOTE = 'Prices marked (modeled) came from a pricing model, not a quote.';

const longDate = new Intl.DateTimeFormat('en-US', { month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
const shortDate = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const utcDay = (date: string): Date => new Date(`${date}T00:00:00Z`);

/** "Trading Diary - November 20, 2026" for 2026-11-20. */
export function diaryTitle(date: string): string {
  return `Trading Diary - ${longDate.format(utcDay(date))}`;
}

/** One line for notifications: the day in a glance, within 280 characters. */
function diaryTweet(input: DiaryInput): string {
  const states = input.regimes.map((r) => r.state);
  const signals = diaryAlerts(input).length;
  const opened = input.trades.filter((t) => t.event === 'opened').length;
  const p = input.performance;
  return composeTweet([
    { text: `📓 Trading Diary ${shortDate.format(utcDay(input.date))}:` },
    { text: states.length > 0 ? `${states.join(' → ')}.` : '', dropRank: 2 },
    { text: `${signals} signal${signals === 1 ? '' : 's'}, ${opened} trade${opened === 1 ? '' : 's'} opened.` },
    {
      text: p ? `Equity ${formatCompactUsd(p.equityUsd)} (${p.dayPnlUsd >= 0 ? '+' : ''}${formatCompactUsd(p.dayPnlUsd)} today).` : '',
    },
    { text: 'Paper trading, not financial advice.' },
    { text: '#TradingDiary', dropRank: 1 },
  ]);
}

/** The diary document: sections in reading order, the disclaimer (and modeled note) last. */
export function diaryDoc(input: DiaryInput): DiaryDoc {
  const closing = [DIARY_DISCLAIMER];
  if (input.modeled) closing.push(DIARY_MODELED_NOTE);
  closing.push(`Data: ${input.source}.`);
  return {
    title: diaryTitle(input.date),
    sections: [thinkingSection(input), tradesSection(input), performanceSection(input), tweetsSection(input)],
    closing,
  };
}

/** Build the diary for one day. Days with nothing recorded say so plainly rather than coming out empty. */
export function buildDiary(input: DiaryInput): Diary {
  const doc = diaryDoc(input);
  return {
    title: doc.title,
    markdown: docToMarkdown(doc),
    message: {
      kind: 'diary',
      id: alertId({ kind: 'diary', asOf: utcDay(input.date) }),
      tweet: diaryTweet(input),
      title: `📓 ${doc.title}`,
      description: docToPlain(doc),
      fields: [],
      tone: 'info',
      footer: doc.closing.join(' '),
    },
  };
}
