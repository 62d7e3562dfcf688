import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/store/memory.ts';
import { RedisStore } from '../../src/store/redis.ts';
import type { Store } from '../../src/store/store.ts';
import { transact, TransactionConflictError } from '../../src/store/transact.ts';
import { deleteKeys, pttl, REDIS_URL, skipRedis, uniquePrefix } from '../support/redis.ts';
import { tempStateDb } from '../support/sqlite.ts';

type Case = { name: string; skip: boolean; make(): Promise<{ store: Store; second(): Promise<Store>; ttlOf(key: string): Promise<number | null>; cleanup(): Promise<void> }> };

const cases: Case[] = [
  {
    name: 'MemoryStore',
    skip: false,
    async make() {
      const nowMs = Date.UTC(2026, 2, 2);
      const store = new MemoryStore({ now: () => nowMs });
      return { store, second: async () => store, ttlOf: async () => null, cleanup: () => store.close() };
    },
  },
  {
    name: 'SqliteStore',
    skip: false,
    async make() {
      const db = tempStateDb();
      const ttlOf = async (key: string) => {
        const raw = new DatabaseSync(db.path, { readOnly: true });
        const row = raw.prepare('SELECT expires_at_ms FROM kv WHERE key = ?').get(key) as { expires_at_ms: number | null } | undefined;
        raw.close();
        return row?.expires_at_ms == null ? null : row.expires_at_ms - Date.now();
      };
      // The second writer is a second connection to the file, as the CLI beside the bot is.
      return { store: db.owner(), second: async () => db.guest(), ttlOf, cleanup: db.cleanup };
    },
  },
  {
    name: 'RedisStore',
    skip: skipRedis,
    async make() {
      const prefix = uniquePrefix();
      const stores: RedisStore[] = [];
      const open = async () => {
        const s = new RedisStore(REDIS_URL, { keyPrefix: prefix });
        await s.connect();
        stores.push(s);
        return s;
      };
      return {
        store: await open(),
        second: open,
        ttlOf: (key) => pttl(prefix + key),
        async cleanup() {
          await Promise.all(stores.map((s) => s.close()));
          await deleteKeys(prefix);
        },
      };
    },
  },
];

for (const c of cases) {
  describe.skipIf(c.skip)(`${c.name} compareAndWrite and transact`, () => {
    let h: Awaited<ReturnType<Case['make']>>;
    let store: Store;
    beforeEach(async () => {
      h = await c.make();
      store = h.store;
    });
    afterEach(async () => h.cleanup());

    it('should trim a list and move a cursor in one step, or not at all', async () => {
      for (const v of ['e1', 'e2', 'e3']) await store.listPush('events', v);
      await store.set('cursor', '3');
      const trim = [{ op: 'listTrimFront', key: 'events', count: 2 }, { op: 'set', key: 'cursor', value: '1' }] as const;
      expect(await store.compareAndWrite([{ key: 'cursor', value: '2' }], trim)).toBe(false);
      expect(await store.listRange('events')).toEqual(['e1', 'e2', 'e3']);
      expect(await store.compareAndWrite([{ key: 'cursor', value: '3' }], trim)).toBe(true);
      expect(await store.listRange('events')).toEqual(['e3']);
      expect(await store.get('cursor')).toBe('1');
    });

    it('should apply every write when all expected values match, absent included', async () => {
      await store.set('a', '1');
      const ok = await store.compareAndWrite(
        [{ key: 'a', value: '1' }, { key: 'b', value: null }],
        [
          { op: 'set', key: 'a', value: '2' },
          { op: 'set', key: 'b', value: 'x', ttlMs: 60_000 },
          { op: 'listPush', key: 'l', value: 'e1' },
          { op: 'setAdd', key: 's', member: 'm' },
          { op: 'del', key: 'gone' },
        ],
      );
      expect(ok).toBe(true);
      expect([await store.get('a'), await store.get('b')]).toEqual(['2', 'x']);
      expect(await store.listRange('l')).toEqual(['e1']);
      expect(await store.setMembers('s')).toEqual(['m']);
      const ttl = await h.ttlOf('b');
      if (ttl !== null) expect(ttl).toBeGreaterThan(59_000);
    });

    it('should change nothing when one expected value differs', async () => {
      await store.set('a', '1');
      await store.set('b', 'other');
      const ok = await store.compareAndWrite(
        [{ key: 'a', value: '1' }, { key: 'b', value: null }],
        [{ op: 'set', key: 'a', value: '2' }, { op: 'listPush', key: 'l', value: 'e1' }],
      );
      expect(ok).toBe(false);
      expect(await store.get('a')).toBe('1');
      expect(await store.listRange('l')).toEqual([]);
    });

    it('should reject a write to a key of the wrong type before writing anything', async () => {
      await store.set('str', 'v');
      await expect(
        store.compareAndWrite([], [{ op: 'set', key: 'a', value: 'written?' }, { op: 'listPush', key: 'str', value: 'x' }]),
      ).rejects.toThrow(/WRONGTYPE/);
      expect(await store.get('a')).toBeNull();
    });

    it('should retry a transaction whose keys changed under it, computing from the fresh value', async () => {
      await store.set('counter', '0');
      const other = await h.second();
      // The first run reads 0; another writer then moves the counter, and our commit waits until it has.
      let competing: Promise<void> | undefined;
      const gated = new Proxy(store, {
        get(target, prop) {
          if (prop === 'compareAndWrite') {
            return async (...args: Parameters<Store['compareAndWrite']>) => {
              await competing;
              return target.compareAndWrite(...args);
            };
          }
          const value = Reflect.get(target, prop) as unknown;
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      let runs = 0;
      const result = await transact(gated, ['counter'], ([raw]) => {
        runs++;
        if (runs === 1) competing = other.set('counter', '10');
        return { writes: [{ op: 'set', key: 'counter', value: String(Number(raw) + 1) }], result: Number(raw) + 1 };
      });
      expect(result).toBe(11);
      expect(runs).toBe(2);
      expect(await store.get('counter')).toBe('11');
    });

    it('should count 50 concurrent increments from two connections exactly', async () => {
      const other = await h.second();
      const inc = (s: Store) => transact(s, ['n'], ([raw]) => ({ writes: [{ op: 'set', key: 'n', value: String(Number(raw ?? 0) + 1) }], result: undefined }), { maxAttempts: 200 });
      await Promise.all(Array.from({ length: 50 }, (_, i) => inc(i % 2 ? store : other)));
      expect(await store.get('n')).toBe('50');
    });

    it('should give up with a TransactionConflictError when the keys never stop changing', async () => {
      let n = 0;
      const attempt = transact(store, ['k'], () => {
        void store.set('k', String(n++));
        return { writes: [], result: null };
      }, { maxAttempts: 3 });
      await expect(attempt).rejects.toBeInstanceOf(TransactionConflictError);
    });
  });
}
