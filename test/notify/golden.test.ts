/**
 * Golden tests: every alert kind rendered for every platform, one reviewable file per alert in ./golden.
 * A change to any wording, number format, entity or embed shows up as a diff there. Regenerate on purpose
 * with `npx vitest run test/notify -u` and read the diff before committing.
 */
import { describe, expect, it } from 'vitest';
import type { FmtString } from 'telegraf/format';
import type { Message } from '../../src/notify/message.ts';
import { regimeAlert, scanDigest, tradeAlert } from '../../src/notify/messages.ts';
import { toDiscordPayloads } from '../../src/notify/render/discord.ts';
import { toPlainText } from '../../src/notify/render/plain.ts';
import { toTelegramTexts } from '../../src/notify/render/telegram.ts';
import * as s from './samples.ts';

/** Telegram text plus its entities, each shown with the text it covers. */
function telegramDoc(parts: FmtString[]): string {
  return parts
    .map((part, i) => {
      const entities = (part.entities ?? []).map(
        (e) => `  ${e.type} @${e.offset}+${e.length} ${JSON.stringify(part.text.slice(e.offset, e.offset + e.length))}`,
      );
      return [`-- message ${i + 1} (${part.text.length} chars, parse_mode: ${String(part.parse_mode)})`, part.text, '-- entities', ...entities].join('\n');
    })
    .join('\n');
}

function goldenDoc(msg: Message): string {
  return [
    `id: ${msg.id}`,
    `kind: ${msg.kind}, tone: ${msg.tone}`,
    `== tweet (${msg.tweet?.length ?? 0} chars)`,
    msg.tweet ?? '',
    '== plain text',
    toPlainText(msg),
    '== telegram',
    telegramDoc(toTelegramTexts(msg)),
    '== discord payloads',
    JSON.stringify(toDiscordPayloads(msg), null, 2),
    '',
  ].join('\n');
}

const cases: [name: string, build: () => Message][] = [
  ['regime-bearish-change', () => regimeAlert(s.regime('BEARISH'), { previous: 'NEUTRAL' })],
  ['regime-neutral-change', () => regimeAlert(s.regime('NEUTRAL'), { previous: 'BEARISH' })],
  ['regime-bullish-startup', () => regimeAlert(s.regime('BULLISH'))],
  ['trade-long-accepted', () => tradeAlert(s.tslaLongAccepted())],
  ['trade-short-accepted', () => tradeAlert(s.nflxShortAccepted())],
  ['trade-rejected-over-cap', () => tradeAlert(s.mstrShortRejected())],
  ['trade-rejected-by-regime', () => tradeAlert(s.aaplLongRejectedByRegime())],
  ['trade-short-accepted-modeled', () => tradeAlert(s.nflxShortAccepted(), { modeled: true })],
  ['digest', () => scanDigest(s.busyReport(), { maxSignals: 3 })],
];

describe('notify golden renderings', () => {
  it.each(cases)('should render %s exactly as in golden/', async (name, build) => {
    await expect(goldenDoc(build())).toMatchFileSnapshot(`golden/${name}.txt`);
  });

  it('should lay out Telegram text exactly like the plain text, entities aside', () => {
    for (const [, build] of cases) expect(toTelegramTexts(build()).map((t) => t.text).join('\n')).toBe(toPlainText(build()));
  });
});
