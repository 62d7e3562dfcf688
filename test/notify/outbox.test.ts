import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tradeAlert } from '../../src/notify/messages.ts';
import { Outbox, paceMs, type OutboxOptions } from '../../src/notify/outbox.ts';
import type { Logger } from '../../src/core/log.ts';
import { ALERT_LOG_KEY, ALERT_LOG_MAX_ENTRIES, FAILED_KEY } from '../../src/notify/outbox-store.ts';
import { createConsoleSink } from '../../src/notify/sinks/console.ts';
import { createTelegramSink } from '../../src/notify/sinks/telegram.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { RedisStore } from '../../src/store/redis.ts';
import type { Store, StoreExpectation, StoreWrite } from '../../src/store/store.ts';
import { deleteKeys, REDIS_URL, skipRedis, uniquePrefix } from '../support/redis.ts';
import { tempStateDb, type TempStateDb } from '../support/sqlite.ts';
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

/** A logger that keeps every line, prefixed with its level. */
function collectingLogger(lines: string[]): Logger {
  return {
    info: (m) => void lines.push(`info: ${m}`),
    warn: (m) => void lines.push(`warn: ${m}`),
    error: (m) => void lines.push(`error: ${m}`),
  };
}

/** `store` whose `set` refuses keys containing `marker`, like a Redis that turned read-only between two writes. */
function refusingSets(store: Store, marker: string): Store {
  return new Proxy(store, {
    get(target, prop) {
      const refuse = () => Promise.reject(new Error("READONLY You can't write against a read only replica."));
      if (prop === 'set') {
        return async (key: string, value: string, ttlMs?: number) => (key.includes(marker) ? refuse() : target.set(key, value, ttlMs));
      }
      if (prop === 'compareAndWrite') {
        return async (expected: StoreExpectation[], writes: StoreWrite[]) =>
          writes.some((w) => w.op === 'set' && w.key.includes(marker)) ? refuse() : target.compareAndWrite(expected, writes);
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
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

    const build = (store: Store, clock = virtualTime(), chats = [GROUP], extra: Partial<OutboxOptions> = {}) =>
      new Outbox({
        store,
        sinks: [createTelegramSink({ token: TOKEN, chatIds: chats, apiRoot: recorder.apiRoot })],
        now: clock.now,
        sleep: clock.sleep,
        random: () => 0.5,
        ...extra,
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

    it('should report each outcome and retry to its events hook, per platform', async () => {
      const store = await makeStore();
      const clock = virtualTime();
      const seen: string[] = [];
      const events = { outcome: (p: string, status: string) => seen.push(`${p} ${status}`), retry: (p: string) => seen.push(`${p} retry`) };
      const outbox = build(store, clock, [GROUP], { events });
      const down = { status: 502, body: { ok: false, error_code: 502, description: 'Bad Gateway' } };
      recorder.reply(floodWait(1), down, down, down);
      const kept = tradeAlert(s.mstrShortRejected());
      await outbox.post(kept); // 429, then three 502s: kept for later
      await outbox.post(tradeAlert(s.nflxShortAccepted()));
      clock.advance(5 * 60_000);
      await outbox.flush();
      await outbox.post(kept);
      expect(seen).toEqual(['telegram retry', 'telegram retry', 'telegram retry', 'telegram kept', 'telegram sent', 'telegram sent', 'telegram duplicate']);
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

    it('should store a delivery as pending before its first send and drop it once delivered', async () => {
      const store = await makeStore();
      const outbox = build(store);
      const gate = recorder.hold();
      const posting = outbox.post(tradeAlert(s.nflxShortAccepted()));
      await gate.received; // the request is on the wire, not answered yet
      expect(await outbox.pendingCount()).toBe(1);
      gate.release();
      expect((await posting)[0]).toMatchObject({ status: 'sent' });
      expect(await outbox.pendingCount()).toBe(0);
      await store.close();
    });

    it('should send once, on the next flush, an alert whose process was killed in a retry backoff', async () => {
      const store = await makeStore();
      const clock = virtualTime();
      let backingOff!: () => void;
      const killed = new Promise<void>((resolve) => (backingOff = resolve));
      // The first process gets a 502 and dies while it waits to retry: its sleep never returns.
      const doomed = build(store, clock, [GROUP], {
        sleep: () => {
          backingOff();
          return new Promise<void>(() => {});
        },
      });
      recorder.reply({ status: 502, body: { ok: false, error_code: 502, description: 'Bad Gateway' } });
      const alert = tradeAlert(s.mstrShortRejected());
      void doomed.post(alert);
      await killed;
      const restarted = build(store, clock);
      expect(await restarted.pendingCount()).toBe(1);
      const [outcome] = await restarted.flush(); // due at once: no keepForMs wait after a crash
      expect(outcome).toMatchObject({ status: 'sent', messageId: '101' });
      expect(sentTexts(recorder)).toHaveLength(2); // the 502, then the one delivery
      expect(await restarted.pendingCount()).toBe(0);
      expect((await restarted.post(alert))[0]!.status).toBe('duplicate');
      expect(sentTexts(recorder)).toHaveLength(2);
      await store.close();
    });

    it('should call a send whose record failed "delivered but not recorded", never failed, and not send it again', async () => {
      const store = await makeStore();
      const logs: string[] = [];
      const outbox = build(refusingSets(store, ':sent:'), virtualTime(), [GROUP], { logger: collectingLogger(logs) });
      const alert = tradeAlert(s.nflxShortAccepted());
      const [outcome] = await outbox.post(alert);
      expect(outcome).toEqual({ destination: `telegram:${GROUP}`, status: 'sent', messageId: '101' });
      expect(logs).toEqual([
        `error: alert ${alert.id} to telegram:${GROUP} delivered but not recorded (message 101): READONLY You can't write against a read only replica.`,
      ]);
      expect(await store.listRange(FAILED_KEY)).toEqual([]);
      // Once the store takes writes again, the next flush records it from the stored progress without sending.
      const healthy = build(store);
      expect(await healthy.flush()).toEqual([{ destination: `telegram:${GROUP}`, status: 'sent', messageId: '101' }]);
      expect(await healthy.sentMessageId(alert.id!, `telegram:${GROUP}`)).toBe('101');
      expect(await healthy.pendingCount()).toBe(0);
      expect(sentTexts(recorder)).toHaveLength(1);
      await store.close();
    });

    it('should log each alert once per destination with its status: sent with its id, failed with the reason, kept as pending', async () => {
      const store = await makeStore();
      const clock = virtualTime();
      const both = build(store, clock, [GROUP, USER_CHAT]);
      const sent = tradeAlert(s.nflxShortAccepted());
      await both.post(sent);
      await both.post(sent); // a duplicate: nothing new to log
      recorder.reply({ status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' } });
      const failed = tradeAlert(s.tslaLongAccepted());
      clock.advance(1000);
      await build(store, clock, [USER_CHAT]).post(failed);
      const down = { status: 502, body: { ok: false, error_code: 502, description: 'Bad Gateway' } };
      recorder.reply(down, down, down, down);
      const kept = tradeAlert(s.mstrShortRejected());
      clock.advance(1000);
      const startMs = clock.now();
      await build(store, clock, [GROUP]).post(kept);

      const log = await both.alertLog();
      expect(log.map((a) => a.alertId)).toEqual([kept.id, failed.id, sent.id]);
      expect(log[0]).toMatchObject({ kind: 'trade', title: kept.title, atMs: startMs });
      expect(log[0]!.deliveries).toEqual([{ destination: `telegram:${GROUP}`, status: 'pending', dueAtMs: clock.now() + 5 * 60_000, partsSent: 0 }]);
      expect(log[1]!.deliveries).toEqual([
        { destination: `telegram:${USER_CHAT}`, status: 'failed', error: expect.stringContaining('chat not found'), failedAtMs: startMs - 1000, partsSent: 0 },
      ]);
      expect(log[2]!.deliveries.map((d) => [d.destination, d.status, typeof d.messageId])).toEqual([
        [`telegram:${GROUP}`, 'sent', 'string'],
        [`telegram:${USER_CHAT}`, 'sent', 'string'],
      ]);
      expect((await both.alertLog({ limit: 1 })).map((a) => a.alertId)).toEqual([kept.id]);

      // Retention: the daily prune drops log entries (and failed records) older than the cut.
      expect(await both.prune(startMs)).toBe(2 + 1 + 1); // two log entries of `sent`, one of `failed`, and its failed record
      expect((await both.alertLog()).map((a) => a.alertId)).toEqual([kept.id]);
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

// A file per store, as MemoryStore gives a fresh store per call.
const sqliteFiles: TempStateDb[] = [];
outboxSuite(
  'sqlite',
  async () => {
    const db = tempStateDb();
    sqliteFiles.push(db);
    return db.owner();
  },
  async () => void (await Promise.all(sqliteFiles.splice(0).map((db) => db.cleanup()))),
);

describe('notify/outbox alert log bound', () => {
  it('should keep at most ALERT_LOG_MAX_ENTRIES entries, dropping the oldest, and skip a damaged one', async () => {
    const store = new MemoryStore();
    const old = (i: number) => JSON.stringify({ alertId: `old-${i}`, destination: 'console:stdout', kind: 'trade', title: `old ${i}`, at: i });
    for (let i = 0; i < ALERT_LOG_MAX_ENTRIES; i++) await store.listPush(ALERT_LOG_KEY, i === 2 ? '{not json' : old(i));
    const outbox = new Outbox({ store, sinks: [createConsoleSink(() => {})], now: () => 1_000_000 });
    await outbox.post(tradeAlert(s.nflxShortAccepted()));
    const raw = await store.listRange(ALERT_LOG_KEY);
    expect(raw).toHaveLength(ALERT_LOG_MAX_ENTRIES);
    expect(JSON.parse(raw[0]!).alertId).toBe('old-1'); // old-0 went
    const log = await outbox.alertLog({ limit: ALERT_LOG_MAX_ENTRIES });
    expect(log).toHaveLength(ALERT_LOG_MAX_ENTRIES - 1); // the damaged entry is left out
    expect(log[0]).toMatchObject({ title: tradeAlert(s.nflxShortAccepted()).title, deliveries: [{ destination: 'console:stdout', status: 'sent' }] });
    // Old entries with no record left: sent and expired after 30 days (their sent record's TTL), unknown before.
    expect(log.at(-1)!.deliveries[0]).toEqual({ destination: 'console:stdout', status: 'unknown' });
    const later = new Outbox({ store, sinks: [createConsoleSink(() => {})], now: () => 40 * 86_400_000 });
    expect((await later.alertLog({ limit: 2 })).at(-1)!.deliveries[0]).toEqual({ destination: 'console:stdout', status: 'sent', expired: true });
  });
});

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
