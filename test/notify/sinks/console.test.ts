import { describe, expect, it } from 'vitest';
import { tradeAlert } from '../../../src/notify/messages.ts';
import { toPlainText } from '../../../src/notify/render/plain.ts';
import { createConsoleSink } from '../../../src/notify/sinks/console.ts';
import * as s from '../samples.ts';

describe('notify/sinks/console', () => {
  it('should print the plain text and answer with the alert id', async () => {
    const out: string[] = [];
    const sink = createConsoleSink((text) => out.push(text));
    const msg = tradeAlert(s.nflxShortAccepted());
    expect(sink.destinations()).toEqual(['console:stdout']);
    expect(await sink.sendPart('console:stdout', msg, 0)).toEqual({ messageId: msg.id });
    expect(out).toEqual([`${toPlainText(msg)}\n${'-'.repeat(40)}\n`]);
  });

  it('should number messages without an id', async () => {
    const sink = createConsoleSink(() => {});
    const reply = { kind: 'reply' as const, title: 'pong', fields: [], tone: 'info' as const };
    expect(await sink.sendPart('console:stdout', reply, 0)).toEqual({ messageId: 'console-1' });
    expect(await sink.sendPart('console:stdout', reply, 0)).toEqual({ messageId: 'console-2' });
  });

  it('should name a chart it cannot show', async () => {
    const out: string[] = [];
    const msg = s.withChart(tradeAlert(s.nflxShortAccepted()));
    await createConsoleSink((text) => out.push(text)).sendPart('console:stdout', msg, 0);
    expect(out[0]).toBe(`${toPlainText(msg)}\n\n📊 Chart: ${msg.chart.alt} (a picture on Discord and Telegram)\n${'-'.repeat(40)}\n`);
  });
});
