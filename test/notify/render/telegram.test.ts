import { describe, expect, it } from 'vitest';
import { bold, fmt, join } from 'telegraf/format';
import type { FmtString } from 'telegraf/format';
import type { Message } from '../../../src/notify/message.ts';
import { tradeAlert } from '../../../src/notify/messages.ts';
import { splitFmt, toTelegramTexts } from '../../../src/notify/render/telegram.ts';
import * as s from '../samples.ts';

/** What Telegram checks: entities inside the text, non-empty, and the text within 1..4096 without edge whitespace. */
function expectValid(part: FmtString): void {
  expect(part.text.length).toBeGreaterThan(0);
  expect(part.text.length).toBeLessThanOrEqual(4096);
  expect(part.text).toBe(part.text.trim());
  expect(part.parse_mode).toBeUndefined();
  for (const e of part.entities ?? []) {
    expect(e.offset).toBeGreaterThanOrEqual(0);
    expect(e.length).toBeGreaterThan(0);
    expect(e.offset + e.length).toBeLessThanOrEqual(part.text.length);
  }
}

const covered = (part: FmtString): string[] =>
  (part.entities ?? []).map((e) => `${e.type}:${part.text.slice(e.offset, e.offset + e.length)}`);

describe('notify/render/telegram', () => {
  it('should send a reason full of markdown characters verbatim, formatting only through entities', () => {
    const plan = s.mstrShortRejected();
    plan.reason = 'spread_too_wide *and* [stale] quote! (ask 12.40 - bid 0.00) ~ `x` > #y';
    plan.signal = { ...plan.signal, symbol: 'BRK.B' };
    const [part, ...rest] = toTelegramTexts(tradeAlert(plan));
    expect(rest).toEqual([]);
    expectValid(part!);
    expect(part!.text).toContain(`\n\n${plan.reason}\n\n`);
    expect(covered(part!).slice(0, 3)).toEqual(['bold:⛔ BRK.B breakdown: put skipped', 'bold:Side', 'bold:Z-score']);
    expect(covered(part!).at(-1)).toBe('italic:Paper trade, not financial advice.');
  });

  it('should split a 10,000-character description at 4096 on line boundaries, losing nothing', () => {
    const lines = Array.from({ length: 200 }, (_, i) => `${String(i).padStart(3, '0')} ${'x'.repeat(45)}`);
    const msg: Message = {
      kind: 'diary',
      title: 'Diary',
      description: lines.join('\n'),
      fields: [{ name: 'Total', value: '$990' }],
      tone: 'info',
      footer: 'end',
    };
    expect(msg.description!.length).toBe(9999);
    const parts = toTelegramTexts(msg);
    expect(parts.length).toBe(3);
    for (const part of parts) expectValid(part);
    expect(parts[0]!.text.split('\n').at(-1)).toMatch(/^\d{3} x{45}$/); // a whole line, not a cut one
    expect(parts.map((p) => p.text).join('\n')).toBe(`Diary\n\n${msg.description}\n\nTotal: $990\n\nend`);
    expect(parts.flatMap(covered)).toEqual(['bold:Diary', 'bold:Total', 'italic:end']);
  });

  it('should split an entity that spans the cut into valid pieces on both sides', () => {
    const text = join([fmt`${'a'.repeat(10)}`, bold(`${'b'.repeat(5)}\n${'c'.repeat(5)}`), fmt`${'d'.repeat(3)}`], '\n');
    const parts = splitFmt(text, 16);
    expect(parts.map((p) => p.text)).toEqual([`${'a'.repeat(10)}\nbbbbb`, 'ccccc\nddd']);
    for (const part of parts) expectValid(part);
    expect(parts[0]!.entities).toEqual([{ type: 'bold', offset: 11, length: 5 }]);
    expect(parts[1]!.entities).toEqual([{ type: 'bold', offset: 0, length: 5 }]);
  });
});
