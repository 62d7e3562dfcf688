import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tradeAlert } from '../../src/notify/messages.ts';
import { Outbox, paceMs } from '../../src/notify/outbox.ts';
import { createTelegramSink } from '../../src/notify/sinks/telegram.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { RedisStore } from '../../src/store/redis.ts';
import type { Store } from '../../src/store/store.ts';
import { deleteKeys, REDIS_URL, skipRedis, uniquePrefix } from '../support/redis.ts';
import { floodWait, startTelegramRecorder, type TelegramRecorder } from '../support/telegram-recorder.ts';
import * as s from './samples.ts';

const TOKEN = '123456:SECRET-token_value_abcdefghij';
const GROUP = '-1001234567890';
const USER_CHAT = '42';

/** A virtual clock: sleeping advances it, so pacing and retry waits are exact and instant. */
function virtualTime(startMs = 1_000_000) {
  let nowMs = startMs;
  const sleeps: number[] = [];
  return {
    now: () => nowMs,
    sleeps,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      nowMs += ms;
    },
    advance: (ms: number) => {
      nowMs += ms;
    },
  };
}

const sentTexts = (recorder: TelegramRecorder) =>
  recorder.calls.filter((c) => c.method === 'sendMessage').map((c) => `${c.body.chat_id}: ${String(c.body.text).split('\n')[0]}`);

function outboxSuite(name: string, makeStore: () => Promise<Store>, cleanup: () => Promise<void>) {
  describe(`notify/outbox on ${name}`, () => {
    let recorder: TelegramRecorder;
    beforeEach(async () => {
      recorder = await startTelegramRecorder();
    });
    afterEach(async () => {
      await recorder.close();
      await cleanup();
    });

    const build = (store: Store, clock = virtualTime(), chats = [GROUP]) =>
      new Outbox({
        store,
        sinks: [createTelegramSink({ token: TOKEN, chatIds: chats, apiRoot: recorder.apiRoot })],
        now: clock.now,
        sleep: clock.sleep,
        random: () => 0.5,
      });

    it('should deliver once after a 429, waiting retry_after', async () => {
      const store = await makeStore();
      const clock = virtualTime();
      const outbox = build(store, clock);
      recorder.reply(floodWait(7));
      const alert = tradeAlert(s.nflxShortAccepted());
      const [outcome] = await outbox.post(alert);
      expect(outcome).toMatchObject({ destination: `telegram:${GROUP}`, status: 'sent' });
      expect(sentTexts(recorder)).toHaveLength(2); // the 429 and the retry
      expect(clock.sleeps).toEqual([7000]);
      expect(await outbox.sentMessageId(alert.id!, `telegram:${GROUP}`)).toBe(outcome!.messageId);
      await store.close();
    });

    it('should not send an alert again, also after a restart on the same store', async () => {
      const store = await makeStore();
      const alert = tradeAlert(s.nflxShortAccepted());
      await build(store).post(alert);
      expect((await build(store).post(alert))[0]!.status).toBe('duplicate');
      expect(sentTexts(recorder)).toHaveLength(1);
      await store.close();
    });

    it('should keep an alert whose retries ran out and deliver it on a later flush', async () => {
      const store = await makeStore();
      const clock = virtualTime();
      const outbox = build(store, clock);
      const down = { status: 502, body: { ok: false, error_code: 502, description: 'Bad Gateway' } };
      recorder.reply(down, down, down, down);
      const alert = tradeAlert(s.mstrShortRejected());
      expect((await outbox.post(alert))[0]).toMatchObject({ status: 'kept' });
      expect(await outbox.pendingCount()).toBe(1);
      expect(await outbox.flush()).toEqual([]); // not due yet
      clock.advance(5 * 60_000);
      const later = build(store, clock); // e.g. after a restart
      expect((await later.flush())[0]).toMatchObject({ status: 'sent' });
      expect(await later.pendingCount()).toBe(0);
      await store.close();
    });

    it('should drop a final error (bad chat) with a log line, and still deliver to the other chat', async () => {
      const store = await makeStore();
      const outbox = build(store, virtualTime(), [GROUP, USER_CHAT]);
      recorder.reply({ status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' } });
      const outcomes = await outbox.post(tradeAlert(s.nflxShortAccepted()));
      expect(outcomes.map((o) => o.status).sort()).toEqual(['failed', 'sent']);
      await store.close();
    });

    it('should pace messages to one group at 20 a minute', async () => {
      const store = await makeStore();
      const clock = virtualTime();
      const outbox = build(store, clock);
      await outbox.post(tradeAlert(s.nflxShortAccepted()));
      await outbox.post(tradeAlert(s.mstrShortRejected()));
      await outbox.post(tradeAlert(s.tslaLongAccepted()));
      expect(clock.sleeps).toEqual([3000, 3000]);
      expect(paceMs(`telegram:${USER_CHAT}`)).toBe(1000);
      expect(paceMs('discord:123')).toBe(0);
      await store.close();
    });

    it('should reply to the original alert for a follow-up', async () => {
      const store = await makeStore();
      const outbox = build(store);
      const original = tradeAlert(s.nflxShortAccepted());
      const [first] = await outbox.post(original);
      await outbox.post({ ...original, id: 'exit:test', title: 'Closed' }, { replyToAlertId: original.id! });
      const followUp = recorder.calls.filter((c) => c.method === 'sendMessage')[1]!;
      expect(followUp.body.reply_parameters).toMatchObject({ message_id: Number(first!.messageId) });
      await store.close();
    });
  });
}

outboxSuite('memory', async () => new MemoryStore(), async () => {});

const prefix = uniquePrefix();
describe.skipIf(skipRedis)('with Redis', () => {
  outboxSuite(
    'redis',
    async () => {
      const store = new RedisStore(REDIS_URL, { keyPrefix: prefix });
      await store.connect();
      return store;
    },
    () => deleteKeys(prefix),
  );
});
