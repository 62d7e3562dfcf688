import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createChartImages } from '../../../src/notify/chart-image.ts';
import type { Message } from '../../../src/notify/message.ts';
import { tradeAlert } from '../../../src/notify/messages.ts';
import { toDiscordPayloads } from '../../../src/notify/render/discord.ts';
import { createDiscordSink, discordNonce } from '../../../src/notify/sinks/discord.ts';
import { startDiscordRecorder, type DiscordRecorder } from '../../support/discord-recorder.ts';
import { decodePng } from '../../support/png.ts';
import * as s from '../samples.ts';

const TOKEN = 'MTA5.FAKE-discord-bot-token_secret';
const CHANNEL = '111111111111111111';
const DESTINATION = `discord:${CHANNEL}`;
type Body = { embeds: { image?: { url: string } }[]; attachments?: unknown[]; nonce?: string };

describe('notify/sinks/discord with a chart', () => {
  let recorder: DiscordRecorder;
  beforeEach(async () => {
    recorder = await startDiscordRecorder();
  });
  afterEach(async () => {
    await recorder.close();
  });
  const sink = (charts = createChartImages()) => createDiscordSink({ token: TOKEN, channelIds: [CHANNEL], apiRoot: recorder.api, charts });

  it('should upload the chart as a PNG attachment shown inside the first embed, nonce kept', async () => {
    const msg = s.withChart(tradeAlert(s.nflxShortAccepted()));
    expect(sink().partCount(msg)).toBe(1);
    await sink().sendPart(DESTINATION, msg, 0);
    const [req] = recorder.requests;
    expect(req?.headers['content-type']).toMatch(/^multipart\/form-data/);
    const body = req?.body as Body;
    expect(body.embeds[0]?.image).toEqual({ url: 'attachment://NFLX-scan.png' });
    expect(body.attachments).toEqual([{ id: 0, filename: 'NFLX-scan.png', description: msg.chart.alt }]);
    expect(body.nonce).toBe(discordNonce(msg.id!, DESTINATION, 0));
    expect(req?.files.map((f) => [f.field, f.name, f.contentType])).toEqual([['files[0]', 'NFLX-scan.png', 'image/png']]);
    const png = decodePng(req!.files[0]!.data);
    expect([png.width, png.height]).toEqual([1200, 675]);
    expect(png.inkShare).toBeGreaterThan(0.03);
  });

  it("should post a message's buttons as components beside its chart", async () => {
    const msg = { ...s.withChart(tradeAlert(s.nflxShortAccepted())), actions: [{ label: 'Close', command: 'close', args: ['3'], style: 'danger' as const }] };
    await sink().sendPart(DESTINATION, msg, 0);
    expect((recorder.requests[0]?.body as { components?: unknown }).components).toEqual([
      { type: 1, components: [{ type: 2, style: 4, label: 'Close', custom_id: 'hx|r|close|3' }] },
    ]);
  });

  it('should attach the chart to the first part of a long message only', async () => {
    const long: Message = s.withChart({ id: 'diary:x', kind: 'diary', title: 'Diary', description: 'x\n'.repeat(5000), fields: [], tone: 'info' });
    const count = sink().partCount(long);
    expect(count).toBe(toDiscordPayloads(long).length);
    for (let part = 0; part < count; part++) await sink().sendPart(DESTINATION, long, part);
    expect(recorder.requests.map((r) => r.files.length)).toEqual([1, ...Array(count - 1).fill(0)]);
    expect((recorder.requests[1]?.body as Body).embeds.every((e) => !e.image)).toBe(true);
  });

  it('should send the text alone and warn when the chart cannot be rendered', async () => {
    const warnings: string[] = [];
    const failing = createChartImages({ logger: { warn: (m) => warnings.push(m) }, render: () => { throw new Error('boom'); } });
    const msg = s.withChart(tradeAlert(s.nflxShortAccepted()));
    await sink(failing).sendPart(DESTINATION, msg, 0);
    const [req] = recorder.requests;
    expect(req?.headers['content-type']).toContain('application/json');
    expect(req?.files).toEqual([]);
    expect((req?.body as Body).embeds[0]?.image).toBeUndefined();
    expect(warnings).toEqual(['chart NFLX-scan.png not rendered, sending the text alone: boom']);
  });
});
