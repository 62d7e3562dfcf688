/**
 * The trading diary: a full day recorded through the DayJournal (on a MemoryStore) and built into the diary,
 * checked against golden files (./golden/diary-*), plus the wording of each part and the platform limits.
 * Regenerate goldens on purpose with `npx vitest run test/notify -u` and read the diff.
 */
import { embedLength } from 'discord.js';
import type { FmtString } from 'telegraf/format';
import { describe, expect, it } from 'vitest';
import type { DiaryDecision } from '../../src/diary/record.ts';
import { buildDiary, diaryAlerts, diaryTitle, type DiaryInput } from '../../src/diary/diary.ts';
import { markdownToPlain } from '../../src/diary/doc.ts';
import { DISCORD_LIMITS, TELEGRAM_LIMITS } from '../../src/notify/limits.ts';
import { regimeAlert, tradeAlert } from '../../src/notify/messages.ts';
import type { Message } from '../../src/notify/message.ts';
import { DayJournal } from '../../src/diary/journal.ts';
import { toDiscordPayloads } from '../../src/notify/render/discord.ts';
import { toPlainText } from '../../src/notify/render/plain.ts';
import { toTelegramTexts } from '../../src/notify/render/telegram.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import * as s from '../notify/samples.ts';

const DATE = '2026-11-20'; // a Friday: weekly options expire, so an expiry in the diary is realistic
const at = (hhmmEt: string): Date => new Date(`${DATE}T${hhmmEt}:00-05:00`); // New York is on EST in November

const bearish = s.regime('BEARISH', {
  vix: 23.66,
  spy: 659.03,
  spySma: 668.4,
  spyTrend: 659.03 / 668.4 - 1,
  reasons: ['VIX 23.66 > 20', 'SPY 659.03 below its 50-day average 668.40', 'Exposure: long 0.0x, short 1.0x'],
});
const neutral = s.regime('NEUTRAL', {
  vix: 17.9,
  spy: 669.12,
  spySma: 668.4,
  spyTrend: 669.12 / 668.4 - 1,
  reasons: [
    'VIX 17.90 < 18',
    'SPY 669.12 above its 50-day average 668.40',
    'BEARISH released: holding it needs VIX > 18 and SPY below its 50-day average',
    'Exposure: long 0.5x, short 0.5x',
  ],
});
const mstr = s.mstrShortRejected();
const mstrLater = { ...mstr, signal: { ...mstr.signal, zScore: -2.9, price: 229.8 } };

/** The day as the cycle job and the ledger would record it, in order. */
async function recordFullDay(journal: DayJournal): Promise<void> {
  await journal.recordRegime(DATE, at('09:00'), bearish);
  await journal.recordRegime(DATE, at('09:45'), bearish); // unchanged: not a change
  await journal.recordCycle(
    DATE,
    at('09:45'),
    s.report([s.quiet('MSFT'), s.result(s.nflxShortAccepted()), s.result(mstr), s.quiet('GOOG')], { regime: bearish }),
  );
  await journal.recordTweet(DATE, tradeAlert(s.nflxShortAccepted()).tweet ?? '');
  await journal.recordTweet(DATE, tradeAlert(mstr).tweet ?? '');
  await journal.recordTrade(DATE, {
    event: 'opened', at: at('09:46').toISOString(), symbol: 'NFLX', right: 'put', strike: 500, expiry: '2026-11-27',
    contracts: 90, priceUsd: 0.11, amountUsd: 990, pnlUsd: null,
  });
  await journal.recordRegime(DATE, at('12:15'), neutral);
  await journal.recordTweet(DATE, regimeAlert(neutral, { previous: 'BEARISH' }).tweet ?? '');
  await journal.recordCycle(
    DATE,
    at('12:45'),
    s.report(
      [s.result(mstrLater), { symbol: 'XYZ', signal: null, plan: null, error: { kind: 'not_found', message: 'unknown ticker XYZ' } }],
      { regime: neutral },
    ),
  );
  await journal.recordTweet(DATE, tradeAlert(mstr).tweet ?? ''); // sent again: kept once
  await journal.recordTrade(DATE, {
    event: 'expired', at: at('16:00').toISOString(), symbol: 'SPY', right: 'call', strike: 600, expiry: DATE,
    contracts: 5, priceUsd: 0, amountUsd: 0, pnlUsd: -725,
  });
}

/** The end-of-day numbers the ledger and quotes would add. */
const figures = {
  performance: {
    equityUsd: 10_845.4,
    dayPnlUsd: -365,
    drawdownPct: 3.26,
    maxDrawdownPct: 4.1,
    challenge: { startUsd: 10_000, targetUsd: 1_000_000, progressPct: 0.0854, progressLogPct: 1.765, monthlyNeededPct: 46.7, daysElapsed: 6 },
  },
  openPositions: [{ symbol: 'NFLX', right: 'put' as const, strike: 500, expiry: '2026-11-27', contracts: 90, costUsd: 990, valueUsd: 1350, pnlUsd: 360 }],
  scorecard: [
    { symbol: 'NFLX', side: 'SHORT' as const, priceAtAlert: 512.3, priceNow: 495.91 },
    { symbol: 'MSTR', side: 'SHORT' as const, priceAtAlert: 231.5, priceNow: 236.13 },
  ],
  modeled: false,
  source: 'yahoo',
  breakoutK: 2,
};

async function fullDayInput(): Promise<DiaryInput> {
  const journal = new DayJournal(new MemoryStore());
  await recordFullDay(journal);
  return { ...(await journal.day(DATE)), ...figures };
}

const emptyInput = (over: Partial<DiaryInput> = {}): DiaryInput => ({
  date: DATE, regimes: [], cycles: [], tweets: [], trades: [], unreadable: 0,
  performance: null, openPositions: [], scorecard: [], modeled: false, source: 'yahoo', breakoutK: 2, ...over,
});

function telegramDoc(parts: FmtString[]): string {
  return parts.map((p, i) => [`-- message ${i + 1} (${p.text.length} chars)`, p.text, `-- ${p.entities?.length ?? 0} entities`].join('\n')).join('\n');
}

/** Every face of the Message, as in golden.test.ts. */
function messageDoc(msg: Message): string {
  return [
    `id: ${msg.id}`, `kind: ${msg.kind}, tone: ${msg.tone}`, `== tweet (${msg.tweet?.length ?? 0} chars)`, msg.tweet ?? '',
    '== plain text', toPlainText(msg), '== telegram', telegramDoc(toTelegramTexts(msg)),
    '== discord payloads', JSON.stringify(toDiscordPayloads(msg), null, 2), '',
  ].join('\n');
}

describe('trading diary golden files', () => {
  it('should write the full recorded day exactly as in golden/diary-full.md', async () => {
    const diary = buildDiary(await fullDayInput());
    expect(diary.title).toBe('Trading Diary - November 20, 2026');
    await expect(diary.markdown).toMatchFileSnapshot('golden/diary-full.md');
    await expect(messageDoc(diary.message)).toMatchFileSnapshot('golden/diary-full-message.txt');
  });

  it('should write a day with nothing recorded plainly, as in golden/diary-empty.md', async () => {
    const diary = buildDiary(emptyInput());
    await expect(diary.markdown).toMatchFileSnapshot('golden/diary-empty.md');
    expect(diary.message.description).toContain('No scans ran today.');
  });

  it('should turn the saved Markdown back into the same Message text', async () => {
    for (const input of [await fullDayInput(), emptyInput()]) {
      const { markdown, message } = buildDiary(input);
      expect(markdownToPlain(markdown)).toEqual({
        title: message.title.replace('📓 ', ''),
        description: message.description,
        footer: message.footer,
      });
    }
  });
});

describe('trading diary wording', () => {
  it('should explain an accepted trade and a rejection with their reasons', async () => {
    const text = buildDiary(await fullDayInput()).message.description ?? '';
    expect(text).toContain('09:45 NFLX: bought 90x Nov 27 $500 puts at $0.11 ($990). 90 contracts x $0.11 = $990 within $1,000 risk cap.');
    expect(text).toContain('09:45 MSTR put skipped: 1 contract costs $1,240 > $1,000 risk cap. Discipline > Action. Same in 1 later scan.');
  });

  it('should give the regime at open with its reasons and each change with the state it replaced', async () => {
    const text = buildDiary(await fullDayInput()).message.description ?? '';
    expect(text).toContain('Regime at open (09:00 ET): BEARISH 🐻.\n• VIX 23.66 > 20\n• SPY 659.03 below its 50-day average 668.40');
    expect(text).toContain('12:15 ET: regime changed to NEUTRAL ⚖️ (was BEARISH).\n• VIX 17.90 < 18');
  });

  it('should say there were no signals, with the configured threshold, when scans found none', () => {
    const cycle = { at: at('09:45').toISOString(), source: 'yahoo', modeled: false, regime: 'NEUTRAL' as const,
      stats: { scanned: 100, signals: 0, accepted: 0, rejected: 0, errors: 0, durationMs: 1200 }, signals: [], decisions: [], failed: [] };
    const text = buildDiary(emptyInput({ cycles: [cycle], breakoutK: 2.5 })).message.description ?? '';
    expect(text).toContain('Scanner: 1 scan at 09:45 ET of up to 100 tickers.');
    expect(text).toContain('No signals today: the scanner found no breakout beyond 2.5σ.');
  });

  it('should grade each alert by the move of its underlying since the alert', async () => {
    const text = buildDiary(await fullDayInput()).message.description ?? '';
    expect(text).toContain('• $NFLX put: -3.2% since alert ✅');
    expect(text).toContain('• $MSTR put: +2% since alert ❌');
    const unknown = buildDiary(emptyInput({ scorecard: [{ symbol: 'TSLA', side: 'LONG', priceAtAlert: 401.77, priceNow: Number.NaN }] }));
    expect(unknown.message.description).toContain('• $TSLA call: no price to compare ➖');
  });

  it('should list each alerted symbol and side once, at its first price, for the scorecard', async () => {
    expect(diaryAlerts(await fullDayInput())).toEqual([
      { symbol: 'NFLX', side: 'SHORT', priceAtAlert: 512.3 },
      { symbol: 'MSTR', side: 'SHORT', priceAtAlert: 231.5 },
    ]);
  });

  it('should say performance is not tracked, and not invent numbers, while no ledger is attached', async () => {
    const text = buildDiary({ ...(await fullDayInput()), performance: null, openPositions: [] }).message.description ?? '';
    expect(text).toContain('📊 Performance\n\nNot tracked yet: no paper ledger is attached.');
    expect(text).not.toContain('Equity');
  });

  it('should not print a monthly rate when the ledger says none can reach the target', async () => {
    const input = await fullDayInput();
    const performance = { ...figures.performance, challenge: { ...figures.performance.challenge, monthlyNeededPct: null } };
    const text = buildDiary({ ...input, performance }).message.description ?? '';
    expect(text).toContain('• Needed from here: no monthly rate can reach the target any more');
  });

  it('should say when prices were modeled and mark the modeled ones', async () => {
    const input = await fullDayInput();
    const c0 = input.cycles[0];
    if (!c0) throw new Error('fixture has cycles');
    const decisions = c0.decisions.map((d) => (d.contract ? { ...d, contract: { ...d.contract, modeled: true } } : d));
    const diary = buildDiary({ ...input, modeled: true, cycles: [{ ...c0, decisions }] });
    expect(diary.message.description).toContain('at $0.11 (modeled) ($990)');
    expect(diary.message.footer).toContain('Prices marked (modeled) came from a pricing model, not a quote.');
    expect(diary.markdown).toContain('Prices marked (modeled) came from a pricing model, not a quote.');
  });

  it('should end with the paper-trading disclaimer', async () => {
    const { markdown, message } = buildDiary(await fullDayInput());
    expect(markdown.trimEnd().split('\n').slice(-3)).toEqual([
      'Paper trading only: nothing here is a real order. Not financial advice.', '', 'Data: yahoo.',
    ]);
    expect(message.footer).toBe('Paper trading only: nothing here is a real order. Not financial advice. Data: yahoo.');
  });

  it('should number the tweets and keep each within 280 characters', () => {
    const long = `${'word '.repeat(80)}end`;
    const text = buildDiary(emptyInput({ tweets: ['first', long] })).message.description ?? '';
    expect(text).toContain('🐦 Daily tweets\n\n1. first\n2. word');
    const second = text.split('\n').find((l) => l.startsWith('2. ')) ?? '';
    expect(second.length - 3).toBeLessThanOrEqual(280);
  });

  it('should escape Markdown in recorded text so a reason cannot format the file', () => {
    const md = buildDiary(emptyInput({ tweets: ['*not bold* [link](x) <b>', '# not a heading'] })).markdown;
    expect(md).toContain('1. \\*not bold\\* \\[link\\](x) \\<b>');
    expect(md).toContain('2. \\# not a heading');
  });

  it('should title the diary with the date spelled out', () => {
    expect(diaryTitle('2026-01-02')).toBe('Trading Diary - January 2, 2026');
  });
});

describe('trading diary within platform limits', () => {
  /** A day with 40 distinct decisions, long reasons included: far more than one message holds. */
  function busyInput(): DiaryInput {
    const decisions: DiaryDecision[] = Array.from({ length: 40 }, (_, i) => ({
      symbol: `T${String(i).padStart(3, '0')}`, side: 'SHORT', zScore: -2 - i / 10, status: i % 2 ? 'ACCEPTED' : 'REJECTED',
      reason: `${i % 2 ? '9 contracts x $1.10 = $990 within' : '1 contract costs $1,240 >'} $1,000 risk cap; ${'spread and liquidity checked, '.repeat(3)}done`,
      contract: { symbol: `T${i}261127P00100000`, right: 'put', strike: 100, expiry: '2026-11-27', ask: 1.1, modeled: false },
      contracts: i % 2 ? 9 : 0, costUsd: i % 2 ? 990 : 0,
    }));
    const cycle = { at: at('09:45').toISOString(), source: 'yahoo', modeled: false, regime: 'BEARISH' as const,
      stats: { scanned: 100, signals: 40, accepted: 20, rejected: 20, errors: 0, durationMs: 3000 },
      signals: decisions.map((d) => ({ symbol: d.symbol, side: d.side, zScore: d.zScore, price: 100 })), decisions, failed: [] };
    return emptyInput({ cycles: [cycle] });
  }

  it('should split a long diary into several Discord messages, each within every embed limit', () => {
    const payloads = toDiscordPayloads(buildDiary(busyInput()).message);
    expect(payloads.length).toBeGreaterThan(1);
    for (const payload of payloads) {
      expect(payload.content.length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
      expect(payload.embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedsPerMessage);
      expect(payload.embeds.reduce((sum, e) => sum + embedLength(e), 0)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
      for (const embed of payload.embeds) expect(embed.description?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
    }
    const shown = payloads.flatMap((p) => p.embeds.map((e) => e.description ?? '')).join('\n');
    expect(shown).toContain('T039'); // nothing dropped: the last decision made it
  });

  it('should split a long diary into several Telegram messages of at most 4096 characters', () => {
    const texts = toTelegramTexts(buildDiary(busyInput()).message);
    expect(texts.length).toBeGreaterThan(1);
    for (const t of texts) expect(t.text.length).toBeLessThanOrEqual(TELEGRAM_LIMITS.text);
    expect(texts.map((t) => t.text).join('\n')).toContain('T039');
  });
});
