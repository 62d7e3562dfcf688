/**
 * `/diary [date]`: the trading diary for a New York date (today when left out). A saved diary is returned
 * exactly as it was posted; today, before the end-of-day diary is written, it is built from the day journal
 * so far; any other day without one gets "No diary for 2026-11-20.".
 */
import { z } from 'zod';
import type { Message } from '../src/notify/message.ts';
import { nyDate } from '../src/analysis/calendar.ts';
import type { CommandServices } from './context.ts';
import { dateArg } from './args.ts';
import { defineCommand } from './spec.ts';

const EXAMPLE = '2026-11-20';

/** The optional date argument of /diary. */
export const DiaryDate = dateArg('Date as YYYY-MM-DD (New York); today when left out', `/diary ${EXAMPLE}`).optional();

const noDiary = (date: string): Message => ({
  kind: 'reply',
  title: `No diary for ${date}.`,
  description: 'A diary is written at the close of each trading day the bot runs.',
  fields: [],
  tone: 'info',
});

/** The /diary reply for `date` (`today` is the current New York date). */
export async function diaryReply(services: Pick<CommandServices, 'savedDiary' | 'diarySoFar'>, date: string, today: string): Promise<Message> {
  const saved = await services.savedDiary(date);
  if (saved) return saved;
  if (date !== today) return noDiary(date);
  const message = await services.diarySoFar(date);
  // Not the end-of-day event, so no dedupe id: the outbox must still post the real diary later.
  const { id: _id, ...rest } = message;
  return { ...rest, title: `${message.title} (so far)` };
}

export const diary = defineCommand({
  name: 'diary',
  description: 'The trading diary: regime, signals, decisions, trades, performance (today so far)',
  args: z.object({ date: DiaryDate }),
  // Today's diary prices each alert's underlying now: may pass Discord's 3 s reply window.
  slow: true,
  example: EXAMPLE,
  async run(ctx, { date }) {
    const today = nyDate(ctx.now());
    return diaryReply(ctx.services, date ?? today, today);
  },
});
