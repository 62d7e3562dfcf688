import { createServer, type Server } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/index.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { RedisConnectError, RedisStore, redactRedisUrl } from '../../src/store/redis.ts';
import type { Store } from '../../src/store/store.ts';
import { deleteKeys, pttl, REDIS_URL, skipRedis, uniquePrefix } from '../support/redis.ts';
import { tempStateDb } from '../support/sqlite.ts';

/** One store under test plus the few things that differ: how time passes and how expiry is observed. */
type Harness = {
  store: Store;
  /** Check that `key` expires `ttlMs` after now. Memory: by moving the clock (the key is then gone). */
  checkExpiresIn(key: string, ttlMs: number): Promise<void>;
  /** Check that the list at `key` expires `ttlMs` after now. */
  checkListExpiresIn(key: string, ttlMs: number): Promise<void>;
  /** Check that `key` has no expiry. */
  checkNoExpiry(key: string): Promise<void>;
  /** Make `key` expire as if its TTL ran out. Redis: deleted, since its own expiry is checked via PTTL. */
  expire(key: string, ttlMs: number): Promise<void>;
  cleanup(): Promise<void>;
};

/** A store on an injectable clock (memory, SQLite): expiry is checked by moving the clock past it. */
function clockedHarness(open: (now: () => number) => Store, cleanup: () => Promise<void> = async () => {}): Harness {
  let nowMs = Date.UTC(2024, 2, 8, 15, 0);
  const store = open(() => nowMs);
  return {
    store,
    async checkExpiresIn(key, ttlMs) {
      nowMs += ttlMs - 1;
      expect(await store.get(key)).not.toBeNull();
      nowMs += 1;
      expect(await store.get(key)).toBeNull();
    },
    async checkListExpiresIn(key, ttlMs) {
      nowMs += ttlMs - 1;
      expect(await store.listRange(key)).not.toEqual([]);
      nowMs += 1;
      expect(await store.listRange(key)).toEqual([]);
    },
    async checkNoExpiry(key) {
      nowMs += 365 * 24 * 3600_000;
      expect(await store.get(key)).not.toBeNull();
    },
    async expire(_key, ttlMs) {
      nowMs += ttlMs;
    },
    async cleanup() {
      await store.close();
      await cleanup();
    },
  };
}

function sqliteHarness(): Harness {
  const db = tempStateDb();
  return clockedHarness((now) => db.owner({ now }), db.cleanup);
}

async function redisHarness(): Promise<Harness> {
  const prefix = uniquePrefix();
  const store = new RedisStore(REDIS_URL, { keyPrefix: prefix });
  await store.connect();
  return {
    store,
    async checkExpiresIn(key, ttlMs) {
      const remainingMs = await pttl(prefix + key);
      expect(remainingMs).toBeGreaterThan(ttlMs - 1000);
      expect(remainingMs).toBeLessThanOrEqual(ttlMs);
    },
    async checkListExpiresIn(key, ttlMs) {
      const remainingMs = await pttl(prefix + key);
      expect(remainingMs).toBeGreaterThan(ttlMs - 1000);
      expect(remainingMs).toBeLessThanOrEqual(ttlMs);
    },
    async checkNoExpiry(key) {
      expect(await pttl(prefix + key)).toBe(-1);
    },
    expire: (key) => store.del(key),
    async cleanup() {
      await store.close();
      await deleteKeys(prefix);
    },
  };
}

const harnesses = [
  { name: 'MemoryStore', skip: false, make: async () => clockedHarness((now) => new MemoryStore({ now })) },
  { name: 'SqliteStore', skip: false, make: async () => sqliteHarness() },
  { name: 'RedisStore', skip: skipRedis, make: redisHarness },
];

for (const { name, skip, make } of harnesses) {
  describe.skipIf(skip)(`${name} (Store behaviour)`, () => {
    let h: Harness;
    let store: Store;
    beforeEach(async () => {
      h = await make();
      store = h.store;
    });
    afterEach(async () => h.cleanup());

    it('should report its kind', () => {
      expect(store.kind).toBe({ RedisStore: 'redis', SqliteStore: 'sqlite', MemoryStore: 'memory' }[name]);
    });

    it('should return null for a missing key and round-trip a value until deleted', async () => {
      expect(await store.get('k')).toBeNull();
      await store.set('k', 'v1');
      expect(await store.get('k')).toBe('v1');
      await store.del('k');
      expect(await store.get('k')).toBeNull();
    });

    it('should expire a value ttlMs after it was set', async () => {
      await store.set('k', 'v', 60_000);
      await h.checkExpiresIn('k', 60_000);
    });

    it('should clear an earlier TTL when a value is set again without one', async () => {
      await store.set('k', 'v', 60_000);
      await store.set('k', 'v2');
      await h.checkNoExpiry('k');
      expect(await store.get('k')).toBe('v2');
    });

    it('should reject a TTL that is not a positive number', async () => {
      await expect(store.set('k', 'v', 0)).rejects.toThrow(RangeError);
      await expect(store.setIfAbsent('k', 'v', -5)).rejects.toThrow(/positive/);
      expect(await store.get('k')).toBeNull();
    });

    it('should set only when absent and keep the first value', async () => {
      expect(await store.setIfAbsent('k', 'first', 30_000)).toBe(true);
      expect(await store.setIfAbsent('k', 'second', 30_000)).toBe(false);
      expect(await store.get('k')).toBe('first');
      await h.checkExpiresIn('k', 30_000);
    });

    it('should append to lists oldest first and return the new length', async () => {
      expect(await store.listRange('list')).toEqual([]);
      expect(await store.listPush('list', 'a')).toBe(1);
      expect(await store.listPush('list', 'b')).toBe(2);
      expect(await store.listPush('list', 'a')).toBe(3);
      expect(await store.listRange('list')).toEqual(['a', 'b', 'a']);
    });

    it('should drop the oldest list items, and the list once it is empty', async () => {
      for (const v of ['a', 'b', 'c']) await store.listPush('list', v);
      await store.listTrimFront('list', 2);
      expect(await store.listRange('list')).toEqual(['c']);
      await store.listTrimFront('list', 0);
      expect(await store.listRange('list')).toEqual(['c']);
      await store.listTrimFront('list', 5);
      expect(await store.listRange('list')).toEqual([]);
      expect(await store.setIfAbsent('list', 'free again')).toBe(true);
      await store.listTrimFront('missing', 1);
    });

    it('should let lists and sets expire like strings', async () => {
      expect(await store.expire('missing', 1000)).toBe(false);
      await store.listPush('list', 'a');
      await store.setAdd('set', 'm');
      expect(await store.expire('list', 60_000)).toBe(true);
      expect(await store.expire('set', 60_000)).toBe(true);
      await h.checkListExpiresIn('list', 60_000);
    });

    it('should keep set members unique and remove them', async () => {
      expect(await store.setMembers('set')).toEqual([]);
      await store.setAdd('set', 'x');
      await store.setAdd('set', 'y');
      await store.setAdd('set', 'x');
      expect((await store.setMembers('set')).sort()).toEqual(['x', 'y']);
      await store.setRemove('set', 'x');
      await store.setRemove('set', 'absent');
      expect(await store.setMembers('set')).toEqual(['y']);
      await store.setRemove('set', 'y');
      // An emptied set is gone, as in Redis, so SET NX can take the key.
      expect(await store.setIfAbsent('set', 'now a string')).toBe(true);
    });

    it('should reject reading a key as the wrong type (WRONGTYPE)', async () => {
      await store.listPush('list', 'a');
      await store.set('str', 'v');
      await expect(store.get('list')).rejects.toThrow(/WRONGTYPE/);
      await expect(store.listPush('str', 'b')).rejects.toThrow(/WRONGTYPE/);
      await expect(store.setMembers('list')).rejects.toThrow(/WRONGTYPE/);
    });

    it('should give a lock to one holder at a time', async () => {
      const token = await store.acquireLock('lock', 10_000);
      expect(token).toMatch(/^[0-9a-f-]{36}$/);
      expect(await store.acquireLock('lock', 10_000)).toBeNull();
      await h.checkExpiresIn('lock', 10_000);
    });

    it('should not let a wrong token renew or release a lock', async () => {
      const token = await store.acquireLock('lock', 10_000);
      expect(await store.renewLock('lock', 'not-the-token', 60_000)).toBe(false);
      expect(await store.releaseLock('lock', 'not-the-token')).toBe(false);
      expect(await store.get('lock')).toBe(token);
      expect(await store.acquireLock('lock', 10_000)).toBeNull();
      await h.checkExpiresIn('lock', 10_000);
    });

    it('should let the owner renew and then release a lock', async () => {
      const token = (await store.acquireLock('lock', 10_000))!;
      expect(await store.renewLock('lock', token, 60_000)).toBe(true);
      expect(await store.releaseLock('lock', token)).toBe(true);
      expect(await store.releaseLock('lock', token)).toBe(false);
      const next = (await store.acquireLock('lock', 10_000))!;
      expect(next).not.toBeNull();
      expect(next).not.toBe(token);
      expect(await store.renewLock('lock', next, 60_000)).toBe(true);
      await h.checkExpiresIn('lock', 60_000);
    });

    it('should not let a holder whose lock expired release or renew the next holder\'s lock', async () => {
      const stale = (await store.acquireLock('lock', 10_000))!;
      await h.expire('lock', 10_000);
      const fresh = (await store.acquireLock('lock', 10_000))!;
      expect(fresh).not.toBe(stale);
      expect(await store.renewLock('lock', stale, 10_000)).toBe(false);
      expect(await store.releaseLock('lock', stale)).toBe(false);
      expect(await store.get('lock')).toBe(fresh);
    });
  });
}

describe.skipIf(skipRedis)('RedisStore (Redis specifics)', () => {
  const prefixes: string[] = [];
  afterEach(async () => {
    await Promise.all(prefixes.splice(0).map(deleteKeys));
  });

  it('should keep stores with different key prefixes apart', async () => {
    const [pa, pb] = [uniquePrefix(), uniquePrefix()];
    prefixes.push(pa, pb);
    const a = new RedisStore(REDIS_URL, { keyPrefix: pa });
    const b = new RedisStore(REDIS_URL, { keyPrefix: pb });
    await Promise.all([a.connect(), b.connect()]);
    try {
      await a.set('k', 'from a');
      const token = (await a.acquireLock('lock', 5_000))!;
      expect(await b.get('k')).toBeNull();
      expect(await b.acquireLock('lock', 5_000)).not.toBeNull();
      // The Lua scripts must see the prefixed key too, or the owner could never release.
      expect(await a.releaseLock('lock', token)).toBe(true);
      expect(await pttl(`${pa}k`)).toBe(-1);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('should fail calls quickly instead of hanging once closed', async () => {
    const store = new RedisStore(REDIS_URL, { keyPrefix: uniquePrefix() });
    await store.connect();
    await store.close();
    await expect(store.get('k')).rejects.toThrow();
  });

  it('should create a connected RedisStore from a URL', async () => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const store = await createStore({ redisUrl: REDIS_URL, keyPrefix: prefix });
    try {
      expect(store.kind).toBe('redis');
      await store.set('k', 'v');
      expect(await pttl(`${prefix}k`)).toBe(-1);
    } finally {
      await store.close();
    }
  });
});

describe('RedisStore.connect failures (no Redis needed)', () => {
  let silent: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (silent ? silent.close(() => resolve()) : resolve()));
    silent = undefined;
  });

  it('should name host:port and hide the password when nothing listens', async () => {
    for (const url of ['redis://:s3cret-pw@127.0.0.1:1', 'redis://bob:s3cret-pw@127.0.0.1:1/0']) {
      const error = await new RedisStore(url).connect().then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(RedisConnectError);
      const message = (error as Error).message;
      expect(message).toContain('Redis at 127.0.0.1:1 did not answer');
      expect(message).toContain('ECONNREFUSED');
      expect(message).not.toContain('s3cret-pw');
    }
  });

  it('should give up within connectTimeoutMs when the port accepts but never answers', async () => {
    // Accepts TCP and reads (so it sees the client hang up) but never speaks Redis.
    const server = createServer((socket) => socket.resume());
    silent = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const store = new RedisStore(`redis://127.0.0.1:${port}`, { connectTimeoutMs: 200 });
    await expect(store.connect()).rejects.toThrow(`Redis at 127.0.0.1:${port} did not answer (no answer within 200 ms)`);
  });

  it('should fail createStore with the connect error when Redis is down', async () => {
    await expect(createStore({ redisUrl: 'redis://127.0.0.1:1' })).rejects.toBeInstanceOf(RedisConnectError);
  });

  it('should fall back to a MemoryStore without a Redis URL', async () => {
    expect((await createStore({})).kind).toBe('memory');
  });

  it('should redact passwords in Redis URLs', () => {
    expect(redactRedisUrl('redis://:pw@h:6380/1')).toBe('redis://:***@h:6380/1');
    expect(redactRedisUrl('rediss://user:pw@h')).toBe('rediss://user:***@h');
    expect(redactRedisUrl('redis://h:6379')).toBe('redis://h:6379');
    expect(redactRedisUrl('not a url :pw@')).toBe('(unparsable Redis URL)');
  });
});
