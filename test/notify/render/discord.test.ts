import { embedLength } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { DISCORD_LIMITS as L } from '../../../src/notify/limits.ts';
import type { Message } from '../../../src/notify/message.ts';
import { tradeAlert } from '../../../src/notify/messages.ts';
import { TONE_COLORS, toDiscordPayload, toDiscordPayloads } from '../../../src/notify/render/discord.ts';
import * as s from '../samples.ts';

/** A message over every Discord limit at once. */
function hugeMessage(): Message {
  return {
    kind: 'diary',
    tweet: 't'.repeat(2500),
    title: 'T'.repeat(300),
    description: Array.from({ length: 250 }, (_, i) => `line ${String(i).padStart(3, '0')} ${'d'.repeat(30)}`).join('\n'),
    fields: Array.from({ length: 40 }, (_, i) => ({ name: `${i} ${'n'.repeat(300)}`, value: `${i} ${'v'.repeat(1100)}` })),
    tone: 'warning',
    footer: 'f'.repeat(2100),
  };
}

describe('notify/render/discord', () => {
  it('should colour by tone, never parse mentions and put the tweet in content', () => {
    const payload = toDiscordPayload(tradeAlert(s.nflxShortAccepted()));
    expect(payload.allowed_mentions).toEqual({ parse: [] });
    expect(payload.embeds[0]?.color).toBe(TONE_COLORS.bearish);
    expect(payload.content).toMatch(/^📉 Trade Alert: \$NFLX breakdown\./);
  });

  it('should escape markdown so a reason cannot turn bold, strike through or become a heading', () => {
    const plan = s.mstrShortRejected();
    plan.reason = '*cap* hit_by __spread__ ~~x~~\n# not a heading\n- not a bullet';
    const embed = toDiscordPayload(tradeAlert(plan)).embeds[0];
    expect(embed?.description).toBe('\\*cap\\* hit\\_by \\_\\_spread\\_\\_ \\~\\~x\\~\\~\n\\# not a heading\n\\- not a bullet');
  });

  it('should replace empty field text with a zero-width space, which Discord accepts', () => {
    const msg: Message = { kind: 'reply', title: 'x', fields: [{ name: '', value: '' }], tone: 'info' };
    expect(toDiscordPayload(msg).embeds[0]?.fields).toEqual([{ name: '\u200b', value: '\u200b' }]);
  });

  it('should keep a huge message within every limit, splitting instead of losing description or fields', () => {
    const msg = hugeMessage();
    const payloads = toDiscordPayloads(msg);
    expect(payloads.length).toBeGreaterThan(1);
    for (const [i, payload] of payloads.entries()) {
      expect(payload.content.length).toBeLessThanOrEqual(L.content);
      if (i > 0) expect(payload.content).toBe('');
      expect(payload.embeds.length).toBeLessThanOrEqual(L.embedsPerMessage);
      expect(payload.embeds.reduce((sum, e) => sum + embedLength(e), 0)).toBeLessThanOrEqual(L.embedTotal);
      for (const e of payload.embeds) {
        expect(e.title?.length ?? 0).toBeLessThanOrEqual(L.embedTitle);
        expect(e.description?.length ?? 0).toBeLessThanOrEqual(L.embedDescription);
        expect(e.fields?.length ?? 0).toBeLessThanOrEqual(L.embedFields);
        for (const f of e.fields ?? []) {
          expect(f.name.length).toBeLessThanOrEqual(L.fieldName);
          expect(f.value.length).toBeLessThanOrEqual(L.fieldValue);
        }
        expect(e.footer?.text.length ?? 0).toBeLessThanOrEqual(L.footerText);
        expect(e.color).toBe(TONE_COLORS.warning);
      }
    }
    const embeds = payloads.flatMap((p) => p.embeds);
    expect(embeds[0]?.title).toBe(`${'T'.repeat(255)}…`);
    expect(payloads[0]?.content).toBe(`${'t'.repeat(1999)}…`);
    expect(embeds.flatMap((e) => (e.description ? [e.description] : [])).join('\n')).toBe(msg.description);
    expect(embeds.flatMap((e) => e.fields ?? []).map((f) => f.name.split(' ')[0])).toEqual(msg.fields.map((_, i) => String(i)));
    expect(embeds.at(-1)?.footer?.text).toBe(`${'f'.repeat(2047)}…`);
  });

  it('should refuse to squeeze a multi-message payload into one', () => {
    expect(() => toDiscordPayload(hugeMessage())).toThrow(/needs \d+ Discord messages; use toDiscordPayloads/);
  });
});
