/**
 * `/close all` (admin): every open paper position sold at its bid, after a confirmation. The first call answers
 * with Confirm and Cancel buttons; Confirm carries its own deadline (`confirm` = the expiry's epoch seconds in
 * base 36), so any instance can check it without shared state, and a press after it closes nothing.
 */
import { z } from 'zod';
import { formatUsd } from '../src/core/money.ts';
import { contractLabel, formatPnl } from '../src/notify/exit-alert.ts';
import type { Message, MessageField } from '../src/notify/message.ts';
import type { CommandContext } from './spec.ts';

/** How long the Confirm button works. */
export const CLOSE_ALL_CONFIRM_MS = 60_000;

/** The `confirm` argument: the Confirm button's deadline, or Cancel's word. */
export const ConfirmArg = z
  .string()
  .regex(/^([0-9a-z]{1,10}|cancel)$/, { message: 'a code from the Confirm button of /close all, or cancel' })
  .describe('Filled in by the buttons of /close all; leave it empty');

const reply = (title: string, more: Partial<Message> = {}): Message => ({ kind: 'reply', title, fields: [], tone: 'info', ...more });

/** The answer to `/close all [confirm]` at `ctx.now()`. */
export async function closeAll(ctx: CommandContext, confirm: string | undefined): Promise<Message> {
  const now = ctx.now();
  if (confirm === 'cancel') return reply('Closing all positions cancelled: nothing was sold.');
  const { open } = await ctx.services.positions(now);
  if (confirm === undefined) {
    if (open.length === 0) return reply('No open paper positions to close.');
    const code = Math.floor((now.getTime() + CLOSE_ALL_CONFIRM_MS) / 1000).toString(36);
    return reply(`Close all ${open.length} open paper position${open.length === 1 ? '' : 's'} at the bid?`, {
      description: open.map((p) => `#${p.id} ${contractLabel(p)} x${p.contracts}`).join('\n'),
      tone: 'warning',
      footer: `Confirm within ${CLOSE_ALL_CONFIRM_MS / 1000} s. Paper trades only.`,
      actions: [
        { label: 'Confirm', command: 'close', args: ['all', code], edit: true, style: 'danger' },
        { label: 'Cancel', command: 'close', args: ['all', 'cancel'], edit: true },
      ],
    });
  }
  if (now.getTime() > Number.parseInt(confirm, 36) * 1000) {
    return reply('This confirmation expired: nothing was sold. Run /close all again.', { tone: 'warning' });
  }
  const fields: MessageField[] = [];
  let pnlUsd = 0;
  for (const p of open) {
    const event = await ctx.services.closePosition(p.id, now);
    if ('closed' in event) {
      fields.push({ name: `#${p.id} ${contractLabel(p)}`, value: `not closed: already ${event.status}` });
      continue;
    }
    pnlUsd += event.pnlUsd;
    fields.push({ name: `#${p.id} ${contractLabel(p)} x${p.contracts}`, value: `${event.reason}: ${formatPnl(event.pnlUsd, event.pnlFraction)}` });
  }
  const closed = fields.filter((f) => !f.value.startsWith('not closed')).length;
  return reply(`Closed ${closed} paper position${closed === 1 ? '' : 's'} at the bid: ${pnlUsd >= 0 ? '+' : '-'}${formatUsd(Math.abs(pnlUsd))}`, {
    fields: fields.slice(0, 24),
    tone: pnlUsd >= 0 ? 'bullish' : 'bearish',
    footer: 'Each exit also goes out as a reply to its trade alert. Paper trades, not financial advice.',
  });
}
