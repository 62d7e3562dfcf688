/**
 * The outbox resuming a delivery instead of repeating it: a long message after a failure on a later part (in
 * process and after a kill), and a second instance that finds an alert claimed or already sent. Runs on a
 * MemoryStore (two Outboxes on one instance) and on Redis (two connections, i.e. two processes).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/notify/message.ts';
import { tradeAlert } from '../../src/notify/messages.ts';
import { Outbox, type OutboxOptions } from '../../src/notify/outbox.ts';
import { FAILED_KEY, OutboxRecords } from '../../src/notify/outbox-store.ts';
import { toTelegramTexts } from '../../src/notify/render/telegram.ts';
import { createDiscordSink } from '../../src/notify/sinks/discord.ts';
import { createTelegramSink } from '../../src/notify/sinks/telegram.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { RedisStore } from '../../src/store/redis.ts';
import type { Store } from '../../src/store/store.ts';
import { startDiscordRecorder } from '../support/discord-recorder.ts';
import { deleteKeys, REDIS_URL, skipRedis, uniquePrefix } from '../support/redis.ts';
import { tempStateDb, type TempStateDb } from '../support/sqlite.ts';
import { floodWait, startTelegramRecorder, type TelegramRecorder } from '../support/telegram-recorder.ts';
import * as s from './samples.ts';

const TOKEN = '123456:SECRET-token_value_abcdefghij';
const GROUP = '-1001234567890';
const DESTINATION = `telegram:${GROUP}`;
const RETRY_AFTER_SEC = 5;

/** Three Telegram parts (see render/telegram.ts). */
const diary: Message = {
  id: 'diary:2026-11-20',
  kind: 'diary',
  title: 'Diary',
  description: 'line of text\n'.repeat(700),
  fields: [],
  tone: 'info',
};
const parts = toTelegramTexts(diary).map((t) => t.text);

/** A virtual clock: sleeping advances it, so pacing and retry waits are exact and instant. */
function virtualTime(startMs = 1_000_000) {
  let nowMs = startMs;
  const sleeps: number[] = [];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
    nowMs += ms;
  };
  return { now: () => nowMs, sleeps, sleep };
}

const hang = () => new Promise<void>(() => {});

/** Two handles on one store: the same MemoryStore, two Redis connections under one prefix, or the bot and a guest on one SQLite file. */
type StorePair = { open(): Promise<[Store, Store]>; cleanup(): Promise<void> };

function resumeSuite(name: string, stores: StorePair) {
  describe(`notify/outbox resuming on ${name}`, () => {
    let recorder: TelegramRecorder;
    let opened: Store[] = [];
    beforeEach(async () => {
      recorder = await startTelegramRecorder();
      opened = [];
    });
    afterEach(async () => {
      await recorder.close();
      for (const store of opened) await store.close();
      await stores.cleanup();
    });
    const open = async () => {
      const pair = await stores.open();
      opened.push(...pair);
      return pair;
    };
    const build = (store: Store, clock = virtualTime(), extra: Partial<OutboxOptions> = {}) =>
      new Outbox({
        store,
        sinks: [createTelegramSink({ token: TOKEN, chatIds: [GROUP], apiRoot: recorder.apiRoot })],
        now: clock.now,
        sleep: clock.sleep,
        random: () => 0.5,
        ...extra,
      });
    const sent = () => recorder.calls.filter((c) => c.method === 'sendMessage');

    it('should resend only part 2 after a 429 on it, pacing every part like a message', async () => {
      const [store] = await open();
      const clock = virtualTime();
      recorder.reply(null, floodWait(RETRY_AFTER_SEC));
      const [outcome] = await build(store, clock).post(diary);
      expect(outcome).toEqual({ destination: DESTINATION, status: 'sent', messageId: '101' });
      expect(sent().map((c) => c.body.text)).toEqual([parts[0], parts[1], parts[1], parts[2]]);
      // 3 s group pace before part 2, its retry_after, then the pace before part 3 (the wait already covered part 2's).
      expect(clock.sleeps).toEqual([3000, RETRY_AFTER_SEC * 1000, 3000]);
      expect(await build(store).sentMessageId(diary.id!, DESTINATION)).toBe('101');
    });

    it('should resume at part 2, on the next flush, after a kill in the retry_after wait of part 2', async () => {
      const [store] = await open();
      const clock = virtualTime();
      let waiting!: () => void;
      const killed = new Promise<void>((resolve) => (waiting = resolve));
      // Paces pass; the retry_after wait never ends, as if the process died in it.
      const doomed = build(store, clock, {
        sleep: (ms) => (ms === RETRY_AFTER_SEC * 1000 ? (waiting(), hang()) : clock.sleep(ms)),
      });
      recorder.reply(null, floodWait(RETRY_AFTER_SEC));
      void doomed.post(diary, { replyToAlertId: 'never-sent' });
      await killed;
      const [outcome] = await build(store, clock).flush();
      expect(outcome).toEqual({ destination: DESTINATION, status: 'sent', messageId: '101' });
      expect(sent().map((c) => c.body.text)).toEqual([parts[0], parts[1], parts[1], parts[2]]);
      expect(await build(store).pendingCount()).toBe(0);
    });

    it('should record the parts that went out when a later part fails for good', async () => {
      const [store] = await open();
      recorder.reply(null, { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: message is too long' } });
      const outbox = build(store);
      const [outcome] = await outbox.post(diary);
      expect(outcome).toMatchObject({ status: 'failed', messageId: '101' });
      expect(await outbox.sentMessageId(diary.id!, DESTINATION)).toBe('101'); // follow-ups reply to what is there
      expect((await store.listRange(FAILED_KEY)).map((raw) => JSON.parse(raw) as unknown)).toEqual([
        expect.objectContaining({ alertId: diary.id, partsSent: 1 }),
      ]);
      expect((await outbox.post(diary))[0]!.status).toBe('duplicate');
      expect(sent()).toHaveLength(2);
    });

    it('should answer in-flight to a second instance while the first is sending, then duplicate', async () => {
      const [storeA, storeB] = await open();
      const [a, b] = [build(storeA), build(storeB)];
      const alert = tradeAlert(s.nflxShortAccepted());
      const gate = recorder.hold();
      const posting = a.post(alert);
      await gate.received; // A holds the claim; its request is on the wire
      expect(await b.post(alert)).toEqual([{ destination: DESTINATION, status: 'in-flight' }]);
      expect(await b.flush()).toEqual([{ destination: DESTINATION, status: 'in-flight' }]);
      gate.release();
      expect(await posting).toEqual([{ destination: DESTINATION, status: 'sent', messageId: '101' }]);
      expect(await b.post(alert)).toEqual([{ destination: DESTINATION, status: 'duplicate', messageId: '101' }]);
      expect(sent()).toHaveLength(1);
      expect(await b.pendingCount()).toBe(0);
    });

    it('should leave a delivery written moments ago to its writer when flushing only those due for a minute', async () => {
      const [store] = await open();
      const clock = virtualTime();
      const alert = tradeAlert(s.nflxShortAccepted());
      // Another instance wrote it ahead and waits its turn to send it (or died right after).
      await new OutboxRecords(store).writeAhead({ alertId: alert.id!, destination: DESTINATION, message: alert, dueAt: clock.now() });
      const outbox = build(store, clock);
      await clock.sleep(10_000);
      expect(await outbox.flush({ dueForMs: 60_000 })).toEqual([]);
      await clock.sleep(50_000);
      expect(await outbox.flush({ dueForMs: 60_000 })).toEqual([{ destination: DESTINATION, status: 'sent', messageId: '101' }]);
      expect(sent()).toHaveLength(1);
    });

    it('should send an alert once when two instances post it at the same moment', async () => {
      const [storeA, storeB] = await open();
      const alert = tradeAlert(s.tslaLongAccepted());
      const outcomes = (await Promise.all([build(storeA).post(alert), build(storeB).post(alert)])).flat();
      expect(outcomes.filter((o) => o.status === 'sent')).toHaveLength(1);
      expect(outcomes.every((o) => ['sent', 'in-flight', 'duplicate'].includes(o.status))).toBe(true);
      expect(sent()).toHaveLength(1);
      expect(await build(storeB).pendingCount()).toBe(0);
    });
  });
}

resumeSuite('memory', {
  open: async () => {
    const store = new MemoryStore();
    return [store, store];
  },
  cleanup: async () => {},
});

let sqlite: TempStateDb | undefined;
resumeSuite('sqlite', {
  open: async () => {
    sqlite = tempStateDb();
    return [sqlite.owner(), sqlite.guest()];
  },
  cleanup: async () => sqlite?.cleanup(),
});

const prefix = uniquePrefix();
describe.skipIf(skipRedis)('with Redis', () => {
  const connect = async () => {
    const store = new RedisStore(REDIS_URL, { keyPrefix: prefix });
    await store.connect();
    return store;
  };
  resumeSuite('redis', { open: async () => [await connect(), await connect()], cleanup: () => deleteKeys(prefix) });
});

describe('notify/outbox resuming on Discord', () => {
  it('should resend only the part that got a 5xx', async () => {
    const recorder = await startDiscordRecorder();
    const clock = virtualTime();
    // retries: 0 hands the 502 straight to the outbox, which retries it after its own backoff.
    const sink = createDiscordSink({ token: 'MTA5.FAKE-token', channelIds: ['111'], apiRoot: recorder.api, rest: { retries: 0 } });
    const long: Message = { ...diary, description: 'x\n'.repeat(5000) };
    const count = sink.partCount(long);
    recorder.reply(null, { status: 502, body: {} });
    const outbox = new Outbox({ store: new MemoryStore(), sinks: [sink], now: clock.now, sleep: clock.sleep, random: () => 0.5 });
    const [outcome] = await outbox.post(long);
    await recorder.close();
    expect(outcome).toEqual({ destination: 'discord:111', status: 'sent', messageId: '1300000000000000001' });
    const bodies = recorder.requests.map((r) => JSON.stringify(r.body));
    expect(bodies).toHaveLength(count + 1);
    expect(bodies.filter((b) => b === bodies[0])).toHaveLength(1); // part 1 once
    expect(bodies[2]).toBe(bodies[1]); // part 2 again, after the backoff
    expect(clock.sleeps).toEqual([500]); // the 5xx backoff (full jitter, 1 s ceiling) only: no pacing for Discord, its REST queue does that
  });
});
