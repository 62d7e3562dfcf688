import { describe, expect, it } from 'vitest';
import { acquireLease, runWithLock } from '../../src/core/lock.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { fakeTime } from '../support/fake-timer.ts';

const TTL = 30_000;

describe('acquireLease', () => {
  it('should keep the key alive past its TTL by renewing every third, and give it back on release', async () => {
    const time = fakeTime();
    const store = new MemoryStore({ now: time.now });
    const lease = await acquireLease(store, 'k', { ttlMs: TTL, timer: time.timer, clock: time.now });
    expect(lease).not.toBeNull();
    await time.advance(3 * TTL);
    expect(lease!.signal.aborted).toBe(false);
    expect(await store.acquireLock('k', TTL)).toBeNull(); // still held
    await lease!.release();
    expect(time.pendingCount()).toBe(0); // no renewal left behind
    expect(await store.get('k')).toBeNull();
  });

  it('should refuse a key someone else holds', async () => {
    const store = new MemoryStore();
    await store.acquireLock('k', TTL);
    expect(await acquireLease(store, 'k', { ttlMs: TTL, timer: fakeTime().timer })).toBeNull();
  });

  it('should abort and call onLost when a renewal finds the key taken', async () => {
    const time = fakeTime();
    const store = new MemoryStore({ now: time.now });
    const lost: string[] = [];
    const lease = await acquireLease(store, 'k', { ttlMs: TTL, timer: time.timer, clock: time.now, onLost: (r) => void lost.push(r.message) });
    await store.del('k');
    await store.acquireLock('k', TTL); // another holder
    await time.advance(TTL / 3);
    expect(lease!.signal.aborted).toBe(true);
    expect(lost).toEqual(['lost k (expired or taken)']);
    expect(time.pendingCount()).toBe(0);
  });

  it('should warn while renewals fail, and give up once they have failed for a whole TTL', async () => {
    const time = fakeTime();
    const store = new MemoryStore({ now: time.now });
    const broken = Object.assign(Object.create(store) as MemoryStore, {
      acquireLock: (k: string, t: number) => store.acquireLock(k, t),
      releaseLock: (k: string, t: string) => store.releaseLock(k, t),
      renewLock: () => Promise.reject(new Error('Connection is closed.')),
    });
    const warnings: string[] = [];
    const lost: string[] = [];
    const lease = await acquireLease(broken, 'k', {
      ttlMs: TTL,
      timer: time.timer,
      clock: time.now,
      onWarning: (m) => warnings.push(m),
      onLost: (r) => void lost.push(r.message),
    });
    await time.advance(TTL - 1);
    expect(lease!.signal.aborted).toBe(false);
    expect(warnings).toEqual(['could not renew k: Connection is closed.', 'could not renew k: Connection is closed.']);
    await time.advance(1);
    expect(lease!.signal.aborted).toBe(true);
    expect(lost).toEqual(['k not renewed for 30000 ms (Connection is closed.)']);
  });

  it('should retry a failed release until the store answers again, and stop once the key must have expired', async () => {
    const time = fakeTime();
    const store = new MemoryStore({ now: time.now });
    let down = false;
    const flaky = Object.assign(Object.create(store) as MemoryStore, {
      acquireLock: (k: string, t: number) => store.acquireLock(k, t),
      renewLock: (k: string, tk: string, t: number) => store.renewLock(k, tk, t),
      releaseLock: (k: string, tk: string) => (down ? Promise.reject(new Error('connect ECONNREFUSED')) : store.releaseLock(k, tk)),
    });
    const warnings: string[] = [];
    const lease = await acquireLease(flaky, 'k', { ttlMs: TTL, timer: time.timer, clock: time.now, onWarning: (m) => warnings.push(m) });
    down = true;
    await lease!.release();
    expect(warnings).toEqual(['could not release k (connect ECONNREFUSED); retrying, it expires by itself within 30000 ms']);
    await time.advance(TTL / 3); // still down: the retry fails quietly and tries again
    expect(await store.get('k')).not.toBeNull();
    down = false;
    await time.advance(TTL / 3); // the store is back: released long before its TTL
    expect(await store.get('k')).toBeNull();
    expect(time.pendingCount()).toBe(0);

    const second = await acquireLease(flaky, 'k2', { ttlMs: TTL, timer: time.timer, clock: time.now });
    down = true;
    await second!.release();
    await time.advance(TTL);
    expect(time.pendingCount()).toBe(0); // gave up: the key has expired by itself
  });
});

describe('runWithLock', () => {
  it('should run the function holding the key, release it after, and skip when the key is held', async () => {
    const store = new MemoryStore();
    const inside = await runWithLock(store, 'k', async () => store.get('k'), { ttlMs: TTL, timer: fakeTime().timer });
    expect(inside).toEqual({ acquired: true, value: expect.any(String) as string });
    expect(await store.get('k')).toBeNull();
    await store.acquireLock('k', TTL);
    expect(await runWithLock(store, 'k', async () => 1, { ttlMs: TTL })).toEqual({ acquired: false });
  });

  it('should release the key when the function throws, and rethrow', async () => {
    const store = new MemoryStore();
    const boom = new Error('boom');
    await expect(runWithLock(store, 'k', () => Promise.reject(boom), { ttlMs: TTL, timer: fakeTime().timer })).rejects.toBe(boom);
    expect(await store.get('k')).toBeNull();
  });
});
