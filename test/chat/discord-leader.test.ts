/**
 * Several instances, one Discord gateway session: real discord.js clients against the local fake gateway, two
 * instances on one Redis (two connections, as two processes would have). The fake sends each interaction to
 * every session that is logged in, so "answered once" is checked on the wire. Lease timers run on fake time.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import type { AnyCommand } from '../../commands/spec.ts';
import { createRuntime, type Runtime } from '../../src/app/runtime.ts';
import { BotServices } from '../../src/app/services.ts';
import { DISCORD_GATEWAY_LOCK, startDiscordLeader, type DiscordLeader } from '../../src/chat/discord-leader.ts';
import { loadConfig } from '../../src/config/config.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { RedisStore } from '../../src/store/redis.ts';
import type { Store } from '../../src/store/store.ts';
import { APP_ID, interaction, startFakeDiscord, type FakeDiscord } from '../support/discord-gateway.ts';
import { fakeTime, type FakeTime } from '../support/fake-timer.ts';
import { deleteKeys, REDIS_URL, skipRedis, uniquePrefix } from '../support/redis.ts';

const TOKEN = 'FAKE.DISCORD.TOKEN';
const TTL = 30_000;

/** Resolves once `condition()` holds (a socket closing on the fake's side is an event away). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('Discord gateway leader', () => {
  let fake: FakeDiscord;
  let runtime: Runtime;
  let time: FakeTime;
  let leaders: DiscordLeader[];
  const answeredBy: string[] = [];
  const logs: string[] = [];

  beforeAll(async () => {
    fake = await startFakeDiscord();
    runtime = await createRuntime(loadConfig({ MARKET_DATA: 'replay', REPLAY_DATE: '2020-03-12' }), { store: new MemoryStore() });
  });
  afterAll(async () => {
    await fake.close();
    await runtime.close();
  });
  beforeEach(() => {
    time = fakeTime();
    leaders = [];
    answeredBy.length = 0;
    logs.length = 0;
  });
  afterEach(async () => {
    for (const l of leaders.splice(0)) await l.stop();
  });

  /** The real commands, with /regime noting which instance ran it. */
  const commandsOf = (id: string): AnyCommand[] =>
    commands.map((c) => (c.name !== 'regime' ? c : { ...c, run: (ctx, args) => (answeredBy.push(id), c.run(ctx, args)) }));

  async function instance(id: string, store: Store): Promise<DiscordLeader> {
    const leader = await startDiscordLeader({
      token: TOKEN, appId: APP_ID, guildId: '123', apiRoot: fake.api, services: new BotServices(runtime), adminIds: [], commands: commandsOf(id),
      logger: { info: (m) => logs.push(`${id} info ${m}`), warn: (m) => logs.push(`${id} warn ${m}`), error: (m) => logs.push(`${id} error ${m}`) },
      store, ttlMs: TTL, timer: time.timer, clock: time.now,
    });
    leaders.push(leader);
    return leader;
  }

  /** Send /regime to every session and resolve once its deferred reply is edited in; how many callbacks it got. */
  async function regime(): Promise<number> {
    const i = interaction({ name: 'regime' });
    fake.dispatch('INTERACTION_CREATE', i);
    await fake.waitFor((r) => r.method === 'PATCH' && r.path === `/api/v10/webhooks/${APP_ID}/${i.token}/messages/%40original` && r.status === 200);
    return fake.requests.filter((r) => r.path === `/api/v10/interactions/${i.id}/${i.token}/callback`).length;
  }

  describe.skipIf(skipRedis)('two instances on one Redis', () => {
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

    it('should hold exactly one gateway session, answer each interaction once, and hand over when the leader stops', async () => {
      const a = await instance('a', await redisStore());
      const b = await instance('b', await redisStore());
      expect([a.connected, b.connected]).toEqual([true, false]);
      expect(fake.sessions()).toBe(1);
      expect(logs).toEqual(['a info discord: gateway session (leader): answering interactions', 'b info discord: standby, another instance holds the gateway session']);

      await time.advance(2 * TTL); // renewals by a, standby retries by b, on real Redis
      expect([a.connected, b.connected]).toEqual([true, false]);
      expect(await regime()).toBe(1);
      expect(answeredBy).toEqual(['a']);

      await a.stop();
      expect(await stores[1]!.get(DISCORD_GATEWAY_LOCK)).toBeNull(); // released, not left to expire
      await until(() => fake.sessions() === 0);
      await time.advance(TTL / 2); // b's next standby retry
      expect(b.connected).toBe(true);
      expect(fake.sessions()).toBe(1);
      expect(await regime()).toBe(1);
      expect(answeredBy).toEqual(['a', 'b']);
      expect(logs.filter((l) => l.includes(' error '))).toEqual([]);
    });
  });

  it('should log in at once as the only instance on a memory store, and log out and release on stop', async () => {
    const store = new MemoryStore();
    const solo = await instance('solo', store);
    expect(solo.connected).toBe(true);
    expect(await regime()).toBe(1);
    await solo.stop();
    expect(await store.get(DISCORD_GATEWAY_LOCK)).toBeNull();
    await until(() => fake.sessions() === 0);
  });
});
