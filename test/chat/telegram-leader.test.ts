/**
 * Telegram polling elected through the Store, with real telegraf against telegram-test-api. The fake does
 * not answer a second poller with 409 (it serves whoever asks), so "exactly one polls" is checked by which
 * instance's /regime runs. Leader timers run on fake time (`advance`), so no test waits for a TTL; the
 * 409 path uses a tiny node:http Bot API that answers every getUpdates with Telegram's Conflict.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import type { AnyCommand } from '../../commands/spec.ts';
import { createRuntime, type Runtime } from '../../src/app/runtime.ts';
import { startTelegramLeader, TELEGRAM_POLLER_LOCK, type TelegramLeader } from '../../src/chat/telegram-leader.ts';
import { startTelegramBot, type TelegramBot } from '../../src/chat/telegram.ts';
import { loadConfig } from '../../src/config/config.ts';
import { BotServices } from '../../src/app/services.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { RedisStore } from '../../src/store/redis.ts';
import type { Store } from '../../src/store/store.ts';
import { deleteKeys, REDIS_URL, skipRedis, uniquePrefix } from '../support/redis.ts';
import { fakeTime } from '../support/fake-timer.ts';
import { TelegramServer } from '../support/telegram-server.ts';

const TOKEN = '123456:TEST-TOKEN';
const TTL = 30_000;

/** telegram-test-api turns port 0 into 9000, so ask the OS for a free port first. */
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });

/** Collects log lines and lets a test await one (event-driven, no polling). */
function collectingLogger() {
  const lines: string[] = [];
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  const push = (line: string) => {
    lines.push(line);
    for (const w of waiters.filter((x) => x.re.test(line))) w.resolve();
  };
  return {
    lines,
    logger: { info: (m: string) => push(`info ${m}`), warn: (m: string) => push(`warn ${m}`), error: (m: string) => push(`error ${m}`) },
    until: (re: RegExp) => new Promise<void>((resolve) => (lines.some((l) => re.test(l)) ? resolve() : waiters.push({ re, resolve }))),
  };
}

describe('Telegram polling leader against telegram-test-api', () => {
  let server: TelegramServer;
  let runtime: Runtime;
  let time: ReturnType<typeof fakeTime>;
  let leaders: TelegramLeader[];
  const answeredBy: string[] = [];
  const logs = new Map<string, ReturnType<typeof collectingLogger>>();

  beforeAll(async () => {
    server = new TelegramServer({ port: await freePort(), host: '127.0.0.1' });
    await server.start();
    runtime = await createRuntime(loadConfig({ MARKET_DATA: 'replay', REPLAY_DATE: '2020-03-12' }), { store: new MemoryStore() });
  });
  afterAll(async () => {
    await server.stop();
    await runtime.close();
  });
  beforeEach(() => {
    time = fakeTime();
    leaders = [];
    answeredBy.length = 0;
    logs.clear();
  });
  afterEach(async () => {
    for (const l of leaders) await l.stop();
  });

  /** The real commands, with /regime noting which instance ran it. */
  const commandsOf = (id: string): AnyCommand[] =>
    commands.map((c) =>
      c.name !== 'regime'
        ? c
        : {
            ...c,
            run: (ctx, args) => {
              answeredBy.push(id);
              return c.run(ctx, args);
            },
          },
    );

  async function leader(id: string, store: Store): Promise<TelegramLeader> {
    const log = collectingLogger();
    logs.set(id, log);
    const l = await startTelegramLeader({
      token: TOKEN, apiRoot: server.config.apiURL, services: new BotServices(runtime), adminIds: [], commands: commandsOf(id),
      logger: log.logger, store, ttlMs: TTL, timer: time.timer, clock: time.now,
    });
    leaders.push(l);
    return l;
  }
  const lines = (id: string) => logs.get(id)?.lines ?? [];

  /** Send /regime as user 42 and return the first line of the reply. */
  async function regime(): Promise<string | undefined> {
    const client = server.getClient(TOKEN, { timeout: 5000, chatId: 42, userId: 42 });
    await client.sendCommand(client.makeCommand('/regime'));
    const updates = await client.getUpdates();
    return (updates.result[0]?.message as { text?: string } | undefined)?.text?.split('\n')[0];
  }

  describe.skipIf(skipRedis)('two instances on one Redis (two connections)', () => {
    let prefix: string;
    let stores: RedisStore[];
    const redisStore = async () => {
      const s = new RedisStore(REDIS_URL, { keyPrefix: prefix });
      await s.connect();
      stores.push(s);
      return s;
    };
    beforeEach(() => {
      prefix = uniquePrefix();
      stores = [];
    });
    afterEach(async () => {
      for (const l of leaders.splice(0)) await l.stop();
      for (const s of stores) await s.close();
      await deleteKeys(prefix);
    });

    it('should let exactly one poll, keep it there over renewals, and hand over when it stops', async () => {
      const a = await leader('a', await redisStore());
      const b = await leader('b', await redisStore());
      expect([a.polling, b.polling]).toEqual([true, false]);
      expect(lines('a')).toContain('info telegram: polling (leader)');
      expect(lines('b')).toEqual(['info telegram: standby, another instance polls']);

      await time.advance(2 * TTL); // 6 renewals by a, 4 retries by b, all on real Redis
      expect([a.polling, b.polling]).toEqual([true, false]);
      expect(await regime()).toBe('🐻 Regime: BEARISH');
      expect(await regime()).toBe('🐻 Regime: BEARISH');
      expect(answeredBy).toEqual(['a', 'a']);

      await a.stop();
      expect(await stores[1]?.get(TELEGRAM_POLLER_LOCK)).toBeNull(); // released, not left to expire
      expect(b.polling).toBe(false);
      await time.advance(TTL / 2); // b's next standby retry
      expect(b.polling).toBe(true);
      expect(await regime()).toBe('🐻 Regime: BEARISH');
      expect(answeredBy).toEqual(['a', 'a', 'b']);
      expect(lines('b')).toContain('info telegram: polling (leader)');
      expect([...lines('a'), ...lines('b')].filter((l) => l.startsWith('error'))).toEqual([]);
    });

    it('should stop polling when its renewal finds the lock gone and another instance holding it', async () => {
      const [storeA, storeB] = [await redisStore(), await redisStore()];
      const a = await leader('a', storeA);
      const b = await leader('b', storeB);
      // As if a's lock expired while a was paused: b's next retry takes it.
      await storeB.del(TELEGRAM_POLLER_LOCK);
      await b.tick();
      expect([a.polling, b.polling]).toEqual([true, true]);
      await time.advance(TTL / 3); // a's renewal: the token is not a's any more
      expect([a.polling, b.polling]).toEqual([false, true]);
      expect(lines('a')).toContain(
        'warn telegram: lost hx:telegram:poller (expired or taken); stopping polling, another instance may take over now',
      );
      expect(lines('a').at(-1)).toBe('info telegram: standby, another instance polls');
      expect(await regime()).toBe('🐻 Regime: BEARISH');
      expect(answeredBy).toEqual(['b']);
    });
  });

  describe('on a MemoryStore', () => {
    it('should poll at once as the only instance, and release the lock on stop', async () => {
      const store = new MemoryStore();
      const solo = await leader('solo', store);
      expect(solo.polling).toBe(true);
      expect(await regime()).toBe('🐻 Regime: BEARISH');
      expect(answeredBy).toEqual(['solo']);
      await solo.stop();
      expect(solo.polling).toBe(false);
      expect(await store.get(TELEGRAM_POLLER_LOCK)).toBeNull();
    });

    it('should step down once renewals have failed for a TTL, and let a standby take over as the lock expires', async () => {
      const store = new MemoryStore({ now: time.now });
      // a's connection to the store is down for renewals; b's is fine.
      const broken = new Proxy(store, {
        get(target, key) {
          if (key === 'renewLock') return () => Promise.reject(new Error('Connection is closed.'));
          const value: unknown = Reflect.get(target, key);
          return typeof value === 'function' ? value.bind(target) : value; // MemoryStore's #fields need the real `this`
        },
      });
      const a = await leader('a', broken);
      const b = await leader('b', store);
      await time.advance(TTL - 1);
      expect([a.polling, b.polling]).toEqual([true, false]); // lock not expired yet: a keeps polling
      expect(lines('a')).toContain(`warn telegram: could not renew ${TELEGRAM_POLLER_LOCK}: Connection is closed.`);
      await time.advance(1);
      expect([a.polling, b.polling]).toEqual([false, true]);
      expect(await regime()).toBe('🐻 Regime: BEARISH');
      expect(answeredBy).toEqual(['b']);
    });
  });
});

describe('Telegram polling leader when Telegram answers 409 Conflict', () => {
  let api: Server;
  let apiRoot: string;
  let getMeCalls = 0;
  beforeAll(async () => {
    // The Bot API as a token already polled elsewhere sees it: fine until getUpdates, which conflicts.
    api = createHttpServer((req, res) => {
      const method = req.url?.split('/').at(-1);
      if (method === 'getMe') getMeCalls++;
      const conflict = method === 'getUpdates';
      res.writeHead(conflict ? 409 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(
        conflict
          ? { ok: false, error_code: 409, description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running' }
          : { ok: true, result: method === 'getMe' ? { id: 1, is_bot: true, first_name: 'hx', username: 'hx_bot' } : true },
      ));
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    apiRoot = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => api.close(() => resolve())));

  it('should log the 409 with its hint, stop polling, release the lock and retry after TTL/2', async () => {
    const time = fakeTime();
    const store = new MemoryStore();
    const log = collectingLogger();
    const bots: TelegramBot[] = [];
    const l = await startTelegramLeader({
      token: TOKEN, apiRoot, services: {} as BotServices, adminIds: [], commands: [], logger: log.logger,
      store, ttlMs: TTL, timer: time.timer, clock: time.now,
      startBot: async (o) => {
        const bot = await startTelegramBot(o);
        bots.push(bot);
        return bot;
      },
    });
    try {
      await log.until(/standby/);
      expect(await bots[0]?.ended).toEqual({ conflict: true, message: expect.stringContaining('409') as string });
      expect(l.polling).toBe(false);
      expect(await store.get(TELEGRAM_POLLER_LOCK)).toBeNull();
      expect(log.lines).toContain(
        'error telegram polling stopped by 409 Conflict: another process is polling this bot token ' +
          '(Error: 409: Conflict: terminated by other getUpdates request; make sure that only one bot instance is running)',
      );
      expect(log.lines).toContain(
        'warn telegram: polling ended (another process is polling this bot token (409 Conflict)); standing by and retrying in 15000 ms',
      );
      await time.advance(TTL / 2);
      expect(getMeCalls).toBe(2); // standby tried to lead again
      expect(log.lines.join('\n')).not.toContain('TEST-TOKEN');
    } finally {
      await l.stop();
    }
  });
});
