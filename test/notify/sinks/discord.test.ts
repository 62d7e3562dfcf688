import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tradeAlert } from '../../../src/notify/messages.ts';
import type { Message } from '../../../src/notify/message.ts';
import { toDiscordPayload, toDiscordPayloads } from '../../../src/notify/render/discord.ts';
import { createDiscordSink, discordNonce } from '../../../src/notify/sinks/discord.ts';
import { rejectionOf } from '../../support/rejection.ts';
import { DeliveryError } from '../../../src/notify/sinks/errors.ts';
import { rateLimited, startDiscordRecorder, type DiscordRecorder } from '../../support/discord-recorder.ts';
import * as s from '../samples.ts';

const TOKEN = 'MTA5.FAKE-discord-bot-token_secret';
const CHANNEL = '111111111111111111';

const deliveryError = (promise: Promise<unknown>) => rejectionOf(promise, DeliveryError);

describe('notify/sinks/discord', () => {
  let recorder: DiscordRecorder;
  beforeEach(async () => {
    recorder = await startDiscordRecorder();
  });
  afterEach(async () => {
    await recorder.close();
  });
  const sink = (rest = {}) => createDiscordSink({ token: TOKEN, channelIds: [CHANNEL], apiRoot: recorder.api, rest });

  it('should post the embed to the channel with mentions disabled', async () => {
    const msg = tradeAlert(s.nflxShortAccepted());
    expect(sink().destinations()).toEqual([`discord:${CHANNEL}`]);
    const { messageId } = await sink().sendPart(`discord:${CHANNEL}`, msg, 0);
    expect(recorder.requests).toHaveLength(1);
    const [req] = recorder.requests;
    expect(req?.method).toBe('POST');
    expect(req?.path).toBe(`/api/v10/channels/${CHANNEL}/messages`);
    expect(req?.headers.authorization).toBe(`Bot ${TOKEN}`);
    expect(req?.body).toEqual({ ...toDiscordPayload(msg), nonce: discordNonce(msg.id!, `discord:${CHANNEL}`, 0), enforce_nonce: true });
    expect((req?.body as { allowed_mentions: unknown }).allowed_mentions).toEqual({ parse: [] });
    expect(messageId).toBe('1300000000000000001');
  });

  it('should carry a nonce of at most 25 characters per alert, destination and part, so a resend gets the first message back', async () => {
    const msg = tradeAlert(s.nflxShortAccepted());
    const nonce = discordNonce(msg.id!, `discord:${CHANNEL}`, 0);
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{25}$/);
    expect(discordNonce(msg.id!, `discord:${CHANNEL}`, 0)).toBe(nonce);
    expect(new Set([nonce, discordNonce(msg.id!, `discord:${CHANNEL}`, 1), discordNonce(msg.id!, 'discord:222', 0)]).size).toBe(3);
    const first = await sink().sendPart(`discord:${CHANNEL}`, msg, 0);
    const again = await sink().sendPart(`discord:${CHANNEL}`, msg, 0); // e.g. after a crash before the store recorded it
    expect(again).toEqual(first);
    expect(recorder.created.get(CHANNEL)).toHaveLength(1);
  });

  it('should send a long message one part per call, with message_reference only when asked', async () => {
    const long: Message = { kind: 'diary', title: 'Diary', description: 'x\n'.repeat(5000), fields: [], tone: 'info' };
    const count = sink().partCount(long);
    expect(count).toBe(toDiscordPayloads(long).length);
    expect(count).toBeGreaterThan(1);
    for (let part = 0; part < count; part++) {
      await sink().sendPart(`discord:${CHANNEL}`, long, part, part === 0 ? { replyTo: '999' } : {});
    }
    expect(recorder.requests).toHaveLength(count);
    const refs = recorder.requests.map((r) => (r.body as { message_reference?: unknown }).message_reference);
    expect(refs[0]).toEqual({ message_id: '999', fail_if_not_exists: false });
    expect(refs.slice(1).every((ref) => ref === undefined)).toBe(true);
    expect(recorder.requests[1]?.body).toMatchObject(toDiscordPayloads(long)[1]!);
  });

  it('should let @discordjs/rest wait out a 429 and deliver exactly once', async () => {
    recorder.reply(rateLimited(0.05));
    const { messageId } = await sink().sendPart(`discord:${CHANNEL}`, tradeAlert(s.mstrShortRejected()), 0);
    expect(recorder.requests).toHaveLength(2);
    expect(recorder.requests[1]?.body).toEqual(recorder.requests[0]?.body);
    expect(messageId).toBe('1300000000000000001');
  });

  it('should fail a 403 for good with the Discord code and no token', async () => {
    recorder.reply({ status: 403, body: { message: 'Missing Access', code: 50001 } });
    const err = await deliveryError(sink().sendPart(`discord:${CHANNEL}`, tradeAlert(s.nflxShortAccepted()), 0));
    expect(err).toMatchObject({ retryable: false, status: 403, code: 50001, sink: 'discord' });
    expect(err.message).toBe(`discord -> discord:${CHANNEL}: 403 Missing Access`);
  });

  it('should report a 5xx as retryable after the client used up its own retries', async () => {
    recorder.reply({ status: 502, body: {} }, { status: 502, body: {} });
    const err = await deliveryError(sink({ retries: 1 }).sendPart(`discord:${CHANNEL}`, tradeAlert(s.nflxShortAccepted()), 0));
    expect(recorder.requests).toHaveLength(2);
    expect(err).toMatchObject({ retryable: true, status: 502 });
    expect(err.message).not.toContain(TOKEN);
  });

  it('should report a refused connection as retryable without the token', async () => {
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((ok) => closed.close(() => ok()));
    const dead = createDiscordSink({ token: TOKEN, channelIds: [CHANNEL], apiRoot: `http://127.0.0.1:${port}/api`, rest: { retries: 0 } });
    const err = await deliveryError(dead.sendPart(`discord:${CHANNEL}`, tradeAlert(s.nflxShortAccepted()), 0));
    expect(err.retryable).toBe(true);
    expect(`${err.message} ${String(err.code)}`).not.toContain(TOKEN);
  });

  it('should refuse a destination of another platform without sending', async () => {
    const err = await deliveryError(sink().sendPart('telegram:42', tradeAlert(s.nflxShortAccepted()), 0));
    expect(err.retryable).toBe(false);
    expect(recorder.requests).toHaveLength(0);
  });
});
